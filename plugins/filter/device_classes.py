# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Device class filters of the lvm, lvmd and topolvm roles: a thin layer over
``plugin_utils/storage/device_classes.py``, which holds the schema and its one rule."""

from __future__ import annotations

import functools

import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage import device_classes as schema


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
