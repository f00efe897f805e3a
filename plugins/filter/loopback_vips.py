# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate and normalize a list of load balancer VIPs on the controller.

The role ``lvmkube.cluster.dsr`` renders its boot unit from this list before it touches a node, with
the same rules as the module ``lvmkube.cluster.loopback_vips`` (both call ``normalize_vips``).
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.module_utils.loopback_vips import VipError, normalize_vips

DOCUMENTATION = r"""
name: loopback_vips
author: lvmkube.cluster contributors
version_added: 0.1.0
short_description: Validate IPv4 load balancer VIPs and return them unique and sorted
description:
  - Takes the VIP list of the role C(lvmkube.cluster.dsr) (V(192.0.2.10) or V(192.0.2.10/32)) and returns the
    addresses without prefix, unique and sorted, as the module M(lvmkube.cluster.loopback_vips) keeps them.
  - Anything that is not a single IPv4 address usable as a VIP (another prefix, loopback, multicast,
    unspecified, broadcast, not a list) is an error naming the entry.
positional: _input
options:
  _input:
    description: The VIPs; V(null) is an empty list.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Normalize the VIPs
  ansible.builtin.debug:
    msg: "{{ ['192.0.2.11/32', '192.0.2.10', '192.0.2.11'] | lvmkube.cluster.loopback_vips }}"
    # ['192.0.2.10', '192.0.2.11']
"""

RETURN = r"""
_value:
  description: The addresses, unique, sorted, without prefix.
  type: list
  elements: str
"""


def loopback_vips(values):
    """The VIPs unique and sorted; AnsibleFilterError naming a bad entry."""
    try:
        return normalize_vips(values)
    except VipError as exc:
        raise AnsibleFilterError(f"lvmkube.cluster.loopback_vips: {exc}") from None


class FilterModule:
    """VIP normalization filter."""

    def filters(self):
        return {"loopback_vips": loopback_vips}
