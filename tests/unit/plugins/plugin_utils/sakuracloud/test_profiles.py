# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""usacloud profiles: the folder of either SDK, the current profile, v1 YAML and v0 JSON files.

The shapes follow sacloud/sacloud-sdk-go common/saclient (profile.go, parameter.go, rfc7523.go) and
sacloud/api-client-go; see docs/sakuracloud-sdk-conventions.md for the commits read.
"""

from __future__ import annotations

import pytest
from helpers.cloud_answers import FULL_V1
from helpers.usacloud import write_file, write_profile

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import profiles
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import settings as sakura_settings


def test_profile_name_resolution(tmp_path):
    env = {"HOME": str(tmp_path)}
    assert profiles.current_profile_name(env) == ("default", False)
    (tmp_path / ".usacloud").mkdir()
    (tmp_path / ".usacloud" / "current").write_text("dev\n")
    assert profiles.current_profile_name(env) == ("dev", True)
    assert profiles.current_profile_name(dict(env, USACLOUD_PROFILE="prd")) == ("prd", True)
    assert profiles.current_profile_name(dict(env, USACLOUD_PROFILE="prd"), "opt") == ("opt", True)
    # The SDKs' order of the environment variables.
    everything = dict(env, USACLOUD_PROFILE="u", SAKURACLOUD_PROFILE="sc", SAKURA_PROFILE="s")
    assert profiles.current_profile_name(everything) == ("s", True)
    assert profiles.current_profile_name(dict(everything, SAKURA_PROFILE="")) == ("sc", True)
    (tmp_path / ".usacloud" / "current").write_text("default")
    assert profiles.current_profile_name(env) == ("default", False)


def test_profile_dir_as_both_sdks_lay_it_out(tmp_path):
    home = tmp_path / "home"
    assert profiles.profile_dir({"HOME": str(home)}) == str(home / ".usacloud")
    xdg = tmp_path / "xdg"
    assert profiles.profile_dir({"HOME": str(home), "XDG_CONFIG_HOME": str(xdg)}) == str(home / ".usacloud")
    (xdg / "usacloud").mkdir(parents=True)
    assert profiles.profile_dir({"HOME": str(home), "XDG_CONFIG_HOME": str(xdg)}) == str(xdg / "usacloud")
    # saclient: the variable names the profile folder itself ...
    flat = tmp_path / "flat"
    flat.mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(xdg), "USACLOUD_PROFILE_DIR": str(flat)}
    assert profiles.profile_dir(env) == str(flat)
    # ... api-client-go: the folder that holds .usacloud.
    (flat / ".usacloud").mkdir()
    assert profiles.profile_dir(env) == str(flat / ".usacloud")
    other = tmp_path / "other"
    other.mkdir()
    assert profiles.profile_dir(dict(env, SAKURACLOUD_PROFILE_DIR=str(other))) == str(other)
    assert profiles.profile_dir(dict(env, SAKURACLOUD_PROFILE_DIR=str(other), SAKURA_PROFILE_DIR=str(flat))) == str(
        flat / ".usacloud"
    )


def test_read_profile_zones_win_over_zone(tmp_path):
    write_profile(
        tmp_path, "dev", {"AccessToken": "t", "AccessTokenSecret": "s", "Zone": "tk1a", "Zones": ["is1a", "is1b"]}
    )
    assert profiles.read_profile(str(tmp_path / ".usacloud" / "dev" / "config.json")) == {
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
    assert profiles.read_profile(str(tmp_path / "missing.json")) is None


def test_read_profile_client_keys_of_both_sdks(tmp_path):
    v0 = {"APIRootURL": "https://api.example/zone", "RetryMax": 3, "RetryWaitMin": 2, "HTTPRequestRateLimit": 7}
    write_profile(tmp_path, "v0", v0)
    got = profiles.read_profile(str(tmp_path / ".usacloud" / "v0" / "config.json"))
    assert (got["api_root_url"], got["retries"], got["retry_backoff"], got["rate_limit"]) == (
        "https://api.example/zone",
        3,
        2,
        7,
    )
    # HTTPRequestRateLimit wins (saclient maps APIRequestRateLimit to it when reading a profile); the
    # APIRequestRateLimit of older saclient releases is read when it is the only one; 0 is "not set".
    write_profile(tmp_path, "new", {"APIRequestRateLimit": 2.0, "HTTPRequestRateLimit": 9, "RetryMax": 0})
    got = profiles.read_profile(str(tmp_path / ".usacloud" / "new" / "config.json"))
    assert (got["rate_limit"], got["retries"]) == (9, None)
    write_profile(tmp_path, "old", {"APIRequestRateLimit": 2.0})
    assert profiles.read_profile(str(tmp_path / ".usacloud" / "old" / "config.json"))["rate_limit"] == 2.0
    write_profile(tmp_path, "bad", {"RetryMax": "ten"})
    with pytest.raises(ValueError, match="RetryMax must be a number not below 0, got 'ten'"):
        profiles.read_profile(str(tmp_path / ".usacloud" / "bad" / "config.json"))


def test_read_profile_bad_json(tmp_path):
    path = tmp_path / "config.json"
    path.write_text("{nope")
    with pytest.raises(ValueError, match="not valid JSON"):
        profiles.read_profile(str(path))
    path.write_text("[]")
    with pytest.raises(ValueError, match="not a JSON object"):
        profiles.read_profile(str(path))


def test_profile_folder_order_of_the_newer_sdk(tmp_path):
    home = tmp_path / "home"
    xdg = tmp_path / "xdg"
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(xdg)}
    # Nothing exists: the api-client-go default.
    assert profiles.profile_dir(env) == str(home / ".usacloud")
    (home / ".usacloud").mkdir(parents=True)
    assert profiles.profile_dir(env) == str(home / ".usacloud")
    (home / ".config" / "sakura").mkdir(parents=True)
    assert profiles.profile_dir(env) == str(home / ".config" / "sakura")
    (xdg / "usacloud").mkdir(parents=True)
    assert profiles.profile_dir(env) == str(xdg / "usacloud")
    (xdg / "sakura").mkdir()
    assert profiles.profile_dir(env) == str(xdg / "sakura")
    # Without XDG_CONFIG_HOME its folders are not looked at.
    assert profiles.profile_dir({"HOME": str(home)}) == str(home / ".config" / "sakura")
    # A *_PROFILE_DIR variable wins over every one of them.
    assert profiles.profile_dir(dict(env, SAKURA_PROFILE_DIR=str(tmp_path / "mine"))) == str(tmp_path / "mine")


def test_read_profile_v1_maps_the_sdk_section(tmp_path):
    path = write_file(tmp_path, "config.yaml", FULL_V1)
    assert profiles.read_profile(str(path)) == {
        "access_token": "v1-token",
        "access_token_secret": "v1-secret",
        "zones": ["is1b", "tk1a"],
        "api_root_url": "http://127.0.0.1:9/cloud/zone",
        "retries": 3,
        "retry_backoff": 2,
        "retry_wait_max": 16,
        "rate_limit": 7,
        "service_principal_id": None,
        "service_principal_key_kid": None,
        "private_key": None,
        "private_key_path": None,
        "token_endpoint": None,
    }
    settings = sakura_settings.client_settings(
        dict.fromkeys(sakura_settings.SDK_DEFAULTS), profiles.read_profile(str(path))
    )
    assert (settings["rate_limit"], settings["retries"], settings["retry_backoff"]) == (7, 3, 2)


def test_read_profile_v1_zone_and_other_sections(tmp_path):
    path = write_file(tmp_path, "config.yaml", "version: 1\nsacloud-sdk-go:\n  zone: tk1b\ngo:\n  zones: [is1a]\n")
    got = profiles.read_profile(str(path))
    # zone alone becomes the zone list; an unknown section (here the draft's go:) is not read.
    assert got["zones"] == ["tk1b"]
    assert got["access_token"] is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("credentials:\n  access_token: t\n", "missing or unsupported version field"),
        ("version: 2\n", "missing or unsupported version field"),
        ("version: true\n", "missing or unsupported version field"),
        ("- version: 1\n", "is not a YAML mapping"),
        ("version: 1\ncredentials: [a]\n", "credentials must be a mapping"),
        ("version: 1\ncredentials: {access_token: [\n", "is not valid YAML"),
        ("  \n", "is empty"),
        ("version: 1\nsacloud-sdk-go:\n  retry_max: ten\n", "RetryMax must be a number not below 0"),
    ],
)
def test_read_profile_v1_errors(tmp_path, text, message):
    path = write_file(tmp_path, "config.yaml", text)
    with pytest.raises(ValueError, match=message):
        profiles.read_profile(str(path))


def test_first_env_takes_the_first_non_empty_variable():
    assert profiles.first_env({"A": "", "B": "b", "C": "c"}, ("A", "B", "C")) == "b"
    assert profiles.first_env({}, ("A",)) is None
