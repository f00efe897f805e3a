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
