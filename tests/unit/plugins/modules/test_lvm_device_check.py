# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of lvm_device_check's parsing and classification, on outputs captured from loop devices
(util-linux 2.38/2.39, lvm2 2.03)."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.modules import lvm_device_check
from ansible_collections.lvmkube.cluster.plugins.modules.lvm_device_check import (
    classify,
    inspect,
    parse_blkid_export,
    parse_lsblk_json,
    parse_lvm_report,
    parse_wipefs_json,
    pool_size_wanted,
    refusal_message,
    signature_reasons,
    thin_pools_to_change,
    volume_groups_to_change,
    wipe_by_volume_group,
)

BLKID_EXT4 = """DEVNAME=/dev/loop0
UUID=bf2de5be-fb02-4839-b55a-c9e9c057b344
VERSION=1.0
BLOCK_SIZE=1024
TYPE=ext4
USAGE=filesystem
"""
BLKID_DOS = """DEVNAME=/dev/loop4
PTUUID=1234abcd
PTTYPE=dos
"""
BLKID_PV = """DEVNAME=/dev/loop2
UUID=NUuD02-Ah0d-CQ39-kkv2-GNag-xM0O-11h9UD
VERSION=LVM2\\ 001
TYPE=LVM2_member
USAGE=raid
"""
WIPEFS_EXT4 = """{
   "signatures": [
      {
         "device": "loop0",
         "offset": "0x438",
         "type": "ext4",
         "uuid": "bf2de5be-fb02-4839-b55a-c9e9c057b344",
         "label": null
      }
   ]
}
"""
WIPEFS_EMPTY = """{
   "signatures": [

   ]
}
"""
WIPEFS_GPT = """{
   "signatures": [
      {"device": "vdb", "offset": "0x200", "type": "gpt", "uuid": null, "label": null},
      {"device": "vdb", "offset": "0x3ffffe00", "type": "gpt", "uuid": null, "label": null},
      {"device": "vdb", "offset": "0x1fe", "type": "PMBR", "uuid": null, "label": null}
   ]
}
"""
LSBLK_PARTITIONED = """{
   "blockdevices": [
      {
         "name": "loop4",
         "path": "/dev/loop4",
         "type": "loop",
         "fstype": null,
         "mountpoint": null,
         "children": [
            {
               "name": "loop4p1",
               "path": "/dev/loop4p1",
               "type": "part",
               "fstype": "ext4",
               "mountpoint": "/srv/data"
            }
         ]
      }
   ]
}
"""
LSBLK_PLAIN = """{
   "blockdevices": [
      {"name": "loop3", "path": "/dev/loop3", "type": "loop", "fstype": null, "mountpoint": null}
   ]
}
"""
PVS = """  {
      "report": [
          {
              "pv": [
                  {"pv_name":"/dev/loop2", "vg_name":"e_capvg"},
                  {"pv_name":"/dev/loop5", "vg_name":""}
              ]
          }
      ]
  }
"""
VGS = """  {
      "report": [
          {
              "vg": [
                  {"vg_name":"e_capvg"}
              ]
          }
      ]
  }
"""


def test_parse_lvm_report():
    assert parse_lvm_report(PVS, "pv") == [
        {"pv_name": "/dev/loop2", "vg_name": "e_capvg"},
        {"pv_name": "/dev/loop5", "vg_name": ""},
    ]
    assert parse_lvm_report(VGS, "vg") == [{"vg_name": "e_capvg"}]
    assert parse_lvm_report("", "pv") == []


def test_parse_blkid_export():
    assert parse_blkid_export(BLKID_EXT4)["TYPE"] == "ext4"
    assert parse_blkid_export(BLKID_EXT4)["USAGE"] == "filesystem"
    assert parse_blkid_export(BLKID_PV)["VERSION"] == "LVM2 001"
    assert parse_blkid_export(BLKID_DOS) == {"DEVNAME": "/dev/loop4", "PTUUID": "1234abcd", "PTTYPE": "dos"}
    assert parse_blkid_export("") == {}


def test_parse_wipefs_json():
    assert parse_wipefs_json(WIPEFS_EXT4) == ["ext4"]
    assert parse_wipefs_json(WIPEFS_EMPTY) == []
    assert parse_wipefs_json(WIPEFS_GPT) == ["gpt", "gpt", "PMBR"]
    assert parse_wipefs_json("") == []


def test_parse_lsblk_json():
    assert parse_lsblk_json(LSBLK_PARTITIONED) == (["/dev/loop4p1"], ["/srv/data"])
    assert parse_lsblk_json(LSBLK_PLAIN) == ([], [])
    modern = '{"blockdevices": [{"name": "vdb", "path": "/dev/vdb", "mountpoints": ["/a", null, "/b"]}]}'
    assert parse_lsblk_json(modern) == ([], ["/a", "/b"])


def test_signature_reasons():
    assert signature_reasons(parse_blkid_export(BLKID_EXT4), ["ext4"], [], False) == ["ext4 filesystem"]
    assert signature_reasons(parse_blkid_export(BLKID_DOS), ["dos"], ["/dev/loop4p1"], False) == [
        "dos partition table",
        "partitions /dev/loop4p1",
    ]
    assert signature_reasons({"PTTYPE": "gpt"}, ["gpt", "gpt", "PMBR"], [], False) == ["gpt partition table"]
    assert signature_reasons({"TYPE": "swap", "USAGE": "other"}, ["swap"], [], False) == ["swap other signature"]
    # a signature only wipefs sees is still reported
    assert signature_reasons({}, ["zfs_member"], [], False) == ["zfs_member signature"]
    # an LVM label pvs reports is judged by its volume group, one pvs does not know is refused
    assert signature_reasons(parse_blkid_export(BLKID_PV), ["LVM2_member"], [], True) == []
    assert signature_reasons(parse_blkid_export(BLKID_PV), ["LVM2_member"], [], False) == [
        "LVM physical volume signature that pvs does not report"
    ]
    assert signature_reasons({}, [], [], False) == []


def facts(**kwargs):
    base = {"exists": True, "is_block": True, "pv_vg": None, "blkid": {}, "wipefs": [], "children": []}
    base.update(kwargs)
    return base


EXT4 = {"blkid": parse_blkid_export(BLKID_EXT4), "wipefs": ["ext4"]}


@pytest.mark.parametrize(
    ("force_wipe", "device_facts", "expected"),
    [
        (False, facts(), ("free", [], False)),
        (False, facts(exists=False), ("missing", ["does not exist"], True)),
        (True, facts(exists=False), ("missing", ["does not exist"], True)),
        (False, facts(is_block=False), ("refused", ["is not a block device"], True)),
        (False, facts(**EXT4), ("refused", ["ext4 filesystem"], False)),
        (True, facts(**EXT4), ("wipe", ["ext4 filesystem"], False)),
        (True, facts(mountpoints=["/mnt"], **EXT4), ("refused", ["mounted at /mnt"], True)),
        (False, facts(pv_vg="vg1", blkid=parse_blkid_export(BLKID_PV)), ("member", [], False)),
        (False, facts(pv_vg="", blkid=parse_blkid_export(BLKID_PV)), ("unused_pv", [], False)),
        (
            False,
            facts(pv_vg="other", blkid=parse_blkid_export(BLKID_PV)),
            ("refused", ["physical volume of volume group other"], False),
        ),
        (
            True,
            facts(pv_vg="other", blkid=parse_blkid_export(BLKID_PV)),
            ("wipe", ["physical volume of volume group other"], False),
        ),
        (True, facts(pv_vg="other", holders=["dm-0"]), ("refused", ["in use by dm-0"], True)),
        # a PV of our own volume group with active logical volumes is fine
        (False, facts(pv_vg="vg1", holders=["dm-0"]), ("member", [], False)),
        (
            True,
            facts(duplicate_of="/dev/disk/by-id/x"),
            ("refused", ["same device as /dev/disk/by-id/x (listed twice)"], True),
        ),
    ],
)
def test_classify(force_wipe, device_facts, expected):
    assert classify("vg1", force_wipe, device_facts) == expected


def test_refusal_message_names_device_group_class_and_hint():
    entry = {
        "path": "/dev/disk/by-id/virtio-fsdisk",
        "real_path": "/dev/vde",
        "volume_group": "vgfs",
        "state": "refused",
        "reasons": ["ext4 filesystem"],
        "hard": False,
    }
    assert refusal_message(entry, ["ssd"]) == (
        "device /dev/disk/by-id/virtio-fsdisk (-> /dev/vde) for volume group vgfs (device class ssd): "
        "ext4 filesystem; set force_wipe: true on the device class to wipe it"
    )
    entry.update(path="/dev/vde", reasons=["mounted at /mnt"], hard=True)
    assert refusal_message(entry, []) == "device /dev/vde for volume group vgfs: mounted at /mnt"


class FakeInspector:
    """Stands in for the command runner: facts per real path."""

    def __init__(self, pvs, per_device):
        self._pvs = pvs
        self._per_device = per_device
        self.inspected = []

    def physical_volumes(self):
        return self._pvs

    def device_facts(self, real_path):
        self.inspected.append(real_path)
        return self._per_device.get(real_path, {})


def test_inspect_resolves_links_and_spots_the_same_disk_twice(tmp_path):
    # /dev/null is a character device, not a block device; a symlink to it must be resolved.
    link = tmp_path / "by-id-null"
    link.symlink_to("/dev/null")
    inspector = FakeInspector({}, {})
    groups = [
        {"name": "vg1", "devices": [str(link), "/dev/null", str(tmp_path / "absent")], "force_wipe": False},
    ]
    entries = inspect(inspector, groups)
    states = [(e["path"], e["real_path"], e["state"], e["reasons"]) for e, _classes in entries]
    assert states == [
        (str(link), "/dev/null", "refused", ["is not a block device"]),
        ("/dev/null", "/dev/null", "refused", ["is not a block device"]),
        (str(tmp_path / "absent"), str(tmp_path / "absent"), "missing", ["does not exist"]),
    ]
    assert inspector.inspected == []  # never probes what is not a block device


def test_inspect_block_devices_with_pvs_and_signatures(tmp_path, monkeypatch):
    class AllBlock:
        @staticmethod
        def S_ISBLK(_mode):
            return True

    monkeypatch.setattr(lvm_device_check, "stat", AllBlock)
    disks = {name: tmp_path / name for name in ("vdb", "vdc", "vdd")}
    for disk in disks.values():
        disk.touch()
    by_id = tmp_path / "virtio-data1"
    by_id.symlink_to(disks["vdb"])
    inspector = FakeInspector(
        {str(disks["vdc"]): "vg1", str(disks["vdd"]): "other"},
        {str(disks["vdb"]): EXT4},
    )
    groups = [
        {"name": "vg1", "devices": [str(by_id), str(disks["vdc"]), str(disks["vdb"])], "force_wipe": False},
        {"name": "vg2", "devices": [str(disks["vdd"])], "force_wipe": True, "classes": ["thin"]},
    ]
    entries = inspect(inspector, groups)
    assert [(e["real_path"], e["state"], e["reasons"], e["hard"]) for e, _c in entries] == [
        (str(disks["vdb"]), "refused", ["ext4 filesystem"], False),
        (str(disks["vdc"]), "member", [], False),
        (str(disks["vdb"]), "refused", [f"same device as {by_id} (listed twice)"], True),
        (str(disks["vdd"]), "wipe", ["physical volume of volume group other"], False),
    ]
    assert entries[3][1] == ["thin"]


def test_wipe_by_volume_group_keeps_listed_paths_in_order():
    entries = [
        {"path": "/dev/disk/by-id/virtio-wipe1", "volume_group": "vgreuse", "state": "wipe"},
        {"path": "/dev/disk/by-id/virtio-data1", "volume_group": "myvg1", "state": "free"},
        {"path": "/dev/vdd", "volume_group": "vgreuse", "state": "wipe"},
        {"path": "/dev/vde", "volume_group": "other", "state": "refused"},
    ]
    assert wipe_by_volume_group(entries) == {"vgreuse": ["/dev/disk/by-id/virtio-wipe1", "/dev/vdd"]}
    assert wipe_by_volume_group([]) == {}


MIB = 1024 * 1024


def pv(name, vg, *, dev_mib=1024, pv_mib=1020, pe_start_mib=1, extent_mib=4):
    return {
        "pv_name": name, "vg_name": vg, "dev_size": dev_mib * MIB, "pv_size": pv_mib * MIB,
        "pe_start": pe_start_mib * MIB, "vg_extent_size": extent_mib * MIB,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("devices", "rows", "options", "expected"),
    [
        (["/dev/vdb"], [pv("/dev/vdb", "vg1")], {}, []),
        (["/dev/vdb"], [], {}, ["vg1"]),  # the volume group does not exist
        (["/dev/vdb", "/dev/vdc"], [pv("/dev/vdb", "vg1")], {}, ["vg1"]),  # a device to add
        (["/dev/vdb"], [pv("/dev/vdb", "vg1"), pv("/dev/vdc", "vg1")], {}, []),  # extra PV kept
        (["/dev/vdb"], [pv("/dev/vdb", "vg1"), pv("/dev/vdc", "vg1")], {"remove_extra_pvs": True}, ["vg1"]),
        (["/dev/vdb"], [pv("/dev/vdb", "vg1", dev_mib=2048)], {}, []),  # grown, pvresize off
        (["/dev/vdb"], [pv("/dev/vdb", "vg1", dev_mib=2048)], {"pvresize": True}, ["vg1"]),
        (["/dev/vdb"], [pv("/dev/vdb", "vg1", dev_mib=1025)], {"pvresize": True}, []),  # one extent: lvg's >
        (["/dev/vdb"], [pv("/dev/vdb", "vg1", dev_mib=1026)], {"pvresize": True}, ["vg1"]),
        (["/dev/vdb"], [pv("/dev/vdb", "other")], {}, ["vg1"]),
        ([], [], {}, []),  # no devices: lvg is not called for it
    ],
)
def test_volume_groups_to_change_follows_lvg(devices, rows, options, expected):
    existing = {row["vg_name"] for row in rows}
    groups = [{"name": "vg1", "real_paths": devices}]
    result = volume_groups_to_change(
        groups, rows, existing, options.get("pvresize", False), options.get("remove_extra_pvs", False)
    )
    assert result == expected


def test_pool_size_wanted_rounds_down_to_an_extent_like_lvol():
    assert pool_size_wanted(90, 1020.0, 4.0) == 916.0  # 918 MiB rounded down
    assert pool_size_wanted(100, 1020.0, 4.0) == 1020.0
    assert pool_size_wanted(50, 2044.0, 4.0) == 1020.0  # 1022 MiB rounded down


VG_ROWS = {"vg2": {"vg_size": 1020.0, "vg_extent_size": 4.0}}
GROUPS = [{"name": "vg2", "thin_pools": [{"name": "pool0", "size_percent": 90}]}, {"name": "vg1", "thin_pools": []}]


def lv(size, attr="twi-a-tz--", name="pool0"):
    return {"vg_name": "vg2", "lv_name": name, "lv_size": size, "lv_attr": attr}


@pytest.mark.parametrize(
    ("vg_rows", "lv_rows", "vgs_changing", "expected"),
    [
        (VG_ROWS, [lv(916.0)], [], []),
        (VG_ROWS, [lv(920.0)], [], []),  # larger: lvol never shrinks here
        (VG_ROWS, [lv(912.0)], [], ["vg2/pool0"]),  # the volume group grew
        (VG_ROWS, [lv(916.0, name="other")], [], ["vg2/pool0"]),  # missing
        (VG_ROWS, [lv(916.0, attr="-wi-a-----")], [], ["vg2/pool0"]),  # not a thin pool
        (VG_ROWS, [lv(916.0)], ["vg2"], ["vg2/pool0"]),  # its volume group changes first
        ({}, [], [], ["vg2/pool0"]),  # no volume group yet
    ],
)
def test_thin_pools_to_change_follows_lvol(vg_rows, lv_rows, vgs_changing, expected):
    assert thin_pools_to_change(GROUPS, vg_rows, lv_rows, vgs_changing) == expected


def test_tools_missing_names_the_commands_not_found(run_module, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("lvm", "thin_check"):
        (bin_dir / name).write_text("#!/bin/sh\n")
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    result = run_module(lvm_device_check, tools=["lvm", "thin_check", "no_such_lvm_tool"])
    assert result["rc"] == 0, result
    assert result["tools_missing"] == ["no_such_lvm_tool"]
    (bin_dir / "lvm").chmod(0o644)  # not executable: not a tool
    result = run_module(lvm_device_check, tools=["lvm_not_here_either", "thin_check"])
    assert result["tools_missing"] == ["lvm_not_here_either"]
