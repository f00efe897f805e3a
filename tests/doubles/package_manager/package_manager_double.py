# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEST DOUBLE of a package manager module (what ansible.builtin.package runs). Installs nothing.

A test puts this directory on ANSIBLE_LIBRARY and sets
``ansible_package_use: ansible.legacy.package_manager_double``, so
that ``ansible.builtin.package`` hands its arguments to this module instead of apt. Every call is appended
as one JSON line (``name``, ``state``, ``check_mode``) to the file named by LVMKUBE_PACKAGE_DOUBLE_LOG, which
is how the test tells whether the role called the package manager at all. It reports ``changed`` and
installs nothing, in check mode as well.
"""

from __future__ import annotations

import json
import os

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "list", "elements": "str", "required": True},
            "state": {"type": "str", "default": "present"},
        },
        supports_check_mode=True,
    )
    log = os.environ.get("LVMKUBE_PACKAGE_DOUBLE_LOG")
    if not log:
        module.fail_json(msg="package_manager_double: LVMKUBE_PACKAGE_DOUBLE_LOG is not set")
    record = {"name": module.params["name"], "state": module.params["state"], "check_mode": module.check_mode}
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    module.exit_json(changed=True, msg="package_manager_double: nothing installed (test double)", **record)


if __name__ == "__main__":
    main()
