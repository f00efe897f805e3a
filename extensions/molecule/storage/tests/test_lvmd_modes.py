# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the lvm and lvmd roles must leave on a Debian VM in each stage of the lvmd_modes part of the storage
scenario (see molecule.yml).

/var/lib/lvmkube-test/stage is the stage converge.yml asks for; /var/lib/lvmkube-test/converged is the stage that
converged for real (check mode never writes it).
"""

from __future__ import annotations

import hashlib
import json
import pathlib

import pytest
import vmtest

STATE_DIR = "/var/lib/lvmkube-test"
DISKS = {name: f"/dev/disk/by-id/virtio-{name}" for name in ("data1", "wipe1", "wipe2")}
DOUBLE = pathlib.Path(__file__).resolve().parents[4] / "tests" / "doubles" / "lvmd" / "lvmd_double.py"
MARKER = "marker written by prepare.yml - must survive check mode"
BINARY = "/opt/sbin/lvmd"
CONFIG = "/etc/topolvm/lvmd.yaml"
UNIT = "/etc/systemd/system/lvmd.service"
SOCKET = "/run/topolvm/lvmd.sock"
DOWNLOADS = "/var/cache/lvmkube/lvmd"
MIB = 1024 * 1024
GROW_DEVICE = "/dev/loop7"
GROW_SIZES = {"legacy": 128 * MIB, "modern": 256 * MIB}
MODERN_LVMD_YAML = """\
socket-name: /run/topolvm/lvmd.sock
device-classes:
  - name: ssd
    volume-group: myvg1
    default: true
    spare-gb: 1
  - name: reuse
    volume-group: vgreuse
    default: false
    type: thin
    thin-pool:
      name: pool0
      overprovision-ratio: 2.0
"""
HANG_FILES = ("/usr/local/sbin/lvmd-hangs", "/etc/topolvm-hangs/lvmd.yaml", "/etc/systemd/system/lvmd-hangs.service")
EXEC_START = {
    "legacy": f"ExecStart={BINARY} --volume-group=myvg1 --listen={SOCKET} --spare=1",
    "modern": f"ExecStart={BINARY} --config={CONFIG}",
}


@pytest.fixture(autouse=True)
def lvmd_modes_part(host):
    """The lvmd_modes part of the storage scenario starts when handover.yml and lvmd_modes/prepare.yml ran."""
    if not host.file(f"{STATE_DIR}/stage").exists:
        pytest.skip("the storage scenario is in its lvm part")


@pytest.fixture
def converged(host):
    """The stage that converged for real; skips the test right after prepare + check mode."""
    path = host.file(f"{STATE_DIR}/converged")
    if not path.exists:
        pytest.skip("the roles have not run for real yet")
    return path.content_string.strip()


def real(host, path):
    return host.check_output("readlink -f %s", path)


def physical_volumes(host):
    with host.sudo():
        return {row["pv_name"]: row["vg_name"] for row in vmtest.lvm_report(host, "pvs", "-o", "pv_name,vg_name")}


def release_checksums(host):
    return json.loads(host.file(f"{STATE_DIR}/release.json").content_string)


def test_check_mode_wiped_nothing_and_installed_nothing(host):
    if host.file(f"{STATE_DIR}/converged").exists:
        pytest.skip("only right after prepare + check")
    with host.sudo():
        assert host.check_output("blkid -p -o value -s TYPE %s", DISKS["wipe1"]) == "ext4"
        marker = host.check_output(
            "d=$(mktemp -d) && mount -o ro %s $d && cat $d/marker; r=$?; umount $d; rmdir $d; exit $r", DISKS["wipe1"]
        )
    assert marker == MARKER
    assert physical_volumes(host) == {real(host, DISKS["wipe2"]): "oldvg"}
    for path in (BINARY, CONFIG, UNIT, DOWNLOADS):
        assert not host.file(path).exists, f"check mode wrote {path}"


def test_force_wipe_took_both_disks(host, converged):
    pvs = physical_volumes(host)
    assert pvs[real(host, DISKS["wipe1"])] == "vgreuse"
    assert pvs[real(host, DISKS["wipe2"])] == "vgreuse"
    assert pvs[GROW_DEVICE] == "vgreuse"
    assert pvs[real(host, DISKS["data1"])] == "myvg1"
    assert "oldvg" not in pvs.values()
    with host.sudo():
        assert host.check_output("blkid -p -o value -s TYPE %s", DISKS["wipe1"]) == "LVM2_member"
        lvs = vmtest.lvm_report(host, "lvs", "-o", "vg_name,lv_name,lv_attr")
    assert [(lv["vg_name"], lv["lv_name"]) for lv in lvs if lv["lv_attr"].startswith("t")] == [("vgreuse", "pool0")]


def test_grown_disk_resized_and_thin_pool_follows(host, converged):
    with host.sudo():
        pvs = vmtest.lvm_report(host, "pvs", "-o", "pv_name,pv_size")
        vgs = vmtest.lvm_report(host, "vgs", "-o", "vg_name,vg_size")
        pools = vmtest.lvm_report(host, "lvs", "-o", "vg_name,lv_name,lv_size")
    pv_size = {row["pv_name"]: int(row["pv_size"]) for row in pvs}
    vg_size = {row["vg_name"]: int(row["vg_size"]) for row in vgs}
    device = GROW_SIZES["legacy" if converged == "legacy" else "modern"]
    # LVM keeps 1 MiB for its label and metadata and rounds down to 4 MiB extents
    assert device - 8 * MIB <= pv_size[GROW_DEVICE] <= device, pv_size
    pool = next(int(lv["lv_size"]) for lv in pools if (lv["vg_name"], lv["lv_name"]) == ("vgreuse", "pool0"))
    # 80%VG, rounded up to whole 4 MiB extents; at least 75% of the grown VG means the pool grew with it
    assert 0.75 * vg_size["vgreuse"] <= pool <= 0.80 * vg_size["vgreuse"] + 4 * MIB, (pool, vg_size["vgreuse"])


def test_release_download_was_verified(host, converged):
    if converged == "managed":
        pytest.skip("the host lvmd is removed in stage managed")
    version = "0.2.2" if converged == "legacy" else "0.41.0"
    tarball = host.file(f"{DOWNLOADS}/lvmd-{version}.tar.gz")
    assert tarball.sha256sum == release_checksums(host)[version]
    binary = host.file(BINARY)
    assert binary.mode == 0o755
    assert binary.sha256sum == hashlib.sha256(DOUBLE.read_bytes()).hexdigest()


def test_unit_and_flags(host, converged):
    if converged == "managed":
        pytest.skip("the host lvmd is removed in stage managed")
    unit = host.file(UNIT).content_string.splitlines()
    assert EXEC_START[converged] in unit
    assert "Restart=on-failure" in unit
    service = host.service("lvmd")
    assert service.is_enabled
    assert service.is_running
    pid = vmtest.systemd_unit_property(host, "lvmd", "MainPID")
    with host.sudo():
        cmdline = host.file(f"/proc/{pid}/cmdline").content_string.replace("\0", " ")
        assert host.socket(f"unix://{SOCKET}").is_listening
    assert EXEC_START[converged].split(BINARY, 1)[1].strip() in cmdline


def test_config_file(host, converged):
    if converged == "legacy":
        # lvmd before 0.5.0 reads no file; the role writes none
        assert not host.file(CONFIG).exists
    elif converged == "modern":
        assert host.file(CONFIG).content_string == MODERN_LVMD_YAML


def test_refused_upgrade_left_lvmd_as_it_was(host, converged):
    if converged != "managed":
        pytest.skip("the upgrade is tried when leaving stage modern")
    record = json.loads(host.file(f"{STATE_DIR}/upgrade.json").content_string)
    assert "does not match the sha256 checksum" in record["refusal"]
    assert record["before"] == record["after"]
    assert all(record["before"]), "lvmd was installed before the upgrade was tried"
    assert not host.file(f"{DOWNLOADS}/lvmd-0.42.0.tar.gz").exists


def test_lvmd_without_socket_failed_clearly_and_was_removed(host, converged):
    if converged != "managed":
        pytest.skip("the hanging lvmd is tried when leaving stage modern")
    record = json.loads(host.file(f"{STATE_DIR}/hang.json").content_string)
    assert "lvmd did not come up - socket /run/topolvm-hangs/lvmd.sock missing after 10 s" in record["refusal"]
    assert "TEST DOUBLE that never opens its socket" in record["refusal"]
    for path in HANG_FILES:
        assert not host.file(path).exists, path
    assert vmtest.systemd_unit_property(host, "lvmd-hangs", "LoadState") == "not-found"


def test_managed_by_topolvm_removed_the_host_service(host, converged):
    if converged != "managed":
        pytest.skip("only in stage managed")
    for path in (BINARY, CONFIG, UNIT):
        assert not host.file(path).exists, path
    assert vmtest.systemd_unit_property(host, "lvmd", "LoadState") == "not-found"
    assert not host.file(SOCKET).exists
    with host.sudo():
        assert [proc.args for proc in host.process.filter() if BINARY in proc.args] == []
        groups = {row["vg_name"] for row in vmtest.lvm_report(host, "vgs", "-o", "vg_name")}
    assert {"myvg1", "vgreuse"} <= groups
