# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Messages and URLs that never repeat a credential: every encoding of a secret masked, user information dropped."""

from __future__ import annotations

import base64
import re
from urllib.parse import quote, urlsplit, urlunsplit

MASK = "********"


def credential_forms(*values):
    """Return every form in which a credential may come back in an answer: as is, base64, percent-encoded."""
    forms = set()
    for value in values:
        if not value:
            continue
        encoded = base64.b64encode(value.encode("utf-8")).decode("ascii")
        for form in (value, encoded, encoded.rstrip("=")):
            forms.update((form, quote(form, safe="")))
    return forms


_AUTH_VALUE = re.compile(r"(?i)\b(basic|bearer)(\s+)[^\s\"'&<,;]+")
_SIGNATURE_VALUE = re.compile(r"(?i)\b(signature[\"']?\s*[=:]\s*[\"']?)[^\s\"'&<,;]+")


def mask_credentials(message, forms=()):
    """Return the message with every credential form and every ``Basic``/``Bearer``/``Signature`` value masked."""
    message = _AUTH_VALUE.sub(lambda m: m.group(1) + m.group(2) + MASK, message)
    message = _SIGNATURE_VALUE.sub(lambda m: m.group(1) + MASK, message)
    for form in sorted((f for f in forms if f), key=len, reverse=True):
        message = message.replace(form, MASK)
    return message


def hide(message, *secrets):
    """Return the message with every credential masked: the secrets in every encoding, Basic/Bearer/Signature values."""
    return mask_credentials(message, credential_forms(*secrets))


def redact_url(url):
    """Return the URL without user information (``user:password@``) and without the query string."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
