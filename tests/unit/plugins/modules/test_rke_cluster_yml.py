# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rke_cluster_yml (RKE1 cluster.yml) on real files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, FIXTURES

from ansible_collections.lvmkube.cluster.plugins.modules import rke_cluster_yml


def user_config_cluster_yml(tmp_path):
    host_dir = tmp_path / "host-kube-scheduler"
    path = tmp_path / "cluster.yml"
    text = (FIXTURES / "rke1-cluster-user-config.yml.txt").read_text().replace("@HOST_DIR@", str(host_dir))
    path.write_text(text)
    return path, text, host_dir


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


def test_rke1_users_config_is_mapped_kept_and_restored_byte_for_byte(tmp_path, run_module):
    path, original, host_dir = user_config_cluster_yml(tmp_path)
    user = "/etc/kube-scheduler/custom.yaml"
    args = {"path": str(path), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR, "backup_dir": str(tmp_path / "b")}

    result = run_module(rke_cluster_yml, _ansible_check_mode=True, **args)
    assert (result["previous_config"], result["base_config"]) == (user, user)
    assert result["base_config_host"] == f"{host_dir}/custom.yaml"  # through the user's extra_binds entry
    assert result["kubernetes_version"] == "v1.27.16-rancher1-1"
    assert path.read_text() == original
    assert not (tmp_path / "b").exists()

    result = run_module(rke_cluster_yml, **args)
    assert result["changed"] is True
    scheduler = yaml.safe_load(path.read_text())["services"]["scheduler"]
    assert scheduler["extra_args"] == {"v": "2", "config": CONFIG_FILE}
    assert scheduler["extra_binds"] == [f"{host_dir}:/etc/kube-scheduler:ro", "/opt/other:/opt/other",
                                        f"{CONFIG_DIR}:{CONFIG_DIR}:ro"]  # fmt: skip
    assert (tmp_path / "b" / "cluster.yml.pristine").read_text() == original

    # config is ours now: the base is still known (from the pristine copy, or the marker the role passes)
    result = run_module(rke_cluster_yml, **args)
    assert (result["changed"], result["previous_config"], result["base_config"]) == (False, CONFIG_FILE, user)
    assert result["base_config_host"] == f"{host_dir}/custom.yaml"

    result = run_module(rke_cluster_yml, state="absent", **args)
    assert result["changed"] is True
    assert path.read_text() == original  # byte for byte, comments and quoting included
    assert run_module(rke_cluster_yml, state="absent", **args)["changed"] is False


def test_rke1_absent_puts_the_marker_base_back_without_a_pristine_copy(tmp_path, run_module):
    path, original, _host_dir = user_config_cluster_yml(tmp_path)
    args = {"path": str(path), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR, "backup_dir": str(tmp_path / "b")}
    assert run_module(rke_cluster_yml, **args)["changed"] is True
    (tmp_path / "b" / "cluster.yml.pristine").unlink()
    path.write_text(path.read_text().replace("snapshot: true", "snapshot: false"))  # a change of the user's since
    result = run_module(rke_cluster_yml, state="absent", base_config="/etc/kube-scheduler/custom.yaml", **args)
    assert result["changed"] is True
    doc = yaml.safe_load(path.read_text())
    expected = yaml.safe_load(original)
    expected["services"]["etcd"]["snapshot"] = False
    assert doc == expected


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("/etc/kube-scheduler/custom.yaml", "/opt/custom.yaml"), "/opt/custom.yaml is on no bind"),
        (
            lambda t: t.replace(
                "    extra_binds:", "    extra_args_array:\n      config: [/etc/kubernetes/b.yaml]\n    extra_binds:"
            ),
            "extra_args_array sets config",
        ),
    ],
)
def test_rke1_users_config_that_cannot_be_read_is_refused(tmp_path, run_module, edit, message):
    path, original, _host_dir = user_config_cluster_yml(tmp_path)
    path.write_text(edit(original))
    before = path.read_text()
    args = {"path": str(path), "config_file": CONFIG_FILE, "config_dir": CONFIG_DIR, "backup_dir": str(tmp_path / "b")}
    result = run_module(rke_cluster_yml, **args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert "Nothing was changed" in result["msg"]
    assert path.read_text() == before
    assert not (tmp_path / "b").exists()
