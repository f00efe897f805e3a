# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Objects of the ``lvmkube.cluster.smoke_test`` playbook: a claim per StorageClass, a writer and a reader Pod."""

from __future__ import annotations

import re

from ansible_collections.lvmkube.cluster.plugins.module_utils.topolvm_settings import (
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
