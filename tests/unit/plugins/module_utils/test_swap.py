# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the swap discovery helpers."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils.swap import (
    fstab_source_path,
    masked_unit_names,
    parse_fstab_swaps,
    parse_proc_swaps,
    parse_unit_list,
    parse_zram_generator_sections,
    swap_unit_name,
    systemd_escape_path,
    units_to_mask,
    zram_device_of,
    zram_units,
)

PROC_SWAPS = """\
Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority
/dev/vdb1                               partition\t65532\t\t0\t\t-2
/var/lib/swap\\040file                   file\t\t32764\t\t12\t\t-3
/dev/zram0                              partition\t1015804\t\t0\t\t100
"""

FSTAB = """\
# /etc/fstab: static file system information.
UUID=0a1b-2c3d / ext4 rw,discard,errors=remount-ro 0 1
UUID=5f2e8a0c-1111-4c4c-9f9f-0123456789ab none swap sw 0 0
#/dev/vda2 none swap sw 0 0
  /swapfile   none   swap   defaults,pri=5   0 0
LABEL=my\\040swap none swap sw 0 0
PARTUUID=abcd-01 none swap
/dev/vdc1 /mnt/swapdata ext4 defaults 0 2
tmpfs /tmp tmpfs defaults 0 0
bogus-source none swap sw 0 0

"""


def test_parse_proc_swaps_reads_every_area_and_decodes_spaces():
    swaps = parse_proc_swaps(PROC_SWAPS)
    assert [swap["path"] for swap in swaps] == ["/dev/vdb1", "/var/lib/swap file", "/dev/zram0"]
    assert swaps[0] == {"path": "/dev/vdb1", "type": "partition", "size_kib": 65532, "used_kib": 0, "priority": -2}
    assert swaps[1]["type"] == "file"
    assert swaps[1]["used_kib"] == 12


def test_parse_proc_swaps_header_only_means_no_swap():
    assert parse_proc_swaps("Filename\tType\tSize\tUsed\tPriority\n") == []
    assert parse_proc_swaps("") == []


def test_parse_fstab_swaps_finds_uncommented_swap_lines_only():
    entries = parse_fstab_swaps(FSTAB)
    assert [entry["line_number"] for entry in entries] == [3, 5, 6, 7, 10]
    uuid, swapfile, label, partuuid, bogus = entries
    assert uuid["tag"] == "UUID"
    assert uuid["path"] == "/dev/disk/by-uuid/5f2e8a0c-1111-4c4c-9f9f-0123456789ab"
    assert uuid["unit"] == "dev-disk-by\\x2duuid-5f2e8a0c\\x2d1111\\x2d4c4c\\x2d9f9f\\x2d0123456789ab.swap"
    assert uuid["line"] == "UUID=5f2e8a0c-1111-4c4c-9f9f-0123456789ab none swap sw 0 0"
    assert swapfile["tag"] is None
    assert swapfile["path"] == "/swapfile"
    assert swapfile["unit"] == "swapfile.swap"
    assert swapfile["options"] == "defaults,pri=5"
    assert swapfile["line"].startswith("  /swapfile")
    assert label["source"] == "LABEL=my swap"
    assert label["path"] == "/dev/disk/by-label/my\\x20swap"
    assert label["unit"] == "dev-disk-by\\x2dlabel-my\\x5cx20swap.swap"
    assert partuuid["path"] == "/dev/disk/by-partuuid/abcd-01"
    assert partuuid["options"] == "defaults"
    assert bogus["path"] is None
    assert bogus["unit"] is None


def test_fstab_source_path_rejects_unknown_tags():
    assert fstab_source_path("FOO=bar") is None
    assert fstab_source_path("UUID=") is None
    assert fstab_source_path('UUID="abc"') == "/dev/disk/by-uuid/abc"
    assert fstab_source_path("uuid=abc") == "/dev/disk/by-uuid/abc"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "-"),
        ("/swapfile", "swapfile"),
        ("/dev/vda2", "dev-vda2"),
        ("/dev//vda2/", "dev-vda2"),
        ("/dev/disk/by-uuid/ab-cd", "dev-disk-by\\x2duuid-ab\\x2dcd"),
        ("/var/lib/swap file", "var-lib-swap\\x20file"),
        ("/.hidden/swap", "\\x2ehidden-swap"),
        ("/srv/sw\u00e4p", "srv-sw\\xc3\\xa4p"),
        ("/dev/mapper/vg-swap_1", "dev-mapper-vg\\x2dswap_1"),
    ],
)
def test_systemd_escape_path(path, expected):
    assert systemd_escape_path(path) == expected


def test_systemd_escape_path_rejects_relative_and_parent_paths():
    with pytest.raises(ValueError, match="absolute"):
        systemd_escape_path("dev/vda2")
    with pytest.raises(ValueError, match=r"\.\."):
        systemd_escape_path("/dev/../etc")


@pytest.mark.skipif(shutil.which("systemd-escape") is None, reason="systemd-escape not installed")
@pytest.mark.parametrize(
    "path",
    [
        "/dev/disk/by-uuid/5f2e8a0c-1111",
        "/var/lib/swap file",
        "/.hidden/x",
        "/srv/a:b_c.d",
        "/dev/disk/by-label/a\\x20b",
    ],
)
def test_systemd_escape_path_matches_systemd(path):
    systemd = subprocess.run(["systemd-escape", "--path", path], check=True, capture_output=True, text=True)
    assert systemd_escape_path(path) == systemd.stdout.strip()


def test_swap_unit_name():
    assert swap_unit_name("/dev/zram0") == "dev-zram0.swap"


def test_parse_unit_list_keeps_matching_units_with_state():
    list_units = (
        "dev-vdb1.swap loaded active active /dev/vdb1\n"
        "\u25cf swapfile.swap not-found inactive dead swapfile.swap\n"
        "ssh.service loaded active running OpenBSD Secure Shell server\n"
    )
    assert parse_unit_list(list_units, [".swap"]) == {"dev-vdb1.swap": "loaded", "swapfile.swap": "not-found"}
    unit_files = "dev-disk-by\\x2duuid-ab.swap generated -\nzramswap.service enabled enabled\n\n"
    assert parse_unit_list(unit_files, [".swap", ".service"]) == {
        "dev-disk-by\\x2duuid-ab.swap": "generated",
        "zramswap.service": "enabled",
    }


def test_parse_zram_generator_sections():
    config = (
        "# default\n[zram0]\nzram-size = min(ram / 2, 4096)\n\n"
        "[ zram1 ]\ncompression-algorithm = zstd\n[zram0]\n[other]\n"
    )
    assert parse_zram_generator_sections(config) == ["zram0", "zram1"]
    assert parse_zram_generator_sections("") == []


def test_zram_units_cover_generator_and_other_tools():
    assert zram_units(["zram1", "zram0", "zram0", "loop0"], {"zramswap.service": "enabled", "ssh.service": "x"}) == [
        "systemd-zram-setup@zram0.service",
        "dev-zram0.swap",
        "systemd-zram-setup@zram1.service",
        "dev-zram1.swap",
        "zramswap.service",
    ]
    assert zram_units([], {}) == []


def test_zram_device_of():
    assert zram_device_of("/dev/zram3") == "zram3"
    assert zram_device_of("/dev/vdb1") is None
    assert zram_device_of("/zram0") is None


def test_units_to_mask_unions_everything_sorted_and_unique():
    active = [{"unit": "dev-vdb1.swap", "device_units": ["dev-vdb1.swap", "dev-disk-by\\x2duuid-ab.swap"]}]
    fstab = [{"unit": "swapfile.swap", "device_units": ["swapfile.swap"]}, {"unit": None, "device_units": []}]
    known = {"dev-vda2.swap": "generated"}
    zram = ["systemd-zram-setup@zram0.service", "dev-zram0.swap"]
    assert units_to_mask(active, fstab, known, zram) == [
        "dev-disk-by\\x2duuid-ab.swap",
        "dev-vda2.swap",
        "dev-vdb1.swap",
        "dev-zram0.swap",
        "swapfile.swap",
        "systemd-zram-setup@zram0.service",
    ]
    assert units_to_mask([], [], {}, []) == []


def test_masked_unit_names_of_every_type():
    files = (
        "swap.target                          masked          disabled\n"
        "dev-vdb1.swap                        masked          -\n"
        "swapfile.swap                        generated       -\n"
        "systemd-zram-setup@.service          static          -\n"
        "zramswap.service                     masked-runtime  enabled\n"
    )
    assert masked_unit_names(files) == ["dev-vdb1.swap", "swap.target"]
