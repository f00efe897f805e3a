# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""usacloud profiles as the Sakura Cloud SDKs read them: the folder, the current profile, v1 YAML and v0 JSON files.

sacloud/api-client-go and sacloud/sacloud-sdk-go (saclient) decide where a profile is and what its keys mean;
the functions here follow them. A profile that cannot be read is an error (ValueError), never "no profile".
"""

from __future__ import annotations

import json
import os

from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import FileReadError, read_text

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core
    yaml = None


# Environment variables naming the folder of the profiles, highest priority first (both SDKs).
PROFILE_DIR_ENV = ("SAKURA_PROFILE_DIR", "SAKURACLOUD_PROFILE_DIR", "USACLOUD_PROFILE_DIR")
# Environment variables naming the profile, highest priority first (both SDKs).
PROFILE_ENV = ("SAKURA_PROFILE", "SAKURACLOUD_PROFILE", "USACLOUD_PROFILE")
# The profile files of one profile folder, in the order saclient reads them (profile v1 first, then v0).
PROFILE_FILES = ("config.yaml", "config.json")
# Profile keys of the numeric client settings, first found wins. The rate limit is HTTPRequestRateLimit in
# api-client-go and in saclient (which maps its APIRequestRateLimit to it when reading a profile);
# APIRequestRateLimit is what saclient up to v0.4 read.
PROFILE_NUMBERS = {
    "retries": ("RetryMax",),
    "retry_backoff": ("RetryWaitMin",),
    "retry_wait_max": ("RetryWaitMax",),
    "rate_limit": ("HTTPRequestRateLimit", "APIRequestRateLimit"),
}
# Profile v1 (config.yaml, ``version: 1``): section -> {v1 key: the v0 key saclient maps it to}.
PROFILE_V1_SECTIONS = {
    "credentials": {
        "access_token": "AccessToken",
        "access_token_secret": "AccessTokenSecret",
        "service_principal_id": "ServicePrincipalID",
        "service_principal_key_kid": "ServicePrincipalKeyKID",
        "private_key": "PrivateKey",
        "private_key_path": "PrivateKeyPEMPath",
    },
    "sacloud-sdk-go": {
        "api_root_url": "APIRootURL",
        "accept_language": "AcceptLanguage",
        "default_zone": "DefaultZone",
        "api_request_rate_limit": "HTTPRequestRateLimit",
        "api_request_timeout": "HTTPRequestTimeout",
        "retry_max": "RetryMax",
        "retry_wait_max": "RetryWaitMax",
        "retry_wait_min": "RetryWaitMin",
        "trace_mode": "TraceMode",
        "zone": "Zone",
        "zones": "Zones",
    },
}
# Settings of a service principal key: name -> profile (v0) keys, first found wins.
SERVICE_PRINCIPAL_KEYS = {
    "service_principal_id": ("ServicePrincipalID",),
    "service_principal_key_kid": ("ServicePrincipalKeyKID", "ServicePrincipalKeyID"),
    "private_key": ("PrivateKey",),
    "private_key_path": ("PrivateKeyPEMPath",),
    "token_endpoint": ("TokenEndpoint",),
}


def first_env(environ, names):
    """Return the first non-empty value of the environment variables ``names``, or None."""
    for name in names:
        value = environ.get(name)
        if value:
            return value
    return None


def _is_dir(path):
    return bool(path) and os.path.isdir(path)


def profile_dir(environ):
    """Return the folder that holds the profiles (``<name>/config.yaml`` or ``config.json``, and ``current``).

    ``SAKURA_PROFILE_DIR``, ``SAKURACLOUD_PROFILE_DIR``, ``USACLOUD_PROFILE_DIR``
    (first set wins): saclient keeps the profiles in that folder itself,
    sacloud/api-client-go in ``.usacloud`` below it, so a folder with a
    ``.usacloud`` inside is read the second way. Without them, the first existing
    of ``$XDG_CONFIG_HOME/sakura``, ``$XDG_CONFIG_HOME/usacloud`` (saclient, only
    when ``XDG_CONFIG_HOME`` is set), ``~/.config/sakura`` and ``~/.usacloud``
    (saclient, then api-client-go); ``~/.usacloud`` when none exists.
    """
    base = first_env(environ, PROFILE_DIR_ENV)
    if base:
        nested = os.path.join(base, ".usacloud")
        return os.path.normpath(nested if os.path.isdir(nested) else base)
    home = environ.get("HOME") or os.path.expanduser("~")
    candidates = []
    xdg = environ.get("XDG_CONFIG_HOME")
    if xdg:
        candidates += [os.path.join(xdg, "sakura"), os.path.join(xdg, "usacloud")]
    candidates += [os.path.join(home, ".config", "sakura"), os.path.join(home, ".usacloud")]
    for candidate in candidates:
        if _is_dir(candidate):
            return os.path.normpath(candidate)
    return os.path.join(home, ".usacloud")


def current_profile_name(environ, explicit=None):
    """Return ``(name, explicit)``: the profile to read and whether the user named it.

    The ``profile`` option wins, then ``SAKURA_PROFILE``, ``SAKURACLOUD_PROFILE``,
    ``USACLOUD_PROFILE``, then the name written in the ``current`` file of the
    profile folder, then ``default``.
    """
    if explicit:
        return explicit, True
    named = first_env(environ, PROFILE_ENV)
    if named:
        return named, True
    current = os.path.join(profile_dir(environ), "current")
    try:
        name = (read_text(current) or "").strip()
    except OSError:
        name = ""
    if name and name != "default":
        return name, True
    return "default", False


def _check_profile_name(name):
    if not name or "/" in name or os.pathsep in name or name in (".", ".."):
        raise ValueError(f"invalid usacloud profile name {name!r}")


def profile_path(environ, name):
    """Return the file of profile ``name`` the SDK reads: ``config.yaml`` (v1) when it exists, else ``config.json``."""
    _check_profile_name(name)
    folder = os.path.join(profile_dir(environ), name)
    for file_name in PROFILE_FILES:
        path = os.path.join(folder, file_name)
        if os.path.exists(path):
            return path
    return os.path.join(folder, PROFILE_FILES[-1])


def _profile_number(data, keys, path):
    for key in keys:
        value = data.get(key)
        if value is None:
            continue
        # JSON numbers; like saclient, an integral float is accepted as a whole number.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"usacloud profile {path}: {key} must be a number not below 0, got {value!r}")
        # 0 is the SDK's "not set" (api-client-go MergeOptions only takes values above 0).
        if value == 0:
            continue
        return value
    return None


def flatten_profile_v1(document, path):
    """Return the v0 keys (``AccessToken``, ``APIRootURL``, ...) of a profile v1 document, as saclient maps them.

    The document must be a mapping with ``version: 1``; ``credentials`` and
    ``sacloud-sdk-go`` are mapped by :data:`PROFILE_V1_SECTIONS`, other top-level
    keys are kept as they are (saclient keeps them too), other sections'
    contents (``cli``, ``endpoints``, another language's section) are not read.
    """
    if not isinstance(document, dict):
        raise ValueError(f"usacloud profile {path} is not a YAML mapping")
    version = document.get("version")
    if isinstance(version, bool) or version != 1:
        raise ValueError(f"usacloud profile {path}: missing or unsupported version field (profile v1 needs version: 1)")
    result = {key: value for key, value in document.items() if key != "version" and key not in PROFILE_V1_SECTIONS}
    for section, keys in PROFILE_V1_SECTIONS.items():
        values = document.get(section)
        if values is None:
            continue
        if not isinstance(values, dict):
            raise ValueError(f"usacloud profile {path}: {section} must be a mapping")
        for key, value in values.items():
            result[keys.get(key, key)] = value
    return result


def _load_profile_file(path, text):
    """Parse the text of a profile file: YAML profile v1 for ``config.yaml``, JSON (v0) otherwise."""
    if path.endswith((".yaml", ".yml")):
        if yaml is None:
            raise ValueError(f"usacloud profile {path} is YAML (profile v1), which needs the Python library PyYAML")
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"usacloud profile {path} is not valid YAML: {exc}") from None
        return flatten_profile_v1(document, path)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"usacloud profile {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"usacloud profile {path} is not a JSON object")
    return data


def _profile_text(data, key):
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def read_profile(path):
    """Return the settings read from a usacloud profile file (v1 ``config.yaml`` or v0 ``config.json``).

    Keys: ``access_token``, ``access_token_secret``, ``zones`` (``Zones`` wins over
    ``Zone``), ``api_root_url`` (``APIRootURL``), the numbers of
    :data:`PROFILE_NUMBERS` and the service principal settings of
    :data:`SERVICE_PRINCIPAL_KEYS`; a key the profile does not set is None.
    Returns None when the file does not exist; raises ValueError when it cannot
    be read, is not a JSON object (v0) or a ``version: 1`` YAML mapping (v1), or
    a number is invalid.
    """
    try:
        text = read_text(path)
    except FileReadError as exc:
        raise ValueError(f"cannot read usacloud profile {path}: {exc.strerror}") from None
    if text is None:
        return None
    if not text.strip():
        raise ValueError(f"usacloud profile {path} is empty")
    data = _load_profile_file(path, text)
    zones = data.get("Zones")
    if not (isinstance(zones, list) and zones):
        zone = data.get("Zone")
        zones = [zone] if isinstance(zone, str) and zone else None
    result = {
        "access_token": _profile_text(data, "AccessToken"),
        "access_token_secret": _profile_text(data, "AccessTokenSecret"),
        "zones": [str(z) for z in zones] if zones else None,
        "api_root_url": _profile_text(data, "APIRootURL"),
    }
    for name, keys in PROFILE_NUMBERS.items():
        result[name] = _profile_number(data, keys, path)
    for name, keys in SERVICE_PRINCIPAL_KEYS.items():
        result[name] = next((_profile_text(data, key) for key in keys if _profile_text(data, key)), None)
    return result
