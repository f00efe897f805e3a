# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers shared by the collection's cloud inventory plugins (sakuracloud, nifcloud).

Nothing here talks to the network or to Ansible: group names from labels, retry
waits, a client-side rate limiter, URL redaction and cache key digests, each
unit-tested alone.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from urllib.parse import urlsplit, urlunsplit

_UNSAFE_GROUP_CHARS = re.compile(r"[^A-Za-z0-9_]")


def group_name(label):
    """Return a group name made from a label (a tag, ``key=value``, a zone ...), or None when empty.

    A leading ``@`` is dropped, every character outside ``[A-Za-z0-9_]`` (``=``
    included) becomes ``_`` and a name that would start with a digit gets a
    leading ``_``: ``@instance-type=large`` gives ``instance_type_large``.
    """
    if not isinstance(label, str):
        return None
    name = label[1:] if label.startswith("@") else label
    if not name:
        return None
    name = _UNSAFE_GROUP_CHARS.sub("_", name)
    if name[0].isdigit():
        name = "_" + name
    return name


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
