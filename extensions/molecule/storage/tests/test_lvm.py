# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the lvm and lvmd roles must leave on a Debian VM, per phase of the lvm part of the storage scenario (see
molecule.yml).

The phase comes from /var/lib/lvmkube-test/phase.json, written by lvm/prepare.yml ("prepared") and by lvm/converge.yml
("converged" / "grown", with the boot id of that run) - never by check mode.
"""

from __future__ import annotations

import hashlib
import json
import pathlib

import pytest

STATE_DIR = "/var/lib/lvmkube-test"
DISKS = {name: f"/dev/disk/by-id/virtio-{name}" for name in ("data1", "data2", "data3", "fsdisk")}
DOUBLE = pathlib.Path(__file__).resolve().parents[4] / "tests" / "doubles" / "lvmd" / "lvmd_double.py"
EXPECTED_LVMD_YAML = """\
socket-name: /run/topolvm/lvmd.sock
device-classes:
  - name: ssd
    volume-group: myvg1
    default: true
    spare-gb: 1
  - name: thin
    volume-group: myvg2
    default: false
    type: thin
    thin-pool:
      name: pool0
      overprovision-ratio: 5.0
"""
ROLE_FILES = ["/etc/topolvm/lvmd.yaml", "/opt/sbin/lvmd", "/etc/systemd/system/lvmd.service"]


@pytest.fixture(autouse=True)
def lvm_part(host):
    """The lvm part of the storage scenario ends with handover.yml; after it these checks do not apply."""
    if host.file(f"{STATE_DIR}/stage").exists:
        pytest.skip("the storage scenario is in its lvmd_modes part")


def read_json(host, name):
    return json.loads(host.file(f"{STATE_DIR}/{name}").content_string)


@pytest.fixture
def phase(host):
    return read_json(host, "phase.json")


@pytest.fixture
def converged(phase):
    if phase["phase"] == "prepared":
        pytest.skip("the roles have not run for real yet (phase prepared)")
    return phase


def lvm_report(host, command, fields, section):
    with host.sudo():
        out = host.check_output(f"{command} --reportformat json -o {fields}")
    rows = []
    for report in json.loads(out)["report"]:
        rows.extend(report[section])
    return rows


def real_path(host, path):
    return host.check_output(f"readlink -f {path}")


def physical_volumes(host):
    return {row["pv_name"]: row["vg_name"] for row in lvm_report(host, "pvs", "pv_name,vg_name", "pv")}


def test_fsdisk_was_refused_by_name_and_its_data_is_intact(host):
    recorded = read_json(host, "lvm.json")
    assert DISKS["fsdisk"] in recorded["refusal"]
    assert "ext4 filesystem" in recorded["refusal"]
    assert "nothing was written" in recorded["refusal"]
    with host.sudo():
        assert host.check_output(f"blkid -p -o value -s TYPE {DISKS['fsdisk']}") == "ext4"
        marker = host.check_output(
            f"d=$(mktemp -d) && mount -o ro {DISKS['fsdisk']} $d && cat $d/marker; r=$?; umount $d; rmdir $d; exit $r"
        )
    assert marker == recorded["marker"]
    assert real_path(host, DISKS["fsdisk"]) not in physical_volumes(host)


def test_check_mode_changed_nothing(host, phase):
    if phase["phase"] != "prepared":
        pytest.skip("only right after prepare + check")
    assert physical_volumes(host) == {}
    with host.sudo():
        assert host.run("vgs myvg1").rc != 0
        assert host.run("vgs myvg2").rc != 0
    for path in ROLE_FILES:
        assert not host.file(path).exists, f"check mode wrote {path}"


def test_physical_volumes_and_volume_groups(host, converged):
    pvs = physical_volumes(host)
    assert pvs.get(real_path(host, DISKS["data1"])) == "myvg1"
    assert pvs.get(real_path(host, DISKS["data2"])) == "myvg2"
    data3 = pvs.get(real_path(host, DISKS["data3"]))
    if converged["phase"] == "grown":
        assert data3 == "myvg1", "data3 must have been added to myvg1"
    else:
        assert data3 is None, "data3 is not listed yet and must not be touched"
    groups = {row["vg_name"]: int(row["pv_count"]) for row in lvm_report(host, "vgs", "vg_name,pv_count", "vg")}
    assert groups["myvg1"] == (2 if converged["phase"] == "grown" else 1)
    assert groups["myvg2"] == 1


def test_thin_pool(host, converged):
    lvs = lvm_report(host, "lvs", "lv_name,vg_name,lv_attr,lv_size", "lv")
    pools = [lv for lv in lvs if lv["vg_name"] == "myvg2" and lv["lv_name"] == "pool0"]
    assert len(pools) == 1
    assert pools[0]["lv_attr"].startswith("t"), pools[0]
    vg = lvm_report(host, "vgs --units b --nosuffix", "vg_name,vg_size", "vg")
    vg_size = next(int(row["vg_size"]) for row in vg if row["vg_name"] == "myvg2")
    pool = lvm_report(host, "lvs --units b --nosuffix", "lv_name,vg_name,lv_size", "lv")
    pool_size = next(int(lv["lv_size"]) for lv in pool if lv["vg_name"] == "myvg2" and lv["lv_name"] == "pool0")
    assert 0.85 * vg_size <= pool_size <= 0.90 * vg_size


def test_lvmd_configuration(host, converged):
    config = host.file("/etc/topolvm/lvmd.yaml")
    assert config.content_string == EXPECTED_LVMD_YAML
    assert config.mode == 0o644


def test_lvmd_binary_is_the_double(host, converged):
    binary = host.file("/opt/sbin/lvmd")
    assert binary.mode == 0o755
    assert binary.sha256sum == hashlib.sha256(DOUBLE.read_bytes()).hexdigest()


def test_lvmd_unit(host, converged):
    unit = host.file("/etc/systemd/system/lvmd.service").content_string
    for line in (
        "Wants=lvm2-monitor.service",
        "After=lvm2-monitor.service",
        "ExecStartPre=/bin/mkdir -p /run/topolvm",
        "ExecStart=/opt/sbin/lvmd --config=/etc/topolvm/lvmd.yaml",
        "Restart=on-failure",
        "WantedBy=multi-user.target",
    ):
        assert line in unit.splitlines(), line
    service = host.service("lvmd")
    assert service.is_enabled
    assert service.is_running


def test_lvmd_socket_and_log(host, converged):
    with host.sudo():
        assert host.socket("unix:///run/topolvm/lvmd.sock").is_listening
        log = host.check_output("journalctl --unit lvmd --boot --no-pager")
    assert "THIS IS A TEST DOUBLE OF TOPOLVM LVMD" in log
    assert "device classes ssd, thin" in log
    assert "listening on /run/topolvm/lvmd.sock" in log


def test_reboot_bookkeeping(host, converged):
    boot_id = host.file("/proc/sys/kernel/random/boot_id").content_string.strip()
    if boot_id != converged["boot_id"]:
        # after the reboot side effect: the boot converge ran in must be the one the reboot left
        reboots = host.file("/var/lib/lvmkube-molecule/reboots").content_string.split()
        assert converged["boot_id"] in reboots
