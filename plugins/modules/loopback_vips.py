#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: loopback_vips
short_description: Keep load balancer virtual IPs (DSR) on the loopback device
version_added: 1.0.0
author: lvmkube.cluster contributors (@lvmkube)
description:
  - Adds each address of O(addresses) as a C(/32) to O(device) (C(ip addr replace)) and removes the
    addresses it added on an earlier run that are no longer listed.
  - Remembers the addresses it manages in O(state_file). Addresses it did not add (C(127.0.0.1), anything
    configured by hand or by the network stack) are never removed.
  - Only the running state; to restore the addresses at boot the role P(lvmkube.cluster.dsr#role) installs a
    systemd unit.
  - Invalid input (not IPv4, a prefix other than C(/32), loopback, multicast) fails before anything changes.
extends_documentation_fragment:
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
attributes:
  check_mode:
    details: Reports what it would add and remove, changes nothing.
  diff_mode:
    details: Shows the managed addresses before and after.
options:
  addresses:
    description: IPv4 addresses to keep on O(device), written C(192.0.2.10) or C(192.0.2.10/32).
    type: list
    elements: str
    required: true
  device:
    description: Network device that carries the addresses.
    type: str
    default: lo
  state_file:
    description: File listing the addresses this module manages.
    type: path
    default: /var/lib/lvmkube/dsr-vips
requirements:
  - iproute2 (C(ip)) on the target.
"""

EXAMPLES = r"""
- name: Keep two VIPs on lo; a VIP dropped from the list is removed
  lvmkube.cluster.loopback_vips:
    addresses:
      - 192.0.2.10
      - 192.0.2.11/32
"""

RETURN = r"""
addresses:
  description: The VIPs kept on the device, normalised (no prefix) and sorted.
  returned: always
  type: list
  elements: str
  sample: [192.0.2.10, 192.0.2.11]
added:
  description: Addresses added on this run (or that would be, in check mode).
  returned: always
  type: list
  elements: str
removed:
  description: Formerly managed addresses removed on this run (or that would be, in check mode).
  returned: always
  type: list
  elements: str
managed_before:
  description: Addresses the state file listed before this run.
  returned: always
  type: list
  elements: str
"""

import os  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.loopback_vips import (  # noqa: E402
    VipError,
    normalize_vips,
    parse_ip_addresses,
    plan_vips,
    render_state,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import read_text, replace_file  # noqa: E402


def write_state(path, content):
    if not content:
        if os.path.exists(path):
            os.unlink(path)
        return
    replace_file(path, content, mode=0o644, prefix=".dsr-vips.")


def main():
    module = AnsibleModule(
        argument_spec={
            "addresses": {"type": "list", "elements": "str", "required": True},
            "device": {"type": "str", "default": "lo"},
            "state_file": {"type": "path", "default": "/var/lib/lvmkube/dsr-vips"},
        },
        supports_check_mode=True,
    )
    device = module.params["device"]
    state_file = module.params["state_file"]

    try:
        desired = normalize_vips(module.params["addresses"])
        old_state = read_text(state_file) or ""
    except (VipError, OSError) as error:
        module.fail_json(msg=str(error))

    ip = module.get_bin_path("ip", required=True)
    rc, out, err = module.run_command([ip, "-4", "-o", "addr", "show", "dev", device])
    if rc != 0:
        module.fail_json(msg=f"cannot list the addresses of {device}: {err.strip()}", rc=rc)
    try:
        planned = plan_vips(desired, parse_ip_addresses(out), old_state)
    except VipError as error:
        module.fail_json(msg=str(error))
    to_add, to_remove, new_state = planned["to_add"], planned["to_remove"], planned["new_state"]
    state_changed = new_state != old_state

    result = {
        "changed": planned["changed"],
        "addresses": desired,
        "added": to_add,
        "removed": to_remove,
        "managed_before": planned["managed"],
    }
    if module._diff:
        result["diff"] = {
            "before_header": f"{state_file} ({device})",
            "after_header": f"{state_file} ({device})",
            "before": old_state,
            "after": new_state,
        }
    if module.check_mode or not result["changed"]:
        module.exit_json(**result)

    # Record the new managed set first so that an interrupted run still knows every address it added.
    if state_changed:
        write_state(state_file, render_state(normalize_vips([*desired, *to_remove])))
    for address in to_add:
        rc, _out, err = module.run_command([ip, "-4", "addr", "replace", f"{address}/32", "dev", device])
        if rc != 0:
            module.fail_json(msg=f"cannot add {address}/32 to {device}: {err.strip()}", **result)
    for address in to_remove:
        rc, _out, err = module.run_command([ip, "-4", "addr", "del", f"{address}/32", "dev", device])
        if rc != 0:
            module.fail_json(msg=f"cannot remove {address}/32 from {device}: {err.strip()}", **result)
    if to_remove:
        write_state(state_file, new_state)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
