# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Rancher v3 backend: an RKE1 cluster Rancher manages (``/v3/clusters/<id>``). The scheduler is RKE1's
(rke1.py: same container, binds and kubeconfig); its settings live in the cluster's
``rancherKubernetesEngineConfig.services``, spelled in camelCase (extraArgs, extraBinds), and Rancher rolls a
change out to the control-plane nodes itself.
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import rke1


class RancherV3Backend(rke1.Rke1Backend):
    """Rancher v3: RKE1's services through the Rancher API, camelCase."""

    name = "rancher-v3"
    camel_case = True


BACKEND = RancherV3Backend()
