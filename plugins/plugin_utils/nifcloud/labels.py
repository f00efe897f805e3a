# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NIFCLOUD instance labels (``key=value`` words of the description): the labels, the groups they make, the filter."""

from __future__ import annotations

import re

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory.names import group_name

_LABEL = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.\-/]*)=(\S*)$")


def description_labels(description):
    """Return the ``key=value`` labels written in an instance description (separated by spaces, commas, newlines).

    Words that are not ``key=value`` are ignored; a key given twice keeps the later value.
    """
    labels = {}
    for word in re.split(r"[\s,;]+", description or ""):
        match = _LABEL.match(word)
        if match:
            labels[match.group(1)] = match.group(2)
    return labels


def label_groups(labels):
    """Yield ``(label, group name)`` for every description label (``key=value``, or ``key`` when the value is empty)."""
    for key, value in labels.items():
        label = f"{key}={value}" if value else key
        name = group_name(label)
        if name:
            yield label, name


def host_groups(instance, labels):
    """Return the groups of one instance: zone, instance type, state and one per ``key=value`` label."""
    groups = []
    for prefix, value in (
        ("zone_", instance.get("zone")),
        ("instance_type_", instance.get("instance_type")),
        ("state_", instance.get("state")),
    ):
        name = group_name(prefix + value) if value else None
        if name and name not in groups:
            groups.append(name)
    for _label, name in label_groups(labels):
        if name not in groups:
            groups.append(name)
    return groups


def make_filter(states=(), labels=None):
    """Return a predicate ``(instance, labels) -> bool``: state among ``states`` (any when empty), every label equal."""
    wanted_states = set(states or ())
    wanted_labels = dict(labels or {})

    def accept(instance, instance_labels):
        if wanted_states and instance.get("state") not in wanted_states:
            return False
        return all(instance_labels.get(k) == str(v) for k, v in wanted_labels.items())

    return accept
