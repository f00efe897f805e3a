# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller side of the cloud_provider role: the node-name rule, the kubeadm snippet and the kubespray
variables."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.lvmkube.cluster.plugins.plugin_utils import cloud_provider as cpc

WANTED = {"cloud-provider": "external"}


def test_node_name_rule_names_every_offending_host():
    hosts = [
        {"host": "cp1", "node_name": "i-aaa", "instance_id": "i-aaa"},
        {"host": "w1", "node_name": "w1", "instance_id": "i-bbb"},
        {"host": "w2", "node_name": "w2", "instance_id": ""},
    ]
    problems = cpc.node_name_problems(hosts, "nifcloud")
    assert problems == [
        "w1: node name 'w1' is not the instance ID 'i-bbb'",
        "w2: no NIFCLOUD instance ID (set cloud_provider_instance_id or the host variable nifcloud_instance_id)",
    ]
    assert cpc.node_name_problems(hosts, "none") == []
    with pytest.raises(cpc.CloudProviderError):
        cpc.node_name_problems(hosts, "sakura")


def test_kubeadm_snippet_per_api_version():
    docs = list(yaml.safe_load_all(cpc.kubeadm_snippet("kubeadm.k8s.io/v1beta4", WANTED, "i-aaa")))
    assert [d["kind"] for d in docs] == ["InitConfiguration", "JoinConfiguration"]
    assert docs[1]["nodeRegistration"] == {
        "name": "i-aaa",
        "kubeletExtraArgs": [{"name": "cloud-provider", "value": "external"}],
    }
    old = list(yaml.safe_load_all(cpc.kubeadm_snippet("kubeadm.k8s.io/v1beta3", WANTED)))
    assert old[0]["nodeRegistration"] == {"kubeletExtraArgs": {"cloud-provider": "external"}}
    with pytest.raises(cpc.CloudProviderError):
        cpc.kubeadm_snippet("kubeadm.k8s.io/v1", WANTED)


def test_kubespray_vars():
    data = yaml.safe_load(cpc.kubespray_vars("manual", {"node2": "i-bbb", "node1": "i-aaa", "node3": ""}))
    assert data == {
        "cloud_provider": "external",
        "external_cloud_provider": "manual",
        "lvmkube_node_names": {"node1": "i-aaa", "node2": "i-bbb"},
        "kube_override_hostname": "{{ lvmkube_node_names[inventory_hostname] | default(inventory_hostname) }}",
    }
    assert yaml.safe_load(cpc.kubespray_vars("manual")) == {
        "cloud_provider": "external",
        "external_cloud_provider": "manual",
    }
    with pytest.raises(cpc.CloudProviderError, match="not one of"):
        cpc.kubespray_vars("nifcloud")
