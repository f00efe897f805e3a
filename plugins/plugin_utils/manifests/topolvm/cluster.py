# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cluster-wide objects of TopoLVM: its namespace, the LogicalVolume CRD, the PriorityClass and the CSIDriver."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.common import object_meta
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.facts import (
    plugin_name,
    webhook_enabled,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import (
    PRIORITY_CLASS_VALUE,
)


def namespace_object(cfg):
    meta = object_meta(cfg, cfg["namespace"], namespaced=False)
    meta["labels"][f"{plugin_name(cfg)}/webhook"] = "ignore"
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta}


def _quantity_schema():
    return {
        "anyOf": [{"type": "integer"}, {"type": "string"}],
        "pattern": r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+"
        r"(\.[0-9]*)?)|(\.[0-9]+))))?$",
        "x-kubernetes-int-or-string": True,
    }


def logical_volume_crd(cfg):
    group = plugin_name(cfg)
    spec_props = {
        key: {"type": "string"}
        for key in ("name", "nodeName", "deviceClass", "lvcreateOptionClass", "source", "accessType")
    }
    spec_props["size"] = _quantity_schema()
    status_props = {
        "volumeID": {"type": "string"},
        "code": {"type": "integer", "format": "int32"},
        "message": {"type": "string"},
        "currentSize": _quantity_schema(),
    }
    schema = {
        "type": "object",
        "description": "LogicalVolume is one LVM logical volume managed by TopoLVM.",
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": {"type": "object", "required": ["name", "nodeName", "size"], "properties": spec_props},
            "status": {"type": "object", "properties": status_props},
        },
    }
    meta = object_meta(cfg, f"logicalvolumes.{group}", namespaced=False)
    # Removing the CRD deletes every LogicalVolume: helm and kustomize users must keep it.
    meta["annotations"] = {"helm.sh/resource-policy": "keep"}
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": meta,
        "spec": {
            "group": group,
            "names": {
                "kind": "LogicalVolume",
                "listKind": "LogicalVolumeList",
                "plural": "logicalvolumes",
                "singular": "logicalvolume",
            },
            "scope": "Cluster",
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "subresources": {"status": {}},
                    "schema": {"openAPIV3Schema": schema},
                }
            ],
        },
    }


def priority_class_object(cfg):
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": object_meta(cfg, cfg["name"], namespaced=False),
        "value": PRIORITY_CLASS_VALUE,
        "globalDefault": False,
        "description": "Pods using TopoLVM volumes should use this class.",
    }


def csi_driver(cfg):
    spec = {"attachRequired": False, "podInfoOnMount": True, "volumeLifecycleModes": ["Persistent"]}
    if not webhook_enabled(cfg):  # as the chart: the key only when capacity tracking is on (false is the default)
        spec = {"storageCapacity": True, **spec}
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "CSIDriver",
        "metadata": object_meta(cfg, plugin_name(cfg), namespaced=False),
        "spec": spec,
    }
