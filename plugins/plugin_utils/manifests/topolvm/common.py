# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Labels, metadata, containers, probes and RBAC pieces every TopoLVM object family shares."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import CHECKSUM_ANNOTATION

MANAGED_BY = "lvmkube.cluster"


def _labels(cfg, component=None):
    labels = {
        "app.kubernetes.io/name": "topolvm",
        "app.kubernetes.io/instance": cfg["name"],
        "app.kubernetes.io/version": cfg["version"],
        "app.kubernetes.io/managed-by": MANAGED_BY,
    }
    if component:
        labels["app.kubernetes.io/component"] = component
    return labels


def pod_selector(cfg, component):
    return {
        "app.kubernetes.io/name": "topolvm",
        "app.kubernetes.io/instance": cfg["name"],
        "app.kubernetes.io/component": component,
    }


def object_meta(cfg, name, namespaced=True, component=None, annotations=None, *, extra_labels=None):
    meta = {"name": name, "labels": {**(extra_labels or {}), **_labels(cfg, component)}}
    if namespaced:
        meta["namespace"] = cfg["namespace"]
    if annotations:
        meta["annotations"] = annotations
    return meta


def container_spec(cfg, name, command, mounts, ports=None, **extra):
    container = {
        "name": name,
        "image": cfg["image"],
        "imagePullPolicy": cfg["image_pull_policy"],
        "command": command,
        "volumeMounts": mounts,
    }
    if ports:
        container["ports"] = ports
    container.update(extra)
    return container


def http_probe(port, path, host=None):
    probe = {
        "httpGet": {"path": path, "port": port},
        "initialDelaySeconds": 10,
        "timeoutSeconds": 3,
        "periodSeconds": 60,
    }
    if host:
        probe["httpGet"]["host"] = host
    return probe


RESTRICTED = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}


def legacy_env(cfg):
    return [{"name": "USE_LEGACY", "value": "true"}] if cfg["legacy"] else []


def rbac_rule(groups, resources, verbs):
    return {"apiGroups": groups, "resources": resources, "verbs": verbs}


def service_account(cfg, name):
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": object_meta(cfg, name)}


def role_binding(cfg, kind, name, *, role_kind, role_name, sa_name):
    namespaced = kind == "RoleBinding"
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": kind,
        "metadata": object_meta(cfg, name, namespaced=namespaced),
        "subjects": [{"kind": "ServiceAccount", "name": sa_name, "namespace": cfg["namespace"]}],
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role_name},
    }


def checksum_pod_meta(labels, checksum):
    return {"labels": dict(labels), "annotations": {CHECKSUM_ANNOTATION: checksum}}
