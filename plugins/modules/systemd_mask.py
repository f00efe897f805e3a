#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: systemd_mask
short_description: Mask (or unmask) many systemd units with one systemctl call
version_added: 1.0.0
author: lvmkube.cluster contributors (@lvmkube)
description:
  - Reads the unit file states once (C(systemctl list-unit-files)) and masks the given units that are not
    masked yet (or unmasks those that are) with a single C(systemctl mask) (C(unmask)) call, so systemd
    reloads its configuration once, not once per unit.
  - The rule is the one of M(ansible.builtin.systemd_service) with C(masked), per unit. A unit counts as masked
    when its unit file state is C(masked); a runtime mask (C(masked-runtime)) is made persistent. Units systemd
    has no file for (device alias C(.swap) units, for example) can be masked.
  - Used by the role P(lvmkube.cluster.swap#role), whose nodes have tens of C(.swap) units (one per device alias).
extends_documentation_fragment:
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
attributes:
  check_mode:
    details: Reports which units would change and changes nothing.
  diff_mode:
    details: The unit file state of each unit that changes, before and after.
options:
  units:
    description: Unit names with their type suffix (C(dev-vdb1.swap), C(swap.target)). An empty list does nothing.
    type: list
    elements: str
    required: true
  masked:
    description: C(true) masks the units, C(false) unmasks them.
    type: bool
    default: true
notes:
  - A unit whose file is a real file in C(/etc/systemd/system) cannot be masked; C(systemctl) refuses it and the
    module fails with its message (as M(ansible.builtin.systemd_service) does).
seealso:
  - module: ansible.builtin.systemd_service
  - name: systemctl(1) mask
    description: What masking does (a link to /dev/null in /etc/systemd/system).
    link: https://www.freedesktop.org/software/systemd/man/latest/systemctl.html
"""

EXAMPLES = r"""
- name: Mask the swap units and swap.target
  lvmkube.cluster.systemd_mask:
    units: [dev-vdb1.swap, swapfile.swap, swap.target]
"""

RETURN = r"""
changed_units:
  description: The units masked (unmasked) by this call, or that would be in check mode.
  returned: always
  type: list
  elements: str
  sample: [dev-vdb1.swap, swap.target]
"""

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.node_commands import run_or_fail  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.module_utils.swap import masked_unit_names  # noqa: E402


def units_to_change(units, masked_now, masked):
    """The units (in the given order, without duplicates) whose masked state differs from ``masked``."""
    masked_now = set(masked_now)
    seen = set()
    result = []
    for unit in units:
        if unit in seen:
            continue
        seen.add(unit)
        if (unit in masked_now) != masked:
            result.append(unit)
    return result


def state_diff(units, masked):
    """before/after texts of --diff: one ``unit: state`` line per unit."""
    old, new = ("not masked", "masked") if masked else ("masked", "not masked")
    return {
        "before": "".join(f"{unit}: {old}\n" for unit in units),
        "after": "".join(f"{unit}: {new}\n" for unit in units),
    }


def main():
    module = AnsibleModule(
        argument_spec=dict(
            units=dict(type="list", elements="str", required=True),
            masked=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    units = module.params["units"]
    masked = module.params["masked"]
    bad = [unit for unit in units if not unit or unit.startswith("-") or "/" in unit or "." not in unit]
    if bad:
        module.fail_json(msg=f"not unit names (a name with its type suffix, no path, not starting with '-'): {bad}")
    result = dict(changed=False, changed_units=[])
    if not units:
        module.exit_json(**result)

    systemctl = module.get_bin_path("systemctl", required=True)
    # Retried (D-Bus timeouts on a loaded host), then the task fails naming the command: never read as "none masked".
    _rc, out, _err = run_or_fail(module, [systemctl, "list-unit-files", "--no-legend", "--no-pager", "--full"])
    change = units_to_change(units, masked_unit_names(out), masked)
    result.update(changed=bool(change), changed_units=change)
    if change and module._diff:
        result["diff"] = state_diff(change, masked)
    if change and not module.check_mode:
        action = "mask" if masked else "unmask"
        rc, out, err = module.run_command([systemctl, action, "--", *change])
        if rc != 0:
            module.fail_json(msg=f"systemctl {action} failed: {err.strip() or out.strip()}", rc=rc, units=change)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
