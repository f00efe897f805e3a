# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settings of one run: options, else the usacloud profile, else the SDK's defaults; the cache fingerprint.

The shapes follow sacloud/sacloud-sdk-go common/saclient (profile.go, parameter.go, rfc7523.go) and
sacloud/api-client-go; see docs/sakuracloud-sdk-conventions.md for the commits read.
"""

from __future__ import annotations

import json

import pytest
from helpers.cloud_answers import FULL_V1
from helpers.usacloud import pem, write_file, write_profile

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import api, auth, profiles
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import settings as sakura_settings

SP_NONE = dict.fromkeys(profiles.SERVICE_PRINCIPAL_KEYS)


def test_profile_dir_replaces_home(tmp_path):
    other = tmp_path / "other"
    write_profile(other, "default", {"AccessToken": "t", "AccessTokenSecret": "s", "Zone": "tk1a"})
    env = {"HOME": str(tmp_path / "nohome"), "USACLOUD_PROFILE_DIR": str(other)}
    assert sakura_settings.resolve_settings(None, None, None, None, env) == (
        "t",
        "s",
        ["tk1a"],
        "usacloud profile 'default' (%s)" % (other / ".usacloud" / "default" / "config.json"),
        profiles.read_profile(str(other / ".usacloud" / "default" / "config.json")),
        None,
    )


def test_client_settings_option_then_profile_then_sdk_default():
    nothing = dict.fromkeys(sakura_settings.SDK_DEFAULTS)
    assert sakura_settings.client_settings(nothing, None) == {
        "api_root_url": "https://secure.sakura.ad.jp/cloud/zone",
        "retries": 10,
        "retry_backoff": 1.0,
        "retry_wait_max": 64.0,
        "rate_limit": 5,
    }
    profile = {"api_root_url": "https://p/zone", "retries": 3, "rate_limit": 2.0}
    got = sakura_settings.client_settings(nothing, profile)
    assert (got["api_root_url"], got["retries"], got["rate_limit"]) == ("https://p/zone", 3, 2)
    got = sakura_settings.client_settings(
        dict(nothing, retries=0, rate_limit=0, api_root_url="https://o/zone"), profile
    )
    assert (got["api_root_url"], got["retries"], got["rate_limit"]) == ("https://o/zone", 0, 0)
    with pytest.raises(ValueError, match="retries must not be negative"):
        sakura_settings.client_settings(dict(nothing, retries=-1), None)
    with pytest.raises(ValueError, match="rate_limit must be a whole number"):
        sakura_settings.client_settings(nothing, {"rate_limit": 2.5})


def test_resolve_settings_options_win_and_profile_fills_gaps(tmp_path):
    write_profile(tmp_path, "dev", {"AccessToken": "pt", "AccessTokenSecret": "ps", "Zones": ["is1b"]}, current="dev")
    env = {"HOME": str(tmp_path)}
    assert sakura_settings.resolve_settings("ot", "os", None, None, env)[:3] == ("ot", "os", ["is1b"])
    assert sakura_settings.resolve_settings("ot", "os", ["tk1a", "tk1a"], None, env)[:3] == ("ot", "os", ["tk1a"])
    assert sakura_settings.resolve_settings(None, None, ["tk1b"], None, env)[:3] == ("pt", "ps", ["tk1b"])


def test_resolve_settings_defaults_and_errors(tmp_path):
    env = {"HOME": str(tmp_path)}
    assert sakura_settings.resolve_settings("t", "s", None, None, env)[2] == list(api.DEFAULT_ZONES)
    assert "tk1v" not in sakura_settings.resolve_settings("t", "s", None, None, env)[2]
    with pytest.raises(ValueError, match="no Sakura Cloud credentials"):
        sakura_settings.resolve_settings(None, None, None, None, env)
    with pytest.raises(ValueError, match="no Sakura Cloud credentials"):
        sakura_settings.resolve_settings("t", None, None, None, env)
    with pytest.raises(ValueError, match="profile 'prd' not found"):
        sakura_settings.resolve_settings(None, None, None, "prd", env)
    with pytest.raises(ValueError, match="unknown Sakura Cloud zone"):
        sakura_settings.resolve_settings("t", "s", ["xx1a"], None, env)
    with pytest.raises(ValueError, match="invalid usacloud profile name"):
        sakura_settings.resolve_settings(None, None, None, "../x", env)


def test_cache_fingerprint_never_holds_the_secret():
    one = sakura_settings.cache_fingerprint("https://a/cloud/zone", ["is1a"], "token")
    assert one == sakura_settings.cache_fingerprint("https://a/cloud/zone/", ["is1a"], "token")
    assert one != sakura_settings.cache_fingerprint("https://a/cloud/zone", ["is1b"], "token")
    assert one != sakura_settings.cache_fingerprint("https://a/cloud/zone", ["is1a"], "other")
    assert one != sakura_settings.cache_fingerprint("https://b/cloud/zone", ["is1a"], "token")
    # A filtered list is another cache entry than the whole zone.
    assert one != sakura_settings.cache_fingerprint("https://a/cloud/zone", ["is1a"], "token", ["@cluster=ex"])
    assert one == sakura_settings.cache_fingerprint("https://a/cloud/zone", ["is1a"], "token", [])
    assert "token" not in one


def test_config_yaml_is_read_before_config_json(tmp_path):
    env = {"SAKURA_PROFILE_DIR": str(tmp_path)}
    json_path = write_file(
        tmp_path / "dev", "config.json", json.dumps({"AccessToken": "v0", "AccessTokenSecret": "s0"})
    )
    assert profiles.profile_path(env, "dev") == str(json_path)
    yaml_path = write_file(tmp_path / "dev", "config.yaml", FULL_V1)
    assert profiles.profile_path(env, "dev") == str(yaml_path)
    token, secret, zones, source, _profile, principal = sakura_settings.resolve_settings(None, None, None, "dev", env)
    assert (token, secret, zones, principal) == ("v1-token", "v1-secret", ["is1b", "tk1a"], None)
    assert str(yaml_path) in source
    # Only a missing profile is a missing profile: config.json of another name is still found.
    assert profiles.profile_path(env, "other") == str(tmp_path / "other" / "config.json")


def test_broken_config_yaml_is_an_error_not_a_fallback(tmp_path):
    env = {"SAKURA_PROFILE_DIR": str(tmp_path)}
    write_file(tmp_path / "default", "config.json", json.dumps({"AccessToken": "t", "AccessTokenSecret": "s"}))
    write_file(tmp_path / "default", "config.yaml", "version: 3\n")
    with pytest.raises(ValueError, match="unsupported version"):
        sakura_settings.resolve_settings(None, None, None, None, env)


def test_service_principal_from_a_v1_profile_wins_over_its_api_key(tmp_path, rsa_key):
    key_path = tmp_path / "sp.pem"
    key_path.write_text(pem(rsa_key))
    key_path.chmod(0o600)
    write_file(
        tmp_path / "prd",
        "config.yaml",
        "version: 1\ncredentials:\n  access_token: t\n  access_token_secret: s\n"
        f"  service_principal_id: '113700000001'\n  service_principal_key_kid: kid-9\n  private_key_path: {key_path}\n",
    )
    env = {"SAKURA_PROFILE_DIR": str(tmp_path)}
    token, secret, _zones, source, _profile, principal = sakura_settings.resolve_settings(None, None, None, "prd", env)
    assert (token, secret) == (None, None)
    assert principal == {
        "service_principal_id": "113700000001",
        "service_principal_key_kid": "kid-9",
        "private_key": None,
        "private_key_path": str(key_path),
        "token_endpoint": auth.DEFAULT_TOKEN_ENDPOINT,
    }
    assert "usacloud profile 'prd'" in source
    # An API key given as options wins over the profile's service principal.
    got = sakura_settings.resolve_settings("ot", "os", None, "prd", env, service_principal=SP_NONE)
    assert got[:2] == ("ot", "os") and got[5] is None
