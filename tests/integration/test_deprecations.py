# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The integration tests fail on ansible-core deprecation warnings raised by this collection's code
(playbook_helpers.ansible_tool), and the TopoLVM and NIFCLOUD settings no longer deep-copy templated input."""

from __future__ import annotations

import subprocess

import playbook_helpers
import pytest
from playbook_helpers import ansible_tool, deprecations_from_our_code

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.plain_data import plain_copy

# Shapes of ansible-core 2.21's output with DISPLAY_TRACEBACK=deprecated (the deep copy of templated input in
# topolvm_settings.normalize_config, before the fix), shortened.
OURS = """[DEPRECATION WARNING]: Instantiating filter PluginLoader with aliases is deprecated. This feature will be \
removed from ansible-core version 2.25.
  File "/x/ansible/_internal/_templating/_jinja_plugins.py", line 117, in _invoke_plugin
  File "/x/ansible_collections/lvmkube/cluster/plugins/plugin_utils/manifests/topolvm/settings.py", in normalize_config
  File "/x/ansible/plugins/loader.py", line 325, in __init__
"""
THEIRS = """[DEPRECATION WARNING]: The foo option is deprecated. This feature will be removed from \
community.general in version 13.0.0.
  File "/x/ansible_collections/community/general/plugins/modules/lvg.py", line 10, in main
"""


def test_only_our_deprecations_are_picked():
    found = deprecations_from_our_code("ok\n" + THEIRS + OURS + "TASK [next]\n")
    assert len(found) == 1 and "topolvm/settings.py" in found[0] and "lvg.py" not in found[0]
    assert deprecations_from_our_code(THEIRS) == []
    # ansible-core < 2.19 has no traceback: the warning names the plugin.
    assert deprecations_from_our_code("[DEPRECATION WARNING]: lvmkube.cluster.topolvm_facts: old\n")


def test_ansible_tool_fails_on_our_deprecation(monkeypatch):
    # Every ansible run of the integration tests goes through ansible_tool: its output is checked.
    def fake_run(args, **kwargs):
        return subprocess.CompletedProcess(args, 0, stdout="TASK [x]\n", stderr=OURS)

    monkeypatch.setattr(playbook_helpers.subprocess, "run", fake_run)
    with pytest.raises(AssertionError, match=r"deprecation warnings from lvmkube\.cluster"):
        ansible_tool("ansible-playbook", "play.yml")
    monkeypatch.setattr(
        playbook_helpers.subprocess, "run", lambda args, **kw: subprocess.CompletedProcess(args, 0, THEIRS, "")
    )
    assert ansible_tool("ansible-playbook", "play.yml").returncode == 0


class LazyDict(dict):
    """Stands for a templated container: deep-copying it is what must not happen."""

    def __deepcopy__(self, memo):
        raise AssertionError("deep-copied")


def test_plain_copy_copies_containers_without_deepcopy():
    source = LazyDict(a=[LazyDict(b=1)], c=("x", "y"), d="text")
    result = plain_copy(source)
    assert result == {"a": [{"b": 1}], "c": ["x", "y"], "d": "text"}
    assert not isinstance(result, LazyDict) and not isinstance(result["a"][0], LazyDict)
    result["a"][0]["b"] = 2
    assert source["a"][0]["b"] == 1


def test_settings_normalization_does_not_deep_copy_its_input():
    from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests  # noqa: PLC0415
    from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import settings as topolvm_settings  # noqa: PLC0415

    raw = LazyDict(topolvm_manifests.with_defaults({}))
    raw["device_classes"] = [LazyDict(name="ssd", volume_group="vg", default=True)]
    topolvm_settings.normalize_config(raw)  # raised "deep-copied" before the fix
