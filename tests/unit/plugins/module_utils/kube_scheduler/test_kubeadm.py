# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/kube_scheduler/kubeadm.py: the static pod manifest and kubeadm's ClusterConfiguration."""

from __future__ import annotations

import copy

import kubernetes_validate
import pytest
import yaml
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, fixture_text, fixture_yaml

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import (
    kubeadm,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import KubeSchedulerConfigError


@pytest.mark.parametrize(
    ("name", "k8s"), [("kube-scheduler-v1.25.yaml.txt", "1.25"), ("kube-scheduler-v1.35.yaml.txt", "1.35")]
)
def test_static_pod_present_absent_round_trip(name, k8s):
    original = fixture_yaml(name)
    pod = copy.deepcopy(original)
    assert kubeadm.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR, checksum="abc123") is True
    container = pod["spec"]["containers"][0]
    assert container["command"][-1] == "--config=" + CONFIG_FILE
    assert container["command"][:-1] == original["spec"]["containers"][0]["command"]
    assert {"hostPath": {"path": CONFIG_DIR, "type": "Directory"}, "name": "lvmkube-scheduler-config"} in pod["spec"][
        "volumes"
    ]
    assert {"mountPath": CONFIG_DIR, "name": "lvmkube-scheduler-config", "readOnly": True} in container["volumeMounts"]
    assert pod["metadata"]["annotations"] == {kubeadm.CHECKSUM_ANNOTATION: "abc123"}
    # every other field stays as it was, in the same order
    assert list(pod) == list(original)
    assert list(pod["spec"]) == list(original["spec"])
    assert container["livenessProbe"] == original["spec"]["containers"][0]["livenessProbe"]
    assert kubeadm.static_pod_config_flag(pod) == CONFIG_FILE
    # the result is still a valid Pod for that Kubernetes release
    kubernetes_validate.validate(pod, k8s + ".0", strict=True)
    # idempotent
    assert kubeadm.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR, checksum="abc123") is False
    # a new configuration changes only the checksum annotation
    assert kubeadm.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR, checksum="def456") is True
    assert pod["metadata"]["annotations"][kubeadm.CHECKSUM_ANNOTATION] == "def456"
    # absent gives back exactly the original structure
    assert kubeadm.edit_static_pod(pod, False, CONFIG_FILE, CONFIG_DIR) is True
    assert pod == original
    assert kubeadm.edit_static_pod(pod, False, CONFIG_FILE, CONFIG_DIR) is False


def test_static_pod_replaces_an_existing_config_flag():
    pod = fixture_yaml("kube-scheduler-v1.25.yaml.txt")
    command = pod["spec"]["containers"][0]["command"]
    command.insert(2, "--config=/old/path.yaml")
    command.append("--config")
    command.append("/other.yaml")
    assert kubeadm.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR) is True
    configs = [arg for arg in command if arg.startswith("--config")]
    assert configs == ["--config=" + CONFIG_FILE]
    assert command[2] == "--config=" + CONFIG_FILE
    assert "/other.yaml" not in command


def test_static_pod_replaces_a_changed_volume():
    pod = fixture_yaml("kube-scheduler-v1.25.yaml.txt")
    kubeadm.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR)
    assert kubeadm.edit_static_pod(pod, True, "/etc/kubernetes/other/c.yaml", "/etc/kubernetes/other") is True
    volume = [v for v in pod["spec"]["volumes"] if v["name"] == "lvmkube-scheduler-config"]
    assert volume == [
        {"hostPath": {"path": "/etc/kubernetes/other", "type": "Directory"}, "name": "lvmkube-scheduler-config"}
    ]


@pytest.mark.parametrize(
    "pod",
    [
        {"kind": "Deployment"},
        {"kind": "Pod", "spec": {"containers": []}},
        {"kind": "Pod", "spec": {"containers": [{"name": "etcd", "command": ["etcd"]}]}},
        ["not", "a", "mapping"],
        {"kind": "Pod", "spec": {"containers": [{"name": "kube-scheduler", "command": []}], "volumes": "x"}},
    ],
)
def test_static_pod_refuses_unexpected_shapes(pod):
    before = copy.deepcopy(pod)
    with pytest.raises(KubeSchedulerConfigError):
        kubeadm.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR)
    if isinstance(pod, dict) and pod.get("kind") != "Pod":
        assert pod == before


def test_cluster_configuration_v1beta3_map_style():
    config = fixture_yaml("kubeadm-configmap-v1beta3.yaml.txt")
    original = copy.deepcopy(config)
    assert kubeadm.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR) is True
    assert config["scheduler"] == {
        "extraArgs": {"config": CONFIG_FILE},
        "extraVolumes": [
            {
                "name": "lvmkube-scheduler-config",
                "hostPath": CONFIG_DIR,
                "mountPath": CONFIG_DIR,
                "readOnly": True,
                "pathType": "Directory",
            }
        ],
    }
    assert kubeadm.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR) is False
    assert kubeadm.edit_cluster_configuration(config, False, CONFIG_FILE, CONFIG_DIR) is True
    assert config == original


def test_cluster_configuration_v1beta4_list_style():
    config = fixture_yaml("kubeadm-configmap-v1beta4.yaml.txt")
    original = copy.deepcopy(config)
    assert kubeadm.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR) is True
    assert config["scheduler"]["extraArgs"] == [{"name": "config", "value": CONFIG_FILE}]
    assert config["scheduler"]["extraVolumes"][0]["pathType"] == "Directory"
    assert kubeadm.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR) is False
    assert kubeadm.edit_cluster_configuration(config, False, CONFIG_FILE, CONFIG_DIR) is True
    assert config == original


def test_cluster_configuration_keeps_other_scheduler_args():
    docs = list(yaml.safe_load_all(fixture_text("kubeadm-config-v1beta4.yaml.txt")))
    config = docs[kubeadm.find_cluster_configuration(docs)]
    config["scheduler"]["extraArgs"].append({"name": "config", "value": "/old.yaml"})
    kubeadm.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR)
    assert config["scheduler"]["extraArgs"] == [
        {"name": "bind-address", "value": "127.0.0.1"},
        {"name": "config", "value": CONFIG_FILE},
    ]
    docs3 = list(yaml.safe_load_all(fixture_text("kubeadm-config-v1beta3.yaml.txt")))
    config3 = docs3[kubeadm.find_cluster_configuration(docs3)]
    kubeadm.edit_cluster_configuration(config3, True, CONFIG_FILE, CONFIG_DIR)
    assert config3["scheduler"]["extraArgs"] == {"bind-address": "127.0.0.1", "config": CONFIG_FILE}


@pytest.mark.parametrize(
    "config",
    [
        {
            "apiVersion": "kubeadm.k8s.io/v1beta4",
            "kind": "ClusterConfiguration",
            "scheduler": {"extraArgs": {"a": "b"}},
        },
        {"apiVersion": "kubeadm.k8s.io/v1beta3", "kind": "ClusterConfiguration", "scheduler": {"extraArgs": []}},
        {"apiVersion": "kubeadm.k8s.io/v1alpha3", "kind": "ClusterConfiguration"},
        {"apiVersion": "kubeadm.k8s.io/v1beta3", "kind": "InitConfiguration"},
    ],
)
def test_cluster_configuration_refuses_wrong_shapes(config):
    with pytest.raises(KubeSchedulerConfigError):
        kubeadm.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR)
