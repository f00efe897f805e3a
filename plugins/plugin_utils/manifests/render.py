# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the roles that build Kubernetes objects (topolvm, nifcloud_ccm, nifcloud_csi).

Name and value checks (names, dicts, known keys, string maps, lists of named entries), image references, Helm
values that replace a chart default, base64 text, apply order, and the ``render`` output: one
``NNN-kind-name.yaml`` file per object plus a ``kustomization.yaml``, written by the module
``lvmkube.cluster.topolvm_render``. Plain functions on dicts and lists: no Ansible, no cluster.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping

try:
    import yaml

    HAS_PYYAML = True
except ImportError:  # pragma: no cover - PyYAML is an Ansible requirement
    yaml = None
    HAS_PYYAML = False

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


class ManifestConfigError(ValueError):
    """A role configuration cannot produce valid Kubernetes objects."""


def require_name(value, what, pattern=DNS_LABEL, max_len=63, error=ManifestConfigError):
    """Return value when it is a valid Kubernetes name, else raise ``error`` naming ``what``.

    The whole value must match (``fullmatch``: a pattern's ``$`` alone also matches before a trailing newline).
    """
    if not isinstance(value, str) or not value or len(value) > max_len or not pattern.fullmatch(value):
        raise error(f"{what} {value!r} is not a valid Kubernetes name (lower case, digits, '-')")
    return value


def require_map(value, what, error=ManifestConfigError):
    """value when it is a dict, else raise ``error("<what> must be a dict")``."""
    if not isinstance(value, dict):
        raise error(f"{what} must be a dict")
    return value


def require_known_keys(value, known, what, error=ManifestConfigError):
    """Check that the dict value names only keys of ``known``; the error lists the unknown and the known ones."""
    require_map(value, what, error)
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise error(f"{what} has unknown key(s): {', '.join(unknown)} (known: {', '.join(known)})")
    return value


def string_map(value, what, error=ManifestConfigError):
    """Labels, annotations and node selectors: a copy with string keys and values (None becomes "")."""
    require_map(value, what, error)
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def named_entries(entries, what, item, known, error=ManifestConfigError):
    """``(index, name, entry)`` of a list of dicts that each carry a unique object name under ``name``.

    ``what`` names the list in errors (``storage_classes``), ``item`` one entry (``storage class``); ``known`` are
    the keys an entry may have. A name is a DNS subdomain, as object names are.
    """
    if not isinstance(entries, list):
        raise error(f"{what} must be a list")
    seen = set()
    for index, entry in enumerate(entries):
        require_known_keys(entry, known, f"{what}[{index}]", error)
        name = require_name(entry.get("name"), f"{what}[{index}].name", DNS_SUBDOMAIN, 253, error)
        if name in seen:
            raise error(f"{item} {name!r} is listed twice")
        seen.add(name)
        yield index, name, entry


def split_image(image):
    """``registry:5000/path/name:tag`` -> (``registry:5000/path/name``, ``tag``); a digest stays in the tag."""
    name, _at, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        repository, tag = name[:colon], name[colon + 1 :]
    else:
        repository, tag = name, "latest"
    return repository, tag + (f"@{digest}" if digest else "")


CHECKSUM_ANNOTATION = "checksum/config"


def config_checksum(document):
    """sha256 of a configuration (any JSON-able value), for the pod annotation ``checksum/config``.

    Charts stamp it on the pods that read a ConfigMap so that a configuration change rolls them; the text is
    canonical JSON (sorted keys), so the same configuration gives the same sum in every output mode.
    """
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def helm_replacing(chart_default, value):
    """``value`` for a chart whose values.yaml holds ``chart_default`` there, so that Helm ends with ``value``.

    Helm merges a map it is given into the chart's default map key by key (chartutil.CoalesceValues), so a
    default key the map does not name survives; Helm deletes a default key only when the given value sets it
    to null. The result names every such key with None (recursively where both sides are maps); lists and
    scalars are replaced by Helm as they are. ``value`` None asks Helm to delete the whole default.
    """
    if isinstance(chart_default, Mapping) and isinstance(value, Mapping):
        result = {key: None for key in chart_default if key not in value}
        for key, item in value.items():
            result[key] = helm_replacing(chart_default.get(key), item)
        return result
    return value


def b64encode_text(value):
    """Base64 of a text value, as a Secret's ``data`` holds it."""
    return base64.b64encode(str(value).encode("utf-8")).decode("ascii")


# Apply order: lower phase first; uninstall runs the phases backwards.
_PHASES = {
    "Namespace": 0,
    "CustomResourceDefinition": 0,
    "PriorityClass": 0,
    "Issuer": 1,
    "Certificate": 1,
    "Secret": 1,
    "ServiceAccount": 2,
    "ClusterRole": 2,
    "ClusterRoleBinding": 2,
    "Role": 2,
    "RoleBinding": 2,
    "ConfigMap": 2,
    "CSIDriver": 2,
    "Service": 2,
    "PodDisruptionBudget": 2,
    "Deployment": 3,
    "DaemonSet": 3,
    "MutatingWebhookConfiguration": 4,
    "StorageClass": 5,
    "PodMonitor": 5,
    "VolumeSnapshotClass": 5,
}


def apply_phase(obj):
    """Order group of an object: CRDs and namespace, certificates and Secrets, config, workloads, webhook, classes
    and monitors (other kinds go with the config)."""
    return _PHASES.get(obj.get("kind"), 2)


def object_filename(index, obj):
    """Stable file name for one rendered object, e.g. ``007-clusterrole-topolvm-system-controller.yaml``."""
    name = re.sub(r"[^a-z0-9.-]+", "-", obj["metadata"]["name"].lower()).strip("-")
    return f"{index:03d}-{obj['kind'].lower()}-{name}.yaml"


def kustomization(filenames):
    """A ``kustomization.yaml`` document listing the rendered files (namespaces are already set per object)."""
    return {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": list(filenames)}


def plain(value):
    """Copy of value made of exact dict/list/str/int/float/bool (templating gives subclasses SafeDumper refuses)."""
    if isinstance(value, Mapping):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        # Not str(value): before ansible-core 2.19, AnsibleUnsafeText's str() is itself, a subclass.
        return str.__str__(value)
    for kind in (int, float):
        if isinstance(value, kind):
            return kind(value)
    raise ManifestConfigError(f"cannot write {type(value).__name__} values to a manifest")


if HAS_PYYAML:

    class _BlockDumper(yaml.SafeDumper):
        """Safe dumper that writes multi-line strings as literal blocks."""

        def represent_scalar(self, tag, value, style=None):
            if style is None and tag == "tag:yaml.org,2002:str" and "\n" in value:
                style = "|"
            return super().represent_scalar(tag, value, style)


def dump_yaml(document):
    """One YAML document, keys in their given order, multi-line strings as blocks."""
    return yaml.dump(
        plain(document),
        Dumper=_BlockDumper,
        indent=2,
        default_flow_style=False,
        sort_keys=False,
        width=1000,
        allow_unicode=True,
    )


def render_files(objects, header, kustomization_header, secret_comment=""):
    """Files ``{name, content, mode}`` for lvmkube.cluster.topolvm_render: one per object plus kustomization.yaml.

    ``header`` (comment lines) starts every object file, ``kustomization_header`` starts kustomization.yaml;
    Secret files get mode 0600 and ``secret_comment`` (one comment line) after the header.
    """
    if not isinstance(objects, list) or not all(isinstance(o, Mapping) and "kind" in o for o in objects):
        raise ManifestConfigError("render_files expects a list of Kubernetes objects")
    header = header.rstrip("\n") + "\n"
    files = []
    for index, obj in enumerate(objects, start=1):
        content = header
        mode = "0644"
        if obj["kind"] == "Secret":
            if secret_comment:
                content += secret_comment.rstrip("\n") + "\n"
            mode = "0600"
        files.append({"name": object_filename(index, obj), "content": content + dump_yaml(obj), "mode": mode})
    files.append(
        {
            "name": "kustomization.yaml",
            "mode": "0644",
            "content": kustomization_header.rstrip("\n") + "\n" + dump_yaml(kustomization([f["name"] for f in files])),
        }
    )
    return files
