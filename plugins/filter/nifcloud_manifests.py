# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn the nifcloud_ccm and nifcloud_csi role configurations into Kubernetes objects."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud import (
    ccm,
    ccm_helm,
    common,
    csi,
    csi_helm,
    csi_settings,
    smoke,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import ManifestConfigError, render_files

# component: (objects, Helm values, facts, product name)
_BUILDERS = {
    "ccm": (ccm.ccm_objects, ccm_helm.ccm_helm_values, ccm.ccm_facts, "cloud controller manager"),
    "csi": (csi.csi_objects, csi_helm.csi_helm_values, csi_settings.csi_facts, "additional-storage CSI driver"),
}


def _component(component):
    if component not in _BUILDERS:
        raise AnsibleFilterError(f"component {component!r} is not one of {', '.join(_BUILDERS)}")
    return _BUILDERS[component]


def _wrap(func, *args):
    try:
        return func(*args)
    except ManifestConfigError as exc:
        raise AnsibleFilterError(f"NIFCLOUD configuration error: {exc}") from exc


def nifcloud_manifests(config, component):
    """Every object of the component except the credentials Secret, in apply order."""
    return _wrap(_component(component)[0], config)


def nifcloud_helm_values(config, component):
    """Values for the component's upstream Helm chart."""
    return _wrap(_component(component)[1], config)


def nifcloud_facts(config, component):
    """Secret name, namespace, version and StorageClass names of the component."""
    return _wrap(_component(component)[2], config)


def nifcloud_secret(secret_name, namespace, access_key_id, secret_access_key):
    """The credentials Secret (keys access_key_id, secret_access_key); use it only in no_log tasks."""
    return _wrap(common.credentials_secret, secret_name, namespace, access_key_id, secret_access_key)


def nifcloud_render_files(objects, component, version="", secret_name=""):
    """Files for lvmkube.cluster.topolvm_render: one per object plus kustomization.yaml.

    When no Secret is among the objects, kustomization.yaml says which Secret to create before applying.
    """
    product = _component(component)[3]
    role = f"lvmkube.cluster.nifcloud_{component}"
    kustomization_header = f"# Rendered by the {role} role: kubectl apply --server-side -k <this directory>"
    if isinstance(objects, list) and not any(isinstance(o, dict) and o.get("kind") == "Secret" for o in objects):
        keys = ", ".join(common.SECRET_KEYS)
        kustomization_header += (
            f"\n# The credentials Secret {secret_name} (keys {keys}) is not rendered: create it"
            "\n# first (kubectl create secret generic, a sealed secret...), or render with the role's render_secrets."
        )
    try:
        return render_files(
            objects,
            header=(
                f"# Rendered by the {role} role (NIFCLOUD {product} {version}); "
                "change the role variables, not this file."
            ),
            kustomization_header=kustomization_header,
            secret_comment="# Holds the NIFCLOUD API access key ID and secret access key (render_secrets is true).",
        )
    except ManifestConfigError as exc:
        raise AnsibleFilterError(f"nifcloud_render_files: {exc}") from exc


def nifcloud_lb_smoke_objects(
    namespace="lvmkube-nifcloud-smoke", image="nginx:alpine", accounting_type="2", replicas=3
):
    """Namespace, nginx Deployment and type LoadBalancer Service of the load-balancer smoke test."""
    return _wrap(smoke.lb_smoke_objects, namespace, image, accounting_type, int(replicas))


class FilterModule:
    """NIFCLOUD manifest filters."""

    def filters(self):
        return {
            "nifcloud_manifests": nifcloud_manifests,
            "nifcloud_helm_values": nifcloud_helm_values,
            "nifcloud_facts": nifcloud_facts,
            "nifcloud_secret": nifcloud_secret,
            "nifcloud_render_files": nifcloud_render_files,
            "nifcloud_lb_smoke_objects": nifcloud_lb_smoke_objects,
        }
