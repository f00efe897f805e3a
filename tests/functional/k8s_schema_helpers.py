# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline Kubernetes schema validation with cached validators (kubernetes-validate's strict schemas)."""

from __future__ import annotations

import base64
import functools
import json
import re
from importlib import resources

import jsonschema
import kubernetes_validate
import referencing
from kubernetes_validate import utils as kv_utils

# Kinds that are not part of Kubernetes itself; the only ones allowed to have no schema.
CUSTOM_KINDS = {
    ("cert-manager.io/v1", "Issuer"),
    ("cert-manager.io/v1", "Certificate"),
    ("monitoring.coreos.com/v1", "PodMonitor"),  # Prometheus operator
    ("snapshot.storage.k8s.io/v1", "VolumeSnapshotClass"),  # external-snapshotter
    ("snapshot.storage.k8s.io/v1", "VolumeSnapshot"),
}

_SCHEMA_ROOT = resources.files(kubernetes_validate).joinpath("kubernetes-json-schema")


def shipped_versions():
    """Kubernetes minor versions kubernetes-validate ships schemas for, e.g. ['1.25', ..., '1.37']."""
    seen = []
    for version in kv_utils.all_versions():
        minor = ".".join(version.split(".")[:2])
        if minor not in seen:
            seen.append(minor)
    return seen


@functools.cache
def _definitions(version):
    with _SCHEMA_ROOT.joinpath(f"v{version}.0-local-strict", "_definitions.json").open() as handle:
        return json.load(handle)


@functools.cache
def _validator(version, api_version, kind):
    short = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    path = _SCHEMA_ROOT.joinpath(f"v{version}.0-local-strict", f"{kind.lower()}-{short}.json")
    if not path.is_file():
        return None
    with path.open() as handle:
        schema = json.load(handle)
    registry = referencing.Registry().with_resources(
        [
            (schema.get("$id", ""), referencing.Resource.from_contents(schema)),
        ]
    )
    definitions = referencing.Resource.from_contents(_definitions(version))
    registry = definitions @ (referencing.Resource.from_contents(schema) @ registry)
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


def validate_object(obj, version):
    """Validate one object; return 'validated' or 'custom' (skipped custom kind); raise on any error."""
    validator = _validator(version, obj["apiVersion"], obj["kind"])
    if validator is None:
        if (obj["apiVersion"], obj["kind"]) in CUSTOM_KINDS:
            return "custom"
        raise AssertionError(f"no Kubernetes {version} schema for {obj['apiVersion']} {obj['kind']}")
    errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
    if errors:
        details = "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5])
        raise AssertionError(f"{obj['kind']}/{obj['metadata'].get('name')} invalid for Kubernetes {version}: {details}")
    return "validated"


def fake_pem_bundle():
    """A base64 CA bundle shaped like the role's real one (content is not parsed by the schemas)."""
    pem = b"-----BEGIN CERTIFICATE-----\nTUlJQ0RVTU1Z\n-----END CERTIFICATE-----\n"
    return base64.b64encode(pem).decode()
