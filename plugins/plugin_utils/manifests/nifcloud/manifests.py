# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure functions that build the Kubernetes objects of the NIFCLOUD cloud controller manager and of the
NIFCLOUD additional-storage CSI driver.

The objects follow the upstream Helm charts (github.com/nifcloud/nifcloud-cloud-controller-manager v1.2.0 and
github.com/nifcloud/nifcloud-additional-storage-csi-driver v1.1.0): the same names, RBAC rules, flags and
environment variables (``NIFCLOUD_ACCESS_KEY_ID``, ``NIFCLOUD_SECRET_ACCESS_KEY``, ``NIFCLOUD_REGION``,
``NODE_NAME``). The credentials never enter the objects built here: they reference a Secret that only
:func:`credentials_secret` builds, so that callers can keep that one object out of logs and rendered files.
"""

from __future__ import annotations

import copy
import functools
import re

from ansible_collections.lvmkube.cluster.plugins.module_utils.coerce import as_bool, as_int
from ansible_collections.lvmkube.cluster.plugins.plugin_utils import role_distribution
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.placement import scheduler_placement
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.plain_data import plain_copy
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import (
    DNS_SUBDOMAIN,
    ManifestConfigError,
    apply_phase,
    b64encode_text,
    helm_replacing,
    require_name,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import parse_kubernetes_version

MANAGED_BY = "lvmkube.cluster"
CSI_DRIVER_NAME = "additional-storage.csi.nifcloud.com"
TOPOLOGY_KEY = f"topology.{CSI_DRIVER_NAME}/zone"
SECRET_KEYS = ("access_key_id", "secret_access_key")
UNINITIALIZED_TAINT = "node.cloudprovider.kubernetes.io/uninitialized"
# Disk types the driver accepts as the StorageClass parameter "type" (pkg/cloud/cloud.go of v1.1.0).
DISK_TYPES = (
    "standard",
    "high-speed",
    "high-speed-a",
    "high-speed-b",
    "flash",
    "standard-flash",
    "standard-flash-a",
    "standard-flash-b",
    "high-speed-flash",
    "high-speed-flash-a",
    "high-speed-flash-b",
)
ACCOUNTING_TYPES = ("monthly", "hourly")
FSTYPES = ("ext4", "xfs", "ext3", "ext2")
RECLAIM_POLICIES = ("Delete", "Retain")
BINDING_MODES = ("WaitForFirstConsumer", "Immediate")
_REGION = re.compile(r"^[a-z]{2}-[a-z]+-[0-9]+$")

COMMON_DEFAULTS = {
    "namespace": "kube-system",
    "image_tag": "",
    "image_pull_policy": "IfNotPresent",
    "region": "",
    "distribution": "kubeadm",
    "kubernetes_version": "1.30",
}
CCM_DEFAULTS = dict(
    COMMON_DEFAULTS,
    name="nifcloud-cloud-controller-manager",
    version="1.2.0",
    image_repository="ghcr.io/nifcloud/nifcloud-cloud-controller-manager",
    secret_name="nifcloud-cloud-controller-manager-secret",
    extra_args=[],
    resources={},
    security_context={},
    pod_annotations={},
    image_pull_secrets=[],
)
CSI_DEFAULTS = dict(
    COMMON_DEFAULTS,
    version="1.1.0",
    image_repository="ghcr.io/nifcloud/nifcloud-additional-storage-csi-driver",
    secret_name="nifcloud-additional-storage-csi-secret",
    controller_replicas=2,
    default_fstype="ext4",
    log_level=2,
    kubelet_dir="/var/lib/kubelet",
    sidecar_images={
        "provisioner": "registry.k8s.io/sig-storage/csi-provisioner:v3.5.0",
        "attacher": "registry.k8s.io/sig-storage/csi-attacher:v4.3.0",
        "resizer": "registry.k8s.io/sig-storage/csi-resizer:v1.8.0",
        "node_driver_registrar": "registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.8.0",
        "liveness_probe": "registry.k8s.io/sig-storage/livenessprobe:v2.10.0",
    },
    storage_classes=[],
    controller={},
    node={},
    sidecars={},
    logging_format="text",
    sdk_debug_log=False,
    image_pull_secrets=[],
)
STORAGE_CLASS_KEYS = (
    "name",
    "type",
    "fstype",
    "accounting_type",
    "reclaim_policy",
    "volume_binding_mode",
    "allow_volume_expansion",
    "default",
    "annotations",
    "mount_options",
)


class NifcloudConfigError(ManifestConfigError):
    """The NIFCLOUD configuration cannot produce a valid installation."""


_require_name = functools.partial(require_name, error=NifcloudConfigError)


# --------------------------------------------------------------------------- the charts' defaults
# What the upstream charts' values.yaml holds at the paths the roles set (nifcloud-cloud-controller-manager chart
# v1.2.0, charts/nifcloud-cloud-controller-manager/values.yaml at commit 231d33d5; nifcloud-additional-storage-csi-
# driver chart v1.1.0, charts/nifcloud-additional-storage-csi-driver/values.yaml at commit df5e6830). Helm merges
# the maps the roles send into these, so helm_values name every default key the role's value lacks with null.

CCM_CHART_NODE_SELECTOR = {"node-role.kubernetes.io/control-plane": ""}


def _resources(cpu_request, memory_request, cpu_limit, memory_limit):
    return {
        "requests": {"cpu": cpu_request, "memory": memory_request},
        "limits": {"cpu": cpu_limit, "memory": memory_limit},
    }


CSI_COMPONENT_KEYS = ("extra_env", "resources", "pod_annotations", "node_selector", "affinity")
CSI_SIDECARS = {  # role key: (chart key under sidecars, has --v, has --timeout)
    "provisioner": ("provisioner", True, True),
    "attacher": ("attacher", True, True),
    "resizer": ("resizer", True, True),
    "node_driver_registrar": ("nodeDriverRegistrar", True, False),
    "liveness_probe": ("livenessProbe", False, False),
}
CSI_COMPONENT_DEFAULTS = {
    "controller": {
        "extra_env": [],
        "resources": _resources("50m", "128Mi", "250m", "256Mi"),
        "pod_annotations": {},
        "node_selector": {},
        "affinity": {
            "podAntiAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "weight": 100,
                        "podAffinityTerm": {
                            "labelSelector": {
                                "matchExpressions": [
                                    {
                                        "key": "app",
                                        "operator": "In",
                                        "values": ["nifcloud-additional-storage-csi-controller"],
                                    }
                                ]
                            },
                            "topologyKey": "kubernetes.io/hostname",
                        },
                    }
                ]
            }
        },
    },
    "node": {
        "extra_env": [],
        "resources": _resources("50m", "128Mi", "250m", "256Mi"),
        "pod_annotations": {},
        "node_selector": {},
        "affinity": {},
    },
}
CSI_SIDECAR_DEFAULTS = {
    key: {
        "resources": _resources("20m", "32Mi", "100m", "128Mi")
        if key == "liveness_probe"
        else _resources("30m", "32Mi", "200m", "128Mi"),
        **({"timeout": "600s"} if CSI_SIDECARS[key][2] else {}),
    }
    for key in CSI_SIDECARS
}
LOGGING_FORMATS = ("text", "json")
_FIXED_ENV = ("CSI_ENDPOINT", "NIFCLOUD_REGION", "NIFCLOUD_ACCESS_KEY_ID", "NIFCLOUD_SECRET_ACCESS_KEY", "NODE_NAME")
_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$")


def _check_map(value, what):
    if not isinstance(value, dict):
        raise NifcloudConfigError(f"{what} must be a dict")
    return value


def _known_keys(value, known, what):
    _check_map(value, what)
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise NifcloudConfigError(f"{what} has unknown key(s): {', '.join(unknown)} (known: {', '.join(known)})")


def _check_string_map(value, what):
    """Labels, annotations and node selectors: string keys and values."""
    _check_map(value, what)
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def image_pull_secrets(names, what="image_pull_secrets"):
    """The pod's imagePullSecrets from a list of Secret names."""
    if not isinstance(names, list):
        raise NifcloudConfigError(f"{what} must be a list of Secret names")
    for index, name in enumerate(names):
        _require_name(name, f"{what}[{index}]", DNS_SUBDOMAIN, 253)
    if len(set(names)) != len(names):
        raise NifcloudConfigError(f"{what} names a Secret twice")
    return [{"name": name} for name in names]


def _extra_env(entries, what):
    if not isinstance(entries, list):
        raise NifcloudConfigError(f"{what} must be a list of environment variables (name and value or valueFrom)")
    seen = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
            raise NifcloudConfigError(f"{what}[{index}] must be a dict with a name")
        unknown = sorted(set(entry) - {"name", "value", "valueFrom"})
        if unknown or ("value" in entry) == ("valueFrom" in entry):
            raise NifcloudConfigError(f"{what}[{index}] ({entry['name']}) needs exactly one of value and valueFrom")
        if entry["name"] in _FIXED_ENV or entry["name"] in seen:
            raise NifcloudConfigError(
                f"{what}[{index}]: {entry['name']} is set twice (the role sets {', '.join(_FIXED_ENV)})"
            )
        seen.add(entry["name"])
        if "value" in entry:
            entry["value"] = str(entry["value"])
    return entries


def _csi_component(value, component):
    """controller or node settings with the chart's defaults; a given map replaces the default whole."""
    what = component
    _known_keys(value, CSI_COMPONENT_KEYS, what)
    result = copy.deepcopy(CSI_COMPONENT_DEFAULTS[component])
    result.update({k: v for k, v in value.items() if v is not None})
    result["extra_env"] = _extra_env(result["extra_env"], f"{what}.extra_env")
    for key in ("resources", "affinity"):
        _check_map(result[key], f"{what}.{key}")
    for key in ("pod_annotations", "node_selector"):
        result[key] = _check_string_map(result[key], f"{what}.{key}")
    return result


def _csi_sidecars(value):
    result = copy.deepcopy(CSI_SIDECAR_DEFAULTS)
    _known_keys(value, result, "sidecars")
    for key, settings in value.items():
        _known_keys(settings, result[key], f"sidecars.{key}")
        result[key].update({k: v for k, v in settings.items() if v is not None})
        _check_map(result[key]["resources"], f"sidecars.{key}.resources")
        if "timeout" in result[key]:
            result[key]["timeout"] = str(result[key]["timeout"])
            if not _DURATION.match(result[key]["timeout"]):
                raise NifcloudConfigError(
                    f"sidecars.{key}.timeout {result[key]['timeout']!r} is not a duration such as 600s"
                )
    return result


# --------------------------------------------------------------------------- configuration


def _normalize(raw, defaults):
    if not isinstance(raw, dict):
        raise NifcloudConfigError("the configuration must be a dict")
    unknown = sorted(set(raw) - set(defaults))
    if unknown:
        raise NifcloudConfigError(f"unknown setting(s): {', '.join(unknown)}")
    cfg = copy.deepcopy(defaults)
    cfg.update(plain_copy({k: v for k, v in raw.items() if v is not None}))
    if "name" in cfg:
        _require_name(cfg["name"], "name", max_len=50)
    _require_name(cfg["namespace"], "namespace")
    cfg["version"] = str(cfg["version"]).lstrip("v")
    if not re.match(r"^\d+\.\d+\.\d+([-.][0-9A-Za-z.-]+)?$", cfg["version"]):
        raise NifcloudConfigError(f"version {cfg['version']!r} is not a release such as 1.2.0")
    cfg["image_tag"] = str(cfg["image_tag"] or f"v{cfg['version']}")
    if not cfg["image_repository"] or any(c.isspace() for c in str(cfg["image_repository"])):
        raise NifcloudConfigError("image_repository must be a non-empty image name")
    if cfg["image_pull_policy"] not in ("Always", "IfNotPresent", "Never"):
        raise NifcloudConfigError("image_pull_policy must be Always, IfNotPresent or Never")
    if not isinstance(cfg["region"], str) or not _REGION.match(cfg["region"]):
        raise NifcloudConfigError(f"region {cfg['region']!r} is not a NIFCLOUD region such as jp-east-1")
    cfg["distribution"] = role_distribution.served(cfg["distribution"], "distribution", error=NifcloudConfigError)
    try:
        cfg["kubernetes_minor"] = parse_kubernetes_version(cfg["kubernetes_version"])
    except ValueError as exc:
        raise NifcloudConfigError(str(exc)) from exc
    _require_name(cfg["secret_name"], "secret_name", DNS_SUBDOMAIN, 253)
    return cfg


def normalize_ccm(raw):
    """Fill the cloud controller manager defaults and check every value; raise NifcloudConfigError."""
    cfg = _normalize(raw, CCM_DEFAULTS)
    args = cfg["extra_args"]
    if not isinstance(args, list) or not all(isinstance(a, str) and a.startswith("--") for a in args):
        raise NifcloudConfigError("extra_args must be a list of flags such as --v=2")
    fixed = {"--cloud-provider", "--leader-elect", "--use-service-account-credentials"}
    clashing = sorted(a for a in args if a.split("=", 1)[0] in fixed)
    if clashing:
        raise NifcloudConfigError(f"extra_args must not repeat the flags the role sets: {', '.join(clashing)}")
    for key in ("resources", "security_context"):
        _check_map(cfg[key], key)
    cfg["pod_annotations"] = _check_string_map(cfg["pod_annotations"], "pod_annotations")
    image_pull_secrets(cfg["image_pull_secrets"])
    return cfg


def normalize_csi(raw):
    """Fill the CSI driver defaults, check every value and the StorageClass list; raise NifcloudConfigError."""
    cfg = _normalize(raw, CSI_DEFAULTS)
    # The role passes "{{ nifcloud_csi_x | int }}" in its dict variable: before ansible-core 2.19 that is text.
    cfg["controller_replicas"] = as_int(cfg["controller_replicas"], "controller_replicas", 1, NifcloudConfigError, True)
    if cfg["default_fstype"] not in FSTYPES:
        raise NifcloudConfigError(f"default_fstype must be one of {', '.join(FSTYPES)}")
    cfg["log_level"] = as_int(cfg["log_level"], "log_level", 0, NifcloudConfigError, True)
    if not str(cfg["kubelet_dir"]).startswith("/"):
        raise NifcloudConfigError(f"kubelet_dir must be an absolute path, got {cfg['kubelet_dir']!r}")
    cfg["kubelet_dir"] = str(cfg["kubelet_dir"]).rstrip("/") or "/"
    images = dict(CSI_DEFAULTS["sidecar_images"])
    if not isinstance(cfg["sidecar_images"], dict):
        raise NifcloudConfigError("sidecar_images must be a dict")
    unknown = sorted(set(cfg["sidecar_images"]) - set(images))
    if unknown:
        raise NifcloudConfigError(
            f"sidecar_images has unknown key(s): {', '.join(unknown)} (known: {', '.join(sorted(images))})"
        )
    images.update(cfg["sidecar_images"])
    for key, image in images.items():
        if not isinstance(image, str) or not image or any(c.isspace() for c in image):
            raise NifcloudConfigError(f"sidecar_images.{key} must be an image reference")
    cfg["sidecar_images"] = images
    cfg["storage_classes"] = storage_classes(cfg["storage_classes"], cfg["default_fstype"])
    for component in ("controller", "node"):
        cfg[component] = _csi_component(cfg[component], component)
    cfg["sidecars"] = _csi_sidecars(cfg["sidecars"])
    if cfg["logging_format"] not in LOGGING_FORMATS:
        raise NifcloudConfigError(f"logging_format must be one of {', '.join(LOGGING_FORMATS)}")
    cfg["sdk_debug_log"] = as_bool(cfg["sdk_debug_log"], "sdk_debug_log", NifcloudConfigError)
    image_pull_secrets(cfg["image_pull_secrets"])
    return cfg


def storage_classes(requested, default_fstype="ext4"):
    """Check the StorageClass list and fill its defaults; an unknown disk type names the valid ones."""
    if not isinstance(requested, list):
        raise NifcloudConfigError("storage_classes must be a list")
    result = []
    seen = set()
    for index, entry in enumerate(requested):
        if not isinstance(entry, dict):
            raise NifcloudConfigError(f"storage_classes[{index}] must be a dict")
        unknown = sorted(set(entry) - set(STORAGE_CLASS_KEYS))
        if unknown:
            raise NifcloudConfigError(
                f"storage_classes[{index}] has unknown key(s): {', '.join(unknown)} "
                f"(known: {', '.join(STORAGE_CLASS_KEYS)})"
            )
        name = _require_name(entry.get("name"), f"storage_classes[{index}].name", DNS_SUBDOMAIN, 253)
        if name in seen:
            raise NifcloudConfigError(f"storage class {name!r} is listed twice")
        seen.add(name)
        disk_type = entry.get("type")
        if disk_type not in DISK_TYPES:
            raise NifcloudConfigError(
                f"storage class {name!r}: disk type {disk_type!r} is not one of {', '.join(DISK_TYPES)}"
            )
        sc = {
            "name": name,
            "type": disk_type,
            "fstype": entry.get("fstype") or default_fstype,
            "accounting_type": entry.get("accounting_type") or "",
            "reclaim_policy": entry.get("reclaim_policy") or "Delete",
            "volume_binding_mode": entry.get("volume_binding_mode") or "WaitForFirstConsumer",
            "allow_volume_expansion": entry.get("allow_volume_expansion", True),
            "default": entry.get("default", False),
            "annotations": entry.get("annotations") or {},
            "mount_options": entry.get("mount_options") or [],
        }
        for key, allowed in (
            ("fstype", FSTYPES),
            ("reclaim_policy", RECLAIM_POLICIES),
            ("volume_binding_mode", BINDING_MODES),
        ):
            if sc[key] not in allowed:
                raise NifcloudConfigError(f"storage class {name!r}: {key} must be one of {', '.join(allowed)}")
        if sc["accounting_type"] and sc["accounting_type"] not in ACCOUNTING_TYPES:
            raise NifcloudConfigError(
                f"storage class {name!r}: accounting_type must be one of {', '.join(ACCOUNTING_TYPES)}"
            )
        for key in ("allow_volume_expansion", "default"):
            as_bool(sc[key], f"storage class {name!r}: {key}", NifcloudConfigError)
        if not isinstance(sc["annotations"], dict) or not isinstance(sc["mount_options"], list):
            raise NifcloudConfigError(f"storage class {name!r}: annotations must be a dict, mount_options a list")
        sc["annotations"] = {str(k): str(v) for k, v in sc["annotations"].items()}
        sc["mount_options"] = [str(o) for o in sc["mount_options"]]
        result.append(sc)
    if sum(1 for sc in result if sc["default"]) > 1:
        raise NifcloudConfigError("more than one storage class is marked default")
    return result


# --------------------------------------------------------------------------- object helpers


def _labels(app, instance, version, component=None):
    labels = {
        "app.kubernetes.io/name": app,
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/version": version,
        "app.kubernetes.io/managed-by": MANAGED_BY,
    }
    if component:
        labels["app.kubernetes.io/component"] = component
    return labels


def _meta(name, labels, namespace=None, annotations=None):
    meta = {"name": name, "labels": dict(labels)}
    if namespace:
        meta["namespace"] = namespace
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


def _pod_meta(labels, annotations):
    meta = {"labels": dict(labels)}
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


def _secret_env(secret_name):
    return [
        {
            "name": env,
            "valueFrom": {"secretKeyRef": {"name": secret_name, "key": key}},
        }
        for env, key in zip(("NIFCLOUD_ACCESS_KEY_ID", "NIFCLOUD_SECRET_ACCESS_KEY"), SECRET_KEYS, strict=True)
    ]


_NODE_NAME_ENV = {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}
_UNINITIALIZED_TOLERATION = {"key": UNINITIALIZED_TAINT, "value": "true", "effect": "NoSchedule"}


def credentials_secret(secret_name, namespace, access_key_id, secret_access_key, labels=None):
    """The Secret both NIFCLOUD components read their API keys from (keys access_key_id and secret_access_key).

    ``data`` (not ``stringData``) so that a second server-side apply finds nothing to change. Errors never
    contain the values.
    """
    _require_name(secret_name, "secret_name", DNS_SUBDOMAIN, 253)
    _require_name(namespace, "namespace")
    for what, value in (("access key ID", access_key_id), ("secret access key", secret_access_key)):
        if not isinstance(value, str) or not value.strip():
            raise NifcloudConfigError(f"the NIFCLOUD {what} is empty (set it, vaulted, in the role variables)")
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": _meta(secret_name, labels or {"app.kubernetes.io/managed-by": MANAGED_BY}, namespace),
        "data": dict(zip(SECRET_KEYS, (b64encode_text(access_key_id), b64encode_text(secret_access_key)), strict=True)),
    }


# --------------------------------------------------------------------------- cloud controller manager


def ccm_placement(cfg):
    """Affinity and tolerations of the cloud controller manager: control-plane nodes, also before they are
    initialized by it (the taint the kubelet sets with cloud-provider=external) and before the CNI runs."""
    affinity, tolerations = scheduler_placement(cfg["distribution"], cfg["kubernetes_minor"])
    tolerations = [
        dict(_UNINITIALIZED_TOLERATION),
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoSchedule"},
        *tolerations,
    ]
    return affinity, tolerations


def ccm_objects(raw):
    """Every object of the cloud controller manager except the credentials Secret, in apply order."""
    cfg = normalize_ccm(raw)
    name, ns = cfg["name"], cfg["namespace"]
    labels = _labels(name, name, cfg["version"])
    selector = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name}
    role = f"system:{name}"
    affinity, tolerations = ccm_placement(cfg)
    rules = [
        ("", ["events"], ["create", "patch", "update"]),
        ("", ["nodes"], ["*"]),
        ("", ["nodes/status"], ["patch"]),
        ("", ["services"], ["list", "patch", "update", "watch"]),
        ("", ["services/status"], ["patch"]),
        ("", ["serviceaccounts"], ["get", "create"]),
        ("", ["serviceaccounts/token"], ["create"]),
        ("", ["endpoints"], ["create", "get", "list", "watch", "update"]),
        ("coordination.k8s.io", ["leases"], ["create", "get", "list", "watch", "update", "delete"]),
    ]
    subject = [{"kind": "ServiceAccount", "name": name, "namespace": ns}]
    container = {
        "name": "nifcloud-cloud-controller-manager",
        "image": f"{cfg['image_repository']}:{cfg['image_tag']}",
        "imagePullPolicy": cfg["image_pull_policy"],
        "args": [
            "--cloud-provider=nifcloud",
            "--leader-elect=true",
            "--use-service-account-credentials",
            *list(cfg["extra_args"]),
        ],
        "env": [
            *_secret_env(cfg["secret_name"]),
            {"name": "NIFCLOUD_REGION", "value": cfg["region"]},
            dict(_NODE_NAME_ENV),
        ],
    }
    for key, field in (("resources", "resources"), ("security_context", "securityContext")):
        if cfg[key]:
            container[field] = copy.deepcopy(cfg[key])
    pod_spec = {
        "serviceAccountName": name,
        "hostNetwork": True,
        "priorityClassName": "system-node-critical",
        "affinity": affinity,
        "tolerations": tolerations,
        "containers": [container],
    }
    if cfg["image_pull_secrets"]:
        pod_spec["imagePullSecrets"] = image_pull_secrets(cfg["image_pull_secrets"])
    objs = [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(name, labels, ns)},
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": _meta(role, labels),
            "rules": [{"apiGroups": [g], "resources": r, "verbs": v} for g, r, v in rules],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": _meta(role, labels),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": subject,
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": _meta(f"{role}-auth-reader", labels, "kube-system"),
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "Role",
                "name": "extension-apiserver-authentication-reader",
            },
            "subjects": subject,
        },
        {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": _meta(name, labels, ns),
            "spec": {
                "selector": {"matchLabels": selector},
                "template": {
                    "metadata": _pod_meta(labels, cfg["pod_annotations"]),
                    "spec": pod_spec,
                },
            },
        },
    ]
    return sorted(objs, key=apply_phase)


def ccm_helm_values(raw):
    """Values for the upstream nifcloud-cloud-controller-manager chart describing the same installation.

    The chart (v1.2.0, templates/daemonset.yaml) hard-codes the controller's args: extra_args are refused here.
    It has no priorityClassName value: the DaemonSet of helm mode has none (render and apply set
    system-node-critical).
    """
    cfg = normalize_ccm(raw)
    if cfg["name"] != CCM_DEFAULTS["name"]:
        # templates/*.yaml name every object after the chart (or nameOverride) but daemonset.yaml hard-codes
        # serviceAccountName: nifcloud-cloud-controller-manager, so no other name works.
        raise NifcloudConfigError(
            f"name {cfg['name']} cannot be given to the chart (it names the objects {CCM_DEFAULTS['name']} and "
            "hard-codes that ServiceAccount): use the output apply or render, or the default name"
        )
    if cfg["extra_args"]:
        raise NifcloudConfigError(
            "extra_args cannot be given to the chart (its templates/daemonset.yaml hard-codes the args): "
            "use the output apply or render, or leave extra_args empty"
        )
    affinity, tolerations = ccm_placement(cfg)
    return {
        "image": {
            "repository": cfg["image_repository"],
            "tag": cfg["image_tag"],
            "pullPolicy": cfg["image_pull_policy"],
        },
        # The chart's default nodeSelector (control-plane: "") misses RKE nodes, and Helm merges maps: only a
        # null deletes the default key. The affinity covers every distribution.
        "nodeSelector": helm_replacing(CCM_CHART_NODE_SELECTOR, {}),
        "affinity": affinity,
        "tolerations": tolerations,
        "resources": copy.deepcopy(cfg["resources"]),
        "securityContext": copy.deepcopy(cfg["security_context"]),
        "podAnnotations": dict(cfg["pod_annotations"]),
        "imagePullSecrets": image_pull_secrets(cfg["image_pull_secrets"]),
        "nifcloud": _helm_credentials(cfg),
    }


def _helm_credentials(cfg):
    return {
        "region": cfg["region"],
        "accessKeyId": {"secretName": cfg["secret_name"], "key": SECRET_KEYS[0]},
        "secretAccessKey": {"secretName": cfg["secret_name"], "key": SECRET_KEYS[1]},
    }


# --------------------------------------------------------------------------- CSI driver

CSI_PREFIX = "nifcloud-additional-storage-csi"
CSI_APP = "nifcloud-additional-storage-csi-driver"


def csi_tolerations(cfg, component):
    """Tolerations of the chart plus the taint of nodes the cloud controller manager has not initialized yet."""
    if component == "controller":
        base = [
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
            {"effect": "NoExecute", "operator": "Exists", "tolerationSeconds": 300},
        ]
    else:
        base = [{"effect": "NoExecute", "operator": "Exists", "tolerationSeconds": 300}]
    return [*base, dict(_UNINITIALIZED_TOLERATION)]


def _sidecar(name, key, args, mount, cfg):
    """A sidecar container: image, resources (the chart's sidecars.<key>.resources unless set) and flags."""
    container = {
        "name": name,
        "image": cfg["sidecar_images"][key],
        "imagePullPolicy": cfg["image_pull_policy"],
        "args": args,
        "volumeMounts": [mount],
    }
    if cfg["sidecars"][key]["resources"]:
        container["resources"] = copy.deepcopy(cfg["sidecars"][key]["resources"])
    container["securityContext"] = {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False}
    return container


def _pod_spec_extras(cfg, component, spec):
    """nodeSelector (the chart's kubernetes.io/os plus the component's), affinity and imagePullSecrets."""
    settings = cfg[component]
    spec["nodeSelector"] = {"kubernetes.io/os": "linux", **settings["node_selector"]}
    if settings["affinity"]:
        spec["affinity"] = copy.deepcopy(settings["affinity"])
    if cfg["image_pull_secrets"]:
        spec["imagePullSecrets"] = image_pull_secrets(cfg["image_pull_secrets"])
    return spec


def _csi_controller(cfg, labels):
    name = f"{CSI_PREFIX}-controller"
    socket_dir = "/var/lib/csi/sockets/pluginproxy/"
    selector = {"app": name, "app.kubernetes.io/name": CSI_APP, "app.kubernetes.io/instance": CSI_APP}
    mount = {"name": "socket-dir", "mountPath": socket_dir}
    sidecar_args = ["--csi-address=$(ADDRESS)", f"--v={cfg['log_level']}", "--leader-election=true"]
    sidecars = []
    for key, args in (
        (
            "provisioner",
            [
                *sidecar_args,
                "--feature-gates=Topology=true",
                f"--default-fstype={cfg['default_fstype']}",
            ],
        ),
        ("attacher", list(sidecar_args)),
        ("resizer", list(sidecar_args)),
    ):
        args.append(f"--timeout={cfg['sidecars'][key]['timeout']}")
        container = _sidecar(f"csi-{key}", key, args, mount, cfg)
        container["env"] = [{"name": "ADDRESS", "value": f"{socket_dir}csi.sock"}]
        sidecars.append(container)
    driver = _driver_container(cfg, "controller", f"unix://{socket_dir}csi.sock", [mount])
    probe = _sidecar(
        "liveness-probe",
        "liveness_probe",
        ["--csi-address=/csi/csi.sock"],
        {"name": "socket-dir", "mountPath": "/csi"},
        cfg,
    )
    spec = {
        "serviceAccountName": f"{CSI_PREFIX}-controller-sa",
        "priorityClassName": "system-cluster-critical",
        "tolerations": csi_tolerations(cfg, "controller"),
        "containers": [driver, *sidecars, probe],
        "volumes": [{"name": "socket-dir", "emptyDir": {}}],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(name, labels, cfg["namespace"]),
        "spec": {
            "replicas": cfg["controller_replicas"],
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "selector": {"matchLabels": selector},
            "template": {
                "metadata": _pod_meta(dict(labels, app=name), cfg["controller"]["pod_annotations"]),
                "spec": _pod_spec_extras(cfg, "controller", spec),
            },
        },
    }


def driver_args(cfg):
    """Flags of the driver container (controller and node plugin alike)."""
    debug = ["--nifcloud-sdk-debug-log=true"] if cfg["sdk_debug_log"] else []
    return [
        "--endpoint=$(CSI_ENDPOINT)",
        *debug,
        f"--logging-format={cfg['logging_format']}",
        f"--v={cfg['log_level']}",
    ]


def _driver_container(cfg, component, endpoint, mounts):
    """The driver container of the controller or the node plugin: endpoint, region, credentials, NODE_NAME."""
    container = {
        "name": "controller" if component == "controller" else "node-plugin",
        "image": f"{cfg['image_repository']}:{cfg['image_tag']}",
        "imagePullPolicy": cfg["image_pull_policy"],
        "args": driver_args(cfg),
        "env": [
            {"name": "CSI_ENDPOINT", "value": endpoint},
            {"name": "NIFCLOUD_REGION", "value": cfg["region"]},
            *_secret_env(cfg["secret_name"]),
            dict(_NODE_NAME_ENV),
            *copy.deepcopy(cfg[component]["extra_env"]),
        ],
        "volumeMounts": mounts,
        "ports": [{"name": "healthz", "containerPort": 9808, "protocol": "TCP"}],
        "livenessProbe": _healthz_probe(),
    }
    if cfg[component]["resources"]:
        container["resources"] = copy.deepcopy(cfg[component]["resources"])
    container["securityContext"] = dict(DRIVER_SECURITY_CONTEXT[component])
    return container


# The driver container's securityContext: the chart's node.securityContext, and for the controller the
# controller.securityContext default (which the chart's controller.yaml never reads: it reads
# controller.containerSecurityContext, so helm_values set that one).
DRIVER_SECURITY_CONTEXT = {
    "controller": {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False},
    "node": {"privileged": True, "readOnlyRootFilesystem": True},
}


def _healthz_probe():
    return {
        "httpGet": {"path": "/healthz", "port": "healthz"},
        "initialDelaySeconds": 10,
        "timeoutSeconds": 3,
        "periodSeconds": 10,
        "failureThreshold": 5,
    }


def _csi_node(cfg, labels):
    name = f"{CSI_PREFIX}-node"
    kubelet = cfg["kubelet_dir"]
    plugin_dir = f"{kubelet}/plugins/{CSI_DRIVER_NAME}/"
    registration_socket = f"{kubelet}/plugins/{CSI_DRIVER_NAME}/csi.sock"
    selector = {"app": name, "app.kubernetes.io/name": CSI_APP, "app.kubernetes.io/instance": CSI_APP}
    plugin = _driver_container(
        cfg,
        "node",
        "unix:/csi/csi.sock",
        [
            {"name": "kubelet-dir", "mountPath": kubelet, "mountPropagation": "Bidirectional"},
            {"name": "plugin-dir", "mountPath": "/csi"},
            {"name": "device-dir", "mountPath": "/dev"},
            {"name": "sys-dir", "mountPath": "/sys"},
            {"name": "tmp-dir", "mountPath": "/tmp"},
        ],
    )
    registrar = _sidecar(
        "node-driver-registrar",
        "node_driver_registrar",
        [
            "--csi-address=$(ADDRESS)",
            "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)",
            f"--v={cfg['log_level']}",
        ],
        {"name": "plugin-dir", "mountPath": "/csi"},
        cfg,
    )
    registrar["volumeMounts"].append({"name": "registration-dir", "mountPath": "/registration"})
    registrar["securityContext"] = {"readOnlyRootFilesystem": False, "allowPrivilegeEscalation": False}
    registrar["env"] = [
        {"name": "ADDRESS", "value": "/csi/csi.sock"},
        {"name": "DRIVER_REG_SOCK_PATH", "value": registration_socket},
    ]
    registrar["lifecycle"] = {
        "preStop": {
            "exec": {
                "command": ["/bin/sh", "-c", f"rm -rf /registration/{CSI_DRIVER_NAME}-reg.sock /csi/csi.sock"],
            }
        }
    }
    registrar["livenessProbe"] = {
        "exec": {
            "command": [
                "/csi-node-driver-registrar",
                "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)",
                "--mode=kubelet-registration-probe",
            ]
        },
        "initialDelaySeconds": 30,
        "timeoutSeconds": 15,
        "periodSeconds": 90,
    }
    probe = _sidecar(
        "liveness-probe",
        "liveness_probe",
        ["--csi-address=/csi/csi.sock"],
        {"name": "plugin-dir", "mountPath": "/csi"},
        cfg,
    )

    def host_path(volume, path, kind):
        return {"name": volume, "hostPath": {"path": path, "type": kind}}

    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": _meta(name, labels, cfg["namespace"]),
        "spec": {
            "selector": {"matchLabels": selector},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "10%"}},
            "template": {
                "metadata": _pod_meta(dict(labels, app=name), cfg["node"]["pod_annotations"]),
                "spec": _pod_spec_extras(
                    cfg,
                    "node",
                    {
                        "serviceAccountName": f"{CSI_PREFIX}-node-sa",
                        "priorityClassName": "system-node-critical",
                        "tolerations": csi_tolerations(cfg, "node"),
                        "securityContext": {"runAsNonRoot": False, "runAsUser": 0, "runAsGroup": 0, "fsGroup": 0},
                        "containers": [plugin, registrar, probe],
                        "volumes": [
                            host_path("kubelet-dir", kubelet, "Directory"),
                            host_path("plugin-dir", plugin_dir, "DirectoryOrCreate"),
                            host_path("registration-dir", f"{kubelet}/plugins_registry/", "Directory"),
                            host_path("device-dir", "/dev", "Directory"),
                            host_path("sys-dir", "/sys", "Directory"),
                            {"name": "tmp-dir", "emptyDir": {}},
                        ],
                    },
                ),
            },
        },
    }


def storage_class_parameters(sc):
    """The parameters the driver reads (type, accountingType) and the fstype the external provisioner reads."""
    parameters = {"csi.storage.k8s.io/fstype": sc["fstype"], "type": sc["type"]}
    if sc["accounting_type"]:
        parameters["accountingType"] = sc["accounting_type"]
    return parameters


def _storage_class_object(sc, labels):
    annotations = dict(sc["annotations"])
    if sc["default"]:
        annotations["storageclass.kubernetes.io/is-default-class"] = "true"
    obj = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": _meta(sc["name"], labels, annotations=annotations or None),
        "provisioner": CSI_DRIVER_NAME,
        "parameters": storage_class_parameters(sc),
        "reclaimPolicy": sc["reclaim_policy"],
        "volumeBindingMode": sc["volume_binding_mode"],
        "allowVolumeExpansion": sc["allow_volume_expansion"],
    }
    if sc["mount_options"]:
        obj["mountOptions"] = list(sc["mount_options"])
    return obj


def csi_objects(raw):
    """Every object of the CSI driver except the credentials Secret, in apply order."""
    cfg = normalize_csi(raw)
    ns = cfg["namespace"]
    labels = _labels(CSI_APP, CSI_APP, cfg["version"])
    rbac = "rbac.authorization.k8s.io/v1"
    controller_sa = f"{CSI_PREFIX}-controller-sa"
    cluster_roles = {
        "attacher": [
            ("", ["persistentvolumes"], ["get", "list", "watch", "patch"]),
            ("storage.k8s.io", ["csinodes"], ["get", "list", "watch"]),
            ("storage.k8s.io", ["volumeattachments"], ["get", "list", "watch", "patch"]),
            ("storage.k8s.io", ["volumeattachments/status"], ["patch"]),
        ],
        "provisioner": [
            ("", ["persistentvolumes"], ["get", "list", "watch", "create", "delete"]),
            ("", ["persistentvolumeclaims"], ["get", "list", "watch", "update"]),
            ("storage.k8s.io", ["storageclasses"], ["get", "list", "watch"]),
            ("", ["events"], ["list", "watch", "create", "update", "patch"]),
            ("snapshot.storage.k8s.io", ["volumesnapshots"], ["get", "list"]),
            ("snapshot.storage.k8s.io", ["volumesnapshotcontents"], ["get", "list"]),
            ("storage.k8s.io", ["csinodes"], ["get", "list", "watch"]),
            ("", ["nodes"], ["get", "list", "watch"]),
            ("storage.k8s.io", ["volumeattachments"], ["get", "list", "watch"]),
        ],
        "resizer": [
            ("", ["persistentvolumes"], ["get", "list", "watch", "patch"]),
            ("", ["persistentvolumeclaims"], ["get", "list", "watch"]),
            ("", ["pods"], ["get", "list", "watch"]),
            ("", ["persistentvolumeclaims/status"], ["patch"]),
            ("", ["events"], ["list", "watch", "create", "update", "patch"]),
        ],
    }
    subject = [{"kind": "ServiceAccount", "name": controller_sa, "namespace": ns}]
    objs = [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(controller_sa, labels, ns)},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(f"{CSI_PREFIX}-node-sa", labels, ns)},
    ]
    for key, rules in cluster_roles.items():
        role = f"{CSI_PREFIX}-external-{key}-role"
        objs.append(
            {
                "apiVersion": rbac,
                "kind": "ClusterRole",
                "metadata": _meta(role, labels),
                "rules": [{"apiGroups": [g], "resources": r, "verbs": v} for g, r, v in rules],
            }
        )
        objs.append(
            {
                "apiVersion": rbac,
                "kind": "ClusterRoleBinding",
                "metadata": _meta(f"{CSI_PREFIX}-{key}-binding", labels),
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                "subjects": subject,
            }
        )
    objs += [
        {
            "apiVersion": rbac,
            "kind": "Role",
            "metadata": _meta(f"{CSI_PREFIX}-leases-role", labels, ns),
            "rules": [
                {
                    "apiGroups": ["coordination.k8s.io"],
                    "resources": ["leases"],
                    "verbs": ["get", "watch", "list", "delete", "update", "create"],
                }
            ],
        },
        {
            "apiVersion": rbac,
            "kind": "RoleBinding",
            "metadata": _meta(f"{CSI_PREFIX}-leases-rolebinding", labels, ns),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": f"{CSI_PREFIX}-leases-role"},
            "subjects": subject,
        },
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "CSIDriver",
            "metadata": _meta(CSI_DRIVER_NAME, labels),
            "spec": {"attachRequired": True, "podInfoOnMount": False},
        },
        _csi_controller(cfg, labels),
        _csi_node(cfg, labels),
    ]
    objs += [_storage_class_object(sc, labels) for sc in cfg["storage_classes"]]
    return sorted(objs, key=apply_phase)


def _split_image(image):
    """``registry:5000/path/name:tag`` -> (``registry:5000/path/name``, ``tag``); a digest stays in the tag."""
    name, _at, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        repository, tag = name[:colon], name[colon + 1 :]
    else:
        repository, tag = name, "latest"
    return repository, tag + (f"@{digest}" if digest else "")


KUBELET_DIR = "/var/lib/kubelet"


def csi_helm_values(raw):
    """Values for the upstream nifcloud-additional-storage-csi-driver chart describing the same installation.

    The chart (v1.1.0) hard-codes /var/lib/kubelet (templates/node.yaml) and never reads imagePullSecrets: a
    different kubelet_dir or image_pull_secrets are refused here. Every map is sent so that Helm's merge with
    the chart's defaults (CSI_COMPONENT_DEFAULTS, CSI_SIDECAR_DEFAULTS) ends with the value render writes.
    """
    cfg = normalize_csi(raw)
    if cfg["kubelet_dir"] != KUBELET_DIR:
        raise NifcloudConfigError(
            f"kubelet_dir {cfg['kubelet_dir']} cannot be given to the chart (its templates/node.yaml hard-codes "
            f"{KUBELET_DIR}): use the output apply or render, or the default kubelet_dir"
        )
    immediate = [sc["name"] for sc in cfg["storage_classes"] if sc["volume_binding_mode"] != "WaitForFirstConsumer"]
    if immediate:
        # templates/storageclass.yaml: merge (dict "volumeBindingMode" "WaitForFirstConsumer") . - sprig's merge
        # keeps the first dict's keys, so every class of the chart waits for the first consumer.
        raise NifcloudConfigError(
            f"storage class(es) {', '.join(immediate)}: volume_binding_mode Immediate cannot be given to the chart "
            "(its templates/storageclass.yaml always writes WaitForFirstConsumer): use the output apply or render"
        )
    if cfg["image_pull_secrets"]:
        raise NifcloudConfigError(
            "image_pull_secrets cannot be given to the chart (its templates never read imagePullSecrets): use the "
            "output apply or render, or add the Secrets to the ServiceAccounts"
        )
    sidecars = {}
    for key, (chart_key, has_level, has_timeout) in CSI_SIDECARS.items():
        repository, tag = _split_image(cfg["sidecar_images"][key])
        sidecars[chart_key] = {
            "image": {"repository": repository, "tag": tag},
            "resources": helm_replacing(CSI_SIDECAR_DEFAULTS[key]["resources"], cfg["sidecars"][key]["resources"]),
        }
        if has_level:
            sidecars[chart_key]["logLevel"] = cfg["log_level"]
        if has_timeout:
            sidecars[chart_key]["timeout"] = cfg["sidecars"][key]["timeout"]
    storage = []
    for sc in cfg["storage_classes"]:
        entry = {
            "name": sc["name"],
            "parameters": storage_class_parameters(sc),
            "reclaimPolicy": sc["reclaim_policy"],
            "volumeBindingMode": sc["volume_binding_mode"],
            "allowVolumeExpansion": sc["allow_volume_expansion"],
        }
        annotations = dict(sc["annotations"])
        if sc["default"]:
            annotations["storageclass.kubernetes.io/is-default-class"] = "true"
        if annotations:
            entry["annotations"] = annotations
        if sc["mount_options"]:
            entry["mountOptions"] = list(sc["mount_options"])
        storage.append(entry)
    return {
        "image": {
            "repository": cfg["image_repository"],
            "tag": cfg["image_tag"],
            "pullPolicy": cfg["image_pull_policy"],
        },
        "controller": {
            "replicaCount": cfg["controller_replicas"],
            "defaultFsType": cfg["default_fstype"],
            # The chart's controller.yaml reads containerSecurityContext, not the securityContext of its values.
            "containerSecurityContext": dict(DRIVER_SECURITY_CONTEXT["controller"]),
            **_csi_component_values(cfg, "controller"),
        },
        "node": _csi_component_values(cfg, "node"),
        "sidecars": sidecars,
        "nifcloud": _helm_credentials(cfg),
        "storageClasses": storage,
    }


def _csi_component_values(cfg, component):
    """controller.* or node.* values: placement, logging, extraEnv, resources, annotations."""
    settings, defaults = cfg[component], CSI_COMPONENT_DEFAULTS[component]
    return {
        "tolerations": csi_tolerations(cfg, component),
        # The chart's node.yaml passes controller.logLevel to the node plugin too: both get log_level.
        "logLevel": cfg["log_level"],
        "loggingFormat": cfg["logging_format"],
        "sdkDebugLog": cfg["sdk_debug_log"],
        # A list over the chart's default map {}: Helm keeps the list (and warns), the template writes its items.
        "extraEnv": copy.deepcopy(settings["extra_env"]),
        "resources": helm_replacing(defaults["resources"], settings["resources"]),
        "podAnnotations": dict(settings["pod_annotations"]),
        "nodeSelector": dict(settings["node_selector"]),
        "affinity": helm_replacing(defaults["affinity"], settings["affinity"]),
    }


def deploy_facts(component, raw):
    """Names the role needs besides the objects: the Secret, its namespace, the StorageClasses."""
    if component not in ("ccm", "csi"):
        raise NifcloudConfigError(f"component {component!r} is not ccm or csi")
    cfg = normalize_ccm(raw) if component == "ccm" else normalize_csi(raw)
    facts = {"secret_name": cfg["secret_name"], "namespace": cfg["namespace"], "version": cfg["version"]}
    if component == "csi":
        facts["storage_classes"] = [sc["name"] for sc in cfg["storage_classes"]]
        facts["driver_name"] = CSI_DRIVER_NAME
    return facts


# --------------------------------------------------------------------------- smoke test objects

ACCOUNTING_ANNOTATION = "service.beta.kubernetes.io/nifcloud-load-balancer-accounting-type"


def lb_smoke_objects(namespace="lvmkube-nifcloud-smoke", image="nginx:alpine", accounting_type="2", replicas=3):
    """The seed's load-balancer demonstration: Namespace, nginx Deployment and a type LoadBalancer Service.

    accounting_type is the NIFCLOUD load balancer's (1 monthly, 2 pay per use), set with the annotation the cloud
    controller manager reads.
    """
    _require_name(namespace, "namespace")
    if str(accounting_type) not in ("1", "2"):
        raise NifcloudConfigError("accounting_type must be 1 (monthly) or 2 (pay per use)")
    as_int(replicas, "replicas", 1, NifcloudConfigError)
    labels = {"app": "nginx", "app.kubernetes.io/managed-by": MANAGED_BY}
    return {
        "namespace": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace, "labels": labels}},
        "deployment": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "nginx", "namespace": namespace, "labels": dict(labels)},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "nginx"}},
                "template": {
                    "metadata": {"labels": {"app": "nginx"}},
                    "spec": {
                        "containers": [{"name": "nginx", "image": image, "ports": [{"containerPort": 80}]}],
                    },
                },
            },
        },
        "service": {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "nginx",
                "namespace": namespace,
                "labels": dict(labels),
                "annotations": {ACCOUNTING_ANNOTATION: str(accounting_type)},
            },
            "spec": {
                "type": "LoadBalancer",
                "selector": {"app": "nginx"},
                "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
            },
        },
    }
