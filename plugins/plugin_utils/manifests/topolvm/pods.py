# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The <component>_pod knobs on the workloads, and the Prometheus operator's PodMonitors."""

from __future__ import annotations

import copy

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.common import object_meta, pod_selector
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import (
    MAIN_CONTAINERS,
    POD_KNOBS,
)


def customise(cfg, obj):
    """The <component>_pod knobs on a Deployment or DaemonSet, as POD_KNOBS says: a knob that is set replaces the
    role's value or is merged with it."""
    if obj["kind"] not in ("Deployment", "DaemonSet"):
        return
    component = obj["metadata"]["labels"].get("app.kubernetes.io/component")
    pod = cfg["pods"][component]
    template = obj["spec"]["template"]
    targets = {
        "pod": template["spec"],
        "container": next(c for c in template["spec"]["containers"] if c["name"] == MAIN_CONTAINERS[component]),
        "template": template["metadata"],
    }
    for knob in POD_KNOBS:
        if not pod[knob.key]:
            continue
        target = targets[knob.target]
        if knob.keep == "role":
            target[knob.field] = {**pod[knob.key], **target.get(knob.field, {})}
        elif knob.keep == "knob":
            target[knob.field] = {**target.get(knob.field, {}), **pod[knob.key]}
        else:
            target[knob.field] = copy.deepcopy(pod[knob.key])


def pod_monitor(cfg, component):
    """A Prometheus operator PodMonitor as templates/<component>/podmonitor.yaml renders it."""
    meta = object_meta(cfg, f"{cfg['name']}-{component}", extra_labels=cfg["pod_monitor_labels"])
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PodMonitor",
        "metadata": meta,
        "spec": {
            "selector": {"matchLabels": pod_selector(cfg, component)},
            "namespaceSelector": {"matchNames": [cfg["namespace"]]},
            "podMetricsEndpoints": [{"path": "/metrics", "port": "metrics"}],
        },
    }
