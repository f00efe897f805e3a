# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host variables of one Sakura Cloud server: connection variables, the prefixed facts, kubespray's variables.

One pure function per host's variables (:func:`host_vars`, :func:`kubespray_vars`); nothing here reads the
network or Ansible's state.
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import names
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud.addresses import choose_address
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud.servers import (
    instance_status,
    server_tags,
    server_zone,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud.tags import tag_vars

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
# Where kubespray's ``ip`` / ``access_ip`` host variables come from (``none``: not set).
KUBESPRAY_ADDRESS = ("none", "private", "public", "connection")


def prefixed_var_names(prefix):
    """Return the host variable names the plugin sets with this prefix."""
    return [prefix + name for name in PREFIXED_VARS]


def check_hostvars_prefix(prefix, reserved_names):
    """Raise ValueError when the prefix makes an invalid or reserved variable name."""
    names.check_hostvars_prefix(prefix, PREFIXED_VARS, reserved_names, "sacloud_")


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
