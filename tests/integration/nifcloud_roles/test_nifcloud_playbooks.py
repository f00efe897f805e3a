# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The deploy_nifcloud and nifcloud_smoke_test playbooks: syntax (the smoke test needs a real cluster and a NIFCLOUD
account, so that is all it gets), the smoke test's objects against the schemas, and deploy_nifcloud end to end on
kubeadm-shaped flags files with render output."""

from __future__ import annotations

import sys

import pytest
import yaml
from k8s_schema_helpers import shipped_versions, validate_object
from playbook_helpers import ROOT, json_result, run_playbook_text

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud import common, smoke
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import smoke as tm

pytestmark = pytest.mark.slow
KUBEADM_FLAGS = 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock"\n'


@pytest.mark.parametrize("playbook", ["deploy_nifcloud", "nifcloud_smoke_test"])
def test_syntax_with_the_example_inventory(tmp_path, playbook):
    proc = run_playbook_text(
        tmp_path,
        f"- ansible.builtin.import_playbook: lvmkube.cluster.{playbook}\n",
        {},
        "--syntax-check",
        inventory=ROOT / "inventories" / "nifcloud",
    )
    assert "play.yml" in proc.stdout


def test_smoke_objects_are_valid_for_every_version():
    lb = smoke.lb_smoke_objects(accounting_type="1")
    assert lb["service"]["metadata"]["annotations"] == {smoke.ACCOUNTING_ANNOTATION: "1"}
    assert lb["service"]["spec"]["type"] == "LoadBalancer"
    pvc = tm.smoke_objects("nifcloud-additional-storage-standard", namespace="lvmkube-nifcloud-smoke")
    for version in shipped_versions():
        for obj in [*lb.values(), *pvc.values()]:
            assert validate_object(obj, version) == "validated"
    with pytest.raises(common.NifcloudConfigError):
        smoke.lb_smoke_objects(accounting_type="3")


def test_deploy_nifcloud_renders_and_sets_the_kubelet_flag(tmp_path):
    hosts = {}
    for name in ("master111", "node121"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "kubeadm-flags.env").write_text(KUBEADM_FLAGS)
        hosts[name] = {
            "ansible_connection": "local",
            "ansible_python_interpreter": sys.executable,
            "nifcloud_instance_id": name,
            "cloud_provider_kubeadm_flags_file": str(tmp_path / name / "kubeadm-flags.env"),
            "cloud_provider_backup_dir": str(tmp_path / name / "backup"),
        }
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(
        yaml.safe_dump(
            {
                "all": {
                    "vars": {"ansible_become": False},
                    "children": {
                        "k8s_cluster": {
                            "children": {
                                "kube_control_plane": {"hosts": {"master111": hosts["master111"]}},
                                "kube_node": {"hosts": {"node121": hosts["node121"]}},
                            }
                        }
                    },
                }
            }
        )
    )
    extra = {
        "nifcloud_region": "jp-east-1",
        "nifcloud_access_key_id": "AK",
        "nifcloud_secret_access_key": "SK",
        "nifcloud_ccm_output": "render",
        "nifcloud_csi_output": "render",
        "nifcloud_ccm_render_dir": str(tmp_path / "ccm"),
        "nifcloud_csi_render_dir": str(tmp_path / "csi"),
        "cloud_provider_kubelet_service": "",
    }
    playbook = "- ansible.builtin.import_playbook: lvmkube.cluster.deploy_nifcloud\n"
    result = json_result(run_playbook_text(tmp_path, playbook, extra, inventory=inventory))
    assert result["stats"]["localhost"]["changed"] == 2
    for name in hosts:
        assert "--cloud-provider=external" in (tmp_path / name / "kubeadm-flags.env").read_text()
    assert (tmp_path / "ccm" / "kustomization.yaml").is_file()
    assert any(
        p.name.endswith("-storageclass-nifcloud-additional-storage-standard.yaml") for p in (tmp_path / "csi").iterdir()
    )
    again = json_result(run_playbook_text(tmp_path, playbook, extra, inventory=inventory))
    assert {stats["changed"] for stats in again["stats"].values()} == {0}
