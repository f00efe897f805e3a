# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline Kubernetes schema validation with cached validators.

Kubernetes' own kinds are checked with kubernetes-validate's strict schemas. kubernetes-validate has no CRDs:
the custom kinds the collection renders (external-snapshotter, Prometheus operator) are checked with the JSON
schemas in ``crd_schemas/``, written from the upstream CRDs (each names its source and version), their
metadata with the ObjectMeta of the Kubernetes version validated against.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import kubernetes_validate
import referencing
from kubernetes_validate import utils as kv_utils

# Kinds that are not part of Kubernetes itself and have no schema here; the only ones allowed to go unchecked.
CUSTOM_KINDS = {
    ("cert-manager.io/v1", "Issuer"),
    ("cert-manager.io/v1", "Certificate"),
}

_SCHEMA_ROOT = resources.files(kubernetes_validate).joinpath("kubernetes-json-schema")
CRD_SCHEMA_DIR = Path(__file__).resolve().parent / "crd_schemas"


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


def _schema_file_name(api_version, kind):
    """kubernetes-validate's file name of a kind: ``storageclass-storage-v1.json``, ``pod-v1.json``."""
    short = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return f"{kind.lower()}-{short}.json"


def crd_schema_path(api_version, kind):
    """The CRD schema file of a custom kind (named as kubernetes-validate names its files), or None."""
    path = CRD_SCHEMA_DIR / _schema_file_name(api_version, kind)
    return path if path.is_file() else None


@functools.cache
def _crd_validator(version, api_version, kind):
    path = crd_schema_path(api_version, kind)
    if path is None:
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validators.Draft202012Validator.check_schema(schema)
    # metadata refers to the ObjectMeta of kubernetes-validate's definitions of this version.
    registry = referencing.Resource.from_contents(_definitions(version)) @ referencing.Registry()
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


@functools.cache
def _validator(version, api_version, kind):
    path = _SCHEMA_ROOT.joinpath(f"v{version}.0-local-strict", _schema_file_name(api_version, kind))
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
    """Validate one object; raise on any error.

    Return 'validated' (a Kubernetes kind, checked with kubernetes-validate's schema of ``version``), 'crd' (a
    custom kind, checked with its schema in crd_schemas/) or 'custom' (a custom kind without a schema, unchecked).
    """
    validator = _validator(version, obj["apiVersion"], obj["kind"])
    outcome = "validated"
    if validator is None:
        validator, outcome = _crd_validator(version, obj["apiVersion"], obj["kind"]), "crd"
    if validator is None:
        if (obj["apiVersion"], obj["kind"]) in CUSTOM_KINDS:
            return "custom"
        raise AssertionError(f"no Kubernetes {version} schema for {obj['apiVersion']} {obj['kind']}")
    errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
    if errors:
        details = "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5])
        name = (obj.get("metadata") or {}).get("name")
        raise AssertionError(f"{obj['kind']}/{name} invalid for Kubernetes {version}: {details}")
    return outcome


def fake_pem_bundle():
    """A base64 CA bundle shaped like the role's real one (content is not parsed by the schemas)."""
    pem = b"-----BEGIN CERTIFICATE-----\nTUlJQ0RVTU1Z\n-----END CERTIFICATE-----\n"
    return base64.b64encode(pem).decode()
