# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kubelet flags kept in one variable of an environment file (the node side of the cloud_provider role; the
controller side, what kubeadm and kubespray read, is ``plugin_utils/cloud_provider.py``).

kubeadm writes ``/var/lib/kubelet/kubeadm-flags.env`` as one line ``KUBELET_KUBEADM_ARGS="--a=b --c=d"`` (Go's
``%q`` of the flags joined by spaces); the kubelet packages read ``KUBELET_EXTRA_ARGS`` from
``/etc/default/kubelet`` or ``/etc/sysconfig/kubelet``, often written bare (``KUBELET_EXTRA_ARGS=``).
:func:`edit_env_flags` changes only the flags asked for, keeps their order, every other flag, every other line and
the quoting style, so that removing a flag again gives back the original text.
"""

from __future__ import annotations

import re

_SAFE_BARE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]*$")


class KubeletFlagsError(ValueError):
    """The file or the wanted flags cannot be edited safely."""


def _unquote(raw, where):
    """Return (value, quote) of a shell assignment's right-hand side: '"..."' (with \\ escapes), "'...'" or bare."""
    raw = raw.rstrip("\r")
    if raw.startswith('"'):
        out = []
        index = 1
        while index < len(raw):
            char = raw[index]
            if char == "\\" and index + 1 < len(raw):
                out.append(raw[index + 1])
                index += 2
                continue
            if char == '"':
                if raw[index + 1 :].strip():
                    raise KubeletFlagsError(f"{where}: text after the closing quote")
                return "".join(out), '"'
            out.append(char)
            index += 1
        raise KubeletFlagsError(f"{where}: the value has no closing quote")
    if raw.startswith("'"):
        end = raw.find("'", 1)
        if end < 0 or raw[end + 1 :].strip():
            raise KubeletFlagsError(f"{where}: the single-quoted value is not closed at the end of the line")
        return raw[1:end], "'"
    value = raw.strip()
    if not _SAFE_BARE.match(value):
        raise KubeletFlagsError(f"{where}: an unquoted value with spaces or shell characters cannot be edited safely")
    return value, ""


def _quote(value, quote):
    if quote == "" and _SAFE_BARE.match(value):
        return value
    if quote == "'" and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def split_flags(value):
    """``--a=b --c`` -> [('a', 'b'), ('c', None)]; anything that is not a ``--flag`` is refused."""
    flags = []
    for arg in value.split():
        if not arg.startswith("--") or len(arg) < 3:
            raise KubeletFlagsError(f"{arg!r} is not a --flag")
        name, sep, flag_value = arg[2:].partition("=")
        flags.append((name, flag_value if sep else None))
    return flags


def join_flags(flags):
    return " ".join(f"--{name}" if value is None else f"--{name}={value}" for name, value in flags)


# systemd reads an EnvironmentFile= with load_env_file() (systemd/systemd src/basic/env-file.c, commit
# 8a7e6c08681ec2deeec6c163a66eef1e8104d0c0): load_env_file_push() adds each assignment with
# strv_env_replace_consume(), so a later assignment of a variable replaces an earlier one (the last line is the
# one in effect); and check_utf8ness_and_warn() makes the push, and so the whole file, fail for a key or value
# that is not valid UTF-8 (comments are skipped before that).


def _assignment_lines(lines, variable):
    """Indexes of the lines that assign variable (systemd uses the last)."""
    pattern = re.compile(rf"^\s*(?:export\s+)?{re.escape(variable)}=")
    return [index for index, line in enumerate(lines) if pattern.match(line)]


def _check_utf8(lines):
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith(("#", ";")):
            continue
        if line.encode("utf-8", "surrogateescape").decode("utf-8", "replace") != line:
            raise KubeletFlagsError(
                f"line {number} holds bytes that are not UTF-8 outside a comment: systemd refuses such an "
                "environment file, so no edit would take effect"
            )


def parse_env_flags(text, variable):
    """The flags of ``variable`` in the environment file text as an ordered dict-like list, or None when unset.

    The last assignment is read: it is the one systemd uses.
    """
    lines = text.splitlines()
    found = _assignment_lines(lines, variable)
    if not found:
        return None
    match = re.match(rf"^\s*(?:export\s+)?{re.escape(variable)}=(.*)$", lines[found[-1]])
    value, _quote_char = _unquote(match.group(1), f"line {found[-1] + 1}")
    return split_flags(value)


def _check_wanted(flags):
    if not isinstance(flags, dict) or not flags:
        raise KubeletFlagsError("flags must be a non-empty dict of flag name to value")
    for name, value in flags.items():
        if not re.match(r"^[a-z0-9][a-z0-9-]*$", str(name)):
            raise KubeletFlagsError(f"flag name {name!r} must be given without dashes in front, like cloud-provider")
        if value is not None and (not isinstance(value, str) or any(c.isspace() for c in value)):
            raise KubeletFlagsError(f"the value of --{name} must be a string without spaces")


def edit_env_flags(text, variable, flags, state="present"):
    """Return text with the flags set (present) or removed (absent) in the variable's line.

    A flag already there keeps its place (its value is replaced); a new one is appended. A variable that is not in
    the file is appended as a new line on present and left out on absent. A variable assigned on several lines is
    edited on the last one, the one systemd uses. Raises KubeletFlagsError (also for bytes that are not UTF-8
    outside comments, which make systemd refuse the file).
    """
    _check_wanted(flags)
    if state not in ("present", "absent"):
        raise KubeletFlagsError("state must be present or absent")
    lines = text.splitlines(keepends=True)
    _check_utf8(lines)
    for index in _assignment_lines(lines, variable)[-1:]:
        line = lines[index]
        match = re.match(rf"^(\s*(?:export\s+)?{re.escape(variable)}=)(.*?)(\r?\n)?$", line)
        prefix, raw, newline = match.group(1), match.group(2), match.group(3) or ""
        value, quote = _unquote(raw, f"line {index + 1}")
        current = split_flags(value)
        names = [name for name, _value in current]
        if len(set(names)) != len(names):
            repeated = sorted({name for name in names if names.count(name) > 1})
            raise KubeletFlagsError(f"{variable} sets {', '.join('--' + n for n in repeated)} more than once")
        wanted = dict(current)
        order = list(names)
        for name, flag_value in flags.items():
            if state == "present":
                if name not in wanted:
                    order.append(name)
                wanted[name] = flag_value
            elif name in wanted:
                order.remove(name)
                del wanted[name]
        new_value = join_flags([(name, wanted[name]) for name in order])
        if new_value == value:
            return text
        lines[index] = prefix + _quote(new_value, quote) + newline
        return "".join(lines)
    if state == "absent":
        return text
    ending = "" if not text or text.endswith("\n") else "\n"
    return f"{text}{ending}{variable}={_quote(join_flags(list(flags.items())), chr(34))}\n"
