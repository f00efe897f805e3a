# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""topolvm-scheduler, the scheduler extender: its configuration, DaemonSet or Deployment and Service."""

from __future__ import annotations

import copy

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.placement import scheduler_placement
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import config_checksum
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.common import (
    RESTRICTED,
    checksum_pod_meta,
    container_spec,
    http_probe,
    legacy_env,
    object_meta,
    pod_selector,
    service_account,
)


def scheduler_listen(cfg):
    """The scheduler's listen address: localhost on the host network (extender-daemonset), else every address."""
    return f"{'localhost' if cfg['scheduling_mode'] == 'extender-daemonset' else ''}:{cfg['scheduler_port']}"


def scheduler_checksum(cfg):
    """checksum/config of the topolvm-scheduler pods (templates/scheduler/configmap.yaml's content)."""
    return config_checksum({"listen": scheduler_listen(cfg), "options": cfg["scheduler_options"]})


def scheduler_objects(cfg):
    daemonset_mode = cfg["scheduling_mode"] == "extender-daemonset"
    name = f"{cfg['name']}-scheduler"
    port = cfg["scheduler_port"]
    listen_host = "localhost" if daemonset_mode else ""
    # As templates/scheduler/configmap.yaml writes it: listen, then the scoring options.
    options = f'listen: "{scheduler_listen(cfg)}"\n' + cfg["dump"](cfg["scheduler_options"])
    configmap = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": object_meta(cfg, f"{name}-options", component="scheduler"),
        "data": {"scheduler-options.yaml": options},
    }
    container = container_spec(
        cfg,
        "topolvm-scheduler",
        ["/topolvm-scheduler", "--config=/etc/topolvm/scheduler-options.yaml"],
        [{"name": "scheduler-options", "mountPath": "/etc/topolvm"}],
        securityContext=copy.deepcopy(RESTRICTED),
        livenessProbe=http_probe(port, "/status", host=listen_host or None),
        readinessProbe={"httpGet": {"path": "/status", "port": port}},
    )
    if listen_host:
        container["readinessProbe"]["httpGet"]["host"] = listen_host
    else:
        container["ports"] = [{"name": "listenport", "containerPort": port, "protocol": "TCP"}]
    if cfg["legacy"]:
        container["env"] = legacy_env(cfg)
    affinity, tolerations = scheduler_placement(cfg["distribution"], cfg["kubernetes_minor"])
    selector = pod_selector(cfg, "scheduler")
    pod_spec = {
        "serviceAccountName": name,
        "securityContext": {"runAsUser": 10000, "runAsGroup": 10000},
        "priorityClassName": "system-cluster-critical",
        "containers": [container],
        "volumes": [{"name": "scheduler-options", "configMap": {"name": f"{name}-options"}}],
        "affinity": affinity,
        "tolerations": tolerations,
    }
    workload_spec = {
        "selector": {"matchLabels": selector},
        # As templates/scheduler/{daemonset,deployment}.yaml: the options' checksum rolls the pods on a change.
        "template": {"metadata": checksum_pod_meta(selector, scheduler_checksum(cfg)), "spec": pod_spec},
    }
    objs = [service_account(cfg, name), configmap]
    if daemonset_mode:
        pod_spec["hostNetwork"] = True
        pod_spec["dnsPolicy"] = "ClusterFirstWithHostNet"
        objs.append(
            {
                "apiVersion": "apps/v1",
                "kind": "DaemonSet",
                "metadata": object_meta(cfg, name, component="scheduler"),
                "spec": workload_spec,
            }
        )
    else:
        workload_spec["replicas"] = cfg["scheduler_replicas"]
        objs.append(
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": object_meta(cfg, name, component="scheduler"),
                "spec": workload_spec,
            }
        )
        service_spec = {
            "type": cfg["scheduler_service_type"],
            "selector": dict(selector),
            "ports": [{"name": "extender", "protocol": "TCP", "port": port, "targetPort": port}],
        }
        if cfg["scheduler_service_cluster_ip"]:
            service_spec["clusterIP"] = cfg["scheduler_service_cluster_ip"]
        objs.append(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": object_meta(cfg, name, component="scheduler"),
                "spec": service_spec,
            }
        )
        objs.append(
            {
                "apiVersion": "policy/v1",
                "kind": "PodDisruptionBudget",
                "metadata": object_meta(cfg, name, component="scheduler"),
                "spec": {"maxUnavailable": 1, "selector": {"matchLabels": dict(selector)}},
            }
        )
    return objs
