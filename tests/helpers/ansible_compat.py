# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-core 2.19+ test helpers with their fallbacks for the older cores the collection supports (2.18).

The tests run on ansible-core 2.21 (.venv) and 2.18 (CI's floor step); where a 2.19+ helper is missing, the same
effect is had the way ansible-core 2.18's own unit tests have it.
"""

from __future__ import annotations

import contextlib
import json
from unittest import mock

try:
    # ansible-core 2.19+: ansible/module_utils/testing.py
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19

    @contextlib.contextmanager
    def patch_module_args(args=None):
        """Expose ``args`` to AnsibleModule as ansible-core 2.18 reads them: basic._ANSIBLE_ARGS, the JSON
        ``{"ANSIBLE_MODULE_ARGS": ...}`` (ansible/module_utils/basic.py, _load_params; ansible-core 2.18's
        test/units/modules/utils.py set_module_args does the same)."""
        from ansible.module_utils import basic  # noqa: PLC0415

        if not isinstance(args, (dict, type(None))):
            raise TypeError("The `args` arg must be a dict or None.")
        payload = json.dumps({"ANSIBLE_MODULE_ARGS": dict(args or {})}).encode()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", payload):
            yield


try:
    # ansible-core 2.19+ (data tagging): only strings carrying trust are templated.
    from ansible.template import trust_as_template

    HAS_DATA_TAGGING = True
except ImportError:  # ansible-core < 2.19: every plain str is a template, AnsibleUnsafe marks the ones that are not

    def trust_as_template(value):
        """Before data tagging a plain string is templated as it is: trust needs no marking."""
        return value

    HAS_DATA_TAGGING = False

__all__ = ["HAS_DATA_TAGGING", "patch_module_args", "trust_as_template"]
