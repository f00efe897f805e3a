# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settings of a TopoLVM installation, checked once and normalised into one dict.

The objects (``topolvm_objects``) and the chart values (``topolvm_helm``) are both derived from the dict
:func:`normalize_config` returns, so a setting is read and checked in one place. Defaults are not written
here: the role's ``meta/argument_specs.yml`` holds them (the filters fill missing keys from it).
"""

from __future__ import annotations

import copy
import re

from ansible_collections.lvmkube.cluster.plugins.module_utils import device_classes, kubernetes_version

# Keys of the settings dict: the role variables without their ``topolvm_`` prefix.
SETTINGS = (
    "name",
    "namespace",
    "version",
    "image_repository",
    "image_tag",
    "image_digest",
    "image_pull_policy",
    "legacy",
    "scheduling_mode",
    "distribution",
    "kubernetes_version",
    "device_classes",
    "storage_classes",
    "default_fstype",
    "default_storage_class",
    "lvmd_managed",
    "lvmd_socket",
    "kubelet_dir",
    "controller_replicas",
    "scheduler_replicas",
    "scheduler_port",
    "scheduler_service_type",
    "scheduler_service_cluster_ip",
    "cert_mode",
    "snapshot",
    "priority_class",
    "helm_chart_version",
)
# The argument spec's choices, repeated for users of the filters outside the role (a test holds them equal).
SCHEDULING_MODES = ("storage-capacity", "extender-daemonset", "extender-deployment")
DISTRIBUTIONS = ("kubeadm", "rke1", "rke2")
CERT_MODES = ("self-signed", "cert-manager")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer")
FSTYPES = ("xfs", "ext4", "btrfs")
MIN_KUBERNETES = (1, 24)
# image.reference of the upstream chart's values.yaml for its TopoLVM version (chart 17.1.0: TopoLVM 0.41.0).
IMAGE_DIGESTS = {"0.41.0": "sha256:5faf5b94557516ae0f6fa7d329a5a4305e22aa2dc464af7641b31f2aca618036"}
# Chart 17.0.0 renamed image.tag to image.reference (a tag and/or digest).
CHART_IMAGE_REFERENCE_SINCE = (17, 0, 0)
PRIORITY_CLASS_VALUE = 1000000  # the chart's priorityClass.value

_RELEASE = re.compile(r"^\d+\.\d+\.\d+([-.][0-9A-Za-z.-]+)?$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


class TopolvmConfigError(ValueError):
    """The TopoLVM configuration cannot produce a valid installation."""


def parse_kubernetes_version(version):
    """Return ``(major, minor)`` of a version such as ``1.30``, ``v1.30.4`` or ``1.30.4+rke2r1``."""
    try:
        return kubernetes_version.parse_kubernetes_version(version)
    except kubernetes_version.KubernetesVersionError as exc:
        raise TopolvmConfigError(f"kubernetes_version {exc}") from None


def require_name(value, what, pattern=_DNS_LABEL, max_len=63):
    if not isinstance(value, str) or not value or len(value) > max_len or not pattern.match(value):
        raise TopolvmConfigError(f"{what} {value!r} is not a valid Kubernetes name (lower case, digits, '-')")
    return value


def _as_bool(value, what):
    if isinstance(value, bool):
        return value
    raise TopolvmConfigError(f"{what} must be true or false, got {value!r}")


def _as_int(value, what, minimum=0):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise TopolvmConfigError(f"{what} must be an integer >= {minimum}, got {value!r}")
    return value


def normalize_config(raw):
    """Check every setting and derive what the objects and the chart values need; raise on bad input.

    ``raw`` holds every key of :data:`SETTINGS` (the role passes them all; the filters fill the missing ones
    from the role's argument spec, the one place defaults are written). Unknown or missing keys are errors.
    """
    if not isinstance(raw, dict):
        raise TopolvmConfigError("the TopoLVM configuration must be a dict")
    unknown = sorted(set(raw) - set(SETTINGS))
    if unknown:
        raise TopolvmConfigError(f"unknown TopoLVM setting(s): {', '.join(unknown)}")
    missing = sorted(set(SETTINGS) - set(raw))
    if missing:
        raise TopolvmConfigError(f"missing TopoLVM setting(s): {', '.join(missing)}")
    cfg = copy.deepcopy(dict(raw))

    require_name(cfg["name"], "name", max_len=40)
    require_name(cfg["namespace"], "namespace")
    cfg["version"] = str(cfg["version"]).lstrip("v")
    if not _RELEASE.match(cfg["version"]):
        raise TopolvmConfigError(f"version {cfg['version']!r} is not a TopoLVM release such as 0.41.0")
    cfg["helm_chart_version"] = str(cfg["helm_chart_version"]).lstrip("v")
    if not _RELEASE.match(cfg["helm_chart_version"]):
        raise TopolvmConfigError(
            f"helm_chart_version {cfg['helm_chart_version']!r} is not a chart version such as 17.1.0"
        )
    if not cfg["image_repository"] or any(c.isspace() for c in str(cfg["image_repository"])):
        raise TopolvmConfigError("image_repository must be a non-empty image name")
    cfg["image_reference"] = image_reference(cfg["version"], cfg["image_tag"], cfg["image_digest"])
    cfg["image"] = f"{cfg['image_repository']}:{cfg['image_reference']}"
    _choice(cfg, "image_pull_policy", PULL_POLICIES)
    for key in ("legacy", "lvmd_managed", "snapshot", "priority_class"):
        _as_bool(cfg[key], key)
    _choice(cfg, "scheduling_mode", SCHEDULING_MODES)
    _choice(cfg, "distribution", DISTRIBUTIONS)
    _choice(cfg, "cert_mode", CERT_MODES)
    _choice(cfg, "scheduler_service_type", SERVICE_TYPES)
    _choice(cfg, "default_fstype", FSTYPES)
    cfg["kubernetes_minor"] = parse_kubernetes_version(cfg["kubernetes_version"])
    if cfg["kubernetes_minor"] < MIN_KUBERNETES:
        raise TopolvmConfigError(
            f"Kubernetes {cfg['kubernetes_version']} is older than 1.24, the oldest version this role supports"
        )
    _as_int(cfg["controller_replicas"], "controller_replicas", 1)
    _as_int(cfg["scheduler_replicas"], "scheduler_replicas", 1)
    _as_int(cfg["scheduler_port"], "scheduler_port", 1)
    if cfg["scheduler_port"] > 65535:
        raise TopolvmConfigError("scheduler_port must be at most 65535")
    for key in ("lvmd_socket", "kubelet_dir"):
        if not str(cfg[key]).startswith("/"):
            raise TopolvmConfigError(f"{key} must be an absolute path, got {cfg[key]!r}")
    cfg["kubelet_dir"] = str(cfg["kubelet_dir"]).rstrip("/") or "/"

    cfg["device_classes"] = _check_device_classes(cfg["device_classes"])
    cfg["storage_classes"] = _storage_classes(cfg)
    cfg["lvmd_document"] = device_classes.lvmd_document(cfg["device_classes"], str(cfg["lvmd_socket"]))
    return cfg


def _choice(cfg, key, choices):
    if cfg[key] not in choices:
        raise TopolvmConfigError(f"{key} {cfg[key]!r} is not one of {', '.join(choices)}")


def image_reference(version, tag="", digest=""):
    """``tag@sha256:...`` as the chart's ``image.reference``: the tag is the version unless set, and the
    digest of the default version's image is known (the chart pins it); other versions get no digest
    unless ``digest`` or a ``tag@digest`` is given."""
    tag = str(tag or version)
    if "@" in tag:
        if digest:
            raise TopolvmConfigError("image_tag already carries a digest (tag@sha256:...); leave image_digest empty")
        tag, digest = tag.split("@", 1)
    elif not digest and tag == version:
        digest = IMAGE_DIGESTS.get(version, "")
    if not _TAG.match(tag):
        raise TopolvmConfigError(f"image_tag {tag!r} is not an image tag")
    if digest and not _DIGEST.match(str(digest)):
        raise TopolvmConfigError(f"image_digest {digest!r} is not a digest such as sha256:<64 hex digits>")
    return f"{tag}@{digest}" if digest else tag


def _check_device_classes(value):
    """The device classes, checked by the collection's one schema (module_utils/device_classes.py)."""
    try:
        return device_classes.device_classes(value)
    except device_classes.DeviceClassError as exc:
        raise TopolvmConfigError(f"device_classes: {exc}") from None


def _storage_classes(cfg):
    dc_names = [str(dc["name"]) for dc in cfg["device_classes"]]
    requested = cfg["storage_classes"]
    if not requested:  # None or []: one class per device class
        requested = [
            {"name": f"{cfg['name']}-{name}".replace("_", "-").lower(), "device_class": name} for name in dc_names
        ]
    if not isinstance(requested, list):
        raise TopolvmConfigError("storage_classes must be a list")
    result = []
    seen = set()
    for index, entry in enumerate(requested):
        if not isinstance(entry, dict):
            raise TopolvmConfigError(f"storage_classes[{index}] must be a dict")
        unknown = sorted(
            set(entry)
            - {
                "name",
                "device_class",
                "fstype",
                "default",
                "reclaim_policy",
                "mount_options",
                "annotations",
                "parameters",
            }
        )
        if unknown:
            raise TopolvmConfigError(f"storage_classes[{index}] has unknown key(s): {', '.join(unknown)}")
        name = require_name(entry.get("name"), f"storage_classes[{index}].name", DNS_SUBDOMAIN, 253)
        if name in seen:
            raise TopolvmConfigError(f"storage class {name!r} is listed twice")
        seen.add(name)
        device_class = str(entry.get("device_class") or "")
        if device_class and device_class not in dc_names:
            raise TopolvmConfigError(
                f"storage class {name!r} uses device class {device_class!r} which is not in device_classes"
            )
        fstype = entry.get("fstype") or cfg["default_fstype"]
        if fstype not in ("xfs", "ext4", "btrfs"):
            raise TopolvmConfigError(f"storage class {name!r}: fstype must be xfs, ext4 or btrfs")
        reclaim = entry.get("reclaim_policy") or "Delete"
        if reclaim not in ("Delete", "Retain"):
            raise TopolvmConfigError(f"storage class {name!r}: reclaim_policy must be Delete or Retain")
        result.append(
            {
                "name": name,
                "device_class": device_class,
                "fstype": fstype,
                "default": bool(entry.get("default", False)) or name == cfg["default_storage_class"],
                "reclaim_policy": reclaim,
                "mount_options": list(entry.get("mount_options") or []),
                "annotations": dict(entry.get("annotations") or {}),
                "parameters": {str(k): str(v) for k, v in (entry.get("parameters") or {}).items()},
            }
        )
    if cfg["default_storage_class"] and cfg["default_storage_class"] not in seen:
        raise TopolvmConfigError(f"default_storage_class {cfg['default_storage_class']!r} is not a storage class")
    if sum(1 for sc in result if sc["default"]) > 1:
        raise TopolvmConfigError("more than one storage class is marked default")
    return result


# --------------------------------------------------------------------------- derived facts


def plugin_name(cfg):
    """The CSI driver and API group name: ``topolvm.io`` or the legacy ``topolvm.cybozu.com``."""
    return "topolvm.cybozu.com" if cfg["legacy"] else "topolvm.io"


def webhook_enabled(cfg):
    """The pod mutating webhook is only needed by the scheduler extender modes."""
    return cfg["scheduling_mode"] != "storage-capacity"


def capacity_resource(cfg):
    """The extended resource the pod webhook adds and the scheduler extender manages."""
    return f"{plugin_name(cfg)}/capacity"


def extender_url(cfg, service_cluster_ip=""):
    """URL kube-scheduler uses to reach topolvm-scheduler, or '' in storage-capacity mode.

    ``service_cluster_ip`` is the address ``apply`` reads back from the Service when none is fixed."""
    if cfg["scheduling_mode"] == "extender-daemonset":
        return f"http://127.0.0.1:{cfg['scheduler_port']}"
    if cfg["scheduling_mode"] == "extender-deployment":
        host = (
            service_cluster_ip
            or cfg["scheduler_service_cluster_ip"]
            or (f"{cfg['name']}-scheduler.{cfg['namespace']}.svc")
        )
        return f"http://{host}:{cfg['scheduler_port']}"
    return ""


def ignored_namespaces(cfg):
    """Namespaces labelled ``<plugin>/webhook=ignore`` (the pod webhook skips them)."""
    names = ["kube-system", cfg["namespace"]]
    if webhook_enabled(cfg) and cfg["cert_mode"] == "cert-manager":
        names.append("cert-manager")
    return names


def scheduler_placement(distribution, kubernetes_minor):
    """Node affinity and tolerations that put topolvm-scheduler next to kube-scheduler."""
    if distribution == "rke1":
        terms = [
            {
                "matchExpressions": [
                    {"key": "node-role.kubernetes.io/controlplane", "operator": "In", "values": ["true"]}
                ]
            }
        ]
        tolerations = [
            {"key": "node-role.kubernetes.io/controlplane", "operator": "Exists"},
            {"key": "node-role.kubernetes.io/etcd", "operator": "Exists"},
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
        ]
    elif distribution == "rke2":
        terms = [
            {
                "matchExpressions": [
                    {"key": "node-role.kubernetes.io/control-plane", "operator": "In", "values": ["true"]}
                ]
            }
        ]
        tolerations = [
            {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"},
            {"key": "node-role.kubernetes.io/etcd", "operator": "Exists"},
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
        ]
    else:
        terms = [{"matchExpressions": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}]}]
        tolerations = [
            {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
        ]
        if kubernetes_minor < (1, 25):
            # kubeadm before 1.25 still labels or taints control-plane nodes with the old "master" role.
            terms.append({"matchExpressions": [{"key": "node-role.kubernetes.io/master", "operator": "Exists"}]})
            tolerations.append({"key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoSchedule"})
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}}
    return affinity, tolerations


def webhook_secret_name(cfg):
    return f"{cfg['name']}-mutatingwebhook"


def webhook_dns_names(cfg):
    service = f"{cfg['name']}-controller"
    return [service, f"{service}.{cfg['namespace']}", f"{service}.{cfg['namespace']}.svc"]


def deploy_facts(raw, service_cluster_ip=""):
    """Facts the playbooks need besides the objects (plugin name, extender URL, capacity resource...)."""
    cfg = normalize_config(raw)
    return {
        "plugin_name": plugin_name(cfg),
        "other_plugin_name": "topolvm.io" if cfg["legacy"] else "topolvm.cybozu.com",
        "webhook_enabled": webhook_enabled(cfg),
        "capacity_resource": capacity_resource(cfg),
        "extender_url": extender_url(cfg, service_cluster_ip),
        "ignored_namespaces": ignored_namespaces(cfg),
        "webhook_dns_names": webhook_dns_names(cfg),
        "webhook_secret_name": webhook_secret_name(cfg),
        "storage_classes": [sc["name"] for sc in cfg["storage_classes"]],
        "image": cfg["image"],
    }
