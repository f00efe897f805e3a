# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the kube_scheduler role."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, FIXTURES

from ansible_collections.lvmkube.cluster.plugins.filter import kube_scheduler as kube_scheduler_filters
from ansible_collections.lvmkube.cluster.plugins.filter.kube_scheduler import (
    FilterModule,
    kube_scheduler_cluster_configuration,
    kube_scheduler_config_files,
    kube_scheduler_image_version,
)


def test_filters_are_registered():
    assert set(FilterModule().filters()) == {
        "kube_scheduler_distribution",
        "kube_scheduler_config_files",
        "kube_scheduler_image_version",
        "kube_scheduler_cluster_configuration",
        "kube_scheduler_file_names",
        "kube_scheduler_kubespray_vars",
        "kube_scheduler_base_of_copy",
    }


def test_base_of_copy_reads_the_marker_line():
    base_of_copy = FilterModule().filters()["kube_scheduler_base_of_copy"]
    merged = kube_scheduler_config_files(
        "v1.27.3", "rke1", "http://127.0.0.1:9251", 100, "topolvm.io/capacity", CONFIG_DIR, "",
        "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n", "/srv/s.yaml", "/etc/s.yaml",
    )  # fmt: skip
    assert base_of_copy(merged["files"]["scheduler-config.yaml"]) == "/etc/s.yaml"
    assert base_of_copy("apiVersion: v1\n") == ""
    assert base_of_copy(None) == ""


def test_config_files_accepts_template_strings():
    result = kube_scheduler_config_files(
        "v1.30.2", "rke2", "http://127.0.0.1:9251", "100", "topolvm.io/capacity", CONFIG_DIR, ""
    )
    assert result["api_version"] == "kubescheduler.config.k8s.io/v1"
    config = yaml.safe_load(result["files"]["scheduler-config.yaml"])
    assert config["extenders"][0]["weight"] == 100
    assert config["clientConnection"]["kubeconfig"] == "/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig"


def test_config_files_errors_are_filter_errors():
    with pytest.raises(AnsibleFilterError, match="not supported"):
        kube_scheduler_config_files("v0.9", "kubeadm", "http://127.0.0.1:9251", 1, "topolvm.io/capacity", CONFIG_DIR)
    with pytest.raises(AnsibleFilterError):
        kube_scheduler_config_files(
            "v1.30", "kubeadm", "http://127.0.0.1:9251", "many", "topolvm.io/capacity", CONFIG_DIR
        )


def test_image_version():
    assert kube_scheduler_image_version((FIXTURES / "kube-scheduler-v1.35.yaml.txt").read_text()) == "1.35.0"
    with pytest.raises(AnsibleFilterError, match="cannot be used"):
        kube_scheduler_image_version("kind: Pod\nspec: [")


@pytest.mark.parametrize(
    ("fixture", "list_style"),
    [("kubeadm-configmap-v1beta3.yaml.txt", False), ("kubeadm-configmap-v1beta4.yaml.txt", True)],
)
def test_cluster_configuration_text(fixture, list_style):
    original = (FIXTURES / fixture).read_text()
    changed = kube_scheduler_cluster_configuration(original, "present", CONFIG_FILE, CONFIG_DIR)
    scheduler = yaml.safe_load(changed)["scheduler"]
    if list_style:
        assert scheduler["extraArgs"] == [{"name": "config", "value": CONFIG_FILE}]
    else:
        assert scheduler["extraArgs"] == {"config": CONFIG_FILE}
    # unchanged input comes back as the same text, so the ConfigMap is not rewritten
    assert kube_scheduler_cluster_configuration(changed, "present", CONFIG_FILE, CONFIG_DIR) == changed
    assert kube_scheduler_cluster_configuration(changed, "absent", CONFIG_FILE, CONFIG_DIR) == original
    assert kube_scheduler_cluster_configuration(original, "absent", CONFIG_FILE, CONFIG_DIR) == original


def test_cluster_configuration_refuses_other_kinds():
    with pytest.raises(AnsibleFilterError):
        kube_scheduler_cluster_configuration(
            "kind: InitConfiguration\napiVersion: kubeadm.k8s.io/v1beta4\n", "present", CONFIG_FILE, CONFIG_DIR
        )


def test_file_names_come_from_module_utils():
    names = FilterModule().filters()["kube_scheduler_file_names"]("/etc/kubernetes/scheduler/")
    assert names == {
        "config": CONFIG_FILE,
        "policy": CONFIG_DIR + "/scheduler-policy.cfg",
        "managed": ["scheduler-config.yaml", "scheduler-policy.cfg"],
    }


def test_kubespray_vars_hold_every_extender_of_the_merged_file():
    kubespray = (FIXTURES / "kubespray-kubescheduler-config.yaml.txt").read_text()
    merged = kube_scheduler_config_files(
        "v1.31.4",
        "kubeadm",
        "http://127.0.0.1:9251",
        100,
        "topolvm.io/capacity",
        CONFIG_DIR,
        "",
        kubespray,
        "/etc/kubernetes/kubescheduler-config.yaml",
    )["files"]["scheduler-config.yaml"]
    text = FilterModule().filters()["kube_scheduler_kubespray_vars"](merged)
    assert text.startswith("---\n# Written by")
    data = yaml.safe_load(text)
    assert list(data) == ["kube_scheduler_extenders"]
    assert [e["urlPrefix"] for e in data["kube_scheduler_extenders"]] == [
        "http://gpu-extender.kube-system.svc:8888",
        "http://127.0.0.1:9251",
    ]
    assert data["kube_scheduler_extenders"][1]["managedResources"] == [
        {"name": "topolvm.io/capacity", "ignoredByScheduler": True}
    ]
    with pytest.raises(AnsibleFilterError):
        FilterModule().filters()["kube_scheduler_kubespray_vars"]("kind: KubeSchedulerConfiguration\n")


def test_cluster_configuration_absent_puts_kubesprays_config_back():
    text = (
        "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nscheduler:\n  extraArgs:\n"
        "  - name: bind-address\n    value: '::'\n"
        "  - name: config\n    value: /etc/kubernetes/kubescheduler-config.yaml\n"
        "  extraVolumes:\n  - name: kubescheduler-config\n    hostPath: /etc/kubernetes/kubescheduler-config.yaml\n"
        "    mountPath: /etc/kubernetes/kubescheduler-config.yaml\n    readOnly: true\n"
    )
    ours = kube_scheduler_cluster_configuration(text, "present", CONFIG_FILE, CONFIG_DIR)
    scheduler = yaml.safe_load(ours)["scheduler"]
    assert {"name": "config", "value": CONFIG_FILE} in scheduler["extraArgs"]
    assert [v["name"] for v in scheduler["extraVolumes"]] == ["kubescheduler-config", "lvmkube-scheduler-config"]
    back = kube_scheduler_cluster_configuration(
        ours, "absent", CONFIG_FILE, CONFIG_DIR, base_config="/etc/kubernetes/kubescheduler-config.yaml"
    )
    assert yaml.safe_load(back) == yaml.safe_load(text)


# ------------------------------------------------------------------ the distribution, decided once

MARKER_PATHS = {
    "kubeadm_manifest": "/etc/kubernetes/manifests/kube-scheduler.yaml",
    "kubespray_config": "/etc/kubernetes/kubescheduler-config.yaml",
    "rke2_dir": "/etc/rancher/rke2",
    "k3s_dir": "/etc/rancher/k3s",
    "rke1_kubeconfig": "/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml",
}


def node_paths(*present):
    """node_state_info's ``paths`` result for the marker paths, the given ones existing."""
    return {path: {"exists": path in present} for path in MARKER_PATHS.values()}


@pytest.fixture
def deprecations(monkeypatch):
    seen = []
    monkeypatch.setattr(
        kube_scheduler_filters.Display, "deprecated", lambda self, msg, **kwargs: seen.append((msg, kwargs))
    )
    return seen


@pytest.mark.parametrize("name", ["kubeadm", "kubespray", "rke1", "rke2", "rancher-v3", "rancher-v2", "k3s"])
def test_distribution_names_of_the_vocabulary_pass_without_warning(name, deprecations):
    assert kube_scheduler_filters.kube_scheduler_distribution(name) == name
    assert deprecations == []


@pytest.mark.parametrize(
    ("old", "new"), [("rancher", "rancher-v3"), ("rancher2", "rancher-v2"), (" Rancher2", "rancher-v2")]
)
def test_deprecated_spellings_keep_working_with_a_deprecation_naming_the_new_value(old, new, deprecations):
    assert kube_scheduler_filters.kube_scheduler_distribution(old) == new
    [(msg, kwargs)] = deprecations
    assert f"{old.strip()} is deprecated, use {new}" in msg
    assert kwargs == {"version": "2.0.0", "collection_name": "lvmkube.cluster"}


@pytest.mark.parametrize("value", ["k8s", "", None, "rancher-v1", "auto-detect"])
def test_other_distributions_are_refused_naming_the_accepted_ones(value):
    with pytest.raises(
        AnsibleFilterError, match="use one of kubeadm, kubespray, rke1, rke2, rancher-v3, rancher-v2, k3s"
    ):
        kube_scheduler_filters.kube_scheduler_distribution(value)


@pytest.mark.parametrize(
    ("present", "rancher_url", "cluster_yml", "expected"),
    [
        (["/etc/kubernetes/manifests/kube-scheduler.yaml"], "", "", "kubeadm"),
        (
            ["/etc/kubernetes/manifests/kube-scheduler.yaml", "/etc/kubernetes/kubescheduler-config.yaml"],
            "",
            "",
            "kubespray",
        ),
        (["/etc/rancher/rke2"], "", "", "rke2"),
        (["/etc/rancher/k3s"], "", "", "k3s"),
        (["/etc/rancher/rke2", "/etc/rancher/k3s"], "", "", "rke2"),
        (["/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml"], "https://rancher.example", "", "rancher-v3"),
        (["/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml"], "", "/srv/rke/cluster.yml", "rke1"),
        (["/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml"], "", "", ""),
        (["/etc/kubernetes/kubescheduler-config.yaml"], "", "", ""),
        ([], "https://rancher.example", "", ""),
    ],
)
def test_auto_is_the_one_detection_of_the_node_markers(present, rancher_url, cluster_yml, expected, deprecations):
    decide = kube_scheduler_filters.kube_scheduler_distribution
    assert decide("auto") == "auto"  # nothing read yet
    assert decide("auto", node_paths(*present), MARKER_PATHS, rancher_url, cluster_yml) == expected
    assert deprecations == []


def test_auto_refuses_a_marker_the_detection_does_not_know():
    with pytest.raises(AnsibleFilterError, match="unknown distribution markers: docker"):
        kube_scheduler_filters.kube_scheduler_distribution("auto", {}, {"docker": "/var/run/docker.sock"})
