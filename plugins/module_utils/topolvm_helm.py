# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values for the upstream topolvm/topolvm chart from the normalised TopoLVM settings."""

from __future__ import annotations

import copy
import re

from ansible_collections.lvmkube.cluster.plugins.module_utils.topolvm_settings import (
    CHART_IMAGE_REFERENCE_SINCE,
    PRIORITY_CLASS_VALUE,
    TopolvmConfigError,
    ignored_namespaces,
    normalize_config,
    plugin_name,
    scheduler_placement,
    webhook_enabled,
    webhook_secret_name,
)


def chart_version_tuple(version):
    """(major, minor, patch) of a chart version such as 17.1.0."""
    return tuple(int(part) for part in re.match(r"^(\d+)\.(\d+)\.(\d+)", version).groups())


def helm_values(raw, certificates=None, without_certificates=False):
    """Values for the upstream ``topolvm/topolvm`` chart that describe the same installation.

    Derived from the same normalised settings as the objects (``topolvm_objects.build_manifests``);
    ``certificates`` and ``without_certificates`` as there (only ``ca_bundle`` is sent: the role applies the
    Secret itself).
    """
    cfg = normalize_config(raw)
    image = {"repository": cfg["image_repository"], "pullPolicy": cfg["image_pull_policy"]}
    if chart_version_tuple(cfg["helm_chart_version"]) >= CHART_IMAGE_REFERENCE_SINCE:
        image["reference"] = cfg["image_reference"]
    else:  # charts before 17.0.0 read image.tag
        image["tag"] = cfg["image_reference"]
    affinity, tolerations = scheduler_placement(cfg["distribution"], cfg["kubernetes_minor"])
    values = {
        # The chart names objects "<fullname>-controller"...; fullname is the release name only when it contains
        # "topolvm". The override makes it the role's name always, as apply names them.
        "fullnameOverride": cfg["name"],
        "useLegacy": cfg["legacy"],
        "image": image,
        # Removing the CRD deletes every LogicalVolume: keep it on helm uninstall, as apply does.
        "crd": {"annotations": {"helm.sh/resource-policy": "keep"}},
        "controller": {
            "replicaCount": cfg["controller_replicas"],
            "storageCapacityTracking": {"enabled": not webhook_enabled(cfg)},
        },
        "scheduler": {
            "enabled": webhook_enabled(cfg),
            "type": "daemonset" if cfg["scheduling_mode"] == "extender-daemonset" else "deployment",
            "affinity": affinity,
            "tolerations": tolerations,
            "deployment": {"replicaCount": cfg["scheduler_replicas"]},
            "service": {"type": cfg["scheduler_service_type"]},
            "options": {
                "listen": {
                    "host": "localhost" if cfg["scheduling_mode"] == "extender-daemonset" else "",
                    "port": cfg["scheduler_port"],
                }
            },
        },
        "webhook": {
            "podMutatingWebhook": {"enabled": webhook_enabled(cfg), "ignoreNamespaces": ignored_namespaces(cfg)},
            "certManager": cfg["cert_mode"] == "cert-manager",
        },
        "lvmd": {
            "managed": cfg["lvmd_managed"],
            "socketName": cfg["lvmd_socket"],
            "deviceClasses": copy.deepcopy(cfg["lvmd_document"]["device-classes"]),
        },
        "node": {"lvmdSocket": cfg["lvmd_socket"], "kubeletWorkDirectory": cfg["kubelet_dir"]},
        "snapshot": {"enabled": cfg["snapshot"]},
        "priorityClass": {"enabled": cfg["priority_class"], "name": cfg["name"], "value": PRIORITY_CLASS_VALUE},
        "storageClasses": [
            {
                "name": sc["name"],
                "storageClass": {
                    "fsType": sc["fstype"],
                    "isDefaultClass": sc["default"],
                    "reclaimPolicy": sc["reclaim_policy"],
                    "volumeBindingMode": "WaitForFirstConsumer",
                    "allowVolumeExpansion": True,
                    "annotations": sc["annotations"],
                    "mountOptions": sc["mount_options"],
                    "additionalParameters": dict(
                        ({f"{plugin_name(cfg)}/device-class": sc["device_class"]} if sc["device_class"] else {}),
                        **sc["parameters"],
                    ),
                },
            }
            for sc in cfg["storage_classes"]
        ],
    }
    if cfg["scheduler_service_cluster_ip"]:
        values["scheduler"]["service"]["clusterIP"] = cfg["scheduler_service_cluster_ip"]
    if webhook_enabled(cfg) and cfg["cert_mode"] == "self-signed":
        values["webhook"]["secretName"] = webhook_secret_name(cfg)
        if without_certificates:
            return values
        if not (certificates or {}).get("ca_bundle"):
            raise TopolvmConfigError(
                "cert_mode self-signed with an extender mode needs the webhook certificate's ca_bundle"
            )
        values["webhook"]["caBundle"] = certificates["ca_bundle"]
    return values
