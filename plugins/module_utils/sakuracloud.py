# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers of the ``lvmkube.cluster.sakuracloud`` inventory plugin.

Nothing here talks to the network or to Ansible: the functions take plain dicts,
lists and strings (a server as the Sakura Cloud API returns it, the tags of a
server, the environment as a mapping) and return plain values, so each one is
unit-tested alone. Invalid input raises :class:`ValueError` with a message that
the plugin passes on to the user as an ``AnsibleError``.
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote

from ansible_collections.lvmkube.cluster.plugins.module_utils.cloud_inventory import digest, first_env, group_name
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import FileReadError, read_text

ZONES = ("tk1a", "tk1b", "is1a", "is1b", "is1c", "tk1v")
# tk1v is the sandbox zone: only queried when asked for.
DEFAULT_ZONES = ("tk1a", "tk1b", "is1a", "is1b", "is1c")
DEFAULT_API_ROOT_URL = "https://secure.sakura.ad.jp/cloud/zone"
SERVER_API_PATH = "api/cloud/1.1/server"
CONNECT_WITH = ("nic0", "name", "public", "private")
# Where kubespray's ``ip`` / ``access_ip`` host variables come from (``none``: not set).
KUBESPRAY_ADDRESS = ("none", "private", "public", "connection")
# Fields of a server the plugin reads; the find request asks for nothing else.
INCLUDE_FIELDS = ("ID", "Name", "Tags", "Zone", "Instance", "ServerPlan", "Interfaces")

# Host variables set by the plugin, without the prefix.
PREFIXED_VARS = (
    "id",
    "name",
    "zone",
    "tags",
    "tag_vars",
    "instance_status",
    "interfaces",
    "server_plan",
)

# Groups kubespray still knows under a legacy name: hosts of the key group also
# join the value group.
KUBESPRAY_ALIASES = {"kube_master": "kube_control_plane"}
# kubespray expects these groups below k8s_cluster.
KUBESPRAY_CLUSTER_GROUP = "k8s_cluster"
KUBESPRAY_CLUSTER_CHILDREN = ("kube_control_plane", "kube_node")

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def tag_group_name(tag):
    """Return the group name made from one server tag, or None for an empty tag (see ``group_name``)."""
    return group_name(tag)


def split_key_tag(tag):
    """Return ``(key, value)`` for a tag written ``@key=value``, else None."""
    if not isinstance(tag, str) or not tag.startswith("@") or "=" not in tag:
        return None
    key, value = tag[1:].split("=", 1)
    if not key:
        return None
    return key, value


def tag_vars(tags):
    """Return a dict of every ``@key=value`` tag; a key given twice keeps the later value."""
    result = {}
    for tag in tags:
        pair = split_key_tag(tag)
        if pair is not None:
            result[pair[0]] = pair[1]
    return result


def skip_matcher(skip_group_tags):
    """Return a predicate telling whether a tag makes no group.

    An entry matches a tag exactly; an entry written ``@key`` also matches every
    ``@key=value`` tag.
    """
    exact = set()
    prefixes = []
    for entry in skip_group_tags or ():
        exact.add(entry)
        if entry.startswith("@") and "=" not in entry and len(entry) > 1:
            prefixes.append(entry + "=")
    prefixes = tuple(prefixes)

    def is_skipped(tag):
        return tag in exact or (bool(prefixes) and tag.startswith(prefixes))

    return is_skipped


def nic_scope(nic):
    """Return the scope (``shared``, ``user``, ...) of the switch a NIC is on, or None."""
    switch = nic.get("Switch") if isinstance(nic, dict) else None
    if not isinstance(switch, dict):
        return None
    return switch.get("Scope")


def nic_address(nic):
    """Return the address of one NIC by the scope rule, or None.

    On the shared segment (scope ``shared``) Sakura Cloud assigns ``IPAddress``;
    on a user switch (scope ``user``) the address is the one the user recorded in
    ``UserIPAddress``.
    """
    scope = nic_scope(nic)
    if scope == "shared":
        address = nic.get("IPAddress")
    elif scope == "user":
        address = nic.get("UserIPAddress")
    else:
        return None
    return address or None


def on_switch(nic, switch):
    """Tell whether a NIC is connected to the switch named or numbered ``switch`` (its ID as number or text)."""
    connected = nic.get("Switch") if isinstance(nic, dict) else None
    if not isinstance(connected, dict) or switch is None or switch == "":
        return False
    wanted = str(switch)
    return (connected.get("ID") is not None and str(connected.get("ID")) == wanted) or connected.get("Name") == wanted


def switch_nic(server, switch):
    """Return the first NIC of the server on that switch (name or ID), or None."""
    for nic in server.get("Interfaces") or ():
        if on_switch(nic, switch):
            return nic
    return None


def choose_address(server, connect_with, switch=None):
    """Return the value of ``ansible_host`` for a server, or None when it has none.

    ``nic0``: the first interface entry by the scope rule (a null first entry
    means no address); ``name``: the server name; ``public``: the first interface
    on a ``shared`` segment; ``private``: the first interface on a ``user`` switch
    that has a ``UserIPAddress``, or, when ``switch`` (a switch name or ID) is
    given, the address of the NIC on that switch.
    """
    if connect_with == "name":
        return server.get("Name") or None
    interfaces = server.get("Interfaces") or []
    if connect_with == "nic0":
        return nic_address(interfaces[0]) if interfaces else None
    if connect_with == "private" and switch not in (None, ""):
        nic = switch_nic(server, switch)
        return nic_address(nic) if nic else None
    if connect_with in ("public", "private"):
        wanted = "shared" if connect_with == "public" else "user"
        for nic in interfaces:
            if nic_scope(nic) == wanted:
                address = nic_address(nic)
                if address:
                    return address
        return None
    raise ValueError("connect_with must be one of {}, got {!r}".format(", ".join(CONNECT_WITH), connect_with))


def interface_facts(interfaces):
    """Return one dict per non-null NIC, keeping the NIC's index in the API list."""
    result = []
    for index, nic in enumerate(interfaces or ()):
        if not isinstance(nic, dict):
            continue
        switch = nic.get("Switch")
        if not isinstance(switch, dict):
            switch = {}
        result.append(
            {
                "index": index,
                "ip_address": nic.get("IPAddress"),
                "user_ip_address": nic.get("UserIPAddress"),
                "scope": switch.get("Scope"),
                "switch_id": switch.get("ID"),
                "switch_name": switch.get("Name"),
                "mac_address": nic.get("MACAddress"),
            }
        )
    return result


def server_plan_facts(plan):
    """Return ``{cpu, memory_mb}`` of a server plan (values None when unknown)."""
    if not isinstance(plan, dict):
        plan = {}
    return {"cpu": plan.get("CPU"), "memory_mb": plan.get("MemoryMB")}


def instance_status(server):
    instance = server.get("Instance")
    if isinstance(instance, dict):
        return instance.get("Status")
    return None


def server_zone(server, default=None):
    zone = server.get("Zone")
    if isinstance(zone, dict) and zone.get("Name"):
        return zone["Name"]
    return default


def server_tags(server):
    tags = server.get("Tags")
    if not isinstance(tags, list):
        return []
    return [tag for tag in tags if isinstance(tag, str)]


def make_filter(cluster=None, required_tags=(), exclude_tags=(), status=()):
    """Return a predicate ``(tags, status) -> bool`` for the filter options.

    ``cluster`` and every entry of ``required_tags`` must be among the tags, no
    entry of ``exclude_tags`` may be, and when ``status`` is not empty the
    instance status must be one of its entries.
    """
    required = set(required_tags or ())
    if cluster:
        required.add(cluster)
    excluded = set(exclude_tags or ())
    statuses = set(status or ())

    def accept(tags, current_status):
        if required or excluded:
            present = set(tags)
            if not required.issubset(present) or not excluded.isdisjoint(present):
                return False
        return not statuses or current_status in statuses

    return accept


def prefixed_var_names(prefix):
    """Return the host variable names the plugin sets with this prefix."""
    return [prefix + name for name in PREFIXED_VARS]


def check_hostvars_prefix(prefix, reserved_names):
    """Raise ValueError when the prefix makes an invalid or reserved variable name."""
    if not isinstance(prefix, str):
        raise ValueError("hostvars_prefix must be a string")
    for name in prefixed_var_names(prefix):
        if not _IDENTIFIER.match(name):
            raise ValueError(f"hostvars_prefix {prefix!r} makes the invalid variable name {name!r}")
        if name in reserved_names:
            raise ValueError(
                f"hostvars_prefix {prefix!r} makes the host variable {name!r}, "
                "which collides with a name reserved by Ansible; "
                "use a non-empty prefix such as 'sacloud_'"
            )


def host_vars(server, zone, prefix="sacloud_", connect_with="nic0", switch=None):
    """Return ``(variables, address)`` for one server.

    ``variables`` holds the connection variables (``ansible_host`` when an address
    was found, ``ansible_user`` from ``@ssh_user=``, ``ansible_port`` from
    ``@ssh_port=`` when it is a number) and the prefixed facts.
    """
    tags = server_tags(server)
    tvars = tag_vars(tags)
    address = choose_address(server, connect_with, switch)
    result = {}
    if address:
        result["ansible_host"] = address
    if tvars.get("ssh_user"):
        result["ansible_user"] = tvars["ssh_user"]
    port = tvars.get("ssh_port")
    if port is not None and port.isdigit() and 0 < int(port) < 65536:
        result["ansible_port"] = int(port)
    result[prefix + "id"] = server.get("ID")
    result[prefix + "name"] = server.get("Name")
    result[prefix + "zone"] = server_zone(server, zone)
    result[prefix + "tags"] = tags
    result[prefix + "tag_vars"] = tvars
    result[prefix + "instance_status"] = instance_status(server)
    result[prefix + "interfaces"] = interface_facts(server.get("Interfaces"))
    result[prefix + "server_plan"] = server_plan_facts(server.get("ServerPlan"))
    return result, address


def kubespray_vars(server, address, connect_with, *, etcd_member_name=False, ip="none", access_ip="none", switch=None):
    """Return the kubespray host variables ``etcd_member_name``, ``ip`` and ``access_ip`` asked for.

    ``etcd_member_name`` (when true) is the value of an ``@etcd_member_name=`` tag,
    else the server name, so kubespray never numbers etcd members by their order in
    the ``etcd`` group. ``ip`` and ``access_ip`` are each one of
    :data:`KUBESPRAY_ADDRESS`: ``private`` (the first user switch address),
    ``public`` (the first shared segment address), ``connection`` (the address
    ``ansible_host`` was set from, unless ``connect_with`` is ``name``) or
    ``none``. A source without an address sets nothing.
    """
    result = {}
    if etcd_member_name:
        name = tag_vars(server_tags(server)).get("etcd_member_name") or server.get("Name")
        if name:
            result["etcd_member_name"] = name
    for var, source in (("ip", ip), ("access_ip", access_ip)):
        if source == "none":
            continue
        if source == "connection":
            value = address if connect_with != "name" else None
        elif source in ("private", "public"):
            value = choose_address(server, source, switch)
        else:
            raise ValueError(
                "kubespray_{} must be one of {}, got {!r}".format(var, ", ".join(KUBESPRAY_ADDRESS), source)
            )
        if value:
            result[var] = value
    return result


def host_groups(tags, is_skipped, aliases=True):
    """Return the group names (no duplicates, in tag order) a host with these tags joins."""
    groups = []
    seen = set()
    for tag in tags:
        if is_skipped(tag):
            continue
        name = tag_group_name(tag)
        if name is None or name in seen:
            continue
        seen.add(name)
        groups.append(name)
        if aliases and name in KUBESPRAY_ALIASES:
            alias = KUBESPRAY_ALIASES[name]
            if alias not in seen:
                seen.add(alias)
                groups.append(alias)
    return groups


def check_host_name(name, server_id):
    """Return the rendered ``hostname`` template as text; ValueError when it is empty or not one line."""
    text = "" if name is None else str(name).strip()
    if not text or "\n" in text:
        raise ValueError(f"the hostname template gave {text!r} for server {server_id}; it must give one non-empty line")
    return text


def unique_host_name(name, zone, server_id, taken):
    """Return a host name not in ``taken``: ``name``, else ``name.zone``, else ``name.zone.id``."""
    for candidate in (name, f"{name}.{zone}", f"{name}.{zone}.{server_id}"):
        if candidate not in taken:
            return candidate
    raise ValueError(f"server {server_id} ({name}) in zone {zone} has a name used by another server with the same ID")


def filter_tags(cluster=None, required_tags=()):
    """Return the sorted tags every listed server must carry (``cluster`` and ``required_tags``), no duplicates."""
    tags = set(required_tags or ())
    if cluster:
        tags.add(cluster)
    return sorted(tags)


def find_filter(tags):
    """Return the ``Filter`` of a find request that keeps only servers carrying every tag.

    The Sakura Cloud API matches ``Tags.Name`` against a list of tags as an AND of
    exact matches; the SDK (iaas-api-go ``search.TagsAndEqual``) sends that list as
    the one element of the condition array: ``{"Tags.Name": [["a", "b"]]}``.
    """
    if not tags:
        return {}
    return {"Tags.Name": [list(tags)]}


def find_query(offset, count, tags=()):
    """Return the URL-encoded JSON query string of one page of a server find request."""
    body = {
        "From": offset,
        "Count": count,
        "Sort": ["ID"],
        "Filter": find_filter(tags),
        "Include": list(INCLUDE_FIELDS),
    }
    return quote(json.dumps(body, separators=(",", ":")), safe="")


def server_list_url(api_root_url, zone):
    """Return the URL of the server collection of one zone (no query string)."""
    return "{}/{}/{}".format(api_root_url.rstrip("/"), zone, SERVER_API_PATH)


def api_error_message(body):
    """Return ``error_code: error_msg`` from a Sakura Cloud error body, or None."""
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    code = data.get("error_code")
    msg = data.get("error_msg")
    if not code and not msg:
        return None
    return "{}: {}".format(code or "error", msg or "")


def page_servers(data):
    """Validate one page of a find response and return ``(servers, total)``."""
    if not isinstance(data, dict):
        raise ValueError("the response is not a JSON object")
    servers = data.get("Servers")
    if servers is None:
        servers = []
    if not isinstance(servers, list):
        raise ValueError("'Servers' in the response is not a list")
    total = data.get("Total")
    if not isinstance(total, int) or isinstance(total, bool):
        raise ValueError("'Total' in the response is not a number")
    return servers, total


# Environment variables naming the folder of the profiles, highest priority first (both SDKs).
PROFILE_DIR_ENV = ("SAKURA_PROFILE_DIR", "SAKURACLOUD_PROFILE_DIR", "USACLOUD_PROFILE_DIR")
# Environment variables naming the profile, highest priority first (both SDKs).
PROFILE_ENV = ("SAKURA_PROFILE", "SAKURACLOUD_PROFILE", "USACLOUD_PROFILE")
# Defaults of the Sakura Cloud SDK (sacloud/api-client-go defaultOption, sacloud-sdk-go saclient defaults).
SDK_DEFAULTS = {
    "api_root_url": DEFAULT_API_ROOT_URL,
    "retries": 10,
    "retry_backoff": 1.0,
    "retry_wait_max": 64.0,
    "rate_limit": 5,
}
# Profile keys of the numeric client settings, first found wins: saclient's name, then api-client-go's.
PROFILE_NUMBERS = {
    "retries": ("RetryMax",),
    "retry_backoff": ("RetryWaitMin",),
    "retry_wait_max": ("RetryWaitMax",),
    "rate_limit": ("APIRequestRateLimit", "HTTPRequestRateLimit"),
}


def profile_dir(environ):
    """Return the folder that holds the profiles (``<name>/config.json`` and ``current``).

    As the SDKs look for it: ``SAKURA_PROFILE_DIR``, ``SAKURACLOUD_PROFILE_DIR``,
    ``USACLOUD_PROFILE_DIR`` (first set wins). sacloud/api-client-go keeps the
    profiles in ``.usacloud`` below that folder, the newer saclient in the folder
    itself: a folder with a ``.usacloud`` inside is read the first way, else the
    second. Without them, ``$XDG_CONFIG_HOME/usacloud`` when it exists
    (saclient), else ``~/.usacloud``.
    """
    base = first_env(environ, PROFILE_DIR_ENV)
    if base:
        nested = os.path.join(base, ".usacloud")
        return os.path.normpath(nested if os.path.isdir(nested) else base)
    xdg = environ.get("XDG_CONFIG_HOME")
    if xdg and os.path.isdir(os.path.join(xdg, "usacloud")):
        return os.path.normpath(os.path.join(xdg, "usacloud"))
    home = environ.get("HOME") or os.path.expanduser("~")
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


def profile_path(environ, name):
    if not name or "/" in name or os.pathsep in name or name in (".", ".."):
        raise ValueError(f"invalid usacloud profile name {name!r}")
    return os.path.join(profile_dir(environ), name, "config.json")


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


def read_profile(path):
    """Return the settings read from a usacloud profile file (``config.json``).

    Keys: ``access_token``, ``access_token_secret``, ``zones`` (``Zones`` wins over
    ``Zone``), ``api_root_url`` (``APIRootURL``) and the numbers of
    :data:`PROFILE_NUMBERS`; a key the profile does not set is None. Returns None
    when the file does not exist; raises ValueError when it cannot be read as a
    JSON object or a number is invalid.
    """
    try:
        text = read_text(path)
    except FileReadError as exc:
        raise ValueError(f"cannot read usacloud profile {path}: {exc.strerror}") from None
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"usacloud profile {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"usacloud profile {path} is not a JSON object")
    zones = data.get("Zones")
    if not (isinstance(zones, list) and zones):
        zone = data.get("Zone")
        zones = [zone] if isinstance(zone, str) and zone else None
    root = data.get("APIRootURL")
    result = {
        "access_token": data.get("AccessToken") or None,
        "access_token_secret": data.get("AccessTokenSecret") or None,
        "zones": [str(z) for z in zones] if zones else None,
        "api_root_url": root if isinstance(root, str) and root else None,
    }
    for name, keys in PROFILE_NUMBERS.items():
        result[name] = _profile_number(data, keys, path)
    return result


def resolve_settings(access_token, access_token_secret, zones, profile_name, environ):
    """Return ``(token, secret, zones, source, profile)`` from options, falling back to a usacloud profile.

    ``access_token``/``access_token_secret``/``zones`` are the option values (the
    plugin's option system already applied their environment variables); a value
    that is missing is read from the usacloud profile, as the SDK does (options and
    environment before the profile). ``source`` says where the credentials came
    from, for messages; ``profile`` is what :func:`read_profile` read (None without
    a profile file). A profile that was named (option, environment or ``current``)
    and does not exist is an error, as in the SDK. Raises ValueError when no
    credentials are found or a zone is unknown.
    """
    name, explicit = current_profile_name(environ, profile_name)
    path = profile_path(environ, name)
    profile = read_profile(path)
    if profile is None and explicit:
        raise ValueError(f"usacloud profile {name!r} not found: {path} does not exist")
    source = "options"
    if profile:
        if not access_token and not access_token_secret:
            access_token = profile["access_token"]
            access_token_secret = profile["access_token_secret"]
            source = f"usacloud profile {name!r} ({path})"
        if not zones:
            zones = profile["zones"]
    if not access_token or not access_token_secret:
        raise ValueError(
            "no Sakura Cloud credentials: set access_token and access_token_secret, the environment variables "
            "SAKURACLOUD_ACCESS_TOKEN and SAKURACLOUD_ACCESS_TOKEN_SECRET, or a usacloud profile "
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
    return access_token, access_token_secret, seen, source, profile


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
    """Return a hex digest naming a cache entry: API URL, zones, token and server-side filter tags, never the secret."""
    material = [api_root_url.rstrip("/"), list(zones), access_token]
    if tags:
        material.append(list(tags))
    return digest(material)
