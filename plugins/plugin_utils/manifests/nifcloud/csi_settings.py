# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settings of the NIFCLOUD additional-storage CSI driver: the role's defaults, the chart's defaults the objects
and the Helm values both start from, and the checks of every value and StorageClass.

Chart facts: nifcloud-additional-storage-csi-driver chart v1.1.0,
charts/nifcloud-additional-storage-csi-driver/values.yaml at commit df5e6830; the disk types of the driver's
pkg/cloud/cloud.go of v1.1.0.
"""

from __future__ import annotations

import copy
import re

from ansible_collections.lvmkube.cluster.plugins.module_utils.coerce import as_bool, as_int
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import (
    COMMON_DEFAULTS,
    NifcloudConfigError,
    deploy_facts,
    image_pull_secrets,
    normalize_common,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import (
    named_entries,
    require_known_keys,
    require_map,
    string_map,
)

CSI_DRIVER_NAME = "additional-storage.csi.nifcloud.com"
# Disk types the driver accepts as the StorageClass parameter "type".
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
LOGGING_FORMATS = ("text", "json")
# The chart's templates/node.yaml hard-codes this kubelet directory.
KUBELET_DIR = "/var/lib/kubelet"

CSI_DEFAULTS = dict(
    COMMON_DEFAULTS,
    version="1.1.0",
    image_repository="ghcr.io/nifcloud/nifcloud-additional-storage-csi-driver",
    secret_name="nifcloud-additional-storage-csi-secret",
    controller_replicas=2,
    default_fstype="ext4",
    log_level=2,
    kubelet_dir=KUBELET_DIR,
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


# --------------------------------------------------------------------------- the chart's defaults
# What the chart's values.yaml holds at the paths the role sets.


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
# The driver container's securityContext: the chart's node.securityContext, and for the controller the
# controller.securityContext default (which the chart's controller.yaml never reads: it reads
# controller.containerSecurityContext, so the Helm values set that one).
DRIVER_SECURITY_CONTEXT = {
    "controller": {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False},
    "node": {"privileged": True, "readOnlyRootFilesystem": True},
}
_FIXED_ENV = ("CSI_ENDPOINT", "NIFCLOUD_REGION", "NIFCLOUD_ACCESS_KEY_ID", "NIFCLOUD_SECRET_ACCESS_KEY", "NODE_NAME")
_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$")


# --------------------------------------------------------------------------- checks


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
    require_known_keys(value, CSI_COMPONENT_KEYS, what, NifcloudConfigError)
    result = copy.deepcopy(CSI_COMPONENT_DEFAULTS[component])
    result.update({k: v for k, v in value.items() if v is not None})
    result["extra_env"] = _extra_env(result["extra_env"], f"{what}.extra_env")
    for key in ("resources", "affinity"):
        require_map(result[key], f"{what}.{key}", NifcloudConfigError)
    for key in ("pod_annotations", "node_selector"):
        result[key] = string_map(result[key], f"{what}.{key}", NifcloudConfigError)
    return result


def _csi_sidecars(value):
    result = copy.deepcopy(CSI_SIDECAR_DEFAULTS)
    require_known_keys(value, result, "sidecars", NifcloudConfigError)
    for key, settings in value.items():
        require_known_keys(settings, result[key], f"sidecars.{key}", NifcloudConfigError)
        result[key].update({k: v for k, v in settings.items() if v is not None})
        require_map(result[key]["resources"], f"sidecars.{key}.resources", NifcloudConfigError)
        if "timeout" in result[key]:
            result[key]["timeout"] = str(result[key]["timeout"])
            if not _DURATION.fullmatch(result[key]["timeout"]):
                raise NifcloudConfigError(
                    f"sidecars.{key}.timeout {result[key]['timeout']!r} is not a duration such as 600s"
                )
    return result


def _sidecar_images(value):
    images = dict(CSI_DEFAULTS["sidecar_images"])
    require_known_keys(value, sorted(images), "sidecar_images", NifcloudConfigError)
    images.update(value)
    for key, image in images.items():
        if not isinstance(image, str) or not image or any(c.isspace() for c in image):
            raise NifcloudConfigError(f"sidecar_images.{key} must be an image reference")
    return images


def normalize_csi(raw):
    """Fill the CSI driver defaults, check every value and the StorageClass list; raise NifcloudConfigError."""
    cfg = normalize_common(raw, CSI_DEFAULTS)
    # The role passes "{{ nifcloud_csi_x | int }}" in its dict variable: before ansible-core 2.19 that is text.
    cfg["controller_replicas"] = as_int(cfg["controller_replicas"], "controller_replicas", 1, NifcloudConfigError, True)
    if cfg["default_fstype"] not in FSTYPES:
        raise NifcloudConfigError(f"default_fstype must be one of {', '.join(FSTYPES)}")
    cfg["log_level"] = as_int(cfg["log_level"], "log_level", 0, NifcloudConfigError, True)
    if not str(cfg["kubelet_dir"]).startswith("/"):
        raise NifcloudConfigError(f"kubelet_dir must be an absolute path, got {cfg['kubelet_dir']!r}")
    cfg["kubelet_dir"] = str(cfg["kubelet_dir"]).rstrip("/") or "/"
    cfg["sidecar_images"] = _sidecar_images(cfg["sidecar_images"])
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
    result = []
    for _index, name, entry in named_entries(
        requested, "storage_classes", "storage class", STORAGE_CLASS_KEYS, NifcloudConfigError
    ):
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


def csi_facts(raw):
    """Secret name, namespace, version, StorageClass names and driver name of the CSI driver."""
    cfg = normalize_csi(raw)
    return dict(
        deploy_facts(cfg),
        storage_classes=[sc["name"] for sc in cfg["storage_classes"]],
        driver_name=CSI_DRIVER_NAME,
    )
