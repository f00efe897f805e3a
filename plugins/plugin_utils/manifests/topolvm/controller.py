# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The topolvm-controller Deployment with its CSI sidecars, and its Service."""

from __future__ import annotations

import copy

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.common import (
    RESTRICTED,
    container_spec,
    http_probe,
    legacy_env,
    object_meta,
    pod_selector,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.facts import (
    webhook_enabled,
    webhook_secret_name,
)


def controller_objects(cfg):
    sock_mount = {"name": "socket-dir", "mountPath": "/run/topolvm"}
    csi = "--csi-address=/run/topolvm/csi-topolvm.sock"
    leader = ["--leader-election", f"--leader-election-namespace={cfg['namespace']}"]
    command = ["/topolvm-controller", f"--leader-election-namespace={cfg['namespace']}"]
    mounts = [sock_mount]
    volumes = [{"name": "socket-dir", "emptyDir": {}}]
    if webhook_enabled(cfg):
        command.append("--cert-dir=/certs")
        mounts.append({"name": "certs", "mountPath": "/certs", "readOnly": True})
        volumes.append({"name": "certs", "secret": {"secretName": webhook_secret_name(cfg)}})
    else:
        command.append("--enable-webhooks=false")
    if cfg["controller_skip_node_finalize"]:
        command.append("--skip-node-finalize")
    controller = container_spec(
        cfg,
        "topolvm-controller",
        command,
        mounts,
        ports=[
            {"name": "webhook", "containerPort": 9443, "protocol": "TCP"},
            {"name": "healthz", "containerPort": 9808, "protocol": "TCP"},
            {"name": "readyz", "containerPort": 8081, "protocol": "TCP"},
            {"name": "metrics", "containerPort": 8080, "protocol": "TCP"},
        ],
        securityContext=copy.deepcopy(RESTRICTED),
        readinessProbe={"httpGet": {"path": "/readyz", "port": "readyz", "scheme": "HTTP"}},
        livenessProbe=http_probe("healthz", "/healthz"),
    )
    if cfg["legacy"]:
        controller["env"] = legacy_env(cfg)
    provisioner_cmd = ["/csi-provisioner", csi, "--feature-gates=Topology=true", *leader, "--http-endpoint=:9809"]
    provisioner = container_spec(
        cfg,
        "csi-provisioner",
        provisioner_cmd,
        [dict(sock_mount)],
        ports=[{"name": "csi-provisioner", "containerPort": 9809}],
        securityContext=copy.deepcopy(RESTRICTED),
    )
    if not webhook_enabled(cfg):
        provisioner["command"] += ["--enable-capacity", "--capacity-ownerref-level=2"]
        provisioner["env"] = [
            {"name": "NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        ]
    containers = [
        controller,
        provisioner,
        container_spec(
            cfg,
            "csi-resizer",
            ["/csi-resizer", csi, *leader, "--http-endpoint=:9810"],
            [dict(sock_mount)],
            ports=[{"name": "csi-resizer", "containerPort": 9810}],
            securityContext=copy.deepcopy(RESTRICTED),
        ),
    ]
    if cfg["snapshot"]:
        containers.append(
            container_spec(
                cfg,
                "csi-snapshotter",
                ["/csi-snapshotter", csi, *leader, "--http-endpoint=:9811"],
                [dict(sock_mount)],
                ports=[{"name": "csi-snapshotter", "containerPort": 9811}],
                securityContext=copy.deepcopy(RESTRICTED),
            )
        )
    containers.append(
        container_spec(
            cfg,
            "liveness-probe",
            ["/livenessprobe", csi, "--http-endpoint=:9808"],
            [dict(sock_mount)],
            securityContext=copy.deepcopy(RESTRICTED),
        )
    )
    selector = pod_selector(cfg, "controller")
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": object_meta(cfg, f"{cfg['name']}-controller", component="controller"),
        "spec": {
            "replicas": cfg["controller_replicas"],
            "selector": {"matchLabels": selector},
            "template": {
                "metadata": {"labels": dict(selector)},
                "spec": {
                    "serviceAccountName": f"{cfg['name']}-controller",
                    "securityContext": {"runAsUser": 10000, "runAsGroup": 10000},
                    "containers": containers,
                    "volumes": volumes,
                    "affinity": {
                        "podAntiAffinity": {
                            "requiredDuringSchedulingIgnoredDuringExecution": [
                                {
                                    "labelSelector": {"matchLabels": dict(selector)},
                                    "topologyKey": "kubernetes.io/hostname",
                                }
                            ]
                        }
                    },
                },
            },
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": object_meta(cfg, f"{cfg['name']}-controller", component="controller"),
        "spec": {
            "selector": dict(selector),
            "ports": [{"name": "webhook", "port": 443, "protocol": "TCP", "targetPort": "webhook"}],
        },
    }
    pdb = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": object_meta(cfg, f"{cfg['name']}-controller", component="controller"),
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": dict(selector)}},
    }
    return [service, deployment, pdb]
