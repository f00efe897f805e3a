# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whole parses of the sakuracloud inventory plugin into a real InventoryData.

The network is replaced at the seam ``client.fetch_servers`` (plugin_utils/sakuracloud/client.py), which returns
server lists shaped like the API's; option handling, filtering, groups, host
variables and the cache run for real.
"""

from __future__ import annotations

import sys

import pytest
from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible.template import Templar
from helpers.ansible_compat import HAS_DATA_TAGGING, trust_as_template
from helpers.inventory_source import members, parse_source

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import cache as inventory_cache


def nic(scope, address):
    if scope is None:
        return None
    entry = {"ID": 1, "MACAddress": "9c:a3:ba:00:00:01", "IPAddress": None, "UserIPAddress": None}
    if scope == "shared":
        entry["IPAddress"] = address
        entry["Switch"] = {"ID": 100, "Scope": "shared"}
    else:
        entry["UserIPAddress"] = address
        entry["Switch"] = {"ID": 200, "Scope": "user"}
    return entry


def srv(server_id, name, zone, tags, nics=(), *, status="up"):
    return {
        "ID": server_id,
        "Name": name,
        "Tags": tags,
        "Zone": {"ID": 1, "Name": zone},
        "Instance": {"Status": status},
        "ServerPlan": {"CPU": 2, "MemoryMB": 4096},
        "Interfaces": [nic(*n) if n is not None else None for n in nics],
    }


SERVERS = {
    "is1a": [
        srv(
            1,
            "master1",
            "is1a",
            ["@cluster=ex", "kube-master", "etcd", "@ssh_user=ubuntu", "@auto-reboot"],
            [("shared", "203.0.113.1")],
        ),
        srv(
            2,
            "node1",
            "is1a",
            ["@cluster=ex", "kube-node", "@instance-type=large", "@ssh_port=2222"],
            [("user", "192.168.0.2")],
        ),
        srv(3, "other", "is1a", ["@cluster=other", "kube-node"], [("shared", "203.0.113.3")]),
        srv(4, "nonic", "is1a", ["@cluster=ex", "kube-node"], []),
        srv(5, "evil", "is1a", ["@cluster=ex", "{{ lookup('pipe','id') }}"], [None, ("shared", "203.0.113.5")]),
    ],
    "is1b": [
        srv(6, "node1", "is1b", ["@cluster=ex", "kube-node"], [("shared", "203.0.113.6")], status="down"),
    ],
}


@pytest.fixture
def fake_api(loader_ready, monkeypatch):
    plugin = inventory_loader.get("lvmkube.cluster.sakuracloud")
    # The client module the loaded plugin calls (the plugin loader may hold its own copy of the collection's modules).
    seam = sys.modules[type(plugin).__module__].client
    calls = []

    def fetch(settings):
        calls.append(settings)
        return {zone: SERVERS.get(zone, []) for zone in settings["zones"]}

    monkeypatch.setattr(seam, "fetch_servers", fetch)
    monkeypatch.delenv("CLUSTER", raising=False)
    monkeypatch.delenv("SAKURACLOUD_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("SAKURACLOUD_ACCESS_TOKEN_SECRET", raising=False)
    monkeypatch.delenv("USACLOUD_PROFILE", raising=False)
    monkeypatch.setenv("USACLOUD_PROFILE_DIR", "/nonexistent-usacloud")
    return calls


def parse(tmp_path, **options):
    config = {
        "plugin": "lvmkube.cluster.sakuracloud",
        "access_token": "tok",
        "access_token_secret": "sec",
        "zones": ["is1a", "is1b"],
    }
    config.update(options)
    return parse_source(tmp_path / "test.sakuracloud.yml", config)


def test_verify_file_needs_the_suffix(loader_ready, tmp_path):
    plugin = inventory_loader.get("lvmkube.cluster.sakuracloud")
    other = tmp_path / "hosts.yml"
    other.write_text("plugin: lvmkube.cluster.sakuracloud\n")
    assert not plugin.verify_file(str(other))


def test_groups_and_cluster_filter(fake_api, tmp_path):
    inv = parse(tmp_path, cluster="@cluster=ex")
    assert sorted(inv.hosts) == ["evil", "master1", "node1", "node1.is1b", "nonic"]
    assert members(inv, "sakuracloud") == ["evil", "master1", "node1", "node1.is1b", "nonic"]
    assert members(inv, "zone_is1a") == ["evil", "master1", "node1", "nonic"]
    assert members(inv, "zone_is1b") == ["node1.is1b"]
    assert members(inv, "kube_master") == ["master1"]
    assert members(inv, "kube_control_plane") == ["master1"]
    assert members(inv, "kube_node") == ["node1", "node1.is1b", "nonic"]
    assert members(inv, "cluster_ex") == ["evil", "master1", "node1", "node1.is1b", "nonic"]
    assert members(inv, "instance_type_large") == ["node1"]
    assert "auto_reboot" not in inv.groups
    assert "cluster_other" not in inv.groups
    k8s = inv.groups["k8s_cluster"]
    assert sorted(g.name for g in k8s.child_groups) == ["kube_control_plane", "kube_node"]
    assert members(inv, "k8s_cluster") == ["master1", "node1", "node1.is1b", "nonic"]
    assert len(fake_api) == 1
    assert fake_api[0]["zones"] == ["is1a", "is1b"]


def test_host_vars(fake_api, tmp_path):
    inv = parse(tmp_path, cluster="@cluster=ex")
    master = inv.hosts["master1"].vars
    assert master["ansible_host"] == "203.0.113.1"
    assert master["ansible_user"] == "ubuntu"
    assert master["sacloud_id"] == 1
    assert master["sacloud_zone"] == "is1a"
    assert master["sacloud_tag_vars"] == {"cluster": "ex", "ssh_user": "ubuntu"}
    assert master["sacloud_server_plan"] == {"cpu": 2, "memory_mb": 4096}
    assert master["sacloud_interfaces"][0]["scope"] == "shared"
    assert "tags" not in master and "name" not in master
    node = inv.hosts["node1"].vars
    assert node["ansible_host"] == "192.168.0.2"
    assert node["ansible_port"] == 2222
    assert "ansible_host" not in inv.hosts["nonic"].vars
    assert "ansible_host" not in inv.hosts["evil"].vars  # null first NIC entry
    assert inv.hosts["node1.is1b"].vars["sacloud_name"] == "node1"


def test_kubespray_host_vars_and_unique_member_names(fake_api, tmp_path, capsys):
    inv = parse(
        tmp_path,
        cluster="@cluster=ex",
        kubespray_etcd_member_name=True,
        kubespray_ip="private",
        kubespray_access_ip="connection",
    )
    master = inv.hosts["master1"].vars
    assert master["etcd_member_name"] == "master1"
    assert "ip" not in master  # no user switch
    assert master["access_ip"] == "203.0.113.1"
    node = inv.hosts["node1"].vars
    assert (node["ip"], node["access_ip"]) == ("192.168.0.2", "192.168.0.2")
    # Both zones have a server named node1: two hosts, two member names (the unique host names), so kubespray
    # never renders one name twice into ETCD_INITIAL_CLUSTER.
    assert node["etcd_member_name"] == "node1"
    assert inv.hosts["node1.is1b"].vars["etcd_member_name"] == "node1.is1b"
    assert "etcd_member_name" not in capsys.readouterr().err
    # Off by default.
    plain = parse(tmp_path, cluster="@cluster=ex")
    assert not {"etcd_member_name", "ip", "access_ip"} & set(plain.hosts["node1"].vars)


def test_hostname_template_and_switch(fake_api, tmp_path):
    inv = parse(tmp_path, cluster="@cluster=ex", hostname="{{ sacloud_name }}-{{ sacloud_zone }}")
    assert sorted(inv.hosts) == ["evil-is1a", "master1-is1a", "node1-is1a", "node1-is1b", "nonic-is1a"]
    # The evil tag is a value, never a template.
    inv = parse(
        tmp_path, cluster="@cluster=ex", hostname="{{ sacloud_tags[-1] }}", required_tags=["{{ lookup('pipe','id') }}"]
    )
    # Rendered as text it is no host name (braces, quotes, spaces): refused, never templated.
    assert sorted(inv.hosts) == []
    with pytest.raises(AnsibleError, match="hostname template gave '' for server 1"):
        parse(tmp_path, cluster="@cluster=ex", hostname="{{ '' }}")
    # Only servers on switch 200 (the user switch of the test data), connected over it.
    inv = parse(tmp_path, cluster="@cluster=ex", switch="200", connect_with="private")
    assert sorted(inv.hosts) == ["node1"]
    assert inv.hosts["node1"].vars["ansible_host"] == "192.168.0.2"


def test_connect_with_public_and_status(fake_api, tmp_path):
    inv = parse(tmp_path, connect_with="public", status=["up"], cluster="@cluster=ex")
    assert "node1.is1b" not in inv.hosts
    assert inv.hosts["evil"].vars["ansible_host"] == "203.0.113.5"
    assert "ansible_host" not in inv.hosts["node1"].vars


def test_required_and_exclude_tags_and_no_aliases(fake_api, tmp_path):
    inv = parse(tmp_path, required_tags=["kube-node"], exclude_tags=["@cluster=other"], kubespray_group_aliases=False)
    assert sorted(inv.hosts) == ["node1", "node1.is1b", "nonic"]
    assert "k8s_cluster" not in inv.groups
    assert "kube_control_plane" not in inv.groups


def test_api_strings_are_not_trusted_templates(fake_api, tmp_path):
    inv = parse(tmp_path, cluster="@cluster=ex")
    tag = inv.hosts["evil"].vars["sacloud_tags"][1]
    assert tag == "{{ lookup('pipe','id') }}"
    # Both code paths of plugin_utils/inventory/cache.py: with data tagging (ansible-core 2.19+) an API string
    # carries no trust as it is; before it (2.18, CI's floor step) the plugin wraps it as AnsibleUnsafe.
    assert inventory_cache.HAS_DATA_TAGGING is HAS_DATA_TAGGING
    if not HAS_DATA_TAGGING:
        from ansible.utils.unsafe_proxy import AnsibleUnsafe  # noqa: PLC0415 - only before data tagging

        assert isinstance(tag, AnsibleUnsafe), type(tag)
    templar = Templar(loader=DataLoader(), variables={"t": tag})
    # An untrusted string is returned as it is, never rendered.
    assert templar.template(tag) == "{{ lookup('pipe','id') }}"
    # A trusted string is rendered (before 2.19, without native types, to the string "2").
    assert templar.template(trust_as_template("{{ 1 + 1 }}")) == (2 if HAS_DATA_TAGGING else "2")


def test_empty_prefix_is_refused(fake_api, tmp_path):
    with pytest.raises(AnsibleError, match="collides with a name reserved"):
        parse(tmp_path, hostvars_prefix="")
    assert fake_api == []


def test_keyed_groups_and_compose(fake_api, tmp_path):
    inv = parse(
        tmp_path,
        cluster="@cluster=ex",
        keyed_groups=[{"key": "sacloud_instance_status", "prefix": "status"}],
        compose={"mem": "sacloud_server_plan.memory_mb"},
        groups={"two_cpu": "sacloud_server_plan.cpu == 2"},
    )
    assert members(inv, "status_down") == ["node1.is1b"]
    # Before data tagging (ansible-core < 2.19) compose renders without native types: a string.
    assert inv.hosts["master1"].vars["mem"] == (4096 if HAS_DATA_TAGGING else "4096")
    assert len(members(inv, "two_cpu")) == 5


def test_cache_serves_second_parse_without_fetch(fake_api, tmp_path):
    cache = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}
    first = parse(tmp_path, **cache)
    assert len(fake_api) == 1
    files = list((tmp_path / "cache").iterdir())
    assert len(files) == 1
    assert "sec" not in files[0].name and "tok" not in files[0].name
    second = parse(tmp_path, **cache)
    assert len(fake_api) == 1
    assert sorted(second.hosts) == sorted(first.hosts)
    # Another token is another cache entry.
    parse(tmp_path, access_token="tok2", **cache)
    assert len(fake_api) == 2


def test_templated_credentials_and_missing_credentials(fake_api, tmp_path, monkeypatch):
    parse(tmp_path, access_token="{{ 'to' ~ 'k' }}")
    assert fake_api[-1]["access_token"] == "tok"
    with pytest.raises(AnsibleError, match="no Sakura Cloud credentials"):
        parse(tmp_path, access_token=None, access_token_secret=None)
