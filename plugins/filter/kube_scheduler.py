# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the kube_scheduler role: configuration files, image version, kubeadm ClusterConfiguration."""

from __future__ import annotations

import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler_config import (
    KubeSchedulerConfigError,
    build_scheduler_config,
    edit_cluster_configuration,
    scheduler_container,
    version_from_image,
)


def kube_scheduler_config_files(  # noqa: PLR0917 - positional for Jinja filters and callers
    kubernetes_version,
    distribution,
    extender_url,
    weight,
    capacity_resource,
    config_dir,
    kubeconfig="",
    base_text=None,
    base_path="",
):
    """{'api_version': ..., 'files': {name: text}} for the cluster's Kubernetes version.

    base_text (the text of the cluster's own configuration, read from base_path) makes the file that configuration
    plus the extender.
    """
    try:
        api_version, files = build_scheduler_config(
            str(kubernetes_version),
            distribution,
            extender_url,
            int(weight),
            capacity_resource,
            config_dir,
            kubeconfig or None,
            base_text=None if base_text is None or base_path in (None, "") else str(base_text),
            base_path=str(base_path or ""),
        )
    except (KubeSchedulerConfigError, TypeError, ValueError) as exc:
        raise AnsibleFilterError(f"kube_scheduler_config_files: {exc}") from exc
    return {"api_version": api_version, "files": files}


def kube_scheduler_image_version(manifest_text):
    """Kubernetes version from the image tag of a kube-scheduler static pod manifest ('' when unknown)."""
    try:
        pod = yaml.safe_load(manifest_text)
        container = scheduler_container(pod)
    except (yaml.YAMLError, KubeSchedulerConfigError) as exc:
        raise AnsibleFilterError(f"kube_scheduler_image_version: the manifest cannot be used: {exc}") from exc
    return version_from_image(container.get("image")) or ""


def kube_scheduler_cluster_configuration(text, state, config_file, config_dir, volume_name="lvmkube-scheduler-config"):
    """The ClusterConfiguration text (kubeadm-config ConfigMap) with the scheduler settings set or removed."""
    try:
        config = yaml.safe_load(text)
        changed = edit_cluster_configuration(
            config, state == "present", str(config_file), str(config_dir).rstrip("/"), str(volume_name)
        )
    except (yaml.YAMLError, KubeSchedulerConfigError, AttributeError) as exc:
        raise AnsibleFilterError(f"kube_scheduler_cluster_configuration: {exc}") from exc
    if not changed:
        return text
    return yaml.safe_dump(config, sort_keys=False, default_flow_style=False, width=4096)


class FilterModule:
    """kube_scheduler filters."""

    def filters(self):
        return {
            "kube_scheduler_config_files": kube_scheduler_config_files,
            "kube_scheduler_image_version": kube_scheduler_image_version,
            "kube_scheduler_cluster_configuration": kube_scheduler_cluster_configuration,
        }
