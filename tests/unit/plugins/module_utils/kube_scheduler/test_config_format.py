# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/kube_scheduler/config_format.py: the API version per release, the rendered files, the extender
entry, and merging the TopoLVM extender into a configuration the cluster already has."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml
from helpers.kube_scheduler import CONFIG_DIR, FIXTURES, render

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import (
    config_format,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import KubeSchedulerConfigError

URL = "http://127.0.0.1:9251"


BASE_PATH = "/etc/kubernetes/kubescheduler-config.yaml"


OURS = config_format.build_extender(URL, 100, "topolvm.io/capacity")


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
    api, text = config_format.merge_scheduler_config(
        yaml.safe_dump(config, sort_keys=False), BASE_PATH, version, URL, 100, "topolvm.io/capacity"
    )
    return api, text, yaml.safe_load(text)


@pytest.mark.parametrize(
    ("version", "api"),
    [
        ("v1.10.0", "v1alpha1"),
        ("1.14", "v1alpha1"),
        ("v1.16.4-rancher1-1", "v1alpha1"),
        ("1.17.17", "v1alpha1"),
        ("v1.18.2", "v1alpha2"),
        ("1.19.0", "v1beta1"),
        ("v1.20.15-rancher2-2", "v1beta1"),
        ("1.21", "v1beta1"),
        ("1.22.17", "v1beta2"),
        ("1.23.0", "v1beta3"),
        ("v1.24.17+rke2r1", "v1beta3"),
        ("1.25.0", "v1"),
        ("v1.29.3", "v1"),
        ("v1.35.0", "v1"),
    ],
)
def test_api_version_per_release(version, api):
    assert config_format.scheduler_api_version(version) == "kubescheduler.config.k8s.io/" + api


@pytest.mark.parametrize("version", ["", "latest", "v2.0.0", "1.9.11", None])
def test_unsupported_versions_are_refused(version):
    with pytest.raises(KubeSchedulerConfigError):
        config_format.scheduler_api_version(version)


@pytest.mark.parametrize("version", ["1.10", "1.17"])
def test_v1alpha1_uses_a_policy_file(version):
    api, files = render(version, "kubeadm", URL, 100, "topolvm.io/capacity", CONFIG_DIR)
    assert api == "kubescheduler.config.k8s.io/v1alpha1"
    assert sorted(files) == ["scheduler-config.yaml", "scheduler-policy.cfg"]
    config = yaml.safe_load(files["scheduler-config.yaml"])
    assert config["kind"] == "KubeSchedulerConfiguration"
    assert config["algorithmSource"] == {"policy": {"file": {"path": CONFIG_DIR + "/scheduler-policy.cfg"}}}
    assert config["clientConnection"] == {"kubeconfig": "/etc/kubernetes/scheduler.conf"}
    assert "extenders" not in config
    policy = json.loads(files["scheduler-policy.cfg"])
    assert policy["kind"] == "Policy"
    assert policy["apiVersion"] == "v1"
    assert policy["extenders"] == [
        {
            "urlPrefix": URL,
            "filterVerb": "predicate",
            "prioritizeVerb": "prioritize",
            "nodeCacheCapable": False,
            "weight": 100,
            "managedResources": [{"name": "topolvm.io/capacity", "ignoredByScheduler": True}],
        }
    ]


@pytest.mark.parametrize(
    ("version", "api"),
    [
        ("1.18", "v1alpha2"),
        ("1.19", "v1beta1"),
        ("1.21", "v1beta1"),
        ("1.22", "v1beta2"),
        ("1.23", "v1beta3"),
        ("1.24", "v1beta3"),
        ("1.25", "v1"),
        ("1.35", "v1"),
    ],
)
def test_newer_versions_name_the_extender_in_the_config(version, api):
    _api, files = render(version, "kubeadm", URL, 7, "topolvm.cybozu.com/capacity", CONFIG_DIR)
    assert list(files) == ["scheduler-config.yaml"]
    config = yaml.safe_load(files["scheduler-config.yaml"])
    assert config["apiVersion"] == "kubescheduler.config.k8s.io/" + api
    assert "algorithmSource" not in config
    assert config["leaderElection"] == {"leaderElect": True}
    (extender,) = config["extenders"]
    assert extender["urlPrefix"] == URL
    assert extender["filterVerb"] == "predicate"
    assert extender["prioritizeVerb"] == "prioritize"
    assert extender["nodeCacheCapable"] is False
    assert extender["weight"] == 7
    assert extender["managedResources"] == [{"name": "topolvm.cybozu.com/capacity", "ignoredByScheduler": True}]
    assert "enableHTTPS" not in extender


@pytest.mark.parametrize(
    "kwargs",
    [
        {"distribution": "k8s"},
        {"extender_url": "127.0.0.1:9251"},
        {"weight": 0},
        {"weight": True},
        {"weight": "100"},
        {"capacity_resource": "capacity"},
        {"config_dir": "relative/dir"},
    ],
)
def test_bad_input_is_refused(kwargs):
    args = {
        "k8s_version": "1.30",
        "distribution": "kubeadm",
        "extender_url": URL,
        "weight": 100,
        "capacity_resource": "topolvm.io/capacity",
        "config_dir": CONFIG_DIR,
    }
    args.update(kwargs)
    with pytest.raises(KubeSchedulerConfigError):
        render(**args)


def test_output_is_deterministic():
    first = render("1.16", "rke1", URL, 100, "topolvm.io/capacity", CONFIG_DIR)
    second = render("1.16", "rke1", URL, 100, "topolvm.io/capacity", CONFIG_DIR)
    assert first == second


@pytest.mark.parametrize(
    ("image", "version"),
    [
        ("registry.k8s.io/kube-scheduler:v1.29.3", "1.29.3"),
        ("localhost:5000/kube-scheduler:v1.31.0", "1.31.0"),
        ("registry.k8s.io/kube-scheduler:v1.30.1@sha256:" + "a" * 64, "1.30.1"),
        ("localhost:5000/kube-scheduler", None),
        ("registry.k8s.io/kube-scheduler:latest", None),
        (None, None),
    ],
)
def test_version_from_image(image, version):
    assert config_format.version_from_image(image) == version


def test_merge_marker_names_the_container_path():
    base = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
    _api, files = render(
        "v1.27.16", "rke1", URL, 100, "topolvm.io/capacity", CONFIG_DIR,
        base_text=base, base_path="/srv/sched/s.yaml", base_marker="/etc/sched/s.yaml",
    )  # fmt: skip
    assert config_format.base_config_of_copy(files["scheduler-config.yaml"]) == "/etc/sched/s.yaml"
    with pytest.raises(
        KubeSchedulerConfigError, match=re.escape("/srv/sched/s.yaml is kubescheduler.config.k8s.io/v1alpha1")
    ):
        render(
            "v1.27.16", "rke1", URL, 100, "topolvm.io/capacity", CONFIG_DIR,
            base_text=base.replace("/v1", "/v1alpha1"), base_path="/srv/sched/s.yaml", base_marker="/etc/sched/s.yaml",
        )  # fmt: skip


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
    assert config_format.base_config_of_copy(text) == BASE_PATH


def test_merge_is_idempotent_and_updates_our_extender_in_place():
    first = merge(base("v1"), "1.30.0")[1]
    assert merge(base("v1"), "1.30.0")[1] == first
    # our own copy used as a base again (a run after ours): still one extender of ours
    again = yaml.safe_load(
        config_format.merge_scheduler_config(first, BASE_PATH, "1.30.0", URL, 100, "topolvm.io/capacity")[1]
    )
    assert again["extenders"] == [OTHER, OURS]
    # an older entry of ours (other weight, trailing slash, duplicated) is replaced where it stands
    stale = dict(OURS, weight=1, urlPrefix=URL + "/")
    _api, _text, merged = merge(base("v1", extenders=[stale, OTHER, stale]), "1.30.0")
    assert merged["extenders"] == [OURS, OTHER]


def test_kubespray_rendered_file_keeps_its_profiles():
    text = (FIXTURES / "kubespray-kubescheduler-config.yaml.txt").read_text()
    api, out = config_format.merge_scheduler_config(text, BASE_PATH, "1.31.4", URL, 100, "topolvm.io/capacity")
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
    with pytest.raises(KubeSchedulerConfigError, match="metricsBindAddress"):
        merge(base("v1beta2", metricsBindAddress="0.0.0.0:10251"), "1.29.0")
    # kept as it is while v1beta2 is still read
    assert merge(base("v1beta2", metricsBindAddress="0.0.0.0:10251"), "1.23.0")[2]["metricsBindAddress"]


def test_selector_spread_has_no_v1_equivalent():
    config = base("v1beta3")
    config["profiles"][1]["plugins"]["score"]["enabled"] = [{"name": "SelectorSpread", "weight": 1}]
    with pytest.raises(KubeSchedulerConfigError, match="SelectorSpread"):
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
    with pytest.raises(KubeSchedulerConfigError) as exc:
        config_format.merge_scheduler_config(text, BASE_PATH, "1.24.0", URL, 100, "topolvm.io/capacity")
    assert BASE_PATH in str(exc.value)
    assert message in str(exc.value)


def test_build_scheduler_config_with_a_base_returns_only_the_merged_file():
    api, files = render(
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
    copy_text = config_format.merge_scheduler_config(yaml.safe_dump(base("v1")), BASE_PATH, "1.30", URL, 1, "a/b")[1]
    assert config_format.resolve_base_config(BASE_PATH, ours) == BASE_PATH
    assert config_format.resolve_base_config(ours, ours, copy_text) == BASE_PATH
    assert config_format.resolve_base_config(ours, ours, "# no marker\n") == ""
    assert config_format.resolve_base_config("", ours, copy_text) == ""
