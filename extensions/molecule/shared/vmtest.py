# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for the testinfra tests of the lvmkube.cluster molecule scenarios.

extensions/molecule/conftest.py puts this directory on sys.path, so a scenario test can write
``from vmtest import swap_devices``. Every helper takes the testinfra ``host`` fixture and reads
the real state of the VM; none of them caches or guesses.
"""

from __future__ import annotations

import json
import os

import yaml


def scenario_platforms() -> list[dict]:
    """The platforms declared in the molecule.yml of the running scenario."""
    molecule_file = os.environ.get("MOLECULE_FILE")
    if not molecule_file:
        raise RuntimeError("MOLECULE_FILE is not set: run these tests through molecule verify")
    with open(molecule_file, encoding="utf-8") as handle:
        return (yaml.safe_load(handle) or {}).get("platforms") or []


def platform_of(host) -> dict:
    """The molecule platform entry of the VM behind ``host``."""
    name = host.backend.get_hostname()
    for platform in scenario_platforms():
        if platform.get("name") == name:
            return platform
    raise KeyError(f"no platform named {name} in {os.environ.get('MOLECULE_FILE')}")


def vm_info(host) -> dict:
    """What vmctl.py recorded for the VM behind ``host`` (port, disks, console log, boot seconds)."""
    state_dir = os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "vms")
    with open(os.path.join(state_dir, host.backend.get_hostname(), "vm.json"), encoding="utf-8") as handle:
        return json.load(handle)


def declared_disks(host) -> list[dict]:
    """The data disks of the platform as dicts: serial, size, by_id (/dev/disk/by-id/virtio-<serial>)."""
    disks = []
    for disk in platform_of(host).get("disks") or []:
        if isinstance(disk, str):
            serial, _sep, size = disk.partition(":")
        else:
            serial, size = disk["serial"], disk["size"]
        disks.append({"serial": serial, "size": size, "by_id": f"/dev/disk/by-id/virtio-{serial}"})
    return disks


def size_bytes(size: str) -> int:
    """512M / 4G (as in molecule.yml) in bytes."""
    units = {"M": 1024**2, "G": 1024**3}
    return int(size[:-1]) * units[size[-1]]


def block_size_bytes(host, device: str) -> int:
    """The size of a block device in bytes, as the kernel reports it."""
    return int(host.check_output("blockdev --getsize64 %s", device))


def boot_id(host) -> str:
    """The kernel's boot id (changes on every boot)."""
    return host.file("/proc/sys/kernel/random/boot_id").content_string.strip()


def previous_boot_ids(host) -> list[str]:
    """Boot ids that shared/reboot.yml rebooted away from (empty before the first reboot)."""
    record = host.file("/var/lib/lvmkube-molecule/reboots")
    if not record.exists:
        return []
    return [line.strip() for line in record.content_string.splitlines() if line.strip()]


def swap_devices(host) -> list[dict]:
    """Active swap areas from /proc/swaps: dicts with name, type, size_kib, used_kib, priority."""
    lines = host.file("/proc/swaps").content_string.splitlines()[1:]
    result = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 5:
            result.append(
                {
                    "name": fields[0],
                    "type": fields[1],
                    "size_kib": int(fields[2]),
                    "used_kib": int(fields[3]),
                    "priority": int(fields[4]),
                }
            )
    return result


def sysctl_value(host, key: str) -> str:
    """The live value of a sysctl key (from /proc/sys)."""
    return host.file("/proc/sys/" + key.replace(".", "/")).content_string.strip()


def loaded_modules(host) -> set[str]:
    """Names of the loaded kernel modules (from /proc/modules)."""
    return {line.split()[0] for line in host.file("/proc/modules").content_string.splitlines() if line.strip()}


def lvm_report(host, command: str, *args: str) -> list[dict]:
    """Rows of an LVM report command (pvs, vgs, lvs) read through --reportformat json."""
    out = host.check_output(
        "%s --reportformat json --units b --nosuffix " + " ".join(["%s"] * len(args)), command, *args
    )
    report = json.loads(out)["report"]
    key = {"pvs": "pv", "vgs": "vg", "lvs": "lv"}[command]
    return [row for part in report for row in part.get(key, [])]


def systemd_unit_property(host, unit: str, prop: str) -> str:
    """One property of a systemd unit (systemctl show -p)."""
    return host.check_output("systemctl show -p %s --value %s", prop, unit).strip()
