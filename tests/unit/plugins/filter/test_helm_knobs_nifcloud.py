# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every chart option of nifcloud_ccm and nifcloud_csi: the helm value path it sets and the rendered field it must
match (issue #27).

Each row: the role option, a non-default setting, the chart's value path, the chart's default there, how the
chart's template turns the value into the field, and where render mode writes that field. The test merges the
helm value into the default as Helm does (tests/helpers/helm_merge, checked against the real helm in
tests/integration/helm_values), applies the template's rule and compares with render; it also checks that the
setting changes the rendered field (so the row can fail). A last test holds the rows complete against the
argument specs: every option is a row or named as not a chart value.

Facts: nifcloud/nifcloud-cloud-controller-manager chart v1.2.0 (commit 231d33d5acede8892f8d147bce7467e018f89614),
charts/nifcloud-cloud-controller-manager/values.yaml and templates/daemonset.yaml;
nifcloud/nifcloud-additional-storage-csi-driver chart v1.1.0 (commit df5e6830e86678a7572f5e9ad9ac5fe0b2f93ed5),
charts/nifcloud-additional-storage-csi-driver/values.yaml and templates/{controller,node,storageclass}.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from helpers.helm_merge import merged_at

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud import manifests as nm

ROOT = Path(__file__).resolve().parents[4]
REGION = {"region": "jp-east-1"}


FIXED = "(set by the role, no option)"


class Knob(NamedTuple):
    option: str  # the role option without its prefix
    setting: dict  # non-default settings (the option and what it needs)
    path: tuple  # the chart value
    default: Any  # the chart's values.yaml there
    template: Callable  # (merged value) -> the field as the chart's template writes it
    field: Callable  # (render objects) -> the field


def find(objs, kind, name=None):
    return next(o for o in objs if o["kind"] == kind and (name is None or o["metadata"]["name"] == name))


def pod(kind):
    return lambda objs: find(objs, kind)["spec"]["template"]


def container(kind, name):
    return lambda objs: next(c for c in pod(kind)(objs)["spec"]["containers"] if c["name"] == name)


def args_with(kind, name, prefix):
    return lambda objs: [a for a in container(kind, name)(objs)["args"] if a.startswith(prefix)]


def env_after(kind, name, fixed):
    """The env entries after the chart's fixed ones (where the chart writes extraEnv)."""
    return lambda objs: container(kind, name)(objs)["env"][fixed:]


def same(value):
    return value


def or_none(value):
    return value or None  # `with` writes nothing for an empty map or list


def image_tag(objs_or_image):
    return objs_or_image.rsplit(":", 1)[1]


def _common_knobs(repository, mirror, main_container):
    """image.repository, image.tag (from image_tag or version), image.pullPolicy and nifcloud.region: the same in
    both charts."""

    def image(objs):
        return main_container(objs)["image"]

    return [
        Knob(
            "image_repository",
            {"image_repository": f"mirror.example/{mirror}"},
            ("image", "repository"),
            repository,
            same,
            lambda o: image(o).rsplit(":", 1)[0],
        ),
        Knob("image_tag", {"image_tag": "v9.9.1"}, ("image", "tag"), "", same, lambda o: image_tag(image(o))),
        Knob("version", {"version": "9.9.0"}, ("image", "tag"), "", same, lambda o: image_tag(image(o))),
        Knob(
            "image_pull_policy",
            {"image_pull_policy": "Always"},
            ("image", "pullPolicy"),
            "IfNotPresent",
            same,
            lambda o: main_container(o)["imagePullPolicy"],
        ),
        Knob(
            "region",
            {"region": "jp-west-1"},
            ("nifcloud", "region"),
            "",
            same,
            lambda o: next(e["value"] for e in main_container(o)["env"] if e["name"] == "NIFCLOUD_REGION"),
        ),
    ]


# --------------------------------------------------------------------------- cloud controller manager

CCM = "nifcloud-cloud-controller-manager"
CCM_DS = pod("DaemonSet")
CCM_C = container("DaemonSet", CCM)
CCM_KNOBS = [
    *_common_knobs("ghcr.io/nifcloud/nifcloud-cloud-controller-manager", "ccm", CCM_C),
    Knob(
        "secret_name",
        {"secret_name": "ccm-keys"},
        ("nifcloud", "accessKeyId", "secretName"),
        "",
        same,
        lambda o: CCM_C(o)["env"][0]["valueFrom"]["secretKeyRef"]["name"],
    ),
    Knob("distribution", {"distribution": "rke2"}, ("affinity",), {}, or_none, lambda o: CCM_DS(o)["spec"]["affinity"]),
    Knob(
        "distribution",
        {"distribution": "rke1"},
        ("tolerations",),
        [
            {"key": "node.cloudprovider.kubernetes.io/uninitialized", "value": "true", "effect": "NoSchedule"},
            {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
        ],
        same,
        lambda o: CCM_DS(o)["spec"]["tolerations"],
    ),
    Knob(
        "distribution",
        {"distribution": "rke1"},
        ("nodeSelector",),
        nm.CCM_CHART_NODE_SELECTOR,
        or_none,
        lambda o: CCM_DS(o)["spec"].get("nodeSelector"),
    ),
    Knob(
        "kubernetes_version",
        {"kubernetes_version": "1.24"},
        ("affinity",),
        {},
        or_none,
        lambda o: CCM_DS(o)["spec"]["affinity"],
    ),
    Knob(
        "resources",
        {"resources": {"limits": {"memory": "256Mi"}}},
        ("resources",),
        {},
        or_none,
        lambda o: CCM_C(o).get("resources"),
    ),
    Knob(
        "security_context",
        {"security_context": {"runAsNonRoot": True}},
        ("securityContext",),
        {},
        or_none,
        lambda o: CCM_C(o).get("securityContext"),
    ),
    Knob(
        "pod_annotations",
        {"pod_annotations": {"a": "b"}},
        ("podAnnotations",),
        {},
        or_none,
        lambda o: CCM_DS(o)["metadata"].get("annotations"),
    ),
    Knob(
        "image_pull_secrets",
        {"image_pull_secrets": ["mirror"]},
        ("imagePullSecrets",),
        [],
        or_none,
        lambda o: CCM_DS(o)["spec"].get("imagePullSecrets"),
    ),
]
# Refused with helm output, so that no value silently differs (the chart hard-codes them).
CCM_REFUSED = {"extra_args": {"extra_args": ["--v=4"]}, "name": {"name": "ccm"}}
# Options of both roles that are no chart value: the output, the credentials (the role makes the Secret), the
# connection, the chart's source, and the Helm release's namespace (k8s_manifests_helm_namespace).
NOT_CHART = {
    "state",
    "output",
    "render_dir",
    "render_secrets",
    "access_key_id",
    "secret_access_key",
    "create_secret",
    "kubeconfig",
    "context",
    "wait_timeout",
    "helm_binary",
    "helm_chart_version",
    "helm_repo_url",
    "namespace",
}
CCM_NOT_CHART = NOT_CHART

# --------------------------------------------------------------------------- CSI driver

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


def _component_knobs(component, kind, driver):
    c = component
    d = nm.CSI_COMPONENT_DEFAULTS[c]
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
    for key, (chart_key, has_level, has_timeout) in nm.CSI_SIDECARS.items():
        kind, name = SIDECAR_NAMES[key]
        defaults = nm.CSI_SIDECAR_DEFAULTS[key]
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


DRIVER = nm.CSI_DEFAULTS["image_repository"]
CSI_KNOBS = [
    *_component_knobs("controller", CTRL, "controller"),
    *_component_knobs("node", NODE, "node-plugin"),
    *_sidecar_knobs(),
    *_common_knobs(DRIVER, "csi", container(CTRL, "controller")),
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


def _ids(knobs):
    return [f"{k.option}:{'.'.join(k.path)}" for k in knobs]


def _check(knob, objects, helm_values):
    raw = dict(REGION, **knob.setting)
    values = helm_values(raw)
    wanted = knob.field(objects(raw))
    assert knob.template(merged_at(knob.default, values, knob.path)) == wanted
    return wanted


@pytest.mark.parametrize("knob", CCM_KNOBS, ids=_ids(CCM_KNOBS))
def test_ccm_knob_reaches_render_and_helm_alike(knob):
    wanted = _check(knob, nm.ccm_objects, nm.ccm_helm_values)
    assert wanted != knob.field(nm.ccm_objects(REGION)) or knob.path == ("nodeSelector",)


@pytest.mark.parametrize("knob", CSI_KNOBS, ids=_ids(CSI_KNOBS))
def test_csi_knob_reaches_render_and_helm_alike(knob):
    wanted = _check(knob, nm.csi_objects, nm.csi_helm_values)
    if knob.setting:
        assert wanted != knob.field(nm.csi_objects(REGION))


@pytest.mark.parametrize(
    ("refused", "helm_values"),
    [
        *[(s, nm.ccm_helm_values) for s in CCM_REFUSED.values()],
        *[(s, nm.csi_helm_values) for s in CSI_REFUSED.values()],
    ],
)
def test_what_the_chart_cannot_take_is_refused_in_helm_mode(refused, helm_values):
    with pytest.raises(nm.NifcloudConfigError, match="cannot be given to the chart"):
        helm_values(dict(REGION, **refused))


@pytest.mark.parametrize(
    ("role", "knobs", "refused", "not_chart"),
    [
        ("nifcloud_ccm", CCM_KNOBS, CCM_REFUSED, CCM_NOT_CHART),
        ("nifcloud_csi", CSI_KNOBS, CSI_REFUSED, CSI_NOT_CHART),
    ],
)
def test_every_option_is_a_row_or_said_not_to_be_a_chart_value(role, knobs, refused, not_chart):
    spec = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text(encoding="utf-8"))
    options = {name.removeprefix(f"{role}_") for name in spec["argument_specs"]["main"]["options"]}
    covered = ({k.option for k in knobs} - {FIXED}) | set(refused) | not_chart
    assert covered == options
