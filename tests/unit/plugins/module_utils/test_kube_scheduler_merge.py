# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Merging the TopoLVM extender into a scheduler configuration the cluster already has, and set_flag."""

from __future__ import annotations

import copy

import pytest
import yaml
from helpers.kube_scheduler import FIXTURES

from ansible_collections.lvmkube.cluster.plugins.module_utils import kube_scheduler_config as ksc

URL = "http://127.0.0.1:9251"
BASE_PATH = "/etc/kubernetes/kubescheduler-config.yaml"
OURS = ksc.build_extender(URL, 100, "topolvm.io/capacity")
OTHER = {"urlPrefix": "http://gpu-extender:8888", "filterVerb": "filter", "weight": 5}


def base(version, **extra):
    config = {
        "apiVersion": "kubescheduler.config.k8s.io/" + version,
        "kind": "KubeSchedulerConfiguration",
        "clientConnection": {"kubeconfig": "/etc/kubernetes/scheduler.conf", "qps": 50},
        "leaderElection": {"leaderElect": True, "leaseDuration": "15s", "resourceName": "kube-scheduler"},
        "percentageOfNodesToScore": 50,
        "parallelism": 32,
        "extenders": [OTHER],
        "profiles": [
            {
                "schedulerName": "default-scheduler",
                "pluginConfig": [
                    {
                        "name": "NodeResourcesFit",
                        "args": {
                            "apiVersion": "kubescheduler.config.k8s.io/" + version,
                            "kind": "NodeResourcesFitArgs",
                            "scoringStrategy": {"type": "MostAllocated"},
                        },
                    }
                ],
            },
            {"schedulerName": "bin-packing", "plugins": {"score": {"disabled": [{"name": "ImageLocality"}]}}},
        ],
    }
    config.update(extra)
    return config


def merge(config, version):
    api, text = ksc.merge_scheduler_config(
        yaml.safe_dump(config, sort_keys=False), BASE_PATH, version, URL, 100, "topolvm.io/capacity"
    )
    return api, text, yaml.safe_load(text)


@pytest.mark.parametrize(
    ("source", "kubernetes", "expected"),
    [
        ("v1beta2", "1.22.17", "v1beta2"),
        ("v1beta2", "1.27.3", "v1beta2"),  # still read there: kept as the user wrote it
        ("v1beta2", "1.28.4", "v1"),  # no longer read: converted
        ("v1beta3", "1.23.0", "v1beta3"),
        ("v1beta3", "1.28.4", "v1beta3"),
        ("v1beta3", "1.29.0", "v1"),
        ("v1", "1.25.0", "v1"),
        ("v1", "v1.35.1", "v1"),
    ],
)
def test_every_version_row_keeps_every_field(source, kubernetes, expected):
    original = base(source)
    api, text, merged = merge(copy.deepcopy(original), kubernetes)
    assert api == "kubescheduler.config.k8s.io/" + expected
    assert merged["apiVersion"] == api
    assert merged["extenders"] == [OTHER, OURS]  # the other extender first, ours appended
    assert merged["profiles"][0]["pluginConfig"][0]["args"]["apiVersion"] == api
    for key in ("clientConnection", "leaderElection", "percentageOfNodesToScore", "parallelism"):
        assert merged[key] == original[key]
    assert merged["profiles"][1] == original["profiles"][1]
    assert list(merged)[:4] == ["apiVersion", "kind", "clientConnection", "leaderElection"]  # order kept
    assert ksc.base_config_of_copy(text) == BASE_PATH


def test_merge_is_idempotent_and_updates_our_extender_in_place():
    first = merge(base("v1"), "1.30.0")[1]
    assert merge(base("v1"), "1.30.0")[1] == first
    # our own copy used as a base again (a run after ours): still one extender of ours
    again = yaml.safe_load(ksc.merge_scheduler_config(first, BASE_PATH, "1.30.0", URL, 100, "topolvm.io/capacity")[1])
    assert again["extenders"] == [OTHER, OURS]
    # an older entry of ours (other weight, trailing slash, duplicated) is replaced where it stands
    stale = dict(OURS, weight=1, urlPrefix=URL + "/")
    _api, _text, merged = merge(base("v1", extenders=[stale, OTHER, stale]), "1.30.0")
    assert merged["extenders"] == [OURS, OTHER]


def test_kubespray_rendered_file_keeps_its_profiles():
    text = (FIXTURES / "kubespray-kubescheduler-config.yaml.txt").read_text()
    api, out = ksc.merge_scheduler_config(text, BASE_PATH, "1.31.4", URL, 100, "topolvm.io/capacity")
    merged = yaml.safe_load(out)
    original = yaml.safe_load(text)
    assert api.endswith("/v1")
    assert {k: v for k, v in merged.items() if k != "extenders"} == {
        k: v for k, v in original.items() if k != "extenders"
    }
    assert merged["extenders"] == original["extenders"] + [OURS]


def test_v1beta2_fields_v1beta3_dropped_are_removed_when_empty_and_refused_when_set():
    _api, _text, merged = merge(base("v1beta2", healthzBindAddress="", metricsBindAddress=""), "1.29.0")
    assert "healthzBindAddress" not in merged
    assert "metricsBindAddress" not in merged
    with pytest.raises(ksc.KubeSchedulerConfigError, match="metricsBindAddress"):
        merge(base("v1beta2", metricsBindAddress="0.0.0.0:10251"), "1.29.0")
    # kept as it is while v1beta2 is still read
    assert merge(base("v1beta2", metricsBindAddress="0.0.0.0:10251"), "1.23.0")[2]["metricsBindAddress"]


def test_selector_spread_has_no_v1_equivalent():
    config = base("v1beta3")
    config["profiles"][1]["plugins"]["score"]["enabled"] = [{"name": "SelectorSpread", "weight": 1}]
    with pytest.raises(ksc.KubeSchedulerConfigError, match="SelectorSpread"):
        merge(config, "1.30.0")
    assert merge(copy.deepcopy(config), "1.24.0")[0].endswith("/v1beta3")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("apiVersion: kubescheduler.config.k8s.io/v1alpha1\nkind: KubeSchedulerConfiguration\n", "v1alpha1"),
        ("apiVersion: kubescheduler.config.k8s.io/v1beta1\nkind: KubeSchedulerConfiguration\n", "v1beta1"),
        ("kind: KubeSchedulerConfiguration\n", "without apiVersion"),
        ("apiVersion: kubescheduler.config.k8s.io/v1\nkind: Policy\n", "not a KubeSchedulerConfiguration"),
        ("apiVersion: [kubescheduler\n", "not valid YAML"),
        ("- a list\n", "not a KubeSchedulerConfiguration"),
        ("apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n", "newer than"),
    ],
)
def test_refusals_name_the_file(text, message):
    with pytest.raises(ksc.KubeSchedulerConfigError) as exc:
        ksc.merge_scheduler_config(text, BASE_PATH, "1.24.0", URL, 100, "topolvm.io/capacity")
    assert BASE_PATH in str(exc.value)
    assert message in str(exc.value)


def test_build_scheduler_config_with_a_base_returns_only_the_merged_file():
    api, files = ksc.build_scheduler_config(
        "1.30.1",
        "kubeadm",
        URL,
        100,
        "topolvm.io/capacity",
        "/etc/kubernetes/scheduler",
        base_text=yaml.safe_dump(base("v1")),
        base_path=BASE_PATH,
    )
    assert list(files) == ["scheduler-config.yaml"]
    assert yaml.safe_load(files["scheduler-config.yaml"])["percentageOfNodesToScore"] == 50
    assert api.endswith("/v1")


def test_resolve_base_config():
    ours = "/etc/kubernetes/scheduler/scheduler-config.yaml"
    copy_text = ksc.merge_scheduler_config(yaml.safe_dump(base("v1")), BASE_PATH, "1.30", URL, 1, "a/b")[1]
    assert ksc.resolve_base_config(BASE_PATH, ours) == BASE_PATH
    assert ksc.resolve_base_config(ours, ours, copy_text) == BASE_PATH
    assert ksc.resolve_base_config(ours, ours, "# no marker\n") == ""
    assert ksc.resolve_base_config("", ours, copy_text) == ""


@pytest.mark.parametrize(
    ("items", "name", "value", "kwargs", "expected", "changed"),
    [
        (["kube-scheduler", "--v=2"], "config", "/a", {}, ["kube-scheduler", "--v=2", "--config=/a"], True),
        (["x", "--config=/b", "--v=2"], "config", "/a", {}, ["x", "--config=/a", "--v=2"], True),
        (["x", "--config", "/b", "--v=2"], "config", "/b", {}, ["x", "--config=/b", "--v=2"], True),
        (["x", "--config=/a", "--config=/c"], "config", "/a", {}, ["x", "--config=/a"], True),
        (["x", "--config=/a"], "config", "/a", {}, ["x", "--config=/a"], False),
        (["x", "--config=/a", "--configx=1"], "config", None, {}, ["x", "--configx=1"], True),
        (["v=2", "config=/u", "config=/a"], "config", None, {"dashes": "", "only": "/a"}, ["v=2", "config=/u"], True),
        (["v=2", "config=/u"], "config", None, {"dashes": "", "only": "/a"}, ["v=2", "config=/u"], False),
        (["v=2", "--config=/u"], "config", "/a", {"dashes": ""}, ["v=2", "config=/a"], True),
    ],
)
def test_set_flag(items, name, value, kwargs, expected, changed):  # noqa: PLR0917 - one parametrize row
    assert ksc.set_flag(items, name, value, **kwargs) is changed
    assert items == expected


def test_flag_values():
    assert ksc.flag_values(["--config=/a", "--v", "2", "--config", "/b"], "config") == ["/a", "/b"]
    assert ksc.flag_values(["config=/a", 3, None], "config") == ["/a"]
