# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Structural edits every kube-scheduler backend shares: parsed YAML documents (plain dicts/lists or ruamel.yaml
round-trip containers) edited in place, each function reporting whether it changed something, and the flag
lists of command lines and ``*-arg`` settings.

Pure: no file system, no network, nothing but the standard library.
"""

from __future__ import annotations


class KubeSchedulerConfigError(ValueError):
    """Raised for input that cannot be turned into a valid configuration or edit."""


def require_mapping(value, what):
    if not isinstance(value, dict):
        raise KubeSchedulerConfigError(f"{what} must be a mapping, found {type(value).__name__}")
    return value


def child(parent, key, factory, what, create):
    """parent[key], created with factory() when missing and create is True; None when missing."""
    if key not in parent or parent[key] is None:
        if not create:
            return None
        parent[key] = factory()
    value = parent[key]
    expected = dict if factory is dict else list
    if not isinstance(value, expected):
        raise KubeSchedulerConfigError(f"{what} must be a {'mapping' if expected is dict else 'list'}")
    return value


def upsert_named(items, name_key, name, wanted):
    """Make exactly one entry of items with items[i][name_key] == name equal to wanted."""
    changed = False
    indexes = [i for i, item in enumerate(items) if isinstance(item, dict) and item.get(name_key) == name]
    if not indexes:
        items.append(wanted)
        return True
    first = indexes[0]
    if plain_data(items[first]) != wanted:
        items[first] = wanted
        changed = True
    for i in reversed(indexes[1:]):
        del items[i]
        changed = True
    return changed


def remove_named(items, name_key, name):
    indexes = [i for i, item in enumerate(items) if isinstance(item, dict) and item.get(name_key) == name]
    for i in reversed(indexes):
        del items[i]
    return bool(indexes)


def plain_data(value):
    """Plain dict/list copy of a (possibly ruamel) structure, for comparisons."""
    if isinstance(value, dict):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    return value


def drop_if_empty(parent, key):
    if key in parent and not parent[key]:
        del parent[key]
        return True
    return False


def _flag_name(item):
    """'--config=/x' -> 'config', 'config=/x' -> 'config', '--v' -> 'v'; None for non-strings."""
    if not isinstance(item, str):
        return None
    return item.lstrip("-").split("=", 1)[0]


def flag_values(items, name):
    """Every value of flag name in items (a command line, or an RKE2 ``*-arg`` list), in order."""
    values = []
    for index, item in enumerate(items or []):
        if _flag_name(item) != name:
            continue
        if "=" in item:
            values.append(item.split("=", 1)[1])
        elif item.startswith("-") and index + 1 < len(items) and isinstance(items[index + 1], str):
            values.append(items[index + 1])
    return values


def set_flag(items, name, value, dashes="--", only=None):
    """Make items carry exactly one ``<dashes><name>=<value>``, or none when value is None. Returns changed.

    items is edited in place: a command line (dashes ``--``; the two-item form ``--name value`` is folded into
    one item where it stands) or an RKE2 ``kube-scheduler-arg`` list (dashes ``""``; ``name=value`` and
    ``--name=value`` both match). The first occurrence is replaced where it stands, later ones are removed.
    only: when given, only an occurrence whose value equals it is replaced or removed; others stay.
    """
    changed = False
    flag = dashes + name
    for index in reversed(range(len(items))):
        item = items[index]
        two_items = isinstance(item, str) and item.startswith("-") and "=" not in item and _flag_name(item) == name
        if two_items and index + 1 < len(items) and isinstance(items[index + 1], str):
            items[index] = f"{item}={items[index + 1]}"
            del items[index + 1]
            changed = True
    positions = []
    for index, item in enumerate(items):
        if _flag_name(item) == name and "=" in item and (only is None or item.split("=", 1)[1] == only):
            positions.append(index)
    if value is None:
        for index in reversed(positions):
            del items[index]
        return changed or bool(positions)
    wanted = f"{flag}={value}"
    if not positions:
        items.append(wanted)
        return True
    if items[positions[0]] != wanted:
        items[positions[0]] = wanted
        changed = True
    for index in reversed(positions[1:]):
        del items[index]
        changed = True
    return changed
