# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backoff, ``Retry-After`` and the client-side rate limiter, with an injected clock."""

from __future__ import annotations

import threading

import pytest

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import retry


def test_backoff_delay():
    assert [retry.backoff_delay(n, 0.5) for n in range(4)] == [0.5, 1.0, 2.0, 4.0]
    assert retry.backoff_delay(10, 1.0) == 64.0  # the SDK's RetryWaitMax
    assert retry.backoff_delay(10, 1.0, 30.0) == 30.0


def test_retry_after_seconds_capped():
    assert retry.retry_after("3", 64) == 3.0
    assert retry.retry_after("120", 64) == 64
    for bad in (None, "", "Wed, 21 Oct 2026 07:28:00 GMT", "-1"):
        assert retry.retry_after(bad, 64) is None


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_rate_limiter_spaces_requests_like_the_sdk():
    clock = FakeClock()
    limiter = retry.RateLimiter(5, clock=clock, sleep=clock.sleep)
    waits = [limiter.take() for _request in range(4)]
    # The first request at once, then one every 1/5 s.
    assert [round(w, 6) for w in waits] == [0.0, 0.2, 0.2, 0.2]
    assert clock.now == pytest.approx(100.6)
    # After a pause no debt is carried: the next request goes at once.
    clock.now += 5
    assert limiter.take() == 0.0
    assert round(limiter.take(), 6) == 0.2
    off = retry.RateLimiter(0, clock=clock, sleep=clock.sleep)
    assert [off.take() for _request in range(3)] == [0.0, 0.0, 0.0]


def test_rate_limiter_is_shared_by_threads():
    clock = FakeClock()
    lock = threading.Lock()

    def sleep(seconds):
        with lock:
            clock.slept.append(round(seconds, 6))

    limiter = retry.RateLimiter(10, clock=clock, sleep=sleep)
    threads = [threading.Thread(target=limiter.take) for _thread in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The clock stands still: five permissions 0.1 s apart, whatever thread got which.
    assert sorted(clock.slept) == [0.1, 0.2, 0.3, 0.4]
