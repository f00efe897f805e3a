# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the NIFCLOUD cloud controller manager and CSI driver share: the settings both roles have, the labels and
metadata of their objects, and the credentials Secret.

Both follow the upstream Helm charts (github.com/nifcloud/nifcloud-cloud-controller-manager v1.2.0 and
github.com/nifcloud/nifcloud-additional-storage-csi-driver v1.1.0): the same names, flags and environment variables
(``NIFCLOUD_ACCESS_KEY_ID``, ``NIFCLOUD_SECRET_ACCESS_KEY``, ``NIFCLOUD_REGION``, ``NODE_NAME``). The credentials
never enter the objects the other modules build: they reference a Secret that only :func:`credentials_secret`
builds, so that callers can keep that one object out of logs and rendered files.
"""

from __future__ import annotations

import copy
import functools
import re

from ansible_collections.lvmkube.cluster.plugins.module_utils.kubernetes_version import (
    KubernetesVersionError,
    parse_kubernetes_version,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils import role_distribution
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.plain_data import plain_copy
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import (
    DNS_SUBDOMAIN,
    ManifestConfigError,
    b64encode_text,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import (
    require_name as _require_name,
)

MANAGED_BY = "lvmkube.cluster"
SECRET_KEYS = ("access_key_id", "secret_access_key")
UNINITIALIZED_TAINT = "node.cloudprovider.kubernetes.io/uninitialized"
_REGION = re.compile(r"^[a-z]{2}-[a-z]+-[0-9]+$")
_RELEASE = re.compile(r"^\d+\.\d+\.\d+([-.][0-9A-Za-z.-]+)?$")

COMMON_DEFAULTS = {
    "namespace": "kube-system",
    "image_tag": "",
    "image_pull_policy": "IfNotPresent",
    "region": "",
    "distribution": "kubeadm",
    "kubernetes_version": "1.30",
}


class NifcloudConfigError(ManifestConfigError):
    """The NIFCLOUD configuration cannot produce a valid installation."""


require_name = functools.partial(_require_name, error=NifcloudConfigError)

NODE_NAME_ENV = {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}
UNINITIALIZED_TOLERATION = {"key": UNINITIALIZED_TAINT, "value": "true", "effect": "NoSchedule"}


# --------------------------------------------------------------------------- settings


def normalize_common(raw, defaults):
    """Fill ``defaults`` and check the settings both components have; raise NifcloudConfigError."""
    if not isinstance(raw, dict):
        raise NifcloudConfigError("the configuration must be a dict")
    unknown = sorted(set(raw) - set(defaults))
    if unknown:
        raise NifcloudConfigError(f"unknown setting(s): {', '.join(unknown)}")
    cfg = copy.deepcopy(defaults)
    cfg.update(plain_copy({k: v for k, v in raw.items() if v is not None}))
    if "name" in cfg:
        require_name(cfg["name"], "name", max_len=50)
    require_name(cfg["namespace"], "namespace")
    cfg["version"] = str(cfg["version"]).lstrip("v")
    if not _RELEASE.fullmatch(cfg["version"]):
        raise NifcloudConfigError(f"version {cfg['version']!r} is not a release such as 1.2.0")
    cfg["image_tag"] = str(cfg["image_tag"] or f"v{cfg['version']}")
    if not cfg["image_repository"] or any(c.isspace() for c in str(cfg["image_repository"])):
        raise NifcloudConfigError("image_repository must be a non-empty image name")
    if cfg["image_pull_policy"] not in ("Always", "IfNotPresent", "Never"):
        raise NifcloudConfigError("image_pull_policy must be Always, IfNotPresent or Never")
    if not isinstance(cfg["region"], str) or not _REGION.fullmatch(cfg["region"]):
        raise NifcloudConfigError(f"region {cfg['region']!r} is not a NIFCLOUD region such as jp-east-1")
    cfg["distribution"] = role_distribution.served(cfg["distribution"], "distribution", error=NifcloudConfigError)
    try:
        cfg["kubernetes_minor"] = parse_kubernetes_version(cfg["kubernetes_version"])
    except KubernetesVersionError as exc:
        raise NifcloudConfigError(f"kubernetes_version {exc}") from None
    require_name(cfg["secret_name"], "secret_name", DNS_SUBDOMAIN, 253)
    return cfg


def image_pull_secrets(names, what="image_pull_secrets"):
    """The pod's imagePullSecrets from a list of Secret names."""
    if not isinstance(names, list):
        raise NifcloudConfigError(f"{what} must be a list of Secret names")
    for index, name in enumerate(names):
        require_name(name, f"{what}[{index}]", DNS_SUBDOMAIN, 253)
    if len(set(names)) != len(names):
        raise NifcloudConfigError(f"{what} names a Secret twice")
    return [{"name": name} for name in names]


def deploy_facts(cfg):
    """Names the role needs besides the objects: the Secret, its namespace, the version."""
    return {"secret_name": cfg["secret_name"], "namespace": cfg["namespace"], "version": cfg["version"]}


# --------------------------------------------------------------------------- object parts


def component_labels(app, instance, version):
    """The app.kubernetes.io labels of every object of a component."""
    return {
        "app.kubernetes.io/name": app,
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/version": version,
        "app.kubernetes.io/managed-by": MANAGED_BY,
    }


def meta(name, object_labels, namespace=None, annotations=None):
    """An object's metadata."""
    result = {"name": name, "labels": dict(object_labels)}
    if namespace:
        result["namespace"] = namespace
    if annotations:
        result["annotations"] = dict(annotations)
    return result


def pod_meta(pod_labels, annotations):
    """A pod template's metadata."""
    result = {"labels": dict(pod_labels)}
    if annotations:
        result["annotations"] = dict(annotations)
    return result


def secret_env(secret_name):
    """The two credential variables, read from the Secret's keys."""
    return [
        {
            "name": env,
            "valueFrom": {"secretKeyRef": {"name": secret_name, "key": key}},
        }
        for env, key in zip(("NIFCLOUD_ACCESS_KEY_ID", "NIFCLOUD_SECRET_ACCESS_KEY"), SECRET_KEYS, strict=True)
    ]


def credentials_secret(secret_name, namespace, access_key_id, secret_access_key, labels=None):
    """The Secret both NIFCLOUD components read their API keys from (keys access_key_id and secret_access_key).

    ``data`` (not ``stringData``) so that a second server-side apply finds nothing to change. Errors never
    contain the values.
    """
    require_name(secret_name, "secret_name", DNS_SUBDOMAIN, 253)
    require_name(namespace, "namespace")
    for what, value in (("access key ID", access_key_id), ("secret access key", secret_access_key)):
        if not isinstance(value, str) or not value.strip():
            raise NifcloudConfigError(f"the NIFCLOUD {what} is empty (set it, vaulted, in the role variables)")
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": meta(secret_name, labels or {"app.kubernetes.io/managed-by": MANAGED_BY}, namespace),
        "data": dict(zip(SECRET_KEYS, (b64encode_text(access_key_id), b64encode_text(secret_access_key)), strict=True)),
    }


def helm_credentials(cfg):
    """The charts' ``nifcloud`` values: the region and the Secret keys the credentials come from."""
    return {
        "region": cfg["region"],
        "accessKeyId": {"secretName": cfg["secret_name"], "key": SECRET_KEYS[0]},
        "secretAccessKey": {"secretName": cfg["secret_name"], "key": SECRET_KEYS[1]},
    }
