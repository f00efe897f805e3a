# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lvmd role's install tasks on localhost: release tarball over HTTP on 127.0.0.1 (right and wrong checksum),
check mode, a file from the controller, an already installed binary.

The tarball holds the lvmd test double as ``lvmd`` (the real lvmd cannot be downloaded here). Only
``tasks_from: install.yml`` runs (after the read validate.yml makes), into a temporary prefix, with the service
left alone (no systemd here).
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile

import pytest
from lvmd_helpers import DOUBLE, http_server, run_playbook, short_tmpdir

pytestmark = pytest.mark.slow

VERSION = "0.41.0"
PLAYBOOK = """
- name: Install lvmd only
  hosts: localhost
  gather_facts: false
  tasks:
    # install.yml decides on the read of validate.yml (which also needs existing volume groups, not here): the
    # same module reads the same paths here.
    - name: Read lvmd's paths as the role's validate.yml does
      lvmkube.cluster.node_state_info:
        paths: ["{{ lvmd_install_path | dirname }}"]
      register: lvmd__state

    - name: Run the install tasks of the lvmd role
      ansible.builtin.include_role:
        name: lvmkube.cluster.lvmd
        tasks_from: install.yml
"""


@pytest.fixture
def site():
    """A scratch prefix and a web root serving lvmd-<version>.tar.gz with the double inside."""
    root = short_tmpdir()
    web = root / "web" / f"v{VERSION}"
    web.mkdir(parents=True)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        data = DOUBLE.read_bytes()
        info = tarfile.TarInfo("lvmd")
        info.size = len(data)
        info.mode = 0o755
        tar.addfile(info, io.BytesIO(data))
    tarball = web / f"lvmd-{VERSION}.tar.gz"
    tarball.write_bytes(buffer.getvalue())
    playbook = root / "install.yml"
    playbook.write_text(PLAYBOOK, encoding="utf-8")
    with http_server(root / "web") as url:
        yield {
            "root": root,
            "playbook": playbook,
            "sha256": hashlib.sha256(tarball.read_bytes()).hexdigest(),
            "url": f"{url}/v{VERSION}/lvmd-{VERSION}.tar.gz",
        }
    shutil.rmtree(root, ignore_errors=True)


def run(site, check_mode=False, **variables):
    values = {
        "lvmd_version": VERSION,
        "lvmd_manage_service": False,
        "lvmd_install_path": str(site["root"] / "opt" / "sbin" / "lvmd"),
        "lvmd_download_dir": str(site["root"] / "cache"),
        "lvmd_release_url": site["url"],
    }
    values.update(variables)
    extra = site["root"] / "vars.json"
    extra.write_text(json.dumps(values), encoding="utf-8")
    args = ["-e", f"@{extra}"] + (["--check", "--diff"] if check_mode else [])
    return run_playbook(site["playbook"], *args)


def task_results(output):
    """Task name (without the role prefix) -> localhost's result, from the json callback output."""
    return {
        task["task"]["name"].rpartition(" : ")[2]: task["hosts"]["localhost"]
        for play in output["plays"]
        for task in play["tasks"]
        if "localhost" in task["hosts"]
    }


def installed(site):
    return site["root"] / "opt" / "sbin" / "lvmd"


def test_release_with_the_right_checksum_installs_the_binary_once(site):
    rc, output, text = run(site, lvmd_checksum=site["sha256"])
    assert rc == 0, text
    binary = installed(site)
    assert binary.read_bytes() == DOUBLE.read_bytes()
    assert binary.stat().st_mode & 0o777 == 0o755
    assert (site["root"] / "cache" / f"lvmd-{VERSION}.tar.gz").is_file()
    assert output["stats"]["localhost"]["changed"] > 0

    rc, output, text = run(site, lvmd_checksum=f"sha256:{site['sha256'].upper()}")
    assert rc == 0, text
    assert output["stats"]["localhost"]["changed"] == 0, "second run must not change anything"
    # One read of the release files; no file, download, unpack or copy module is called again.
    results = task_results(output)
    assert results["Read the release files on the node"]["files_to_write"] == []
    for name in (
        "Create the download directory",
        "Download the release tarball, verified against its checksum",
        "Create the unpack directory",
        "Unpack the release tarball",
        "Install the binary from the tarball",
    ):
        assert results[name].get("skipped") is True, (name, results[name])

    binary.write_bytes(b"#!/bin/sh\n# replaced by hand\n")
    rc, output, text = run(site, lvmd_checksum=site["sha256"])
    assert rc == 0, text
    assert binary.read_bytes() == DOUBLE.read_bytes(), "a binary changed by hand is installed again"
    results = task_results(output)
    assert results["Install the binary from the tarball"]["changed"] is True
    assert results["Download the release tarball, verified against its checksum"].get("skipped") is True


def test_release_with_a_wrong_checksum_installs_nothing(site):
    wrong = hashlib.sha256(b"not the tarball").hexdigest()
    rc, _output, text = run(site, lvmd_checksum=wrong)
    assert rc != 0
    assert "did not match" in text and wrong in text
    assert f"lvmd {VERSION} from http://127.0.0.1:" in text
    assert f"was not installed (the tarball does not match the sha256 checksum {wrong})" in text
    assert "Nothing was installed; lvmd is as it was." in text
    assert not installed(site).exists()
    assert not (site["root"] / "opt").exists()
    cache = site["root"] / "cache"
    assert sorted(p.name for p in cache.iterdir()) == [], "no tarball and no unpacked file may be left"


def test_release_without_a_checksum_fails_before_downloading(site):
    rc, _output, text = run(site)
    assert rc != 0
    assert f"No usable sha256 checksum for lvmd {VERSION}" in text
    assert not installed(site).exists()
    assert not (site["root"] / "cache").exists()
    rc, _output, text = run(site, lvmd_checksum="1234")
    assert rc != 0 and "(got 1234)" in text


def test_check_mode_installs_nothing(site):
    rc, output, text = run(site, check_mode=True, lvmd_checksum=site["sha256"])
    assert rc == 0, text
    assert output["stats"]["localhost"]["changed"] > 0
    assert not installed(site).exists()
    assert not (site["root"] / "cache").exists()


def test_controller_file_and_present(site):
    rc, _output, text = run(site, lvmd_install_method="present")
    assert rc != 0 and "does not exist" in text

    rc, output, text = run(site, lvmd_install_method="controller_file", lvmd_controller_file=str(DOUBLE))
    assert rc == 0, text
    assert installed(site).read_bytes() == DOUBLE.read_bytes()
    assert installed(site).stat().st_mode & 0o777 == 0o755

    rc, output, text = run(site, lvmd_install_method="present")
    assert rc == 0, text
    assert output["stats"]["localhost"]["changed"] == 0


def test_unknown_method_is_refused(site):
    rc, _output, text = run(site, lvmd_install_method="apt")
    assert rc != 0 and "lvmd_install_method must be release, controller_file or present" in text
