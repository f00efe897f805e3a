# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values for the upstream nifcloud-additional-storage-csi-driver chart that describe the installation
:func:`csi.csi_objects` builds.

Chart facts: nifcloud-additional-storage-csi-driver chart v1.1.0, charts/nifcloud-additional-storage-csi-driver/
values.yaml and templates/{controller,node,storageclass}.yaml at commit df5e6830. Helm merges the maps the role
sends into the chart's defaults (csi_settings.CSI_COMPONENT_DEFAULTS, CSI_SIDECAR_DEFAULTS), so the values name
every default key the role's value lacks with null (render.helm_replacing).
"""

from __future__ import annotations

import copy

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import (
    NifcloudConfigError,
    helm_credentials,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.csi import (
    csi_tolerations,
    storage_class_annotations,
    storage_class_parameters,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.csi_settings import (
    CSI_COMPONENT_DEFAULTS,
    CSI_SIDECAR_DEFAULTS,
    CSI_SIDECARS,
    DRIVER_SECURITY_CONTEXT,
    KUBELET_DIR,
    normalize_csi,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import helm_replacing, split_image


def _refuse_what_the_chart_cannot_take(cfg):
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


def _sidecar_values(cfg):
    """sidecars.<chart key>: image, resources, and the log level and timeout where the sidecar has them."""
    sidecars = {}
    for key, (chart_key, has_level, has_timeout) in CSI_SIDECARS.items():
        repository, tag = split_image(cfg["sidecar_images"][key])
        sidecars[chart_key] = {
            "image": {"repository": repository, "tag": tag},
            "resources": helm_replacing(CSI_SIDECAR_DEFAULTS[key]["resources"], cfg["sidecars"][key]["resources"]),
        }
        if has_level:
            sidecars[chart_key]["logLevel"] = cfg["log_level"]
        if has_timeout:
            sidecars[chart_key]["timeout"] = cfg["sidecars"][key]["timeout"]
    return sidecars


def _storage_class_values(sc):
    """One entry of storageClasses."""
    entry = {
        "name": sc["name"],
        "parameters": storage_class_parameters(sc),
        "reclaimPolicy": sc["reclaim_policy"],
        "volumeBindingMode": sc["volume_binding_mode"],
        "allowVolumeExpansion": sc["allow_volume_expansion"],
    }
    annotations = storage_class_annotations(sc)
    if annotations:
        entry["annotations"] = annotations
    if sc["mount_options"]:
        entry["mountOptions"] = list(sc["mount_options"])
    return entry


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


def csi_helm_values(raw):
    """Values for the upstream nifcloud-additional-storage-csi-driver chart describing the same installation.

    The chart (v1.1.0) hard-codes /var/lib/kubelet (templates/node.yaml), writes WaitForFirstConsumer for every
    class and never reads imagePullSecrets: a different kubelet_dir, an Immediate class or image_pull_secrets are
    refused here. Every map is sent so that Helm's merge with the chart's defaults ends with the value render
    writes.
    """
    cfg = normalize_csi(raw)
    _refuse_what_the_chart_cannot_take(cfg)
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
        "sidecars": _sidecar_values(cfg),
        "nifcloud": helm_credentials(cfg),
        "storageClasses": [_storage_class_values(sc) for sc in cfg["storage_classes"]],
    }
