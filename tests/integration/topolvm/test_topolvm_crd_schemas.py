# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The custom kinds of the TopoLVM role against the schemas in tests/integration/crd_schemas.

kubernetes-validate ships only Kubernetes' own kinds. The VolumeSnapshotClasses (``topolvm_snapshot`` with thin
device classes), the PodMonitors (``topolvm_pod_monitors``) and the smoke test's VolumeSnapshot are checked with
JSON schemas written from the upstream CRDs (external-snapshotter v8.6.0, prometheus-operator v0.93.0). Here: the
schemas themselves, every such object of render/apply mode and of helm mode (the VolumeSnapshotClasses the role
applies beside the chart, the PodMonitors the chart renders from the role's values, written by hand from chart
17.1.0's templates/<component>/podmonitor.yaml), and wrong objects the schemas must refuse.
"""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from k8s_schema_helpers import CRD_SCHEMA_DIR, crd_schema_path, shipped_versions, validate_object

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt

VERSIONS = shipped_versions()
NEWEST = VERSIONS[-1]
CRD_KINDS = {
    ("snapshot.storage.k8s.io/v1", "VolumeSnapshotClass"): "kubernetes-csi/external-snapshotter v8.6.0",
    ("snapshot.storage.k8s.io/v1", "VolumeSnapshot"): "kubernetes-csi/external-snapshotter v8.6.0",
    ("monitoring.coreos.com/v1", "PodMonitor"): "prometheus-operator/prometheus-operator v0.93.0",
}
DEVICE_CLASSES = [
    {"name": "ssd", "volume_group": "vg-ssd", "default": True},
    {
        "name": "thin",
        "volume_group": "vg-ssd",
        "type": "thin",
        "thin_pool": {"name": "pool0", "overprovision_ratio": 5},
    },
    {"name": "thin_hdd", "volume_group": "vg-hdd", "thin_pool": {"name": "pool1", "overprovision_ratio": 2}},
]
CONFIG = {
    "device_classes": DEVICE_CLASSES,
    "lvmd_managed": True,
    "pod_monitors": ["controller", "node", "lvmd"],
    "pod_monitor_labels": {"release": "prometheus"},
}


def custom_objects(objects):
    return [o for o in objects if (o["apiVersion"], o["kind"]) in CRD_KINDS]


# --------------------------------------------------------------------------- the schemas


@pytest.mark.parametrize(("api_version", "kind"), list(CRD_KINDS), ids=lambda v: v)
def test_each_custom_kind_has_a_schema_that_names_its_source(api_version, kind):
    path = crd_schema_path(api_version, kind)
    assert path is not None
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validators.Draft202012Validator.check_schema(schema)
    assert schema["$comment"].startswith(f"{kind} {api_version}, written for the lvmkube.cluster tests from")
    assert CRD_KINDS[(api_version, kind)] in schema["$comment"]
    assert schema["properties"]["kind"]["enum"] == [kind]
    assert schema["properties"]["apiVersion"]["enum"] == [api_version]


def test_no_other_schema_files():
    # cluster-provisioning-v1.json: Rancher's provisioning Cluster, validated by the rancher_v2_cluster_scheduler tests.
    assert sorted(p.name for p in CRD_SCHEMA_DIR.iterdir()) == [
        "cluster-provisioning-v1.json",
        "podmonitor-monitoring-v1.json",
        "volumesnapshot-snapshot-v1.json",
        "volumesnapshotclass-snapshot-v1.json",
    ]


# --------------------------------------------------------------------------- render and apply mode


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("legacy", [False, True], ids=["io", "legacy"])
def test_render_and_apply_custom_objects_are_valid(version, legacy):
    objects = flt.topolvm_manifests({**CONFIG, "kubernetes_version": version, "legacy": legacy})
    custom = custom_objects(objects)
    assert sorted((o["kind"], o["metadata"]["name"]) for o in custom) == [
        ("PodMonitor", "topolvm-controller"),
        ("PodMonitor", "topolvm-lvmd"),
        ("PodMonitor", "topolvm-node"),
        ("VolumeSnapshotClass", "topolvm-thin"),
        ("VolumeSnapshotClass", "topolvm-thin-hdd"),
    ]
    assert {validate_object(o, version) for o in custom} == {"crd"}


@pytest.mark.parametrize("version", [VERSIONS[0], NEWEST])
def test_smoke_snapshot_is_valid(version):
    objs = flt.topolvm_smoke_snapshot_objects("topolvm-thin", "topolvm-thin", marker="m")
    assert validate_object(objs["snapshot"], version) == "crd"


# --------------------------------------------------------------------------- helm mode


def helm_mode_snapshot_classes(config):
    """The VolumeSnapshotClasses tasks/helm.yml applies beside the chart (the chart has none)."""
    return [o for o in flt.topolvm_manifests(config) if o["kind"] == "VolumeSnapshotClass"]


def chart_pod_monitor(values, component, *, release, namespace, chart_version="17.1.0", app_version="0.41.0"):
    """The PodMonitor chart 17.1.0 renders for one component (templates/<component>/podmonitor.yaml), or None."""
    monitor = values[component]["prometheus"]["podMonitor"]
    if not monitor.get("enabled"):
        return None
    name = values.get("nameOverride") or "topolvm"
    full = values.get("fullnameOverride") or (release if name in release else f"{release}-{name}")
    selector = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": release}
    labels = {
        "helm.sh/chart": f"topolvm-{chart_version}",
        **selector,
        "app.kubernetes.io/version": app_version,
        "app.kubernetes.io/managed-by": "Helm",
        **monitor.get("additionalLabels", {}),
    }
    endpoint = {"path": "/metrics", "port": "metrics"}
    for key in ("interval", "scrapeTimeout", "relabelings", "metricRelabelings"):
        if monitor.get(key):  # the template's `with`: empty values are left out
            endpoint[key] = copy.deepcopy(monitor[key])
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PodMonitor",
        "metadata": {
            "name": f"{full}-{component}",
            "namespace": monitor.get("namespace") or namespace,
            "labels": labels,
        },
        "spec": {
            "selector": {"matchLabels": {"app.kubernetes.io/component": component, **selector}},
            "namespaceSelector": {"matchNames": [namespace]},
            "podMetricsEndpoints": [endpoint],
        },
    }


def helm_mode_pod_monitors(config, overrides=None):
    values = flt.topolvm_helm_values(config, overrides=overrides)
    settings = flt.with_defaults(config)
    monitors = [
        chart_pod_monitor(values, component, release=settings["name"], namespace=settings["namespace"])
        for component in ("controller", "node", "lvmd")
    ]
    return [m for m in monitors if m is not None]


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_helm_mode_custom_objects_are_valid(version):
    config = {**CONFIG, "kubernetes_version": version}
    classes = helm_mode_snapshot_classes(config)
    assert [o["metadata"]["name"] for o in classes] == ["topolvm-thin", "topolvm-thin-hdd"]
    monitors = helm_mode_pod_monitors(config)
    assert [m["metadata"]["name"] for m in monitors] == ["topolvm-controller", "topolvm-node", "topolvm-lvmd"]
    assert {validate_object(o, version) for o in classes + monitors} == {"crd"}


def test_helm_mode_pod_monitors_scrape_what_apply_mode_scrapes():
    applied = {o["metadata"]["name"]: o for o in flt.topolvm_manifests(CONFIG) if o["kind"] == "PodMonitor"}
    for monitor in helm_mode_pod_monitors(CONFIG):
        mine = applied[monitor["metadata"]["name"]]
        assert mine["metadata"]["namespace"] == monitor["metadata"]["namespace"]
        assert mine["spec"] == monitor["spec"]
        assert mine["metadata"]["labels"]["release"] == monitor["metadata"]["labels"]["release"] == "prometheus"


def test_helm_mode_pod_monitor_with_the_charts_scrape_settings_is_valid():
    overrides = {
        "node": {
            "prometheus": {
                "podMonitor": {
                    "interval": "30s",
                    "scrapeTimeout": "10s",
                    "relabelings": [{"sourceLabels": ["__meta_kubernetes_pod_node_name"], "targetLabel": "node"}],
                    "metricRelabelings": [{"action": "drop", "regex": "go_.*", "sourceLabels": ["__name__"]}],
                }
            }
        }
    }
    node = next(m for m in helm_mode_pod_monitors(CONFIG, overrides) if m["metadata"]["name"] == "topolvm-node")
    assert node["spec"]["podMetricsEndpoints"][0]["interval"] == "30s"
    assert validate_object(node, NEWEST) == "crd"
    # The role passes topolvm_helm_values through as they are: a wrong one reaches the PodMonitor, and the
    # schema finds it.
    overrides["node"]["prometheus"]["podMonitor"]["interval"] = "30 seconds"
    node = next(m for m in helm_mode_pod_monitors(CONFIG, overrides) if m["metadata"]["name"] == "topolvm-node")
    with pytest.raises(AssertionError, match="podMetricsEndpoints/0/interval"):
        validate_object(node, NEWEST)


# --------------------------------------------------------------------------- wrong objects are refused


def _rendered(kind, name):
    objects = flt.topolvm_manifests({**CONFIG, "kubernetes_version": NEWEST})
    return copy.deepcopy(next(o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name))


def _without(obj, *path):
    *parents, last = path
    target = obj
    for key in parents:
        target = target[key]
    del target[last]
    return obj


def _set(obj, value, *path):
    *parents, last = path
    target = obj
    for key in parents:
        target = target[key]
    target[last] = value
    return obj


def _snapshot():
    return copy.deepcopy(flt.topolvm_smoke_snapshot_objects("topolvm-thin", "topolvm-thin")["snapshot"])


BAD_OBJECTS = [
    # VolumeSnapshotClass: the CRD's enum, its required fields, its types, unknown fields, ObjectMeta.
    ("VolumeSnapshotClass", lambda o: _set(o, "Remove", "deletionPolicy"), "deletionPolicy: 'Remove' is not one of"),
    ("VolumeSnapshotClass", lambda o: _without(o, "driver"), "'driver' is a required property"),
    ("VolumeSnapshotClass", lambda o: _without(o, "deletionPolicy"), "'deletionPolicy' is a required property"),
    ("VolumeSnapshotClass", lambda o: _set(o, {"size": 1}, "parameters"), "parameters/size: 1 is not of type"),
    ("VolumeSnapshotClass", lambda o: _set(o, "topolvm.io", "provisioner"), "'provisioner' was unexpected"),
    ("VolumeSnapshotClass", lambda o: _set(o, {"a": 1}, "metadata", "labels"), "metadata/labels/a: 1 is not of type"),
    ("VolumeSnapshotClass", lambda o: _set(o, "x", "metadata", "lables"), "'lables' was unexpected"),
    # VolumeSnapshot: the source is exactly one of a claim or an existing content; the class name is not empty.
    ("VolumeSnapshot", lambda o: _set(o, "content-1", "spec", "source", "volumeSnapshotContentName"), "source"),
    ("VolumeSnapshot", lambda o: _set(o, {}, "spec", "source"), "spec/source"),
    ("VolumeSnapshot", lambda o: _without(o, "spec", "source"), "'source' is a required property"),
    ("VolumeSnapshot", lambda o: _set(o, "", "spec", "volumeSnapshotClassName"), "volumeSnapshotClassName"),
    ("VolumeSnapshot", lambda o: _without(o, "spec"), "'spec' is a required property"),
    ("VolumeSnapshot", lambda o: _set(o, "claim", "spec", "source", "pvc"), "'pvc' was unexpected"),
    # PodMonitor: required selector, patterns, enums, bounds, the endpoint's fields.
    ("PodMonitor", lambda o: _without(o, "spec", "selector"), "'selector' is a required property"),
    ("PodMonitor", lambda o: _set(o, "1 minute", "spec", "podMetricsEndpoints", 0, "interval"), "interval"),
    ("PodMonitor", lambda o: _set(o, "ftp", "spec", "podMetricsEndpoints", 0, "scheme"), "'ftp' is not one of"),
    ("PodMonitor", lambda o: _set(o, 9808, "spec", "podMetricsEndpoints", 0, "port"), "port: 9808 is not of type"),
    ("PodMonitor", lambda o: _set(o, 0, "spec", "podMetricsEndpoints", 0, "portNumber"), "portNumber: 0 is less"),
    (
        "PodMonitor",
        lambda o: _set(o, [{"action": "delete"}], "spec", "podMetricsEndpoints", 0, "relabelings"),
        "delete",
    ),
    ("PodMonitor", lambda o: _set(o, -1, "spec", "sampleLimit"), "sampleLimit: -1 is less than the minimum"),
    ("PodMonitor", lambda o: _set(o, "topolvm-system", "spec", "namespaceSelector", "matchNames"), "matchNames"),
    (
        "PodMonitor",
        lambda o: _set(o, [{"key": "a"}], "spec", "selector", "matchExpressions"),
        "'operator' is a required",
    ),
    ("PodMonitor", lambda o: _set(o, "/metrics", "spec", "podMetricsEndpoints", 0, "metricsPath"), "'metricsPath'"),
]
NAMES = {"VolumeSnapshotClass": "topolvm-thin", "PodMonitor": "topolvm-node"}


@pytest.mark.parametrize(("kind", "spoil", "message"), BAD_OBJECTS, ids=[f"{k}-{m[:30]}" for k, _s, m in BAD_OBJECTS])
def test_the_schemas_refuse_wrong_objects(kind, spoil, message):
    obj = _snapshot() if kind == "VolumeSnapshot" else _rendered(kind, NAMES[kind])
    assert validate_object(obj, NEWEST) == "crd"  # the role's object is valid before it is spoilt
    with pytest.raises(AssertionError, match=rf"{kind}/.* invalid for Kubernetes {NEWEST}: .*{message}"):
        validate_object(spoil(obj), NEWEST)


@pytest.mark.parametrize(
    ("kind", "name", "api_version"),
    [
        ("VolumeSnapshotClass", "topolvm-thin", "snapshot.storage.k8s.io/v1beta1"),
        ("PodMonitor", "topolvm-node", "monitoring.coreos.com/v1alpha1"),
    ],
)
def test_a_version_without_a_schema_is_an_error(kind, name, api_version):
    obj = _rendered(kind, name)
    obj["apiVersion"] = api_version
    with pytest.raises(AssertionError, match=f"no Kubernetes {NEWEST} schema for {api_version} {kind}"):
        validate_object(obj, NEWEST)
