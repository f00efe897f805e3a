# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helm mode of nifcloud_ccm gives the cluster render mode gives: every chart option, its helm value path and the
rendered field it must match, and what the chart cannot take.

Facts from the upstream chart, read with the search tools (not part of this repository):
nifcloud/nifcloud-cloud-controller-manager chart v1.2.0 (tag v1.2.0, commit 231d33d5acede8892f8d147bce7467e018f89614),
charts/nifcloud-cloud-controller-manager/values.yaml: nodeSelector defaults to {node-role.kubernetes.io/control-plane:
""}; templates/daemonset.yaml hard-codes the three args and serviceAccountName. Helm's merge of the values with the
chart's defaults is the double ``coalesce`` of tests/helpers/helm_merge.py, checked against the real helm v4 in
tests/integration/helm_values. The rows are in tests/helpers/nifcloud_manifests.py.
"""

from __future__ import annotations

import pytest
from helpers.helm_merge import coalesce
from helpers.nifcloud_manifests import (
    NOT_CHART,
    REGION,
    Knob,
    assert_every_option_is_covered,
    assert_refused_by_the_chart,
    check,
    common_knobs,
    container,
    find,
    ids,
    or_none,
    pod,
    same,
)

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.ccm import ccm_objects
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.ccm_helm import (
    CCM_CHART_NODE_SELECTOR,
    ccm_helm_values,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import NifcloudConfigError

CCM = "nifcloud-cloud-controller-manager"
CCM_DS = pod("DaemonSet")
CCM_C = container("DaemonSet", CCM)
CCM_KNOBS = [
    *common_knobs("ghcr.io/nifcloud/nifcloud-cloud-controller-manager", "ccm", CCM_C),
    Knob(
        "secret_name",
        {"secret_name": "ccm-keys"},
        ("nifcloud", "accessKeyId", "secretName"),
        "",
        same,
        lambda o: CCM_C(o)["env"][0]["valueFrom"]["secretKeyRef"]["name"],
    ),
    Knob("distribution", {"distribution": "rke2"}, ("affinity",), {}, or_none, lambda o: CCM_DS(o)["spec"]["affinity"]),
    Knob(
        "distribution",
        {"distribution": "rke1"},
        ("tolerations",),
        [
            {"key": "node.cloudprovider.kubernetes.io/uninitialized", "value": "true", "effect": "NoSchedule"},
            {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
        ],
        same,
        lambda o: CCM_DS(o)["spec"]["tolerations"],
    ),
    Knob(
        "distribution",
        {"distribution": "rke1"},
        ("nodeSelector",),
        CCM_CHART_NODE_SELECTOR,
        or_none,
        lambda o: CCM_DS(o)["spec"].get("nodeSelector"),
    ),
    Knob(
        "kubernetes_version",
        {"kubernetes_version": "1.24"},
        ("affinity",),
        {},
        or_none,
        lambda o: CCM_DS(o)["spec"]["affinity"],
    ),
    Knob(
        "resources",
        {"resources": {"limits": {"memory": "256Mi"}}},
        ("resources",),
        {},
        or_none,
        lambda o: CCM_C(o).get("resources"),
    ),
    Knob(
        "security_context",
        {"security_context": {"runAsNonRoot": True}},
        ("securityContext",),
        {},
        or_none,
        lambda o: CCM_C(o).get("securityContext"),
    ),
    Knob(
        "pod_annotations",
        {"pod_annotations": {"a": "b"}},
        ("podAnnotations",),
        {},
        or_none,
        lambda o: CCM_DS(o)["metadata"].get("annotations"),
    ),
    Knob(
        "image_pull_secrets",
        {"image_pull_secrets": ["mirror"]},
        ("imagePullSecrets",),
        [],
        or_none,
        lambda o: CCM_DS(o)["spec"].get("imagePullSecrets"),
    ),
]
# Refused with helm output, so that no value silently differs (the chart hard-codes them).
CCM_REFUSED = {"extra_args": {"extra_args": ["--v=4"]}, "name": {"name": "ccm"}}


@pytest.mark.parametrize("knob", CCM_KNOBS, ids=ids(CCM_KNOBS))
def test_ccm_knob_reaches_render_and_helm_alike(knob):
    wanted = check(knob, ccm_objects, ccm_helm_values)
    assert wanted != knob.field(ccm_objects(REGION)) or knob.path == ("nodeSelector",)


@pytest.mark.parametrize("refused", CCM_REFUSED.values(), ids=list(CCM_REFUSED))
def test_what_the_chart_cannot_take_is_refused_in_helm_mode(refused):
    assert_refused_by_the_chart(ccm_helm_values, refused)


def test_every_option_is_a_row_or_said_not_to_be_a_chart_value():
    assert_every_option_is_covered("nifcloud_ccm", CCM_KNOBS, CCM_REFUSED, NOT_CHART)


@pytest.mark.parametrize("distribution", ["kubeadm", "rke1", "rke2"])
def test_ccm_helm_mode_clears_the_charts_node_selector(distribution):
    # {} merged into the default map leaves control-plane: "" (no RKE node has it); null deletes it.
    values = ccm_helm_values(dict(REGION, distribution=distribution))
    merged = coalesce({"nodeSelector": CCM_CHART_NODE_SELECTOR}, values)
    assert merged["nodeSelector"] == {}
    assert coalesce({"nodeSelector": CCM_CHART_NODE_SELECTOR}, {"nodeSelector": {}})["nodeSelector"] == {
        "node-role.kubernetes.io/control-plane": ""
    }
    ds = find(ccm_objects(dict(REGION, distribution=distribution)), "DaemonSet")
    assert "nodeSelector" not in ds["spec"]["template"]["spec"]
    assert values["affinity"] == ds["spec"]["template"]["spec"]["affinity"]


def test_ccm_extra_args_are_refused_in_helm_mode():
    with pytest.raises(NifcloudConfigError, match="hard-codes the args"):
        ccm_helm_values(dict(REGION, extra_args=["--v=4"]))
    ccm_objects(dict(REGION, extra_args=["--v=4"]))  # render and apply pass them


def test_ccm_other_name_is_refused_in_helm_mode():
    # Chart v1.2.0 templates/daemonset.yaml hard-codes serviceAccountName: nifcloud-cloud-controller-manager while
    # templates/serviceaccount.yaml names the account after the chart (or nameOverride).
    with pytest.raises(NifcloudConfigError, match="hard-codes that ServiceAccount"):
        ccm_helm_values(dict(REGION, name="ccm"))
    assert find(ccm_objects(dict(REGION, name="ccm")), "DaemonSet")["metadata"]["name"] == "ccm"


def test_ccm_helm_values_describe_the_same_installation():
    ccm = ccm_helm_values(dict(REGION, image_tag="v1.2.1"))
    assert ccm["image"]["tag"] == "v1.2.1"
    assert ccm["nifcloud"] == {
        "region": "jp-east-1",
        "accessKeyId": {"secretName": "nifcloud-cloud-controller-manager-secret", "key": "access_key_id"},
        "secretAccessKey": {"secretName": "nifcloud-cloud-controller-manager-secret", "key": "secret_access_key"},
    }
    assert ccm["tolerations"] == pod("DaemonSet")(ccm_objects(REGION))["spec"]["tolerations"]
