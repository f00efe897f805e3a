# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the lvmkube.cluster.cloud_provider role."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.plugin_utils import cloud_provider as cp


def _wrap(func, *args):
    try:
        return func(*args)
    except cp.CloudProviderError as exc:
        raise AnsibleFilterError(str(exc)) from exc


def cloud_provider_node_name_problems(hosts, provider="nifcloud"):
    """One message per host whose node name breaks the provider's rule."""
    if not isinstance(hosts, list) or not all(isinstance(h, dict) for h in hosts):
        raise AnsibleFilterError("cloud_provider_node_name_problems expects a list of {host, node_name, instance_id}")
    return _wrap(cp.node_name_problems, hosts, provider)


def cloud_provider_kubeadm_snippet(api_version, extra_args, node_name=""):
    """kubeadm InitConfiguration and JoinConfiguration with nodeRegistration.kubeletExtraArgs, as YAML text."""
    return _wrap(cp.kubeadm_snippet, api_version, dict(extra_args), node_name)


def cloud_provider_kubespray_vars(external_cloud_provider="manual", node_names=None):
    """The kubespray group_vars file text for an external cloud provider."""
    return _wrap(cp.kubespray_vars, external_cloud_provider, dict(node_names or {}))


class FilterModule:
    """Cloud provider filters."""

    def filters(self):
        return {
            "cloud_provider_node_name_problems": cloud_provider_node_name_problems,
            "cloud_provider_kubeadm_snippet": cloud_provider_kubeadm_snippet,
            "cloud_provider_kubespray_vars": cloud_provider_kubespray_vars,
        }
