# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""kubeadm_cluster_config on real files in a temporary directory."""

from __future__ import annotations

import pytest
import yaml
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, FIXTURES

from ansible_collections.lvmkube.cluster.plugins.modules import kubeadm_cluster_config


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
