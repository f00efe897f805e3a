# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the plugin tests: run a module's main() in-process with given arguments."""

from __future__ import annotations

import json

import pytest
from helpers.ansible_compat import patch_module_args


@pytest.fixture
def run_module(capsys):
    """Return run(module, **args): the module's JSON result plus ``rc`` (its exit code)."""

    def run(module, **args):
        with patch_module_args(args), pytest.raises(SystemExit) as exc:
            module.main()
        result = json.loads(capsys.readouterr().out)
        result["rc"] = exc.value.code
        return result

    return run
