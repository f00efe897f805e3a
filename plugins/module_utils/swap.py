# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers that find swap areas and the systemd units that activate them.

Nothing here touches the system: every function takes text (the content of
``/proc/swaps``, ``/etc/fstab``, ``systemctl`` output, zram-generator
configuration) and returns plain data, so each rule is unit-tested alone.
The module ``lvmkube.cluster.swap_info`` gathers the text and calls these.
"""

from __future__ import annotations

import re

# fstab source prefixes and the udev symlink directory systemd uses for them
# (systemd-fstab-generator names the .swap unit after that symlink path).
TAG_DIRECTORIES = {
    "UUID": "/dev/disk/by-uuid",
    "LABEL": "/dev/disk/by-label",
    "PARTUUID": "/dev/disk/by-partuuid",
    "PARTLABEL": "/dev/disk/by-partlabel",
    "ID": "/dev/disk/by-id",
}

# Services of zram tools other than zram-generator that set up a zram swap.
ZRAM_TOOL_SERVICES = ("zramswap.service", "zram-config.service", "zram-swap.service", "zram-setup.service")

_ZRAM_NAME = re.compile(r"^zram[0-9]+$")
_ZRAM_SECTION = re.compile(r"^\s*\[\s*(zram[0-9]+)\s*\]\s*$")
_ESCAPE_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_.")


def unescape_octal(text):
    """Decode the ``\\040``-style octal escapes used by /proc/swaps and fstab."""
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), text)


def systemd_escape_path(path):
    """Return the unit name stem systemd derives from ``path`` (like ``systemd-escape --path``).

    ``/dev/disk/by-uuid/ab-cd`` becomes ``dev-disk-by\\x2duuid-ab\\x2dcd``; ``/`` becomes ``-``.
    """
    if not path.startswith("/"):
        raise ValueError(f"not an absolute path: {path!r}")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts:
        return "-"
    if ".." in parts:
        raise ValueError(f"path must not contain '..': {path!r}")
    escaped = []
    for index, char in enumerate("/".join(parts)):
        if char == "/":
            escaped.append("-")
        elif char in _ESCAPE_SAFE and not (index == 0 and char == "."):
            escaped.append(char)
        else:
            escaped.extend(f"\\x{byte:02x}" for byte in char.encode("utf-8"))
    return "".join(escaped)


def swap_unit_name(path):
    """Name of the systemd ``.swap`` unit for a device or file path."""
    return systemd_escape_path(path) + ".swap"


def parse_proc_swaps(text):
    """Parse /proc/swaps into a list of dicts (path, type, size_kib, used_kib, priority)."""
    swaps = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 5:
            continue
        path = unescape_octal(fields[0])
        swaps.append(
            {
                "path": path,
                "type": fields[1],
                "size_kib": int(fields[2]),
                "used_kib": int(fields[3]),
                "priority": int(fields[4]),
            }
        )
    return swaps


def fstab_source_path(source):
    """Path systemd uses for an fstab source: tags map to their /dev/disk/by-* symlink.

    Returns ``None`` for sources that are neither a tag nor an absolute path.
    """
    if "=" in source and not source.startswith("/"):
        tag, _equals, value = source.partition("=")
        directory = TAG_DIRECTORIES.get(tag.upper())
        if directory is None or not value:
            return None
        value = value.strip("\"'")
        if tag.upper() == "LABEL" or tag.upper() == "PARTLABEL":
            # udev escapes '/' and whitespace in label symlinks.
            value = "".join(f"\\x{ord(char):02x}" if char == "/" or char.isspace() else char for char in value)
        return f"{directory}/{value}"
    if source.startswith("/"):
        return source
    return None


def parse_fstab_swaps(text):
    """Return the active (not commented) swap entries of an fstab.

    Each entry: line_number (1-based), line (verbatim), source, tag (``UUID``... or ``None``),
    path (see :func:`fstab_source_path`), options, unit.
    """
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = stripped.split()
        if len(fields) < 3 or fields[2] != "swap":
            continue
        source = unescape_octal(fields[0])
        tag = None
        if "=" in source and not source.startswith("/"):
            tag = source.partition("=")[0].upper()
        path = fstab_source_path(source)
        entries.append(
            {
                "line_number": number,
                "line": line,
                "source": source,
                "tag": tag,
                "path": path,
                "options": fields[3] if len(fields) > 3 else "defaults",
                "unit": swap_unit_name(path) if path else None,
            }
        )
    return entries


def parse_unit_list(text, suffixes):
    """First column of ``systemctl list-units``/``list-unit-files`` output, kept if it ends in a suffix.

    Returns a dict unit -> second column word (load state or unit file state).
    """
    units = {}
    for line in text.splitlines():
        fields = line.split()
        if not fields:
            continue
        if fields[0] in ("●", "*") and len(fields) > 1:
            fields = fields[1:]
        name = fields[0]
        if name.endswith(tuple(suffixes)):
            units[name] = fields[1] if len(fields) > 1 else ""
    return units


def masked_unit_names(list_unit_files):
    """Units of any type whose state is ``masked`` in ``systemctl list-unit-files`` output, sorted."""
    return sorted(name for name, state in parse_unit_list(list_unit_files, [""]).items() if state == "masked")


def parse_zram_generator_sections(text):
    """Device names (``zram0``...) configured in a zram-generator configuration file."""
    devices = []
    for line in text.splitlines():
        match = _ZRAM_SECTION.match(line)
        if match and match.group(1) not in devices:
            devices.append(match.group(1))
    return devices


def zram_units(devices, unit_names):
    """Units that set up or activate zram swap.

    ``devices``: zram device names from /sys/block, zram-generator configuration and /proc/swaps.
    ``unit_names``: all unit (file) names systemd knows; services of other zram tools found there
    are included.
    """
    units = []
    for device in sorted(set(devices)):
        if not _ZRAM_NAME.match(device):
            continue
        units.append(f"systemd-zram-setup@{device}.service")
        units.append(swap_unit_name(f"/dev/{device}"))
    units.extend(name for name in ZRAM_TOOL_SERVICES if name in unit_names)
    return units


def zram_device_of(path):
    """``zram0`` for ``/dev/zram0``; ``None`` for anything else."""
    name = path.rsplit("/", 1)[-1]
    if path.startswith("/dev/") and _ZRAM_NAME.match(name):
        return name
    return None


def units_to_mask(active, fstab, known_units, zram):
    """All units to mask so that no swap returns after a reboot, sorted and without duplicates.

    ``active``: entries of :func:`parse_proc_swaps` (each may carry ``unit`` and ``device_units``);
    ``fstab``: entries of :func:`parse_fstab_swaps` (each may carry ``device_units``);
    ``known_units``: names of .swap units systemd lists (loaded or unit files, generated included);
    ``zram``: units from :func:`zram_units`.
    """
    names = set(known_units) | set(zram)
    for entry in list(active) + list(fstab):
        if entry.get("unit"):
            names.add(entry["unit"])
        names.update(entry.get("device_units") or [])
    return sorted(names)
