# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Service principal keys: which settings win, the settings check, the RS256 JWT, the token exchange form.

The shapes follow sacloud/sacloud-sdk-go common/saclient (profile.go, parameter.go, rfc7523.go) and
sacloud/api-client-go; see docs/sakuracloud-sdk-conventions.md for the commits read.
"""

from __future__ import annotations

import base64
import json
import os

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from helpers.usacloud import pem

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import auth, profiles

SP_NONE = dict.fromkeys(profiles.SERVICE_PRINCIPAL_KEYS)


def test_service_principal_preference_of_saclient():
    sp = dict(SP_NONE, service_principal_id="sp-1", service_principal_key_kid="kid-1", private_key="PEM")
    profile_sp = dict(SP_NONE, service_principal_id="sp-p", service_principal_key_kid="kid-p", private_key_path="/k")
    # Options: a service principal setting wins over an API key.
    got = auth.service_principal_settings(dict(sp, access_token="t", access_token_secret="s"), None)
    assert got["service_principal_id"] == "sp-1"
    assert got["token_endpoint"] == auth.DEFAULT_TOKEN_ENDPOINT
    # An API key among the options wins over a service principal in the profile ...
    assert auth.service_principal_settings(dict(SP_NONE, access_token="t"), profile_sp) is None
    # ... without one, the profile's service principal wins over the profile's API key.
    got = auth.service_principal_settings(dict(SP_NONE), dict(profile_sp, access_token="pt", access_token_secret="ps"))
    assert (got["service_principal_id"], got["private_key_path"]) == ("sp-p", "/k")
    # Each setting on its own: the option's, else the profile's.
    got = auth.service_principal_settings(dict(SP_NONE, service_principal_key_kid="kid-o"), profile_sp)
    assert (got["service_principal_id"], got["service_principal_key_kid"]) == ("sp-p", "kid-o")
    assert auth.service_principal_settings(dict(SP_NONE, token_endpoint="http://x"), None) is None
    assert auth.service_principal_settings(dict(SP_NONE), dict(SP_NONE, access_token="pt")) is None


def test_check_service_principal_errors(tmp_path):
    with pytest.raises(ValueError, match="service_principal_key_kid, private_key or private_key_path missing"):
        auth.check_service_principal(dict(SP_NONE, service_principal_id="sp"))
    with pytest.raises(ValueError, match="private key file not found"):
        auth.check_service_principal(
            dict(
                SP_NONE, service_principal_id="sp", service_principal_key_kid="k", private_key_path=str(tmp_path / "x")
            )
        )
    lax = tmp_path / "lax.pem"
    lax.write_text("key")
    lax.chmod(0o644)
    settings = dict(SP_NONE, service_principal_id="sp", service_principal_key_kid="k", private_key_path=str(lax))
    with pytest.raises(ValueError, match="permission is too lax: 644"):
        auth.check_service_principal(settings)
    lax.chmod(0o600)
    auth.check_service_principal(settings)
    with pytest.raises(ValueError, match="not a file"):
        auth.check_service_principal(dict(settings, private_key_path=str(tmp_path)))
    # The key itself needs no file.
    auth.check_service_principal(dict(settings, private_key="PEM", private_key_path=None))


def _b64decode(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_assertion_is_an_rs256_jwt_the_public_key_verifies(rsa_key):
    audience = "http://127.0.0.1:1/token"
    assertion = auth.service_principal_assertion(pem(rsa_key), "sp-1", "kid-1", audience, 1_800_000_000.7)
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
    assert auth.service_principal_assertion(pkcs8, "sp-1", "kid-1", audience, 1_800_000_000).count(".") == 2


def test_assertion_refuses_keys_it_cannot_sign_with():
    with pytest.raises(ValueError, match="not an unencrypted PEM private key"):
        auth.service_principal_assertion("-----BEGIN RSA PRIVATE KEY-----\nnope\n", "sp", "k", "http://t", 0)
    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )
    with pytest.raises(ValueError, match="must be an RSA key"):
        auth.service_principal_assertion(ec_pem, "sp", "k", "http://t", 0)


def test_token_form_and_response():
    assert auth.token_request_form("a.b.c") == {
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "assertion": "a.b.c",
    }
    assert auth.authorization_from_token_response({"access_token": "xyz", "token_type": "Bearer"}) == "Bearer xyz"
    assert auth.authorization_from_token_response({"access_token": "xyz"}) == "Bearer xyz"
    for bad in ([], {"token_type": "Bearer"}, {"access_token": ""}):
        with pytest.raises(ValueError):
            auth.authorization_from_token_response(bad)


def test_private_key_file_mode_is_checked_on_the_real_file(tmp_path):
    # The permission check reads the mode bits of the file itself (os.stat), as saclient does.
    key = tmp_path / "k.pem"
    key.write_text("x")
    key.chmod(0o640)
    assert os.stat(key).st_mode & 0o077
    with pytest.raises(ValueError, match="too lax: 640"):
        auth.check_service_principal(
            dict(SP_NONE, service_principal_id="s", service_principal_key_kid="k", private_key_path=str(key))
        )
