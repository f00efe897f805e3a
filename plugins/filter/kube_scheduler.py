# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the kube_scheduler role: the distribution, configuration files, image version, kubeadm
ClusterConfiguration."""

from __future__ import annotations

import yaml
from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.lvmkube.cluster.plugins.module_utils import distribution
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import kubeadm, kubespray, registry
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.config_format import (
    CONFIG_FILE_NAME,
    MANAGED_FILE_NAMES,
    POLICY_FILE_NAME,
    base_config_of_copy,
    version_from_image,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import KubeSchedulerConfigError


def _text(value):
    """value as an exact str (other values unchanged).

    Before ansible-core 2.19 a templated string is AnsibleUnsafeText, a str subclass whose str() is itself, and
    yaml.safe_dump refuses it ("cannot represent an object"); str.__str__ copies it into a plain str.
    """
    return str.__str__(value) if isinstance(value, str) else value


def kube_scheduler_distribution(value, paths=None, marker_paths=None, rancher_url="", rke1_cluster_yml=""):
    """The distribution the role runs for, decided once: a name of the vocabulary (module_utils/distribution.py).

    value is kube_scheduler_distribution. A deprecated spelling (rancher, rancher2) gives its new name with a
    deprecation warning naming it. ``auto`` gives ``auto`` without paths; with paths (node_state_info's ``paths``
    result) it gives what distribution.detect() finds from the markers - marker_paths maps each marker to the path
    read for it, rancher_url and rke1_cluster_yml are the role's settings - or '' when the markers show none.
    """
    value = _text(value)
    if isinstance(value, str) and value.strip().lower() == "auto":
        if paths is None:
            return "auto"
        try:
            markers = {name: bool((paths.get(path) or {}).get("exists")) for name, path in (marker_paths or {}).items()}
            markers.update(rancher_url=bool(rancher_url), rke1_cluster_yml=bool(rke1_cluster_yml))
            return distribution.detect(markers) or ""
        except (AttributeError, distribution.DistributionError) as exc:
            raise AnsibleFilterError(f"kube_scheduler_distribution: {exc}") from exc
    try:
        name = distribution.canonical(value, "kube_scheduler_distribution")
    except distribution.DistributionError as exc:
        raise AnsibleFilterError(f"{exc} (or auto)") from exc
    if distribution.is_deprecated(value):
        Display().deprecated(
            f"kube_scheduler_distribution: {value.strip()} is deprecated, use {name} (the same distribution)",
            version="2.0.0",
            collection_name="lvmkube.cluster",
        )
    return name


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
    base_marker="",
):
    """{'api_version': ..., 'files': {name: text}} for the cluster's Kubernetes version, rendered by the backend of
    distribution (a name of the vocabulary, decided by the role).

    base_text (the text of the cluster's own configuration, read from base_path) makes the file that configuration
    plus the extender. base_marker: how the scheduler names that file, when not base_path (RKE1's container path).
    """
    try:
        api_version, files = registry.backend(_text(distribution)).render(
            _text(kubernetes_version),
            _text(extender_url),
            int(weight),
            _text(capacity_resource),
            _text(config_dir),
            _text(kubeconfig) or None,
            base_text=None if base_text is None or base_path in (None, "") else _text(base_text),
            base_path=_text(base_path or ""),
            base_marker=_text(base_marker or ""),
        )
    except (KubeSchedulerConfigError, TypeError, ValueError) as exc:
        raise AnsibleFilterError(f"kube_scheduler_config_files: {exc}") from exc
    return {"api_version": api_version, "files": files}


def kube_scheduler_image_version(manifest_text):
    """Kubernetes version from the image tag of a kube-scheduler static pod manifest ('' when unknown)."""
    try:
        pod = yaml.safe_load(manifest_text)
        container = kubeadm.scheduler_container(pod)
    except (yaml.YAMLError, KubeSchedulerConfigError) as exc:
        raise AnsibleFilterError(f"kube_scheduler_image_version: the manifest cannot be used: {exc}") from exc
    return version_from_image(container.get("image")) or ""


def kube_scheduler_cluster_configuration(  # noqa: PLR0917 - positional for Jinja filters and callers
    text, state, config_file, config_dir, volume_name=kubeadm.DEFAULT_VOLUME_NAME, base_config=""
):
    """The ClusterConfiguration text (kubeadm-config ConfigMap) with the scheduler settings set or removed."""
    try:
        config = yaml.safe_load(text)
        changed = kubeadm.edit_cluster_configuration(
            config,
            state == "present",
            str(config_file),
            str(config_dir).rstrip("/"),
            str(volume_name),
            str(base_config) if base_config else None,
        )
    except (yaml.YAMLError, KubeSchedulerConfigError, AttributeError) as exc:
        raise AnsibleFilterError(f"kube_scheduler_cluster_configuration: {exc}") from exc
    if not changed:
        return text
    return yaml.safe_dump(config, sort_keys=False, default_flow_style=False, width=4096)


def kube_scheduler_file_names(config_dir):
    """The paths of the role's files in config_dir: config, policy, and all managed names."""
    config_dir = str(config_dir).rstrip("/")
    return {
        "config": f"{config_dir}/{CONFIG_FILE_NAME}",
        "policy": f"{config_dir}/{POLICY_FILE_NAME}",
        "managed": list(MANAGED_FILE_NAMES),
    }


def kube_scheduler_kubespray_vars(merged_text):
    """Text of a kubespray group_vars file with kube_scheduler_extenders as in our merged configuration."""
    try:
        return kubespray.kubespray_vars(merged_text)
    except KubeSchedulerConfigError as exc:
        raise AnsibleFilterError(f"kube_scheduler_kubespray_vars: {exc}") from exc


def kube_scheduler_base_of_copy(text):
    """The cluster's own configuration our merged copy (its text) was made from, as its marker line names it; ''."""
    return base_config_of_copy(str(text or ""))


class FilterModule:
    """kube_scheduler filters."""

    def filters(self):
        return {
            "kube_scheduler_distribution": kube_scheduler_distribution,
            "kube_scheduler_config_files": kube_scheduler_config_files,
            "kube_scheduler_image_version": kube_scheduler_image_version,
            "kube_scheduler_cluster_configuration": kube_scheduler_cluster_configuration,
            "kube_scheduler_file_names": kube_scheduler_file_names,
            "kube_scheduler_kubespray_vars": kube_scheduler_kubespray_vars,
            "kube_scheduler_base_of_copy": kube_scheduler_base_of_copy,
        }
