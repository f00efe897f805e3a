# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chart's knobs the role now has: each set once in the settings, seen in the objects and in the helm values."""

from __future__ import annotations

import base64
import json

import pytest
import yaml
from helpers.helm_merge import coalesce

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import lvmd_yaml
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import helm, objects
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import TopolvmConfigError

CA = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n").decode()
CERTS = {"ca_bundle": CA, "tls_crt": "CRT", "tls_key": "KEY"}
DCS = [
    {"name": "ssd", "volume_group": "vg-ssd", "default": True},
    {"name": "hdd", "volume_group": "vg-hdd"},
]
POD = {
    "node_selector": {"storage": "yes"},
    "tolerations": [{"key": "storage", "operator": "Exists", "effect": "NoSchedule"}],
    "affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": []}},
    "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}},
    "priority_class_name": "system-node-critical",
    "args": ["--zap-log-level=debug"],
    "labels": {"team": "storage"},
}


def settings(**kwargs):
    return flt.with_defaults({"device_classes": DCS, **kwargs})


def build(config):
    return objects.build_manifests(config, certificates=CERTS, dump=lvmd_yaml)


def values(config, **kwargs):
    return helm.helm_values(config, certificates=CERTS, **kwargs)


def workload(objs, name):
    return next(o for o in objs if o["kind"] in ("Deployment", "DaemonSet") and o["metadata"]["name"] == name)


def main_container(obj):
    return obj["spec"]["template"]["spec"]["containers"][0]


@pytest.mark.parametrize(
    ("component", "workload_name", "extra"),
    [
        ("controller", "topolvm-controller", {}),
        ("node", "topolvm-node", {}),
        ("lvmd", "topolvm-lvmd-0", {"lvmd_managed": True}),
        ("scheduler", "topolvm-scheduler", {"scheduling_mode": "extender-daemonset"}),
    ],
)
def test_pod_knobs_reach_the_workload_and_the_chart(component, workload_name, extra):
    config = settings(**{f"{component}_pod": POD, **extra})
    obj = workload(build(config), workload_name)
    spec = obj["spec"]["template"]["spec"]
    assert spec["nodeSelector"] == {"storage": "yes"}
    assert spec["tolerations"] == POD["tolerations"]
    assert spec["affinity"] == POD["affinity"]
    assert spec["priorityClassName"] == "system-node-critical"
    assert main_container(obj)["resources"] == POD["resources"]
    assert main_container(obj)["args"] == ["--zap-log-level=debug"]
    labels = obj["spec"]["template"]["metadata"]["labels"]
    assert labels["team"] == "storage"
    assert obj["spec"]["selector"]["matchLabels"].items() <= labels.items()
    # Other components keep the role's own values.
    other = workload(build(config), "topolvm-controller" if component != "controller" else "topolvm-node")
    assert "nodeSelector" not in other["spec"]["template"]["spec"]
    chart = values(config)
    part = chart[component]
    assert part["nodeSelector"] == {"storage": "yes"}
    assert part["tolerations"] == POD["tolerations"]
    assert part["priorityClassName"] == "system-node-critical"
    assert part["args"] == ["--zap-log-level=debug"]
    assert part["podLabels"] == {"team": "storage"}
    # controller.affinity is a template string in the chart; the others are objects, merged by Helm into the chart's
    # default (scheduler.affinity has one: the role's value names its other keys with null).
    affinity = json.loads(part["affinity"]) if component == "controller" else part["affinity"]
    chart_default = helm.CHART_SCHEDULER_AFFINITY if component == "scheduler" else {}
    assert coalesce({"affinity": chart_default}, {"affinity": affinity})["affinity"] == POD["affinity"]
    container_key = {"controller": "topolvm_controller", "node": "topolvm_node"}.get(component, component)
    if component == "scheduler":
        container_key = "topolvm_scheduler"
    assert chart["resources"][container_key] == POD["resources"]


def test_without_knobs_the_role_keeps_its_placement():
    objs = build(settings(scheduling_mode="extender-daemonset"))
    controller = workload(objs, "topolvm-controller")["spec"]["template"]["spec"]
    assert "podAntiAffinity" in controller["affinity"]
    scheduler = workload(objs, "topolvm-scheduler")["spec"]["template"]["spec"]
    assert scheduler["priorityClassName"] == "system-cluster-critical"
    assert "args" not in main_container(workload(objs, "topolvm-node"))


def test_pod_annotations_where_the_chart_has_them():
    config = settings(node_pod={"annotations": {"a": "b"}}, controller_pod={"annotations": {"c": "d"}})
    objs = build(config)
    assert workload(objs, "topolvm-node")["spec"]["template"]["metadata"]["annotations"] == {"a": "b"}
    chart = values(config)
    assert chart["node"]["podAnnotations"] == {"a": "b"}
    assert chart["controller"]["podAnnotations"] == {"c": "d"}
    lvmd = settings(lvmd_managed=True, lvmd_pod={"annotations": {"a": "b"}})
    annotations = workload(build(lvmd), "topolvm-lvmd-0")["spec"]["template"]["metadata"]["annotations"]
    assert annotations == {"checksum/config": annotations["checksum/config"], "a": "b"}
    with pytest.raises(TopolvmConfigError, match="no pod annotations for lvmd"):
        values(lvmd)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"node_pod": {"nodeSelector": {}}}, "unknown key"),
        ({"node_pod": {"labels": {"app.kubernetes.io/component": "x"}}}, "selector uses them"),
        ({"node_pod": {"args": "--x"}}, "list of strings"),
        ({"node_pod": {"tolerations": {"key": "x"}}}, "list of tolerations"),
        ({"lvcreate_option_classes": [{"name": "raid1", "options": ["--type=raid1"]}]}, "need lvmd_managed"),
        ({"lvmd_managed": True, "lvmd_embedded": True}, "exclude each other"),
        ({"scheduler_divisors": {"nvme": 2}}, "not in device_classes"),
        ({"scheduler_default_divisor": 0}, "greater than 0"),
        ({"pod_monitors": ["scheduler"]}, "pod_monitors"),
        ({"pod_monitors": ["lvmd"]}, "lvmd_managed"),
        (
            {"lvmd_managed": True, "storage_classes": [{"name": "x", "lvcreate_option_class": "raid1"}]},
            "not in lvcreate_option_classes",
        ),
    ],
)
def test_bad_knobs_are_refused(change, message):
    with pytest.raises(TopolvmConfigError, match=message):
        build(settings(**change))


def test_lvcreate_option_classes_in_lvmd_yaml_storage_class_and_chart():
    option_classes = [{"name": "raid1", "options": ["--type=raid1", "--mirrors=1"]}]
    config = settings(
        lvmd_managed=True,
        lvcreate_option_classes=option_classes,
        storage_classes=[{"name": "mirrored", "device_class": "ssd", "lvcreate_option_class": "raid1"}],
    )
    objs = build(config)
    text = next(o for o in objs if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "topolvm-lvmd-0")
    lvmd = yaml.safe_load(text["data"]["lvmd.yaml"])
    assert lvmd["lvcreate-option-classes"] == option_classes
    sc = next(o for o in objs if o["kind"] == "StorageClass")
    assert sc["parameters"]["topolvm.io/lvcreate-option-class"] == "raid1"
    chart = values(config)
    assert chart["lvmd"]["lvcreateOptionClasses"] == option_classes
    assert chart["storageClasses"][0]["storageClass"]["additionalParameters"]["topolvm.io/lvcreate-option-class"] == (
        "raid1"
    )


def test_lvmd_embedded_in_topolvm_node():
    config = settings(lvmd_embedded=True)
    objs = build(config)
    node = workload(objs, "topolvm-node")
    spec = node["spec"]["template"]["spec"]
    assert spec["hostPID"] is True
    command = main_container(node)["command"]
    assert "--embed-lvmd" in command
    assert not [c for c in command if c.startswith("--lvmd-socket")]
    assert {"name": "config", "mountPath": "/etc/topolvm"} in main_container(node)["volumeMounts"]
    assert {"name": "config", "configMap": {"name": "topolvm-lvmd-0"}} in spec["volumes"]
    configmap = next(o for o in objs if o["kind"] == "ConfigMap")
    # No socket: lvmd runs inside topolvm-node (templates/lvmd/configmap.yaml leaves socket-name out).
    assert "socket-name" not in yaml.safe_load(configmap["data"]["lvmd.yaml"])
    assert not [o for o in objs if o["metadata"]["name"] == "topolvm-lvmd-0" and o["kind"] == "DaemonSet"]
    chart = values(config)
    assert chart["node"]["lvmdEmbedded"] is True
    assert chart["lvmd"]["managed"] is False


def test_scheduler_divisors():
    config = settings(
        scheduling_mode="extender-deployment", scheduler_default_divisor=2, scheduler_divisors={"hdd": 10}
    )
    objs = build(config)
    options = next(o for o in objs if o["metadata"]["name"] == "topolvm-scheduler-options")["data"]
    parsed = yaml.safe_load(options["scheduler-options.yaml"])
    assert parsed == {"listen": ":9251", "default-divisor": 2, "divisors": {"hdd": 10}}
    assert values(config)["scheduler"]["schedulerOptions"] == {"default-divisor": 2, "divisors": {"hdd": 10}}
    # The chart's default when nothing is set.
    default = next(o for o in build(settings(scheduling_mode="extender-daemonset")) if o["kind"] == "ConfigMap")
    assert yaml.safe_load(default["data"]["scheduler-options.yaml"]) == {
        "listen": "localhost:9251",
        "default-divisor": 1,
    }


def test_skip_node_finalize():
    config = settings(controller_skip_node_finalize=True)
    command = main_container(workload(build(config), "topolvm-controller"))["command"]
    assert command[-1] == "--skip-node-finalize"
    assert values(config)["controller"]["nodeFinalize"] == {"skipped": True}
    assert "--skip-node-finalize" not in main_container(workload(build(settings()), "topolvm-controller"))["command"]


def test_pod_monitors():
    config = settings(lvmd_managed=True, pod_monitors=["controller", "lvmd"], pod_monitor_labels={"release": "prom"})
    monitors = [o for o in build(config) if o["kind"] == "PodMonitor"]
    assert [m["metadata"]["name"] for m in monitors] == ["topolvm-controller", "topolvm-lvmd"]
    assert monitors[1]["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] == "lvmd"
    assert monitors[0]["metadata"]["labels"]["release"] == "prom"
    assert monitors[0]["spec"]["podMetricsEndpoints"] == [{"path": "/metrics", "port": "metrics"}]
    chart = values(config)
    assert chart["controller"]["prometheus"]["podMonitor"] == {"enabled": True, "additionalLabels": {"release": "prom"}}
    assert chart["node"]["prometheus"]["podMonitor"]["enabled"] is False
    assert chart["lvmd"]["prometheus"]["podMonitor"]["enabled"] is True


def test_helm_values_overrides_are_deep_merged():
    overrides = {
        "controller": {"replicaCount": 3, "updateStrategy": {"type": "Recreate"}},
        "image": {"pullSecrets": ["s"]},
    }
    chart = values(settings(), overrides=overrides)
    assert chart["controller"]["replicaCount"] == 3
    assert chart["controller"]["updateStrategy"] == {"type": "Recreate"}
    # Derived values beside an override are kept.
    assert chart["controller"]["storageCapacityTracking"] == {"enabled": True}
    assert chart["image"]["repository"] == "ghcr.io/topolvm/topolvm-with-sidecar"
    assert chart["image"]["pullSecrets"] == ["s"]
    # Lists are replaced, not appended (as helm merges values files).
    replaced = values(settings(), overrides={"webhook": {"podMutatingWebhook": {"ignoreNamespaces": ["x"]}}})
    assert replaced["webhook"]["podMutatingWebhook"]["ignoreNamespaces"] == ["x"]
    assert flt.topolvm_helm_values({"device_classes": DCS}, overrides={"snapshot": {"enabled": False}})["snapshot"] == {
        "enabled": False
    }
    with pytest.raises(TopolvmConfigError, match="helm_values must be a dict"):
        values(settings(), overrides=["x"])
