# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sakura Cloud server tags: ``@key=value`` variables, the groups tags make, the tag and status filter."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory.names import group_name

# Groups kubespray still knows under a legacy name: hosts of the key group also
# join the value group.
KUBESPRAY_ALIASES = {"kube_master": "kube_control_plane"}
# kubespray expects these groups below k8s_cluster.
KUBESPRAY_CLUSTER_GROUP = "k8s_cluster"
KUBESPRAY_CLUSTER_CHILDREN = ("kube_control_plane", "kube_node")


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


def tag_groups(tags, is_skipped):
    """Yield ``(tag, group name)`` for every tag that makes a group (see ``tag_group_name``)."""
    for tag in tags:
        if is_skipped(tag):
            continue
        name = tag_group_name(tag)
        if name is not None:
            yield tag, name


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
