# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""kube_scheduler_kubeadm on a kubespray-built manifest that already runs with --config."""

from __future__ import annotations

import yaml
from helpers.kube_scheduler import FIXTURES

from ansible_collections.lvmkube.cluster.plugins.module_utils import kube_scheduler_config as ksc
from ansible_collections.lvmkube.cluster.plugins.modules import kube_scheduler_kubeadm

KUBESPRAY_CONFIG = "/etc/kubernetes/kubescheduler-config.yaml"


def command(path):
    return yaml.safe_load(path.read_text())["spec"]["containers"][0]["command"]


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
    }

    # the probe the role makes first: nothing changes, the cluster's own configuration is reported
    probe = run_module(kube_scheduler_kubeadm, _ansible_check_mode=True, **args)
    assert probe["base_config"] == KUBESPRAY_CONFIG
    assert probe["previous_config"] == KUBESPRAY_CONFIG
    assert manifest.read_text() == original

    # the role then writes the merged copy (marker line names the base) and points --config at it
    text = (FIXTURES / "kubespray-kubescheduler-config.yaml.txt").read_text()
    config_file.write_text(
        ksc.merge_scheduler_config(
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
