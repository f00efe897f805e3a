# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller side of the cloud_provider role: the node-name rule of cloud providers, and what kubeadm and
kubespray read to run the kubelet with ``cloud-provider=external`` (the env-file edit on nodes is
``module_utils/cloud_provider.py``)."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import dump_yaml

PROVIDER_RULES = ("nifcloud", "none")
# kubespray's external_cloud_provider values (roles/kubespray_defaults); manual installs no cloud controller manager.
KUBESPRAY_EXTERNAL_PROVIDERS = ("manual", "hcloud", "huaweicloud", "oci", "openstack", "vsphere")


class CloudProviderError(ValueError):
    """A cloud_provider role setting that kubeadm, kubespray or the provider's node-name rule cannot take."""


def node_name_problems(hosts, provider):
    """Messages naming every host whose Kubernetes node name breaks the provider's rule (empty: all fine).

    ``hosts`` is a list of ``{host, node_name, instance_id}``. NIFCLOUD: the cloud controller manager and the CSI
    driver look the node up by its name, so the node name must be the instance ID.
    """
    if provider not in PROVIDER_RULES:
        raise CloudProviderError(f"provider {provider!r} is not one of {', '.join(PROVIDER_RULES)}")
    if provider == "none":
        return []
    problems = []
    for entry in hosts:
        host = entry.get("host")
        node_name = str(entry.get("node_name") or "")
        instance_id = str(entry.get("instance_id") or "")
        if not instance_id:
            problems.append(
                f"{host}: no NIFCLOUD instance ID (set cloud_provider_instance_id or the host variable "
                "nifcloud_instance_id)"
            )
        elif node_name != instance_id:
            problems.append(f"{host}: node name {node_name!r} is not the instance ID {instance_id!r}")
    return problems


def kubeadm_node_registration(api_version, extra_args, node_name=""):
    """``nodeRegistration`` with kubeletExtraArgs as kubeadm's API version wants it (map before v1beta4, list after)."""
    if api_version in ("kubeadm.k8s.io/v1beta2", "kubeadm.k8s.io/v1beta3"):
        args = {str(k): str(v) for k, v in extra_args.items()}
    elif api_version == "kubeadm.k8s.io/v1beta4":
        args = [{"name": str(k), "value": str(v)} for k, v in extra_args.items()]
    else:
        raise CloudProviderError(f"kubeadm API version {api_version!r} is not v1beta2, v1beta3 or v1beta4")
    registration = {"kubeletExtraArgs": args}
    if node_name:
        registration = {"name": node_name, **registration}
    return registration


def kubeadm_snippet(api_version, extra_args, node_name=""):
    """InitConfiguration and JoinConfiguration documents with the node registration, as text for kubeadm --config.

    kubeadm reads every document of the file; merge them with the rest of your configuration (ClusterConfiguration,
    discovery of JoinConfiguration). Only the document of the command used (init or join) is read.
    """
    registration = kubeadm_node_registration(api_version, extra_args, node_name)
    docs = [
        {"apiVersion": api_version, "kind": kind, "nodeRegistration": registration}
        for kind in ("InitConfiguration", "JoinConfiguration")
    ]
    return (
        "# Written by the lvmkube.cluster.cloud_provider role: nodeRegistration for kubeadm init/join --config.\n"
        + "---\n".join(dump_yaml(doc) for doc in docs)
    )


def kubespray_vars(external_cloud_provider="manual", node_names=None):
    """The group_vars file for kubespray: ``cloud_provider: external`` and ``external_cloud_provider``.

    kubespray (roles/kubespray_defaults) accepts ``cloud_provider`` "" or "external" and, with external,
    ``external_cloud_provider`` one of hcloud, huaweicloud, oci, openstack, vsphere or manual; manual installs no
    cloud controller manager (the nifcloud_ccm role does). With node_names (host -> instance ID), kubespray's
    ``kube_override_hostname`` (the kubelet's --hostname-override, default inventory_hostname) names each node
    after its instance ID.
    """
    if external_cloud_provider not in KUBESPRAY_EXTERNAL_PROVIDERS:
        allowed = ", ".join(KUBESPRAY_EXTERNAL_PROVIDERS)
        raise CloudProviderError(f"external_cloud_provider {external_cloud_provider!r} is not one of {allowed}")
    data = {"cloud_provider": "external", "external_cloud_provider": external_cloud_provider}
    names = {str(host): str(value) for host, value in (node_names or {}).items() if value}
    if names:
        data["lvmkube_node_names"] = dict(sorted(names.items()))
        data["kube_override_hostname"] = "{{ lvmkube_node_names[inventory_hostname] | default(inventory_hostname) }}"
    header = "# Written by the lvmkube.cluster.cloud_provider role for kubespray; change the role variables instead.\n"
    return header + dump_yaml(data)
