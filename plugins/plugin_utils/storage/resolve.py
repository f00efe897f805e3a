# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which device classes a host has: one resolution for the lvm, lvmd and topolvm roles.

Three variables can give a host's device classes:

- ``lvmkube_device_classes``, the collection-wide list (inventory host or group vars, play vars, ...);
- ``lvm_device_classes``, the lvm role's own list (the volume groups and thin pools it creates);
- ``lvmd_device_classes``, the lvmd role's own list (what lvmd serves: lvmd.yaml on the node).

A consumer's list is its own variable when that is set, else ``lvmkube_device_classes``, else none. The lvm
role is the consumer ``lvm``; the lvmd role and TopoLVM (the StorageClasses and per-node lvmd ConfigMaps of the
topolvm role) are the consumer ``lvmd``, so what TopoLVM renders for a node is what lvmd serves there. A variable
set to null counts as not set; an empty list is set (no device classes).

When ``lvm_device_classes`` and ``lvmd_device_classes`` are both set for one host they must describe the same
device classes (in any order): both role variables set and different is an error naming the host and both
variables, whichever role asks - for example a group-level ``lvm_device_classes`` next to a host-level
``lvmd_device_classes`` left the lvm role creating other volume groups than lvmd serves. lvmd may serve fewer
classes than the lvm role creates (lvmd before 0.5.0 serves one volume group) through ``lvmkube_device_classes``
for the volume groups and ``lvmd_device_classes`` for lvmd.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage.device_classes import (
    DeviceClassError,
    device_classes,
)

SHARED_VARIABLE = "lvmkube_device_classes"
ROLE_VARIABLES = {"lvm": "lvm_device_classes", "lvmd": "lvmd_device_classes"}
VARIABLES = (SHARED_VARIABLE, *ROLE_VARIABLES.values())


def _given(host, variables):
    """{variable: value} of the device class variables that are set (not null), each checked to be a list."""
    given = {}
    for name in VARIABLES:
        value = variables.get(name)
        if value is None:
            continue
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            raise DeviceClassError(
                f"host {host}: {name} must be a list of device classes, got {type(value).__name__} {value!r}"
            )
        given[name] = value
    return given


def _normalised(host, name, value):
    try:
        return device_classes(value, allow_empty=True)
    except DeviceClassError as exc:
        raise DeviceClassError(f"host {host}: {name}: {exc}") from exc


def _check_role_variables_agree(host, given):
    lvm_name, lvmd_name = ROLE_VARIABLES["lvm"], ROLE_VARIABLES["lvmd"]
    if lvm_name not in given or lvmd_name not in given:
        return
    lvm = {dc["name"]: dc for dc in _normalised(host, lvm_name, given[lvm_name])}
    lvmd = {dc["name"]: dc for dc in _normalised(host, lvmd_name, given[lvmd_name])}
    if lvm == lvmd:
        return
    differences = []
    only_lvm = [name for name in lvm if name not in lvmd]
    only_lvmd = [name for name in lvmd if name not in lvm]
    changed = [name for name in lvm if name in lvmd and lvm[name] != lvmd[name]]
    if only_lvm:
        differences.append(f"only in {lvm_name}: {', '.join(only_lvm)}")
    if only_lvmd:
        differences.append(f"only in {lvmd_name}: {', '.join(only_lvmd)}")
    if changed:
        differences.append(f"different in the two: {', '.join(changed)}")
    raise DeviceClassError(
        f"host {host}: {lvm_name} and {lvmd_name} are both set and differ ({'; '.join(differences)}), so the "
        f"lvm role would create other volume groups than lvmd serves; set one list, {SHARED_VARIABLE}, for the "
        "host, or the same list in both"
    )


def resolve_device_classes(host, variables, consumer):
    """``(variable, device classes)`` of host for consumer ``lvm`` or ``lvmd`` (see the module's docstring).

    ``variables`` maps variable names to values as the consumer sees them (an inventory host's ``hostvars``,
    or the values a role sees). The list is returned as given, validated by the device class schema; the
    variable is None when no variable is set (the list then is empty).
    """
    if consumer not in ROLE_VARIABLES:
        raise DeviceClassError(f"device classes are resolved for lvm or lvmd, not {consumer!r}")
    if not isinstance(variables, Mapping):
        raise DeviceClassError(f"host {host}: the variables must be a dict, got {type(variables).__name__}")
    given = _given(host, variables)
    _check_role_variables_agree(host, given)
    for name in (ROLE_VARIABLES[consumer], SHARED_VARIABLE):
        if name in given:
            _normalised(host, name, given[name])
            return name, list(given[name])
    return None, []
