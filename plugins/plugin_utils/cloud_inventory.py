# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side pieces shared by the collection's cloud inventory plugins (sakuracloud, nifcloud).

HTTP requests with the SDK-style rate limiter and retries, messages that never
repeat credentials, the cache round trip with the "strings from the API stay
unsafe" rule, and adding a host with its variables, groups and constructed
features.
"""

from __future__ import annotations

import time

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.utils.unsafe_proxy import wrap_var
from ansible.vars.reserved import get_reserved_names

from ansible_collections.lvmkube.cluster.plugins.module_utils import cloud_inventory as ci

try:
    import requests
except ImportError:  # pragma: no cover - reported at parse time
    requests = None

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


class RequestFailed(Exception):
    """A request that could not be answered (timeout, unreachable); the message holds no credentials.

    ``what`` says what happened (``is unreachable``, ``did not answer within 30 seconds``),
    ``cause`` the reason from the HTTP library (may be empty).
    """

    def __init__(self, what, cause=""):
        super().__init__(f"{what}: {cause}" if cause else what)
        self.what = what
        self.cause = cause

    def describe(self, where, context):
        """Return ``<where> <what> (<context>)[: <cause>]``."""
        return f"{where} {self.what} ({context})" + (f": {self.cause}" if self.cause else "")


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


def send(session, method, url, *, settings, limiter, retry_statuses, **kwargs):
    """Send one request through the rate limiter; retry ``retry_statuses`` as the SDKs do; return the response.

    ``settings`` holds ``timeout``, ``retries``, ``retry_backoff`` and
    ``retry_wait_max``. A ``Retry-After`` header in seconds
    sets the wait. Raises :class:`RequestFailed` on a timeout or a connection
    error; any final answer, good or bad, is returned.
    """
    attempt = 0
    while True:
        limiter.take()
        try:
            response = session.request(method, url, timeout=settings["timeout"], **kwargs)
        except requests.exceptions.Timeout:
            raise RequestFailed(f"did not answer within {settings['timeout']} seconds") from None
        except requests.exceptions.RequestException as exc:
            raise RequestFailed("is unreachable", request_cause(exc)) from None
        if response.status_code in retry_statuses and attempt < settings["retries"]:
            wait = ci.retry_after(response.headers.get("Retry-After"), settings["retry_wait_max"])
            if wait is None:
                wait = ci.backoff_delay(attempt, settings["retry_backoff"], settings["retry_wait_max"])
            time.sleep(wait)
            attempt += 1
            continue
        return response


def hide(message, secret):
    """Return the message with the secret (if any) replaced by asterisks."""
    return message.replace(secret, "********") if secret else message


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
