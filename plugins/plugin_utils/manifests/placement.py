# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where control-plane components of the manifests go on each distribution: the node affinity and tolerations that
put a pod next to kube-scheduler (topolvm-scheduler, the NIFCLOUD cloud controller manager)."""

from __future__ import annotations

DISTRIBUTIONS = ("kubeadm", "rke1", "rke2")


def scheduler_placement(distribution, kubernetes_minor):
    """Node affinity and tolerations that put topolvm-scheduler next to kube-scheduler."""
    if distribution == "rke1":
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
    elif distribution == "rke2":
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
