# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory cache of the cloud inventory plugins: cache keys and the "strings from the API stay unsafe" rule."""

from __future__ import annotations

import hashlib
import json

from ansible.utils.unsafe_proxy import wrap_var

try:
    # ansible-core 2.19+ (data tagging): a string is templated only when it carries
    # trust, which strings decoded from an API answer never do, so they are unsafe
    # as they are. Older cores need them wrapped explicitly.
    from ansible.template import trust_as_template  # noqa: F401  pylint: disable=unused-import

    HAS_DATA_TAGGING = True
except ImportError:  # pragma: no cover - ansible-core < 2.19
    HAS_DATA_TAGGING = False


# Cache plugins that store plain JSON: what they return carries no template trust.
PLAIN_JSON_CACHES = frozenset(("jsonfile", "ansible.builtin.jsonfile", "memory", "ansible.builtin.memory"))


def digest(material):
    """Return a SHA-256 hex digest of JSON-serialisable material (for cache keys)."""
    text = json.dumps(material, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_key(base, fingerprint):
    """Return the cache key of one source: the plugin's key for the file, then 32 hex digits of its fingerprint."""
    return f"{base}_{fingerprint[:32]}"


def must_mark_unsafe(from_cache, cache_plugin):
    """Tell whether data must be wrapped as unsafe before it becomes host variables.

    Always on cores without data tagging; with data tagging only for data restored
    by a cache plugin that may give strings template trust back (not the plain JSON ones).
    """
    if not HAS_DATA_TAGGING:
        return True
    return from_cache and cache_plugin not in PLAIN_JSON_CACHES


def unsafe(variables, mark):
    """Wrap the variables as unsafe when ``mark`` is true (see :func:`must_mark_unsafe`)."""
    return wrap_var(variables) if mark else variables
