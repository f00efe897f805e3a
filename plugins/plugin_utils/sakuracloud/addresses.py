# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which address of a Sakura Cloud server Ansible connects to (``ansible_host``) and kubespray binds to.

The scope rule: on the shared segment Sakura Cloud assigns ``IPAddress``, on a user switch the address is the one
the user recorded in ``UserIPAddress``.
"""

from __future__ import annotations

CONNECT_WITH = ("nic0", "name", "public", "private")


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
