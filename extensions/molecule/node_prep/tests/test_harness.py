# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks that the QEMU/molecule harness delivers what scenarios rely on."""

from __future__ import annotations

import vmtest


def test_distribution_matches_platform(host, platform):
    expected = {"bookworm": "12", "trixie": "13"}[platform["suite"]]
    assert host.system_info.distribution == "debian"
    assert host.system_info.release.split(".")[0] == expected


def test_hostname_is_platform_name(host, platform):
    assert host.check_output("hostname") == platform["name"]


def test_data_disks_have_stable_ids_and_sizes(host, data_disks):
    assert data_disks, "the harness platforms declare data disks"
    for disk in data_disks:
        device = host.file(disk["by_id"])
        assert device.exists, f"{disk['by_id']} missing"
        assert device.is_symlink
        assert vmtest.block_size_bytes(host, disk["by_id"]) == vmtest.size_bytes(disk["size"])


def test_root_is_mounted_by_label_and_not_a_data_disk(host, data_disks):
    root = host.mount_point("/")
    assert root.exists and root.filesystem == "ext4"
    root_device = host.check_output("readlink -f %s", root.device)
    for disk in data_disks:
        assert host.check_output("readlink -f %s", disk["by_id"]) != root_device


def test_base_image_tools_present(host):
    for package in ("lvm2", "python3", "openssh-server", "sudo", "python3-apt", "thin-provisioning-tools"):
        assert host.package(package).is_installed, package


def test_kernel_provides_modules_the_roles_need(host):
    release = host.check_output("uname -r")
    for module in ("overlay", "br_netfilter", "zram", "dm_thin_pool"):
        assert host.run("modinfo -k %s %s", release, module).rc == 0, module


def test_lvm_state_from_the_harness_play(host):
    vgs = {row["vg_name"]: row for row in vmtest.lvm_report(host, "vgs")}
    assert "harness" in vgs
    pvs = [row["pv_name"] for row in vmtest.lvm_report(host, "pvs") if row["vg_name"] == "harness"]
    assert [host.check_output("readlink -f %s", pv) for pv in pvs] == [
        host.check_output("readlink -f /dev/disk/by-id/virtio-data1")
    ]
    lvs = [row["lv_name"] for row in vmtest.lvm_report(host, "lvs", "harness")]
    assert lvs == ["probe"]


def test_mount_and_marker_survive(host):
    mount = host.mount_point("/mnt/harness")
    assert mount.exists
    assert mount.filesystem == "ext4"
    assert host.file("/mnt/harness/marker").content_string == "written by converge\n"


def test_current_boot_is_not_a_recorded_previous_boot(host, rebooted):
    previous = vmtest.previous_boot_ids(host)
    assert vmtest.boot_id(host) not in previous
    assert rebooted == bool(previous)


def test_dhcp_on_the_nat_nic(host):
    assert "default via 10.0.2.2" in host.check_output("ip -4 route show default")
    assert host.file("/etc/resolv.conf").contains("nameserver 10.0.2.3")
