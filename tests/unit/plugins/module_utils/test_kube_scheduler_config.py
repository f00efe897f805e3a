# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the pure kube-scheduler configuration functions."""

from __future__ import annotations

import copy
import json
import re

import kubernetes_validate
import pytest
import yaml
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, FIXTURES

from ansible_collections.lvmkube.cluster.plugins.module_utils import kube_scheduler_config as ksc

URL = "http://127.0.0.1:9251"


def fixture_text(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_yaml(name):
    return yaml.safe_load(fixture_text(name))


# ------------------------------------------------------------------ version rows


@pytest.mark.parametrize(
    ("version", "api"),
    [
        ("v1.10.0", "v1alpha1"),
        ("1.14", "v1alpha1"),
        ("v1.16.4-rancher1-1", "v1alpha1"),
        ("1.17.17", "v1alpha1"),
        ("v1.18.2", "v1alpha2"),
        ("1.19.0", "v1beta1"),
        ("v1.20.15-rancher2-2", "v1beta1"),
        ("1.21", "v1beta1"),
        ("1.22.17", "v1beta2"),
        ("1.23.0", "v1beta3"),
        ("v1.24.17+rke2r1", "v1beta3"),
        ("1.25.0", "v1"),
        ("v1.29.3", "v1"),
        ("v1.35.0", "v1"),
    ],
)
def test_api_version_per_release(version, api):
    assert ksc.scheduler_api_version(version) == "kubescheduler.config.k8s.io/" + api


@pytest.mark.parametrize("version", ["", "latest", "v2.0.0", "1.9.11", None])
def test_unsupported_versions_are_refused(version):
    with pytest.raises(ksc.KubeSchedulerConfigError):
        ksc.scheduler_api_version(version)


@pytest.mark.parametrize("version", ["1.10", "1.17"])
def test_v1alpha1_uses_a_policy_file(version):
    api, files = ksc.build_scheduler_config(version, "kubeadm", URL, 100, "topolvm.io/capacity", CONFIG_DIR)
    assert api == "kubescheduler.config.k8s.io/v1alpha1"
    assert sorted(files) == ["scheduler-config.yaml", "scheduler-policy.cfg"]
    config = yaml.safe_load(files["scheduler-config.yaml"])
    assert config["kind"] == "KubeSchedulerConfiguration"
    assert config["algorithmSource"] == {"policy": {"file": {"path": CONFIG_DIR + "/scheduler-policy.cfg"}}}
    assert config["clientConnection"] == {"kubeconfig": "/etc/kubernetes/scheduler.conf"}
    assert "extenders" not in config
    policy = json.loads(files["scheduler-policy.cfg"])
    assert policy["kind"] == "Policy"
    assert policy["apiVersion"] == "v1"
    assert policy["extenders"] == [
        {
            "urlPrefix": URL,
            "filterVerb": "predicate",
            "prioritizeVerb": "prioritize",
            "nodeCacheCapable": False,
            "weight": 100,
            "managedResources": [{"name": "topolvm.io/capacity", "ignoredByScheduler": True}],
        }
    ]


@pytest.mark.parametrize(
    ("version", "api"),
    [
        ("1.18", "v1alpha2"),
        ("1.19", "v1beta1"),
        ("1.21", "v1beta1"),
        ("1.22", "v1beta2"),
        ("1.23", "v1beta3"),
        ("1.24", "v1beta3"),
        ("1.25", "v1"),
        ("1.35", "v1"),
    ],
)
def test_newer_versions_name_the_extender_in_the_config(version, api):
    _api, files = ksc.build_scheduler_config(version, "kubeadm", URL, 7, "topolvm.cybozu.com/capacity", CONFIG_DIR)
    assert list(files) == ["scheduler-config.yaml"]
    config = yaml.safe_load(files["scheduler-config.yaml"])
    assert config["apiVersion"] == "kubescheduler.config.k8s.io/" + api
    assert "algorithmSource" not in config
    assert config["leaderElection"] == {"leaderElect": True}
    (extender,) = config["extenders"]
    assert extender["urlPrefix"] == URL
    assert extender["filterVerb"] == "predicate"
    assert extender["prioritizeVerb"] == "prioritize"
    assert extender["nodeCacheCapable"] is False
    assert extender["weight"] == 7
    assert extender["managedResources"] == [{"name": "topolvm.cybozu.com/capacity", "ignoredByScheduler": True}]
    assert "enableHTTPS" not in extender


@pytest.mark.parametrize(
    ("distribution", "kubeconfig"),
    [
        ("kubeadm", "/etc/kubernetes/scheduler.conf"),
        ("rke1", "/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml"),
        ("rancher", "/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml"),
        ("rke2", "/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig"),
    ],
)
@pytest.mark.parametrize("version", ["1.16", "1.30"])
def test_kubeconfig_per_distribution(distribution, kubeconfig, version):
    _api, files = ksc.build_scheduler_config(version, distribution, URL, 1, "topolvm.io/capacity", CONFIG_DIR)
    assert yaml.safe_load(files["scheduler-config.yaml"])["clientConnection"]["kubeconfig"] == kubeconfig


def test_kubeconfig_override_and_https_service_url():
    _api, files = ksc.build_scheduler_config(
        "1.30",
        "kubeadm",
        "https://topolvm-scheduler.topolvm-system.svc:9251",
        1,
        "topolvm.io/capacity",
        CONFIG_DIR + "/",
        kubeconfig="/x/kc",
    )
    config = yaml.safe_load(files["scheduler-config.yaml"])
    assert config["clientConnection"]["kubeconfig"] == "/x/kc"
    assert config["extenders"][0]["enableHTTPS"] is True
    _api, old = ksc.build_scheduler_config(
        "1.16", "kubeadm", "https://10.0.0.5:9251", 1, "topolvm.io/capacity", CONFIG_DIR
    )
    assert json.loads(old["scheduler-policy.cfg"])["extenders"][0]["enableHttps"] is True


@pytest.mark.parametrize(
    "kwargs",
    [
        {"distribution": "k3s"},
        {"extender_url": "127.0.0.1:9251"},
        {"weight": 0},
        {"weight": True},
        {"weight": "100"},
        {"capacity_resource": "capacity"},
        {"config_dir": "relative/dir"},
    ],
)
def test_bad_input_is_refused(kwargs):
    args = {
        "k8s_version": "1.30",
        "distribution": "kubeadm",
        "extender_url": URL,
        "weight": 100,
        "capacity_resource": "topolvm.io/capacity",
        "config_dir": CONFIG_DIR,
    }
    args.update(kwargs)
    with pytest.raises(ksc.KubeSchedulerConfigError):
        ksc.build_scheduler_config(**args)


def test_output_is_deterministic():
    first = ksc.build_scheduler_config("1.16", "rke1", URL, 100, "topolvm.io/capacity", CONFIG_DIR)
    second = ksc.build_scheduler_config("1.16", "rke1", URL, 100, "topolvm.io/capacity", CONFIG_DIR)
    assert first == second


@pytest.mark.parametrize(
    ("image", "version"),
    [
        ("registry.k8s.io/kube-scheduler:v1.29.3", "1.29.3"),
        ("localhost:5000/kube-scheduler:v1.31.0", "1.31.0"),
        ("registry.k8s.io/kube-scheduler:v1.30.1@sha256:" + "a" * 64, "1.30.1"),
        ("localhost:5000/kube-scheduler", None),
        ("registry.k8s.io/kube-scheduler:latest", None),
        (None, None),
    ],
)
def test_version_from_image(image, version):
    assert ksc.version_from_image(image) == version


# ------------------------------------------------------------------ kubeadm static pod


@pytest.mark.parametrize(
    ("name", "k8s"), [("kube-scheduler-v1.25.yaml.txt", "1.25"), ("kube-scheduler-v1.35.yaml.txt", "1.35")]
)
def test_static_pod_present_absent_round_trip(name, k8s):
    original = fixture_yaml(name)
    pod = copy.deepcopy(original)
    assert ksc.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR, checksum="abc123") is True
    container = pod["spec"]["containers"][0]
    assert container["command"][-1] == "--config=" + CONFIG_FILE
    assert container["command"][:-1] == original["spec"]["containers"][0]["command"]
    assert {"hostPath": {"path": CONFIG_DIR, "type": "Directory"}, "name": "lvmkube-scheduler-config"} in pod["spec"][
        "volumes"
    ]
    assert {"mountPath": CONFIG_DIR, "name": "lvmkube-scheduler-config", "readOnly": True} in container["volumeMounts"]
    assert pod["metadata"]["annotations"] == {ksc.CHECKSUM_ANNOTATION: "abc123"}
    # every other field stays as it was, in the same order
    assert list(pod) == list(original)
    assert list(pod["spec"]) == list(original["spec"])
    assert container["livenessProbe"] == original["spec"]["containers"][0]["livenessProbe"]
    assert ksc.static_pod_config_flag(pod) == CONFIG_FILE
    # the result is still a valid Pod for that Kubernetes release
    kubernetes_validate.validate(pod, k8s + ".0", strict=True)
    # idempotent
    assert ksc.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR, checksum="abc123") is False
    # a new configuration changes only the checksum annotation
    assert ksc.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR, checksum="def456") is True
    assert pod["metadata"]["annotations"][ksc.CHECKSUM_ANNOTATION] == "def456"
    # absent gives back exactly the original structure
    assert ksc.edit_static_pod(pod, False, CONFIG_FILE, CONFIG_DIR) is True
    assert pod == original
    assert ksc.edit_static_pod(pod, False, CONFIG_FILE, CONFIG_DIR) is False


def test_static_pod_replaces_an_existing_config_flag():
    pod = fixture_yaml("kube-scheduler-v1.25.yaml.txt")
    command = pod["spec"]["containers"][0]["command"]
    command.insert(2, "--config=/old/path.yaml")
    command.append("--config")
    command.append("/other.yaml")
    assert ksc.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR) is True
    configs = [arg for arg in command if arg.startswith("--config")]
    assert configs == ["--config=" + CONFIG_FILE]
    assert command[2] == "--config=" + CONFIG_FILE
    assert "/other.yaml" not in command


def test_static_pod_replaces_a_changed_volume():
    pod = fixture_yaml("kube-scheduler-v1.25.yaml.txt")
    ksc.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR)
    assert ksc.edit_static_pod(pod, True, "/etc/kubernetes/other/c.yaml", "/etc/kubernetes/other") is True
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
    with pytest.raises(ksc.KubeSchedulerConfigError):
        ksc.edit_static_pod(pod, True, CONFIG_FILE, CONFIG_DIR)
    if isinstance(pod, dict) and pod.get("kind") != "Pod":
        assert pod == before


# ------------------------------------------------------------------ kubeadm ClusterConfiguration


def test_cluster_configuration_v1beta3_map_style():
    config = fixture_yaml("kubeadm-configmap-v1beta3.yaml.txt")
    original = copy.deepcopy(config)
    assert ksc.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR) is True
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
    assert ksc.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR) is False
    assert ksc.edit_cluster_configuration(config, False, CONFIG_FILE, CONFIG_DIR) is True
    assert config == original


def test_cluster_configuration_v1beta4_list_style():
    config = fixture_yaml("kubeadm-configmap-v1beta4.yaml.txt")
    original = copy.deepcopy(config)
    assert ksc.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR) is True
    assert config["scheduler"]["extraArgs"] == [{"name": "config", "value": CONFIG_FILE}]
    assert config["scheduler"]["extraVolumes"][0]["pathType"] == "Directory"
    assert ksc.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR) is False
    assert ksc.edit_cluster_configuration(config, False, CONFIG_FILE, CONFIG_DIR) is True
    assert config == original


def test_cluster_configuration_keeps_other_scheduler_args():
    docs = list(yaml.safe_load_all(fixture_text("kubeadm-config-v1beta4.yaml.txt")))
    config = docs[ksc.find_cluster_configuration(docs)]
    config["scheduler"]["extraArgs"].append({"name": "config", "value": "/old.yaml"})
    ksc.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR)
    assert config["scheduler"]["extraArgs"] == [
        {"name": "bind-address", "value": "127.0.0.1"},
        {"name": "config", "value": CONFIG_FILE},
    ]
    docs3 = list(yaml.safe_load_all(fixture_text("kubeadm-config-v1beta3.yaml.txt")))
    config3 = docs3[ksc.find_cluster_configuration(docs3)]
    ksc.edit_cluster_configuration(config3, True, CONFIG_FILE, CONFIG_DIR)
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
    with pytest.raises(ksc.KubeSchedulerConfigError):
        ksc.edit_cluster_configuration(config, True, CONFIG_FILE, CONFIG_DIR)


# ------------------------------------------------------------------ RKE1 and Rancher


def test_rke_services_snake_case():
    doc = fixture_yaml("rke1-cluster.yml.txt")
    original = copy.deepcopy(doc)
    assert ksc.edit_rke_services(doc["services"], True, CONFIG_FILE, CONFIG_DIR) is True
    assert doc["services"]["scheduler"] == {
        "extra_args": {"config": CONFIG_FILE},
        "extra_binds": [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"],
    }
    assert ksc.edit_rke_services(doc["services"], True, CONFIG_FILE, CONFIG_DIR) is False
    assert ksc.edit_rke_services(doc["services"], False, CONFIG_FILE, CONFIG_DIR) is True
    assert doc == original


def test_rke_services_keeps_other_args_and_binds():
    doc = fixture_yaml("rke1-cluster-existing-args.yml.txt")
    ksc.edit_rke_services(doc["services"], True, CONFIG_FILE, CONFIG_DIR)
    scheduler = doc["services"]["scheduler"]
    assert scheduler["extra_args"] == {"v": "2", "config": CONFIG_FILE}
    assert scheduler["extra_binds"] == ["/opt/other:/opt/other", f"{CONFIG_DIR}:{CONFIG_DIR}:ro"]
    ksc.edit_rke_services(doc["services"], False, CONFIG_FILE, CONFIG_DIR)
    assert scheduler == {"image": "", "extra_args": {"v": "2"}, "extra_binds": ["/opt/other:/opt/other"]}


def test_rke_services_user_config_is_restored_not_dropped():
    doc = fixture_yaml("rke1-cluster-existing-args.yml.txt")
    original = copy.deepcopy(doc)
    user = "/etc/kubernetes/old/scheduler.yaml"
    assert ksc.rke_cluster_base(doc["services"], CONFIG_FILE) == (user, user, user)  # under RKE's /etc/kubernetes
    assert ksc.edit_rke_services(doc["services"], True, CONFIG_FILE, CONFIG_DIR) is True
    assert doc["services"]["scheduler"]["extra_args"]["config"] == CONFIG_FILE
    # config is ours now: the base comes from what our copy (or the pristine file) names
    assert ksc.rke_cluster_base(doc["services"], CONFIG_FILE, user) == (CONFIG_FILE, user, user)
    assert ksc.rke_cluster_base(doc["services"], CONFIG_FILE) == (CONFIG_FILE, "", "")
    assert ksc.edit_rke_services(doc["services"], False, CONFIG_FILE, CONFIG_DIR, base_config=user) is True
    assert doc == original
    # a config that is not ours is never removed or replaced by absent
    assert ksc.edit_rke_services(doc["services"], False, CONFIG_FILE, CONFIG_DIR) is False
    assert ksc.edit_rke_services(doc["services"], False, CONFIG_FILE, CONFIG_DIR, base_config="/x") is False
    assert doc == original


@pytest.mark.parametrize(
    ("container_path", "binds", "prefix", "host"),
    [
        ("/etc/kubernetes/custom/s.yaml", [], "/", "/etc/kubernetes/custom/s.yaml"),
        ("/etc/kubernetes/custom/s.yaml", [], "/opt/rke", "/opt/rke/etc/kubernetes/custom/s.yaml"),
        ("/etc/kubernetes/custom/s.yaml", [], None, "/etc/kubernetes/custom/s.yaml"),
        ("/etc/sched/s.yaml", ["/srv/sched:/etc/sched:ro"], "/", "/srv/sched/s.yaml"),
        ("/etc/sched/s.yaml", ["/srv/sched/:/etc/sched/"], "/", "/srv/sched/s.yaml"),
        ("/etc/sched.yaml", ["/srv/one.yaml:/etc/sched.yaml:ro,z"], "/", "/srv/one.yaml"),
        # the longest container path decides: a bind below RKE's /etc/kubernetes wins over it
        ("/etc/kubernetes/custom/s.yaml", ["/data/custom:/etc/kubernetes/custom"], "/", "/data/custom/s.yaml"),
        ("/etc/kubernetes/customs.yaml", ["/data/custom:/etc/kubernetes/custom"], "/", "/etc/kubernetes/customs.yaml"),
    ],
)
def test_rke_host_path(container_path, binds, prefix, host):
    assert ksc.rke_host_path(container_path, binds, prefix) == host


def test_rke_host_path_refuses_a_file_on_no_bind():
    with pytest.raises(ksc.KubeSchedulerConfigError, match=re.escape("/opt/sched.yaml is on no bind mount")):
        ksc.rke_host_path("/opt/sched.yaml", ["/srv/x:/srv/x", "not-a-bind"], "/")


def test_rke_config_in_extra_args_array_is_refused():
    services = {"scheduler": {"extra_args_array": {"config": ["/etc/kubernetes/a.yaml"]}}}
    with pytest.raises(ksc.KubeSchedulerConfigError, match="extra_args_array sets config"):
        ksc.rke_cluster_base(services, CONFIG_FILE)
    camel = {"scheduler": {"extraArgsArray": {"config": ["/etc/kubernetes/a.yaml"]}}}
    with pytest.raises(ksc.KubeSchedulerConfigError, match="extraArgsArray sets config"):
        ksc.rke_cluster_base(camel, CONFIG_FILE, camel_case=True)
    assert ksc.rke_cluster_base({"scheduler": {"extra_args_array": {"v": ["2"]}}}, CONFIG_FILE) == ("", "", "")


def test_merge_marker_names_the_container_path():
    base = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
    _api, files = ksc.build_scheduler_config(
        "v1.27.16", "rke1", URL, 100, "topolvm.io/capacity", CONFIG_DIR,
        base_text=base, base_path="/srv/sched/s.yaml", base_marker="/etc/sched/s.yaml",
    )  # fmt: skip
    assert ksc.base_config_of_copy(files["scheduler-config.yaml"]) == "/etc/sched/s.yaml"
    with pytest.raises(
        ksc.KubeSchedulerConfigError, match=re.escape("/srv/sched/s.yaml is kubescheduler.config.k8s.io/v1alpha1")
    ):
        ksc.build_scheduler_config(
            "v1.27.16", "rke1", URL, 100, "topolvm.io/capacity", CONFIG_DIR,
            base_text=base.replace("/v1", "/v1alpha1"), base_path="/srv/sched/s.yaml", base_marker="/etc/sched/s.yaml",
        )  # fmt: skip


def test_rancher_api_camel_case():
    cluster = json.loads(fixture_text("rancher-cluster.json"))
    services = cluster["rancherKubernetesEngineConfig"]["services"]
    assert ksc.edit_rke_services(services, True, CONFIG_FILE, CONFIG_DIR, camel_case=True) is True
    assert services["scheduler"] == {
        "extraArgs": {"config": CONFIG_FILE},
        "extraBinds": [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"],
    }


def test_rke_services_refuses_wrong_shapes():
    with pytest.raises(ksc.KubeSchedulerConfigError):
        ksc.edit_rke_services({"scheduler": {"extra_args": ["config=x"]}}, True, CONFIG_FILE, CONFIG_DIR)
    with pytest.raises(ksc.KubeSchedulerConfigError):
        ksc.edit_rke_services([], True, CONFIG_FILE, CONFIG_DIR)


# ------------------------------------------------------------------ RKE2


def test_rke2_config_present_absent():
    config = fixture_yaml("rke2-config.yaml.txt")
    original = copy.deepcopy(config)
    assert ksc.edit_rke2_config(config, True, CONFIG_FILE, CONFIG_DIR) is True
    assert config["kube-scheduler-arg"] == ["v=2", "config=" + CONFIG_FILE]
    assert config["kube-scheduler-extra-mount"] == [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"]
    assert config["token"] == original["token"]
    assert ksc.edit_rke2_config(config, True, CONFIG_FILE, CONFIG_DIR) is False
    assert ksc.edit_rke2_config(config, False, CONFIG_FILE, CONFIG_DIR) is True
    assert config == original


def test_rke2_config_replaces_old_values_and_accepts_a_string():
    config = {"kube-scheduler-arg": "config=/old.yaml", "kube-scheduler-extra-mount": [f"/srv/x:{CONFIG_DIR}"]}
    assert ksc.edit_rke2_config(config, True, CONFIG_FILE, CONFIG_DIR) is True
    assert config == {
        "kube-scheduler-arg": ["config=" + CONFIG_FILE],
        "kube-scheduler-extra-mount": [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"],
    }
    empty = {"token": "x"}
    assert ksc.edit_rke2_config(empty, False, CONFIG_FILE, CONFIG_DIR) is False
    assert empty == {"token": "x"}


def test_rke2_config_refuses_wrong_shapes():
    with pytest.raises(ksc.KubeSchedulerConfigError):
        ksc.edit_rke2_config({"kube-scheduler-arg": {"config": "x"}}, True, CONFIG_FILE, CONFIG_DIR)
    with pytest.raises(ksc.KubeSchedulerConfigError):
        ksc.edit_rke2_config(["x"], True, CONFIG_FILE, CONFIG_DIR)
