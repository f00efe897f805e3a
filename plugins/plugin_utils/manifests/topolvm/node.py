# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The topolvm-node DaemonSet (the CSI node plugin, with lvmd embedded when asked)."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.common import (
    checksum_pod_meta,
    container_spec,
    http_probe,
    legacy_env,
    object_meta,
    pod_selector,
    rbac_rule,
    role_binding,
    service_account,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.facts import (
    plugin_name,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.lvmd import (
    lvmd_checksum,
    lvmd_configmap_name,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.rbac import rbac_cluster_role
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import (
    node_set_affinity,
    per_node,
)


def node_objects(cfg):
    group, kdir = plugin_name(cfg), cfg["kubelet_dir"]
    sock = f"{kdir}/plugins/{group}/node/csi-topolvm.sock"
    node_dir = f"{kdir}/plugins/{group}/node/"
    sa = f"{cfg['name']}-node"
    socket_dir = cfg["lvmd_socket"].rsplit("/", 1)[0] or "/"
    objs = [
        service_account(cfg, sa),
        rbac_cluster_role(
            cfg,
            f"{cfg['namespace']}:node",
            [
                rbac_rule([""], ["nodes"], ["get", "list", "watch", "update", "patch"]),
                rbac_rule(
                    [group],
                    ["logicalvolumes", "logicalvolumes/status"],
                    ["get", "list", "watch", "create", "update", "delete", "patch"],
                ),
                rbac_rule(["storage.k8s.io"], ["csidrivers"], ["get", "list", "watch"]),
            ],
        ),
        role_binding(
            cfg,
            "ClusterRoleBinding",
            f"{cfg['namespace']}:node",
            role_kind="ClusterRole",
            role_name=f"{cfg['namespace']}:node",
            sa_name=sa,
        ),
    ]
    embedded = cfg["lvmd_embedded"]
    lvmd_flag = "--embed-lvmd" if embedded else f"--lvmd-socket={cfg['lvmd_socket']}"
    # With node.lvmdEmbedded the chart mounts the lvmd ConfigMap where the socket directory would be.
    lvmd_mount = (
        {"name": "config", "mountPath": "/etc/topolvm"}
        if embedded
        else {"name": "lvmd-socket-dir", "mountPath": socket_dir}
    )
    node = container_spec(
        cfg,
        "topolvm-node",
        ["/topolvm-node", f"--csi-socket={sock}", lvmd_flag],
        [
            {"name": "node-plugin-dir", "mountPath": node_dir},
            lvmd_mount,
            {"name": "pod-volumes-dir", "mountPath": f"{kdir}/pods", "mountPropagation": "Bidirectional"},
            {
                "name": "csi-plugin-dir",
                "mountPath": f"{kdir}/plugins/kubernetes.io/csi",
                "mountPropagation": "Bidirectional",
            },
            {"name": "devices-dir", "mountPath": "/dev"},
        ],
        ports=[
            {"name": "healthz", "containerPort": 9808, "protocol": "TCP"},
            {"name": "metrics", "containerPort": 8080, "protocol": "TCP"},
        ],
        securityContext={"privileged": True},
        livenessProbe=http_probe("healthz", "/healthz"),
        env=[{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}, *legacy_env(cfg)],
    )
    registrar = container_spec(
        cfg,
        "csi-registrar",
        [
            "/csi-node-driver-registrar",
            f"--csi-address={sock}",
            f"--kubelet-registration-path={sock}",
            "--http-endpoint=:9809",
        ],
        [
            {"name": "node-plugin-dir", "mountPath": node_dir},
            {"name": "registration-dir", "mountPath": "/registration"},
        ],
        ports=[{"name": "reg-healthz", "containerPort": 9809}],
        livenessProbe=http_probe("reg-healthz", "/healthz"),
        lifecycle={
            "preStop": {
                "exec": {"command": ["/bin/sh", "-c", f"rm -rf /registration/{group} /registration/{group}-reg.sock"]}
            }
        },
    )
    liveness = container_spec(
        cfg,
        "liveness-probe",
        ["/livenessprobe", f"--csi-address={sock}", "--http-endpoint=:9808"],
        [{"name": "node-plugin-dir", "mountPath": node_dir}],
    )
    selector = pod_selector(cfg, "node")
    volumes = [
        {"name": "devices-dir", "hostPath": {"path": "/dev", "type": "Directory"}},
        {"name": "registration-dir", "hostPath": {"path": f"{kdir}/plugins_registry/", "type": "Directory"}},
        {"name": "node-plugin-dir", "hostPath": {"path": f"{kdir}/plugins/{group}/node", "type": "DirectoryOrCreate"}},
        {
            "name": "csi-plugin-dir",
            "hostPath": {"path": f"{kdir}/plugins/kubernetes.io/csi", "type": "DirectoryOrCreate"},
        },
        {"name": "pod-volumes-dir", "hostPath": {"path": f"{kdir}/pods/", "type": "DirectoryOrCreate"}},
        {"name": "config", "configMap": {"name": lvmd_configmap_name(cfg)}}
        if embedded
        else {"name": "lvmd-socket-dir", "hostPath": {"path": socket_dir, "type": "DirectoryOrCreate"}},
    ]
    pod_spec = {"serviceAccountName": sa, "containers": [node, registrar, liveness], "volumes": volumes}
    if embedded:
        pod_spec = {"serviceAccountName": sa, "hostPID": True, "containers": pod_spec["containers"], "volumes": volumes}
    if per_node(cfg):
        # Only on nodes the inventory gives device classes (labelled by the role): no crash-looping pods on others.
        pod_spec["affinity"] = node_set_affinity(cfg)
    objs.append(
        {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": object_meta(cfg, f"{cfg['name']}-node", component="node"),
            "spec": {
                "selector": {"matchLabels": selector},
                # Embedded lvmd reads the lvmd ConfigMap: its checksum rolls the pods (helm_values passes the same
                # sum as node.podAnnotations; the chart's node template has none of its own).
                "template": {
                    "metadata": checksum_pod_meta(selector, lvmd_checksum(cfg))
                    if embedded
                    else {"labels": dict(selector)},
                    "spec": pod_spec,
                },
            },
        }
    )
    return objs
