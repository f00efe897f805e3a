# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host and group names made from cloud data, and why one is refused; the names of prefixed host variables.

Shared by the cloud inventory plugins (sakuracloud, nifcloud). Pure functions: cloud data in, a name or the reason
it is refused out.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata

_UNSAFE_GROUP_CHARS = re.compile(r"[^A-Za-z0-9_]")
# Names Ansible gives a meaning of its own (ansible-core: constants.LOCALHOST, the built-in groups ``all`` and
# ``ungrouped``); compared after NFKC normalisation and case folding.
SPECIAL_NAMES = frozenset(("localhost", "all", "ungrouped"))
# Characters a host name may hold besides letters and digits (Unicode ones included).
HOST_NAME_PUNCTUATION = frozenset("._-")
# Hex digits of the hash a group name made from a non-ASCII label carries.
GROUP_HASH_LENGTH = 8
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _is_special(name):
    """Tell whether a name means this machine or every host to Ansible (or to a resolver)."""
    folded = unicodedata.normalize("NFKC", name).casefold().rstrip(".")
    if folded in SPECIAL_NAMES or folded.startswith("localhost.") or folded.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(folded)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def host_name_problem(name, group_names=()):
    """Return why ``name`` (from cloud data) must not become an inventory host name, or None when it may.

    Refused: an empty name; ``localhost``, ``all``, ``ungrouped`` in any case or
    Unicode width, ``localhost.<x>``, ``<x>.localhost`` and loopback or unspecified
    addresses; a name with any character but letters, digits, ``.``, ``_`` and
    ``-`` (so no host pattern character ``* ? ! & : [ ] , ~``, no whitespace, no
    control character, no quote); a name starting with ``-``; a name in
    ``group_names`` (the groups of the inventory).
    """
    if not isinstance(name, str) or not name:
        return "is empty"
    if _is_special(name):
        return "is a name Ansible treats specially (localhost, a loopback address, all, ungrouped)"
    for char in name:
        if not (char.isalnum() or char in HOST_NAME_PUNCTUATION):
            return f"holds {char!r}; a host name may hold only letters, digits, '.', '_' and '-'"
    if name.startswith("-"):
        return "starts with '-'"
    if name in group_names:
        return f"is the name of the group {name!r}"
    return None


def group_name(label):
    """Return a group name made from a label (a tag, ``key=value``, a zone ...), or None when empty.

    A leading ``@`` is dropped, every character outside ``[A-Za-z0-9_]`` (``=``
    included) becomes ``_`` and a name that would start with a digit gets a
    leading ``_``: ``@instance-type=large`` gives ``instance_type_large``. A label
    with any non-ASCII character also gets ``_`` and the first
    :data:`GROUP_HASH_LENGTH` hex digits of the SHA-256 of the label (without the
    ``@``), so ``役割=ワーカー`` and ``役割=マスター`` stay two groups.
    """
    if not isinstance(label, str):
        return None
    name = label[1:] if label.startswith("@") else label
    if not name:
        return None
    safe = _UNSAFE_GROUP_CHARS.sub("_", name)
    if not name.isascii():
        safe += "_" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:GROUP_HASH_LENGTH]
    if safe[0].isdigit():
        safe = "_" + safe
    return safe


def group_name_problem(name):
    """Return why a group made from cloud data must not exist, or None: ``all``, ``ungrouped``, ``localhost``.

    A group named ``localhost`` would take every ``hosts: localhost`` play (a
    pattern matches a group before a host), ``all`` and ``ungrouped`` are Ansible's.
    """
    if _is_special(name):
        return "is a name Ansible treats specially"
    return None


class GroupLabels:
    """The labels (tags) behind every group name of one inventory; two different labels on one name is an error."""

    def __init__(self):
        self._first = {}

    def add(self, label, group, owner):
        """Record that ``label`` of ``owner`` (a server) makes ``group``; ValueError naming both on a collision."""
        key = label[1:] if label.startswith("@") else label
        first = self._first.setdefault(group, (key, label, owner))
        if first[0] != key:
            raise ValueError(
                f"the tags {first[1]!r} (server {first[2]}) and {label!r} (server {owner}) both make the group "
                f"{group!r}; rename one of them"
            )


def check_hostvars_prefix(prefix, var_names, reserved_names, example):
    """Raise ValueError when ``prefix`` and one of ``var_names`` make an invalid or reserved host variable name.

    ``example`` is the plugin's default prefix, suggested when the name collides with one Ansible reserves.
    """
    if not isinstance(prefix, str):
        raise ValueError("hostvars_prefix must be a string")
    for name in (prefix + var for var in var_names):
        if not _IDENTIFIER.match(name):
            raise ValueError(f"hostvars_prefix {prefix!r} makes the invalid variable name {name!r}")
        if name in reserved_names:
            raise ValueError(
                f"hostvars_prefix {prefix!r} makes the host variable {name!r}, which collides with a name reserved "
                f"by Ansible; use a non-empty prefix such as {example!r}"
            )
