# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisive fields of the NIFCLOUD additional-storage CSI driver objects and its StorageClasses."""

from __future__ import annotations

from helpers.nifcloud_manifests import env_of, find, pod_spec

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.csi import (
    csi_objects,
    storage_class_parameters,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.csi_settings import storage_classes

REGION = {"region": "jp-east-1"}


def test_csi_objects_follow_the_chart():
    objects = csi_objects(dict(REGION, storage_classes=[{"name": "std", "type": "standard"}]))
    assert find(objects, "CSIDriver")["metadata"]["name"] == "additional-storage.csi.nifcloud.com"
    controller = pod_spec(find(objects, "Deployment"))
    names = [c["name"] for c in controller["containers"]]
    assert names == ["controller", "csi-provisioner", "csi-attacher", "csi-resizer", "liveness-probe"]
    assert "--default-fstype=ext4" in controller["containers"][1]["args"]
    assert "--feature-gates=Topology=true" in controller["containers"][1]["args"]
    node = pod_spec(find(objects, "DaemonSet"))
    plugin = node["containers"][0]
    assert env_of(plugin)["NODE_NAME"] == {"fieldRef": {"fieldPath": "spec.nodeName"}}
    assert (
        env_of(plugin)["NIFCLOUD_SECRET_ACCESS_KEY"]["secretKeyRef"]["name"] == "nifcloud-additional-storage-csi-secret"
    )
    registrar = env_of(node["containers"][1])
    assert registrar["DRIVER_REG_SOCK_PATH"] == "/var/lib/kubelet/plugins/additional-storage.csi.nifcloud.com/csi.sock"
    for spec in (controller, node):
        assert {
            "key": "node.cloudprovider.kubernetes.io/uninitialized",
            "value": "true",
            "effect": "NoSchedule",
        } in spec["tolerations"]
    sc = find(objects, "StorageClass")
    assert sc["provisioner"] == "additional-storage.csi.nifcloud.com"
    assert sc["parameters"] == {"csi.storage.k8s.io/fstype": "ext4", "type": "standard"}
    assert sc["volumeBindingMode"] == "WaitForFirstConsumer"
    assert sc["allowVolumeExpansion"] is True
    assert sc["reclaimPolicy"] == "Delete"


def test_liveness_probe_reads_each_pods_socket_volume():
    objects = csi_objects(REGION)
    for kind, volume in (("Deployment", "socket-dir"), ("DaemonSet", "plugin-dir")):
        probe = next(c for c in pod_spec(find(objects, kind))["containers"] if c["name"] == "liveness-probe")
        assert probe["volumeMounts"] == [{"name": volume, "mountPath": "/csi"}]
        assert probe["args"] == ["--csi-address=/csi/csi.sock"]


def test_storage_class_options():
    classes = storage_classes(
        [
            {
                "name": "fast",
                "type": "high-speed-flash-a",
                "fstype": "xfs",
                "accounting_type": "monthly",
                "default": True,
            },
            {"name": "keep", "type": "flash", "reclaim_policy": "Retain", "allow_volume_expansion": False},
        ]
    )
    assert storage_class_parameters(classes[0]) == {
        "csi.storage.k8s.io/fstype": "xfs",
        "type": "high-speed-flash-a",
        "accountingType": "monthly",
    }
    objects = csi_objects(dict(REGION, storage_classes=[dict(c, type=c["type"]) for c in classes]))
    fast = find(objects, "StorageClass", "fast")
    assert fast["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    keep = find(objects, "StorageClass", "keep")
    assert keep["reclaimPolicy"] == "Retain"
    assert keep["allowVolumeExpansion"] is False
