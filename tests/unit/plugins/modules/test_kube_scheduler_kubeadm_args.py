# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""kube_scheduler_kubeadm on manifests that carry kube-scheduler's flags in ``args`` as well as in ``command``.

The kubelet starts a container with ``command`` followed by ``args`` (Kubernetes, "Define a Command and Arguments
for a Container": args are appended to the command), and kube-scheduler's flag parsing (spf13/pflag, a string flag
set twice) keeps the last ``--config``. ``effective_config`` below is that rule; every case asserts that the
scheduler would run with our file, that check mode reports the user's file as the base, and that absent gives
the manifest back byte for byte.
"""

from __future__ import annotations

import pytest
import yaml
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, FIXTURES

from ansible_collections.lvmkube.cluster.plugins.modules import kube_scheduler_kubeadm

USER = "/etc/kubernetes/user-scheduler.yaml"


def effective_config(manifest):
    """The --config kube-scheduler runs with: the last one of command + args."""
    container = yaml.safe_load(manifest.read_text())["spec"]["containers"][0]
    argv = list(container.get("command") or []) + list(container.get("args") or [])
    value = None
    for index, item in enumerate(argv):
        if item.startswith("--config="):
            value = item.split("=", 1)[1]
        elif item == "--config" and index + 1 < len(argv):
            value = argv[index + 1]
    return value


def manifest_with(tmp_path, command_extra=(), args=None, drop_command=False):
    text = (FIXTURES / "kube-scheduler-v1.35.yaml.txt").read_text()
    pod = yaml.safe_load(text)
    container = pod["spec"]["containers"][0]
    container["command"] = container["command"] + list(command_extra)
    if args is not None:
        container["args"] = list(args)
    if drop_command:
        container["args"] = container.pop("command")[1:] + container.get("args", [])
    path = tmp_path / "manifests" / "kube-scheduler.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(pod, sort_keys=False))
    return path


CASES = {
    "config-in-args": {"args": [f"--config={USER}"]},
    "two-item-form-in-args": {"args": ["--v=2", "--config", USER]},
    "both-lists-args-wins": {"command_extra": ["--config=/etc/kubernetes/dead.yaml"], "args": [f"--config={USER}"]},
    "args-only-container": {"args": [f"--config={USER}"], "drop_command": True},
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_config_flag_in_args_is_replaced_where_it_takes_effect(tmp_path, run_module, case):
    manifest = manifest_with(tmp_path, **CASES[case])
    original = manifest.read_bytes()
    assert effective_config(manifest) == USER
    common = {"path": str(manifest), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR}
    common["backup_dir"] = str(tmp_path / "backups")

    probe = run_module(kube_scheduler_kubeadm, _ansible_check_mode=True, **common)
    assert probe["base_config"] == USER
    assert manifest.read_bytes() == original

    result = run_module(kube_scheduler_kubeadm, base_config=USER, **common)
    assert result["changed"] is True
    assert effective_config(manifest) == CONFIG_FILE  # the extender's configuration is the one in effect
    assert run_module(kube_scheduler_kubeadm, base_config=USER, **common)["changed"] is False

    result = run_module(kube_scheduler_kubeadm, state="absent", base_config=USER, **common)
    assert result["changed"] is True
    assert effective_config(manifest) == USER
    if case == "two-item-form-in-args":  # set_flag folds "--config <path>" into one item (same meaning)
        args = yaml.safe_load(manifest.read_text())["spec"]["containers"][0]["args"]
        assert args == ["--v=2", f"--config={USER}"]
    else:
        assert manifest.read_bytes() == original


def test_ours_left_in_command_by_an_earlier_release_moves_to_args(tmp_path, run_module):
    """An earlier release put ours into command while the user's --config in args stayed in effect."""
    manifest = manifest_with(tmp_path, command_extra=[f"--config={CONFIG_FILE}"], args=[f"--config={USER}"])
    assert effective_config(manifest) == USER
    common = {"path": str(manifest), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR}
    common["backup_dir"] = str(tmp_path / "backups")
    result = run_module(kube_scheduler_kubeadm, base_config=USER, **common)
    assert result["changed"] is True
    assert effective_config(manifest) == CONFIG_FILE
    container = yaml.safe_load(manifest.read_text())["spec"]["containers"][0]
    assert not any(c.startswith("--config") for c in container["command"])
    assert container["args"] == [f"--config={CONFIG_FILE}"]
    assert run_module(kube_scheduler_kubeadm, base_config=USER, **common)["changed"] is False
    run_module(kube_scheduler_kubeadm, state="absent", base_config=USER, **common)
    assert effective_config(manifest) == USER
