# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options of the wanted node state shared by node_state_info (the read) and node_converge (read and converge)."""

from __future__ import annotations


class ModuleDocFragment:
    # sysctls, sysctl_file, kernel_modules, packages, vips, paths (spec: node_state.WANTED_STATE_OPTIONS)
    DOCUMENTATION = r"""
options:
  sysctls:
    description: Wanted sysctl values, name to value, kept in O(sysctl_file).
    type: dict
    default: {}
  sysctl_file:
    description: The sysctl.d file the values of O(sysctls) are kept in. Required when O(sysctls) is not empty.
    type: path
  kernel_modules:
    description:
      - Kernel modules to be loaded now and listed in C(/etc/modules-load.d), without options, as
        M(community.general.modprobe) keeps them with C(persistent=present).
    type: list
    elements: str
    default: []
  packages:
    description:
      - Packages to be installed, by name. Looked up with C(dpkg-query) or C(rpm); without either, or for a
        name with a version, every package counts as missing and the package manager decides.
    type: list
    elements: str
    default: []
  vips:
    description: Load balancer VIPs to be on a device, as M(lvmkube.cluster.loopback_vips) keeps them (same options).
    type: dict
    suboptions:
      addresses:
        description: The VIPs.
        type: list
        elements: str
        required: true
      device:
        description: The device.
        type: str
        default: lo
      state_file:
        description: The file listing the addresses M(lvmkube.cluster.loopback_vips) manages.
        type: path
        default: /var/lib/lvmkube/dsr-vips
  paths:
    description: Paths to look at only (directories, sockets, files); whether each exists and its type is returned.
    type: list
    elements: path
    default: []
"""
