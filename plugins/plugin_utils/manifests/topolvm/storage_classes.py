# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""StorageClasses, and a VolumeSnapshotClass per thin device class."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.common import object_meta
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.facts import (
    plugin_name,
    storage_class_parameters,
)


def storage_class_objects(cfg):
    group = plugin_name(cfg)
    objs = []
    for sc in cfg["storage_classes"]:
        annotations = dict(sc["annotations"])
        if sc["default"]:
            annotations["storageclass.kubernetes.io/is-default-class"] = "true"
        parameters = {"csi.storage.k8s.io/fstype": sc["fstype"], **storage_class_parameters(cfg, sc)}
        obj = {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": object_meta(cfg, sc["name"], namespaced=False, annotations=annotations or None),
            "provisioner": group,
            "parameters": parameters,
            "reclaimPolicy": sc["reclaim_policy"],
            "volumeBindingMode": "WaitForFirstConsumer",
            "allowVolumeExpansion": True,
        }
        if sc["mount_options"]:
            obj["mountOptions"] = sc["mount_options"]
        objs.append(obj)
    return objs


def snapshot_class_name(cfg, device_class):
    return f"{cfg['name']}-{device_class}".replace("_", "-").lower()


def snapshot_classes(cfg):
    """A VolumeSnapshotClass per thin device class when ``snapshot`` is on: TopoLVM snapshots thin volumes only.

    Labelled with the device class, so the smoke test finds the class for a StorageClass.
    """
    if not cfg["snapshot"]:
        return []
    group = plugin_name(cfg)
    objs = []
    for dc in cfg["device_classes"]:
        if dc["type"] != "thin":
            continue
        meta = object_meta(cfg, snapshot_class_name(cfg, dc["name"]), namespaced=False)
        meta["labels"][f"{group}/device-class"] = dc["name"]
        objs.append(
            {
                "apiVersion": "snapshot.storage.k8s.io/v1",
                "kind": "VolumeSnapshotClass",
                "metadata": meta,
                "driver": group,
                "deletionPolicy": "Delete",
            }
        )
    return objs
