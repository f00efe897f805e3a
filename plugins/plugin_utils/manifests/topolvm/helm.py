# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values for the upstream topolvm/topolvm chart from the normalised TopoLVM settings."""

from __future__ import annotations

import copy
import json
import re

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.placement import scheduler_placement
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import (
    CHECKSUM_ANNOTATION,
    helm_replacing,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.facts import (
    ignored_namespaces,
    storage_class_parameters,
    webhook_enabled,
    webhook_secret_name,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.lvmd import lvmd_checksum
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import (
    CHART_IMAGE_REFERENCE_SINCE,
    COMPONENTS,
    MAIN_CONTAINERS,
    POD_KNOBS,
    POD_MONITOR_COMPONENTS,
    PRIORITY_CLASS_VALUE,
    TopolvmConfigError,
    node_set_affinity,
    normalize_config,
    per_node,
)

# Chart 17.1.0 values.yaml (topolvm/topolvm tag topolvm-chart-v17.1.0, commit 83e3dcee): the one map default at a
# path the role sets that Helm would merge the role's map into. The role's affinity replaces it whole.
CHART_SCHEDULER_AFFINITY = {
    "nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {"matchExpressions": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}]}
            ]
        }
    }
}


def chart_version_tuple(version):
    """(major, minor, patch) of a chart version such as 17.1.0."""
    return tuple(int(part) for part in re.match(r"^(\d+)\.(\d+)\.(\d+)", version).groups())


def _pod_values(values, component, pod):
    """The <component>_pod knobs as the chart's values, as POD_KNOBS says."""
    for knob in POD_KNOBS:
        if not pod[knob.key]:
            continue
        if component not in knob.chart_components:
            raise TopolvmConfigError(
                f"{component}_pod.{knob.key}: the chart has no pod {knob.key} for {component}; "
                "use topolvm_output apply or render, or leave them out"
            )
        value = copy.deepcopy(pod[knob.key])
        if knob.key == "affinity" and component == "controller":
            value = json.dumps(value)  # controller.affinity is a template string in the chart (JSON is YAML)
        if knob.chart:
            values[component][knob.chart] = value
        else:
            values.setdefault("resources", {})[MAIN_CONTAINERS[component].replace("-", "_")] = value


def _per_node_values(values, cfg):
    """The lvmd sets as the chart's lvmd (set 0) and lvmd.additionalConfigs (the others), each with its selector."""
    lvmd, label = values["lvmd"], cfg["node_label"]
    user_selector = cfg["pods"]["lvmd"]["node_selector"]
    lvmd["nodeSelector"] = {**user_selector, label: "0"}
    lvmd["additionalConfigs"] = []
    for lvmd_set in cfg["lvmd_sets"][1:]:
        extra = {
            "nodeSelector": {**user_selector, label: lvmd_set["idx"]},
            "deviceClasses": copy.deepcopy(lvmd_set["document"]["device-classes"]),
        }
        if cfg["lvcreate_option_classes"]:
            extra["lvcreateOptionClasses"] = copy.deepcopy(cfg["lvcreate_option_classes"])
        for key, name in (("tolerations", "tolerations"), ("affinity", "affinity")):
            if cfg["pods"]["lvmd"][key]:
                extra[name] = copy.deepcopy(cfg["pods"]["lvmd"][key])
        lvmd["additionalConfigs"].append(extra)
    if not cfg["pods"]["node"]["affinity"]:
        values["node"]["affinity"] = node_set_affinity(cfg)


def merge_values(base, overrides):
    """``overrides`` deep-merged over ``base`` as helm merges values files: dicts key by key, the rest replaced."""
    if not isinstance(overrides, dict):
        raise TopolvmConfigError(f"helm_values must be a dict of chart values, got {overrides!r}")
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_values(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def helm_values(raw, certificates=None, without_certificates=False, overrides=None):
    """Values for the upstream ``topolvm/topolvm`` chart that describe the same installation.

    Derived from the same normalised settings as the objects (``topolvm_objects.build_manifests``);
    ``certificates`` and ``without_certificates`` as there (only ``ca_bundle`` is sent: the role applies the
    Secret itself). ``overrides`` (the role's ``topolvm_helm_values``) are deep-merged over the result, so
    every value of the chart is reachable.
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
            "nodeFinalize": {"skipped": cfg["controller_skip_node_finalize"]},
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
            "schedulerOptions": copy.deepcopy(cfg["scheduler_options"]),
        },
        "webhook": {
            "podMutatingWebhook": {"enabled": webhook_enabled(cfg), "ignoreNamespaces": ignored_namespaces(cfg)},
            "certManager": cfg["cert_mode"] == "cert-manager",
        },
        "lvmd": {
            "managed": cfg["lvmd_managed"],
            "socketName": cfg["lvmd_socket"],
            "deviceClasses": copy.deepcopy(cfg["lvmd_document"]["device-classes"]),
            "lvcreateOptionClasses": copy.deepcopy(cfg["lvcreate_option_classes"]),
        },
        "node": {
            "lvmdEmbedded": cfg["lvmd_embedded"],
            "lvmdSocket": cfg["lvmd_socket"],
            "kubeletWorkDirectory": cfg["kubelet_dir"],
        },
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
                    "additionalParameters": storage_class_parameters(cfg, sc),
                },
            }
            for sc in cfg["storage_classes"]
        ],
    }
    for component in POD_MONITOR_COMPONENTS:
        values[component]["prometheus"] = {
            "podMonitor": {
                "enabled": component in cfg["pod_monitors"],
                "additionalLabels": dict(cfg["pod_monitor_labels"]),
            }
        }
    for component in COMPONENTS:
        _pod_values(values, component, cfg["pods"][component])
    values["scheduler"]["affinity"] = helm_replacing(CHART_SCHEDULER_AFFINITY, values["scheduler"]["affinity"])
    if cfg["lvmd_embedded"]:
        # The chart stamps checksum/config on the lvmd and scheduler pods itself, not on topolvm-node, which reads
        # the lvmd ConfigMap when lvmd is embedded: the same sum as render's, so a change rolls the pods.
        values["node"]["podAnnotations"] = {
            CHECKSUM_ANNOTATION: lvmd_checksum(cfg),
            **values["node"].get("podAnnotations", {}),
        }
    if per_node(cfg):
        _per_node_values(values, cfg)
    if cfg["scheduler_service_cluster_ip"]:
        values["scheduler"]["service"]["clusterIP"] = cfg["scheduler_service_cluster_ip"]
    if webhook_enabled(cfg) and cfg["cert_mode"] == "self-signed":
        values["webhook"]["secretName"] = webhook_secret_name(cfg)
        if not without_certificates:
            if not (certificates or {}).get("ca_bundle"):
                raise TopolvmConfigError(
                    "cert_mode self-signed with an extender mode needs the webhook certificate's ca_bundle"
                )
            values["webhook"]["caBundle"] = certificates["ca_bundle"]
    return merge_values(values, overrides or {})
