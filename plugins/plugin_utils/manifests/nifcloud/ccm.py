# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NIFCLOUD cloud controller manager: its settings and its Kubernetes objects (the RBAC rules, flags and
environment of the upstream chart nifcloud-cloud-controller-manager v1.2.0)."""

from __future__ import annotations

import copy

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import (
    COMMON_DEFAULTS,
    NODE_NAME_ENV,
    UNINITIALIZED_TOLERATION,
    NifcloudConfigError,
    component_labels,
    deploy_facts,
    image_pull_secrets,
    meta,
    normalize_common,
    pod_meta,
    secret_env,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.placement import scheduler_placement
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import (
    apply_phase,
    require_map,
    string_map,
)

CCM_DEFAULTS = dict(
    COMMON_DEFAULTS,
    name="nifcloud-cloud-controller-manager",
    version="1.2.0",
    image_repository="ghcr.io/nifcloud/nifcloud-cloud-controller-manager",
    secret_name="nifcloud-cloud-controller-manager-secret",
    extra_args=[],
    resources={},
    security_context={},
    pod_annotations={},
    image_pull_secrets=[],
)
# The flags the role sets; extra_args must not repeat them.
FIXED_FLAGS = ("--cloud-provider", "--leader-elect", "--use-service-account-credentials")


def normalize_ccm(raw):
    """Fill the cloud controller manager defaults and check every value; raise NifcloudConfigError."""
    cfg = normalize_common(raw, CCM_DEFAULTS)
    args = cfg["extra_args"]
    if not isinstance(args, list) or not all(isinstance(a, str) and a.startswith("--") for a in args):
        raise NifcloudConfigError("extra_args must be a list of flags such as --v=2")
    clashing = sorted(a for a in args if a.split("=", 1)[0] in FIXED_FLAGS)
    if clashing:
        raise NifcloudConfigError(f"extra_args must not repeat the flags the role sets: {', '.join(clashing)}")
    for key in ("resources", "security_context"):
        require_map(cfg[key], key, NifcloudConfigError)
    cfg["pod_annotations"] = string_map(cfg["pod_annotations"], "pod_annotations", NifcloudConfigError)
    image_pull_secrets(cfg["image_pull_secrets"])
    return cfg


def ccm_facts(raw):
    """Secret name, namespace and version of the cloud controller manager."""
    return deploy_facts(normalize_ccm(raw))


def ccm_placement(cfg):
    """Affinity and tolerations of the cloud controller manager: control-plane nodes, also before they are
    initialized by it (the taint the kubelet sets with cloud-provider=external) and before the CNI runs."""
    affinity, tolerations = scheduler_placement(cfg["distribution"], cfg["kubernetes_minor"])
    tolerations = [
        dict(UNINITIALIZED_TOLERATION),
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoSchedule"},
        *tolerations,
    ]
    return affinity, tolerations


def ccm_objects(raw):
    """Every object of the cloud controller manager except the credentials Secret, in apply order."""
    cfg = normalize_ccm(raw)
    name, ns = cfg["name"], cfg["namespace"]
    labels = component_labels(name, name, cfg["version"])
    selector = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name}
    role = f"system:{name}"
    affinity, tolerations = ccm_placement(cfg)
    rules = [
        ("", ["events"], ["create", "patch", "update"]),
        ("", ["nodes"], ["*"]),
        ("", ["nodes/status"], ["patch"]),
        ("", ["services"], ["list", "patch", "update", "watch"]),
        ("", ["services/status"], ["patch"]),
        ("", ["serviceaccounts"], ["get", "create"]),
        ("", ["serviceaccounts/token"], ["create"]),
        ("", ["endpoints"], ["create", "get", "list", "watch", "update"]),
        ("coordination.k8s.io", ["leases"], ["create", "get", "list", "watch", "update", "delete"]),
    ]
    subject = [{"kind": "ServiceAccount", "name": name, "namespace": ns}]
    container = {
        "name": "nifcloud-cloud-controller-manager",
        "image": f"{cfg['image_repository']}:{cfg['image_tag']}",
        "imagePullPolicy": cfg["image_pull_policy"],
        "args": [
            "--cloud-provider=nifcloud",
            "--leader-elect=true",
            "--use-service-account-credentials",
            *list(cfg["extra_args"]),
        ],
        "env": [
            *secret_env(cfg["secret_name"]),
            {"name": "NIFCLOUD_REGION", "value": cfg["region"]},
            dict(NODE_NAME_ENV),
        ],
    }
    for key, field in (("resources", "resources"), ("security_context", "securityContext")):
        if cfg[key]:
            container[field] = copy.deepcopy(cfg[key])
    pod_spec = {
        "serviceAccountName": name,
        "hostNetwork": True,
        "priorityClassName": "system-node-critical",
        "affinity": affinity,
        "tolerations": tolerations,
        "containers": [container],
    }
    if cfg["image_pull_secrets"]:
        pod_spec["imagePullSecrets"] = image_pull_secrets(cfg["image_pull_secrets"])
    objs = [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(name, labels, ns)},
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": meta(role, labels),
            "rules": [{"apiGroups": [g], "resources": r, "verbs": v} for g, r, v in rules],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": meta(role, labels),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": subject,
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": meta(f"{role}-auth-reader", labels, "kube-system"),
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "Role",
                "name": "extension-apiserver-authentication-reader",
            },
            "subjects": subject,
        },
        {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": meta(name, labels, ns),
            "spec": {
                "selector": {"matchLabels": selector},
                "template": {
                    "metadata": pod_meta(labels, cfg["pod_annotations"]),
                    "spec": pod_spec,
                },
            },
        },
    ]
    return sorted(objs, key=apply_phase)
