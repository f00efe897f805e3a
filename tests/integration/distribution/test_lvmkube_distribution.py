# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One lvmkube_distribution for every role (ansible-playbook, inventory group vars, local connection): set once
in group_vars/all it reaches cloud_provider (the RKE2 drop-in), topolvm and nifcloud_ccm (the control-plane
placement of their rendered DaemonSets); an older role variable alone keeps working with a deprecation warning;
a role variable that contradicts lvmkube_distribution, or a distribution a role cannot serve, fails the run
before anything is written."""

from __future__ import annotations

import sys

import pytest
import yaml
from playbook_helpers import run_playbook_text, said

pytestmark = pytest.mark.slow

# cloud_provider first (it changes nodes), then the two roles that render manifests.
PLAYBOOK = """
- {hosts: all, gather_facts: false, roles: [lvmkube.cluster.cloud_provider]}
- {hosts: all, gather_facts: false, roles: [lvmkube.cluster.topolvm, lvmkube.cluster.nifcloud_ccm]}
"""
CONTROL_PLANE_TRUE = [
    {"matchExpressions": [{"key": "node-role.kubernetes.io/control-plane", "operator": "In", "values": ["true"]}]}
]
RKE1_CONTROLPLANE = [
    {"matchExpressions": [{"key": "node-role.kubernetes.io/controlplane", "operator": "In", "values": ["true"]}]}
]
KUBEADM_CONTROL_PLANE = [{"matchExpressions": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}]}]


def write_inventory(tmp_path, group_vars, host_vars=None):
    """An inventory folder: one control-plane host (local connection), group_vars/all.yml, files under tmp_path."""
    inventory = tmp_path / "inventory"
    (inventory / "group_vars").mkdir(parents=True)
    host = {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "nifcloud_instance_id": "i-cp1",
        **(host_vars or {}),
    }
    (inventory / "hosts.yml").write_text(
        yaml.safe_dump({"all": {"children": {"kube_control_plane": {"hosts": {"i-cp1": host}}}}})
    )
    common = {
        # cloud_provider: files under tmp_path, nothing restarted
        "cloud_provider_kubeadm_flags_file": str(tmp_path / "kubeadm-flags.env"),
        "cloud_provider_backup_dir": str(tmp_path / "backup"),
        "cloud_provider_kubelet_service": "",
        "cloud_provider_rke2_config_dir": str(tmp_path / "rke2" / "config.yaml.d"),
        "cloud_provider_rke2_service": "",
        # topolvm: rendered, with topolvm-scheduler as a DaemonSet next to kube-scheduler
        "topolvm_output": "render",
        "topolvm_render_dir": str(tmp_path / "topolvm"),
        "topolvm_cert_dir": str(tmp_path / "certs"),
        "topolvm_scheduling_mode": "extender-daemonset",
        "lvmkube_device_classes": [{"name": "ssd", "volume_group": "vg-ssd", "default": True}],
        # nifcloud_ccm: rendered, credentials not rendered
        "nifcloud_region": "jp-east-1",
        "nifcloud_access_key_id": "AKIDTEST",
        "nifcloud_secret_access_key": "SKTEST",
        "nifcloud_ccm_output": "render",
        "nifcloud_ccm_render_dir": str(tmp_path / "ccm"),
    }
    (inventory / "group_vars" / "all.yml").write_text(yaml.safe_dump({**common, **group_vars}))
    return inventory


def run(tmp_path, inventory, expect_ok=True):
    proc = run_playbook_text(tmp_path, PLAYBOOK, {}, inventory=inventory, expect_ok=expect_ok)
    return proc, proc.stdout + proc.stderr


def daemonset_terms(directory, name):
    """The node affinity terms of the DaemonSet ``name`` among the rendered files of ``directory``."""
    for path in sorted(directory.glob("*.yaml")):
        for obj in yaml.safe_load_all(path.read_text()):
            if obj and obj.get("kind") == "DaemonSet" and obj["metadata"]["name"] == name:
                affinity = obj["spec"]["template"]["spec"]["affinity"]["nodeAffinity"]
                return affinity["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    raise AssertionError(f"no DaemonSet {name} in {directory}")


def test_lvmkube_distribution_set_once_reaches_every_role(tmp_path):
    (tmp_path / "rke2" / "config.yaml.d").mkdir(parents=True)
    inventory = write_inventory(tmp_path, {"lvmkube_distribution": "rke2"})
    _proc, output = run(tmp_path, inventory)

    # cloud_provider took its RKE2 path (no kubeadm file was looked for, no kubespray file written).
    dropin = tmp_path / "rke2" / "config.yaml.d" / "60-lvmkube-cloud-provider.yaml"
    assert yaml.safe_load(dropin.read_text())["cloud-provider-name"] == "external"
    # topolvm-scheduler and the cloud controller manager run where RKE2 labels its control-plane nodes.
    assert daemonset_terms(tmp_path / "topolvm", "topolvm-scheduler") == CONTROL_PLANE_TRUE
    assert daemonset_terms(tmp_path / "ccm", "nifcloud-cloud-controller-manager") == CONTROL_PLANE_TRUE
    assert not said("is deprecated", output)


def test_old_role_variable_alone_still_works_with_a_deprecation_warning(tmp_path):
    inventory = write_inventory(tmp_path, {"topolvm_distribution": "rke1"})
    (tmp_path / "kubeadm-flags.env").write_text('KUBELET_KUBEADM_ARGS="--node-ip=10.0.0.1"\n')
    _proc, output = run(tmp_path, inventory)

    assert daemonset_terms(tmp_path / "topolvm", "topolvm-scheduler") == RKE1_CONTROLPLANE
    # The other roles keep today's default, kubeadm.
    assert daemonset_terms(tmp_path / "ccm", "nifcloud-cloud-controller-manager") == KUBEADM_CONTROL_PLANE
    assert "--cloud-provider=external" in (tmp_path / "kubeadm-flags.env").read_text()
    assert said("topolvm_distribution is deprecated: set lvmkube_distribution: rke1", output)


def test_role_variable_contradicting_lvmkube_distribution_fails_before_anything_is_written(tmp_path):
    inventory = write_inventory(
        tmp_path, {"lvmkube_distribution": "rke2"}, host_vars={"topolvm_distribution": "kubeadm"}
    )
    (tmp_path / "rke2" / "config.yaml.d").mkdir(parents=True)
    _proc, output = run(tmp_path, inventory, expect_ok=False)

    assert said("topolvm_distribution='kubeadm' disagrees with lvmkube_distribution='rke2'", output)
    assert not (tmp_path / "topolvm").exists()
    assert not (tmp_path / "ccm").exists()


@pytest.mark.parametrize("name", ["rke1", "rancher-v3", "rancher-v2", "k3s"])
def test_cloud_provider_refuses_what_it_cannot_serve_before_any_change(tmp_path, name):
    inventory = write_inventory(tmp_path, {"lvmkube_distribution": name})
    flags = tmp_path / "kubeadm-flags.env"
    flags.write_text('KUBELET_KUBEADM_ARGS="--node-ip=10.0.0.1"\n')
    _proc, output = run(tmp_path, inventory, expect_ok=False)

    assert said(
        f"cloud_provider_distribution (from lvmkube_distribution): '{name}' is a distribution this role", output
    )
    assert flags.read_text() == 'KUBELET_KUBEADM_ARGS="--node-ip=10.0.0.1"\n'
    assert not (tmp_path / "backup").exists()
    assert not (tmp_path / "topolvm").exists()
