# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""kube_scheduler_kubeadm on real files in a temporary directory: kubeadm manifests, kubespray-built manifests
(O(distribution=kubespray)) that already run with --config, and manifests that carry flags in ``args``.

The kubelet starts a container with ``command`` followed by ``args`` (Kubernetes, "Define a Command and Arguments
for a Container": args are appended to the command), and kube-scheduler's flag parsing (spf13/pflag, a string flag
set twice) keeps the last ``--config``. ``effective_config`` below is that rule; every case asserts that the
scheduler would run with our file, that check mode reports the user's file as the base, and that absent gives
the manifest back byte for byte.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, FIXTURES

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import config_format
from ansible_collections.lvmkube.cluster.plugins.modules import kube_scheduler_kubeadm


@pytest.fixture
def layout(tmp_path):
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    backups = tmp_path / "backups"
    return manifests, backups


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


KUBESPRAY_CONFIG = "/etc/kubernetes/kubescheduler-config.yaml"


def command(path):
    return yaml.safe_load(path.read_text())["spec"]["containers"][0]["command"]


@pytest.mark.parametrize("fixture", ["kube-scheduler-v1.25.yaml.txt", "kube-scheduler-v1.35.yaml.txt"])
def test_manifest_check_mode_then_apply_then_absent(layout, run_module, fixture):
    manifests, backups = layout
    manifest = manifests / "kube-scheduler.yaml"
    original = (FIXTURES / fixture).read_bytes()
    manifest.write_bytes(original)
    manifest.chmod(0o600)
    args = {
        "path": str(manifest),
        "config_file": CONFIG_FILE,
        "config_dir": CONFIG_DIR,
        "backup_dir": str(backups),
        "config_checksum": "0123abcd",
    }

    result = run_module(kube_scheduler_kubeadm, _ansible_check_mode=True, _ansible_diff=True, **args)
    assert result["changed"] is True
    assert "--config=" + CONFIG_FILE in result["diff"]["after"]
    assert result["diff"]["before"] == original.decode()
    assert manifest.read_bytes() == original
    assert not backups.exists()
    assert result["kubernetes_version"] == ("1.25.16" if "1.25" in fixture else "1.35.0")

    result = run_module(kube_scheduler_kubeadm, **args)
    assert result["changed"] is True
    assert Path(result["backup_file"]).read_bytes() == original
    assert Path(result["backup_file"]).parent == backups
    assert os.listdir(manifests) == ["kube-scheduler.yaml"]  # nothing else the kubelet could start
    assert manifest.stat().st_mode & 0o777 == 0o600
    pod = yaml.safe_load(manifest.read_text())
    assert "--config=" + CONFIG_FILE in pod["spec"]["containers"][0]["command"]

    assert run_module(kube_scheduler_kubeadm, **args)["changed"] is False

    args.pop("config_checksum")
    result = run_module(kube_scheduler_kubeadm, state="absent", **args)
    assert result["changed"] is True
    assert result["previous_config"] == CONFIG_FILE
    assert manifest.read_bytes() == original  # kubeadm's layout survives the round trip byte for byte


def test_manifest_unparseable_is_refused_untouched(layout, run_module):
    manifests, backups = layout
    manifest = manifests / "kube-scheduler.yaml"
    broken = b"apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n"
    manifest.write_bytes(broken)
    result = run_module(
        kube_scheduler_kubeadm,
        path=str(manifest),
        config_file=CONFIG_FILE,
        config_dir=CONFIG_DIR,
        backup_dir=str(backups),
    )
    assert result["failed"] is True
    assert "refusing to edit" in result["msg"]
    assert manifest.read_bytes() == broken
    assert not backups.exists()


def test_manifest_without_scheduler_container_is_refused(layout, run_module):
    manifests, backups = layout
    manifest = manifests / "kube-scheduler.yaml"
    text = (
        (FIXTURES / "kube-scheduler-v1.25.yaml.txt")
        .read_text()
        .replace("name: kube-scheduler\n    resources", "name: other\n    resources")
    )
    manifest.write_text(text)
    result = run_module(
        kube_scheduler_kubeadm,
        path=str(manifest),
        config_file=CONFIG_FILE,
        config_dir=CONFIG_DIR,
        backup_dir=str(backups),
    )
    assert result["failed"] is True
    assert "no container named kube-scheduler" in result["msg"]
    assert manifest.read_text() == text


def test_backup_inside_manifest_directory_is_refused(layout, run_module):
    manifests, _backups = layout
    manifest = manifests / "kube-scheduler.yaml"
    original = (FIXTURES / "kube-scheduler-v1.25.yaml.txt").read_bytes()
    manifest.write_bytes(original)
    result = run_module(
        kube_scheduler_kubeadm,
        path=str(manifest),
        config_file=CONFIG_FILE,
        config_dir=CONFIG_DIR,
        backup_dir=str(manifests / "backup"),
    )
    assert result["failed"] is True
    assert "inside the static pod directory" in result["msg"]
    assert manifest.read_bytes() == original
    result = run_module(
        kube_scheduler_kubeadm,
        path=str(manifest),
        config_file="/elsewhere/c.yaml",
        config_dir=CONFIG_DIR,
        backup_dir=str(layout[1]),
    )
    assert result["failed"] is True
    assert manifest.read_bytes() == original


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


def test_kubespray_manifest_points_at_the_merged_copy_and_absent_restores_bytes(tmp_path, run_module):
    manifest = tmp_path / "manifests" / "kube-scheduler.yaml"
    manifest.parent.mkdir()
    original = (FIXTURES / "kubespray-kube-scheduler.yaml.txt").read_text()
    manifest.write_text(original)
    config_dir = tmp_path / "scheduler"
    config_dir.mkdir()
    config_file = config_dir / "scheduler-config.yaml"
    args = {
        "path": str(manifest),
        "config_file": str(config_file),
        "config_dir": str(config_dir),
        "backup_dir": str(tmp_path / "backups"),
        "distribution": "kubespray",
    }

    # the probe the role makes first: nothing changes, the cluster's own configuration is reported
    probe = run_module(kube_scheduler_kubeadm, _ansible_check_mode=True, **args)
    assert probe["base_config"] == KUBESPRAY_CONFIG
    assert probe["previous_config"] == KUBESPRAY_CONFIG
    assert probe["distribution"] == "kubespray"  # as told, never guessed from the path
    assert manifest.read_text() == original

    # the role then writes the merged copy (marker line names the base) and points --config at it
    text = (FIXTURES / "kubespray-kubescheduler-config.yaml.txt").read_text()
    config_file.write_text(
        config_format.merge_scheduler_config(
            text, KUBESPRAY_CONFIG, "1.31.4", "http://127.0.0.1:9251", 100, "topolvm.io/capacity"
        )[1]
    )
    result = run_module(kube_scheduler_kubeadm, config_checksum="abc", **args)
    assert result["changed"] is True
    assert f"--config={config_file}" in command(manifest)
    assert f"--config={KUBESPRAY_CONFIG}" not in command(manifest)
    assert command(manifest).index(f"--config={config_file}") == 4  # where kubespray's flag stood
    pod = yaml.safe_load(manifest.read_text())
    names = [v["name"] for v in pod["spec"]["volumes"]]
    assert names == ["kubeconfig", "kubescheduler-config", "lvmkube-scheduler-config"]  # kubespray's mount kept

    again = run_module(kube_scheduler_kubeadm, config_checksum="abc", **args)
    assert again["changed"] is False
    assert again["base_config"] == KUBESPRAY_CONFIG  # read from our copy's marker

    result = run_module(kube_scheduler_kubeadm, state="absent", **args)
    assert result["changed"] is True
    assert manifest.read_text() == original  # byte for byte
    assert run_module(kube_scheduler_kubeadm, state="absent", **args)["changed"] is False


def test_absent_without_pristine_puts_the_base_flag_back(tmp_path, run_module):
    manifest = tmp_path / "manifests" / "kube-scheduler.yaml"
    manifest.parent.mkdir()
    manifest.write_text((FIXTURES / "kubespray-kube-scheduler.yaml.txt").read_text())
    config_file = tmp_path / "s" / "scheduler-config.yaml"
    args = {"path": str(manifest), "config_file": str(config_file), "config_dir": str(tmp_path / "s")}
    run_module(kube_scheduler_kubeadm, backup_dir=str(tmp_path / "b1"), **args)
    # kubespray re-rendered the manifest with a new image in between: no byte-for-byte restore, but the flag returns
    pod = yaml.safe_load(manifest.read_text())
    pod["spec"]["containers"][0]["image"] = "registry.k8s.io/kube-scheduler:v1.31.5"
    manifest.write_text(yaml.safe_dump(pod))
    result = run_module(
        kube_scheduler_kubeadm, state="absent", base_config=KUBESPRAY_CONFIG, backup_dir=str(tmp_path / "b1"), **args
    )
    assert result["changed"] is True
    assert f"--config={KUBESPRAY_CONFIG}" in command(manifest)
    assert not any(c.startswith(f"--config={config_file}") for c in command(manifest))
    assert "lvmkube-scheduler-config" not in manifest.read_text()


def test_absent_leaves_a_config_that_is_not_ours(tmp_path, run_module):
    manifest = tmp_path / "manifests" / "kube-scheduler.yaml"
    manifest.parent.mkdir()
    original = (FIXTURES / "kubespray-kube-scheduler.yaml.txt").read_text()
    manifest.write_text(original)
    result = run_module(
        kube_scheduler_kubeadm,
        state="absent",
        path=str(manifest),
        config_file="/etc/kubernetes/scheduler/scheduler-config.yaml",
        config_dir="/etc/kubernetes/scheduler",
        backup_dir=str(tmp_path / "b"),
        base_config=KUBESPRAY_CONFIG,
    )
    assert result["changed"] is False
    assert manifest.read_text() == original
