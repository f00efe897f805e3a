# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one vocabulary of Kubernetes distributions every role of the collection speaks (``lvmkube_distribution``),
the deprecated spellings older role variables accepted, and the one decision that reads a node's markers.

Modules import it on nodes (detection), filters on the controller (the names), so it lives in module_utils and
needs nothing but the standard library.
"""

from __future__ import annotations

DISTRIBUTIONS = ("kubeadm", "kubespray", "rke1", "rke2", "rancher-v3", "rancher-v2", "k3s")

# Spellings older role variables accepted (kube_scheduler_distribution: rancher, rancher2); they keep working.
DEPRECATED_ALIASES = {"rancher": "rancher-v3", "rancher2": "rancher-v2"}

# The node markers detect() reads, each a boolean. Paths are what the distributions themselves write.
MARKERS = (
    "kubeadm_manifest",  # the kube-scheduler static pod manifest (kubeadm, kubespray)
    "kubespray_config",  # kube-scheduler's --config is kubespray's file (/etc/kubernetes/kubescheduler-config.yaml)
    "rke2_dir",  # /etc/rancher/rke2
    "k3s_dir",  # /etc/rancher/k3s
    "rke1_kubeconfig",  # /etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml (RKE1 and Rancher v3 clusters)
    "rancher_url",  # the role was given a Rancher URL (an RKE1 node is then managed by Rancher v3)
    "rke1_cluster_yml",  # the role was given RKE1's cluster.yml
)


class DistributionError(ValueError):
    """A value outside the vocabulary."""


def canonical(value, where="lvmkube_distribution"):
    """The vocabulary's name for ``value`` (a deprecated alias gives its new name); anything else is an error
    naming ``where`` and the accepted values."""
    name = value.strip().lower() if isinstance(value, str) else None
    if name in DISTRIBUTIONS:
        return name
    if name in DEPRECATED_ALIASES:
        return DEPRECATED_ALIASES[name]
    raise DistributionError(
        f"{where}: {value!r} is not a distribution; use one of {', '.join(DISTRIBUTIONS)}"
        f" (deprecated spellings: {', '.join(f'{old} = {new}' for old, new in DEPRECATED_ALIASES.items())})"
    )


def is_deprecated(value):
    """Whether ``value`` is a deprecated spelling (callers warn once, naming the new one)."""
    return isinstance(value, str) and value.strip().lower() in DEPRECATED_ALIASES


def detect(markers):
    """The distribution a node's markers show, or None when they show none.

    One order, first match wins: a kubeadm-style static pod manifest (kubespray when its scheduler runs with
    kubespray's configuration), then RKE2, then K3s, then an RKE1 scheduler kubeconfig - Rancher v3 when a Rancher
    URL was given, RKE1 when RKE1's cluster.yml was given, else undecidable. Rancher v2 (provisioning.cattle.io)
    clusters are never guessed: their nodes look like RKE2 or K3s nodes, and editing those directly would be undone
    by Rancher's planner, so they must be named.
    """
    unknown = sorted(set(markers) - set(MARKERS))
    if unknown:
        raise DistributionError(f"unknown distribution markers: {', '.join(unknown)}")
    seen = {name: bool(markers.get(name)) for name in MARKERS}
    if seen["kubeadm_manifest"]:
        return "kubespray" if seen["kubespray_config"] else "kubeadm"
    if seen["rke2_dir"]:
        return "rke2"
    if seen["k3s_dir"]:
        return "k3s"
    if seen["rke1_kubeconfig"]:
        if seen["rancher_url"]:
            return "rancher-v3"
        if seen["rke1_cluster_yml"]:
            return "rke1"
    return None


def family(name):
    """The node layout a distribution shares: kubeadm (kubeadm, kubespray), rke1 (RKE1, Rancher v3), rke2 (RKE2),
    k3s (K3s); Rancher v2 clusters run RKE2 or K3s, so their family is not known from the name alone (None)."""
    name = canonical(name)
    return {
        "kubeadm": "kubeadm",
        "kubespray": "kubeadm",
        "rke1": "rke1",
        "rancher-v3": "rke1",
        "rke2": "rke2",
        "k3s": "k3s",
    }.get(name)
