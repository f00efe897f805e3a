# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kube_scheduler role calls the package manager only for a missing package (kubeadm path on localhost).

The role reads the node once (lvmkube.cluster.node_state_info: the distribution markers and the packages)
and runs ansible.builtin.package only when a package is missing. Two test doubles stand in for the node's
package tools: tests/doubles/package_manager/dpkg_query_double.py answers node_state_info's dpkg-query with
the packages a test calls installed, and package_manager_double (ansible_package_use) records every call
ansible.builtin.package makes instead of running apt.
"""

from __future__ import annotations

import json
import os

import pytest
from helpers.kube_scheduler import FIXTURES, LOCAL_ROLE_VARS, role_play
from helpers.shims import python_shim
from playbook_helpers import ROOT, ansible_env, json_output, run_playbook

pytestmark = pytest.mark.slow

DOUBLES = ROOT / "tests" / "doubles" / "package_manager"
PACKAGES = ["python3-yaml", "python3-ruamel.yaml"]
READ = "Read the distribution markers and the installed packages"
INSTALL = "Install what the role's modules need on the node"

PLAY = role_play(
    "kube_scheduler on localhost with package doubles",
    """\
        kube_scheduler_distribution: auto
        kube_scheduler_kubeadm_manifest: {tmp}/manifests/kube-scheduler.yaml
"""
    + LOCAL_ROLE_VARS
    + """        kube_scheduler_packages: {packages}
        ansible_package_use: ansible.legacy.package_manager_double
""",
)


@pytest.fixture
def site(tmp_path, health_double):
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / "kube-scheduler.yaml").write_bytes((FIXTURES / "kube-scheduler-v1.25.yaml.txt").read_bytes())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python_shim(bin_dir, "dpkg-query", DOUBLES / "dpkg_query_double.py")
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAY.format(tmp=tmp_path, url=health_double["url"], packages=json.dumps(PACKAGES)))
    return {"playbook": playbook, "bin": bin_dir, "log": tmp_path / "package-calls.jsonl"}


def run(site, installed, *args):
    env = ansible_env(
        "ansible.builtin.json",
        ANSIBLE_LIBRARY=str(DOUBLES),
        LVMKUBE_DPKG_DOUBLE_INSTALLED=",".join(installed),
        LVMKUBE_PACKAGE_DOUBLE_LOG=str(site["log"]),
    )
    env["PATH"] = f"{site['bin']}{os.pathsep}{env['PATH']}"
    proc = run_playbook(site["playbook"], *args, env=env)
    output = json_output(proc)
    assert proc.returncode == 0 and output, proc.stdout[-4000:] + proc.stderr[-2000:]
    results = {
        task["task"]["name"].rpartition(" : ")[2]: task["hosts"]["localhost"]
        for play in output["plays"]
        for task in play["tasks"]
        if "localhost" in task["hosts"]
    }
    return output["stats"]["localhost"], results


def package_calls(site):
    if not site["log"].exists():
        return []
    return [json.loads(line) for line in site["log"].read_text().splitlines()]


def test_installed_packages_are_not_handed_to_the_package_manager(site):
    for args in (["--check", "--diff"], [], []):
        stats, results = run(site, PACKAGES, *args)
        assert results[READ]["packages_missing"] == []
        assert results[READ]["paths"][str(site["playbook"].parent / "manifests" / "kube-scheduler.yaml")]["exists"]
        assert results[INSTALL].get("skipped") is True, results[INSTALL]
    assert stats["changed"] == 0  # the second real run
    assert package_calls(site) == []
    # the same holds for the configuration files: one read, no file or copy module on the second run
    assert results["Read the scheduler configuration files on the node"]["files_to_write"] == []
    for name in ("Create the scheduler configuration directory", "Write the scheduler configuration files"):
        assert results[name].get("skipped") is True, (name, results[name])


def test_a_missing_package_is_installed_through_the_package_manager(site):
    _stats, results = run(site, PACKAGES[:1], "--check", "--diff")
    assert results[READ]["packages_missing"] == ["python3-ruamel.yaml"]
    assert results[INSTALL]["changed"] is True
    assert package_calls(site) == [{"name": PACKAGES, "state": "present", "check_mode": True}]

    _stats, results = run(site, PACKAGES[:1])
    assert results[INSTALL]["changed"] is True
    assert package_calls(site)[1:] == [{"name": PACKAGES, "state": "present", "check_mode": False}]
