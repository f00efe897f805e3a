# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure rules of module_utils/kube_scheduler/rancher_v2.py against the planner emulator (a TEST DOUBLE written from
rancher/rancher's source, tests/doubles/rancher_planner_double.py), property-based (hypothesis).

- control_plane_reach: 'all' must match every control-plane machine and 'none' none of them, as
  metav1.LabelSelectorAsSelector matches (emulated by selector_matches), whatever other labels a machine has;
- edit_cluster on random machineSelectorConfig lists: either refused, or ours is what every control-plane machine
  gets after addUserConfig, carrying the args that machine had without it; absent gives the spec back;
- content_hash is what renderFiles compares; parse_server_version orders versions as Rancher's releases.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import rancher_v2 as rp
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import KubeSchedulerConfigError

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "doubles"))
import rancher_planner_double as planner

CP = rp.CONTROL_PLANE_LABEL
KEYS = [CP, "rke.cattle.io/etcd-role", "rke.cattle.io/worker-role", "pool", "zone"]
VALUES = ["true", "false", "a", "b"]
CONFIG_FILE = "/etc/kubernetes/scheduler/scheduler-config.yaml"
CONFIG_DIR = "/etc/kubernetes/scheduler"

label_sets = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=4)
expressions = st.builds(
    lambda key, operator, values: (
        {"key": key, "operator": operator, "values": values}
        if operator in {"In", "NotIn"}
        else {"key": key, "operator": operator}
    ),
    st.sampled_from(KEYS),
    st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist"]),
    st.lists(st.sampled_from(VALUES), min_size=1, max_size=2),
)
selectors = st.one_of(
    st.none(),
    st.just({}),
    st.builds(
        lambda labels, exprs: {k: v for k, v in (("matchLabels", labels), ("matchExpressions", exprs)) if v},
        st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=2),
        st.lists(expressions, max_size=2),
    ),
)


def matches(selector, labels):
    """addUserConfig's rule: a nil selector matches every machine."""
    return selector is None or planner.selector_matches(selector, labels)


@settings(max_examples=400)
@given(selectors, label_sets)
def test_control_plane_reach_agrees_with_the_label_selector(selector, other_labels):
    machine = {**other_labels, CP: "true"}  # every control-plane machine carries the role label "true"
    reach = rp.control_plane_reach(selector)
    if reach == "all":
        assert matches(selector, machine)
    elif reach == "none":
        assert not matches(selector, machine)


scheduler_values = st.one_of(
    st.lists(st.sampled_from(["v=2", "v=4", "profiling=false", "config=/etc/user.yaml"]), max_size=2),
    st.sampled_from(["v=3", "config=/etc/user.yaml"]),
)
entries = st.lists(
    st.builds(
        lambda selector, args, mount, other: {
            k: v
            for k, v in (
                ("machineLabelSelector", selector),
                (
                    "config",
                    {
                        k2: v2
                        for k2, v2 in (
                            ("kube-scheduler-arg", args),
                            ("kube-scheduler-extra-mount", mount),
                            ("x", other),
                        )
                        if v2 is not None
                    },
                ),
            )
            if v is not None
        },
        selectors,
        st.one_of(st.none(), scheduler_values),
        st.one_of(st.none(), st.just(["/m:/m"])),
        st.one_of(st.none(), st.just("keep")),
    ),
    max_size=4,
)


@settings(max_examples=300)
@given(entries, st.one_of(st.none(), scheduler_values), label_sets)
def test_ours_is_what_every_control_plane_machine_gets_or_the_edit_is_refused(configs, global_args, other_labels):
    rke = {"machineGlobalConfig": {"cni": "calico"}, "machineSelectorConfig": configs}
    if global_args is not None:
        rke["machineGlobalConfig"]["kube-scheduler-arg"] = global_args
    cluster = {"spec": {"kubernetesVersion": "v1.31.4+rke2r1", "rkeConfig": rke}}
    original = copy.deepcopy(cluster)
    machine = {**other_labels, CP: "true"}
    without = planner.add_user_config(cluster["spec"], machine)
    items = rp.file_items({"scheduler-config.yaml": "x"}, {"scheduler-config.yaml": CONFIG_FILE})
    try:
        changed, base = rp.edit_cluster(cluster, True, "s", items, CONFIG_FILE, CONFIG_DIR)
    except KubeSchedulerConfigError as exc:
        assert "machineSelectorConfig[" in str(exc)
        assert any(  # refused only for an entry setting our keys on some control-plane machines, not all
            rp.control_plane_reach(e.get("machineLabelSelector")) == "some"
            and {"kube-scheduler-arg", "kube-scheduler-extra-mount"} & set(e.get("config") or {})
            for e in original["spec"]["rkeConfig"]["machineSelectorConfig"]
        )
        return
    assert changed
    after = planner.add_user_config(cluster["spec"], machine)
    args = [str(a) for a in rp._as_list(after["kube-scheduler-arg"])]
    assert [a for a in args if a.startswith("config=")] == [f"config={CONFIG_FILE}"]
    assert [a for a in args if not a.startswith("config=")] == [
        a for a in rp._as_list(without.get("kube-scheduler-arg")) if not a.startswith("config=")
    ]
    assert base == next(
        (a.split("=", 1)[1] for a in rp._as_list(without.get("kube-scheduler-arg")) if a.startswith("config=")), ""
    )
    assert f"{CONFIG_DIR}:{CONFIG_DIR}:ro" in after["kube-scheduler-extra-mount"]
    assert rp.edit_cluster(cluster, True, "s", items, CONFIG_FILE, CONFIG_DIR)[0] is False  # second run
    rp.edit_cluster(cluster, False, "s", [], CONFIG_FILE, CONFIG_DIR)
    assert planner.add_user_config(cluster["spec"], machine) == without


@given(st.binary(max_size=512))
def test_content_hash_is_what_render_files_compares(data):
    assert rp.content_hash(data) == base64.b64encode(hashlib.sha256(data).digest()).decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("v2.7.2", (2, 7, 2)),
        ("v2.7.2-rc2", (2, 7, 2)),
        ("2.12.1", (2, 12, 1)),
        ("v2.10-head", (2, 10, 0)),
        ("dev", None),
        ("v2.7", None),
        ("", None),
        ("v2.7.1\n", (2, 7, 1)),
    ],
)
def test_parse_server_version(value, expected):
    assert rp.parse_server_version(value) == expected
