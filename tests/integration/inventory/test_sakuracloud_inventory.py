# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ansible-inventory`` and ``ansible-playbook`` with the sakuracloud plugin, as a user runs them.

The Sakura Cloud API is the double in sakura_api_double.py on 127.0.0.1: it pages with a
server-side cap, checks Basic authentication and injects 503/423/401/malformed answers.
"""

from __future__ import annotations

import itertools
import json
import socket
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inventory_cli import inventory_list, members, plain, run, write_source
from playbook_helpers import said
from sakura_api_double import SakuraApiDouble, server

pytestmark = pytest.mark.slow

TOKEN = "func-token"
SECRET = "func-secret-0f9e8d7c"
INJECTION = "{{ lookup('pipe','id') }}"
CLUSTER = ["@cluster=example", "@with_kubespray_inventory"]

SERVERS = {
    "is1a": [
        server(
            113100000001,
            "master-01",
            "is1a",
            [
                *CLUSTER,
                "kube-master",
                "etcd",
                "k8s-cluster",
                "@ssh_user=ubuntu",
                "@auto-reboot",
                "@etcd_member_name=etcd-a",
            ],
            [("shared", "203.0.113.11"), ("user", "192.168.0.11")],
        ),
        server(
            113100000002,
            "node-01",
            "is1a",
            [*CLUSTER, "kube-node", "k8s-cluster", "@instance-type=large", "@ssh_port=10022"],
            [("user", "192.168.0.21"), ("shared", "203.0.113.21")],
        ),
        server(
            113100000003, "node-02", "is1a", [*CLUSTER, "kube-node", "k8s-cluster"], [None, ("user", "192.168.0.22")]
        ),
        server(113100000004, "nonic-01", "is1a", [*CLUSTER, "kube-node"], []),
        server(113100000005, "evil-01", "is1a", [*CLUSTER, INJECTION], [("shared", "203.0.113.55")]),
        server(113100000006, "stranger", "is1a", ["@cluster=other", "kube-node"], [("shared", "203.0.113.66")]),
    ],
    "is1b": [
        server(113200000001, "node-01", "is1b", [*CLUSTER, "kube-node"], [("shared", "203.0.113.31")], status="down"),
        server(113200000002, "node-03", "is1b", [*CLUSTER, "kube-node", "calico-rr"], [("user", "192.168.1.3")]),
    ],
}


@pytest.fixture
def api():
    with SakuraApiDouble(SERVERS, TOKEN, SECRET, page_cap=2) as double:
        yield double


@pytest.fixture
def home(tmp_path):
    path = tmp_path / "home"
    path.mkdir()
    return path


# Tests that are not about the client-side rate limiter run it at a high limit (the plugin's own
# option), so they do not wait 0.2 s per request; the limiter tests set their limit themselves.
FAST = 1000


def write_config(directory, api_url, **options):
    config = {
        "plugin": "lvmkube.cluster.sakuracloud",
        "api_root_url": api_url,
        "zones": ["is1a", "is1b"],
        "rate_limit": FAST,
    }
    config.update(options)
    return write_source(directory / "test.sakuracloud.yml", config)


def flush_cache(path, tmp_path, home):
    """A run that refreshes the inventory cache: ``ansible-inventory --flush-cache`` (ansible-core 2.19+).

    Before 2.19 ansible-inventory has no --flush-cache; ansible-playbook's --flush-cache builds the inventory with
    ``cache=False`` the same way (ansible/ansible stable-2.18, lib/ansible/cli/__init__.py, ``CLI._play_prereqs``:
    ``InventoryManager(..., cache=(not options.get('flush_cache')))``), so the flush is asked of that tool there.
    """
    help_text = run("ansible-inventory", "--help", home=home).stdout
    if "--flush-cache" in help_text:
        return run("ansible-inventory", "-i", path, "--list", "--flush-cache", home=home)
    noop = tmp_path / "noop.yml"
    noop.write_text("- name: Nothing\n  hosts: localhost\n  gather_facts: false\n  tasks: []\n")
    return run("ansible-playbook", "-i", path, "--flush-cache", str(noop), home=home)


def test_list_groups_vars_and_paging(api, tmp_path, home):
    path = write_config(tmp_path, api.url, access_token=TOKEN, access_token_secret=SECRET, cluster="@cluster=example")
    result = inventory_list(path, home)
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    hostvars = plain(listing["_meta"]["hostvars"])
    assert set(hostvars) == {"master-01", "node-01", "node-02", "nonic-01", "evil-01", "node-01.is1b", "node-03"}
    # Paging: 6 servers in is1a with a page cap of 2 is 3 pages, 2 servers in is1b is 1 page.
    zones = [r["zone"] for r in api.requests]
    assert zones.count("is1a") == 3 and zones.count("is1b") == 1
    assert {r["bigint"] for r in api.requests} == {"1"}
    # Duplicate name in another zone.
    assert "'node-01' is used more than once" in result.stderr
    assert hostvars["node-01.is1b"]["sacloud_zone"] == "is1b"
    # Groups from tags, zones, kubespray aliases.
    assert members(listing, "kube_master") == {"master-01"}
    assert members(listing, "kube_control_plane") == {"master-01"}
    assert members(listing, "kube_node") == {"node-01", "node-02", "nonic-01", "node-01.is1b", "node-03"}
    assert set(listing["k8s_cluster"]["children"]) >= {"kube_control_plane", "kube_node"}
    assert members(listing, "instance_type_large") == {"node-01"}
    assert members(listing, "cluster_example") == set(hostvars)
    assert members(listing, "with_kubespray_inventory") == set(hostvars)
    assert members(listing, "calico_rr") == {"node-03"}
    assert members(listing, "zone_is1b") == {"node-01.is1b", "node-03"}
    assert members(listing, "sakuracloud") == set(hostvars)
    assert "auto_reboot" not in listing
    assert "cluster_other" not in listing
    # Host vars.
    master = hostvars["master-01"]
    assert master["ansible_host"] == "203.0.113.11"
    assert master["ansible_user"] == "ubuntu"
    assert master["sacloud_id"] == 113100000001
    assert master["sacloud_tag_vars"] == {"cluster": "example", "ssh_user": "ubuntu", "etcd_member_name": "etcd-a"}
    assert not {"etcd_member_name", "ip", "access_ip"} & set(master)  # kubespray vars are off by default
    assert master["sacloud_server_plan"] == {"cpu": 2, "memory_mb": 4096}
    assert master["sacloud_instance_status"] == "up"
    assert [(n["index"], n["scope"], n["ip_address"], n["user_ip_address"]) for n in master["sacloud_interfaces"]] == [
        (0, "shared", "203.0.113.11", None),
        (1, "user", None, "192.168.0.11"),
    ]
    assert hostvars["node-01"]["ansible_host"] == "192.168.0.21"  # user switch first: UserIPAddress
    assert hostvars["node-01"]["ansible_port"] == 10022
    assert hostvars["node-01"]["sacloud_tag_vars"]["instance-type"] == "large"
    assert "ansible_host" not in hostvars["node-02"]  # null first NIC entry
    assert [n["index"] for n in hostvars["node-02"]["sacloud_interfaces"]] == [1]
    assert "ansible_host" not in hostvars["nonic-01"]
    assert "without an address" in result.stderr and "nonic-01" in result.stderr and "node-02" in result.stderr
    assert hostvars["evil-01"]["sacloud_tags"][2] == INJECTION


def test_connect_with_private_and_status_filter(api, tmp_path, home):
    path = write_config(
        tmp_path,
        api.url,
        access_token=TOKEN,
        access_token_secret=SECRET,
        connect_with="private",
        status=["up"],
        exclude_tags=["@cluster=other"],
    )
    result = inventory_list(path, home)
    assert result.returncode == 0, result.stderr
    hostvars = plain(json.loads(result.stdout)["_meta"]["hostvars"])
    assert "node-01.is1b" not in hostvars and "stranger" not in hostvars
    assert hostvars["master-01"]["ansible_host"] == "192.168.0.11"
    assert hostvars["node-02"]["ansible_host"] == "192.168.0.22"
    assert "ansible_host" not in hostvars["evil-01"]


def test_cluster_and_required_tags_filter_on_the_server(api, tmp_path, home):
    options = {
        "access_token": TOKEN,
        "access_token_secret": SECRET,
        "cluster": "@cluster=example",
        "required_tags": ["kube-node"],
    }
    filtered = inventory_list(write_config(tmp_path, api.url, **options), home)
    assert filtered.returncode == 0, filtered.stderr
    hosts = set(json.loads(filtered.stdout)["_meta"]["hostvars"])
    assert hosts == {"node-01", "node-02", "nonic-01", "node-01.is1b", "node-03"}
    queries = [json.loads(unquote(r["query"])) for r in api.requests]
    assert {json.dumps(q["Filter"]) for q in queries} == {'{"Tags.Name": [["@cluster=example", "kube-node"]]}'}
    # 3 of the 6 is1a servers match: 2 pages of 2, and is1b 1 page.
    assert len(api.requests) == 3
    filtered_bytes = api.bytes_sent
    # Without the server-side filter: the same hosts, every server read.
    api.reset_counts()
    unfiltered = inventory_list(write_config(tmp_path, api.url, server_side_filter=False, **options), home)
    assert unfiltered.returncode == 0, unfiltered.stderr
    assert set(json.loads(unfiltered.stdout)["_meta"]["hostvars"]) == hosts
    assert {json.dumps(json.loads(unquote(r["query"]))["Filter"]) for r in api.requests} == {"{}"}
    assert len(api.requests) == 4 and api.bytes_sent > filtered_bytes
    # An API that ignored the filter: the client-side checks still give the same hosts.
    api.honour_filter = False
    api.reset_counts()
    guarded = inventory_list(write_config(tmp_path, api.url, **options), home)
    assert guarded.returncode == 0, guarded.stderr
    assert set(json.loads(guarded.stdout)["_meta"]["hostvars"]) == hosts


def test_kubespray_host_vars(api, tmp_path, home):
    path = write_config(
        tmp_path,
        api.url,
        access_token=TOKEN,
        access_token_secret=SECRET,
        cluster="@cluster=example",
        connect_with="public",
        kubespray_etcd_member_name=True,
        kubespray_ip="private",
        kubespray_access_ip="private",
    )
    result = inventory_list(path, home)
    assert result.returncode == 0, result.stderr
    hostvars = plain(json.loads(result.stdout)["_meta"]["hostvars"])
    master = hostvars["master-01"]
    assert master["etcd_member_name"] == "etcd-a"  # the tag wins over the server name
    assert (master["ansible_host"], master["ip"], master["access_ip"]) == (
        "203.0.113.11",
        "192.168.0.11",
        "192.168.0.11",
    )
    assert hostvars["node-02"]["etcd_member_name"] == "node-02"
    assert hostvars["node-02"]["ip"] == "192.168.0.22"  # after a null first NIC entry
    assert "ip" not in hostvars["evil-01"] and "access_ip" not in hostvars["evil-01"]  # shared segment only
    # kubespray's own template for the member name, evaluated by ansible-playbook over this inventory.
    playbook = tmp_path / "members.yml"
    playbook.write_text(
        "- name: Member names as kubespray's kubespray_defaults compute them\n"
        "  hosts: etcd\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - name: Print the peer list\n"
        "      ansible.builtin.debug:\n"
        "        msg: >-\n"
        "          PEERS={% for item in groups['etcd'] %}{{ hostvars[item].etcd_member_name\n"
        "          | default('etcd' ~ loop.index) }}={{ hostvars[item].access_ip }}{% endfor %}\n"
    )
    played = run("ansible-playbook", "-i", path, str(playbook), home=home)
    assert played.returncode == 0, played.stdout + played.stderr
    assert "PEERS=etcd-a=192.168.0.11" in played.stdout


def test_hostname_template_and_switch_by_name_and_id(api, tmp_path, home):
    path = write_config(
        tmp_path,
        api.url,
        access_token=TOKEN,
        access_token_secret=SECRET,
        cluster="@cluster=example",
        hostname="{{ sacloud_name }}.{{ sacloud_zone }}.{{ sacloud_tags[2] }}",
    )
    result = inventory_list(path, home)
    assert result.returncode == 0, result.stderr
    hostvars = plain(json.loads(result.stdout)["_meta"]["hostvars"])
    assert "master-01.is1a.kube-master" in hostvars and "node-03.is1b.kube-node" in hostvars
    # The tag is a value, never rendered; as a host name it is refused, its server named in a warning.
    assert not [name for name in hostvars if name.startswith("evil-01")]
    assert "server 113100000005 in zone is1a is refused" in " ".join(result.stderr.split())
    # A user switch by name: every server with a NIC on a switch named sw-private, over that NIC.
    path = write_config(
        tmp_path,
        api.url,
        access_token=TOKEN,
        access_token_secret=SECRET,
        cluster="@cluster=example",
        switch="sw-private",
        connect_with="private",
    )
    result = inventory_list(path, home)
    assert result.returncode == 0, result.stderr
    hostvars = plain(json.loads(result.stdout)["_meta"]["hostvars"])
    assert {h: v["ansible_host"] for h, v in hostvars.items()} == {
        "master-01": "192.168.0.11",
        "node-01": "192.168.0.21",
        "node-02": "192.168.0.22",
        "node-03": "192.168.1.3",
    }
    # By ID: the double numbers user switches by zone and NIC index; 31001501 is is1a's switch on NIC 1.
    path = write_config(
        tmp_path, api.url, access_token=TOKEN, access_token_secret=SECRET, switch="31001501", connect_with="private"
    )
    result = inventory_list(path, home)
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)["_meta"]["hostvars"]) == {"master-01", "node-02"}


def test_retries_503_and_423_then_succeeds(api, tmp_path, home):
    api.inject("is1a", "503", "423")
    path = write_config(tmp_path, api.url, access_token=TOKEN, access_token_secret=SECRET, zones=["is1a"])
    result = inventory_list(path, home)
    assert result.returncode == 0, result.stderr
    assert "master-01" in json.loads(result.stdout)["_meta"]["hostvars"]
    assert api.request_count == 5  # two refused, then three pages


def test_gives_up_after_the_retries(api, tmp_path, home):
    api.inject("is1b", "503", "503", "503")
    path = write_config(tmp_path, api.url, access_token=TOKEN, access_token_secret=SECRET, retries=2)
    result = inventory_list(path, home)
    assert result.returncode != 0
    assert "answered HTTP 503 (zone is1b)" in result.stderr
    assert "service_unavailable" in result.stderr


def test_wrong_secret_names_the_zone_and_hides_the_secret(api, tmp_path, home):
    wrong = "wrong-secret-5a4b3c"
    path = write_config(tmp_path, api.url, access_token=TOKEN, access_token_secret=wrong, zones=["is1a", "is1b"])
    result = inventory_list(path, home)
    assert result.returncode != 0
    assert said("refused the access token or secret (HTTP 401) for zone is1a, is1b", result.stderr)
    assert not said(wrong, result.stderr, result.stdout)
    assert not said(SECRET, result.stderr, result.stdout)


def test_malformed_json_names_the_url(api, tmp_path, home):
    api.inject("is1a", "malformed")
    path = write_config(tmp_path, api.url, access_token=TOKEN, access_token_secret=SECRET, zones=["is1a"])
    result = inventory_list(path, home)
    assert result.returncode != 0
    assert said(f"{api.url}/is1a/api/cloud/1.1/server returned a body that is not valid JSON", result.stderr)


def test_unreachable_api_names_the_url_without_credentials(tmp_path, home):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://user:url-password-77@127.0.0.1:{port}/cloud/zone"
    path = write_config(tmp_path, url, access_token=TOKEN, access_token_secret=SECRET, zones=["tk1a"])
    result = inventory_list(path, home)
    assert result.returncode != 0
    assert said(
        f"http://127.0.0.1:{port}/cloud/zone/tk1a/api/cloud/1.1/server is unreachable (zone tk1a)", result.stderr
    )
    assert said("Connection refused", result.stderr) or said("ConnectionError", result.stderr)
    assert not said("url-password-77", result.stderr)
    assert not said(SECRET, result.stderr)


def test_credentials_from_environment(api, tmp_path, home):
    path = write_config(tmp_path, api.url, zones=["is1b"])
    result = inventory_list(path, home, env={"SAKURA_ACCESS_TOKEN": TOKEN, "SAKURA_ACCESS_TOKEN_SECRET": SECRET})
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)["_meta"]["hostvars"]) == {"node-01", "node-03"}


def test_credentials_and_zones_from_usacloud_profile(api, tmp_path, home):
    profile_root = tmp_path / "profiles"
    folder = profile_root / ".usacloud" / "dev"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(
        json.dumps({"AccessToken": TOKEN, "AccessTokenSecret": SECRET, "Zone": "is1a", "Zones": ["is1b"]})
    )
    (profile_root / ".usacloud" / "current").write_text("dev\n")
    config = {"plugin": "lvmkube.cluster.sakuracloud", "api_root_url": api.url, "rate_limit": FAST}
    path = tmp_path / "profile.sakuracloud.yml"
    path.write_text(yaml.safe_dump(config))
    result = inventory_list(str(path), home, env={"USACLOUD_PROFILE_DIR": str(profile_root)})
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)["_meta"]["hostvars"]) == {"node-01", "node-03"}
    assert {r["zone"] for r in api.requests} == {"is1b"}
    missing = inventory_list(
        str(path), home, env={"USACLOUD_PROFILE_DIR": str(profile_root), "USACLOUD_PROFILE": "prd"}
    )
    assert missing.returncode != 0
    assert "usacloud profile 'prd' not found" in missing.stderr


def write_profile(root, name, data, current=None):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(data))
    if current:
        (root / "current").write_text(current)


def test_profile_client_settings_and_sdk_environment_precedence(api, tmp_path, home):
    # saclient's layout: SAKURA_PROFILE_DIR is the profile folder itself.
    root = tmp_path / "profiles"
    base = {"AccessToken": TOKEN, "AccessTokenSecret": SECRET, "Zones": ["is1a"]}
    write_profile(root, "dev", dict(base, APIRootURL=api.url, RetryMax=1, HTTPRequestRateLimit=2), current="dev")
    write_profile(root, "prd", dict(base, APIRootURL="http://127.0.0.1:9/nothing", Zones=["is1b"]))
    path = tmp_path / "p.sakuracloud.yml"
    path.write_text("plugin: lvmkube.cluster.sakuracloud\n")
    env = {"SAKURA_PROFILE_DIR": str(root)}
    result = inventory_list(str(path), home, env=env)
    assert result.returncode == 0, result.stderr
    assert "master-01" in json.loads(result.stdout)["_meta"]["hostvars"]
    # The profile's HTTPRequestRateLimit (2 per second): 3 pages of is1a sent 0.5 s apart, 1 s from first to last;
    # without the limiter they would arrive milliseconds apart. The double records arrival times, and on a loaded
    # host a request can spend longer in transit than the next (the first, which opens the connection, most: 0.14 s
    # was seen), so the bounds leave half of each interval to transit.
    times = [r["time"] for r in api.requests]
    assert len(times) == 3
    assert all(later - earlier >= 0.25 for earlier, later in itertools.pairwise(times)), times
    assert times[-1] - times[0] >= 0.6, times
    # The profile's RetryMax=1: two 503 answers are one too many ...
    api.reset_counts()
    api.inject("is1a", "503", "503")
    result = inventory_list(str(path), home, env=env)
    assert result.returncode != 0 and "answered HTTP 503 (zone is1a)" in result.stderr
    assert api.request_count == 2
    # ... unless SAKURA_RETRY_MAX, which wins over the profile, allows them.
    api.reset_counts()
    api.inject("is1a", "503", "503")
    result = inventory_list(str(path), home, env=dict(env, SAKURA_RETRY_MAX="2"))
    assert result.returncode == 0, result.stderr
    assert api.request_count == 5
    # SAKURA_PROFILE wins over USACLOUD_PROFILE and the current file; SAKURA_API_ROOT_URL over the profile's APIRootURL.
    api.reset_counts()
    result = inventory_list(
        str(path),
        home,
        env=dict(env, USACLOUD_PROFILE="dev", SAKURA_PROFILE="prd", SAKURA_API_ROOT_URL=api.url),
    )
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)["_meta"]["hostvars"]) == {"node-01", "node-03"}
    assert {r["zone"] for r in api.requests} == {"is1b"}


def test_rate_limited_answer_waits_retry_after(api, tmp_path, home):
    api.inject("is1b", "429")
    path = write_config(tmp_path, api.url, access_token=TOKEN, access_token_secret=SECRET, zones=["is1b"], rate_limit=0)
    result = inventory_list(path, home)
    assert result.returncode == 0, result.stderr
    first, second = (r["time"] for r in api.requests)
    assert second - first >= 0.95  # Retry-After: 1, not the 0.01 s backoff of the test environment


def test_cached_run_sends_no_request(api, tmp_path, home):
    cache_dir = tmp_path / "cache"
    path = write_config(
        tmp_path,
        api.url,
        access_token=TOKEN,
        access_token_secret=SECRET,
        cache=True,
        cache_plugin="ansible.builtin.jsonfile",
        cache_connection=str(cache_dir),
    )
    first = inventory_list(path, home)
    assert first.returncode == 0, first.stderr
    assert api.request_count == 4
    assert all(SECRET not in p.name and TOKEN not in p.name for p in cache_dir.iterdir())
    assert all(SECRET not in p.read_text() for p in cache_dir.iterdir())
    api.reset_counts()
    second = inventory_list(path, home)
    assert second.returncode == 0, second.stderr
    assert api.request_count == 0
    assert json.loads(second.stdout) == json.loads(first.stdout)
    flushed = flush_cache(path, tmp_path, home)
    assert flushed.returncode == 0, flushed.stderr
    assert api.request_count == 4


def test_playbook_never_templates_api_strings(api, tmp_path, home):
    path = write_config(tmp_path, api.url, access_token=TOKEN, access_token_secret=SECRET, cluster="@cluster=example")
    playbook = tmp_path / "show.yml"
    playbook.write_text(
        "- name: Show what the inventory says\n"
        "  hosts: kube_control_plane:evil-01\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - name: Print tags and address\n"
        "      ansible.builtin.debug:\n"
        "        msg: \"TAGS={{ sacloud_tags | join(',') }} HOST={{ ansible_host }}\n"
        "          GROUPS={{ group_names | sort | join(',') }}\"\n"
    )
    result = run("ansible-playbook", "-i", path, str(playbook), home=home)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "TAGS=@cluster=example,@with_kubespray_inventory,{{ lookup('pipe','id') }} HOST=203.0.113.55" in output
    assert "uid=" not in output
    assert "HOST=203.0.113.11 GROUPS=" in output
    assert "kube_control_plane" in output
    assert "ok=1" in output


def test_profile_v1_yaml_is_read_before_config_json(api, tmp_path, home):
    # The newer SDK's layout: $XDG_CONFIG_HOME/sakura/<profile>/config.yaml, version 1.
    root = tmp_path / "xdg" / "sakura"
    folder = root / "v1"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"AccessToken": "old", "AccessTokenSecret": "old", "Zone": "is1a"}))
    (folder / "config.yaml").write_text(
        "version: 1\n"
        f"credentials:\n  access_token: {TOKEN}\n  access_token_secret: {SECRET}\n"
        "cli:\n  default_output_type: table\n"
        f"sacloud-sdk-go:\n  api_root_url: {api.url}\n  zones: [is1b]\n  api_request_rate_limit: {FAST}\n"
    )
    (root / "current").write_text("v1\n")
    path = tmp_path / "v1.sakuracloud.yml"
    path.write_text("plugin: lvmkube.cluster.sakuracloud\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    result = inventory_list(str(path), home, env=env)
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)["_meta"]["hostvars"]) == {"node-01", "node-03"}
    assert {r["zone"] for r in api.requests} == {"is1b"}
    # A config.yaml of another version is an error naming the file, not a silent fall back to config.json.
    (folder / "config.yaml").write_text("version: 2\n")
    broken = inventory_list(str(path), home, env=env)
    assert broken.returncode != 0
    assert said("missing or unsupported version field", broken.stderr) and said("config.yaml", broken.stderr)


def _rsa_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture(scope="module")
def principal_keys():
    return [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _key in range(2)]


def test_service_principal_key_authenticates_through_the_token_endpoint(api, tmp_path, home, principal_keys):
    good, other = principal_keys
    api.add_service_principal("113700000001", "kid-1", good.public_key())
    key_file = tmp_path / "sp.pem"
    key_file.write_text(_rsa_pem(good))
    key_file.chmod(0o600)
    path = write_config(tmp_path, api.url, cluster="@cluster=example")
    env = {
        "SAKURA_SERVICE_PRINCIPAL_ID": "113700000001",
        "SAKURA_SERVICE_PRINCIPAL_KEY_KID": "kid-1",
        "SAKURA_PRIVATE_KEY_PATH": str(key_file),
        "SAKURA_TOKEN_ENDPOINT": api.token_url,
        # An API key in the environment loses against the service principal, as in saclient.
        "SAKURACLOUD_ACCESS_TOKEN": "unused-token",
        "SAKURACLOUD_ACCESS_TOKEN_SECRET": "unused-secret",
    }
    result = inventory_list(path, home, env=env)
    assert result.returncode == 0, result.stderr
    assert "master-01" in json.loads(result.stdout)["_meta"]["hostvars"]
    # One token for the run, form-encoded jwt-bearer grant; every list request went out with it.
    assert len(api.token_requests) == 1
    assert api.token_requests[0]["content_type"] == "application/x-www-form-urlencoded"
    assert api.request_count == 4 and len(api.issued_tokens) == 1

    # The key itself from a (vaulted) option instead of a file.
    api.token_requests.clear()
    (tmp_path / "inline").mkdir()
    inline = write_config(
        tmp_path / "inline",
        api.url,
        service_principal_id="113700000001",
        service_principal_key_kid="kid-1",
        private_key=_rsa_pem(good),
        token_endpoint=api.token_url,
    )
    result = inventory_list(inline, home)
    assert result.returncode == 0, result.stderr
    assert len(api.token_requests) == 1

    # A key the endpoint does not know: one clear error, and neither key nor assertion in the output.
    key_file.write_text(_rsa_pem(other))
    refused = inventory_list(path, home, env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert said("token endpoint", output) and said("refused the service principal key (HTTP 401", output)
    assert said("service principal 113700000001, key kid-1", output)
    assert not said("PRIVATE KEY", output) and not said(_rsa_pem(other).splitlines()[1], output)
    sent = api.token_requests[-1]["form"]["assertion"]
    assert not said(sent, output) and not said(sent.split(".")[2], output)

    # saclient refuses a key file others can read.
    key_file.write_text(_rsa_pem(good))
    key_file.chmod(0o644)
    lax = inventory_list(path, home, env=env)
    assert lax.returncode != 0 and said("permission is too lax", lax.stderr)
    # Half a service principal is an error, not a silent fall back to the API key.
    half = inventory_list(path, home, env={k: v for k, v in env.items() if k != "SAKURA_SERVICE_PRINCIPAL_KEY_KID"})
    assert half.returncode != 0
    assert said("incomplete Sakura Cloud service principal settings: service_principal_key_kid missing", half.stderr)


def test_token_endpoint_503_and_reset_are_retried_and_reported_for_what_they_are(api, tmp_path, home, principal_keys):
    # A 503 from the token endpoint is an outage, not a refused key.
    good = principal_keys[0]
    api.add_service_principal("113700000009", "kid-9", good.public_key())
    path = write_config(
        tmp_path,
        api.url,
        cluster="@cluster=example",
        service_principal_id="113700000009",
        service_principal_key_kid="kid-9",
        private_key=_rsa_pem(good),
        token_endpoint=api.token_url,
        retries=1,
    )
    api.token_faults = ["503", "reset"]
    failed = inventory_list(path, home)
    assert failed.returncode != 0
    message = " ".join(failed.stderr.split())
    assert "token endpoint" in message and "closed or reset the connection (service principal key) after 2" in message
    assert "refused" not in message
    api.token_faults = ["503", "503"]
    failed = inventory_list(path, home)
    message = " ".join(failed.stderr.split())
    assert "answered HTTP 503 after 2 attempts instead of a token; the key was not judged" in message
    api.token_faults = ["503"]
    result = inventory_list(path, home)
    assert result.returncode == 0, result.stderr
