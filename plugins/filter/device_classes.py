# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Device class filters of the lvm, lvmd and topolvm roles: a thin layer over
``module_utils/device_classes.py``, which holds the schema and its one rule."""

from __future__ import annotations

import functools

import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.module_utils import device_classes as schema

DOCUMENTATION = r"""
name: device_classes
author: lvmkube.cluster contributors
version_added: 0.1.0
short_description: Validate and normalise the TopoLVM device classes
description:
  - Validates the collection-wide device class list C(lvmkube_device_classes) and returns it normalised,
    with every key present, in a fixed order.
  - This is the one place where the device class schema is documented. The roles
    M(lvmkube.cluster.lvm) (creates the volume groups and thin pools), M(lvmkube.cluster.lvmd) (writes
    C(/etc/topolvm/lvmd.yaml)) and M(lvmkube.cluster.topolvm) (lvmd ConfigMap) all read the same list
    through their own variable (C(lvm_device_classes), C(lvmd_device_classes), ...), each defaulting to
    C(lvmkube_device_classes).
  - Fails with a message naming the offending device class when the list is invalid; nothing is
    guessed or silently dropped. Unknown keys are errors, so typos such as C(spare-gb) are caught.
  - "Rules: at least one class (unless O(allow_empty)); exactly one class with O(_input[].default=true);
    unique names; a volume group may be shared by several classes only if at most one of them is thick and
    the thin pools differ; a device path belongs to one volume group only."
positional: _input, allow_empty
options:
  _input:
    description: The device class list.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - Name of the device class, used by StorageClasses (C(topolvm.io/device-class)).
          - At most 63 characters, alphanumeric, C(-), C(_) or C(.), starting and ending with an
            alphanumeric character.
        type: str
        required: true
      volume_group:
        description:
          - LVM volume group that backs this class. Several classes may share one volume group
            (for example one thick class and one thin class with a pool in it).
        type: str
        required: true
      devices:
        description:
          - Block devices that form the volume group, any path (stable C(/dev/disk/by-id/...) paths
            included). Must be absolute paths.
          - The lvm role adds devices to an existing volume group when this list grows.
          - May be empty for a class whose volume group is listed with its devices by another class or
            is managed outside this collection (then the lvm role does not create it).
        type: list
        elements: str
        default: []
      default:
        description: Whether this is the default device class. Exactly one class must be the default.
        type: bool
        default: false
      spare_gb:
        description:
          - Capacity in GiB that lvmd keeps free in the volume group (lvmd's C(spare-gb)).
          - When omitted, the key is left out of lvmd.yaml and lvmd uses its own default (10).
        type: int
      stripe:
        description: Number of stripes of each logical volume (lvmd's C(stripe)); at least 1.
        type: int
      stripe_size:
        description: Stripe size, a number with an optional unit such as C(64) or C(128k) (lvmd's C(stripe-size)).
        type: str
      lvcreate_options:
        description:
          - Extra arguments lvmd passes to C(lvcreate), for example C(["--type=raid1"]).
          - Must not set stripes when O(_input[].stripe) is set.
        type: list
        elements: str
        default: []
      type:
        description:
          - Logical volume type. Derived from O(_input[].thin_pool) when omitted.
          - V(thin) requires O(_input[].thin_pool); V(thick) forbids it.
        type: str
        choices: [thick, thin]
      thin_pool:
        description: Makes this a thin class, with logical volumes carved from a thin pool.
        type: dict
        suboptions:
          name:
            description: Name of the thin pool logical volume inside O(_input[].volume_group).
            type: str
            required: true
          overprovision_ratio:
            description: Upper bound of (virtual size of thin volumes / pool size); at least 1.0.
            type: float
            required: true
          size_percent:
            description:
              - Size of the pool the lvm role creates, in percent of the volume group (C(lvcreate -l N%VG)).
              - Only used by the lvm role; lvmd does not read it.
            type: int
            default: 90
      force_wipe:
        description:
          - Only used by the lvm role. When V(true), devices of this class that carry a filesystem, a
            partition table or a physical volume of another volume group are wiped and used anyway.
          - When V(false) (default) such devices make the lvm role fail before anything is written.
          - This is the C(lvm_force_wipe) switch of the design, set per device class.
        type: bool
        default: false
  allow_empty:
    description: Accept an empty list (returned as is) instead of failing.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Validate the device classes once, early
  ansible.builtin.set_fact:
    my_classes: "{{ lvmkube_device_classes | lvmkube.cluster.device_classes }}"
  vars:
    lvmkube_device_classes:
      - name: ssd
        volume_group: myvg1
        devices: [/dev/disk/by-id/virtio-data1]
        default: true
        spare_gb: 10
      - name: thin
        volume_group: myvg2
        devices: [/dev/vdc]
        thin_pool: {name: pool0, overprovision_ratio: 5.0, size_percent: 90}
"""

RETURN = r"""
_value:
  description:
    - The device classes, validated, each with all keys in this order - C(name), C(volume_group),
      C(devices), C(default), C(spare_gb), C(stripe), C(stripe_size), C(lvcreate_options), C(type),
      C(thin_pool) (a dict with C(name), C(overprovision_ratio), C(size_percent), or V(null)), C(force_wipe).
    - Optional values that were not given are V(null).
  type: list
  elements: dict
"""


class _IndentedDumper(yaml.SafeDumper):
    """Safe dumper that indents list items under their key, as TopoLVM's own examples do."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _filter_errors(func):
    """Report the schema's DeviceClassError as the AnsibleFilterError Ansible shows to the user."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except schema.DeviceClassError as exc:
            raise AnsibleFilterError(str(exc)) from exc

    return wrapper


device_classes = _filter_errors(schema.device_classes)
volume_groups = _filter_errors(schema.volume_groups)
lvmd_legacy_args = _filter_errors(schema.lvmd_legacy_args)


def lvmd_yaml(document):
    """lvmd.yaml text of a document made by ``lvmd_document``: deterministic, trailing newline."""
    return yaml.dump(
        document, Dumper=_IndentedDumper, default_flow_style=False, sort_keys=False, allow_unicode=True, width=1000
    )


@_filter_errors
def lvmd_config(value, socket_name=schema.DEFAULT_SOCKET_NAME):
    """Return the text of lvmd.yaml (TopoLVM >= 0.5) for the device classes.

    Deterministic: fixed key order, optional keys only when set, trailing newline.
    """
    return lvmd_yaml(schema.lvmd_document(value, socket_name))


class FilterModule:
    """Device class filters of lvmkube.cluster."""

    def filters(self):
        return {
            "device_classes": device_classes,
            "volume_groups": volume_groups,
            "lvmd_config": lvmd_config,
            "lvmd_legacy_args": lvmd_legacy_args,
        }
