# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rke_cluster_yml (RKE1 cluster.yml) and rke2_scheduler_config (RKE2 config.yaml) on real files."""

from __future__ import annotations

from pathlib import Path

import yaml

from ansible_collections.lvmkube.cluster.plugins.module_utils import kube_scheduler_files
from ansible_collections.lvmkube.cluster.plugins.modules import rke2_scheduler_config, rke_cluster_yml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "kube_scheduler"
CONFIG_DIR = "/etc/kubernetes/scheduler"
CONFIG_FILE = CONFIG_DIR + "/scheduler-config.yaml"


def test_rke1_cluster_yml_keeps_comments_and_order(tmp_path, run_module):
    path = tmp_path / "cluster.yml"
    original = (FIXTURES / "rke1-cluster.yml.txt").read_text()
    path.write_text(original)
    args = {"path": str(path), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR}

    result = run_module(rke_cluster_yml, _ansible_check_mode=True, _ansible_diff=True, **args)
    assert result["changed"] is True
    assert result["kubernetes_version"] == "v1.16.4-rancher1-1"
    assert "extra_args" in result["diff"]["after"]
    assert path.read_text() == original

    result = run_module(rke_cluster_yml, **args)
    assert result["changed"] is True
    assert Path(result["backup_file"]).read_text() == original
    text = path.read_text()
    for comment in ("# RKE cluster for the lab", "# services written by `rke config`", "# do not change"):
        assert comment in text
    assert 'retention: "24h"' in text  # quoting kept
    doc = yaml.safe_load(text)
    assert list(doc) == ["nodes", "services", "kubernetes_version", "ssh_agent_auth"]
    assert list(doc["services"]) == ["etcd", "kube-api", "scheduler", "kubelet"]
    assert doc["services"]["scheduler"] == {
        "extra_args": {"config": CONFIG_FILE},
        "extra_binds": [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"],
    }
    assert doc["nodes"] == yaml.safe_load(original)["nodes"]

    assert run_module(rke_cluster_yml, **args)["changed"] is False
    assert run_module(rke_cluster_yml, state="absent", **args)["changed"] is True
    assert yaml.safe_load(path.read_text()) == yaml.safe_load(original)


def test_rke1_rancher_edit_as_yaml_shape(tmp_path, run_module):
    path = tmp_path / "cluster.yml"
    path.write_text(
        "name: lab\nrancher_kubernetes_engine_config:\n  kubernetes_version: v1.18.20-rancher1-3\n"
        "  services:\n    scheduler: {}\n"
    )
    result = run_module(rke_cluster_yml, path=str(path), config_file=CONFIG_FILE, config_dir=CONFIG_DIR)
    assert result["changed"] is True
    assert result["kubernetes_version"] == "v1.18.20-rancher1-3"
    doc = yaml.safe_load(path.read_text())
    assert doc["rancher_kubernetes_engine_config"]["services"]["scheduler"]["extra_args"] == {"config": CONFIG_FILE}


def test_rke1_unparseable_is_refused(tmp_path, run_module):
    path = tmp_path / "cluster.yml"
    broken = "services:\n  scheduler: {extra_args: [\n"
    path.write_text(broken)
    result = run_module(rke_cluster_yml, path=str(path), config_file=CONFIG_FILE, config_dir=CONFIG_DIR)
    assert result["failed"] is True
    assert path.read_text() == broken
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cluster.yml"]


def test_rke2_config_round_trip(tmp_path, run_module):
    path = tmp_path / "config.yaml"
    original = (FIXTURES / "rke2-config.yaml.txt").read_text()
    path.write_text(original)
    path.chmod(0o600)
    args = {"path": str(path), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR, "backup_dir": str(tmp_path / "b")}

    result = run_module(rke2_scheduler_config, _ansible_check_mode=True, _ansible_diff=True, **args)
    assert result["changed"] is True
    assert path.read_text() == original

    result = run_module(rke2_scheduler_config, **args)
    assert result["changed"] is True
    assert result["yaml_library"] == "ruamel.yaml"
    text = path.read_text()
    assert "# shared join token" in text
    assert path.stat().st_mode & 0o777 == 0o600
    doc = yaml.safe_load(text)
    assert doc["kube-scheduler-arg"] == ["v=2", "config=" + CONFIG_FILE]
    assert doc["kube-scheduler-extra-mount"] == [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"]
    # the file keeps its indented-sequence style
    assert "  - config=" + CONFIG_FILE in text

    assert run_module(rke2_scheduler_config, **args)["changed"] is False
    assert run_module(rke2_scheduler_config, state="absent", **args)["changed"] is True
    assert path.read_text() == original


def test_rke2_config_created_when_missing_and_absent_is_noop(tmp_path, run_module):
    path = tmp_path / "rke2" / "config.yaml"
    args = {"path": str(path), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR, "backup_dir": str(tmp_path / "b")}
    assert run_module(rke2_scheduler_config, state="absent", **args)["changed"] is False
    assert not path.exists()
    result = run_module(rke2_scheduler_config, **args)
    assert result["changed"] is True
    assert result["created"] is True
    assert path.stat().st_mode & 0o777 == 0o600
    assert yaml.safe_load(path.read_text())["kube-scheduler-arg"] == ["config=" + CONFIG_FILE]


def test_rke2_pyyaml_fallback(tmp_path, run_module, monkeypatch):
    monkeypatch.setattr(kube_scheduler_files, "HAS_RUAMEL", False)
    path = tmp_path / "config.yaml"
    path.write_text((FIXTURES / "rke2-config-plain.yaml.txt").read_text())
    result = run_module(
        rke2_scheduler_config,
        path=str(path),
        config_file=CONFIG_FILE,
        config_dir=CONFIG_DIR,
        backup_dir=str(tmp_path / "b"),
    )
    assert result["changed"] is True
    assert result["yaml_library"] == "PyYAML"
    doc = yaml.safe_load(path.read_text())
    assert list(doc) == ["token", "cni", "kube-scheduler-arg", "kube-scheduler-extra-mount"]


def test_rke2_unparseable_is_refused(tmp_path, run_module):
    path = tmp_path / "config.yaml"
    broken = "token: [x\n"
    path.write_text(broken)
    result = run_module(
        rke2_scheduler_config,
        path=str(path),
        config_file=CONFIG_FILE,
        config_dir=CONFIG_DIR,
        backup_dir=str(tmp_path / "b"),
    )
    assert result["failed"] is True
    assert path.read_text() == broken
    assert not (tmp_path / "b").exists()
