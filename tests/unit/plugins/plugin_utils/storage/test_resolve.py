# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which device classes a host has: one resolution for the lvm role, lvmd and TopoLVM."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage.device_classes import (
    DeviceClassError,
    device_classes,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage.resolve import resolve_device_classes

SSD = {"name": "ssd", "volume_group": "vg-ssd", "default": True}
HDD = {"name": "hdd", "volume_group": "vg-hdd"}
SSD_ELSEWHERE = {"name": "ssd", "volume_group": "vg-other", "default": True}
THIN = {"name": "thin", "volume_group": "vg-ssd", "thin_pool": {"name": "pool0", "overprovision_ratio": 2.0}}
# Valid lists, the empty one included (a host without device classes).
LISTS = [[], [SSD], [SSD, HDD], [HDD | {"default": True}], [SSD_ELSEWHERE], [SSD, THIN], [THIN | {"default": True}]]


def test_each_consumer_reads_its_own_variable_first():
    variables = {"lvmkube_device_classes": [SSD, HDD], "lvmd_device_classes": [SSD]}
    assert resolve_device_classes("node1", variables, "lvmd") == ("lvmd_device_classes", [SSD])
    assert resolve_device_classes("node1", variables, "lvm") == ("lvmkube_device_classes", [SSD, HDD])
    variables = {"lvmkube_device_classes": [SSD], "lvm_device_classes": [SSD, HDD]}
    assert resolve_device_classes("node1", variables, "lvm") == ("lvm_device_classes", [SSD, HDD])
    assert resolve_device_classes("node1", variables, "lvmd") == ("lvmkube_device_classes", [SSD])


def test_nothing_set_is_no_device_classes():
    assert resolve_device_classes("node1", {}, "lvm") == (None, [])
    assert resolve_device_classes("node1", {"other": 1}, "lvmd") == (None, [])


def test_null_is_unset_and_an_empty_list_is_set():
    variables = {"lvmkube_device_classes": [SSD], "lvmd_device_classes": None}
    assert resolve_device_classes("node1", variables, "lvmd") == ("lvmkube_device_classes", [SSD])
    variables = {"lvmkube_device_classes": [SSD], "lvmd_device_classes": []}
    assert resolve_device_classes("node1", variables, "lvmd") == ("lvmd_device_classes", [])


def test_role_variables_set_twice_and_different_fail_naming_host_and_both_variables():
    # A group-level lvm_device_classes next to a host-level lvmd_device_classes: the lvm role would create other
    # volume groups than lvmd serves. Every consumer refuses, whichever asks.
    variables = {"lvm_device_classes": [SSD, HDD], "lvmd_device_classes": [SSD_ELSEWHERE]}
    for consumer in ("lvm", "lvmd"):
        with pytest.raises(DeviceClassError) as error:
            resolve_device_classes("storage-7", variables, consumer)
        message = str(error.value)
        assert message.startswith("host storage-7: lvm_device_classes and lvmd_device_classes are both set and differ")
        assert "only in lvm_device_classes: hdd" in message
        assert "different in the two: ssd" in message
        assert "lvmkube_device_classes" in message


def test_role_variables_set_twice_alike_are_accepted_in_any_order_and_spelling():
    spelled_out = [dict(HDD, devices=[], force_wipe=False), dict(SSD, lvcreate_options=[])]
    variables = {"lvm_device_classes": [SSD, HDD], "lvmd_device_classes": spelled_out}
    assert resolve_device_classes("node1", variables, "lvm") == ("lvm_device_classes", [SSD, HDD])
    assert resolve_device_classes("node1", variables, "lvmd") == ("lvmd_device_classes", spelled_out)


def test_only_lvmd_has_a_class_is_a_conflict_too():
    with pytest.raises(DeviceClassError, match=r"only in lvmd_device_classes: hdd"):
        resolve_device_classes("n", {"lvm_device_classes": [SSD], "lvmd_device_classes": [SSD, HDD]}, "lvmd")
    with pytest.raises(DeviceClassError, match=r"only in lvmd_device_classes: ssd"):
        resolve_device_classes("n", {"lvm_device_classes": [], "lvmd_device_classes": [SSD]}, "lvm")


@pytest.mark.parametrize("value", ["ssd", {"name": "ssd"}, 3, True, b"x"])
@pytest.mark.parametrize("name", ["lvmkube_device_classes", "lvm_device_classes", "lvmd_device_classes"])
def test_a_non_list_fails_naming_host_and_variable(name, value):
    # Also when another variable would have been chosen: a set variable that is no list is a broken inventory.
    for consumer in ("lvm", "lvmd"):
        with pytest.raises(DeviceClassError, match=rf"^host node9: {name} must be a list of device classes"):
            resolve_device_classes("node9", {name: value}, consumer)


def test_an_invalid_chosen_list_fails_naming_host_and_variable():
    with pytest.raises(DeviceClassError, match=r"^host node2: lvmd_device_classes: exactly one device class"):
        resolve_device_classes("node2", {"lvmd_device_classes": [HDD]}, "lvmd")
    with pytest.raises(DeviceClassError, match=r"^host node2: lvmkube_device_classes: device class #1 must be a dict"):
        resolve_device_classes("node2", {"lvmkube_device_classes": ["ssd"]}, "lvm")
    # an overridden lvmkube_device_classes is not used, so not judged beyond being a list
    assert resolve_device_classes("n", {"lvmkube_device_classes": [HDD], "lvm_device_classes": [SSD]}, "lvm")[1] == [
        SSD
    ]


def test_bad_consumer_and_variables_are_refused():
    with pytest.raises(DeviceClassError, match="lvm or lvmd, not 'topolvm'"):
        resolve_device_classes("n", {}, "topolvm")
    with pytest.raises(DeviceClassError, match="host n: the variables must be a dict, got list"):
        resolve_device_classes("n", [], "lvm")


_VALUE = st.one_of(st.none(), st.sampled_from(LISTS))
_VARIABLES = st.fixed_dictionaries(
    {},
    optional={
        "lvmkube_device_classes": _VALUE,
        "lvm_device_classes": _VALUE,
        "lvmd_device_classes": _VALUE,
        "topolvm_device_classes": _VALUE,
    },
)


def _by_name(value):
    return {dc["name"]: dc for dc in device_classes(value, allow_empty=True)}


@given(_VARIABLES)
def test_property_the_precedence_and_the_conflict_rule(variables):
    lvm, lvmd = variables.get("lvm_device_classes"), variables.get("lvmd_device_classes")
    shared = variables.get("lvmkube_device_classes")
    conflict = lvm is not None and lvmd is not None and _by_name(lvm) != _by_name(lvmd)
    for consumer, own in (("lvm", lvm), ("lvmd", lvmd)):
        if conflict:
            with pytest.raises(DeviceClassError, match="are both set and differ"):
                resolve_device_classes("h", variables, consumer)
            continue
        expected = own if own is not None else shared if shared is not None else []
        assert resolve_device_classes("h", variables, consumer)[1] == expected
    if not conflict and lvm is not None and lvmd is not None:
        # both set and alike: both roles see the same device classes
        assert _by_name(resolve_device_classes("h", variables, "lvm")[1]) == _by_name(
            resolve_device_classes("h", variables, "lvmd")[1]
        )


@given(st.dictionaries(st.sampled_from(["node-a", "node-b", "node-c"]), _VARIABLES, min_size=1))
def test_property_topolvm_renders_for_each_node_what_lvmd_serves_there(hostvars):
    hosts = list(hostvars)
    outcomes = {}
    for host in hosts:
        try:
            outcomes[host] = resolve_device_classes(host, hostvars[host], "lvmd")[1]
        except DeviceClassError as exc:
            outcomes[host] = exc
    failures = [host for host in hosts if isinstance(outcomes[host], DeviceClassError)]
    if failures:
        # the first host in inventory order that conflicts is the one named
        with pytest.raises(AnsibleFilterError, match=f"host {failures[0]}: "):
            topolvm_manifests.topolvm_inventory_nodes(hosts, hostvars)
        return
    nodes = topolvm_manifests.topolvm_inventory_nodes(hosts, hostvars)
    assert nodes == [{"name": host, "device_classes": outcomes[host]} for host in hosts]
