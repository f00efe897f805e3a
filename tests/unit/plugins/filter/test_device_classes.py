# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the shared device class filters."""

from __future__ import annotations

import copy

import pytest
from ansible.errors import AnsibleFilterError
from helpers.device_classes import ISSUE_EXAMPLE, classes

from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import (
    FilterModule,
    device_classes,
    host_device_classes,
    lvmd_config,
    volume_groups,
)


def test_filters_are_registered():
    assert set(FilterModule().filters()) == {
        "device_classes",
        "volume_groups",
        "lvmd_config",
        "lvmd_legacy_args",
        "host_device_classes",
    }


def test_normalise_fills_every_key_in_order():
    result = device_classes(ISSUE_EXAMPLE)
    assert [list(dc) for dc in result] == [
        [
            "name",
            "volume_group",
            "devices",
            "default",
            "spare_gb",
            "stripe",
            "stripe_size",
            "lvcreate_options",
            "type",
            "thin_pool",
            "force_wipe",
        ]
    ] * 2
    ssd, thin = result
    assert ssd["type"] == "thick" and ssd["thin_pool"] is None and ssd["force_wipe"] is False
    assert ssd["spare_gb"] == 10 and ssd["stripe"] is None and ssd["lvcreate_options"] == []
    assert thin["type"] == "thin" and thin["default"] is False and thin["spare_gb"] is None
    assert thin["thin_pool"] == {"name": "pool0", "overprovision_ratio": 5.0, "size_percent": 90}


def test_normalise_does_not_modify_input():
    original = copy.deepcopy(ISSUE_EXAMPLE)
    device_classes(ISSUE_EXAMPLE)
    assert original == ISSUE_EXAMPLE


def test_thin_pool_size_percent_defaults_to_90_and_numbers_as_strings_are_accepted():
    result = device_classes(
        classes((0, {"spare_gb": "5"}), (1, {"thin_pool": {"name": "p", "overprovision_ratio": "2"}}))
    )
    assert result[0]["spare_gb"] == 5
    assert result[1]["thin_pool"] == {"name": "p", "overprovision_ratio": 2.0, "size_percent": 90}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "at least one device class"),
        ("ssd", "must be a list"),
        ({"name": "x"}, "must be a list"),
        (["ssd"], "device class #1 must be a dict"),
        (classes((0, {"default": None})), r"exactly one device class must have default: true \(found 0: none\)"),
        (classes((1, {"default": True})), r"exactly one .*found 2: ssd, thin"),
        (classes((1, {"name": "ssd"})), "duplicate device class name 'ssd'"),
        (classes((0, {"name": None})), "device class #1: name is required"),
        (classes((0, {"name": "-bad"})), r"device class #1 \(-bad\): name must be at most 63"),
        (classes((0, {"name": "a" * 64})), "name must be at most 63"),
        (classes((1, {"volume_group": None})), r"device class #2 \(thin\): volume_group is required"),
        (classes((1, {"volume_group": "my vg"})), "volume group name 'my vg' is not a valid LVM name"),
        (classes((0, {"spare-gb": 10})), r"unknown key\(s\) spare-gb; allowed keys are name, volume_group"),
        (classes((0, {"devices": "/dev/vdb"})), "devices must be a list of strings"),
        (classes((0, {"devices": ["vdb"]})), "must be an absolute path"),
        (classes((0, {"devices": ["/dev/vdb", "/dev/vdb"]})), r"listed twice: /dev/vdb"),
        (classes((0, {"default": "yes"})), "default must be a boolean"),
        (classes((0, {"spare_gb": -1})), "spare_gb must be 0 or more"),
        (classes((0, {"spare_gb": True})), "spare_gb must be an integer"),
        (classes((0, {"spare_gb": "ten"})), "spare_gb must be an integer"),
        (classes((0, {"stripe": 0})), "stripe must be 1 or more"),
        (classes((0, {"stripe_size": "64x"})), "stripe_size must be a number above 0 with an optional unit"),
        # What LVM refuses only when the first volume is created, or later, refused here.
        # lvcreate --stripes N needs N physical volumes.
        (
            classes((0, {"stripe": 4, "devices": ["/dev/vdb", "/dev/vdd"]})),
            r"device class ssd: stripe 4 needs 4 devices, but volume group myvg1 lists 2",
        ),
        (classes((0, {"stripe_size": "k"})), r"device class #1 \(ssd\): stripe_size must be a number above 0"),
        (classes((0, {"stripe_size": "0"})), r"device class #1 \(ssd\): stripe_size must be a number above 0"),
        (classes((0, {"stripe_size": 0})), "stripe_size must be a number above 0"),
        # lvm2 lib/misc/lvm-string.c apply_lvname_restrictions (commit 0551d1c56e2e901a885aba09a94ebc391930bbc5).
        *[
            (
                classes((1, {"thin_pool": {"name": name, "overprovision_ratio": 2}})),
                rf"device class #2 \(thin\): thin_pool.name: thin pool name '{name}' {why}",
            )
            for name, why in [
                ("pool_tmeta", "contains '_tmeta', which LVM reserves"),
                ("pool_tdata", "contains '_tdata'"),
                ("x_cmeta", "contains '_cmeta'"),
                ("x_cdata", "contains '_cdata'"),
                ("x_corig", "contains '_corig'"),
                ("x_mlog", "contains '_mlog'"),
                ("x_mimage1", "contains '_mimage'"),
                ("x_rimage_0", "contains '_rimage'"),
                ("x_rmeta_0", "contains '_rmeta'"),
                ("x_vorigin", "contains '_vorigin'"),
                ("lvol0_pmspare", "contains '_pmspare'"),
                ("snapshot0", "starts with 'snapshot'"),
                ("pvmove0", "starts with 'pvmove'"),
                ("-pool", "is not a valid LVM name"),
                ("..", "is not a valid LVM name"),
            ]
        ],
        # validate_name(): at most 127 characters (NAME_LEN 128 with the NUL).
        (
            classes((0, {"volume_group": "v" * 200})),
            r"device class #1 \(ssd\): volume_group: volume group name is 200 characters long; LVM allows at most 127",
        ),
        (classes((1, {"thin_pool": {"name": "p" * 128, "overprovision_ratio": 2}})), "at most 127"),
        # VG and pool together: the device-mapper name <vg>-<pool>_tmeta ('-' doubled) fits DM_NAME_LEN.
        (
            classes((1, {"volume_group": "v" * 100, "thin_pool": {"name": "p" * 21, "overprovision_ratio": 2}})),
            r"device class #2 \(thin\): volume group 'v+' and thin pool 'p+' together make a device-mapper name of 128",
        ),
        (
            classes((1, {"volume_group": "v-" * 30, "thin_pool": {"name": "p-" * 16, "overprovision_ratio": 2}})),
            "device-mapper name of 145 characters",
        ),
        (classes((0, {"stripe": 2, "lvcreate_options": ["--stripes=2"]})), "either with stripe or in lvcreate_options"),
        (classes((0, {"lvcreate_options": [""]})), r"lvcreate_options\[0\] must be a non-empty string"),
        (classes((0, {"type": "raid"})), "type must be 'thick' or 'thin'"),
        (classes((0, {"type": "thin"})), "type thin needs thin_pool"),
        (classes((1, {"type": "thick"})), "type thick cannot have a thin_pool"),
        (classes((1, {"thin_pool": {"name": "pool0"}})), "thin_pool.overprovision_ratio is required"),
        (classes((1, {"thin_pool": {"name": "pool0", "overprovision_ratio": 0.5}})), "must be 1.0 or more"),
        (classes((1, {"thin_pool": {"name": "pool0", "overprovision_ratio": "nan"}})), "must be a finite number"),
        (classes((1, {"thin_pool": {"overprovision_ratio": 2}})), "thin_pool.name: thin pool name must be a non-empty"),
        (
            classes((1, {"thin_pool": {"name": "p", "overprovision_ratio": 2, "size_percent": 101}})),
            "size_percent must be 100 or less",
        ),
        (classes((1, {"thin_pool": {"name": "p", "overprovision_ratio": 2, "ratio": 1}})), r"unknown key\(s\) ratio"),
        (classes((1, {"thin_pool": "pool0"})), "thin_pool must be a dict"),
        (classes((0, {"force_wipe": "true"})), "force_wipe must be a boolean"),
        (
            classes((1, {"volume_group": "myvg1", "thin_pool": None})),
            "device classes 'ssd' and 'thin' both use myvg1",
        ),
        (
            classes((1, {"devices": ["/dev/disk/by-id/virtio-data1"]})),
            "device /dev/disk/by-id/virtio-data1 is listed for volume group myvg1 .* and for volume group myvg2",
        ),
    ],
)
def test_invalid_device_classes_are_refused_with_a_clear_message(value, message):
    with pytest.raises(AnsibleFilterError, match=message):
        device_classes(value)


def test_empty_list_allowed_on_request():
    assert device_classes([], allow_empty=True) == []
    assert device_classes(None, allow_empty=True) == []


def test_thick_and_thin_class_may_share_a_volume_group():
    value = classes((1, {"volume_group": "myvg1", "devices": ["/dev/disk/by-id/virtio-data1", "/dev/vdc"]}))
    groups = volume_groups(value)
    assert groups == [
        {
            "name": "myvg1",
            "devices": ["/dev/disk/by-id/virtio-data1", "/dev/vdc"],
            "force_wipe": False,
            "classes": ["ssd", "thin"],
            "thin_pools": [{"name": "pool0", "size_percent": 90}],
        }
    ]


def test_two_thin_pools_in_one_group_cannot_exceed_the_group():
    value = classes(
        (0, {"volume_group": "myvg2", "thin_pool": {"name": "other", "overprovision_ratio": 1, "size_percent": 20}})
    )
    with pytest.raises(AnsibleFilterError, match="ask for 110% of it"):
        volume_groups(value)


def test_volume_groups_force_wipe_and_order():
    groups = volume_groups(classes((1, {"force_wipe": True})))
    assert [g["name"] for g in groups] == ["myvg1", "myvg2"]
    assert [g["force_wipe"] for g in groups] == [False, True]
    assert volume_groups([]) == []


def test_normalising_twice_changes_nothing_and_renders_the_same():
    once = device_classes(ISSUE_EXAMPLE)
    assert device_classes(once) == once
    assert lvmd_config(once) == lvmd_config(ISSUE_EXAMPLE)
    assert volume_groups(once) == volume_groups(ISSUE_EXAMPLE)


def test_host_device_classes_resolves_and_reports_ansible_errors():
    assert host_device_classes({"lvmd_device_classes": ISSUE_EXAMPLE[:1]}, "lvmd", "n") == ISSUE_EXAMPLE[:1]
    with pytest.raises(AnsibleFilterError, match="host n: lvm_device_classes and lvmd_device_classes"):
        thin_default = [ISSUE_EXAMPLE[1] | {"default": True}]
        host_device_classes({"lvm_device_classes": ISSUE_EXAMPLE[:1], "lvmd_device_classes": thin_default}, "lvm", "n")
