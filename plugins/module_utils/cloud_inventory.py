# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers shared by the collection's cloud inventory plugins (sakuracloud, nifcloud).

Nothing here talks to the network or to Ansible: host names and group names from
cloud data (and why one is refused), retry waits, a client-side rate limiter,
URL redaction, credential masking, paging accounting and cache key digests, each
unit-tested alone.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
import threading
import time
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

_UNSAFE_GROUP_CHARS = re.compile(r"[^A-Za-z0-9_]")
# Names Ansible gives a meaning of its own (ansible-core: constants.LOCALHOST, the built-in groups ``all`` and
# ``ungrouped``); compared after NFKC normalisation and case folding.
SPECIAL_NAMES = frozenset(("localhost", "all", "ungrouped"))
# Characters a host name may hold besides letters and digits (Unicode ones included).
HOST_NAME_PUNCTUATION = frozenset("._-")
# Hex digits of the hash a group name made from a non-ASCII label carries.
GROUP_HASH_LENGTH = 8
MASK = "********"


def _is_special(name):
    """Tell whether a name means this machine or every host to Ansible (or to a resolver)."""
    folded = unicodedata.normalize("NFKC", name).casefold().rstrip(".")
    if folded in SPECIAL_NAMES or folded.startswith("localhost.") or folded.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(folded)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def host_name_problem(name, group_names=()):
    """Return why ``name`` (from cloud data) must not become an inventory host name, or None when it may.

    Refused: an empty name; ``localhost``, ``all``, ``ungrouped`` in any case or
    Unicode width, ``localhost.<x>``, ``<x>.localhost`` and loopback or unspecified
    addresses; a name with any character but letters, digits, ``.``, ``_`` and
    ``-`` (so no host pattern character ``* ? ! & : [ ] , ~``, no whitespace, no
    control character, no quote); a name starting with ``-``; a name in
    ``group_names`` (the groups of the inventory).
    """
    if not isinstance(name, str) or not name:
        return "is empty"
    if _is_special(name):
        return "is a name Ansible treats specially (localhost, a loopback address, all, ungrouped)"
    for char in name:
        if not (char.isalnum() or char in HOST_NAME_PUNCTUATION):
            return f"holds {char!r}; a host name may hold only letters, digits, '.', '_' and '-'"
    if name.startswith("-"):
        return "starts with '-'"
    if name in group_names:
        return f"is the name of the group {name!r}"
    return None


def group_name(label):
    """Return a group name made from a label (a tag, ``key=value``, a zone ...), or None when empty.

    A leading ``@`` is dropped, every character outside ``[A-Za-z0-9_]`` (``=``
    included) becomes ``_`` and a name that would start with a digit gets a
    leading ``_``: ``@instance-type=large`` gives ``instance_type_large``. A label
    with any non-ASCII character also gets ``_`` and the first
    :data:`GROUP_HASH_LENGTH` hex digits of the SHA-256 of the label (without the
    ``@``), so ``役割=ワーカー`` and ``役割=マスター`` stay two groups.
    """
    if not isinstance(label, str):
        return None
    name = label[1:] if label.startswith("@") else label
    if not name:
        return None
    safe = _UNSAFE_GROUP_CHARS.sub("_", name)
    if not name.isascii():
        safe += "_" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:GROUP_HASH_LENGTH]
    if safe[0].isdigit():
        safe = "_" + safe
    return safe


def group_name_problem(name):
    """Return why a group made from cloud data must not exist, or None: ``all``, ``ungrouped``, ``localhost``.

    A group named ``localhost`` would take every ``hosts: localhost`` play (a
    pattern matches a group before a host), ``all`` and ``ungrouped`` are Ansible's.
    """
    if _is_special(name):
        return "is a name Ansible treats specially"
    return None


class GroupLabels:
    """The labels (tags) behind every group name of one inventory; two different labels on one name is an error."""

    def __init__(self):
        self._first = {}

    def add(self, label, group, owner):
        """Record that ``label`` of ``owner`` (a server) makes ``group``; ValueError naming both on a collision."""
        key = label[1:] if label.startswith("@") else label
        first = self._first.setdefault(group, (key, label, owner))
        if first[0] != key:
            raise ValueError(
                f"the tags {first[1]!r} (server {first[2]}) and {label!r} (server {owner}) both make the group "
                f"{group!r}; rename one of them"
            )


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


def add_page(seen, items, total, offset):
    """Account for one page of a paged list; return the new servers (each ID once) and whether the list is complete.

    ``seen`` is the set of IDs listed so far (updated). Raises ValueError, with
    the numbers, when a page repeats an ID (an API that ignores ``From``), when
    more servers came than ``Total`` says, or when a page is empty before
    ``Total`` servers came (a partial list). ``ID`` must be present (see the
    plugin's shape checks).
    """
    fresh = []
    for item in items:
        item_id = item.get("ID") if isinstance(item, dict) else None
        if item_id in seen:
            raise ValueError(
                f"the page from {offset} repeats server {item_id} ({len(seen)} servers listed, Total {total}); "
                "the API ignored the paging"
            )
        seen.add(item_id)
        fresh.append(item)
    if len(seen) > total:
        raise ValueError(f"the API listed {len(seen)} servers but its Total says {total}")
    if not items and len(seen) < total:
        raise ValueError(f"the page from {offset} is empty after {len(seen)} servers of Total {total} (a partial list)")
    return fresh, len(seen) >= total


def backoff_delay(attempt, base, cap=64.0):
    """Return the sleep before retry number ``attempt`` (0-based): ``base * 2**attempt``, capped."""
    return min(cap, base * (2**attempt))


def retry_after(value, cap):
    """Return the seconds of a ``Retry-After`` header given in seconds (capped), or None."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if seconds < 0:
        return None
    return min(cap, seconds)


class RateLimiter:
    """At most ``rate`` requests per second for one client, shared by its threads.

    Like the limiter of the Sakura Cloud SDK (sacloud/saclient-go uses
    go.uber.org/ratelimit): the first request goes at once, every further one
    waits until ``1/rate`` seconds after the permission before it. ``rate`` 0 or
    None means no limit. ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(self, rate, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / rate if rate else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = None
        self._lock = threading.Lock()

    def take(self):
        """Wait for the next permission; return the seconds waited."""
        if not self.interval:
            return 0.0
        with self._lock:
            now = self._clock()
            issue = now if self._next is None or self._next < now else self._next
            self._next = issue + self.interval
        wait = issue - now
        if wait > 0:
            self._sleep(wait)
            return wait
        return 0.0


def redact_url(url):
    """Return the URL without user information (``user:password@``) and without the query string."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def digest(material):
    """Return a SHA-256 hex digest of JSON-serialisable material (for cache keys)."""
    text = json.dumps(material, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def first_env(environ, names):
    """Return the first non-empty value of the environment variables ``names``, or None."""
    for name in names:
        value = environ.get(name)
        if value:
            return value
    return None
