# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Device class filters of the lvm, lvmd and topolvm roles: a thin layer over ``plugin_utils/storage/``
(``device_classes.py`` the schema, ``resolve.py`` which list a host has, ``lvmd_config.py`` lvmd's configuration)."""

from __future__ import annotations

import functools

from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage import device_classes as schema
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage import lvmd_config as lvmd
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage import resolve

# The YAML writer of lvmd.yaml, which the TopoLVM manifests use for their ConfigMaps too.
lvmd_yaml = lvmd.lvmd_yaml


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
lvmd_config = _filter_errors(lvmd.lvmd_config)
lvmd_legacy_args = _filter_errors(lvmd.lvmd_legacy_args)


@_filter_errors
def host_device_classes(variables, consumer, host):
    """The device classes of one host for the lvm role (``lvm``) or for lvmd and TopoLVM (``lvmd``)."""
    return resolve.resolve_device_classes(host, variables, consumer)[1]


class FilterModule:
    """Device class filters of lvmkube.cluster."""

    def filters(self):
        return {
            "device_classes": device_classes,
            "volume_groups": volume_groups,
            "lvmd_config": lvmd_config,
            "lvmd_legacy_args": lvmd_legacy_args,
            "host_device_classes": host_device_classes,
        }
