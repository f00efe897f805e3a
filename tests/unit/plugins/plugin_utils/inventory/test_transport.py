# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared request code of the cloud inventory plugins against the misbehaving HTTP double on 127.0.0.1.

``timeout`` is a deadline for the whole request: a body trickling one byte every 0.3 s fails at a 1 s deadline,
with urllib3's ``read1`` and without it (urllib3 1.x, where only the watchdog ends the read). Resets and 5xx
answers are retried with the same code in both plugins; the final failure says what happened. Zones or regions
are read concurrently and every failure is reported, refused credentials first, with the secrets masked.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
import requests
from ansible.errors import AnsibleError

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "doubles"))

from http_api_double import RESET, TRICKLE, HttpApiDouble

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import retry, transport

BODY = b'{"Servers": []}' * 20


class ScriptedDouble(HttpApiDouble):
    """Answers each request with the next scripted behaviour: ``ok``, ``trickle``, ``reset`` or an HTTP status."""

    def __init__(self, *script):
        super().__init__()
        self.script = list(script)

    def respond(self, method, path, headers, body):
        self.log({"path": path})
        step = self.script.pop(0) if self.script else "ok"
        if step == "trickle":
            return 200, BODY, {TRICKLE: 0.3}
        if step == "reset":
            return 0, b"", {RESET: True}
        if isinstance(step, int):
            return step, b'{"error_msg": "down"}', {}
        return 200, BODY, {}


def settings(retries=0):
    return {"timeout": 1, "retries": retries, "retry_backoff": 0.01, "retry_wait_max": 0.05}


def send(double, retries=0):
    with requests.Session() as session:
        return transport.send(
            session,
            "GET",
            double.base_url + "/x",
            settings=settings(retries),
            limiter=retry.RateLimiter(0),
            retry_statuses=transport.TRANSIENT_STATUSES,
        )


@pytest.mark.parametrize("without_read1", [False, True])
def test_a_trickling_body_fails_at_the_deadline(monkeypatch, without_read1):
    if without_read1:
        # urllib3 1.x: no read1, a read of 64 KiB waits for all of them; the watchdog must end it.
        monkeypatch.setattr(transport, "_READ_SIZE", 1 << 16)
        real_read_body = transport._read_body

        class NoRead1:
            def __init__(self, raw):
                self._raw = raw
                self._connection = raw._connection
                self.read = raw.read
                self.close = raw.close

        def read_body(response, deadline):
            response.raw = NoRead1(response.raw)
            return real_read_body(response, deadline)

        monkeypatch.setattr(transport, "_read_body", read_body)
    with ScriptedDouble("trickle") as double:
        started = time.monotonic()
        with pytest.raises(transport.RequestFailed) as raised:
            send(double)
        elapsed = time.monotonic() - started
    assert raised.value.what == "did not finish within 1 seconds (the deadline of one request)"
    # Ended by the deadline, not by the body (90 s): the bound is far from both so that load cannot decide it.
    assert elapsed < 30


def test_resets_and_5xx_are_retried_then_the_answer_is_returned():
    with ScriptedDouble("reset", 500, 502, 503, "trickle") as double:
        response = send(double, retries=5)
        assert response.status_code == 200 and response.content == BODY
        assert response.lvmkube_attempts == 6 and double.request_count == 6


def test_the_final_failure_says_what_happened_and_how_often():
    with ScriptedDouble("reset", "reset") as double, pytest.raises(transport.RequestFailed) as raised:
        send(double, retries=1)
    assert raised.value.what == "closed or reset the connection" and raised.value.attempts == 2
    assert raised.value.describe("API at u", "zone z").startswith("API at u closed or reset the connection (zone z)")
    assert " after 2 attempts" in raised.value.describe("API at u", "zone z")
    with ScriptedDouble(502, 502) as double:
        response = send(double, retries=1)
    assert response.status_code == 502 and transport.attempts_note(response) == " after 2 attempts"


def test_a_refused_tls_handshake_is_not_retried():
    # The double speaks plain HTTP: a TLS client fails the handshake, which sending again cannot mend
    # (hashicorp/go-retryablehttp DefaultRetryPolicy and botocore stop on certificate errors too).
    with ScriptedDouble() as double, requests.Session() as session, pytest.raises(transport.RequestFailed) as raised:
        transport.send(
            session,
            "GET",
            double.base_url.replace("http://", "https://") + "/x",
            settings=settings(retries=3),
            limiter=retry.RateLimiter(0),
            retry_statuses=transport.TRANSIENT_STATUSES,
        )
    assert raised.value.what == "failed the TLS handshake" and raised.value.attempts == 1


def _read(source):
    if source == "refused-a":
        raise transport.SourceRefused(401, source, "AuthFailure: bad signature of s3cret")
    if source == "refused-b":
        raise transport.SourceRefused(403, source)
    if source == "down":
        raise transport.SourceError("API at https://down.test is unreachable, key s3cret")
    return [source]


def _refused(statuses, names, details):
    return f"refused (HTTP {statuses}) for {names} ({details})"


def test_read_all_returns_every_source():
    assert transport.read_all(["a", "b"], _read, refused=_refused, secrets=["s3cret"]) == {"a": ["a"], "b": ["b"]}


def test_read_all_reports_every_failure_refused_first_and_masks_the_secrets():
    with pytest.raises(AnsibleError) as raised:
        transport.read_all(["ok", "down", "refused-a", "refused-b"], _read, refused=_refused, secrets=["s3cret"])
    lines = str(raised.value).splitlines()
    assert lines[0] == "refused (HTTP 401/403) for refused-a, refused-b (AuthFailure: bad signature of ********)"
    assert lines[1] == "API at https://down.test is unreachable, key ********"
    assert "s3cret" not in str(raised.value)
