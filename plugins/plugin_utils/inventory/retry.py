# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When a cloud inventory request is sent again and how fast requests go: backoff, ``Retry-After``, the rate limiter."""

from __future__ import annotations

import threading
import time


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
