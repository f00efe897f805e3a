# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Kubernetes objects of a TopoLVM installation, built from the normalised settings.

Names, RBAC rules, labels and selectors follow the upstream chart (topolvm/topolvm chart 17.1.0,
``charts/topolvm/templates``), so ``apply`` and ``helm`` manage the same objects. Plain dicts and lists only:
no Ansible, no cluster.
"""

from __future__ import annotations

import json

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import apply_phase
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.cluster import (
    csi_driver,
    logical_volume_crd,
    namespace_object,
    priority_class_object,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.common import service_account
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.controller import controller_objects
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.facts import (
    webhook_enabled,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.lvmd import (
    lvmd_configmap,
    lvmd_daemonset,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.node import node_objects
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.pods import customise, pod_monitor
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.rbac import controller_rbac
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.scheduler import scheduler_objects
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import (
    lvmd_in_cluster,
    normalize_config,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.storage_classes import (
    snapshot_classes,
    storage_class_objects,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.webhook import (
    certificate_objects,
    check_certificates,
    webhook_configuration,
)


def build_manifests(raw, certificates=None, dump=json.dumps, without_certificates=False):
    """Return every object of the installation, in apply order.

    ``certificates`` (``ca_bundle`` base64 PEM, ``tls_crt`` and ``tls_key`` PEM) are needed for the webhook
    Secret in an extender mode with ``cert_mode: self-signed``, unless ``without_certificates`` (a removal
    listing, whose objects only need their names, or a first check-mode run before the certificate exists).
    ``dump`` writes the lvmd.yaml ConfigMap text (the filters pass the YAML writer of the ``lvmd_config``
    filter, so both texts are the same bytes).
    """
    cfg = normalize_config(raw)
    cfg["dump"] = dump
    cfg["certificates"] = check_certificates(cfg, certificates, without_certificates)
    objs = [namespace_object(cfg), logical_volume_crd(cfg)]
    if cfg["priority_class"]:
        objs.append(priority_class_object(cfg))
    if webhook_enabled(cfg):
        objs += certificate_objects(cfg)
    objs.append(csi_driver(cfg))
    objs += controller_rbac(cfg)
    objs += controller_objects(cfg)
    objs += node_objects(cfg)
    if lvmd_in_cluster(cfg):
        objs += [lvmd_configmap(cfg, lvmd_set) for lvmd_set in cfg["lvmd_sets"]]
    if cfg["lvmd_managed"]:
        objs.append(service_account(cfg, f"{cfg['name']}-lvmd"))
        objs += [lvmd_daemonset(cfg, lvmd_set) for lvmd_set in cfg["lvmd_sets"]]
    if webhook_enabled(cfg):
        objs += scheduler_objects(cfg)
        objs.append(webhook_configuration(cfg))
    objs += storage_class_objects(cfg)
    objs += snapshot_classes(cfg)
    objs += [pod_monitor(cfg, component) for component in cfg["pod_monitors"]]
    for obj in objs:
        customise(cfg, obj)
    return sorted(objs, key=apply_phase)  # sorted() is stable: order inside a phase is kept
