# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP requests of the cloud inventory plugins: a deadline per request, retries, one thread per zone or region.

Messages never repeat credentials; a failed zone or region is an error naming it, never an empty list.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import socket
import threading
import time

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import redaction
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory.retry import backoff_delay, retry_after

try:
    import requests
    import urllib3
except ImportError:  # pragma: no cover - reported at parse time
    requests = urllib3 = None


# HTTP answers both plugins send again (with the same backoff and limits): rate limited and server-side failures.
TRANSIENT_STATUSES = (429, 500, 502, 503, 504)
# Bytes asked for by one read of a body (each read waits at most until the request's deadline).
_READ_SIZE = 65536


class RequestFailed(Exception):
    """A request that could not be answered (deadline, reset, unreachable); the message holds no credentials.

    ``what`` says what happened (``is unreachable``, ``did not finish within 30 seconds``),
    ``cause`` the reason from the HTTP library (may be empty), ``attempts`` how many
    times the request was sent.
    """

    def __init__(self, what, cause="", transient=True):
        super().__init__(f"{what}: {cause}" if cause else what)
        self.what = what
        self.cause = cause
        self.attempts = 1
        # False when sending again cannot help (a TLS certificate refused, an invalid URL), as the SDKs decide.
        self.transient = transient

    def describe(self, where, context):
        """Return ``<where> <what> (<context>)[ after N attempts][: <cause>]``."""
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        return f"{where} {self.what} ({context}){tries}" + (f": {self.cause}" if self.cause else "")


class SourceError(Exception):
    """A failure reading one zone or region; the message is safe to show (no credentials)."""


class SourceRefused(SourceError):
    """The API refused the credentials (HTTP 401 or 403) for one zone or region; ``detail`` is the API's error."""

    def __init__(self, status, source, detail=""):
        super().__init__(f"HTTP {status} for {source}")
        self.status = status
        self.source = source
        self.detail = detail


def attempts_note(response):
    """Return `` after N attempts`` when the answer came after retries, else an empty string."""
    attempts = getattr(response, "lvmkube_attempts", 1)
    return f" after {attempts} attempts" if attempts > 1 else ""


def request_cause(exc):
    """Describe a requests exception without URLs (which would repeat the query string)."""
    reason = exc
    while getattr(reason, "args", None) and isinstance(reason.args[0], BaseException):
        reason = reason.args[0]
    inner = getattr(reason, "reason", None)
    if isinstance(inner, BaseException):
        reason = inner
    text = to_text(reason)
    # urllib3 prefixes the pool object; keep what follows.
    if ">: " in text:
        text = text.split(">: ", 1)[1]
    return f"{type(reason).__name__}: {text}"


def _socket_of(raw):
    """The socket under a streamed urllib3 response, or None when it cannot be reached."""
    connection = getattr(raw, "_connection", None)
    return getattr(connection, "sock", None)


def _read_body(response, deadline):
    """Read the whole body before ``deadline`` (monotonic); raise TimeoutError when it is missed.

    Each read waits at most until the deadline (the socket's timeout is set to
    what is left) and a watchdog shuts the socket down at the deadline, which also
    ends a read that would wait for more bytes than have come (urllib3 1.x has no
    ``read1``).
    """
    raw = response.raw
    sock = _socket_of(raw)
    fired = threading.Event()

    def cut():
        fired.set()
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), cut) if sock is not None else None
    read = getattr(raw, "read1", None) or raw.read
    chunks = []
    try:
        if watchdog is not None:
            watchdog.daemon = True
            watchdog.start()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("deadline")
            if sock is not None:
                sock.settimeout(remaining)
            try:
                chunk = read(_READ_SIZE, decode_content=True)
            except Exception:
                if fired.is_set():
                    raise TimeoutError("deadline") from None
                raise
            if fired.is_set():
                raise TimeoutError("deadline")
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        if watchdog is not None:
            watchdog.cancel()


def _is_reset(exc):
    text = repr(exc)
    return any(word in text for word in ("Reset", "reset", "RemoteDisconnected", "aborted", "IncompleteRead"))


def request_within(session, method, url, timeout, **kwargs):
    """Send one request and read its whole answer within ``timeout`` seconds; return the response.

    ``timeout`` is a deadline for the whole request - connecting, the headers and
    every byte of the body - not a limit per read, so a body trickling in byte by
    byte fails at the deadline. Raises :class:`RequestFailed`.
    """
    deadline = time.monotonic() + timeout
    late = RequestFailed(f"did not finish within {timeout} seconds (the deadline of one request)")
    try:
        response = session.request(method, url, timeout=(timeout, timeout), stream=True, **kwargs)
        try:
            body = _read_body(response, deadline)
        finally:
            response.close()
    except (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError, TimeoutError):
        raise late from None
    except requests.exceptions.SSLError as exc:
        raise RequestFailed("failed the TLS handshake", request_cause(exc), transient=False) from None
    except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema):
        raise RequestFailed("is not a URL the client can send to", transient=False) from None
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        if _is_reset(exc):
            raise RequestFailed("closed or reset the connection", request_cause(exc)) from None
        raise RequestFailed("is unreachable", request_cause(exc)) from None
    response._content = body  # pylint: disable=protected-access
    response._content_consumed = True  # pylint: disable=protected-access
    return response


def send(session, method, url, *, settings, limiter, retry_statuses, **kwargs):
    """Send one request through the rate limiter; retry transient failures as the SDKs do; return the response.

    ``settings`` holds ``timeout`` (the deadline of each attempt, see
    :func:`request_within`), ``retries``, ``retry_backoff`` and
    ``retry_wait_max``. An answer with a status in ``retry_statuses``, a missed
    deadline, a reset and a refused connection (not a refused TLS certificate nor
    an invalid URL, as go-retryablehttp and botocore decide) are each tried again, up to
    ``retries`` times, after a wait that doubles from ``retry_backoff`` up to
    ``retry_wait_max`` (a ``Retry-After`` header in seconds sets the wait).
    Raises :class:`RequestFailed` (with ``attempts``) when the last attempt failed
    that way; any final answer, good or bad, is returned with the attribute
    ``lvmkube_attempts``.
    """
    attempt = 0
    while True:
        limiter.take()
        response = failure = None
        try:
            response = request_within(session, method, url, settings["timeout"], **kwargs)
        except RequestFailed as exc:
            failure = exc
        retry = failure.transient if failure is not None else response.status_code in retry_statuses
        if retry and attempt < settings["retries"]:
            wait = None
            if response is not None:
                wait = retry_after(response.headers.get("Retry-After"), settings["retry_wait_max"])
            if wait is None:
                wait = backoff_delay(attempt, settings["retry_backoff"], settings["retry_wait_max"])
            time.sleep(wait)
            attempt += 1
            continue
        if failure is not None:
            failure.attempts = attempt + 1
            raise failure
        response.lvmkube_attempts = attempt + 1
        return response


def new_session(settings, user_agent, accept):
    """Return a requests session that sends ``User-Agent`` and ``Accept`` and checks certificates as asked."""
    session = requests.Session()
    session.headers.update({"Accept": accept, "User-Agent": user_agent})
    session.verify = settings["validate_certs"]
    return session


def post_form(settings, url, form, *, user_agent, accept, retry_statuses):
    """Send one form-encoded POST from a session of its own through :func:`send`; return the response."""
    session = new_session(settings, user_agent, accept)
    try:
        return send(
            session,
            "POST",
            url,
            settings=settings,
            limiter=settings["limiter"],
            retry_statuses=retry_statuses,
            data=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    finally:
        session.close()


def read_all(sources, read_one, *, refused, secrets):
    """Return ``{source: read_one(source)}``, every source read concurrently (one thread each).

    ``read_one`` raises :class:`SourceError` for a source that failed and
    :class:`SourceRefused` for one whose credentials were refused. All failures
    become one AnsibleError: ``refused(statuses, sources, details)`` gives the line
    for the refused ones (first), then one line per other failure; ``secrets``
    are masked in it in every encoding.
    """
    result = {}
    errors = []
    denied = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(sources))) as pool:
        futures = {source: pool.submit(read_one, source) for source in sources}
        for source in sources:
            try:
                result[source] = futures[source].result()
            except SourceRefused as exc:
                denied.append(exc)
            except SourceError as exc:
                errors.append(str(exc))
    if denied:
        statuses = "/".join(sorted({str(exc.status) for exc in denied}))
        names = ", ".join(exc.source for exc in denied)
        details = "; ".join(sorted({exc.detail for exc in denied if exc.detail}))
        errors.insert(0, refused(statuses, names, details))
    if errors:
        raise AnsibleError(redaction.hide("\n".join(errors), *secrets))
    return result
