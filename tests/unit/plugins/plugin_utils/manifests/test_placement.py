# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control-plane placement of every distribution of the vocabulary, checked by evaluating the affinity and
tolerations against the labels and taints each distribution puts on its nodes, with Kubernetes' matching rules."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils import distribution as vocabulary
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests import placement

NEW = (1, 33)

# k3s-io/k3s pkg/server/server.go, setControlPlaneRoleLabel (commit 25c0b5fb9bb369842d8300e7afe9456eda50c912): a
# server labels its node node-role.kubernetes.io/control-plane="true" and node-role.kubernetes.io/master="true"
# (etcd="true" with embedded etcd); taints come only from --node-taint. RKE2 runs the same server code.
K3S_SERVER = {"node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true"}
RKE2_SERVER = {**K3S_SERVER, "node-role.kubernetes.io/etcd": "true"}
# kubeadm (cmd/kubeadm/app/constants: LabelNodeRoleControlPlane with an empty value, ControlPlaneTaint NoSchedule).
KUBEADM_CONTROL_PLANE = {"node-role.kubernetes.io/control-plane": ""}
KUBEADM_TAINTS = [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
# RKE1 and Rancher v3: controlplane=true; nodes with only the controlplane/etcd roles are tainted.
RKE1_CONTROL_PLANE = {"node-role.kubernetes.io/controlplane": "true", "node-role.kubernetes.io/etcd": "true"}
RKE1_TAINTS = [
    {"key": "node-role.kubernetes.io/controlplane", "value": "true", "effect": "NoSchedule"},
    {"key": "node-role.kubernetes.io/etcd", "value": "true", "effect": "NoExecute"},
]
# Rancher v2 with split roles taints control-plane and etcd machines; operators often add CriticalAddonsOnly.
SPLIT_ROLE_TAINTS = [
    {"key": "node-role.kubernetes.io/control-plane", "value": "true", "effect": "NoSchedule"},
    {"key": "node-role.kubernetes.io/etcd", "value": "true", "effect": "NoExecute"},
    {"key": "CriticalAddonsOnly", "value": "true", "effect": "NoExecute"},
]
WORKER = {"kubernetes.io/os": "linux"}


def selects(affinity, labels):
    """Whether the required node affinity selects a node with ``labels``: the terms are ORed, the expressions of a
    term ANDed (k8s.io/component-helpers scheduling/corev1/nodeaffinity); only In and Exists are used here."""
    terms = affinity["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]

    def matches(expression):
        if expression["operator"] == "Exists":
            return expression["key"] in labels
        assert expression["operator"] == "In", expression
        return labels.get(expression["key"]) in expression["values"]

    return any(all(matches(e) for e in term["matchExpressions"]) for term in terms)


def tolerates(tolerations, taint):
    """Toleration.ToleratesTaint (kubernetes/kubernetes staging/src/k8s.io/api/core/v1/toleration.go, commit
    19c6083b5c8b499f3bdd52e5f58a0b6f645d0fd3): an empty effect matches every effect, an empty key with Exists every
    key, Exists every value, Equal (or empty) the same value."""

    def one(toleration):
        if toleration.get("effect") and toleration["effect"] != taint["effect"]:
            return False
        if toleration.get("key") and toleration["key"] != taint["key"]:
            return False
        if toleration.get("operator", "Equal") == "Exists":
            return True
        return toleration.get("value", "") == taint.get("value", "")

    return any(one(t) for t in tolerations)


def test_every_distribution_has_a_placement_of_its_family():
    families = {name: placement.placement_family(name) for name in vocabulary.DISTRIBUTIONS}
    assert families == {
        "kubeadm": "kubeadm",
        "kubespray": "kubeadm",
        "rke1": "rke1",
        "rancher-v3": "rke1",
        "rke2": "rke2",
        "k3s": "rke2",
        # Rancher v2 runs RKE2 or K3s: its family is not in the name, the placement is the same for both.
        "rancher-v2": "rke2",
    }
    for name, family in families.items():
        assert placement.scheduler_placement(name, NEW) == placement.scheduler_placement(family, NEW), name


@pytest.mark.parametrize("name", ["kubeadm", "kubespray"])
def test_kubeadm_family_runs_on_tainted_control_plane_nodes_only(name):
    affinity, tolerations = placement.scheduler_placement(name, NEW)
    assert selects(affinity, KUBEADM_CONTROL_PLANE)
    assert not selects(affinity, WORKER)
    assert all(tolerates(tolerations, taint) for taint in KUBEADM_TAINTS)


@pytest.mark.parametrize("name", ["rke1", "rancher-v3", "rancher"])
def test_rke1_family_runs_on_controlplane_nodes(name):
    affinity, tolerations = placement.scheduler_placement(name, NEW)
    assert selects(affinity, RKE1_CONTROL_PLANE)
    assert not selects(affinity, K3S_SERVER)
    assert not selects(affinity, WORKER)
    assert all(tolerates(tolerations, taint) for taint in RKE1_TAINTS)


@pytest.mark.parametrize("name", ["rke2", "k3s", "rancher-v2", "rancher2"])
def test_rke2_k3s_and_rancher_v2_run_on_the_labelled_servers(name):
    affinity, tolerations = placement.scheduler_placement(name, NEW)
    # The K3s server's labels and the RKE2 server's, whichever a Rancher v2 cluster runs.
    assert selects(affinity, K3S_SERVER)
    assert selects(affinity, RKE2_SERVER)
    assert not selects(affinity, WORKER)
    # An agent that only carries the kubeadm-style empty label is no server.
    assert not selects(affinity, {"node-role.kubernetes.io/control-plane": ""})
    assert all(tolerates(tolerations, taint) for taint in SPLIT_ROLE_TAINTS)


def test_kubeadm_before_1_25_also_uses_the_master_role():
    old_affinity, old_tolerations = placement.scheduler_placement("kubespray", (1, 24))
    assert selects(old_affinity, {"node-role.kubernetes.io/master": ""})
    assert tolerates(old_tolerations, {"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"})
    new_affinity, new_tolerations = placement.scheduler_placement("kubespray", NEW)
    assert not selects(new_affinity, {"node-role.kubernetes.io/master": ""})
    assert not tolerates(new_tolerations, {"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"})


@pytest.mark.parametrize("name", ["openshift", "", None, "rke3", " "])
def test_a_name_outside_the_vocabulary_is_refused(name):
    with pytest.raises(vocabulary.DistributionError, match="not a distribution"):
        placement.scheduler_placement(name, NEW)


def test_the_tolerations_matcher_follows_kubernetes():
    # The rules the matcher above implements, on their own.
    assert tolerates([{"key": "a", "operator": "Exists"}], {"key": "a", "value": "x", "effect": "NoExecute"})
    assert not tolerates(
        [{"key": "a", "operator": "Exists", "effect": "NoSchedule"}], {"key": "a", "effect": "NoExecute"}
    )
    assert not tolerates([{"key": "a", "value": "x"}], {"key": "a", "value": "y", "effect": "NoSchedule"})
    assert tolerates([{"operator": "Exists"}], {"key": "any", "effect": "NoSchedule"})
