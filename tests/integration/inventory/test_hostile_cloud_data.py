# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Both cloud inventory plugins through the real ``ansible-inventory``/``ansible-playbook`` against hostile data.

Server names, tags and descriptions come from whoever can create a server; the API doubles (sakura_api_double.py,
nifcloud_api_double.py, on 127.0.0.1) also MISBEHAVE as a flaky network does: they ignore ``From``, lie about
``Total``, trickle a body one byte at a time, reset the connection, answer 500/502/503 and echo the request headers
into an error body. Every request deadline here is 1 s and every subprocess is bounded.

Ansible's rules these tests hold the plugins to (ansible/ansible at a09bdeee19241ee60958b35b9cfb91148cfee660):
- lib/ansible/constants.py ``LOCALHOST = ('127.0.0.1', 'localhost', '::1')`` and lib/ansible/inventory/data.py
  ``InventoryData.get_host``: a host of that name is looked up before the implicit localhost is made, so an
  inventory host named ``localhost`` takes every ``delegate_to: localhost``;
- lib/ansible/inventory/manager.py ``split_host_pattern`` (``,`` and ``:`` separate patterns, whitespace is dropped),
  ``InventoryManager._match_one_pattern`` (``!``/``&`` prefixes, ``~`` regex, ``*?[`` globs, ``all``) and
  ``_enumerate_matches`` (a group of the pattern's name wins over a host of that name);
- lib/ansible/inventory/data.py ``InventoryData.add_child``: a child that is a group is nested as a group, so a host
  named like a group vanishes into it.
"""

from __future__ import annotations

import base64
import json
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inventory_cli import REPO, members, plain, run, write_source
from nifcloud_api_double import NifcloudApiDouble, instance
from sakura_api_double import SakuraApiDouble, server

pytestmark = pytest.mark.slow

TOKEN = "hostile-token"
SECRET = "hostile-secret-5e6f7a8b"
NIF_KEY = "HOSTILEACCESSKEY01"
NIF_SECRET = "hostile/nif+secret9a8b"
CLUSTER = "@cluster=hostile"
# Names Ansible treats specially, or that hold host pattern characters (see the module docstring).
SPECIAL_NAMES = ["localhost", "127.0.0.1", "all", "ungrouped", "LocalHost", "web*", "db?", "!prod", "&x", "a,b"]
SPECIAL_NAMES += ["x:y", "n[0:1]", "two words", "~re.*", "kube_node", "etcd", "cluster_hostile", "zone_is1a"]


def shared_nic(address):
    return [("shared", address)]


def hostile_run(tool, *args, home, env=None, timeout=120):
    """A run with the NIFCLOUD keys of the double in its environment."""
    keys = {"NIFCLOUD_ACCESS_KEY_ID": NIF_KEY, "NIFCLOUD_SECRET_ACCESS_KEY": NIF_SECRET}
    return run(
        tool,
        *args,
        home=home,
        env={**keys, "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true", **(env or {})},
        timeout=timeout,
    )


def sakura_config(tmp_path, api, **options):
    config = {
        "plugin": "lvmkube.cluster.sakuracloud",
        "api_root_url": api.url,
        "zones": ["is1a", "is1b"],
        "rate_limit": 1000,
        "access_token": TOKEN,
        "access_token_secret": SECRET,
        "cluster": CLUSTER,
        "timeout": 1,
    }
    config.update(options)
    return write_source(tmp_path / "hostile.sakuracloud.yml", config)


def nifcloud_config(tmp_path, api, **options):
    config = {
        "plugin": "lvmkube.cluster.nifcloud",
        "endpoint_template": api.endpoint_template,
        "regions": ["jp-east-1"],
        "timeout": 1,
    }
    config.update(options)
    return write_source(tmp_path / "hostile.nifcloud.yml", config)


def listing_of(path, home, timeout=120):
    result = hostile_run("ansible-inventory", "-i", path, "--list", home=home, timeout=timeout)
    return result, (json.loads(result.stdout) if result.returncode == 0 else None)


def one_line(text):
    return " ".join(text.split())


# -- 1. names Ansible treats specially ---------------------------------------------------------------------------


def hostile_sakura_servers():
    servers = [server(113500000001, "node-01", "is1a", [CLUSTER, "kube_node", "etcd"], shared_nic("203.0.113.1"))]
    for number, name in enumerate(SPECIAL_NAMES, start=10):
        servers.append(server(113500000000 + number, name, "is1a", [CLUSTER, "kube_node"], shared_nic("203.0.113.9")))
    return {"is1a": servers, "is1b": []}


def test_sakura_refuses_servers_with_special_names_and_names_them(tmp_path):
    with SakuraApiDouble(hostile_sakura_servers(), TOKEN, SECRET) as api:
        result, listing = listing_of(sakura_config(tmp_path, api), tmp_path)
    assert result.returncode == 0, result.stderr
    hostvars = listing["_meta"]["hostvars"]
    assert set(hostvars) == {"node-01"}
    # The groups nest as the tags say: no server became a child group or vanished into one.
    assert members(listing, "kube_node") == {"node-01"}
    assert listing["kube_node"].get("children", []) == []
    assert members(listing, "etcd") == {"node-01"}
    warnings = one_line(result.stderr)
    for number, name in enumerate(SPECIAL_NAMES, start=10):
        assert f"server {113500000000 + number} in zone is1a" in warnings, name
    assert "refused" in warnings


def test_nifcloud_refuses_instances_with_special_ids(tmp_path):
    names = ["localhost", "127.0.0.1", "all", "web*", "a,b", "zone_east_11", "nifcloud", "role_kube_node"]
    instances = [instance("node01", "east-11", public_ip="203.0.113.1", description="role=kube-node")]
    instances += [instance(name, "east-11", public_ip="203.0.113.9", description="role=kube-node") for name in names]
    with NifcloudApiDouble({"jp-east-1": instances}, NIF_KEY, NIF_SECRET) as api:
        result, listing = listing_of(nifcloud_config(tmp_path, api), tmp_path)
    assert result.returncode == 0, result.stderr
    assert set(listing["_meta"]["hostvars"]) == {"node01"}
    assert members(listing, "role_kube_node") == {"node01"}
    warnings = one_line(result.stderr)
    for name in names:
        assert f"instance {name!r} in region jp-east-1" in warnings


DELEGATE_PLAY = textwrap.dedent(
    """\
    - name: A task delegated to localhost runs on the controller, whatever the cloud lists
      hosts: node-01
      gather_facts: false
      tasks:
        - name: Write a marker on the controller
          ansible.builtin.copy:
            content: "{{ inventory_hostname }}\\n"
            dest: "{{ marker }}"
            mode: "0600"
          delegate_to: localhost
    """
)


def test_delegate_to_localhost_cannot_be_captured_by_a_server_named_localhost(tmp_path):
    # The server named localhost listens nowhere (port 1 on 127.0.0.1): were it the host, SSH would fail at once.
    servers = {
        "is1a": [
            server(113600000001, "node-01", "is1a", [CLUSTER, "kube_node"], shared_nic("127.0.0.1")),
            server(113600000002, "localhost", "is1a", [CLUSTER, "kube_node", "@ssh_port=1"], shared_nic("127.0.0.1")),
        ],
        "is1b": [],
    }
    playbook = tmp_path / "delegate.yml"
    playbook.write_text(DELEGATE_PLAY)
    marker = tmp_path / "marker"
    with SakuraApiDouble(servers, TOKEN, SECRET) as api:
        path = sakura_config(tmp_path, api)
        result = hostile_run(
            "ansible-playbook", "-i", path, str(playbook), "-e", f"marker={marker}", home=tmp_path, timeout=180
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert marker.read_text() == "node-01\n"
    assert "server 113600000002 in zone is1a" in one_line(result.stderr)


# -- 2. ssh_config from a hostile inventory ----------------------------------------------------------------------


def test_ssh_config_playbook_writes_no_pattern_host_from_cloud_names(tmp_path):
    servers = {
        "is1a": [
            server(113700000001, "node-01", "is1a", [CLUSTER, "kube_node"], shared_nic("203.0.113.1")),
            server(113700000002, "*", "is1a", [CLUSTER, "kube_node"], shared_nic("203.0.113.66")),
            server(113700000003, "node-?", "is1a", [CLUSTER, "kube_node"], shared_nic("203.0.113.67")),
            server(113700000004, "a,!b", "is1a", [CLUSTER, "kube_node"], shared_nic("203.0.113.68")),
        ],
        "is1b": [],
    }
    out = tmp_path / "ssh" / "config"
    with SakuraApiDouble(servers, TOKEN, SECRET) as api:
        path = sakura_config(tmp_path, api)
        result = hostile_run(
            "ansible-playbook",
            "-i",
            path,
            str(REPO / "playbooks" / "ssh_config.yml"),
            "-e",
            f"ssh_config_path={out} ssh_config_cluster=hostile",
            home=tmp_path,
            timeout=180,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    text = out.read_text()
    hosts = [line.split(None, 1)[1] for line in text.splitlines() if line.startswith("Host ")]
    assert hosts == ["node-01"]
    assert "203.0.113.6" not in text


# -- 3. credentials echoed in an error body ----------------------------------------------------------------------


def echoed_error(tmp_path, double, key, write_config):
    """The output of ansible-inventory when the API answers HTTP 400 echoing the request (``key``: zone, region)."""
    with double as api:
        api.inject(key, "echo")
        result, _listing = listing_of(write_config(tmp_path, api), tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "HTTP 400" in output and key in output
    assert "invalid request" in output  # the echoed body is shown ...
    return output


def test_sakura_error_echoing_the_authorization_header_is_masked(tmp_path):
    servers = {"is1a": [server(113800000001, "node-01", "is1a", [CLUSTER], shared_nic("203.0.113.1"))], "is1b": []}
    output = echoed_error(tmp_path, SakuraApiDouble(servers, TOKEN, SECRET), "is1a", sakura_config)
    blob = base64.b64encode(f"{TOKEN}:{SECRET}".encode()).decode()
    for needle in (SECRET, blob, blob.rstrip("=")):
        assert needle not in output  # ... without the credentials, not even encoded
    assert "Authorization: Basic ********" in output


def test_nifcloud_error_echoing_the_signed_request_is_masked(tmp_path):
    instances = {"jp-east-1": [instance("node01", "east-11", public_ip="203.0.113.1")]}
    output = echoed_error(tmp_path, NifcloudApiDouble(instances, NIF_KEY, NIF_SECRET), "jp-east-1", nifcloud_config)
    assert NIF_SECRET not in output
    assert "Signature=********" in output


# -- 4. etcd member names ----------------------------------------------------------------------------------------


def test_etcd_members_with_one_name_in_two_zones_get_the_unique_host_names(tmp_path):
    servers = {
        "is1a": [server(113900000001, "cp-02", "is1a", [CLUSTER, "etcd"], shared_nic("203.0.113.1"))],
        "is1b": [server(113900000002, "cp-02", "is1b", [CLUSTER, "etcd"], shared_nic("203.0.113.2"))],
    }
    with SakuraApiDouble(servers, TOKEN, SECRET) as api:
        result, listing = listing_of(sakura_config(tmp_path, api, kubespray_etcd_member_name=True), tmp_path)
        assert result.returncode == 0, result.stderr
        members = {host: plain(v["etcd_member_name"]) for host, v in listing["_meta"]["hostvars"].items()}
        assert members == {"cp-02": "cp-02", "cp-02.is1b": "cp-02.is1b"}
        # An explicit tag that collides: refused, both servers named.
        api.servers_by_zone["is1b"][0]["Tags"].append("@etcd_member_name=cp-02")
        api._page_cache.clear()
        result, _listing = listing_of(sakura_config(tmp_path, api, kubespray_etcd_member_name=True), tmp_path)
    assert result.returncode != 0
    message = one_line(result.stderr)
    assert "server 113900000001 in zone is1a" in message and "server 113900000002 in zone is1b" in message
    assert "etcd member 'cp-02'" in message


# -- 5. groups from non-ASCII and colliding tags ------------------------------------------------------------------


def test_non_ascii_tags_make_distinct_groups_and_colliding_tags_fail(tmp_path):
    servers = {
        "is1a": [
            server(114000000001, "w1", "is1a", [CLUSTER, "役割=ワーカー"], shared_nic("203.0.113.1")),
            server(114000000002, "m1", "is1a", [CLUSTER, "役割=マスター"], shared_nic("203.0.113.2")),
        ],
        "is1b": [],
    }
    with SakuraApiDouble(servers, TOKEN, SECRET) as api:
        result, listing = listing_of(sakura_config(tmp_path, api), tmp_path)
        assert result.returncode == 0, result.stderr
        made = {group: sorted(entry.get("hosts", [])) for group, entry in listing.items() if group.startswith("____")}
        assert sorted(made.values()) == [["m1"], ["w1"]]
        api.servers_by_zone["is1a"][0]["Tags"].append("kube-node")
        api.servers_by_zone["is1a"][1]["Tags"].append("kube_node")
        api._page_cache.clear()
        result, _listing = listing_of(sakura_config(tmp_path, api), tmp_path)
    assert result.returncode != 0
    message = one_line(result.stderr)
    assert "'kube-node' (server 114000000001)" in message and "'kube_node' (server 114000000002)" in message


# -- 6. paging an API that lies ----------------------------------------------------------------------------------


def five_servers():
    return {
        "is1a": [server(114100000000 + n, f"n{n}", "is1a", [CLUSTER], shared_nic(f"203.0.113.{n}")) for n in range(5)],
        "is1b": [],
    }


@pytest.mark.parametrize(
    ("misbehaviour", "expected"),
    [
        ({"ignore_from": True}, "the page from 2 repeats server 114100000000 (2 servers listed, Total 5)"),
        ({"total_offset": 3}, "the page from 5 is empty after 5 servers of Total 8"),
        ({"total_offset": -2}, "the API listed 4 servers but its Total says 3"),
    ],
)
def test_paging_fails_with_the_zone_and_the_numbers(tmp_path, misbehaviour, expected):
    with SakuraApiDouble(five_servers(), TOKEN, SECRET, page_cap=2) as api:
        for name, value in misbehaviour.items():
            setattr(api, name, value)
        result, _listing = listing_of(sakura_config(tmp_path, api), tmp_path, timeout=60)
        requests = [r for r in api.requests if r["zone"] == "is1a"]
    assert result.returncode != 0
    message = one_line(result.stderr)
    assert "(zone is1a)" in message and expected in message
    assert len(requests) <= 4  # bounded: never more pages than Total allows


# -- 7. the deadline of one request ------------------------------------------------------------------------------


def test_sakura_trickling_body_fails_at_the_deadline(tmp_path):
    # 5 servers are ~2 KB: one byte every 0.5 s would take ~17 minutes; the deadline is 1 s, no retries.
    with SakuraApiDouble(five_servers(), TOKEN, SECRET) as api:
        api.inject("is1a", "trickle")
        result, _listing = listing_of(sakura_config(tmp_path, api, retries=0), tmp_path, timeout=60)
    assert result.returncode != 0
    assert "did not finish within 1 seconds (the deadline of one request) (zone is1a)" in one_line(result.stderr)


def test_nifcloud_trickling_body_fails_at_the_deadline(tmp_path):
    instances = {"jp-east-1": [instance("node01", "east-11", public_ip="203.0.113.1")]}
    with NifcloudApiDouble(instances, NIF_KEY, NIF_SECRET) as api:
        api.inject("jp-east-1", "trickle")
        result, _listing = listing_of(nifcloud_config(tmp_path, api, retries=0), tmp_path, timeout=60)
    assert result.returncode != 0
    assert "did not finish within 1 seconds (the deadline of one request) (region jp-east-1)" in one_line(result.stderr)


def test_a_trickle_then_an_answer_is_retried(tmp_path):
    with SakuraApiDouble(five_servers(), TOKEN, SECRET) as api:
        api.inject("is1a", "trickle")
        result, listing = listing_of(sakura_config(tmp_path, api, retries=1), tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert len(listing["_meta"]["hostvars"]) == 5


# -- 8. retries of transient failures ----------------------------------------------------------------------------


def test_sakura_retries_500_502_503_and_resets(tmp_path):
    with SakuraApiDouble(five_servers(), TOKEN, SECRET) as api:
        api.inject("is1a", "500", "502", "reset", "503")
        result, listing = listing_of(sakura_config(tmp_path, api), tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(listing["_meta"]["hostvars"]) == 5


def test_nifcloud_retries_502_and_resets(tmp_path):
    instances = {"jp-east-1": [instance("node01", "east-11", public_ip="203.0.113.1")]}
    with NifcloudApiDouble(instances, NIF_KEY, NIF_SECRET) as api:
        api.inject("jp-east-1", "502", "reset")
        result, listing = listing_of(nifcloud_config(tmp_path, api), tmp_path)
    assert result.returncode == 0, result.stderr
    assert set(listing["_meta"]["hostvars"]) == {"node01"}


def test_final_errors_say_what_happened(tmp_path):
    with SakuraApiDouble(five_servers(), TOKEN, SECRET) as api:
        api.inject("is1a", "reset", "reset")
        result, _listing = listing_of(sakura_config(tmp_path, api, retries=1), tmp_path)
        assert result.returncode != 0
        assert "closed or reset the connection (zone is1a) after 2 attempts" in one_line(result.stderr)
        api.inject("is1a", "502", "502")
        result, _listing = listing_of(sakura_config(tmp_path, api, retries=1), tmp_path)
    assert result.returncode != 0
    assert "answered HTTP 502 (zone is1a) after 2 attempts" in one_line(result.stderr)


# -- 9. malformed fields -----------------------------------------------------------------------------------------


def test_malformed_fields_name_the_server_the_field_and_what_was_expected(tmp_path):
    servers = five_servers()
    servers["is1a"][3]["Interfaces"] = {"0": servers["is1a"][3]["Interfaces"][0]}
    with SakuraApiDouble(servers, TOKEN, SECRET) as api:
        result, _listing = listing_of(sakura_config(tmp_path, api), tmp_path)
    assert result.returncode != 0
    assert "server 114100000003: field 'Interfaces' is an object, expected a list of interfaces" in one_line(
        result.stderr
    )


@pytest.mark.parametrize("host_first", [True, False])
def test_a_host_named_like_a_keyed_group_is_refused_whichever_comes_first(tmp_path, host_first):
    # keyed_groups make their groups while hosts are added: the name is checked before and swept after.
    ids = (114200000001, 114200000002) if host_first else (114200000002, 114200000001)
    servers = {
        "is1a": [
            server(ids[0], "role_web", "is1a", [CLUSTER], shared_nic("203.0.113.1")),
            server(ids[1], "node-01", "is1a", [CLUSTER, "@role=web"], shared_nic("203.0.113.2")),
        ],
        "is1b": [],
    }
    keyed = [{"key": "sacloud_tag_vars.role | default('none')", "prefix": "role"}]
    with SakuraApiDouble(servers, TOKEN, SECRET) as api:
        result, listing = listing_of(sakura_config(tmp_path, api, keyed_groups=keyed), tmp_path)
    assert result.returncode == 0, result.stderr
    assert set(listing["_meta"]["hostvars"]) == {"node-01"}
    assert members(listing, "role_web") == {"node-01"}
    assert f"server {ids[0]} in zone is1a is refused" in one_line(result.stderr)


def test_one_server_id_in_two_zones_is_an_error_naming_both(tmp_path):
    twin = server(114300000001, "node-01", "is1a", [CLUSTER], shared_nic("203.0.113.1"))
    with SakuraApiDouble({"is1a": [twin], "is1b": [dict(twin)]}, TOKEN, SECRET) as api:
        result, _listing = listing_of(sakura_config(tmp_path, api), tmp_path)
    assert result.returncode != 0
    assert "listed server 114300000001 in zone is1a and in zone is1b" in one_line(result.stderr)
