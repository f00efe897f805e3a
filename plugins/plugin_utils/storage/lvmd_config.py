# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lvmd's configuration as the lvmd role writes it on a node and the topolvm role puts it in its ConfigMaps.

lvmd 0.5.0 and later read ``lvmd.yaml`` (:func:`lvmd_config`, the text of
``device_classes.lvmd_document``); older lvmd takes command line flags (:func:`lvmd_legacy_args`). The text is
deterministic - fixed key order, optional keys only when set, a trailing newline - so the file on a node and a
ConfigMap made from the same device classes are byte-identical.
"""

from __future__ import annotations

import yaml

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage.device_classes import (
    DEFAULT_SOCKET_NAME,
    DeviceClassError,
    check_socket_name,
    device_classes,
    lvmd_document,
)


class _IndentedDumper(yaml.SafeDumper):
    """Safe dumper that indents list items under their key, as TopoLVM's own examples do."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def lvmd_yaml(document):
    """lvmd.yaml text of a document made by ``lvmd_document``: deterministic, trailing newline."""
    return yaml.dump(
        document, Dumper=_IndentedDumper, default_flow_style=False, sort_keys=False, allow_unicode=True, width=1000
    )


def lvmd_config(value, socket_name=DEFAULT_SOCKET_NAME):
    """The text of lvmd.yaml (TopoLVM >= 0.5) for the device classes."""
    return lvmd_yaml(lvmd_document(value, socket_name))


def lvmd_legacy_args(value, socket_name=DEFAULT_SOCKET_NAME):
    """Command line flags of lvmd before TopoLVM 0.5 (no config file, one volume group).

    Returns a list of strings such as ``["--volume-group=myvg1", "--listen=/run/topolvm/lvmd.sock", "--spare=10"]``.
    """
    check_socket_name(socket_name)
    classes = device_classes(value)
    if len(classes) != 1:
        raise DeviceClassError(
            f"lvmd before 0.5.0 serves one volume group only, but {len(classes)} device classes are given "
            f"({', '.join(dc['name'] for dc in classes)}); use one device class or lvmd 0.5.0 or later"
        )
    dc = classes[0]
    unsupported = [key for key in ("stripe", "stripe_size", "thin_pool") if dc[key] is not None]
    if dc["lvcreate_options"]:
        unsupported.append("lvcreate_options")
    if unsupported:
        raise DeviceClassError(f"device class {dc['name']}: {', '.join(unsupported)} need(s) lvmd 0.5.0 or later")
    args = [f"--volume-group={dc['volume_group']}", f"--listen={socket_name}"]
    if dc["spare_gb"] is not None:
        args.append(f"--spare={dc['spare_gb']}")
    return args
