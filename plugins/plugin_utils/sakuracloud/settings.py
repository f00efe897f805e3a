# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settings of one Sakura Cloud inventory run: credentials, zones and client settings from options, else profile.

Options (with their environment variables) win over the usacloud profile, which wins over the SDK's defaults,
as in the SDK.
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory.cache import digest
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud.api import (
    DEFAULT_API_ROOT_URL,
    DEFAULT_ZONES,
    ZONES,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud.auth import (
    check_service_principal,
    service_principal_settings,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud.profiles import (
    SERVICE_PRINCIPAL_KEYS,
    current_profile_name,
    profile_path,
    read_profile,
)

# Defaults of the Sakura Cloud SDK (sacloud/api-client-go defaultOption, sacloud-sdk-go saclient defaults).
SDK_DEFAULTS = {
    "api_root_url": DEFAULT_API_ROOT_URL,
    "retries": 10,
    "retry_backoff": 1.0,
    "retry_wait_max": 64.0,
    "rate_limit": 5,
}


def resolve_settings(access_token, access_token_secret, zones, profile_name, environ, *, service_principal=None):
    """Return ``(token, secret, zones, source, profile, principal)`` from options, falling back to a usacloud profile.

    ``access_token``/``access_token_secret``/``zones`` and the ``service_principal``
    settings (a dict with the names of :data:`SERVICE_PRINCIPAL_KEYS`) are the
    option values (the plugin's option system already applied their environment
    variables); a value that is missing is read from the usacloud profile, as the
    SDK does (options and environment before the profile). ``principal`` is the
    checked result of :func:`service_principal_settings` when a service principal
    key authenticates (then ``token`` and ``secret`` are None), else None.
    ``source`` says where the credentials came from, for messages; ``profile`` is
    what :func:`read_profile` read (None without a profile file). A profile that
    was named (option, environment or ``current``) and does not exist is an
    error, as in the SDK. Raises ValueError when no credentials are found, the
    service principal settings are incomplete or a zone is unknown.
    """
    name, explicit = current_profile_name(environ, profile_name)
    path = profile_path(environ, name)
    profile = read_profile(path)
    if profile is None and explicit:
        raise ValueError(f"usacloud profile {name!r} not found: {path} does not exist")
    from_profile = f"usacloud profile {name!r} ({path})"
    options = dict(service_principal or {}, access_token=access_token, access_token_secret=access_token_secret)
    principal = service_principal_settings(options, profile)
    source = "options"
    if principal:
        check_service_principal(principal)
        access_token = access_token_secret = None
        if not any((service_principal or {}).get(key) for key in SERVICE_PRINCIPAL_KEYS if key != "token_endpoint"):
            source = from_profile
    elif profile and not access_token and not access_token_secret:
        access_token = profile["access_token"]
        access_token_secret = profile["access_token_secret"]
        source = from_profile
    if profile and not zones:
        zones = profile["zones"]
    if not principal and (not access_token or not access_token_secret):
        raise ValueError(
            "no Sakura Cloud credentials: set access_token and access_token_secret (SAKURACLOUD_ACCESS_TOKEN, "
            "SAKURACLOUD_ACCESS_TOKEN_SECRET), a service principal key (service_principal_id, "
            "service_principal_key_kid, private_key_path or private_key), or a usacloud profile "
            f"(looked for {path})"
        )
    if not zones:
        zones = list(DEFAULT_ZONES)
    unknown = [z for z in zones if z not in ZONES]
    if unknown:
        raise ValueError(
            "unknown Sakura Cloud zone(s) {}; valid zones: {}".format(", ".join(map(str, unknown)), ", ".join(ZONES))
        )
    seen = []
    for zone in zones:
        if zone not in seen:
            seen.append(zone)
    return access_token, access_token_secret, seen, source, profile, principal


def client_settings(options, profile):
    """Return the client settings of :data:`SDK_DEFAULTS`: option (or its environment), else profile, else default.

    ``options`` maps the names of :data:`SDK_DEFAULTS` to the option values, None
    when neither the option nor its environment variables are set. Raises
    ValueError for a negative number or a rate limit that is not a whole number.
    """
    result = {}
    for name, default in SDK_DEFAULTS.items():
        value = options.get(name)
        if value is None and profile:
            value = profile.get(name)
        if value is None:
            value = default
        if name != "api_root_url" and value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")
        result[name] = value
    result["retries"] = int(result["retries"])
    if result["rate_limit"] != int(result["rate_limit"]):
        raise ValueError(f"rate_limit must be a whole number of requests per second, got {result['rate_limit']}")
    result["rate_limit"] = int(result["rate_limit"])
    return result


def cache_fingerprint(api_root_url, zones, access_token, tags=()):
    """Return a hex digest naming a cache entry: API URL, zones, token and server-side filter tags, never the secret.

    With a service principal key, ``access_token`` is ``<principal ID>/<key kid>`` (never the key).
    """
    material = [api_root_url.rstrip("/"), list(zones), access_token]
    if tags:
        material.append(list(tags))
    return digest(material)
