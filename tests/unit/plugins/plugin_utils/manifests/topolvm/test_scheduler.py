# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A configuration change rolls the pods that read it, in every output mode.

Chart 17.1.0 (topolvm/topolvm tag topolvm-chart-v17.1.0, commit 83e3dcee2fd750e3c3f40f74faa90ced8e9676c7):
templates/lvmd/daemonset.yaml and templates/scheduler/{daemonset,deployment}.yaml annotate their pod template
with ``checksum/config: {{ include (print $.Template.BasePath "/lvmd/configmap.yaml") . | sha256sum }}`` (the
scheduler's configmap.yaml likewise); templates/node/daemonset.yaml has none but reads node.podAnnotations.
A changed pod template makes the DaemonSet/Deployment controller replace the pods; an unchanged one does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import lvmd_yaml
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import helm, objects

CERTS = {"ca_bundle": "Q0E=", "tls_crt": "CRT", "tls_key": "KEY"}
SSD = {"name": "ssd", "volume_group": "vg-ssd", "default": True}


def settings(**kwargs):
    return flt.with_defaults({"device_classes": [SSD], **kwargs})


def annotations(config, name):
    objs = objects.build_manifests(config, certificates=CERTS, dump=lvmd_yaml)
    workload = next(o for o in objs if o["kind"] in ("DaemonSet", "Deployment") and o["metadata"]["name"] == name)
    return workload["spec"]["template"]["metadata"].get("annotations", {})


@pytest.mark.parametrize(
    ("base", "name", "change"),
    [
        ({"lvmd_managed": True}, "topolvm-lvmd-0", {"device_classes": [dict(SSD, spare_gb=20)]}),
        ({"lvmd_managed": True}, "topolvm-lvmd-0", {"device_classes": [dict(SSD, volume_group="vg-other")]}),
        ({"lvmd_embedded": True}, "topolvm-node", {"device_classes": [dict(SSD, spare_gb=20)]}),
        ({"scheduling_mode": "extender-daemonset"}, "topolvm-scheduler", {"scheduler_default_divisor": 10}),
        ({"scheduling_mode": "extender-deployment"}, "topolvm-scheduler", {"scheduler_port": 9252}),
    ],
)
def test_a_config_change_changes_the_pod_template(base, name, change):
    before = annotations(settings(**base), name)
    assert set(before) == {"checksum/config"}
    assert annotations(settings(**base), name) == before  # stable: a second run changes nothing
    after = annotations(settings(**base, **change), name)
    assert after["checksum/config"] != before["checksum/config"]


def test_a_change_elsewhere_rolls_nothing():
    base = settings(lvmd_managed=True)
    assert annotations(base, "topolvm-lvmd-0") == annotations(dict(base, controller_replicas=3), "topolvm-lvmd-0")
    assert annotations(settings(), "topolvm-node") == {}  # lvmd on the hosts: topolvm-node reads no ConfigMap


def test_helm_mode_stamps_the_same_sum_on_embedded_lvmd_pods():
    config = settings(lvmd_embedded=True, node_pod={"annotations": {"team": "storage"}})
    values = helm.helm_values(config, certificates=CERTS)
    assert values["node"]["podAnnotations"] == annotations(config, "topolvm-node")
    assert values["node"]["podAnnotations"]["team"] == "storage"
    assert "podAnnotations" not in helm.helm_values(settings(), certificates=CERTS)["node"]


def test_scheduler_hardening_is_documented_where_the_chart_has_no_value():
    # Point 6: chart 17.1.0 templates/scheduler/daemonset.yaml (commit 83e3dcee) gives the topolvm-scheduler
    # container no securityContext and the pod no dnsPolicy, and values.yaml has no value for either (the
    # top-level securityContext is the pod's runAsUser/runAsGroup, which cannot drop capabilities). Render keeps
    # them; docs/topolvm.md says which mode gives which and why.
    objs = objects.build_manifests(settings(scheduling_mode="extender-daemonset"), certificates=CERTS, dump=lvmd_yaml)
    scheduler = next(o for o in objs if o["kind"] == "DaemonSet" and o["metadata"]["name"] == "topolvm-scheduler")
    pod = scheduler["spec"]["template"]["spec"]
    assert pod["dnsPolicy"] == "ClusterFirstWithHostNet"
    restricted = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
    assert pod["containers"][0]["securityContext"] == restricted
    values = helm.helm_values(settings(scheduling_mode="extender-daemonset"), certificates=CERTS)
    assert "securityContext" not in values  # the chart's pod-level default stays (runAsUser/runAsGroup 10000)
    docs = (Path(__file__).resolve().parents[6] / "docs" / "topolvm.md").read_text(encoding="utf-8")
    row = next(line for line in docs.splitlines() if line.startswith("| topolvm-scheduler container |"))
    assert "ClusterFirstWithHostNet" in row
    assert "no value" in row
