# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Profile v1 (config.yaml), the newer SDK's profile folders and service principal keys, unit by unit.

The shapes follow sacloud/sacloud-sdk-go common/saclient (profile.go, parameter.go,
rfc7523.go); see docs/sakuracloud-sdk-conventions.md for the commits read.
"""

from __future__ import annotations

import base64
import json
import os

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from ansible_collections.lvmkube.cluster.plugins.module_utils import sakuracloud as sc

FULL_V1 = """\
version: 1
credentials:
  access_token: v1-token
  access_token_secret: v1-secret
endpoints:
  iam: http://127.0.0.1:18087
cli:
  default_output_type: table
sacloud-sdk-go:
  api_root_url: http://127.0.0.1:9/cloud/zone
  zone: is1a
  zones:
    - is1b
    - tk1a
  retry_max: 3
  retry_wait_min: 2
  retry_wait_max: 16
  api_request_rate_limit: 7
sacloud-sdk-dotnet:
  foobar: ignored
"""


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()


def test_profile_folder_order_of_the_newer_sdk(tmp_path):
    home = tmp_path / "home"
    xdg = tmp_path / "xdg"
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(xdg)}
    # Nothing exists: the api-client-go default.
    assert sc.profile_dir(env) == str(home / ".usacloud")
    (home / ".usacloud").mkdir(parents=True)
    assert sc.profile_dir(env) == str(home / ".usacloud")
    (home / ".config" / "sakura").mkdir(parents=True)
    assert sc.profile_dir(env) == str(home / ".config" / "sakura")
    (xdg / "usacloud").mkdir(parents=True)
    assert sc.profile_dir(env) == str(xdg / "usacloud")
    (xdg / "sakura").mkdir()
    assert sc.profile_dir(env) == str(xdg / "sakura")
    # Without XDG_CONFIG_HOME its folders are not looked at.
    assert sc.profile_dir({"HOME": str(home)}) == str(home / ".config" / "sakura")
    # A *_PROFILE_DIR variable wins over every one of them.
    assert sc.profile_dir(dict(env, SAKURA_PROFILE_DIR=str(tmp_path / "mine"))) == str(tmp_path / "mine")


def test_config_yaml_is_read_before_config_json(tmp_path):
    env = {"SAKURA_PROFILE_DIR": str(tmp_path)}
    json_path = _write(tmp_path / "dev", "config.json", json.dumps({"AccessToken": "v0", "AccessTokenSecret": "s0"}))
    assert sc.profile_path(env, "dev") == str(json_path)
    yaml_path = _write(tmp_path / "dev", "config.yaml", FULL_V1)
    assert sc.profile_path(env, "dev") == str(yaml_path)
    token, secret, zones, source, _profile, principal = sc.resolve_settings(None, None, None, "dev", env)
    assert (token, secret, zones, principal) == ("v1-token", "v1-secret", ["is1b", "tk1a"], None)
    assert str(yaml_path) in source
    # Only a missing profile is a missing profile: config.json of another name is still found.
    assert sc.profile_path(env, "other") == str(tmp_path / "other" / "config.json")


def test_read_profile_v1_maps_the_sdk_section(tmp_path):
    path = _write(tmp_path, "config.yaml", FULL_V1)
    assert sc.read_profile(str(path)) == {
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
    settings = sc.client_settings(dict.fromkeys(sc.SDK_DEFAULTS), sc.read_profile(str(path)))
    assert (settings["rate_limit"], settings["retries"], settings["retry_backoff"]) == (7, 3, 2)


def test_read_profile_v1_zone_and_other_sections(tmp_path):
    path = _write(tmp_path, "config.yaml", "version: 1\nsacloud-sdk-go:\n  zone: tk1b\ngo:\n  zones: [is1a]\n")
    got = sc.read_profile(str(path))
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
    path = _write(tmp_path, "config.yaml", text)
    with pytest.raises(ValueError, match=message):
        sc.read_profile(str(path))


def test_broken_config_yaml_is_an_error_not_a_fallback(tmp_path):
    env = {"SAKURA_PROFILE_DIR": str(tmp_path)}
    _write(tmp_path / "default", "config.json", json.dumps({"AccessToken": "t", "AccessTokenSecret": "s"}))
    _write(tmp_path / "default", "config.yaml", "version: 3\n")
    with pytest.raises(ValueError, match="unsupported version"):
        sc.resolve_settings(None, None, None, None, env)


SP_NONE = dict.fromkeys(sc.SERVICE_PRINCIPAL_KEYS)


def test_service_principal_preference_of_saclient():
    sp = dict(SP_NONE, service_principal_id="sp-1", service_principal_key_kid="kid-1", private_key="PEM")
    profile_sp = dict(SP_NONE, service_principal_id="sp-p", service_principal_key_kid="kid-p", private_key_path="/k")
    # Options: a service principal setting wins over an API key.
    got = sc.service_principal_settings(dict(sp, access_token="t", access_token_secret="s"), None)
    assert got["service_principal_id"] == "sp-1"
    assert got["token_endpoint"] == sc.DEFAULT_TOKEN_ENDPOINT
    # An API key among the options wins over a service principal in the profile ...
    assert sc.service_principal_settings(dict(SP_NONE, access_token="t"), profile_sp) is None
    # ... without one, the profile's service principal wins over the profile's API key.
    got = sc.service_principal_settings(dict(SP_NONE), dict(profile_sp, access_token="pt", access_token_secret="ps"))
    assert (got["service_principal_id"], got["private_key_path"]) == ("sp-p", "/k")
    # Each setting on its own: the option's, else the profile's.
    got = sc.service_principal_settings(dict(SP_NONE, service_principal_key_kid="kid-o"), profile_sp)
    assert (got["service_principal_id"], got["service_principal_key_kid"]) == ("sp-p", "kid-o")
    assert sc.service_principal_settings(dict(SP_NONE, token_endpoint="http://x"), None) is None
    assert sc.service_principal_settings(dict(SP_NONE), dict(SP_NONE, access_token="pt")) is None


def test_service_principal_from_a_v1_profile_wins_over_its_api_key(tmp_path, rsa_key):
    key_path = tmp_path / "sp.pem"
    key_path.write_text(_pem(rsa_key))
    key_path.chmod(0o600)
    _write(
        tmp_path / "prd",
        "config.yaml",
        "version: 1\ncredentials:\n  access_token: t\n  access_token_secret: s\n"
        f"  service_principal_id: '113700000001'\n  service_principal_key_kid: kid-9\n  private_key_path: {key_path}\n",
    )
    env = {"SAKURA_PROFILE_DIR": str(tmp_path)}
    token, secret, _zones, source, _profile, principal = sc.resolve_settings(None, None, None, "prd", env)
    assert (token, secret) == (None, None)
    assert principal == {
        "service_principal_id": "113700000001",
        "service_principal_key_kid": "kid-9",
        "private_key": None,
        "private_key_path": str(key_path),
        "token_endpoint": sc.DEFAULT_TOKEN_ENDPOINT,
    }
    assert "usacloud profile 'prd'" in source
    # An API key given as options wins over the profile's service principal.
    got = sc.resolve_settings("ot", "os", None, "prd", env, service_principal=SP_NONE)
    assert got[:2] == ("ot", "os") and got[5] is None


def test_check_service_principal_errors(tmp_path):
    with pytest.raises(ValueError, match="service_principal_key_kid, private_key or private_key_path missing"):
        sc.check_service_principal(dict(SP_NONE, service_principal_id="sp"))
    with pytest.raises(ValueError, match="private key file not found"):
        sc.check_service_principal(
            dict(
                SP_NONE, service_principal_id="sp", service_principal_key_kid="k", private_key_path=str(tmp_path / "x")
            )
        )
    lax = tmp_path / "lax.pem"
    lax.write_text("key")
    lax.chmod(0o644)
    settings = dict(SP_NONE, service_principal_id="sp", service_principal_key_kid="k", private_key_path=str(lax))
    with pytest.raises(ValueError, match="permission is too lax: 644"):
        sc.check_service_principal(settings)
    lax.chmod(0o600)
    sc.check_service_principal(settings)
    with pytest.raises(ValueError, match="not a file"):
        sc.check_service_principal(dict(settings, private_key_path=str(tmp_path)))
    # The key itself needs no file.
    sc.check_service_principal(dict(settings, private_key="PEM", private_key_path=None))


def _b64decode(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_assertion_is_an_rs256_jwt_the_public_key_verifies(rsa_key):
    audience = "http://127.0.0.1:1/token"
    assertion = sc.service_principal_assertion(_pem(rsa_key), "sp-1", "kid-1", audience, 1_800_000_000.7)
    header_b64, claims_b64, signature_b64 = assertion.split(".")
    assert json.loads(_b64decode(header_b64)) == {"alg": "RS256", "kid": "kid-1", "typ": "JWT"}
    assert json.loads(_b64decode(claims_b64)) == {
        "aud": audience,
        "exp": 1_800_000_600,
        "iat": 1_800_000_000,
        "iss": "sp-1",
        "nbf": 1_799_999_940,
        "sub": "sp-1",
    }
    # Raises InvalidSignature when the signature does not match.
    rsa_key.public_key().verify(
        _b64decode(signature_b64), f"{header_b64}.{claims_b64}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    assert "=" not in assertion
    # PKCS#8 PEM (what openssl genpkey writes) works too.
    pkcs8 = rsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert sc.service_principal_assertion(pkcs8, "sp-1", "kid-1", audience, 1_800_000_000).count(".") == 2


def test_assertion_refuses_keys_it_cannot_sign_with():
    with pytest.raises(ValueError, match="not an unencrypted PEM private key"):
        sc.service_principal_assertion("-----BEGIN RSA PRIVATE KEY-----\nnope\n", "sp", "k", "http://t", 0)
    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )
    with pytest.raises(ValueError, match="must be an RSA key"):
        sc.service_principal_assertion(ec_pem, "sp", "k", "http://t", 0)


def test_token_form_and_response():
    assert sc.token_request_form("a.b.c") == {
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "assertion": "a.b.c",
    }
    assert sc.authorization_from_token_response({"access_token": "xyz", "token_type": "Bearer"}) == "Bearer xyz"
    assert sc.authorization_from_token_response({"access_token": "xyz"}) == "Bearer xyz"
    for bad in ([], {"token_type": "Bearer"}, {"access_token": ""}):
        with pytest.raises(ValueError):
            sc.authorization_from_token_response(bad)


def test_private_key_file_mode_is_checked_on_the_real_file(tmp_path):
    # The permission check reads the mode bits of the file itself (os.stat), as saclient does.
    key = tmp_path / "k.pem"
    key.write_text("x")
    key.chmod(0o640)
    assert os.stat(key).st_mode & 0o077
    with pytest.raises(ValueError, match="too lax: 640"):
        sc.check_service_principal(
            dict(SP_NONE, service_principal_id="s", service_principal_key_kid="k", private_key_path=str(key))
        )
