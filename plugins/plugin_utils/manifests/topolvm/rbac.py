# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""topolvm-controller's RBAC as the chart grants it (templates/controller/*roles*.yaml, *bindings*.yaml)."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.common import (
    object_meta,
    rbac_rule,
    role_binding,
    service_account,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.facts import (
    plugin_name,
)


def rbac_cluster_role(cfg, name, rules):
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": object_meta(cfg, name, namespaced=False),
        "rules": rules,
    }


def _role(cfg, name, rules):
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": object_meta(cfg, name),
        "rules": rules,
    }


def controller_rbac(cfg):
    """The chart's controller RBAC (templates/controller/*roles*.yaml, *bindings*.yaml): same names, same rules.

    The snapshotter's ClusterRole and Role exist whether or not the sidecar runs, as in the chart, so that
    switching ``snapshot`` or switching between ``apply`` and ``helm`` leaves no stale or missing grant.
    """
    ns, group, sa = cfg["namespace"], plugin_name(cfg), f"{cfg['name']}-controller"
    crud = ["get", "list", "watch", "create", "update", "patch", "delete"]
    events = rbac_rule([""], ["events"], ["list", "watch", "create", "update", "patch"])
    lease = rbac_rule(["coordination.k8s.io"], ["leases"], ["get", "watch", "list", "delete", "update", "create"])
    controller_rules = [
        rbac_rule([""], ["nodes"], ["get", "list", "patch", "update", "watch"]),
        rbac_rule([""], ["persistentvolumeclaims"], ["delete", "get", "list", "update", "watch"]),
        rbac_rule([""], ["pods"], ["get", "list", "update", "watch"]),
        rbac_rule(["storage.k8s.io"], ["csidrivers", "storageclasses"], ["get", "list", "watch"]),
        rbac_rule([group], ["logicalvolumes"], ["create", "delete", "get", "list", "patch", "update", "watch"]),
        # topolvm.io in both namings, as the chart (controller/clusterroles.yaml, from the kubebuilder markers of
        # internal/controller/logicalvolume_controller.go). topolvm-controller never writes the status: topolvm-node
        # does (LogicalVolumeReconciler; with useLegacy internal/client converts it to topolvm.cybozu.com), and the
        # node ClusterRole grants logicalvolumes/status in the plugin group.
        rbac_rule(["topolvm.io"], ["logicalvolumes/status"], ["get", "patch", "update"]),
    ]
    provisioner_rules = [
        rbac_rule([""], ["persistentvolumes"], ["get", "list", "watch", "create", "patch", "delete"]),
        rbac_rule([""], ["persistentvolumeclaims"], ["get", "list", "watch", "update"]),
        rbac_rule(["storage.k8s.io"], ["storageclasses"], ["get", "list", "watch"]),
        events,
        rbac_rule(["snapshot.storage.k8s.io"], ["volumesnapshots"], ["get", "list", "watch", "update"]),
        rbac_rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list"]),
        rbac_rule(["storage.k8s.io"], ["csinodes"], ["get", "list", "watch"]),
        rbac_rule([""], ["nodes"], ["get", "list", "watch"]),
        rbac_rule(["storage.k8s.io"], ["volumeattachments"], ["get", "list", "watch"]),
    ]
    resizer_rules = [
        rbac_rule([""], ["persistentvolumes"], ["get", "list", "watch", "patch"]),
        rbac_rule([""], ["persistentvolumeclaims"], ["get", "list", "watch"]),
        rbac_rule([""], ["pods"], ["get", "list", "watch"]),
        rbac_rule([""], ["persistentvolumeclaims/status"], ["patch"]),
        events,
        rbac_rule(["storage.k8s.io"], ["volumeattributesclasses"], ["get", "list", "watch"]),
    ]
    snapshotter_rules = [
        events,
        rbac_rule(["snapshot.storage.k8s.io"], ["volumesnapshotclasses"], ["get", "list", "watch"]),
        rbac_rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list", "watch", "update", "patch"]),
        rbac_rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents/status"], ["update", "patch"]),
        rbac_rule(["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotclasses"], ["get", "list", "watch"]),
        rbac_rule(
            ["groupsnapshot.storage.k8s.io"],
            ["volumegroupsnapshotcontents"],
            ["get", "list", "watch", "update", "patch"],
        ),
        rbac_rule(["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotcontents/status"], ["update", "patch"]),
    ]
    objs = [service_account(cfg, sa)]
    # (ClusterRole, its rules, the ClusterRoleBinding's name) as the chart names them.
    for role_name, rules, binding_name in (
        (f"{ns}:controller", controller_rules, f"{ns}:controller"),
        (f"{ns}-external-provisioner-runner", provisioner_rules, f"{ns}-csi-provisioner-role"),
        (f"{ns}-external-resizer-runner", resizer_rules, f"{ns}-csi-resizer-role"),
        (f"{ns}-external-snapshotter-runner", snapshotter_rules, f"{ns}-csi-snapshotter-role"),
    ):
        objs.append(rbac_cluster_role(cfg, role_name, rules))
        objs.append(
            role_binding(
                cfg, "ClusterRoleBinding", binding_name, role_kind="ClusterRole", role_name=role_name, sa_name=sa
            )
        )
    for role_name, rules, binding_name in (
        (
            "leader-election",
            [
                rbac_rule(["", "coordination.k8s.io"], ["configmaps", "leases"], crud),
                rbac_rule([""], ["events"], ["create", "patch"]),
            ],
            "leader-election",
        ),
        (
            "external-provisioner-cfg",
            [
                lease,
                rbac_rule(["storage.k8s.io"], ["csistoragecapacities"], crud),
                rbac_rule([""], ["pods"], ["get"]),
                rbac_rule(["apps"], ["replicasets"], ["get"]),
            ],
            "csi-provisioner-role-cfg",
        ),
        ("external-resizer-cfg", [lease], "csi-resizer-role-cfg"),
        ("external-snapshotter-leaderelection", [lease], "external-snapshotter-leaderelection"),
    ):
        objs.append(_role(cfg, role_name, rules))
        objs.append(role_binding(cfg, "RoleBinding", binding_name, role_kind="Role", role_name=role_name, sa_name=sa))
    return objs
