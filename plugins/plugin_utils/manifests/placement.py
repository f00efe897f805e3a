# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where control-plane components of the manifests go on each distribution: the node affinity and tolerations that
put a pod next to kube-scheduler (topolvm-scheduler, the NIFCLOUD cloud controller manager).

The placement follows the node layout a distribution shares with others (``distribution.family``); no list of
distribution names lives here:

- kubeadm family (kubeadm, kubespray): kubeadm labels control-plane nodes ``node-role.kubernetes.io/control-plane``
  with an empty value and taints them ``NoSchedule``; before Kubernetes 1.25 it used the ``master`` role too;
- rke1 family (RKE1, Rancher v3): ``node-role.kubernetes.io/controlplane=true``, tainted ``controlplane`` and
  ``etcd`` on nodes with only those roles;
- rke2 and k3s families: ``node-role.kubernetes.io/control-plane=true`` (and ``master=true``), set by k3s's server
  code that RKE2 builds on; no taint by default, ``CriticalAddonsOnly`` or role taints when the operator adds them;
- Rancher v2 (provisioning.cattle.io) clusters run RKE2 or K3s, whose control-plane nodes carry the same label, so
  the placement is the same whichever of the two a cluster runs and the operator need not name it. Rancher's
  planner taints nodes with split roles (``control-plane``, ``etcd``); both are tolerated.
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils import distribution as vocabulary

# The families whose control-plane nodes carry node-role.kubernetes.io/control-plane=true; a Rancher v2 cluster
# (family None: RKE2 or K3s) is placed like them.
_LABELLED_TRUE = ("rke2", "k3s", None)


def placement_family(name):
    """The node layout the placement of ``name`` follows: kubeadm, rke1, or rke2 (RKE2, K3s, Rancher v2)."""
    family = vocabulary.family(name)
    return "rke2" if family in _LABELLED_TRUE else family


def scheduler_placement(distribution, kubernetes_minor):
    """Node affinity and tolerations that put a pod on the nodes that run kube-scheduler.

    ``distribution`` is a name of the vocabulary (or a deprecated spelling of one); anything else raises
    ``distribution.DistributionError``.
    """
    family = placement_family(distribution)
    if family == "rke1":
        terms = [
            {
                "matchExpressions": [
                    {"key": "node-role.kubernetes.io/controlplane", "operator": "In", "values": ["true"]}
                ]
            }
        ]
        tolerations = [
            {"key": "node-role.kubernetes.io/controlplane", "operator": "Exists"},
            {"key": "node-role.kubernetes.io/etcd", "operator": "Exists"},
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
        ]
    elif family == "rke2":
        terms = [
            {
                "matchExpressions": [
                    {"key": "node-role.kubernetes.io/control-plane", "operator": "In", "values": ["true"]}
                ]
            }
        ]
        tolerations = [
            {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"},
            {"key": "node-role.kubernetes.io/etcd", "operator": "Exists"},
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
        ]
    else:
        terms = [{"matchExpressions": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}]}]
        tolerations = [
            {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
        ]
        if kubernetes_minor < (1, 25):
            # kubeadm before 1.25 still labels or taints control-plane nodes with the old "master" role.
            terms.append({"matchExpressions": [{"key": "node-role.kubernetes.io/master", "operator": "Exists"}]})
            tolerations.append({"key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoSchedule"})
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}}
    return affinity, tolerations
