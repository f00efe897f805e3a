# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side pieces shared by the collection's cloud inventory plugins (sakuracloud, nifcloud).

HTTP requests with the SDK-style rate limiter, one deadline per request and
retries of transient failures, messages that never repeat credentials, the cache
round trip with the "strings from the API stay unsafe" rule, and adding hosts
whose names and groups no cloud data can turn into something Ansible treats
specially.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.utils.unsafe_proxy import wrap_var
from ansible.vars.reserved import get_reserved_names

from ansible_collections.lvmkube.cluster.plugins.module_utils import cloud_inventory as ci

try:
    import requests
    import urllib3
except ImportError:  # pragma: no cover - reported at parse time
    requests = urllib3 = None

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
_RESERVED = []
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


def attempts_note(response):
    """Return `` after N attempts`` when the answer came after retries, else an empty string."""
    attempts = getattr(response, "lvmkube_attempts", 1)
    return f" after {attempts} attempts" if attempts > 1 else ""


def reserved_names():
    """Names Ansible reserves (play keywords and the like), computed once."""
    if not _RESERVED:
        _RESERVED.append(frozenset(get_reserved_names()))
    return _RESERVED[0]


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
                wait = ci.retry_after(response.headers.get("Retry-After"), settings["retry_wait_max"])
            if wait is None:
                wait = ci.backoff_delay(attempt, settings["retry_backoff"], settings["retry_wait_max"])
            time.sleep(wait)
            attempt += 1
            continue
        if failure is not None:
            failure.attempts = attempt + 1
            raise failure
        response.lvmkube_attempts = attempt + 1
        return response


def hide(message, *secrets):
    """Return the message with every credential masked: the secrets in every encoding, Basic/Bearer/Signature values."""
    return ci.mask_credentials(message, ci.credential_forms(*secrets))


class CloudInventoryMixin:
    """Methods an inventory plugin (BaseInventoryPlugin, Constructable, Cacheable) shares with its siblings."""

    def template_option(self, name):
        """Return an option's value, templated when it holds ``{{`` (credentials from vaulted variables)."""
        value = self.get_option(name)
        if isinstance(value, str) and "{{" in value:
            value = self.templar.template(value)
        return value

    def cached_or_fetched(self, path, cache, fingerprint, fetch):
        """Return ``(data, mark_unsafe)``: the cached data for this source, else ``fetch()`` (then cached).

        ``mark_unsafe`` tells whether the strings must be wrapped as unsafe before
        they become host variables: on cores without data tagging, and for data from
        a cache plugin that may restore template trust.
        """
        cache_key = f"{self.get_cache_key(path)}_{fingerprint[:32]}"
        use_cache = bool(self.get_option("cache"))
        if use_cache and cache:
            try:
                data = self._cache[cache_key]
            except KeyError:
                pass
            else:
                return data, not HAS_DATA_TAGGING or self.get_option("cache_plugin") not in PLAIN_JSON_CACHES
        if requests is None:
            raise AnsibleError(f"the {self.NAME} inventory plugin needs the Python library 'requests'")
        data = fetch()
        if use_cache:
            self._cache[cache_key] = data
        return data, not HAS_DATA_TAGGING

    def refuse(self, cloud, what, name, problem):
        """Warn that a server is not listed because of its name."""
        self.display.warning(f"{cloud} {what} is refused and not listed: its name {name!r} {problem}")

    def usable_groups(self, cloud, records, static_groups):
        """Drop from each record's ``groups`` the names Ansible treats specially; return every group name.

        ``records`` are dicts with ``groups`` (names made from cloud data) and
        ``what`` (``server 1 in zone is1a``). One warning per dropped group names
        its servers. The result also holds ``static_groups`` and the keys of the
        ``groups`` option (constructed groups), the names no host may take.
        """
        dropped = {}
        names = set(static_groups)
        for record in records:
            kept = []
            for group in record["groups"]:
                if ci.group_name_problem(group):
                    dropped.setdefault(group, []).append(record["what"])
                else:
                    kept.append(group)
            record["groups"] = kept
            names.update(kept)
        for group, owners in sorted(dropped.items()):
            self.display.warning(
                f"{cloud}: no group {group!r} is made (a name Ansible treats specially), asked for by "
                + ", ".join(owners)
            )
        names.update(self.get_option("groups") or {})
        return names

    def name_problem(self, name, group_names):
        """Why ``name`` must not be a host (see ``host_name_problem``), also against the groups already made."""
        problem = ci.host_name_problem(name, group_names)
        if problem is None and name in self.inventory.groups:
            problem = f"is the name of the group {name!r}"
        return problem

    def add_records(self, cloud, top_group, records, group_names):
        """Add a host per record (``host``, ``what``, ``vars``, ``groups``, ``address``) whose name is not refused.

        Every host joins ``top_group``. A name is checked against ``group_names``
        and the groups made so far right before its host is added, and once more
        after all hosts, as a constructed group (``keyed_groups``) of a later host
        may take it. Returns ``(groups made, hosts without an address)``.
        """
        self.inventory.add_group(top_group)
        known_groups = {top_group}
        no_address = []
        added = {}
        for record in records:
            hostname = record["host"]
            problem = self.name_problem(hostname, group_names)
            if problem:
                self.refuse(cloud, record["what"], hostname, problem)
                continue
            if not record["address"]:
                no_address.append(hostname)
            self.add_cloud_host(hostname, record["vars"], record["groups"], known_groups)
            added[hostname] = record["what"]
        for name, what in added.items():
            if name in self.inventory.groups and name in self.inventory.hosts:
                self.inventory.remove_host(self.inventory.hosts[name])
                self.refuse(cloud, what, name, f"is the name of the group {name!r}")
        return known_groups, no_address

    def add_cloud_host(self, hostname, variables, groups, known_groups):
        """Add one host with its variables and groups, then the constructed features (compose, groups, keyed)."""
        inventory = self.inventory
        inventory.add_host(hostname)
        # The Host object's own setter: the variable names were checked at parse
        # time and the values are plain data from the API.
        host = inventory.hosts[hostname]
        for key, value in variables.items():
            host.set_variable(key, value)
        for group in groups:
            if group not in known_groups:
                inventory.add_group(group)
                known_groups.add(group)
            inventory.add_child(group, hostname)
        compose = self.get_option("compose")
        composed_groups = self.get_option("groups")
        keyed_groups = self.get_option("keyed_groups")
        if compose or composed_groups or keyed_groups:
            strict = self.get_option("strict")
            self._set_composite_vars(compose, variables, hostname, strict=strict)
            self._add_host_to_composed_groups(composed_groups, variables, hostname, strict=strict)
            self._add_host_to_keyed_groups(keyed_groups, variables, hostname, strict=strict)

    def warn_without_address(self, cloud, hosts, how):
        """One warning naming (up to 20 of) the hosts listed without ``ansible_host``."""
        if not hosts:
            return
        more = len(hosts) - 20
        shown = ", ".join(hosts[:20]) + (f" and {more} more" if more > 0 else "")
        self.display.warning(f"{cloud} servers without an address for {how} (listed without ansible_host): {shown}")


def unsafe(variables, mark):
    """Wrap the variables as unsafe when ``mark`` is true (see ``cached_or_fetched``)."""
    return wrap_var(variables) if mark else variables
