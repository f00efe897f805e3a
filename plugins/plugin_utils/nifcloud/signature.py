# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Signature version 2 of the NIFCLOUD computing API, as the official SDK signs (nifcloud-sdk-go signer/v2).

HMAC-SHA256 over the method, host, path and the sorted, percent-encoded parameters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote, urlsplit

SIGNATURE_VERSION = "2"
SIGNATURE_METHOD = "HmacSHA256"
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def percent_encode(text):
    """Percent-encode as the signature needs: everything but ``A-Z a-z 0-9 - _ . ~``, UTF-8, spaces as ``%20``."""
    return quote(str(text), safe="-_.~")


def canonical_query(params):
    """Return the parameters sorted by name (UTF-8 byte order), encoded and joined with ``&``."""
    items = sorted(params.items(), key=lambda kv: kv[0].encode("utf-8"))
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in items)


def string_to_sign(method, url, params):
    """Return the string signature version 2 signs: method, host, path and the canonical query, one per line."""
    parts = urlsplit(url)
    return "\n".join((method.upper(), parts.netloc.lower(), parts.path or "/", canonical_query(params)))


def sign_v2(method, url, params, *, access_key, secret_key, timestamp):
    """Return the request parameters with the signature version 2 parameters and ``Signature`` added.

    ``timestamp`` is a ``datetime`` in UTC; the parameters must not already carry
    a ``Signature``.
    """
    signed = dict(params)
    signed.pop("Signature", None)
    signed.update(
        {
            "AccessKeyId": access_key,
            "SignatureVersion": SIGNATURE_VERSION,
            "SignatureMethod": SIGNATURE_METHOD,
            "Timestamp": timestamp.strftime(TIMESTAMP_FORMAT),
        }
    )
    digest = hmac.new(
        secret_key.encode("utf-8"), string_to_sign(method, url, signed).encode("utf-8"), hashlib.sha256
    ).digest()
    signed["Signature"] = base64.b64encode(digest).decode("ascii")
    return signed
