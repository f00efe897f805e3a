# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the servers of Sakura Cloud zones: a thread and a session per zone, page by page, each page checked."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import redaction, transport
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory.paging import add_page
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory.retry import RateLimiter
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import api, auth
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud.servers import check_server


def _fetch_zone(settings, zone):
    """Return every server of one zone as the API lists them (a list of dicts)."""
    url = api.server_list_url(settings["api_root_url"], zone)
    shown_url = redaction.redact_url(url)
    session = transport.new_session(settings, api.USER_AGENT, "application/json")
    if settings.get("authorization"):
        session.headers["Authorization"] = settings["authorization"]
    else:
        session.auth = (settings["access_token"], settings["access_token_secret"])
    session.headers["X-Sakura-Bigint-As-Int"] = "1"
    servers = []
    seen = set()
    offset = 0
    try:
        while True:
            page = _get_page(session, settings, zone, offset)
            items, total = api.page_servers(page)
            for position, item in enumerate(items):
                check_server(item, offset + position)
            fresh, complete = add_page(seen, items, total, offset)
            servers.extend(fresh)
            offset += len(items)
            if complete:
                break
    except ValueError as exc:
        raise transport.SourceError(
            f"Sakura Cloud API at {shown_url} returned an unexpected response (zone {zone}): {exc}"
        ) from None
    finally:
        session.close()
    return servers


def _get_page(session, settings, zone, offset):
    url = api.server_list_url(settings["api_root_url"], zone)
    shown_url = redaction.redact_url(url)
    full_url = "{}?{}".format(url, api.find_query(offset, settings["page_size"], settings["filter_tags"]))
    try:
        response = transport.send(
            session, "GET", full_url, settings=settings, limiter=settings["limiter"], retry_statuses=api.RETRY_STATUSES
        )
    except transport.RequestFailed as exc:
        raise transport.SourceError(exc.describe(f"Sakura Cloud API at {shown_url}", f"zone {zone}")) from None
    status = response.status_code
    if status in (401, 403):
        raise transport.SourceRefused(status, zone)
    if status != 200:
        detail = api.api_error_message(response.text)
        raise transport.SourceError(
            "Sakura Cloud API at {} answered HTTP {} (zone {}){}{}".format(
                shown_url, status, zone, transport.attempts_note(response), (": " + detail) if detail else ""
            )
        )
    try:
        return response.json()
    except ValueError as exc:
        raise transport.SourceError(
            f"Sakura Cloud API at {shown_url} returned a body that is not valid JSON (zone {zone}): {exc}"
        ) from None


def credentials(settings):
    """The credentials a message must never show: the secret, the Basic pair, the bearer token."""
    secret = settings.get("access_token_secret")
    pair = f"{settings.get('access_token')}:{secret}" if secret else None
    authorization = settings.get("authorization") or ""
    return secret, pair, authorization.partition(" ")[2] or None


def fetch_servers(settings):
    """Return ``{zone: [server, ...]}`` read concurrently, one thread and one session per zone."""
    zones = settings["zones"]
    # One limiter for the whole client, shared by the zone threads, as the SDK has one per client.
    settings = dict(settings, limiter=RateLimiter(settings["rate_limit"]))
    if settings.get("service_principal"):
        # One token for the whole run, as saclient reuses it until it expires.
        settings["authorization"] = auth.service_principal_authorization(settings)
    what = "the service principal's access token" if settings.get("service_principal") else "the access token or secret"
    check = (
        "check the service principal's permissions"
        if settings.get("service_principal")
        else "check access_token and access_token_secret"
    )

    def refused(statuses, names, _details):
        # One message for every zone that refused the credentials.
        return (
            f"Sakura Cloud API refused {what} (HTTP {statuses}) for zone {names}; "
            f"{check} (credentials from {settings['source']})"
        )

    return transport.read_all(
        zones, lambda zone: _fetch_zone(settings, zone), refused=refused, secrets=credentials(settings)
    )
