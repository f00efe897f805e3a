# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lvmd in the cluster: its ConfigMaps (lvmd.yaml of each set of device classes) and DaemonSets."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import config_checksum
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.common import (
    checksum_pod_meta,
    container_spec,
    object_meta,
    pod_selector,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import per_node


def lvmd_checksum(cfg):
    """checksum/config of the pods that read the lvmd ConfigMaps (every set, as the chart hashes its whole
    templates/lvmd/configmap.yaml): the lvmd DaemonSets, and topolvm-node with lvmd embedded."""
    return config_checksum([lvmd_set["document"] for lvmd_set in cfg["lvmd_sets"]])


def lvmd_configmap_name(cfg, idx="0"):
    return f"{cfg['name']}-lvmd-{idx}"


def lvmd_daemonset(cfg, lvmd_set):
    """One lvmd DaemonSet per set of device classes (templates/lvmd/daemonset.yaml with additionalConfigs)."""
    idx = lvmd_set["idx"]
    sa = f"{cfg['name']}-lvmd"
    # The chart tells its lvmd DaemonSets apart by an "idx" label, in the selector too (which cannot change later).
    selector = {"idx": idx, **pod_selector(cfg, "lvmd")}
    socket_dir = cfg["lvmd_socket"].rsplit("/", 1)[0] or "/"
    lvmd = container_spec(
        cfg,
        "lvmd",
        ["/lvmd"],  # reads /etc/topolvm/lvmd.yaml, as in the chart
        [
            {"name": "devices-dir", "mountPath": "/dev"},
            {"name": "config", "mountPath": "/etc/topolvm"},
            {"name": "lvmd-socket-dir", "mountPath": socket_dir},
        ],
        ports=[{"name": "metrics", "containerPort": 8080, "protocol": "TCP"}],
        securityContext={"privileged": True},
        livenessProbe={
            "exec": {"command": ["/lvmd", "health"]},
            "initialDelaySeconds": 10,
            "timeoutSeconds": 3,
            "periodSeconds": 60,
        },
    )
    pod_spec = {
        "serviceAccountName": sa,
        "hostPID": True,
        "containers": [lvmd],
        "volumes": [
            {"name": "devices-dir", "hostPath": {"path": "/dev", "type": "Directory"}},
            {"name": "config", "configMap": {"name": lvmd_configmap_name(cfg, idx)}},
            {"name": "lvmd-socket-dir", "hostPath": {"path": socket_dir, "type": "DirectoryOrCreate"}},
        ],
    }
    if per_node(cfg):  # only the nodes the inventory gives this set (labelled by the role)
        pod_spec["nodeSelector"] = {cfg["node_label"]: idx}
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": object_meta(cfg, f"{cfg['name']}-lvmd-{idx}", component="lvmd", extra_labels={"idx": idx}),
        "spec": {
            "selector": {"matchLabels": selector},
            # The chart's templates/lvmd/daemonset.yaml stamps the config's checksum: a change rolls the pods.
            "template": {"metadata": checksum_pod_meta(selector, lvmd_checksum(cfg)), "spec": pod_spec},
        },
    }


def lvmd_configmap(cfg, lvmd_set):
    """lvmd.yaml of one set for lvmd in the cluster (its DaemonSet or topolvm-node with lvmd embedded)."""
    idx = lvmd_set["idx"]
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": object_meta(cfg, lvmd_configmap_name(cfg, idx), component="lvmd", extra_labels={"idx": idx}),
        "data": {"lvmd.yaml": cfg["dump"](lvmd_set["document"])},
    }
