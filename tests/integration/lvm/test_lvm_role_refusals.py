# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lvm role refusing devices on this machine's loop devices (no device-mapper is needed to refuse):
a missing device, a device carrying ext4 and a physical volume of another volume group each fail the run with
the host and the device named, and the device stays byte for byte what it was. The VM scenario
extensions/molecule/storage runs the role for real (refusal with a mounted-back marker, force_wipe)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from lvmd_helpers import play_dir, run_play

pytestmark = pytest.mark.slow
DOUBLES = Path(__file__).resolve().parents[2] / "doubles" / "package_manager"

PLAYBOOK = """
- name: The lvm role
  hosts: localhost
  gather_facts: false
  roles:
    - role: lvmkube.cluster.lvm
"""


def sh(*argv):
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def workdir():
    with play_dir(PLAYBOOK) as path:
        yield path


@pytest.fixture
def loop_device(workdir):
    """A 64 MiB loop device on a file; detached (and any test VG removed) afterwards."""
    if shutil.which("losetup") is None or shutil.which("pvs") is None:
        pytest.fail("losetup and lvm2 are needed (make setup installs them)")
    backing = workdir / "disk.img"
    with backing.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)
    device = sh("losetup", "--find", "--show", str(backing))
    yield device, backing
    pvs = subprocess.run(["pvs", "--noheadings", "-o", "vg_name", device], capture_output=True, text=True, check=False)
    for vg in pvs.stdout.split():
        subprocess.run(["vgremove", "-f", vg], capture_output=True, check=False)
    subprocess.run(["losetup", "-d", device], capture_output=True, check=False)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_role(workdir, devices, vg):
    classes = [{"name": "ssd", "volume_group": vg, "devices": devices, "default": True}]
    return run_play(workdir, {"lvm_device_classes": classes, "lvm_packages": []})


def failure_message(output):
    for play in output["plays"]:
        for task in play["tasks"]:
            result = task["hosts"].get("localhost", {})
            if result.get("failed"):
                return result["msg"]
    return None


def test_missing_device_is_named_with_the_host(workdir):
    missing = f"/dev/disk/by-id/lvmkube-functest-{uuid.uuid4().hex[:8]}"
    rc, output, text = run_role(workdir, [missing], "lvmkubefunctest")
    assert rc != 0, text
    assert failure_message(output) == f"Host localhost: device(s) not found: {missing}. Nothing was written."


def test_a_missing_device_fails_before_any_package_is_installed(workdir, monkeypatch):
    # thin_check is not installed here, so the role would install the LVM packages: the package manager is the
    # TEST DOUBLE tests/doubles/package_manager/package_manager_double.py, which logs every call it gets.
    if shutil.which("thin_check"):
        pytest.skip("thin_check is installed here: the role would install nothing anyway")
    log = workdir / "package-calls.jsonl"
    monkeypatch.setenv("ANSIBLE_LIBRARY", str(DOUBLES))
    monkeypatch.setenv("LVMKUBE_PACKAGE_DOUBLE_LOG", str(log))
    missing = f"/dev/disk/by-id/lvmkube-functest-{uuid.uuid4().hex[:8]}"
    classes = [{"name": "ssd", "volume_group": "lvmkubefunctest", "devices": [missing], "default": True}]
    variables = {
        "lvm_device_classes": classes,
        "lvm_packages": ["lvm2", "thin-provisioning-tools"],
        "ansible_package_use": "ansible.legacy.package_manager_double",
    }
    rc, output, text = run_play(workdir, variables)
    assert rc != 0, text
    assert failure_message(output) == f"Host localhost: device(s) not found: {missing}. Nothing was written."
    assert not log.exists()  # nothing was installed


def test_ext4_device_is_refused_and_left_byte_for_byte(workdir, loop_device):
    device, backing = loop_device
    sh("mkfs.ext4", "-q", "-F", "-L", "lvmkubetest", device)
    before = digest(backing)
    rc, output, text = run_role(workdir, [device], "lvmkubefunctest")
    assert rc != 0, text
    message = failure_message(output)
    assert message.startswith("Host localhost: refusing 1 device(s), nothing was written:"), message
    assert f"device {device} for volume group lvmkubefunctest (device class ssd): ext4 filesystem" in message
    assert "set force_wipe: true on the device class to wipe it" in message
    assert digest(backing) == before
    assert sh("blkid", "-p", "-o", "value", "-s", "TYPE", device) == "ext4"


def test_pv_of_another_volume_group_is_refused_and_left_byte_for_byte(workdir, loop_device):
    device, backing = loop_device
    other = f"lvmkubeother{uuid.uuid4().hex[:6]}"
    sh("vgcreate", "-q", other, device)
    before = digest(backing)
    rc, output, text = run_role(workdir, [device], "lvmkubefunctest")
    assert rc != 0, text
    assert f"physical volume of volume group {other}" in failure_message(output)
    assert digest(backing) == before
    assert sh("pvs", "--noheadings", "-o", "vg_name", device) == other
