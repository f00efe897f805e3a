# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every kube-scheduler backend is: one distribution of the collection's vocabulary
(module_utils/distribution.py), told by the role, never guessed here.

A backend knows how its distribution runs kube-scheduler: the scheduler's kubeconfig on a control-plane node
(the file the role renders names it), and the edits that point kube-scheduler at the rendered file (in its own
module: kubeadm.py, kubespray.py, rke1.py, rancher_v3.py, rke2.py, k3s.py, rancher_v2.py). The
KubeSchedulerConfiguration format itself is config_format.py, shared by all.
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import config_format
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import KubeSchedulerConfigError

__all__ = ("Backend", "KubeSchedulerConfigError")


class Backend:
    """One distribution's way of running kube-scheduler.

    name: the distribution's name in the vocabulary. kubeconfig: the scheduler's kubeconfig on a control-plane
    node, which a rendered configuration names (clientConnection.kubeconfig).
    """

    name = ""
    kubeconfig = ""

    def render(  # noqa: PLR0917 - the filter's positional order
        self,
        k8s_version,
        extender_url,
        weight,
        capacity_resource,
        config_dir,
        kubeconfig=None,
        base_text=None,
        base_path="",
        base_marker="",
    ):
        """(api_version, {file name: text}): the configuration for this cluster (config_format.build_scheduler_config)
        with this distribution's kubeconfig unless ``kubeconfig`` names another one."""
        return config_format.build_scheduler_config(
            k8s_version,
            kubeconfig or self.kubeconfig,
            extender_url,
            weight,
            capacity_resource,
            config_dir,
            base_text=base_text,
            base_path=base_path,
            base_marker=base_marker,
        )

    def warnings(self, base_config, present):
        """What the module tells the user after an edit of a cluster whose own configuration is base_config."""
        return []

    def __repr__(self):
        return f"<kube_scheduler backend {self.name}>"
