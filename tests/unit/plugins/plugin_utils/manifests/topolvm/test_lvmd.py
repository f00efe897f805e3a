# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-node device classes: one lvmd set per distinct list, node labels, topolvm-node only on labelled nodes."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import lvmd_config, lvmd_yaml
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import facts as facts_module
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import helm, objects, settings

LABEL = "lvmkube.cluster/topolvm-lvmd-set"
BIG = [
    {"name": "ssd", "volume_group": "vg-ssd", "default": True, "spare_gb": 10},
    {"name": "hdd", "volume_group": "vg-hdd"},
]
SMALL = [{"name": "ssd", "volume_group": "vg0", "default": True}]
NODES = [
    {"name": "storage1", "device_classes": BIG},
    {"name": "worker1", "device_classes": []},
    {"name": "small1", "device_classes": SMALL},
    {"name": "storage2", "device_classes": list(reversed(BIG))},  # another order: another set
    {"name": "storage3", "device_classes": BIG},
]


def config(**kwargs):
    return flt.with_defaults({"nodes": NODES, "lvmd_managed": True, **kwargs})


def build(cfg):
    return objects.build_manifests(cfg, dump=lvmd_yaml)


def by_name(objs):
    return {(o["kind"], o["metadata"]["name"]): o for o in objs}


def test_one_set_per_distinct_list_in_order_of_first_appearance():
    facts = facts_module.deploy_facts(config())
    assert facts["node_labels"] == {"storage1": "0", "worker1": None, "small1": "1", "storage2": "2", "storage3": "0"}
    assert facts["lvmd_sets"] == [
        {"idx": "0", "nodes": ["storage1", "storage3"]},
        {"idx": "1", "nodes": ["small1"]},
        {"idx": "2", "nodes": ["storage2"]},
    ]


def test_each_set_has_its_configmap_and_daemonset_and_matches_the_lvmd_role():
    objs = by_name(build(config()))
    for idx, classes in (("0", BIG), ("1", SMALL), ("2", list(reversed(BIG)))):
        text = objs[("ConfigMap", f"topolvm-lvmd-{idx}")]["data"]["lvmd.yaml"]
        # The same bytes the lvmd role writes on a host with these classes (systemd path = managed path).
        assert text == lvmd_config(classes)
        ds = objs[("DaemonSet", f"topolvm-lvmd-{idx}")]
        assert ds["spec"]["template"]["spec"]["nodeSelector"] == {LABEL: idx}
        assert ds["spec"]["selector"]["matchLabels"]["idx"] == idx
        volumes = ds["spec"]["template"]["spec"]["volumes"]
        assert {"name": "config", "configMap": {"name": f"topolvm-lvmd-{idx}"}} in volumes
    assert [k for k in objs if k[0] == "ServiceAccount" and "lvmd" in k[1]] == [("ServiceAccount", "topolvm-lvmd")]


def test_topolvm_node_runs_only_on_labelled_nodes():
    node = by_name(build(config(lvmd_managed=False)))[("DaemonSet", "topolvm-node")]["spec"]["template"]["spec"]
    assert node["affinity"] == {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [{"key": LABEL, "operator": "Exists"}]}]
            }
        }
    }
    # Without nodes (one cluster-wide list) topolvm-node runs everywhere, as before.
    single = by_name(build(flt.with_defaults({"device_classes": SMALL})))
    assert "affinity" not in single[("DaemonSet", "topolvm-node")]["spec"]["template"]["spec"]


def test_storage_classes_are_the_union_and_a_class_on_no_node_is_an_error():
    classes = [o["metadata"]["name"] for o in build(config()) if o["kind"] == "StorageClass"]
    assert classes == ["topolvm-ssd", "topolvm-hdd"]
    with pytest.raises(settings.TopolvmConfigError, match="'nvme' which is not in device_classes of any node"):
        build(config(storage_classes=[{"name": "fast", "device_class": "nvme"}]))


def test_user_node_selector_is_merged_with_the_set_selector():
    objs = by_name(build(config(lvmd_pod={"node_selector": {"disk": "yes"}})))
    spec = objs[("DaemonSet", "topolvm-lvmd-1")]["spec"]["template"]["spec"]
    assert spec["nodeSelector"] == {"disk": "yes", LABEL: "1"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nodes": [{"name": "a", "device_classes": []}]}, "no node has device classes"),
        ({"nodes": [{"name": "a", "device_classes": SMALL}, {"name": "a", "device_classes": SMALL}]}, "twice"),
        ({"nodes": [{"name": "a", "device_classes": [{"name": "x", "volume_group": "v"}]}]}, "node a: exactly one"),
        ({"node_label": "bad label"}, "not a label key"),
        ({"lvmd_managed": False, "lvmd_embedded": True}, "lvmd_embedded reads one lvmd configuration"),
    ],
)
def test_bad_per_node_input(change, message):
    with pytest.raises(settings.TopolvmConfigError, match=message):
        build(config(**change))


def test_helm_values_carry_every_set_as_additional_configs():
    values = helm.helm_values(config(lvmd_pod={"tolerations": [{"key": "storage", "operator": "Exists"}]}))
    lvmd = values["lvmd"]
    assert lvmd["nodeSelector"] == {LABEL: "0"}
    assert [dc["name"] for dc in lvmd["deviceClasses"]] == ["ssd", "hdd"]
    assert [c["nodeSelector"] for c in lvmd["additionalConfigs"]] == [{LABEL: "1"}, {LABEL: "2"}]
    assert lvmd["additionalConfigs"][0]["deviceClasses"] == yaml.safe_load(lvmd_config(SMALL))["device-classes"]
    assert lvmd["additionalConfigs"][0]["tolerations"] == [{"key": "storage", "operator": "Exists"}]
    assert values["node"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"
    ] == [{"matchExpressions": [{"key": LABEL, "operator": "Exists"}]}]
