# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every kube-scheduler backend by its distribution's name, for the controller (the role's filters). Modules on
nodes import only their own backend."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils import distribution
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import (
    k3s,
    kubeadm,
    kubespray,
    rancher_v2,
    rancher_v3,
    rke1,
    rke2,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import KubeSchedulerConfigError

BACKENDS = {
    backend.name: backend
    for backend in (
        kubeadm.BACKEND,
        kubespray.BACKEND,
        rke1.BACKEND,
        rke2.BACKEND,
        rancher_v3.BACKEND,
        rancher_v2.BACKEND,
        k3s.BACKEND,
    )
}


def backend(name):
    """The backend of a distribution named in the vocabulary (module_utils/distribution.py); a deprecated spelling
    gives its new name's backend."""
    try:
        return BACKENDS[distribution.canonical(name, "kube_scheduler_distribution")]
    except distribution.DistributionError as exc:
        raise KubeSchedulerConfigError(str(exc)) from None
