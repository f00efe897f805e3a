# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helm mode of nifcloud_csi gives the cluster render mode gives: every chart option, its helm value path and the
rendered field it must match, and what the chart cannot take.

Facts from the upstream chart, read with the search tools (not part of this repository):
nifcloud/nifcloud-additional-storage-csi-driver chart v1.1.0 (tag v1.1.0, commit
df5e6830e86678a7572f5e9ad9ac5fe0b2f93ed5), charts/nifcloud-additional-storage-csi-driver/values.yaml and
templates/{controller,node,storageclass}.yaml: sidecars.<name>.logLevel for each sidecar's --v, node.yaml's node
plugin gets --v={{ .Values.controller.logLevel }}, /var/lib/kubelet hard-coded in node.yaml, imagePullSecrets read by
no template, sidecars.livenessProbe.resources 20m/32Mi and 100m/128Mi, the controller container's securityContext read
from controller.containerSecurityContext. Helm's merge of the values with the chart's defaults is the double
``coalesce`` of tests/helpers/helm_merge.py, checked against the real helm v4 in tests/integration/helm_values. The
shared rows are in tests/helpers/nifcloud_manifests.py.
"""

from __future__ import annotations

import pytest
from helpers.helm_merge import coalesce
from helpers.nifcloud_manifests import (
    FIXED,
    NOT_CHART,
    REGION,
    Knob,
    args_with,
    assert_every_option_is_covered,
    assert_refused_by_the_chart,
    check,
    common_knobs,
    container,
    env_after,
    find,
    ids,
    or_none,
    pod,
    same,
)

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import NifcloudConfigError
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.csi import csi_objects
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.csi_helm import csi_helm_values
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.csi_settings import (
    CSI_COMPONENT_DEFAULTS,
    CSI_DEFAULTS,
    CSI_SIDECAR_DEFAULTS,
    CSI_SIDECARS,
)

CTRL, NODE = "Deployment", "DaemonSet"
SIDECAR_NAMES = {
    "provisioner": (CTRL, "csi-provisioner"),
    "attacher": (CTRL, "csi-attacher"),
    "resizer": (CTRL, "csi-resizer"),
    "node_driver_registrar": (NODE, "node-driver-registrar"),
    "liveness_probe": (CTRL, "liveness-probe"),
}
CHART_TOLERATIONS = {
    "controller": [
        {"key": "CriticalAddonsOnly", "operator": "Exists"},
        {"effect": "NoExecute", "operator": "Exists", "tolerationSeconds": 300},
    ],
    "node": [{"operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
}
ZONE = [{"name": "NIFCLOUD_ZONE", "value": "east-11"}]
# The driver container's env before extraEnv: CSI_ENDPOINT, NIFCLOUD_REGION, the two keys, NODE_NAME.
FIXED_ENV = 5


def containers(obj):
    return {c["name"]: c for c in obj["spec"]["template"]["spec"]["containers"]}


def _component_knobs(component, kind, driver):
    c = component
    d = CSI_COMPONENT_DEFAULTS[c]
    return [
        Knob(
            c,
            {c: {"extra_env": ZONE}},
            (c, "extraEnv"),
            {},
            or_none,
            lambda o: env_after(kind, driver, FIXED_ENV)(o) or None,
        ),
        Knob(
            c,
            {c: {"resources": {"limits": {"memory": "1Gi"}}}},
            (c, "resources"),
            d["resources"],
            or_none,
            lambda o: container(kind, driver)(o).get("resources"),
        ),
        Knob(
            c,
            {c: {"resources": {}}},
            (c, "resources"),
            d["resources"],
            or_none,
            lambda o: container(kind, driver)(o).get("resources"),
        ),
        Knob(
            c,
            {c: {"pod_annotations": {"a": "b"}}},
            (c, "podAnnotations"),
            {},
            or_none,
            lambda o: pod(kind)(o)["metadata"].get("annotations"),
        ),
        Knob(
            c,
            {c: {"node_selector": {"disk": "yes"}}},
            (c, "nodeSelector"),
            {},
            lambda v: {"kubernetes.io/os": "linux", **(v or {})},
            lambda o: pod(kind)(o)["spec"]["nodeSelector"],
        ),
        Knob(
            c,
            {c: {"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": []}}}},
            (c, "affinity"),
            d["affinity"],
            or_none,
            lambda o: pod(kind)(o)["spec"].get("affinity"),
        ),
        *(
            [
                Knob(
                    c,
                    {c: {"affinity": {}}},
                    (c, "affinity"),
                    d["affinity"],
                    or_none,
                    lambda o: pod(kind)(o)["spec"].get("affinity"),
                )
            ]
            if d["affinity"]
            else []
        ),
        Knob(FIXED, {}, (c, "tolerations"), CHART_TOLERATIONS[c], same, lambda o: pod(kind)(o)["spec"]["tolerations"]),
        Knob(
            "logging_format",
            {"logging_format": "json"},
            (c, "loggingFormat"),
            "text",
            lambda v: [f"--logging-format={v}"] if v else [],
            args_with(kind, driver, "--logging-format"),
        ),
        Knob(
            "sdk_debug_log",
            {"sdk_debug_log": True},
            (c, "sdkDebugLog"),
            False,
            lambda v: ["--nifcloud-sdk-debug-log=true"] if v else [],
            args_with(kind, driver, "--nifcloud-sdk"),
        ),
        # node.yaml writes --v={{ .Values.controller.logLevel }} for the node plugin too
        Knob(
            "log_level",
            {"log_level": 5},
            ("controller", "logLevel"),
            2,
            lambda v: [f"--v={v}"],
            args_with(kind, driver, "--v="),
        ),
    ]


def _sidecar_knobs():
    knobs = []
    for key, (chart_key, has_level, has_timeout) in CSI_SIDECARS.items():
        kind, name = SIDECAR_NAMES[key]
        defaults = CSI_SIDECAR_DEFAULTS[key]
        image = f"mirror.example:5000/sig/{name}:v9.9.9"
        knobs += [
            Knob(
                "sidecar_images",
                {"sidecar_images": {key: image}},
                ("sidecars", chart_key, "image"),
                None,
                lambda v: f"{v['repository']}:{v['tag']}",
                lambda o, kind=kind, name=name: container(kind, name)(o)["image"],
            ),
            Knob(
                "sidecars",
                {"sidecars": {key: {"resources": {"requests": {"cpu": "5m"}}}}},
                ("sidecars", chart_key, "resources"),
                defaults["resources"],
                or_none,
                lambda o, kind=kind, name=name: container(kind, name)(o).get("resources"),
            ),
        ]
        if has_level:
            knobs.append(
                Knob(
                    "log_level",
                    {"log_level": 5},
                    ("sidecars", chart_key, "logLevel"),
                    2,
                    lambda v: [f"--v={v}"],
                    args_with(kind, name, "--v="),
                )
            )
        if has_timeout:
            knobs.append(
                Knob(
                    "sidecars",
                    {"sidecars": {key: {"timeout": "90s"}}},
                    ("sidecars", chart_key, "timeout"),
                    "600s",
                    lambda v: [f"--timeout={v}"],
                    args_with(kind, name, "--timeout="),
                )
            )
    return knobs


def _storage_class(objs):
    sc = next((o for o in objs if o["kind"] == "StorageClass"), None)
    if sc is None:
        return None
    return {k: v for k, v in sc.items() if k not in ("apiVersion", "kind", "metadata", "provisioner")}


def _chart_storage_class(entries):
    # storageclass.yaml: the entry's keys but name/annotations/labels, volumeBindingMode WaitForFirstConsumer
    entry = dict(entries[0], volumeBindingMode="WaitForFirstConsumer")
    return {k: v for k, v in entry.items() if k not in ("name", "annotations", "labels")}


CSI_KNOBS = [
    *_component_knobs("controller", CTRL, "controller"),
    *_component_knobs("node", NODE, "node-plugin"),
    *_sidecar_knobs(),
    *common_knobs(CSI_DEFAULTS["image_repository"], "csi", container(CTRL, "controller")),
    Knob(
        "secret_name",
        {"secret_name": "csi-keys"},
        ("nifcloud", "secretAccessKey", "secretName"),
        "",
        same,
        lambda o: next(
            e for e in container(NODE, "node-plugin")(o)["env"] if e["name"] == "NIFCLOUD_SECRET_ACCESS_KEY"
        )["valueFrom"]["secretKeyRef"]["name"],
    ),
    Knob(
        "controller_replicas",
        {"controller_replicas": 3},
        ("controller", "replicaCount"),
        2,
        same,
        lambda o: find(o, CTRL)["spec"]["replicas"],
    ),
    Knob(
        "default_fstype",
        {"default_fstype": "xfs"},
        ("controller", "defaultFsType"),
        "ext4",
        lambda v: [f"--default-fstype={v}"],
        args_with(CTRL, "csi-provisioner", "--default-fstype"),
    ),
    Knob(
        "storage_classes",
        {
            "storage_classes": [
                {
                    "name": "x",
                    "type": "flash",
                    "fstype": "xfs",
                    "reclaim_policy": "Retain",
                    "allow_volume_expansion": False,
                    "mount_options": ["noatime"],
                    "accounting_type": "monthly",
                }
            ]
        },
        ("storageClasses",),
        [],
        _chart_storage_class,
        _storage_class,
    ),
    # The controller container's securityContext comes from controller.containerSecurityContext (no default).
    Knob(
        FIXED,
        {},
        ("controller", "containerSecurityContext"),
        None,
        same,
        lambda o: container(CTRL, "controller")(o)["securityContext"],
    ),
]
CSI_REFUSED = {
    "kubelet_dir": {"kubelet_dir": "/var/lib/k0s/kubelet"},
    "image_pull_secrets": {"image_pull_secrets": ["mirror"]},
    "storage_classes": {"storage_classes": [{"name": "x", "type": "flash", "volume_binding_mode": "Immediate"}]},
}
CSI_NOT_CHART = NOT_CHART | {
    "kubernetes_version",  # no effect on the objects in any output
    "distribution",  # the same
}


@pytest.mark.parametrize("knob", CSI_KNOBS, ids=ids(CSI_KNOBS))
def test_csi_knob_reaches_render_and_helm_alike(knob):
    wanted = check(knob, csi_objects, csi_helm_values)
    if knob.setting:
        assert wanted != knob.field(csi_objects(REGION))


@pytest.mark.parametrize("refused", CSI_REFUSED.values(), ids=list(CSI_REFUSED))
def test_what_the_chart_cannot_take_is_refused_in_helm_mode(refused):
    assert_refused_by_the_chart(csi_helm_values, refused)


def test_every_option_is_a_row_or_said_not_to_be_a_chart_value():
    assert_every_option_is_covered("nifcloud_csi", CSI_KNOBS, CSI_REFUSED, CSI_NOT_CHART)


def test_csi_log_level_reaches_every_container_in_both_modes():
    # --v=5 in render mode; under Helm each sidecar reads its own sidecars.<name>.logLevel.
    raw = dict(REGION, log_level=5)
    objs = csi_objects(raw)
    values = csi_helm_values(raw)
    rendered = {**containers(find(objs, "Deployment")), **containers(find(objs, "DaemonSet"))}
    for name, c in rendered.items():
        levels = [a for a in c.get("args", []) if a.startswith("--v=")]
        if name != "liveness-probe":
            assert levels == ["--v=5"], name
    for chart_key in ("provisioner", "attacher", "resizer", "nodeDriverRegistrar"):
        assert values["sidecars"][chart_key]["logLevel"] == 5
    assert values["controller"]["logLevel"] == values["node"]["logLevel"] == 5


def test_csi_kubelet_dir_is_refused_in_helm_mode_and_rendered_otherwise():
    raw = dict(REGION, kubelet_dir="/var/lib/k0s/kubelet")
    with pytest.raises(NifcloudConfigError, match="hard-codes /var/lib/kubelet"):
        csi_helm_values(raw)
    node = find(csi_objects(raw), "DaemonSet")
    paths = {v["name"]: v["hostPath"]["path"] for v in node["spec"]["template"]["spec"]["volumes"] if "hostPath" in v}
    assert paths["kubelet-dir"] == "/var/lib/k0s/kubelet"
    csi_helm_values(dict(REGION, kubelet_dir="/var/lib/kubelet/"))  # the default, written with a slash


def test_csi_image_pull_secrets_are_refused_in_helm_mode_only():
    raw = dict(REGION, image_pull_secrets=["mirror-creds"])
    with pytest.raises(NifcloudConfigError, match="never read imagePullSecrets"):
        csi_helm_values(raw)
    for kind in ("Deployment", "DaemonSet"):
        assert find(csi_objects(raw), kind)["spec"]["template"]["spec"]["imagePullSecrets"] == [
            {"name": "mirror-creds"}
        ]


def test_csi_liveness_probe_resources_are_the_charts():
    # The chart's sidecars.livenessProbe.resources, not the other sidecars' 30m/200m.
    chart = {"requests": {"cpu": "20m", "memory": "32Mi"}, "limits": {"cpu": "100m", "memory": "128Mi"}}
    objs = csi_objects(REGION)
    for kind in ("Deployment", "DaemonSet"):
        assert containers(find(objs, kind))["liveness-probe"]["resources"] == chart
    assert csi_helm_values(REGION)["sidecars"]["livenessProbe"]["resources"] == chart


def test_csi_controller_container_security_context_reaches_the_chart():
    objs = csi_objects(REGION)
    values = csi_helm_values(REGION)
    assert (
        containers(find(objs, "Deployment"))["controller"]["securityContext"]
        == values["controller"]["containerSecurityContext"]
    )


def test_a_partial_resources_map_replaces_the_default_under_helm():
    raw = dict(REGION, controller={"resources": {"limits": {"memory": "1Gi"}}})
    values = csi_helm_values(raw)
    chart = {"resources": CSI_COMPONENT_DEFAULTS["controller"]["resources"]}
    assert coalesce(chart, values["controller"])["resources"] == {"limits": {"memory": "1Gi"}}
    assert containers(find(csi_objects(raw), "Deployment"))["controller"]["resources"] == {"limits": {"memory": "1Gi"}}


def test_csi_helm_values_describe_the_same_installation():
    raw = dict(
        REGION,
        storage_classes=[{"name": "std", "type": "standard", "default": True}],
        sidecar_images={"resizer": "mirror.example:5000/sig/csi-resizer:v1.9.0@sha256:abc"},
    )
    csi = csi_helm_values(raw)
    assert csi["sidecars"]["resizer"]["image"] == {
        "repository": "mirror.example:5000/sig/csi-resizer",
        "tag": "v1.9.0@sha256:abc",
    }
    sc = find(csi_objects(raw), "StorageClass")
    chart_sc = csi["storageClasses"][0]
    assert chart_sc["parameters"] == sc["parameters"]
    assert chart_sc["annotations"] == sc["metadata"]["annotations"]
    assert chart_sc["volumeBindingMode"] == sc["volumeBindingMode"]
