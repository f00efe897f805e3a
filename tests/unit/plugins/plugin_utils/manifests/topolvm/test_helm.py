# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every chart option of the topolvm role: the helm value path it sets and the rendered field it must match.

Each row: the role option, a non-default setting, the chart value path, the chart's default there, how the chart's
template turns the value into the field, and where render mode writes it. The helm value is merged into the default
as Helm does (tests/helpers/helm_merge, checked against the real helm in tests/integration/helm_values); the row
also checks that the setting changes the rendered field. The last test holds the rows complete against
roles/topolvm/meta/argument_specs.yml.

Facts: topolvm/topolvm chart 17.1.0 (tag topolvm-chart-v17.1.0, commit 83e3dcee2fd750e3c3f40f74faa90ced8e9676c7),
charts/topolvm/values.yaml and templates/{controller,node,lvmd,scheduler}/*.yaml, templates/storageclass.yaml,
templates/priorityclass.yaml, templates/certificates.yaml.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from helpers.helm_merge import merged_at

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import lvmd_yaml
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import helm, objects
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import (
    MAIN_CONTAINERS,
    POD_KNOBS,
)

ROOT = Path(__file__).resolve().parents[6]
CERTS = {
    "ca_bundle": base64.b64encode(b"-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n").decode(),
    "tls_crt": "CRT",
    "tls_key": "KEY",
}
SSD = {"name": "ssd", "volume_group": "vg-ssd", "default": True}
DAEMONSET = {"scheduling_mode": "extender-daemonset"}
DEPLOYMENT = {"scheduling_mode": "extender-deployment"}
LVMD = {"lvmd_managed": True}
CHART_REFERENCE = "0.41.0@sha256:5faf5b94557516ae0f6fa7d329a5a4305e22aa2dc464af7641b31f2aca618036"


class Knob(NamedTuple):
    option: str
    setting: dict
    path: tuple
    default: Any  # charts/topolvm/values.yaml at the path
    template: Callable  # merged value -> field, as the chart's template writes it
    field: Callable  # render objects -> field


def settings(**kwargs):
    return flt.with_defaults({"device_classes": [SSD], **kwargs})


def build(config):
    return objects.build_manifests(config, certificates=CERTS, dump=lvmd_yaml)


def obj(objs, kind, name=None):
    return next((o for o in objs if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)), None)


def workload(name):
    return lambda objs: next(
        (o for o in objs if o["kind"] in ("Deployment", "DaemonSet") and o["metadata"]["name"] == name), None
    )


def pod_spec(name):
    return lambda objs: workload(name)(objs)["spec"]["template"]["spec"]


def main(component, name):
    return lambda objs: next(c for c in pod_spec(name)(objs)["containers"] if c["name"] == MAIN_CONTAINERS[component])


def scheduler_pod_field(key):
    """A field of the scheduler's pod spec; None without a scheduler (storage-capacity mode)."""
    return lambda objs: (pod_spec(SCHEDULER)(objs) if workload(SCHEDULER)(objs) else {}).get(key)


def config_map(name, key):
    return lambda objs: yaml.safe_load(obj(objs, "ConfigMap", name)["data"][key])


def same(value):
    return value


def or_none(value):
    return value or None


def has(flag):
    return lambda value: flag if value else None


def flag_in(name, component, flag):
    return lambda objs: (
        flag
        if flag in main(component, name)(objs).get("command", []) + main(component, name)(objs).get("args", [])
        else None
    )


CONTROLLER, NODE, SCHEDULER, LVMD0 = "topolvm-controller", "topolvm-node", "topolvm-scheduler", "topolvm-lvmd-0"
WORKLOADS = {"controller": CONTROLLER, "node": NODE, "lvmd": LVMD0, "scheduler": SCHEDULER}
CHART_SCHEDULER_TOLERATIONS = [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
# <component>_pod: the chart's defaults at <component>.<value> (values.yaml)
POD_DEFAULTS = {
    ("scheduler", "tolerations"): CHART_SCHEDULER_TOLERATIONS,
    ("scheduler", "affinity"): helm.CHART_SCHEDULER_AFFINITY,
    ("scheduler", "priorityClassName"): "system-cluster-critical",
}
POD_SETTINGS = {
    "node_selector": {"storage": "yes"},
    "tolerations": [{"key": "storage", "operator": "Exists", "effect": "NoSchedule"}],
    "affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": []}},
    "resources": {"requests": {"cpu": "50m"}},
    "priority_class_name": "high",
    "args": ["--zap-log-level=debug"],
    "labels": {"team": "storage"},
    "annotations": {"example.com/owner": "storage"},
}
POD_ENABLE = {"lvmd": LVMD, "scheduler": DAEMONSET, "controller": {}, "node": {}}


def _pod_field(component, knob):
    name = WORKLOADS[component]

    def field(objs):
        template = workload(name)(objs)["spec"]["template"]
        target = {
            "pod": template["spec"],
            "container": main(component, name)(objs),
            "template": template["metadata"],
        }[knob.target]
        value = target.get(knob.field)
        if knob.key in ("labels", "annotations") and value:  # the selector's labels, the checksum stay beside
            value = {k: v for k, v in value.items() if k in POD_SETTINGS[knob.key]} or None
        return value

    return field


def _pod_knobs():
    rows = []
    for knob in POD_KNOBS:
        for component in knob.chart_components:
            path = (
                (component, knob.chart) if knob.chart else ("resources", MAIN_CONTAINERS[component].replace("-", "_"))
            )
            default = POD_DEFAULTS.get(path, [] if knob.key in ("tolerations", "args") else {})
            if knob.key == "priority_class_name" and path not in POD_DEFAULTS:
                default = None
            template = or_none
            if component == "controller" and knob.key == "affinity":
                template = json.loads  # controller.affinity is a template string in the chart
            setting = {f"{component}_pod": {knob.key: POD_SETTINGS[knob.key]}, **POD_ENABLE[component]}
            rows.append(Knob(f"{component}_pod", setting, path, default, template, _pod_field(component, knob)))
    return rows


def _storage_classes(objs):
    return sorted(
        (
            o["metadata"]["name"],
            o["parameters"].get("csi.storage.k8s.io/fstype"),
            o.get("reclaimPolicy"),
            o["metadata"].get("annotations", {}).get("storageclass.kubernetes.io/is-default-class") == "true",
        )
        for o in objs
        if o["kind"] == "StorageClass"
    )


def _chart_storage_classes(entries):
    # templates/storageclass.yaml: name, parameters csi.storage.k8s.io/fstype from fsType, reclaimPolicy,
    # the default-class annotation from isDefaultClass.
    return sorted(
        (
            e["name"],
            e["storageClass"]["fsType"],
            e["storageClass"]["reclaimPolicy"],
            bool(e["storageClass"]["isDefaultClass"]),
        )
        for e in entries
    )


def _scheduler_options(objs):
    document = config_map("topolvm-scheduler-options", "scheduler-options.yaml")(objs)
    document.pop("listen")
    return document


CHART_STORAGE_CLASSES = [
    {
        "name": "topolvm-provisioner",
        "storageClass": {"fsType": "xfs", "reclaimPolicy": None, "isDefaultClass": False},
    }
]
NODES = [
    {"name": "big1", "device_classes": [SSD, {"name": "hdd", "volume_group": "vg-hdd"}]},
    {"name": "small1", "device_classes": [SSD]},
]
KNOBS = [
    *_pod_knobs(),
    Knob(
        "version",
        {"version": "0.40.0"},
        ("image", "reference"),
        CHART_REFERENCE,
        same,
        lambda o: main("controller", CONTROLLER)(o)["image"].split(":", 1)[1],
    ),
    Knob(
        "image_tag",
        {"image_tag": "0.41.0-custom"},
        ("image", "reference"),
        CHART_REFERENCE,
        same,
        lambda o: main("node", NODE)(o)["image"].split(":", 1)[1],
    ),
    Knob(
        "image_digest",
        {"image_digest": "sha256:" + "0" * 64},
        ("image", "reference"),
        CHART_REFERENCE,
        same,
        lambda o: main("node", NODE)(o)["image"].split(":", 1)[1],
    ),
    Knob(
        "image_repository",
        {"image_repository": "mirror.example/topolvm"},
        ("image", "repository"),
        "ghcr.io/topolvm/topolvm-with-sidecar",
        same,
        lambda o: main("node", NODE)(o)["image"].split(":", 1)[0],
    ),
    Knob(
        "image_pull_policy",
        {"image_pull_policy": "Always"},
        ("image", "pullPolicy"),
        None,
        same,
        lambda o: main("controller", CONTROLLER)(o).get("imagePullPolicy"),
    ),
    Knob(
        "name",
        {"name": "storage"},
        ("fullnameOverride",),
        "",
        lambda v: f"{v}-controller",
        lambda o: next(
            x["metadata"]["name"] for x in o if x["kind"] == "Deployment" and "controller" in x["metadata"]["name"]
        ),
    ),
    Knob(
        "legacy",
        {"legacy": True},
        ("useLegacy",),
        False,
        lambda v: "topolvm.cybozu.com" if v else "topolvm.io",
        lambda o: obj(o, "CSIDriver")["metadata"]["name"],
    ),
    Knob(
        "scheduling_mode",
        DAEMONSET,
        ("scheduler", "enabled"),
        False,
        bool,
        lambda o: workload(SCHEDULER)(o) is not None,
    ),
    Knob(
        "scheduling_mode",
        DEPLOYMENT,
        ("scheduler", "type"),
        "daemonset",
        lambda v: "DaemonSet" if v == "daemonset" else "Deployment",
        lambda o: (workload(SCHEDULER)(o) or {"kind": "DaemonSet"})["kind"],
    ),
    Knob(
        "scheduling_mode",
        DAEMONSET,
        ("controller", "storageCapacityTracking", "enabled"),
        True,
        bool,
        lambda o: obj(o, "CSIDriver")["spec"].get("storageCapacity", False),
    ),
    Knob(
        "distribution",
        {"distribution": "rke2", **DAEMONSET},
        ("scheduler", "affinity"),
        helm.CHART_SCHEDULER_AFFINITY,
        or_none,
        scheduler_pod_field("affinity"),
    ),
    Knob(
        "distribution",
        {"distribution": "rke1", **DAEMONSET},
        ("scheduler", "tolerations"),
        CHART_SCHEDULER_TOLERATIONS,
        or_none,
        scheduler_pod_field("tolerations"),
    ),
    Knob(
        "kubernetes_version",
        {"kubernetes_version": "1.24", **DAEMONSET},
        ("scheduler", "affinity"),
        helm.CHART_SCHEDULER_AFFINITY,
        or_none,
        scheduler_pod_field("affinity"),
    ),
    Knob(
        "device_classes",
        {"device_classes": [dict(SSD, spare_gb=5)], **LVMD},
        ("lvmd", "deviceClasses"),
        [{"name": "ssd", "volume-group": "myvg1", "default": True, "spare-gb": 10}],
        same,
        lambda o: (
            config_map("topolvm-lvmd-0", "lvmd.yaml")(o)["device-classes"]
            if obj(o, "ConfigMap", "topolvm-lvmd-0")
            else None
        ),
    ),
    Knob(
        "nodes",
        {"nodes": NODES, "device_classes": [], **LVMD},
        ("lvmd", "additionalConfigs"),
        [],
        lambda v: 1 + len(v),
        lambda o: sum(1 for x in o if x["kind"] == "DaemonSet" and "-lvmd-" in x["metadata"]["name"]) or 1,
    ),
    Knob(
        "node_label",
        {"nodes": NODES, "device_classes": [], "node_label": "example.com/lvmd", **LVMD},
        ("lvmd", "nodeSelector"),
        {},
        or_none,
        lambda o: pod_spec(LVMD0)(o).get("nodeSelector"),
    ),
    Knob(
        "storage_classes",
        {"storage_classes": [{"name": "fast", "device_class": "ssd", "fstype": "ext4", "reclaim_policy": "Retain"}]},
        ("storageClasses",),
        CHART_STORAGE_CLASSES,
        _chart_storage_classes,
        _storage_classes,
    ),
    Knob(
        "default_fstype",
        {"default_fstype": "ext4"},
        ("storageClasses",),
        CHART_STORAGE_CLASSES,
        _chart_storage_classes,
        _storage_classes,
    ),
    Knob(
        "default_storage_class",
        {"default_storage_class": "topolvm-ssd"},
        ("storageClasses",),
        CHART_STORAGE_CLASSES,
        _chart_storage_classes,
        _storage_classes,
    ),
    Knob("lvmd_managed", LVMD, ("lvmd", "managed"), True, bool, lambda o: workload(LVMD0)(o) is not None),
    Knob(
        "lvmd_socket",
        {"lvmd_socket": "/run/lvmd/lvmd.sock"},
        ("node", "lvmdSocket"),
        "/run/topolvm/lvmd.sock",
        lambda v: f"--lvmd-socket={v}",
        lambda o: next(a for a in main("node", NODE)(o)["command"] if a.startswith("--lvmd-socket=")),
    ),
    Knob(
        "kubelet_dir",
        {"kubelet_dir": "/var/lib/k0s/kubelet"},
        ("node", "kubeletWorkDirectory"),
        "/var/lib/kubelet",
        lambda v: f"{v}/plugins_registry/",
        lambda o: next(v["hostPath"]["path"] for v in pod_spec(NODE)(o)["volumes"] if v["name"] == "registration-dir"),
    ),
    Knob(
        "controller_replicas",
        {"controller_replicas": 3},
        ("controller", "replicaCount"),
        2,
        same,
        lambda o: workload(CONTROLLER)(o)["spec"]["replicas"],
    ),
    Knob(
        "scheduler_replicas",
        {"scheduler_replicas": 3, **DEPLOYMENT},
        ("scheduler", "deployment", "replicaCount"),
        2,
        same,
        lambda o: (workload(SCHEDULER)(o) or {"spec": {}})["spec"].get("replicas"),
    ),
    Knob(
        "scheduler_port",
        {"scheduler_port": 9252, **DEPLOYMENT},
        ("scheduler", "options", "listen", "port"),
        9251,
        same,
        lambda o: (
            main("scheduler", SCHEDULER)(o)["readinessProbe"]["httpGet"]["port"] if workload(SCHEDULER)(o) else None
        ),
    ),
    Knob(
        "scheduler_service_type",
        {"scheduler_service_type": "NodePort", **DEPLOYMENT},
        ("scheduler", "service", "type"),
        "LoadBalancer",
        same,
        lambda o: (obj(o, "Service", SCHEDULER) or {"spec": {}})["spec"].get("type"),
    ),
    Knob(
        "scheduler_service_cluster_ip",
        {"scheduler_service_cluster_ip": "10.96.0.99", **DEPLOYMENT},
        ("scheduler", "service", "clusterIP"),
        None,
        same,
        lambda o: (obj(o, "Service", SCHEDULER) or {"spec": {}})["spec"].get("clusterIP"),
    ),
    Knob(
        "snapshot",
        {"snapshot": False},
        ("snapshot", "enabled"),
        True,
        bool,
        lambda o: any(c["name"] == "csi-snapshotter" for c in pod_spec(CONTROLLER)(o)["containers"]),
    ),
    Knob(
        "priority_class",
        {"priority_class": False},
        ("priorityClass", "enabled"),
        True,
        bool,
        lambda o: obj(o, "PriorityClass") is not None,
    ),
    Knob(
        "lvcreate_option_classes",
        {"lvcreate_option_classes": [{"name": "raid1", "options": ["--type=raid1"]}], **LVMD},
        ("lvmd", "lvcreateOptionClasses"),
        [],
        or_none,
        lambda o: (
            config_map("topolvm-lvmd-0", "lvmd.yaml")(o).get("lvcreate-option-classes")
            if obj(o, "ConfigMap", "topolvm-lvmd-0")
            else None
        ),
    ),
    Knob(
        "lvmd_embedded",
        {"lvmd_embedded": True},
        ("node", "lvmdEmbedded"),
        False,
        has("--embed-lvmd"),
        flag_in(NODE, "node", "--embed-lvmd"),
    ),
    Knob(
        "scheduler_default_divisor",
        {"scheduler_default_divisor": 10, **DAEMONSET},
        ("scheduler", "schedulerOptions"),
        {},
        lambda v: v or {"default-divisor": 1},
        lambda o: _scheduler_options(o) if workload(SCHEDULER)(o) else None,
    ),
    Knob(
        "scheduler_divisors",
        {"scheduler_divisors": {"ssd": 5}, **DAEMONSET},
        ("scheduler", "schedulerOptions"),
        {},
        lambda v: v or {"default-divisor": 1},
        lambda o: _scheduler_options(o) if workload(SCHEDULER)(o) else None,
    ),
    Knob(
        "controller_skip_node_finalize",
        {"controller_skip_node_finalize": True},
        ("controller", "nodeFinalize", "skipped"),
        False,
        has("--skip-node-finalize"),
        flag_in(CONTROLLER, "controller", "--skip-node-finalize"),
    ),
    Knob(
        "pod_monitors",
        {"pod_monitors": ["node"]},
        ("node", "prometheus", "podMonitor", "enabled"),
        False,
        bool,
        lambda o: obj(o, "PodMonitor") is not None,
    ),
    Knob(
        "pod_monitor_labels",
        {"pod_monitors": ["node"], "pod_monitor_labels": {"release": "prom"}},
        ("node", "prometheus", "podMonitor", "additionalLabels"),
        {},
        lambda v: v.get("release"),
        lambda o: (obj(o, "PodMonitor") or {"metadata": {"labels": {}}})["metadata"]["labels"].get("release"),
    ),
    Knob(
        "cert_mode",
        {"cert_mode": "cert-manager", **DAEMONSET},
        ("webhook", "certManager"),
        True,
        bool,
        lambda o: obj(o, "Issuer") is not None,
    ),
]
ENABLERS = ("scheduling_mode", "lvmd_managed", "nodes", "device_classes")
NOT_CHART = {
    "state",
    "output",
    "render_dir",
    "allow_naming_switch",
    "cert_dir",
    "cert_valid_days",
    "cert_renew_days",
    "cert_manager_install",
    "cert_manager_version",
    "cert_manager_manifest",
    "cert_manager_namespace",
    "kubeconfig",
    "context",
    "wait_timeout",
    "uninstall_keep_crd",
    "helm_binary",
    "helm_chart_version",
    "helm_repo_url",
    "namespace",  # the Helm release's namespace
    "helm_values",  # passed to the chart as they are (merged over the role's values)
    "node_group",  # the inventory group the role builds topolvm_nodes from (row nodes)
}


@pytest.mark.parametrize("knob", KNOBS, ids=[f"{k.option}:{'.'.join(k.path)}" for k in KNOBS])
def test_knob_reaches_render_and_helm_alike(knob):
    config = settings(**knob.setting)
    values = helm.helm_values(config, certificates=CERTS)
    wanted = knob.field(build(config))
    assert knob.template(merged_at(knob.default, values, knob.path)) == wanted
    # The same settings without the option (the modes it needs kept) render another field: the row can fail.
    unchanged = {} if knob.option in ENABLERS else {k: v for k, v in knob.setting.items() if k in ENABLERS}
    assert wanted != knob.field(build(settings(**unchanged)))


def test_every_option_is_a_row_or_said_not_to_be_a_chart_value():
    spec = yaml.safe_load((ROOT / "roles/topolvm/meta/argument_specs.yml").read_text(encoding="utf-8"))
    options = {name.removeprefix("topolvm_") for name in spec["argument_specs"]["main"]["options"]}
    assert {k.option for k in KNOBS} | NOT_CHART == options
