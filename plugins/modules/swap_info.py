#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: swap_info
short_description: Find every swap area in use or configured, and the systemd units behind it
version_added: 1.0.0
author: lvmkube.cluster contributors (@lvmkube)
description:
  - Reads C(/proc/swaps), the swap lines of C(/etc/fstab) (device paths, C(UUID=), C(LABEL=), C(PARTUUID=),
    C(PARTLABEL=) and swap files), the C(.swap) units systemd knows (loaded, unit files and generated
    ones), zram devices and zram-generator configuration, and services of other zram tools.
  - Resolves C(UUID=)/C(LABEL=) sources to their device with C(blkid) and names every C(.swap) unit
    systemd can create for a swap area, including the aliases of its device (C(/dev/disk/by-*) links).
  - Changes nothing. Used by the role P(lvmkube.cluster.swap#role) to turn swap off and keep it off.
extends_documentation_fragment:
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.info_module
options:
  fstab:
    description: Path of the fstab file to read.
    type: path
    default: /etc/fstab
  proc_swaps:
    description: Path of the kernel's list of active swap areas.
    type: path
    default: /proc/swaps
notes:
  - Without systemd (no C(systemctl)) the unit lists are empty and a warning is returned.
  - A C(systemctl) or C(blkid) call that fails (such as a D-Bus timeout on a loaded host) is tried again, up to
    three times, then the task fails naming the command and its error; it is never read as an empty list.
seealso:
  - name: systemd.swap(5)
    description: How systemd names and activates swap units.
    link: https://www.freedesktop.org/software/systemd/man/latest/systemd.swap.html
"""

EXAMPLES = r"""
- name: Find swap areas
  lvmkube.cluster.swap_info:
  register: swap

- name: Turn each active swap off
  ansible.builtin.command:
    argv: [swapoff, "{{ item.path }}"]
  loop: "{{ swap.active }}"
  changed_when: true
"""

RETURN = r"""
active:
  description: Swap areas in use now (from C(/proc/swaps)).
  returned: always
  type: list
  elements: dict
  sample:
    - path: /dev/vdb1
      type: partition
      size_kib: 65532
      used_kib: 0
      priority: -2
      unit: dev-vdb1.swap
      device_units: [dev-vdb1.swap, dev-disk-by\x2duuid-0e1f.swap]
fstab:
  description: Swap lines of the fstab that are not commented out.
  returned: always
  type: list
  elements: dict
  sample:
    - line_number: 12
      line: UUID=0e1f none swap sw 0 0
      source: UUID=0e1f
      tag: UUID
      path: /dev/disk/by-uuid/0e1f
      device: /dev/vdb1
      options: sw
      unit: dev-disk-by\x2duuid-0e1f.swap
      device_units: [dev-vdb1.swap, dev-disk-by\x2duuid-0e1f.swap]
units:
  description: All C(.swap) units systemd lists, loaded or as unit files (generated ones included), with their state.
  returned: always
  type: dict
  sample: {"dev-vdb1.swap": "generated", "swapfile.swap": "masked"}
zram:
  description: zram swap set-up found on the host.
  returned: always
  type: dict
  contains:
    devices:
      description: zram device names (from C(/sys/block), zram-generator configuration and active swaps).
      type: list
      elements: str
    config_files:
      description: zram-generator configuration files that exist.
      type: list
      elements: str
    units:
      description: Units that set up or activate zram swap.
      type: list
      elements: str
units_to_mask:
  description: Every unit to mask so that no swap returns after a reboot (without C(swap.target)).
  returned: always
  type: list
  elements: str
masked_units:
  description: Unit files of any type that are masked (state C(masked) in C(systemctl list-unit-files)).
  returned: always
  type: list
  elements: str
  sample: [swap.target, dev-vdb1.swap]
"""

import glob  # noqa: E402
import os  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.node_commands import run_or_fail  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.module_utils.swap import (  # noqa: E402
    masked_unit_names,
    parse_fstab_swaps,
    parse_proc_swaps,
    parse_unit_list,
    parse_zram_generator_sections,
    swap_unit_name,
    units_to_mask,
    zram_device_of,
    zram_units,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import FileReadError, read_text  # noqa: E402

ZRAM_GENERATOR_CONFIGS = (
    "/etc/systemd/zram-generator.conf",
    "/run/systemd/zram-generator.conf",
    "/usr/local/lib/systemd/zram-generator.conf",
    "/usr/lib/systemd/zram-generator.conf",
)


def read_file(module, path):
    """The text of path, "" when it does not exist; fails the module when it cannot be read."""
    try:
        return read_text(path) or ""
    except FileReadError as exc:
        module.fail_json(msg=str(exc))


def device_aliases(device):
    """The device path and every /dev/disk/by-* link that points to it."""
    if not device or not os.path.exists(device):
        return []
    real = os.path.realpath(device)
    aliases = {real}
    for link in glob.glob("/dev/disk/by-*/*"):
        if os.path.realpath(link) == real:
            aliases.add(link)
    return sorted(aliases)


def resolve_source(module, entry):
    """Device or file an fstab swap source points to, or None when it is not present."""
    if entry["tag"]:
        blkid = module.get_bin_path("blkid")
        if blkid:
            # blkid exits 2 when no device has the tag (util-linux blkid(8)); other codes are failures.
            rc, out, _err = run_or_fail(module, [blkid, "-l", "-o", "device", "-t", entry["source"]], ok_rcs=(0, 2))
            if rc == 0 and out.strip():
                return out.strip().splitlines()[0]
        if entry["path"] and os.path.exists(entry["path"]):
            return os.path.realpath(entry["path"])
        return None
    if entry["path"] and os.path.exists(entry["path"]):
        return entry["path"]
    return None


def systemd_units(module):
    systemctl = module.get_bin_path("systemctl")
    if not systemctl:
        module.warn("systemctl not found: systemd swap units cannot be listed")
        return {}, {}, []
    # A failed listing is retried, then fails the task: an empty list would leave swap units unmasked.
    flags = ["--no-legend", "--no-pager", "--full", "--plain"]
    _rc, loaded, _err = run_or_fail(module, [systemctl, "list-units", "--type=swap", "--all", *flags])
    _rc, files, _err = run_or_fail(module, [systemctl, "list-unit-files", "--no-legend", "--no-pager", "--full"])
    swap_units = parse_unit_list(loaded, [".swap"])
    swap_files = parse_unit_list(files, [".swap"])
    for name, state in swap_files.items():
        swap_units[name] = state
    all_files = parse_unit_list(files, [".service", ".swap"])
    return swap_units, all_files, masked_unit_names(files)


def main():
    module = AnsibleModule(
        argument_spec={
            "fstab": {"type": "path", "default": "/etc/fstab"},
            "proc_swaps": {"type": "path", "default": "/proc/swaps"},
        },
        supports_check_mode=True,
    )

    active = parse_proc_swaps(read_file(module, module.params["proc_swaps"]))
    for entry in active:
        entry["unit"] = swap_unit_name(entry["path"]) if entry["path"].startswith("/") else None
        aliases = device_aliases(entry["path"]) if entry["type"] == "partition" else []
        entry["device_units"] = sorted(
            {swap_unit_name(alias) for alias in aliases} | ({entry["unit"]} if entry["unit"] else set())
        )

    fstab = parse_fstab_swaps(read_file(module, module.params["fstab"]))
    for entry in fstab:
        entry["device"] = resolve_source(module, entry)
        entry["device_units"] = sorted(
            {swap_unit_name(alias) for alias in device_aliases(entry["device"]) if alias.startswith("/dev/")}
            | ({entry["unit"]} if entry["unit"] else set())
        )

    zram_devices = [os.path.basename(path) for path in glob.glob("/sys/block/zram*")]
    config_files = []
    for base in ZRAM_GENERATOR_CONFIGS:
        for path in [base, *sorted(glob.glob(base + ".d/*.conf"))]:
            if os.path.isfile(path):
                config_files.append(path)
                zram_devices.extend(parse_zram_generator_sections(read_file(module, path)))
    zram_devices.extend(device for device in (zram_device_of(entry["path"]) for entry in active) if device)

    units, all_files, masked = systemd_units(module)
    zram = {
        "devices": sorted(set(zram_devices)),
        "config_files": config_files,
        "units": zram_units(zram_devices, all_files),
    }

    module.exit_json(
        changed=False,
        active=active,
        fstab=fstab,
        units=units,
        zram=zram,
        units_to_mask=units_to_mask(active, fstab, units, zram["units"]),
        masked_units=masked,
    )


if __name__ == "__main__":
    main()
