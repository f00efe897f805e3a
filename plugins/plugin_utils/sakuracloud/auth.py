# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Service principal keys (Sakura Cloud IAM) as saclient uses them: which settings win, the signed JWT, the token.

The inventory signs an RS256 JWT with the service principal's private key and exchanges it at the token endpoint
(RFC 7523 ``jwt-bearer`` grant) for the ``Authorization`` value of every request of the run.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import time

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import redaction, transport
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import api
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud.profiles import SERVICE_PRINCIPAL_KEYS

try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
except ImportError:  # pragma: no cover - reported when a service principal key is used
    hashes = serialization = padding = rsa = None


# Token endpoint of service principal keys (saclient's default TokenEndpoint).
DEFAULT_TOKEN_ENDPOINT = "https://secure.sakura.ad.jp/cloud/api/iam/1.0/service-principals/oauth2/token"
# The grant of RFC 7523 that saclient sends to the token endpoint.
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# Lifetime of the signed assertion and how far back its nbf reaches (saclient: 600 s and 60 s).
ASSERTION_LIFETIME = 600
ASSERTION_NOT_BEFORE_SKEW = 60


def service_principal_settings(options, profile):
    """Return the service principal settings when the SDK would authenticate with one, else None.

    ``options`` maps the names of :data:`SERVICE_PRINCIPAL_KEYS` to the option
    values (the plugin's option system already applied their environment
    variables) plus ``access_token``/``access_token_secret``. As saclient decides:
    a service principal setting among the options wins over an API key among
    them, an API key among them wins over anything in the profile, and in the
    profile a service principal setting wins over an API key. Each setting is
    then the option's, else the profile's; ``private_key`` wins over
    ``private_key_path``; the token endpoint defaults to saclient's.
    """
    bearer_keys = ("service_principal_id", "service_principal_key_kid", "private_key", "private_key_path")
    profile = profile or {}
    if not any(options.get(key) for key in bearer_keys):
        if options.get("access_token") or options.get("access_token_secret"):
            return None
        if not any(profile.get(key) for key in bearer_keys):
            return None
    result = {name: options.get(name) or profile.get(name) for name in SERVICE_PRINCIPAL_KEYS}
    if not result["token_endpoint"]:
        result["token_endpoint"] = DEFAULT_TOKEN_ENDPOINT
    return result


def check_service_principal(settings):
    """Raise ValueError unless the service principal settings are complete and the key file is private."""
    missing = [name for name in ("service_principal_id", "service_principal_key_kid") if not settings.get(name)]
    if not settings.get("private_key") and not settings.get("private_key_path"):
        missing.append("private_key or private_key_path")
    if missing:
        raise ValueError("incomplete Sakura Cloud service principal settings: {} missing".format(", ".join(missing)))
    path = settings.get("private_key_path")
    if settings.get("private_key") or not path:
        return
    try:
        info = os.stat(path)
    except OSError:
        raise ValueError(f"private key file not found: {path}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(f"private key not a file: {path}")
    if info.st_mode & 0o077:
        raise ValueError(f"private key file {path} permission is too lax: {stat.S_IMODE(info.st_mode):o}")


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def service_principal_assertion(private_key_pem, principal_id, key_kid, audience, now):
    """Return the RS256-signed JWT saclient sends to the token endpoint (RFC 7523 client assertion).

    Header ``{"alg": "RS256", "typ": "JWT", "kid": key_kid}``; claims ``iss`` and
    ``sub`` the service principal ID, ``aud`` the token endpoint, ``iat`` now,
    ``nbf`` 60 s before, ``exp`` 600 s after. Raises ValueError for a key that is
    not an RSA private key in PEM.
    """
    if serialization is None:
        raise ValueError("service principal keys need the Python library cryptography")
    data = private_key_pem.encode("utf-8") if isinstance(private_key_pem, str) else private_key_pem
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"the service principal private key is not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the service principal private key must be an RSA key (RS256)")
    iat = int(now)
    header = {"alg": "RS256", "kid": key_kid, "typ": "JWT"}
    claims = {
        "aud": audience,
        "exp": iat + ASSERTION_LIFETIME,
        "iat": iat,
        "iss": principal_id,
        "nbf": iat - ASSERTION_NOT_BEFORE_SKEW,
        "sub": principal_id,
    }
    signing_input = "{}.{}".format(
        _b64url(json.dumps(header, separators=(",", ":")).encode()),
        _b64url(json.dumps(claims, separators=(",", ":")).encode()),
    )
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + _b64url(signature)


def token_request_form(assertion):
    """Return the form (``application/x-www-form-urlencoded``) of the token request."""
    return {"grant_type": JWT_BEARER_GRANT, "assertion": assertion}


def authorization_from_token_response(data):
    """Return the ``Authorization`` header value (``<token_type> <access_token>``) of a token response."""
    if not isinstance(data, dict):
        raise ValueError("the token response is not a JSON object")
    token = data.get("access_token")
    token_type = data.get("token_type") or "Bearer"
    if not isinstance(token, str) or not token or not isinstance(token_type, str):
        raise ValueError("the token response has no access_token")
    return f"{token_type} {token}"


def service_principal_authorization(settings):
    """Exchange a JWT signed with the service principal key for an access token; return the Authorization value."""
    principal = settings["service_principal"]
    endpoint = principal["token_endpoint"]
    shown = redaction.redact_url(endpoint)
    key = principal.get("private_key")
    try:
        if not key:
            with open(principal["private_key_path"], "rb") as handle:
                key = handle.read()
        assertion = service_principal_assertion(
            key, principal["service_principal_id"], principal["service_principal_key_kid"], endpoint, time.time()
        )
    except OSError as exc:
        raise AnsibleError(f"cannot read the service principal private key: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise AnsibleError(to_text(exc)) from None
    try:
        response = transport.post_form(
            settings,
            endpoint,
            token_request_form(assertion),
            user_agent=api.USER_AGENT,
            accept="application/json",
            retry_statuses=transport.TRANSIENT_STATUSES,
        )
    except transport.RequestFailed as exc:
        raise AnsibleError(exc.describe(f"Sakura Cloud token endpoint {shown}", "service principal key")) from None
    detail = redaction.hide(response.text[:200], assertion, to_text(key)).strip()
    if response.status_code in (400, 401, 403):
        raise AnsibleError(
            f"Sakura Cloud token endpoint {shown} refused the service principal key (HTTP {response.status_code}; "
            f"service principal {principal['service_principal_id']}, key {principal['service_principal_key_kid']}, "
            f"from {settings['source']}): {detail}"
        )
    if response.status_code != 200:
        raise AnsibleError(
            f"Sakura Cloud token endpoint {shown} answered HTTP {response.status_code}"
            f"{transport.attempts_note(response)} instead of a token; the key was not judged: {detail}"
        )
    try:
        return authorization_from_token_response(response.json())
    except ValueError as exc:
        raise AnsibleError(f"Sakura Cloud token endpoint {shown} returned an unexpected response: {exc}") from None
