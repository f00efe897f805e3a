# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory host names of Sakura Cloud servers: a rendered ``hostname`` template checked, a taken name made unique."""

from __future__ import annotations


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
