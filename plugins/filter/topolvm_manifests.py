# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn the TopoLVM role configuration into Kubernetes objects.

A thin layer over ``plugin_utils/manifests/topolvm/settings.py`` (checks), ``objects.py`` (objects),
``helm.py`` (chart values) and ``smoke.py`` (smoke test). The settings' names, types and defaults are the
options of the role's argument spec (``spec.py`` reads them): settings that are not given take its defaults.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import (
    ManifestConfigError,
    plain,
    render_files,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import spec
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.facts import (
    deploy_facts,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.helm import helm_values
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.objects import build_manifests
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import (
    TopolvmConfigError,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.smoke import (
    smoke_objects,
    snapshot_objects,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage.device_classes import DeviceClassError
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage.lvmd_config import lvmd_yaml
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage.resolve import resolve_device_classes


def with_defaults(config):
    """The settings with every key: the given ones over the defaults of the role's argument spec."""
    if not isinstance(config, Mapping):
        raise AnsibleFilterError("the TopoLVM configuration must be a dict")
    # plain: templating a dict that read variables through a lookup wraps its strings (before ansible-core 2.19).
    return _wrap(spec.with_defaults, _plain(config))


def topolvm_settings(variables):
    """The settings dict from the role's variables ``{topolvm_<name>: value}`` (one per option of its argument
    spec), each converted to the spec's type as ansible-core's argument validation converts role arguments."""
    if not isinstance(variables, Mapping):
        raise AnsibleFilterError("topolvm_settings expects a dict of the topolvm role's variables")
    return _wrap(spec.from_role, _plain(variables))


def _wrap(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except (TopolvmConfigError, spec.SpecError) as exc:
        raise AnsibleFilterError(f"TopoLVM configuration error: {exc}") from exc


def topolvm_manifests(config, certificates=None, without_certificates=False):
    """Every object of the installation, in apply order."""
    return _wrap(
        build_manifests,
        with_defaults(config),
        certificates=_plain(certificates),
        dump=lvmd_yaml,
        without_certificates=boolean(without_certificates, strict=True),
    )


def topolvm_facts(config, service_cluster_ip=""):
    """Plugin name, extender URL, capacity resource and other derived values."""
    return _wrap(deploy_facts, with_defaults(config), service_cluster_ip=service_cluster_ip or "")


def topolvm_helm_values(config, certificates=None, without_certificates=False, overrides=None):
    """Values for the upstream topolvm/topolvm Helm chart; ``overrides`` deep-merged over them."""
    return _wrap(
        helm_values,
        with_defaults(config),
        certificates=_plain(certificates),
        without_certificates=boolean(without_certificates, strict=True),
        overrides=_plain(overrides),
    )


def _plain(value):
    """Copy of value made of exact dict/list/str/int/float/bool (templating gives subclasses SafeDumper refuses)."""
    try:
        return plain(value)
    except ManifestConfigError as exc:
        raise AnsibleFilterError(str(exc)) from exc


def topolvm_render_files(objects, version="", key_location=""):
    """Files for lvmkube.cluster.topolvm_render: ``{name, content, mode}`` per object plus kustomization.yaml."""
    if not isinstance(objects, list) or not all(isinstance(o, Mapping) and "kind" in o for o in objects):
        raise AnsibleFilterError("topolvm_render_files expects the list made by topolvm_manifests")
    try:
        return render_files(
            objects,
            header=f"# Rendered by the lvmkube.cluster.topolvm role (TopoLVM {version}); "
            "change the role variables, not this file.",
            kustomization_header="# Rendered by the lvmkube.cluster.topolvm role: "
            "kubectl apply --server-side -k <this directory>",
            secret_comment="# Holds the webhook private key and certificates made with community.crypto in "
            f"{key_location}.",
        )
    except ManifestConfigError as exc:
        raise AnsibleFilterError(f"topolvm_render_files: {exc}") from exc


def topolvm_smoke_objects(storage_class, namespace="lvmkube-smoke", image="busybox:1.36", marker="", size="1Gi"):
    """Namespace, PVC, writer and reader Pod of the smoke test for one StorageClass."""
    return _wrap(smoke_objects, storage_class, namespace=namespace, image=image, marker=marker, size=size)


def topolvm_smoke_snapshot_objects(
    storage_class, snapshot_class, *, namespace="lvmkube-smoke", image="busybox:1.36", size="1Gi", marker=""
):
    """VolumeSnapshot, restored claim and reader Pod of the smoke test's snapshot step."""
    return _wrap(
        snapshot_objects, storage_class, snapshot_class, namespace=namespace, image=image, size=size, marker=marker
    )


def topolvm_inventory_nodes(hosts, hostvars):
    """``[{name, device_classes}]`` of the inventory hosts that are Kubernetes nodes: the host variable
    ``topolvm_node_name`` (default the inventory name) and the device classes lvmd serves on the host
    (``lvmd_device_classes``, else ``lvmkube_device_classes``, else none: the one resolution of
    ``plugin_utils/storage/resolve.py``, which the lvm and lvmd roles use too)."""
    if hosts is None:
        return []
    if isinstance(hosts, (str, Mapping)) or not isinstance(hosts, (list, tuple)):
        raise AnsibleFilterError("topolvm_inventory_nodes expects a list of inventory host names")
    nodes = []
    for host in hosts:
        host_vars = hostvars[host]
        try:
            classes = resolve_device_classes(str(host), host_vars, "lvmd")[1]
        except DeviceClassError as exc:
            raise AnsibleFilterError(str(exc)) from exc
        nodes.append({"name": str(host_vars.get("topolvm_node_name") or host), "device_classes": _plain(classes)})
    return nodes


class FilterModule:
    """TopoLVM manifest filters."""

    def filters(self):
        return {
            "topolvm_manifests": topolvm_manifests,
            "topolvm_settings": topolvm_settings,
            "topolvm_facts": topolvm_facts,
            "topolvm_helm_values": topolvm_helm_values,
            "topolvm_render_files": topolvm_render_files,
            "topolvm_smoke_objects": topolvm_smoke_objects,
            "topolvm_inventory_nodes": topolvm_inventory_nodes,
            "topolvm_smoke_snapshot_objects": topolvm_smoke_snapshot_objects,
        }
