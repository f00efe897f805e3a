# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kubespray backend: a kubeadm control plane whose scheduler runs with kubespray's own configuration
(``/etc/kubernetes/kubescheduler-config.yaml``, roles/kubernetes/control-plane). The node is edited as on kubeadm
(kubeadm.py); kubespray renders its file and the manifest again on its next run, so its inventory must carry
``kube_scheduler_extenders`` - the variables file this backend writes.
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import config_format
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (
    KubeSchedulerConfigError,
    plain_data,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.kubeadm import KubeadmBackend

KUBESPRAY_CONFIG = "/etc/kubernetes/kubescheduler-config.yaml"

KUBESPRAY_VARS_HEADER = (
    "---\n"
    "# Written by the Ansible role lvmkube.cluster.kube_scheduler for kubespray's inventory\n"
    "# (for example group_vars/kube_control_plane/). kubespray renders kube_scheduler_extenders into\n"
    "# /etc/kubernetes/kubescheduler-config.yaml (roles/kubernetes/control-plane), so its next run keeps\n"
    "# the TopoLVM scheduler extender. The list holds the cluster's other extenders too.\n"
)


class KubesprayBackend(KubeadmBackend):
    """kubespray: the kubeadm edits, plus kubespray's variables so its next run keeps the extender."""

    name = "kubespray"
    kubespray_config = KUBESPRAY_CONFIG

    def warnings(self, base_config, present):
        if not present:
            return []
        return [
            f"kube-scheduler runs with kubespray's {base_config or self.kubespray_config}: the next kubespray run "
            "(cluster.yml, upgrade-cluster.yml) renders it and the manifest again without the TopoLVM extender "
            "unless kubespray's inventory sets kube_scheduler_extenders; the role lvmkube.cluster.kube_scheduler "
            "writes it to kube_scheduler_kubespray_vars_file"
        ]


BACKEND = KubesprayBackend()


def kubespray_vars(merged_text):
    """Text of a kubespray group_vars file with kube_scheduler_extenders as in our merged configuration."""
    if not config_format.HAS_YAML:
        raise KubeSchedulerConfigError("PyYAML is required to render kubespray's variables")
    yaml = config_format.yaml
    try:
        config = yaml.safe_load(merged_text)
        extenders = config["extenders"]
    except (yaml.YAMLError, TypeError, KeyError) as exc:
        raise KubeSchedulerConfigError(f"not a configuration with extenders: {exc}") from exc
    return KUBESPRAY_VARS_HEADER + yaml.safe_dump(
        {"kube_scheduler_extenders": plain_data(extenders)}, sort_keys=False, default_flow_style=False, width=4096
    )
