# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the pure helpers of the sakuracloud inventory plugin."""

from __future__ import annotations

import json
import threading
from urllib.parse import unquote

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils import cloud_inventory as ci
from ansible_collections.lvmkube.cluster.plugins.module_utils import sakuracloud as sc

SHARED = {
    "IPAddress": "203.0.113.10",
    "UserIPAddress": None,
    "MACAddress": "9c:a3:ba:00:00:01",
    "Switch": {"ID": 1, "Scope": "shared"},
}
USER = {
    "IPAddress": None,
    "UserIPAddress": "192.168.0.11",
    "MACAddress": "9c:a3:ba:00:00:02",
    "Switch": {"ID": 2, "Scope": "user"},
}
USER_NO_ADDR = {
    "IPAddress": None,
    "UserIPAddress": None,
    "MACAddress": "9c:a3:ba:00:00:03",
    "Switch": {"ID": 3, "Scope": "user"},
}
DISCONNECTED = {"IPAddress": None, "UserIPAddress": None, "MACAddress": "9c:a3:ba:00:00:04", "Switch": None}


@pytest.mark.parametrize(
    ("tag", "group"),
    [
        ("kube-master", "kube_master"),
        ("@with_kubespray_inventory", "with_kubespray_inventory"),
        ("@cluster=example", "cluster_example"),
        ("@instance-type=large", "instance_type_large"),
        ("k8s-cluster", "k8s_cluster"),
        ("etcd", "etcd"),
        ("2nd-rack", "_2nd_rack"),
        ("@1=a", "_1_a"),
        ("ラック1", "___1_eab616a0"),  # non-ASCII: a stable hash keeps distinct tags apart (issue 24)
        ("a.b/c d", "a_b_c_d"),
        ("{{ lookup('pipe','id') }}", "___lookup__pipe___id_____"),
        ("@", None),
        ("", None),
    ],
)
def test_tag_group_name(tag, group):
    assert sc.tag_group_name(tag) == group


def test_tag_vars_keeps_keys_as_written_and_values_with_equals():
    tags = ["@instance-type=large", "kube-master", "@ssh_user=ubuntu", "@note=a=b", "@=x", "@flag", "@ssh_user=debian"]
    assert sc.tag_vars(tags) == {"instance-type": "large", "ssh_user": "debian", "note": "a=b"}


def test_skip_matcher_exact_and_key_prefix():
    skip = sc.skip_matcher(["@auto-reboot", "plain", "@k=v"])
    assert skip("@auto-reboot")
    assert skip("@auto-reboot=true")
    assert not skip("@auto-reboot-x")
    assert not skip("auto-reboot")
    assert skip("plain")
    assert not skip("plain=1")
    assert skip("@k=v")
    assert not skip("@k=w")
    assert not sc.skip_matcher([])("@auto-reboot")


def test_host_groups_aliases_skip_and_dedup():
    skip = sc.skip_matcher(["@auto-reboot"])
    tags = ["kube-master", "etcd", "@auto-reboot", "kube_master", "kube-node", "@instance-type=large", "calico-rr"]
    assert sc.host_groups(tags, skip) == [
        "kube_master",
        "kube_control_plane",
        "etcd",
        "kube_node",
        "instance_type_large",
        "calico_rr",
    ]
    assert sc.host_groups(tags, skip, aliases=False) == [
        "kube_master",
        "etcd",
        "kube_node",
        "instance_type_large",
        "calico_rr",
    ]


@pytest.mark.parametrize(
    ("nics", "mode", "expected"),
    [
        ([SHARED, USER], "nic0", "203.0.113.10"),
        ([USER, SHARED], "nic0", "192.168.0.11"),
        ([None, SHARED], "nic0", None),
        ([], "nic0", None),
        (None, "nic0", None),
        ([DISCONNECTED, SHARED], "nic0", None),
        ([USER_NO_ADDR, SHARED], "nic0", None),
        ([None, USER, SHARED], "public", "203.0.113.10"),
        ([None, SHARED, USER], "private", "192.168.0.11"),
        ([USER_NO_ADDR, USER], "private", "192.168.0.11"),
        ([SHARED], "private", None),
        ([USER], "public", None),
        ([], "name", "srv"),
    ],
)
def test_choose_address(nics, mode, expected):
    assert sc.choose_address({"Name": "srv", "Interfaces": nics}, mode) == expected


def test_switch_by_name_or_id():
    named = dict(USER, Switch={"ID": 113000000777, "Name": "sw-cluster", "Scope": "user"})
    server = {"Name": "srv", "Interfaces": [SHARED, USER, named]}
    assert (
        sc.on_switch(named, "sw-cluster") and sc.on_switch(named, "113000000777") and sc.on_switch(named, 113000000777)
    )
    assert not sc.on_switch(named, "sw-other") and not sc.on_switch(None, "sw-cluster") and not sc.on_switch(named, "")
    assert sc.switch_nic(server, "sw-cluster") is named
    assert sc.switch_nic(server, "1") is SHARED  # the shared segment by its ID
    assert sc.switch_nic(server, "nope") is None
    # connect_with=private with a switch: the NIC on that switch, not the first user switch.
    other = dict(named, UserIPAddress="10.0.0.5")
    server = {"Name": "srv", "Interfaces": [USER, other]}
    assert sc.choose_address(server, "private") == "192.168.0.11"
    assert sc.choose_address(server, "private", "sw-cluster") == "10.0.0.5"
    assert sc.choose_address(server, "private", "sw-none") is None
    assert sc.choose_address(server, "nic0", "sw-cluster") == "192.168.0.11"  # only private looks at the switch
    assert sc.kubespray_vars(server, None, "nic0", ip="private", switch="sw-cluster") == {"ip": "10.0.0.5"}


def test_check_host_name():
    assert sc.check_host_name("  web.is1a ", 1) == "web.is1a"
    for bad in ("", "  ", None, "a\nb"):
        with pytest.raises(ValueError, match="hostname template gave"):
            sc.check_host_name(bad, 7)


def test_choose_address_rejects_unknown_mode():
    with pytest.raises(ValueError, match="connect_with"):
        sc.choose_address({"Name": "x"}, "ipv6")


def test_interface_facts_skip_null_entries_and_keep_index():
    facts = sc.interface_facts([None, USER, DISCONNECTED])
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
    variables, address = sc.host_vars(server, "is1b", "sacloud_", "nic0")
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
        "sacloud_interfaces": sc.interface_facts([SHARED]),
        "sacloud_server_plan": {"cpu": 4, "memory_mb": 8192},
    }


def test_kubespray_vars_member_name_from_tag_or_server_name():
    tagged = {"Name": "m1", "Tags": ["etcd", "@etcd_member_name=etcd-a"], "Interfaces": [SHARED, USER]}
    plain = {"Name": "m2", "Tags": ["etcd"], "Interfaces": [SHARED, USER]}
    assert sc.kubespray_vars(tagged, "203.0.113.10", "nic0", etcd_member_name=True) == {"etcd_member_name": "etcd-a"}
    assert sc.kubespray_vars(plain, "203.0.113.10", "nic0", etcd_member_name=True) == {"etcd_member_name": "m2"}
    # Off by default: nothing is set.
    assert sc.kubespray_vars(plain, "203.0.113.10", "nic0") == {}


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
    assert sc.kubespray_vars(server, address, connect_with, ip=ip, access_ip=access_ip) == expected


def test_kubespray_vars_rejects_unknown_source():
    with pytest.raises(ValueError, match="kubespray_ip must be one of none, private, public, connection"):
        sc.kubespray_vars({"Name": "x"}, None, "nic0", ip="ipv6")


def test_host_vars_without_address_or_valid_port():
    server = {"ID": 5, "Name": "bare", "Tags": ["@ssh_port=ssh", "@ssh_port=70000"], "Interfaces": None}
    variables, address = sc.host_vars(server, "tk1a", "x_", "nic0")
    assert address is None
    assert "ansible_host" not in variables
    assert "ansible_port" not in variables
    assert variables["x_zone"] == "tk1a"
    assert variables["x_server_plan"] == {"cpu": None, "memory_mb": None}
    assert variables["x_interfaces"] == []


def test_make_filter():
    accept = sc.make_filter("@cluster=a", ["etcd"], ["@retired"], ["up"])
    assert accept(["@cluster=a", "etcd"], "up")
    assert not accept(["@cluster=b", "etcd"], "up")
    assert not accept(["@cluster=a"], "up")
    assert not accept(["@cluster=a", "etcd", "@retired"], "up")
    assert not accept(["@cluster=a", "etcd"], "down")
    assert sc.make_filter()([], None)


def test_check_hostvars_prefix():
    reserved = {"name", "tags", "vars"}
    sc.check_hostvars_prefix("sacloud_", reserved)
    sc.check_hostvars_prefix("sc", reserved)
    with pytest.raises(ValueError, match="'name'"):
        sc.check_hostvars_prefix("", reserved)
    with pytest.raises(ValueError, match="invalid variable name"):
        sc.check_hostvars_prefix("sa-cloud-", reserved)
    with pytest.raises(ValueError, match="invalid variable name"):
        sc.check_hostvars_prefix("1x", reserved)


def test_unique_host_name():
    taken = {"web", "web.is1a"}
    assert sc.unique_host_name("db", "is1a", 1, taken) == "db"
    assert sc.unique_host_name("web", "is1b", 2, taken) == "web.is1b"
    assert sc.unique_host_name("web", "is1a", 3, taken) == "web.is1a.3"


def test_find_query_is_url_encoded_json():
    query = sc.find_query(2000, 1000)
    assert "{" not in query and " " not in query
    body = json.loads(unquote(query))
    assert body["From"] == 2000
    assert body["Count"] == 1000
    assert set(body) == {"From", "Count", "Sort", "Filter", "Include"}
    assert "Interfaces" in body["Include"]


def test_find_query_sends_the_tags_as_the_sdk_filter():
    tags = sc.filter_tags("@cluster=ex", ["etcd", "@cluster=ex"])
    assert tags == ["@cluster=ex", "etcd"]
    body = json.loads(unquote(sc.find_query(0, 100, tags)))
    # iaas-api-go search.TagsAndEqual: the tag list is the one element of the condition.
    assert body["Filter"] == {"Tags.Name": [["@cluster=ex", "etcd"]]}
    assert json.loads(unquote(sc.find_query(0, 100)))["Filter"] == {}
    assert sc.filter_tags(None, []) == []


def test_urls():
    assert (
        sc.server_list_url("https://secure.sakura.ad.jp/cloud/zone/", "is1a")
        == "https://secure.sakura.ad.jp/cloud/zone/is1a/api/cloud/1.1/server"
    )
    assert (
        ci.redact_url("https://tok:sec@example.test:8443/cloud/zone/is1a/api?x=1")
        == "https://example.test:8443/cloud/zone/is1a/api"
    )


def test_api_error_message():
    body = json.dumps(
        {"is_fatal": True, "serial": "x", "status": "404 Not Found", "error_code": "not_found", "error_msg": "missing"}
    )
    assert sc.api_error_message(body) == "not_found: missing"
    assert sc.api_error_message("<html>") is None
    assert sc.api_error_message("[]") is None


def test_page_servers_validation():
    assert sc.page_servers({"Total": 2, "Servers": [{"ID": 1}]}) == ([{"ID": 1}], 2)
    assert sc.page_servers({"Total": 0, "Servers": None}) == ([], 0)
    with pytest.raises(ValueError, match="not a JSON object"):
        sc.page_servers([])
    with pytest.raises(ValueError, match="Servers"):
        sc.page_servers({"Total": 1, "Servers": {}})
    with pytest.raises(ValueError, match="Total"):
        sc.page_servers({"Servers": []})


def test_backoff_delay():
    assert [ci.backoff_delay(n, 0.5) for n in range(4)] == [0.5, 1.0, 2.0, 4.0]
    assert ci.backoff_delay(10, 1.0) == 64.0  # the SDK's RetryWaitMax
    assert ci.backoff_delay(10, 1.0, 30.0) == 30.0


def test_retry_after_seconds_capped():
    assert ci.retry_after("3", 64) == 3.0
    assert ci.retry_after("120", 64) == 64
    for bad in (None, "", "Wed, 21 Oct 2026 07:28:00 GMT", "-1"):
        assert ci.retry_after(bad, 64) is None


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_rate_limiter_spaces_requests_like_the_sdk():
    clock = FakeClock()
    limiter = ci.RateLimiter(5, clock=clock, sleep=clock.sleep)
    waits = [limiter.take() for _request in range(4)]
    # The first request at once, then one every 1/5 s.
    assert [round(w, 6) for w in waits] == [0.0, 0.2, 0.2, 0.2]
    assert clock.now == pytest.approx(100.6)
    # After a pause no debt is carried: the next request goes at once.
    clock.now += 5
    assert limiter.take() == 0.0
    assert round(limiter.take(), 6) == 0.2
    off = ci.RateLimiter(0, clock=clock, sleep=clock.sleep)
    assert [off.take() for _request in range(3)] == [0.0, 0.0, 0.0]


def test_rate_limiter_is_shared_by_threads():
    clock = FakeClock()
    lock = threading.Lock()

    def sleep(seconds):
        with lock:
            clock.slept.append(round(seconds, 6))

    limiter = ci.RateLimiter(10, clock=clock, sleep=sleep)
    threads = [threading.Thread(target=limiter.take) for _thread in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The clock stands still: five permissions 0.1 s apart, whatever thread got which.
    assert sorted(clock.slept) == [0.1, 0.2, 0.3, 0.4]


def _profile(home, name, data, current=None):
    folder = home / ".usacloud" / name
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(data))
    if current is not None:
        (home / ".usacloud" / "current").write_text(current + "\n")


def test_profile_name_resolution(tmp_path):
    env = {"HOME": str(tmp_path)}
    assert sc.current_profile_name(env) == ("default", False)
    (tmp_path / ".usacloud").mkdir()
    (tmp_path / ".usacloud" / "current").write_text("dev\n")
    assert sc.current_profile_name(env) == ("dev", True)
    assert sc.current_profile_name(dict(env, USACLOUD_PROFILE="prd")) == ("prd", True)
    assert sc.current_profile_name(dict(env, USACLOUD_PROFILE="prd"), "opt") == ("opt", True)
    # The SDKs' order of the environment variables.
    everything = dict(env, USACLOUD_PROFILE="u", SAKURACLOUD_PROFILE="sc", SAKURA_PROFILE="s")
    assert sc.current_profile_name(everything) == ("s", True)
    assert sc.current_profile_name(dict(everything, SAKURA_PROFILE="")) == ("sc", True)
    (tmp_path / ".usacloud" / "current").write_text("default")
    assert sc.current_profile_name(env) == ("default", False)


def test_profile_dir_as_both_sdks_lay_it_out(tmp_path):
    home = tmp_path / "home"
    assert sc.profile_dir({"HOME": str(home)}) == str(home / ".usacloud")
    xdg = tmp_path / "xdg"
    assert sc.profile_dir({"HOME": str(home), "XDG_CONFIG_HOME": str(xdg)}) == str(home / ".usacloud")
    (xdg / "usacloud").mkdir(parents=True)
    assert sc.profile_dir({"HOME": str(home), "XDG_CONFIG_HOME": str(xdg)}) == str(xdg / "usacloud")
    # saclient: the variable names the profile folder itself ...
    flat = tmp_path / "flat"
    flat.mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(xdg), "USACLOUD_PROFILE_DIR": str(flat)}
    assert sc.profile_dir(env) == str(flat)
    # ... api-client-go: the folder that holds .usacloud.
    (flat / ".usacloud").mkdir()
    assert sc.profile_dir(env) == str(flat / ".usacloud")
    other = tmp_path / "other"
    other.mkdir()
    assert sc.profile_dir(dict(env, SAKURACLOUD_PROFILE_DIR=str(other))) == str(other)
    assert sc.profile_dir(dict(env, SAKURACLOUD_PROFILE_DIR=str(other), SAKURA_PROFILE_DIR=str(flat))) == str(
        flat / ".usacloud"
    )


def test_profile_dir_replaces_home(tmp_path):
    other = tmp_path / "other"
    _profile(other, "default", {"AccessToken": "t", "AccessTokenSecret": "s", "Zone": "tk1a"})
    env = {"HOME": str(tmp_path / "nohome"), "USACLOUD_PROFILE_DIR": str(other)}
    assert sc.resolve_settings(None, None, None, None, env) == (
        "t",
        "s",
        ["tk1a"],
        "usacloud profile 'default' (%s)" % (other / ".usacloud" / "default" / "config.json"),
        sc.read_profile(str(other / ".usacloud" / "default" / "config.json")),
        None,
    )


def test_read_profile_zones_win_over_zone(tmp_path):
    _profile(tmp_path, "dev", {"AccessToken": "t", "AccessTokenSecret": "s", "Zone": "tk1a", "Zones": ["is1a", "is1b"]})
    assert sc.read_profile(str(tmp_path / ".usacloud" / "dev" / "config.json")) == {
        "access_token": "t",
        "access_token_secret": "s",
        "zones": ["is1a", "is1b"],
        "api_root_url": None,
        "retries": None,
        "retry_backoff": None,
        "retry_wait_max": None,
        "rate_limit": None,
        "service_principal_id": None,
        "service_principal_key_kid": None,
        "private_key": None,
        "private_key_path": None,
        "token_endpoint": None,
    }
    assert sc.read_profile(str(tmp_path / "missing.json")) is None


def test_read_profile_client_keys_of_both_sdks(tmp_path):
    v0 = {"APIRootURL": "https://api.example/zone", "RetryMax": 3, "RetryWaitMin": 2, "HTTPRequestRateLimit": 7}
    _profile(tmp_path, "v0", v0)
    got = sc.read_profile(str(tmp_path / ".usacloud" / "v0" / "config.json"))
    assert (got["api_root_url"], got["retries"], got["retry_backoff"], got["rate_limit"]) == (
        "https://api.example/zone",
        3,
        2,
        7,
    )
    # HTTPRequestRateLimit wins (saclient maps APIRequestRateLimit to it when reading a profile); the
    # APIRequestRateLimit of older saclient releases is read when it is the only one; 0 is "not set".
    _profile(tmp_path, "new", {"APIRequestRateLimit": 2.0, "HTTPRequestRateLimit": 9, "RetryMax": 0})
    got = sc.read_profile(str(tmp_path / ".usacloud" / "new" / "config.json"))
    assert (got["rate_limit"], got["retries"]) == (9, None)
    _profile(tmp_path, "old", {"APIRequestRateLimit": 2.0})
    assert sc.read_profile(str(tmp_path / ".usacloud" / "old" / "config.json"))["rate_limit"] == 2.0
    _profile(tmp_path, "bad", {"RetryMax": "ten"})
    with pytest.raises(ValueError, match="RetryMax must be a number not below 0, got 'ten'"):
        sc.read_profile(str(tmp_path / ".usacloud" / "bad" / "config.json"))


def test_client_settings_option_then_profile_then_sdk_default():
    nothing = dict.fromkeys(sc.SDK_DEFAULTS)
    assert sc.client_settings(nothing, None) == {
        "api_root_url": "https://secure.sakura.ad.jp/cloud/zone",
        "retries": 10,
        "retry_backoff": 1.0,
        "retry_wait_max": 64.0,
        "rate_limit": 5,
    }
    profile = {"api_root_url": "https://p/zone", "retries": 3, "rate_limit": 2.0}
    got = sc.client_settings(nothing, profile)
    assert (got["api_root_url"], got["retries"], got["rate_limit"]) == ("https://p/zone", 3, 2)
    got = sc.client_settings(dict(nothing, retries=0, rate_limit=0, api_root_url="https://o/zone"), profile)
    assert (got["api_root_url"], got["retries"], got["rate_limit"]) == ("https://o/zone", 0, 0)
    with pytest.raises(ValueError, match="retries must not be negative"):
        sc.client_settings(dict(nothing, retries=-1), None)
    with pytest.raises(ValueError, match="rate_limit must be a whole number"):
        sc.client_settings(nothing, {"rate_limit": 2.5})


def test_read_profile_bad_json(tmp_path):
    path = tmp_path / "config.json"
    path.write_text("{nope")
    with pytest.raises(ValueError, match="not valid JSON"):
        sc.read_profile(str(path))
    path.write_text("[]")
    with pytest.raises(ValueError, match="not a JSON object"):
        sc.read_profile(str(path))


def test_resolve_settings_options_win_and_profile_fills_gaps(tmp_path):
    _profile(tmp_path, "dev", {"AccessToken": "pt", "AccessTokenSecret": "ps", "Zones": ["is1b"]}, current="dev")
    env = {"HOME": str(tmp_path)}
    assert sc.resolve_settings("ot", "os", None, None, env)[:3] == ("ot", "os", ["is1b"])
    assert sc.resolve_settings("ot", "os", ["tk1a", "tk1a"], None, env)[:3] == ("ot", "os", ["tk1a"])
    assert sc.resolve_settings(None, None, ["tk1b"], None, env)[:3] == ("pt", "ps", ["tk1b"])


def test_resolve_settings_defaults_and_errors(tmp_path):
    env = {"HOME": str(tmp_path)}
    assert sc.resolve_settings("t", "s", None, None, env)[2] == list(sc.DEFAULT_ZONES)
    assert "tk1v" not in sc.resolve_settings("t", "s", None, None, env)[2]
    with pytest.raises(ValueError, match="no Sakura Cloud credentials"):
        sc.resolve_settings(None, None, None, None, env)
    with pytest.raises(ValueError, match="no Sakura Cloud credentials"):
        sc.resolve_settings("t", None, None, None, env)
    with pytest.raises(ValueError, match="profile 'prd' not found"):
        sc.resolve_settings(None, None, None, "prd", env)
    with pytest.raises(ValueError, match="unknown Sakura Cloud zone"):
        sc.resolve_settings("t", "s", ["xx1a"], None, env)
    with pytest.raises(ValueError, match="invalid usacloud profile name"):
        sc.resolve_settings(None, None, None, "../x", env)


def test_cache_fingerprint_never_holds_the_secret():
    one = sc.cache_fingerprint("https://a/cloud/zone", ["is1a"], "token")
    assert one == sc.cache_fingerprint("https://a/cloud/zone/", ["is1a"], "token")
    assert one != sc.cache_fingerprint("https://a/cloud/zone", ["is1b"], "token")
    assert one != sc.cache_fingerprint("https://a/cloud/zone", ["is1a"], "other")
    assert one != sc.cache_fingerprint("https://b/cloud/zone", ["is1a"], "token")
    # A filtered list is another cache entry than the whole zone.
    assert one != sc.cache_fingerprint("https://a/cloud/zone", ["is1a"], "token", ["@cluster=ex"])
    assert one == sc.cache_fingerprint("https://a/cloud/zone", ["is1a"], "token", [])
    assert "token" not in one
