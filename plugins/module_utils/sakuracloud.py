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

import base64
import json
import os
import re
import stat
from urllib.parse import quote

from ansible_collections.lvmkube.cluster.plugins.module_utils.cloud_inventory import digest, first_env, group_name
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import FileReadError, read_text

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core
    yaml = None

try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
except ImportError:  # pragma: no cover - reported when a service principal key is used
    hashes = serialization = padding = rsa = None

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


def _kind(value):
    """Say what a JSON value is, for shape errors."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    for types, word in ((dict, "an object"), (list, "a list"), (str, "a string"), ((int, float), "a number")):
        if isinstance(value, types):
            return word
    return type(value).__name__


def _expect(value, types, owner, field, expected):
    if value is not None and (isinstance(value, bool) or not isinstance(value, types)):
        raise ValueError(f"{owner}: field {field!r} is {_kind(value)}, expected {expected}")


def check_server(server, position):
    """Raise ValueError naming the server, the field and what was expected unless ``server`` is shaped as listed.

    ``position`` is the server's index in ``Servers``, named while the server has
    no usable ``ID``. Fields read by the plugin: ``ID`` (a number or numeric text),
    ``Name`` (non-empty text), ``Tags`` (list of text), ``Zone``, ``Instance``,
    ``ServerPlan`` (objects), ``Interfaces`` (list of objects or nulls, each with
    ``Switch`` an object, ``IPAddress``/``UserIPAddress``/``MACAddress`` text); any
    may be null but ``ID`` and ``Name``.
    """
    if not isinstance(server, dict):
        raise ValueError(f"Servers[{position}] is {_kind(server)}, expected an object")
    server_id = server.get("ID")
    if isinstance(server_id, bool) or not isinstance(server_id, (int, str)) or not str(server_id).isdigit():
        raise ValueError(f"Servers[{position}]: field 'ID' is {_kind(server_id)}, expected a number")
    owner = f"server {server_id}"
    name = server.get("Name")
    if not isinstance(name, str) or not name:
        raise ValueError(f"{owner}: field 'Name' is {_kind(name) if name != '' else 'empty'}, expected a name")
    tags = server.get("Tags")
    _expect(tags, list, owner, "Tags", "a list of tags")
    for index, tag in enumerate(tags or ()):
        _expect(tag, str, owner, f"Tags[{index}]", "text")
    for field in ("Zone", "Instance", "ServerPlan"):
        _expect(server.get(field), dict, owner, field, "an object")
    interfaces = server.get("Interfaces")
    _expect(interfaces, list, owner, "Interfaces", "a list of interfaces")
    for index, nic in enumerate(interfaces or ()):
        where = f"Interfaces[{index}]"
        _expect(nic, dict, owner, where, "an object")
        if nic is None:
            continue
        _expect(nic.get("Switch"), dict, owner, f"{where}.Switch", "an object")
        for field in ("IPAddress", "UserIPAddress", "MACAddress"):
            _expect(nic.get(field), str, owner, f"{where}.{field}", "text")


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


def tag_groups(tags, is_skipped):
    """Yield ``(tag, group name)`` for every tag that makes a group (see ``tag_group_name``)."""
    for tag in tags:
        if is_skipped(tag):
            continue
        name = tag_group_name(tag)
        if name is not None:
            yield tag, name


def set_member_names(records):
    """Set ``etcd_member_name`` in each record's ``vars``: its ``@etcd_member_name=`` tag, else its host name.

    ``records`` are dicts with ``server``, ``host`` (the unique host name),
    ``what`` (``server 1 in zone is1a``) and ``vars``; a record whose ``vars`` hold
    no ``etcd_member_name`` is left alone. Host names are unique, so only a tag can
    collide: ValueError naming both servers.
    """
    owners = {}
    for record in records:
        if "etcd_member_name" not in record["vars"]:
            continue
        explicit = tag_vars(server_tags(record["server"])).get("etcd_member_name")
        member = explicit or record["host"]
        record["vars"]["etcd_member_name"] = member
        first = owners.setdefault(member, record)
        if first is not record:
            raise ValueError(
                f"{first['what']} (host {first['host']}) and {record['what']} (host {record['host']}) would both "
                f"be the etcd member {member!r}; give them distinct @etcd_member_name=<name> tags"
            )


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
# The profile files of one profile folder, in the order saclient reads them (profile v1 first, then v0).
PROFILE_FILES = ("config.yaml", "config.json")
# Defaults of the Sakura Cloud SDK (sacloud/api-client-go defaultOption, sacloud-sdk-go saclient defaults).
SDK_DEFAULTS = {
    "api_root_url": DEFAULT_API_ROOT_URL,
    "retries": 10,
    "retry_backoff": 1.0,
    "retry_wait_max": 64.0,
    "rate_limit": 5,
}
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
# Token endpoint of service principal keys (saclient's default TokenEndpoint).
DEFAULT_TOKEN_ENDPOINT = "https://secure.sakura.ad.jp/cloud/api/iam/1.0/service-principals/oauth2/token"
# Settings of a service principal key: name -> profile (v0) keys, first found wins.
SERVICE_PRINCIPAL_KEYS = {
    "service_principal_id": ("ServicePrincipalID",),
    "service_principal_key_kid": ("ServicePrincipalKeyKID", "ServicePrincipalKeyID"),
    "private_key": ("PrivateKey",),
    "private_key_path": ("PrivateKeyPEMPath",),
    "token_endpoint": ("TokenEndpoint",),
}
# The grant of RFC 7523 that saclient sends to the token endpoint.
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# Lifetime of the signed assertion and how far back its nbf reaches (saclient: 600 s and 60 s).
ASSERTION_LIFETIME = 600
ASSERTION_NOT_BEFORE_SKEW = 60


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
