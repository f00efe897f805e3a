# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lvm_device_check's volume_groups_to_change against community.general.lvg itself, on this machine's loop
devices: a real volume group (vgcreate works here; lvcreate does not, there is no device-mapper, so the thin
pool rule is unit-tested and proved on the VMs of extensions/molecule/storage). For each state lvg runs in
check mode, which changes nothing, and both must agree on whether the volume group would change."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid

import pytest
from helpers.ansible_compat import patch_module_args

from ansible_collections.community.general.plugins.modules import lvg as general_lvg
from ansible_collections.lvmkube.cluster.plugins.modules import lvm_device_check

pytestmark = pytest.mark.slow

MIB = 1024 * 1024


def run_module(module, capsys, **args):
    with patch_module_args(args), pytest.raises(SystemExit) as exc:
        module.main()
    result = json.loads(capsys.readouterr().out)
    assert exc.value.code == 0, result
    return result


def sh(*argv):
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def loops(tmp_path):
    """Two 64 MiB loop devices on files; detached (and the test VG removed) afterwards."""
    if shutil.which("losetup") is None or shutil.which("vgcreate") is None:
        pytest.fail("losetup and lvm2 are needed (make setup installs them)")
    devices = []
    for name in ("a.img", "b.img"):
        backing = tmp_path / name
        with backing.open("wb") as handle:
            handle.truncate(64 * MIB)
        devices.append((sh("losetup", "--find", "--show", str(backing)), backing))
    vg = f"lvmkubedecide{uuid.uuid4().hex[:6]}"
    yield vg, devices
    subprocess.run(["vgremove", "-f", vg], capture_output=True, check=False)
    for device, _backing in devices:
        subprocess.run(["pvremove", "-ff", "-y", device], capture_output=True, check=False)
        subprocess.run(["losetup", "-d", device], capture_output=True, check=False)


def decide(capsys, vg, devices, pvresize=False, remove_extra_pvs=False):
    """(ours, lvg's) answer to: would community.general.lvg change the volume group?"""
    ours = run_module(
        lvm_device_check, capsys,
        volume_groups=[{"name": vg, "devices": devices}], pvresize=pvresize, remove_extra_pvs=remove_extra_pvs,
        _ansible_check_mode=True,
    )  # fmt: skip
    theirs = run_module(
        general_lvg, capsys,
        vg=vg, pvs=devices, pvresize=pvresize, remove_extra_pvs=remove_extra_pvs, _ansible_check_mode=True,
    )  # fmt: skip
    return vg in ours["volume_groups_to_change"], theirs["changed"]


def test_volume_group_decisions_agree_with_lvg(capsys, loops):
    vg, ((first, first_file), (second, _second_file)) = loops
    assert decide(capsys, vg, [first]) == (True, True)  # no volume group yet
    sh("vgcreate", "--yes", vg, first)
    assert decide(capsys, vg, [first]) == (False, False)
    assert decide(capsys, vg, [first], pvresize=True) == (False, False)
    assert decide(capsys, vg, [first, second]) == (True, True)  # a device to add

    with first_file.open("r+b") as handle:  # the disk grows by 16 MiB
        handle.truncate(80 * MIB)
    sh("losetup", "--set-capacity", first)
    assert decide(capsys, vg, [first]) == (False, False)
    assert decide(capsys, vg, [first], pvresize=True) == (True, True)
    sh("pvresize", first)
    assert decide(capsys, vg, [first], pvresize=True) == (False, False)

    sh("vgextend", vg, second)
    assert decide(capsys, vg, [first]) == (False, False)  # an extra PV is kept...
    assert decide(capsys, vg, [first], remove_extra_pvs=True) == (True, True)  # ...unless asked to remove it
    assert decide(capsys, vg, [second, first], remove_extra_pvs=True) == (False, False)
