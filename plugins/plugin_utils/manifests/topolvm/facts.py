# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts derived from the checked TopoLVM settings: names, the extender URL, what the playbooks need besides
the objects."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import normalize_config


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


def storage_class_parameters(cfg, sc):
    """A StorageClass's parameters for the driver (device class, lvcreate option class, the user's), the same in the
    objects and in the chart's ``additionalParameters`` (the chart writes the fstype itself)."""
    parameters = {}
    if sc["device_class"]:
        parameters[f"{plugin_name(cfg)}/device-class"] = sc["device_class"]
    if sc["lvcreate_option_class"]:
        parameters[f"{plugin_name(cfg)}/lvcreate-option-class"] = sc["lvcreate_option_class"]
    parameters.update(sc["parameters"])
    return parameters


def ignored_namespaces(cfg):
    """Namespaces labelled ``<plugin>/webhook=ignore`` (the pod webhook skips them)."""
    names = ["kube-system", cfg["namespace"]]
    if webhook_enabled(cfg) and cfg["cert_mode"] == "cert-manager":
        names.append("cert-manager")
    return names


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
        # Per-node device classes: the label and each node's value (None: remove the label).
        "node_label": cfg["node_label"],
        "node_labels": dict(cfg["node_labels"]),
        "lvmd_sets": [{"idx": s["idx"], "nodes": list(s["nodes"])} for s in cfg["lvmd_sets"]],
        # Thin device classes, which get a VolumeSnapshotClass when snapshot is on.
        "thin_device_classes": [dc["name"] for dc in cfg["device_classes"] if dc["type"] == "thin"],
    }
