# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build an OpenSSH client configuration block for the hosts of an inventory.

The playbook ``lvmkube.cluster.ssh_config`` collects a few connection variables per
host and hands them to this filter, which returns the text of a managed block:
one ``Host`` entry per inventory host with ``HostName``, ``User``, ``Port``,
``IdentityFile`` and, when the host names a bastion group, ``ProxyJump``.

Host names and addresses come from cloud data, so every value is checked against what
OpenSSH does with it (openssh/openssh-portable match.c ``match_pattern`` and
``match_pattern_list``: ``*``, ``?``, ``!`` and ``,`` make patterns and lists, host names are
compared lowercased; readconf.c ``process_config_line_depth``: arguments split on whitespace,
one keyword per line; ssh_config(5) TOKENS: ``%`` expands in HostName, User, IdentityFile).
A ``Host`` alias, a ``HostName``, a ``User`` and a ``ProxyJump`` host may hold only
letters, digits, ``.``, ``_`` and ``-`` (``HostName`` also ``:`` for IPv6) and not start
with ``-``; quoting would not help, as ssh matches the unquoted text as a pattern.
No value may hold a line break or any other control character.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

_TOKEN = re.compile(r"^[^\s\"'\\#]+$")
# Host aliases, user names, jump hosts: no ssh_config pattern (* ? ! ,), token (%) or separator character.
_NAME_PUNCTUATION = frozenset("._-")
_OPTION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_KNOWN_KEYS = frozenset({"name", "hostname", "user", "port", "identity_file", "bastion_group"})


def _token(host: str, what: str, value) -> str:
    text = str(value)
    if not _TOKEN.match(text) or not text.isprintable():
        raise AnsibleFilterError(
            f"ssh_config_block: host {host!r}: {what} {text!r} is not a single token "
            "(whitespace, quotes, '#' and backslashes are not allowed)"
        )
    return text


def _name(host: str, what: str, value, extra: str = "") -> str:
    """A value ssh must read as one literal name: letters, digits, ``._-`` (and ``extra``), not starting with ``-``."""
    text = str(value)
    bad = next((c for c in text if not (c.isalnum() or c in _NAME_PUNCTUATION or c in extra)), None)
    if not text or bad is not None or text.startswith("-"):
        why = f"holds {bad!r}" if bad is not None else "is empty or starts with '-'"
        raise AnsibleFilterError(
            f"ssh_config_block: host {host!r}: {what} {text!r} is not a single token ({why}); ssh_config would read "
            "it as a pattern, a %-token or more than one value: only letters, digits, '.', '_' and '-' are allowed"
        )
    return text


def _port(host: str, value) -> int:
    try:
        port = int(str(value))
    except ValueError:
        raise AnsibleFilterError(f"ssh_config_block: host {host!r}: port {value!r} is not a number") from None
    if not 1 <= port <= 65535:
        raise AnsibleFilterError(f"ssh_config_block: host {host!r}: port {port} is outside 1-65535")
    return port


def resolve_jump_host(host: str, bastion_group: str, groups: Mapping) -> str | None:
    """Return the jump host alias for ``host``, or None when it needs none."""
    if not bastion_group:
        return None
    members = groups.get(bastion_group)
    if not members:
        raise AnsibleFilterError(
            f"ssh_config_block: host {host!r} names bastion group {bastion_group!r}, "
            "which does not exist or has no hosts"
        )
    if host in members:
        return None
    return str(members[0])


def host_entry(entry: Mapping, groups: Mapping, options: Mapping) -> list[str]:
    """Return the lines of one ``Host`` entry."""
    if not isinstance(entry, Mapping) or not entry.get("name"):
        raise AnsibleFilterError(f"ssh_config_block: every entry needs a 'name', got {entry!r}")
    name = _name(str(entry["name"]), "host name", entry["name"])
    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise AnsibleFilterError(f"ssh_config_block: host {name!r}: unknown keys {unknown}")
    lines = [f"Host {name}", f"  HostName {_name(name, 'hostname', entry.get('hostname') or name, ':')}"]
    if entry.get("user"):
        lines.append(f"  User {_name(name, 'user', entry['user'])}")
    if entry.get("port") not in (None, ""):
        lines.append(f"  Port {_port(name, entry['port'])}")
    if entry.get("identity_file"):
        lines.append(f"  IdentityFile {_token(name, 'identity_file', entry['identity_file'])}")
    jump = resolve_jump_host(name, str(entry.get("bastion_group") or ""), groups)
    if jump:
        lines.append(f"  ProxyJump {_name(name, 'jump host', jump)}")
    for key in sorted(options):
        if not _OPTION_NAME.match(str(key)):
            raise AnsibleFilterError(f"ssh_config_block: option name {key!r} is not an ssh_config keyword")
        lines.append(f"  {key} {_token(name, f'option {key}', options[key])}")
    return lines


def ssh_config_block(entries, groups=None, options=None) -> str:
    """Render the managed block for ``entries`` (see ssh_config_block.yml)."""
    if isinstance(entries, (str, bytes)) or not isinstance(entries, Sequence):
        raise AnsibleFilterError("ssh_config_block: input must be a list of host entries")
    groups = groups or {}
    options = options or {}
    if not isinstance(groups, Mapping) or not isinstance(options, Mapping):
        raise AnsibleFilterError("ssh_config_block: groups and options must be dictionaries")
    seen: set[str] = set()
    blocks = []
    for entry in entries:
        lines = host_entry(entry, groups, options)
        alias = lines[0].split(" ", 1)[1]
        # ssh compares host names lowercased (match.c match_hostname): Node1 and node1 are one alias.
        if alias.lower() in seen:
            raise AnsibleFilterError(f"ssh_config_block: host {alias!r} is listed twice (ssh ignores case)")
        seen.add(alias.lower())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


class FilterModule:
    """ssh_config rendering filter."""

    def filters(self):
        return {"ssh_config_block": ssh_config_block}
