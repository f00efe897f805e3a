# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host variables of one Sakura Cloud server, kubespray's variables and etcd member names."""

from __future__ import annotations

import pytest
from helpers.cloud_answers import DISCONNECTED, SHARED, USER, USER_NO_ADDR
from helpers.hostile import FAST, hostile_text, names
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import hostvars, servers


def test_interface_facts_skip_null_entries_and_keep_index():
    facts = hostvars.interface_facts([None, USER, DISCONNECTED])
    assert facts == [
        {
            "index": 1,
            "ip_address": None,
            "user_ip_address": "192.168.0.11",
            "scope": "user",
            "switch_id": 2,
            "switch_name": None,
            "mac_address": "9c:a3:ba:00:00:02",
        },
        {
            "index": 2,
            "ip_address": None,
            "user_ip_address": None,
            "scope": None,
            "switch_id": None,
            "switch_name": None,
            "mac_address": "9c:a3:ba:00:00:04",
        },
    ]


def test_host_vars_full_server():
    server = {
        "ID": 113000000001,
        "Name": "node1",
        "Tags": ["kube-master", "@ssh_user=ubuntu", "@ssh_port=2222", "@instance-type=large"],
        "Zone": {"Name": "is1a"},
        "Instance": {"Status": "up"},
        "ServerPlan": {"CPU": 4, "MemoryMB": 8192},
        "Interfaces": [SHARED],
    }
    variables, address = hostvars.host_vars(server, "is1b", "sacloud_", "nic0")
    assert address == "203.0.113.10"
    assert variables == {
        "ansible_host": "203.0.113.10",
        "ansible_user": "ubuntu",
        "ansible_port": 2222,
        "sacloud_id": 113000000001,
        "sacloud_name": "node1",
        "sacloud_zone": "is1a",
        "sacloud_tags": ["kube-master", "@ssh_user=ubuntu", "@ssh_port=2222", "@instance-type=large"],
        "sacloud_tag_vars": {"ssh_user": "ubuntu", "ssh_port": "2222", "instance-type": "large"},
        "sacloud_instance_status": "up",
        "sacloud_interfaces": hostvars.interface_facts([SHARED]),
        "sacloud_server_plan": {"cpu": 4, "memory_mb": 8192},
    }


def test_kubespray_vars_member_name_from_tag_or_server_name():
    tagged = {"Name": "m1", "Tags": ["etcd", "@etcd_member_name=etcd-a"], "Interfaces": [SHARED, USER]}
    plain = {"Name": "m2", "Tags": ["etcd"], "Interfaces": [SHARED, USER]}
    assert hostvars.kubespray_vars(tagged, "203.0.113.10", "nic0", etcd_member_name=True) == {
        "etcd_member_name": "etcd-a"
    }
    assert hostvars.kubespray_vars(plain, "203.0.113.10", "nic0", etcd_member_name=True) == {"etcd_member_name": "m2"}
    # Off by default: nothing is set.
    assert hostvars.kubespray_vars(plain, "203.0.113.10", "nic0") == {}


@pytest.mark.parametrize(
    ("nics", "connect_with", "address", "sources", "expected"),
    [
        (
            [SHARED, USER],
            "nic0",
            "203.0.113.10",
            ("private", "private"),
            {"ip": "192.168.0.11", "access_ip": "192.168.0.11"},
        ),
        (
            [SHARED, USER],
            "nic0",
            "203.0.113.10",
            ("public", "private"),
            {"ip": "203.0.113.10", "access_ip": "192.168.0.11"},
        ),
        ([SHARED, USER], "private", "192.168.0.11", ("connection", "none"), {"ip": "192.168.0.11"}),
        ([SHARED, USER], "name", "srv", ("connection", "connection"), {}),
        ([SHARED], "nic0", "203.0.113.10", ("private", "connection"), {"access_ip": "203.0.113.10"}),
        ([USER_NO_ADDR], "nic0", None, ("private", "connection"), {}),
    ],
)
def test_kubespray_vars_addresses(nics, connect_with, address, sources, expected):
    server = {"Name": "srv", "Tags": [], "Interfaces": nics}
    ip, access_ip = sources
    assert hostvars.kubespray_vars(server, address, connect_with, ip=ip, access_ip=access_ip) == expected


def test_kubespray_vars_rejects_unknown_source():
    with pytest.raises(ValueError, match="kubespray_ip must be one of none, private, public, connection"):
        hostvars.kubespray_vars({"Name": "x"}, None, "nic0", ip="ipv6")


def test_host_vars_without_address_or_valid_port():
    server = {"ID": 5, "Name": "bare", "Tags": ["@ssh_port=ssh", "@ssh_port=70000"], "Interfaces": None}
    variables, address = hostvars.host_vars(server, "tk1a", "x_", "nic0")
    assert address is None
    assert "ansible_host" not in variables
    assert "ansible_port" not in variables
    assert variables["x_zone"] == "tk1a"
    assert variables["x_server_plan"] == {"cpu": None, "memory_mb": None}
    assert variables["x_interfaces"] == []


def test_check_hostvars_prefix():
    reserved = {"name", "tags", "vars"}
    hostvars.check_hostvars_prefix("sacloud_", reserved)
    hostvars.check_hostvars_prefix("sc", reserved)
    with pytest.raises(ValueError, match="'name'"):
        hostvars.check_hostvars_prefix("", reserved)
    with pytest.raises(ValueError, match="invalid variable name"):
        hostvars.check_hostvars_prefix("sa-cloud-", reserved)
    with pytest.raises(ValueError, match="invalid variable name"):
        hostvars.check_hostvars_prefix("1x", reserved)


@FAST
@given(names, st.lists(hostile_text, max_size=4))
def test_sakura_host_vars_keep_strings_as_given_and_never_invent_connection_vars(name, tag_list):
    server = {"ID": 1, "Name": name, "Tags": tag_list, "Interfaces": [], "Zone": None}
    servers.check_server(server, 0) if name else None
    variables, address = hostvars.host_vars(server, "is1a")
    assert address is None and "ansible_host" not in variables
    assert variables["sacloud_name"] == name and variables["sacloud_tags"] == tag_list
    assert set(variables) <= {"ansible_user", "ansible_port", *hostvars.prefixed_var_names("sacloud_")}
    if "ansible_port" in variables:
        assert 0 < variables["ansible_port"] < 65536


def _record(server_id, host, tags=()):
    server = {"ID": server_id, "Name": host.split(".")[0], "Tags": list(tags)}
    return {"server": server, "host": host, "what": f"server {server_id}", "vars": {"etcd_member_name": "x"}}


def test_member_names_follow_the_unique_host_names():
    records = [_record(1, "cp-02"), _record(2, "cp-02.tk1a")]
    hostvars.set_member_names(records)
    assert [r["vars"]["etcd_member_name"] for r in records] == ["cp-02", "cp-02.tk1a"]


def test_an_explicit_member_name_that_collides_names_both_servers():
    records = [_record(1, "cp-01", ["@etcd_member_name=etcd-a"]), _record(2, "cp-02", ["@etcd_member_name=etcd-a"])]
    with pytest.raises(ValueError, match=r"server 1 \(host cp-01\) and server 2 \(host cp-02\).*'etcd-a'"):
        hostvars.set_member_names(records)
