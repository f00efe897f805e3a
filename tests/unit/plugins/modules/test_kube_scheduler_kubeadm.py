# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""kube_scheduler_kubeadm and kubeadm_cluster_config modules on real files in a temporary directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, FIXTURES

from ansible_collections.lvmkube.cluster.plugins.modules import kube_scheduler_kubeadm, kubeadm_cluster_config


@pytest.fixture
def layout(tmp_path):
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    backups = tmp_path / "backups"
    return manifests, backups


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


@pytest.mark.parametrize(
    ("fixture", "api"),
    [
        ("kubeadm-config-v1beta3.yaml.txt", "kubeadm.k8s.io/v1beta3"),
        ("kubeadm-config-v1beta4.yaml.txt", "kubeadm.k8s.io/v1beta4"),
    ],
)
def test_cluster_config_file(tmp_path, run_module, fixture, api):
    path = tmp_path / "kubeadm.yaml"
    original = (FIXTURES / fixture).read_text()
    path.write_text(original)
    args = {"path": str(path), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR, "backup_dir": str(tmp_path / "b")}

    result = run_module(kubeadm_cluster_config, _ansible_check_mode=True, _ansible_diff=True, **args)
    assert result["changed"] is True
    assert path.read_text() == original

    result = run_module(kubeadm_cluster_config, **args)
    assert result["changed"] is True
    assert result["api_version"] == api
    assert result["yaml_library"] == "ruamel.yaml"
    text = path.read_text()
    assert "# keep this comment" in text
    assert text.startswith(original.splitlines()[0])
    docs = list(yaml.safe_load_all(text))
    assert [d["kind"] for d in docs] == [d["kind"] for d in yaml.safe_load_all(original)]
    scheduler = docs[1]["scheduler"]
    if api.endswith("v1beta4"):
        assert {"name": "config", "value": CONFIG_FILE} in scheduler["extraArgs"]
    else:
        assert scheduler["extraArgs"]["config"] == CONFIG_FILE
    assert scheduler["extraVolumes"][0]["hostPath"] == CONFIG_DIR

    assert run_module(kubeadm_cluster_config, **args)["changed"] is False
    assert run_module(kubeadm_cluster_config, state="absent", **args)["changed"] is True
    assert path.read_text() == original


def test_cluster_config_without_cluster_configuration_is_refused(tmp_path, run_module):
    path = tmp_path / "kubeadm.yaml"
    path.write_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n")
    result = run_module(
        kubeadm_cluster_config,
        path=str(path),
        config_file=CONFIG_FILE,
        config_dir=CONFIG_DIR,
        backup_dir=str(tmp_path / "b"),
    )
    assert result["failed"] is True
    assert "no ClusterConfiguration" in result["msg"]
