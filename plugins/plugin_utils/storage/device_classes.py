# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device-class schema of lvmkube.cluster: one rule for every consumer.

One list (``lvmkube_device_classes``) describes which disks form which LVM volume group and how
TopoLVM's lvmd exposes them. :func:`device_classes` validates and normalises it; the ``device_classes``,
``volume_groups``, ``lvmd_config`` and ``lvmd_legacy_args`` filters (lvm, lvmd roles) and the TopoLVM
manifests (topolvm role) all call it, so there is one rule. Which list a host has is decided in ``resolve.py``;
lvmd's configuration file and flags are written in ``lvmd_config.py``.

The default rule: lvmd itself (TopoLVM ``internal/lvmd/device_class_manager.go``, ``ValidateDeviceClasses``)
refuses more than one default device class, and resolves a volume that names no device class (a
StorageClass without ``topolvm.io/device-class``, ephemeral volumes) to the default one, failing with
``device class not found`` when there is none. This collection therefore asks for exactly one default per
list (per host): every StorageClass it writes then works on every node that has the list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from ansible_collections.lvmkube.cluster.plugins.module_utils import coerce

DEFAULT_SOCKET_NAME = "/run/topolvm/lvmd.sock"
DEFAULT_THIN_POOL_SIZE_PERCENT = 90

# lvmd's own rules (TopoLVM internal/lvmd/device_class_manager.go).
_CLASS_NAME_RE = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_STRIPE_SIZE_RE = re.compile(r"^([0-9]+)(k|m|g|t|p|e|b|s)?$", re.IGNORECASE)
# LVM's rules for volume group and logical volume names: lvmteam/lvm2 lib/misc/lvm-string.c. validate_name()
# (commit cac52ca4ce125a5815121944995c0cdd752dec7e): letters, digits, '.', '_', '-', '+', not starting with '-',
# not '.' or '..', at most NAME_LEN - 1 = 127 characters (lib/misc/lvm-string.h: NAME_LEN 128, with the NUL).
_LVM_NAME_RE = re.compile(r"^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$")
LVM_NAME_MAX = 127
# apply_lvname_restrictions() (commit 0551d1c56e2e901a885aba09a94ebc391930bbc5): LV names starting with a
# reserved prefix or containing a reserved string (LVM's own sub-volumes) are refused by lvcreate.
LVM_RESERVED_LV_PREFIXES = ("pvmove", "snapshot")
LVM_RESERVED_LV_STRINGS = (
    "_cdata",
    "_cmeta",
    "_corig",
    "_mimage",
    "_mlog",
    "_pmspare",
    "_rimage",
    "_rmeta",
    "_tdata",
    "_tmeta",
    "_vorigin",
)
# The device-mapper name of a logical volume is "<vg>-<lv>" with every '-' in either name doubled
# (build_dm_name() in lib/misc/lvm-string.c, commit cac52ca4ce125a5815121944995c0cdd752dec7e); a thin pool also
# has "<vg>-<pool>_tdata", "<vg>-<pool>_tmeta" and "<vg>-<pool>-tpool". The kernel takes at most DM_NAME_LEN
# (128, with the NUL; Linux include/uapi/linux/dm-ioctl.h) for a device name.
DM_NAME_MAX = 127
_THIN_POOL_DM_SUFFIX = "_tmeta"  # as long as _tdata and -tpool


def lvm_name_problem(name, what):
    """Why LVM would refuse name as a volume group (what="volume group") or logical volume name, or None."""
    if not _is_str(name) or not name:
        return f"{what} name must be a non-empty string, got {name!r}"
    if not _LVM_NAME_RE.fullmatch(name) or name in (".", ".."):
        return (
            f"{what} name {name!r} is not a valid LVM name (letters, digits, '.', '_', '+', '-', "
            "not starting with '-', not '.' or '..')"
        )
    if len(name) > LVM_NAME_MAX:
        return f"{what} name is {len(name)} characters long; LVM allows at most {LVM_NAME_MAX}"
    if what != "volume group":
        for prefix in LVM_RESERVED_LV_PREFIXES:
            if name.startswith(prefix):
                return f"{what} name {name!r} starts with {prefix!r}, which LVM reserves"
        for reserved in LVM_RESERVED_LV_STRINGS:
            if reserved in name:
                return f"{what} name {name!r} contains {reserved!r}, which LVM reserves for its own volumes"
    return None


def dm_name_length(vg, lv, suffix=""):
    """Length of the device-mapper name LVM builds for vg/lv (with a layer suffix such as _tmeta)."""
    return len(vg.replace("-", "--")) + 1 + len(lv.replace("-", "--")) + len(suffix)


_STRIPE_OPTION_RE = re.compile(r"^(--stripes(=.*)?|-i.*)$")

_CLASS_KEYS = (
    "name",
    "volume_group",
    "devices",
    "default",
    "spare_gb",
    "stripe",
    "stripe_size",
    "lvcreate_options",
    "type",
    "thin_pool",
    "force_wipe",
)
_THIN_POOL_KEYS = ("name", "overprovision_ratio", "size_percent")


class DeviceClassError(ValueError):
    """A device class list that cannot be used."""


def _is_str(value):
    return isinstance(value, str)


def _as_bool(value, where):
    return coerce.as_bool(value, where, DeviceClassError)


def _as_int(value, where, minimum):
    return coerce.as_int(value, where, minimum, DeviceClassError, text=True)


def _as_float(value, where, minimum):
    if isinstance(value, bool):
        raise DeviceClassError(f"{where} must be a number, got {value!r}")
    try:
        number = float(value)  # also turns Ansible's tagged numbers into plain floats
    except (TypeError, ValueError):
        raise DeviceClassError(f"{where} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise DeviceClassError(f"{where} must be a finite number, got {value!r}")
    if number < minimum:
        raise DeviceClassError(f"{where} must be {minimum} or more, got {number}")
    return number


def _as_str_list(value, where):
    if value is None:
        return []
    if _is_str(value) or not isinstance(value, Sequence):
        raise DeviceClassError(f"{where} must be a list of strings, got {value!r}")
    result = []
    for index, item in enumerate(value):
        if not _is_str(item) or not item:
            raise DeviceClassError(f"{where}[{index}] must be a non-empty string, got {item!r}")
        result.append(str(item))
    return result


def _check_keys(item, allowed, where):
    unknown = sorted(str(key) for key in item if key not in allowed)
    if unknown:
        raise DeviceClassError(
            f"{where} has unknown key(s) {', '.join(unknown)}; allowed keys are {', '.join(allowed)}"
        )


def _normalise_thin_pool(value, where):
    if not isinstance(value, Mapping):
        raise DeviceClassError(f"{where} must be a dict with name and overprovision_ratio, got {value!r}")
    _check_keys(value, _THIN_POOL_KEYS, where)
    name = value.get("name")
    problem = lvm_name_problem(name, "thin pool")
    if problem:
        raise DeviceClassError(f"{where}.name: {problem}")
    if "overprovision_ratio" not in value or value["overprovision_ratio"] is None:
        raise DeviceClassError(f"{where}.overprovision_ratio is required")
    ratio = _as_float(value["overprovision_ratio"], f"{where}.overprovision_ratio", 1.0)
    size_percent = value.get("size_percent")
    if size_percent is None:
        size_percent = DEFAULT_THIN_POOL_SIZE_PERCENT
    size_percent = _as_int(size_percent, f"{where}.size_percent", 1)
    if size_percent > 100:
        raise DeviceClassError(f"{where}.size_percent must be 100 or less, got {size_percent}")
    return {"name": str(name), "overprovision_ratio": ratio, "size_percent": size_percent}


def normalise_device_class(item, index):
    """Validate one device class on its own and return it with every key, in a fixed order."""
    label = f"device class #{index + 1}"
    if not isinstance(item, Mapping):
        raise DeviceClassError(f"{label} must be a dict, got {item!r}")
    name = item.get("name")
    if _is_str(name) and name:
        label = f"device class #{index + 1} ({name})"
    _check_keys(item, _CLASS_KEYS, label)

    if not _is_str(name) or not name:
        raise DeviceClassError(f"{label}: name is required and must be a non-empty string")
    if len(name) > 63 or not _CLASS_NAME_RE.fullmatch(name):
        raise DeviceClassError(
            f"{label}: name must be at most 63 characters of letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit"
        )

    vg = item.get("volume_group")
    if not _is_str(vg) or not vg:
        raise DeviceClassError(f"{label}: volume_group is required and must be a non-empty string")
    problem = lvm_name_problem(vg, "volume group")
    if problem:
        raise DeviceClassError(f"{label}: volume_group: {problem}")

    devices = _as_str_list(item.get("devices"), f"{label}: devices")
    for device in devices:
        if not device.startswith("/"):
            raise DeviceClassError(f"{label}: device {device!r} must be an absolute path such as /dev/disk/by-id/...")
    duplicates = sorted({d for d in devices if devices.count(d) > 1})
    if duplicates:
        raise DeviceClassError(f"{label}: device(s) listed twice: {', '.join(duplicates)}")

    default = item.get("default")
    default = False if default is None else _as_bool(default, f"{label}: default")

    spare_gb = item.get("spare_gb")
    if spare_gb is not None:
        spare_gb = _as_int(spare_gb, f"{label}: spare_gb", 0)
    stripe = item.get("stripe")
    if stripe is not None:
        stripe = _as_int(stripe, f"{label}: stripe", 1)
    stripe_size = item.get("stripe_size")
    if stripe_size is not None:
        if isinstance(stripe_size, bool) or not isinstance(stripe_size, (str, int)):
            raise DeviceClassError(f"{label}: stripe_size must be a string such as '64' or '128k', got {stripe_size!r}")
        stripe_size = str(stripe_size)
        match = _STRIPE_SIZE_RE.fullmatch(stripe_size)
        if not match or int(match.group(1)) == 0:
            raise DeviceClassError(
                f"{label}: stripe_size must be a number above 0 with an optional unit (k, m, g, ...), "
                f"got {stripe_size!r}"
            )

    lvcreate_options = _as_str_list(item.get("lvcreate_options"), f"{label}: lvcreate_options")
    if stripe is not None and any(_STRIPE_OPTION_RE.match(opt) for opt in lvcreate_options):
        raise DeviceClassError(f"{label}: set stripes either with stripe or in lvcreate_options, not both")

    thin_pool = item.get("thin_pool")
    if thin_pool is not None:
        thin_pool = _normalise_thin_pool(thin_pool, f"{label}: thin_pool")
    lv_type = item.get("type")
    if lv_type is None:
        lv_type = "thin" if thin_pool else "thick"
    if lv_type not in ("thick", "thin"):
        raise DeviceClassError(f"{label}: type must be 'thick' or 'thin', got {lv_type!r}")
    if lv_type == "thin" and thin_pool is None:
        raise DeviceClassError(f"{label}: type thin needs thin_pool with name and overprovision_ratio")
    if lv_type == "thick" and thin_pool is not None:
        raise DeviceClassError(f"{label}: type thick cannot have a thin_pool (remove one of them)")
    if thin_pool is not None:
        length = dm_name_length(vg, thin_pool["name"], _THIN_POOL_DM_SUFFIX)
        if length > DM_NAME_MAX:
            raise DeviceClassError(
                f"{label}: volume group {vg!r} and thin pool {thin_pool['name']!r} together make a device-mapper "
                f"name of {length} characters ('-' doubled, with {_THIN_POOL_DM_SUFFIX}); at most {DM_NAME_MAX} "
                "are possible: shorten one of them"
            )

    force_wipe = item.get("force_wipe")
    force_wipe = False if force_wipe is None else _as_bool(force_wipe, f"{label}: force_wipe")

    return {
        "name": str(name),
        "volume_group": str(vg),
        "devices": devices,
        "default": default,
        "spare_gb": spare_gb,
        "stripe": stripe,
        "stripe_size": stripe_size,
        "lvcreate_options": lvcreate_options,
        "type": lv_type,
        "thin_pool": thin_pool,
        "force_wipe": force_wipe,
    }


def device_classes(value, allow_empty=False):
    """Validate the whole device class list; return it normalised (see DOCUMENTATION)."""
    if value is None:
        value = []
    if _is_str(value) or isinstance(value, Mapping) or not isinstance(value, Sequence):
        raise DeviceClassError(f"device classes must be a list of dicts, got {type(value).__name__}")
    if not value:
        if _as_bool(allow_empty, "allow_empty"):
            return []
        raise DeviceClassError("no device classes: lvmkube_device_classes must list at least one device class")

    classes = [normalise_device_class(item, index) for index, item in enumerate(value)]

    seen_names = set()
    for dc in classes:
        if dc["name"] in seen_names:
            raise DeviceClassError(f"duplicate device class name {dc['name']!r}: names must be unique")
        seen_names.add(dc["name"])

    defaults = [dc["name"] for dc in classes if dc["default"]]
    if len(defaults) != 1:
        found = ", ".join(defaults) if defaults else "none"
        raise DeviceClassError(f"exactly one device class must have default: true (found {len(defaults)}: {found})")

    # lvmd: one thick class per volume group, one thin class per volume group/pool.
    targets = {}
    for dc in classes:
        target = dc["volume_group"]
        if dc["thin_pool"]:
            target = f"{target}/{dc['thin_pool']['name']}"
        if target in targets:
            raise DeviceClassError(
                f"device classes {targets[target]!r} and {dc['name']!r} both use {target}: "
                "a volume group (or volume group/thin pool) can back one device class only"
            )
        targets[target] = dc["name"]

    # lvcreate --stripes N needs N physical volumes: count the devices listed for the volume group (a group
    # listed without devices exists already and is not checked here).
    group_devices = {}
    for dc in classes:
        group_devices.setdefault(dc["volume_group"], set()).update(dc["devices"])
    for dc in classes:
        count = len(group_devices[dc["volume_group"]])
        if dc["stripe"] is not None and count and dc["stripe"] > count:
            raise DeviceClassError(
                f"device class {dc['name']}: stripe {dc['stripe']} needs {dc['stripe']} devices, but volume group "
                f"{dc['volume_group']} lists {count}"
            )

    # A device can only be a physical volume of one volume group.
    owner = {}
    for dc in classes:
        for device in dc["devices"]:
            other = owner.get(device)
            if other and other[1] != dc["volume_group"]:
                raise DeviceClassError(
                    f"device {device} is listed for volume group {other[1]} (class {other[0]}) and for "
                    f"volume group {dc['volume_group']} (class {dc['name']}): a device belongs to one volume group"
                )
            owner.setdefault(device, (dc["name"], dc["volume_group"]))
    return classes


def volume_groups(value):
    """Group normalised device classes by volume group, for the lvm role.

    Returns a list (in order of first appearance) of dicts with ``name``, ``devices`` (union, in order,
    without duplicates), ``force_wipe`` (true if any class of the group asks for it), ``classes`` (names)
    and ``thin_pools`` (list of ``{name, size_percent}``).
    """
    classes = device_classes(value, allow_empty=True)
    groups = {}
    for dc in classes:
        group = groups.setdefault(
            dc["volume_group"],
            {"name": dc["volume_group"], "devices": [], "force_wipe": False, "classes": [], "thin_pools": []},
        )
        for device in dc["devices"]:
            if device not in group["devices"]:
                group["devices"].append(device)
        group["force_wipe"] = group["force_wipe"] or dc["force_wipe"]
        group["classes"].append(dc["name"])
        if dc["thin_pool"]:
            group["thin_pools"].append(
                {"name": dc["thin_pool"]["name"], "size_percent": dc["thin_pool"]["size_percent"]}
            )
    for group in groups.values():
        total = sum(pool["size_percent"] for pool in group["thin_pools"])
        if total > 100:
            raise DeviceClassError(
                f"thin pools of volume group {group['name']} ask for {total}% of it in total; at most 100% is possible"
            )
    return list(groups.values())


def lvmd_document(value, socket_name=DEFAULT_SOCKET_NAME):
    """The content of lvmd.yaml (TopoLVM >= 0.5) for the device classes, as a dict in lvmd's key order.

    Optional keys only when set. ``lvmd_config.lvmd_yaml`` writes it as YAML text; the TopoLVM manifests and Helm
    values take it as it is.
    """
    check_socket_name(socket_name)
    classes = device_classes(value)
    entries = []
    for dc in classes:
        entry = {"name": dc["name"], "volume-group": dc["volume_group"], "default": dc["default"]}
        if dc["spare_gb"] is not None:
            entry["spare-gb"] = dc["spare_gb"]
        if dc["stripe"] is not None:
            entry["stripe"] = dc["stripe"]
        if dc["stripe_size"] is not None:
            entry["stripe-size"] = dc["stripe_size"]
        if dc["lvcreate_options"]:
            entry["lvcreate-options"] = list(dc["lvcreate_options"])
        if dc["type"] == "thin":
            entry["type"] = "thin"
            entry["thin-pool"] = {
                "name": dc["thin_pool"]["name"],
                "overprovision-ratio": float(dc["thin_pool"]["overprovision_ratio"]),
            }
        entries.append(entry)
    # a plain str: the YAML emitter refuses Ansible's tagged strings
    return {"socket-name": str(socket_name), "device-classes": entries}


def check_socket_name(socket_name):
    """Refuse a socket name that is not an absolute path (lvmd.yaml, lvmd's flags and the ConfigMaps alike)."""
    if not _is_str(socket_name) or not socket_name.startswith("/"):
        raise DeviceClassError(f"lvmd socket_name must be an absolute path, got {socket_name!r}")
