# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The objects of the NIFCLOUD load-balancer smoke test: an nginx Deployment behind a type LoadBalancer Service that
the cloud controller manager turns into a NIFCLOUD load balancer."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils.coerce import as_int
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import (
    MANAGED_BY,
    NifcloudConfigError,
    require_name,
)

ACCOUNTING_ANNOTATION = "service.beta.kubernetes.io/nifcloud-load-balancer-accounting-type"


def lb_smoke_objects(namespace="lvmkube-nifcloud-smoke", image="nginx:alpine", accounting_type="2", replicas=3):
    """The seed's load-balancer demonstration: Namespace, nginx Deployment and a type LoadBalancer Service.

    accounting_type is the NIFCLOUD load balancer's (1 monthly, 2 pay per use), set with the annotation the cloud
    controller manager reads.
    """
    require_name(namespace, "namespace")
    if str(accounting_type) not in ("1", "2"):
        raise NifcloudConfigError("accounting_type must be 1 (monthly) or 2 (pay per use)")
    as_int(replicas, "replicas", 1, NifcloudConfigError)
    labels = {"app": "nginx", "app.kubernetes.io/managed-by": MANAGED_BY}
    return {
        "namespace": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace, "labels": labels}},
        "deployment": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "nginx", "namespace": namespace, "labels": dict(labels)},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "nginx"}},
                "template": {
                    "metadata": {"labels": {"app": "nginx"}},
                    "spec": {
                        "containers": [{"name": "nginx", "image": image, "ports": [{"containerPort": 80}]}],
                    },
                },
            },
        },
        "service": {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "nginx",
                "namespace": namespace,
                "labels": dict(labels),
                "annotations": {ACCOUNTING_ANNOTATION: str(accounting_type)},
            },
            "spec": {
                "type": "LoadBalancer",
                "selector": {"app": "nginx"},
                "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
            },
        },
    }
