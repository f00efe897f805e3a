# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kube_scheduler role's kubeadm path on localhost, against the health double (no kubelet exists here).

Proves: check mode changes nothing, converge wires --config in and the double sees it, a second run
reports changed=0, absent gives back the original manifest byte for byte, a scheduler that never
becomes healthy makes the role restore the originals byte for byte and fail with the log lines,
and an unparseable manifest is refused untouched.
"""

from __future__ import annotations

import hashlib

import pytest
import yaml
from helpers.kube_scheduler import FIXTURES, LOCAL_ROLE_VARS, role_play

from .conftest import assert_second_run_unchanged, removed, rolled_back, run_playbook

pytestmark = pytest.mark.slow

PLAY = role_play(
    "kube_scheduler on localhost",
    """\
        kube_scheduler_distribution: auto
        kube_scheduler_kubeadm_manifest: {tmp}/manifests/kube-scheduler.yaml
"""
    + LOCAL_ROLE_VARS
    + """        kube_scheduler_extender_weight: 50
        kube_scheduler_packages: []
""",
)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_kubeadm_converge_idempotence_absent_and_rollback(tmp_path, health_double):
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    manifest = manifests / "kube-scheduler.yaml"
    original = (FIXTURES / "kube-scheduler-v1.25.yaml.txt").read_bytes()
    manifest.write_bytes(original)
    play = PLAY.format(tmp=tmp_path, url=health_double["url"])
    config = tmp_path / "scheduler" / "scheduler-config.yaml"

    rc, out, recap = run_playbook(tmp_path, play, "--check", "--diff")
    assert rc == 0, out
    assert recap["changed"] >= 1
    assert "+    - --config=" in out or "+  - --config=" in out
    assert manifest.read_bytes() == original
    assert not config.exists()

    rc, out, recap = run_playbook(tmp_path, play)
    assert rc == 0, out
    assert recap["changed"] >= 2
    pod = yaml.safe_load(manifest.read_text())
    assert f"--config={config}" in pod["spec"]["containers"][0]["command"]
    generated = yaml.safe_load(config.read_text())
    assert generated["apiVersion"] == "kubescheduler.config.k8s.io/v1"  # from the image tag v1.25.16
    assert generated["extenders"][0]["weight"] == 50
    assert "running with --config=" in health_double["log_file"].read_text()
    assert list((tmp_path / "backups").iterdir())  # the original went to the backup directory
    assert sorted(p.name for p in manifests.iterdir()) == ["kube-scheduler.yaml"]

    assert_second_run_unchanged(tmp_path, play)

    # absent: the double accepts a manifest without --config
    removed(tmp_path, play, health_double)
    assert manifest.read_bytes() == original
    assert not config.exists()

    # rollback: the scheduler never becomes healthy
    before = sha(manifest)
    out, recap = rolled_back(tmp_path, play, health_double)
    assert recap["failed"] == 1
    assert "did not answer 'ok'" in out
    assert "never-ok mode" in out  # the double's log lines are in the failure message
    assert sha(manifest) == before
    assert manifest.read_bytes() == original
    assert not config.exists()
    assert sorted(p.name for p in manifests.iterdir()) == ["kube-scheduler.yaml"]


def test_unparseable_manifest_is_refused_untouched(tmp_path, health_double):
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    manifest = manifests / "kube-scheduler.yaml"
    broken = b"apiVersion: v1\nkind: Pod\nspec: {containers: [\n"
    manifest.write_bytes(broken)
    play = PLAY.format(tmp=tmp_path, url=health_double["url"]).replace(
        "kube_scheduler_extender_weight: 50",
        "kube_scheduler_extender_weight: 50\n        kube_scheduler_kubernetes_version: v1.30.0",
    )
    rc, out, _recap = run_playbook(tmp_path, play)
    assert rc != 0
    assert "refusing to edit" in out
    assert manifest.read_bytes() == broken
    assert not (tmp_path / "scheduler" / "scheduler-config.yaml").exists()
    assert not (tmp_path / "backups").exists()
