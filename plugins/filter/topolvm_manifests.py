# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn the TopoLVM role configuration into Kubernetes objects."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.module_utils.topolvm_manifests import (
    TopolvmConfigError,
    apply_phase,
    build_manifests,
    deploy_facts,
    helm_values,
    kustomization,
    object_filename,
    smoke_objects,
)


def _wrap(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except TopolvmConfigError as exc:
        raise AnsibleFilterError(f"TopoLVM configuration error: {exc}") from exc


def topolvm_manifests(config):
    """Every object of the installation, in apply order."""
    return _wrap(build_manifests, config)


def topolvm_facts(config):
    """Plugin name, extender URL, capacity resource and other derived values."""
    return _wrap(deploy_facts, config)


def topolvm_helm_values(config):
    """Values for the upstream topolvm/topolvm Helm chart."""
    return _wrap(helm_values, config)


def topolvm_render_files(objects):
    """List of ``{filename, phase, object}`` for writing one file per object."""
    if not isinstance(objects, list):
        raise AnsibleFilterError("topolvm_render_files expects the list made by topolvm_manifests")
    return [{"filename": object_filename(index, obj), "phase": apply_phase(obj), "object": obj}
            for index, obj in enumerate(objects, start=1)]


def topolvm_kustomization(filenames):
    """The kustomization.yaml document for the rendered files."""
    return kustomization(filenames)


def topolvm_smoke_objects(storage_class, namespace="lvmkube-smoke", image="busybox:1.36", marker="", size="1Gi"):
    """Namespace, PVC, writer and reader Pod of the smoke test for one StorageClass."""
    return _wrap(smoke_objects, storage_class, namespace=namespace, image=image, marker=marker, size=size)


class FilterModule:
    """TopoLVM manifest filters."""

    def filters(self):
        return {
            "topolvm_manifests": topolvm_manifests,
            "topolvm_facts": topolvm_facts,
            "topolvm_helm_values": topolvm_helm_values,
            "topolvm_render_files": topolvm_render_files,
            "topolvm_kustomization": topolvm_kustomization,
            "topolvm_smoke_objects": topolvm_smoke_objects,
        }
