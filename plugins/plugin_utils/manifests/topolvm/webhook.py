# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pod mutating webhook and its certificate (self-signed Secret, or cert-manager's Issuers and Certificate)."""

from __future__ import annotations

import base64
import binascii

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import b64encode_text
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.common import object_meta
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.facts import (
    ignored_namespaces,
    plugin_name,
    webhook_dns_names,
    webhook_enabled,
    webhook_secret_name,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import (
    TopolvmConfigError,
)


def certificate_objects(cfg):
    if cfg["cert_mode"] == "cert-manager":
        ca = f"{cfg['name']}-webhook-ca"
        selfsign = f"{cfg['name']}-webhook-selfsign"
        return [
            {
                "apiVersion": "cert-manager.io/v1",
                "kind": "Issuer",
                "metadata": object_meta(cfg, selfsign),
                "spec": {"selfSigned": {}},
            },
            {
                "apiVersion": "cert-manager.io/v1",
                "kind": "Certificate",
                "metadata": object_meta(cfg, ca),
                "spec": {
                    "secretName": ca,
                    "duration": "87600h",
                    "commonName": "ca.webhook.topolvm",
                    "isCA": True,
                    "issuerRef": {"group": "cert-manager.io", "kind": "Issuer", "name": selfsign},
                    "usages": ["digital signature", "key encipherment", "cert sign"],
                },
            },
            {
                "apiVersion": "cert-manager.io/v1",
                "kind": "Issuer",
                "metadata": object_meta(cfg, ca),
                "spec": {"ca": {"secretName": ca}},
            },
            {
                "apiVersion": "cert-manager.io/v1",
                "kind": "Certificate",
                "metadata": object_meta(cfg, webhook_secret_name(cfg)),
                "spec": {
                    "secretName": webhook_secret_name(cfg),
                    "duration": "8760h",
                    "issuerRef": {"group": "cert-manager.io", "kind": "Issuer", "name": ca},
                    "dnsNames": webhook_dns_names(cfg),
                    "usages": ["digital signature", "key encipherment", "server auth", "client auth"],
                },
            },
        ]
    return [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "kubernetes.io/tls",
            "metadata": object_meta(cfg, webhook_secret_name(cfg)),
            # data (not stringData) so that a second server-side apply finds nothing to change.
            "data": {
                "tls.crt": b64encode_text(cfg["certificates"]["tls_crt"]),
                "tls.key": b64encode_text(cfg["certificates"]["tls_key"]),
                "ca.crt": b64encode_text(_b64decode_text(cfg["certificates"]["ca_bundle"])),
            }
            if cfg["certificates"]["ca_bundle"]
            else {},  # without_certificates: the name is all that counts
        }
    ]


def check_certificates(cfg, certificates, without_certificates):
    if not (webhook_enabled(cfg) and cfg["cert_mode"] == "self-signed"):
        return None
    if without_certificates:
        return {"ca_bundle": "", "tls_crt": "", "tls_key": ""}
    certificates = certificates or {}
    for key in ("ca_bundle", "tls_crt", "tls_key"):
        if not certificates.get(key):
            raise TopolvmConfigError(
                f"cert_mode self-signed with an extender mode needs the webhook certificate's {key} "
                "(the role makes it with community.crypto)"
            )
    _b64decode_text(certificates["ca_bundle"])
    return dict(certificates)


def _b64decode_text(value):
    try:
        return base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise TopolvmConfigError("webhook_ca_bundle must be the base64 encoding of a PEM certificate") from exc


def webhook_configuration(cfg):
    group = plugin_name(cfg)
    client = {"service": {"namespace": cfg["namespace"], "name": f"{cfg['name']}-controller", "path": "/pod/mutate"}}
    annotations = None
    if cfg["cert_mode"] == "cert-manager":
        annotations = {"cert-manager.io/inject-ca-from": f"{cfg['namespace']}/{webhook_secret_name(cfg)}"}
    elif cfg["certificates"]["ca_bundle"]:  # empty only without_certificates
        client["caBundle"] = cfg["certificates"]["ca_bundle"]
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "MutatingWebhookConfiguration",
        "metadata": object_meta(cfg, f"{cfg['name']}-hook", namespaced=False, annotations=annotations),
        "webhooks": [
            {
                "name": f"pod-hook.{group}",
                "admissionReviewVersions": ["v1", "v1beta1"],
                "namespaceSelector": {
                    "matchExpressions": [
                        {"key": f"{group}/webhook", "operator": "NotIn", "values": ["ignore"]},
                        {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ignored_namespaces(cfg)},
                    ]
                },
                "failurePolicy": "Fail",
                "matchPolicy": "Equivalent",
                "clientConfig": client,
                "rules": [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}],
                "sideEffects": "None",
            }
        ],
    }
