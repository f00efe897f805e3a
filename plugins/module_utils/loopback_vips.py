# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers for the load balancer virtual IPs (DSR) kept on the loopback device.

The role ``lvmkube.cluster.dsr`` adds each VIP as a /32 to ``lo``. It remembers which
addresses it added (a state file) so that a VIP removed from its list is removed from
the host, while addresses it never added (``127.0.0.1``, anything an administrator put
there) are never touched. These functions hold that logic; the module
``lvmkube.cluster.loopback_vips`` only runs ``ip`` and writes the state file.
"""

from __future__ import annotations

import ipaddress


class VipError(ValueError):
    """Invalid VIP list or state file."""


def normalize_vips(values):
    """Validate a list of IPv4 VIPs (``192.0.2.10`` or ``192.0.2.10/32``); return them unique, sorted.

    Raises VipError naming the offending entry.
    """
    if values is None:
        return []
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        raise VipError(f"the VIPs must be a list of IPv4 addresses, got {values!r}")
    result = set()
    for value in values:
        text = str(value).strip()
        address, _slash, prefix = text.partition("/")
        if prefix and prefix != "32":
            raise VipError(f"VIP {text!r}: only single addresses (/32) are allowed")
        try:
            parsed = ipaddress.IPv4Address(address)
        except ValueError:
            raise VipError(f"VIP {text!r} is not an IPv4 address") from None
        if parsed.is_loopback or parsed.is_unspecified or parsed.is_multicast or address == "255.255.255.255":
            raise VipError(f"VIP {text!r} cannot be a load balancer virtual IP (loopback, multicast or unspecified)")
        result.add(parsed)
    return [str(address) for address in sorted(result)]


def parse_state(text):
    """Addresses listed in the state file (one per line, ``#`` comments allowed)."""
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    try:
        return normalize_vips([line for line in lines if line])
    except VipError as error:
        raise VipError(f"state file is corrupt: {error}") from None


def render_state(addresses):
    """Content of the state file for the given (normalised) addresses; empty when there is none."""
    if not addresses:
        return ""
    header = "# Load balancer VIPs on lo managed by lvmkube.cluster.dsr; do not edit.\n"
    return header + "".join(f"{address}\n" for address in addresses)


def parse_ip_addresses(text):
    """IPv4 ``address/prefix`` strings from ``ip -4 -o addr show dev DEV`` output."""
    found = []
    for line in text.splitlines():
        fields = line.split()
        for index, field in enumerate(fields[:-1]):
            if field == "inet":
                found.append(fields[index + 1])
                break
    return found


def plan(desired, current, managed):
    """Decide which addresses to add and remove.

    ``desired``: normalised VIPs; ``current``: ``address/prefix`` strings on the device;
    ``managed``: VIPs this role added before. Only /32 entries that were managed and are no
    longer desired are removed. Returns ``(to_add, to_remove)``.
    """
    present = {entry for entry in current if entry.endswith("/32")}
    to_add = [address for address in desired if f"{address}/32" not in present]
    to_remove = [address for address in managed if address not in desired and f"{address}/32" in present]
    return to_add, to_remove


def plan_vips(desired, current, state_text):
    """What the module loopback_vips does, given the state file's text; ``changed`` when anything would change.

    Returns ``to_add``, ``to_remove`` (see :func:`plan`), ``managed`` (the state file's addresses), ``new_state``
    and ``changed`` (an address to add or remove, or the state file to rewrite). Raises VipError for a corrupt
    state file.
    """
    managed = parse_state(state_text)
    to_add, to_remove = plan(desired, current, managed)
    new_state = render_state(desired)
    return {
        "to_add": to_add,
        "to_remove": to_remove,
        "managed": managed,
        "new_state": new_state,
        "changed": bool(to_add or to_remove or new_state != state_text),
    }
