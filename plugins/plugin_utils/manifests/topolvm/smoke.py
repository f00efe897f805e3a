# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Objects of the ``lvmkube.cluster.smoke_test`` playbook: a claim per StorageClass, a writer and a reader Pod."""

from __future__ import annotations

import copy
import re

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import (
    DNS_SUBDOMAIN,
    require_name,
)

MANAGED_BY = "lvmkube.cluster"


def smoke_objects(storage_class, namespace="lvmkube-smoke", image="busybox:1.36", marker="", size="1Gi"):
    """PVC, writer Pod and reader Pod used by ``lvmkube.cluster.smoke_test`` for one StorageClass."""
    require_name(namespace, "namespace")
    require_name(storage_class, "storage class", DNS_SUBDOMAIN, 253)
    base = re.sub(r"[^a-z0-9-]+", "-", storage_class.lower())[:40].strip("-")
    claim = f"smoke-{base}"
    labels = {"app.kubernetes.io/name": "lvmkube-smoke-test", "app.kubernetes.io/managed-by": MANAGED_BY}

    def pod(role, script):
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": f"{claim}-{role}", "namespace": namespace, "labels": dict(labels)},
            "spec": {
                "restartPolicy": "Never",
                "terminationGracePeriodSeconds": 5,
                "containers": [
                    {
                        "name": role,
                        "image": image,
                        "command": ["/bin/sh", "-c", script],
                        "env": [{"name": "MARKER", "value": marker}],
                        "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                    }
                ],
                "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}],
            },
        }

    return {
        "namespace": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace, "labels": labels}},
        "pvc": {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": claim, "namespace": namespace, "labels": dict(labels)},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "storageClassName": storage_class,
                "resources": {"requests": {"storage": size}},
            },
        },
        "writer": pod("writer", 'printf "%s" "$MARKER" > /data/marker && sync && cat /data/marker'),
        "reader": pod("reader", "cat /data/marker"),
    }


def snapshot_objects(
    storage_class, snapshot_class, *, namespace="lvmkube-smoke", image="busybox:1.36", size="1Gi", marker=""
):
    """VolumeSnapshot of the smoke claim, a claim restored from it and a Pod that reads the marker back.

    TopoLVM snapshots thin volumes only and restores on the node of the source volume.
    """
    require_name(snapshot_class, "volume snapshot class", DNS_SUBDOMAIN, 253)
    base = smoke_objects(storage_class, namespace=namespace, image=image, marker=marker, size=size)
    claim = base["pvc"]["metadata"]["name"]
    labels = dict(base["pvc"]["metadata"]["labels"])
    snapshot_name = f"{claim}-snapshot"
    restored = copy.deepcopy(base["pvc"])
    restored["metadata"]["name"] = f"{claim}-restored"
    restored["spec"]["dataSource"] = {
        "apiGroup": "snapshot.storage.k8s.io",
        "kind": "VolumeSnapshot",
        "name": snapshot_name,
    }
    reader = copy.deepcopy(base["reader"])
    reader["metadata"]["name"] = f"{claim}-restored-reader"
    reader["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"] = restored["metadata"]["name"]
    return {
        "snapshot": {
            "apiVersion": "snapshot.storage.k8s.io/v1",
            "kind": "VolumeSnapshot",
            "metadata": {"name": snapshot_name, "namespace": namespace, "labels": labels},
            "spec": {"volumeSnapshotClassName": snapshot_class, "source": {"persistentVolumeClaimName": claim}},
        },
        "restored": restored,
        "restored_reader": reader,
    }
