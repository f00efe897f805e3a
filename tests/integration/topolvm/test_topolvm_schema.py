# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every TopoLVM mode x distribution x naming x certificate mode renders objects that are valid for
every Kubernetes version kubernetes-validate ships (strict schemas: unknown fields are errors). The custom
kinds (VolumeSnapshotClass, VolumeSnapshot, PodMonitor) are checked with the CRD schemas in
tests/integration/crd_schemas (outcome "crd"); only cert-manager's kinds go unchecked."""

from __future__ import annotations

import itertools

import pytest
from k8s_schema_helpers import fake_pem_bundle, shipped_versions, validate_object

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import spec
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.smoke import (
    smoke_objects,
    snapshot_objects,
)

VERSIONS = shipped_versions()
# One distribution per placement (placement.scheduler_placement keys on the family): the others render the same.
ONE_PER_PLACEMENT = ("kubeadm", "rke1", "rke2")
DEVICE_CLASSES = [
    {"name": "ssd", "volume_group": "vg-ssd", "default": True, "spare_gb": 10},
    {"name": "hdd", "volume_group": "vg-hdd"},
]


def _combinations():
    for mode, distribution, legacy, lvmd in itertools.product(
        spec.choices("scheduling_mode"), ONE_PER_PLACEMENT, (False, True), (False, True)
    ):
        cert_modes = ("none",) if mode == "storage-capacity" else spec.choices("cert_mode")
        for cert in cert_modes:
            yield pytest.param(
                mode,
                distribution,
                legacy,
                lvmd,
                cert,
                id=f"{mode}-{distribution}-{'legacy' if legacy else 'io'}-{'lvmd' if lvmd else 'hostlvmd'}-{cert}",
            )


def _config(mode, distribution, legacy, lvmd, cert, *, version):
    cfg = {
        "scheduling_mode": mode,
        "distribution": distribution,
        "legacy": legacy,
        "kubernetes_version": version,
        "device_classes": DEVICE_CLASSES,
        "lvmd_managed": lvmd,
    }
    if cert != "none":
        cfg["cert_mode"] = cert
    return cfg


CERTS = {"ca_bundle": fake_pem_bundle(), "tls_crt": "crt", "tls_key": "key"}


def build(config):
    return flt.topolvm_manifests(config, CERTS)


def test_versions_cover_1_25_to_newest():
    assert VERSIONS[0] == "1.25"
    assert len(VERSIONS) >= 13  # 1.25 .. 1.37 with kubernetes-validate 1.37


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "distribution", "legacy", "lvmd", "cert"), list(_combinations()))
def test_every_object_is_valid_for_every_version(mode, distribution, legacy, lvmd, cert):
    # 1.24 has no schemas in kubernetes-validate: its rendering is checked against the oldest shipped (1.25).
    targets = [("1.24", VERSIONS[0])] + [(v, v) for v in VERSIONS]
    for render_version, schema_version in targets:
        objects = build(_config(mode, distribution, legacy, lvmd, cert, version=render_version))
        outcomes = [validate_object(obj, schema_version) for obj in objects]
        skipped = {obj["kind"] for obj, out in zip(objects, outcomes, strict=True) if out == "custom"}
        assert skipped <= {"Issuer", "Certificate"}
        assert bool(skipped) == (cert == "cert-manager")
        # Everything that is not a cert-manager object was checked against a real schema.
        assert outcomes.count("validated") == len(objects) - (4 if cert == "cert-manager" else 0)


def test_invalid_object_is_reported():
    objects = build(_config("storage-capacity", "kubeadm", False, False, "none", version="1.30"))
    driver = next(o for o in objects if o["kind"] == "CSIDriver")
    driver["spec"]["storageCapacityy"] = True
    with pytest.raises(AssertionError, match="storageCapacityy"):
        validate_object(driver, "1.30")
    daemonset = next(o for o in objects if o["kind"] == "DaemonSet")
    daemonset["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "not-a-port"
    with pytest.raises(AssertionError, match="DaemonSet"):
        validate_object(daemonset, "1.37")


def test_unknown_core_kind_is_an_error():
    with pytest.raises(AssertionError, match="no Kubernetes"):
        validate_object({"apiVersion": "v1", "kind": "Podd", "metadata": {"name": "x"}}, "1.30")


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_smoke_test_objects_are_valid(version):
    objs = smoke_objects("topolvm-ssd", marker="lvmkube-marker")
    for obj in objs.values():
        assert validate_object(obj, version) == "validated"
    snapshot = snapshot_objects("topolvm-thin", "topolvm-thin", marker="lvmkube-marker")
    # The restored claim (with its dataSource) and the reader are core kinds; VolumeSnapshot is checked with the
    # external-snapshotter CRD's schema.
    assert validate_object(snapshot["restored"], version) == "validated"
    assert validate_object(snapshot["restored_reader"], version) == "validated"
    assert validate_object(snapshot["snapshot"], version) == "crd"


KNOB_POD = {
    "node_selector": {"storage": "yes"},
    "tolerations": [{"key": "storage", "operator": "Exists", "effect": "NoSchedule"}],
    "affinity": {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [{"key": "storage", "operator": "In", "values": ["yes"]}]}]
            }
        }
    },
    "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "256Mi"}},
    "priority_class_name": "system-node-critical",
    "args": ["--zap-log-level=debug"],
    "labels": {"team": "storage"},
    "annotations": {"example.com/owner": "storage"},
}


@pytest.mark.slow
@pytest.mark.parametrize("lvmd", ["managed", "embedded"])
@pytest.mark.parametrize("version", VERSIONS)
def test_every_knob_renders_valid_objects(lvmd, version):
    config = {
        "scheduling_mode": "extender-deployment",
        "kubernetes_version": version,
        "device_classes": DEVICE_CLASSES,
        "lvmd_managed": lvmd == "managed",
        "lvmd_embedded": lvmd == "embedded",
        "lvcreate_option_classes": [{"name": "raid1", "options": ["--type=raid1"]}],
        "storage_classes": [{"name": "mirrored", "device_class": "ssd", "lvcreate_option_class": "raid1"}],
        "scheduler_default_divisor": 2,
        "scheduler_divisors": {"hdd": 10},
        "controller_skip_node_finalize": True,
        "pod_monitors": ["controller", "node"] + (["lvmd"] if lvmd == "managed" else []),
        "pod_monitor_labels": {"release": "prometheus"},
        **{f"{component}_pod": KNOB_POD for component in ("controller", "node", "lvmd", "scheduler")},
    }
    objects = build(config)
    outcomes = {(o["kind"], o["metadata"]["name"]): validate_object(o, version) for o in objects}
    # PodMonitor is the Prometheus operator's kind: checked with its CRD's schema, everything else with Kubernetes'.
    assert {key for key, out in outcomes.items() if out != "validated"} == {
        ("PodMonitor", f"topolvm-{c}") for c in config["pod_monitors"]
    }
    assert {outcomes[("PodMonitor", f"topolvm-{c}")] for c in config["pod_monitors"]} == {"crd"}


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_per_node_sets_render_valid_objects(version):
    small = [{"name": "ssd", "volume_group": "vg0", "default": True}]
    config = {
        "kubernetes_version": version,
        "lvmd_managed": True,
        "nodes": [
            {"name": "storage1", "device_classes": DEVICE_CLASSES},
            {"name": "small1", "device_classes": small},
            {"name": "plain1", "device_classes": []},
        ],
    }
    objects = build(config)
    assert {o["metadata"]["name"] for o in objects if o["kind"] == "DaemonSet"} == {
        "topolvm-node",
        "topolvm-lvmd-0",
        "topolvm-lvmd-1",
    }
    assert all(validate_object(o, version) == "validated" for o in objects)


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_thin_classes_get_a_snapshot_class(version):
    thin = [
        *DEVICE_CLASSES,
        {"name": "thin", "volume_group": "vg-ssd", "thin_pool": {"name": "p", "overprovision_ratio": 2}},
    ]
    objects = build({"kubernetes_version": version, "device_classes": thin})
    outcomes = {(o["kind"], o["metadata"]["name"]): validate_object(o, version) for o in objects}
    # VolumeSnapshotClass is the external-snapshotter's kind: checked with its CRD's schema, all else with Kubernetes'.
    assert {key: out for key, out in outcomes.items() if out != "validated"} == {
        ("VolumeSnapshotClass", "topolvm-thin"): "crd"
    }
