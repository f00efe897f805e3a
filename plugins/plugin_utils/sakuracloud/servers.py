# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One server as the Sakura Cloud API lists it: the shape check and the fields the plugin reads from it."""

from __future__ import annotations


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
