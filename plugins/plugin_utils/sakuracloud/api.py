# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Sakura Cloud server API as the inventory reads it: zones, the URL of a zone's servers, the find query, answers.

Pure functions: plain values in, a URL, a query string or the checked content of one page out; invalid answers
raise ValueError with a message the plugin passes on.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import transport

ZONES = ("tk1a", "tk1b", "is1a", "is1b", "is1c", "tk1v")
# tk1v is the sandbox zone: only queried when asked for.
DEFAULT_ZONES = ("tk1a", "tk1b", "is1a", "is1b", "is1c")
DEFAULT_API_ROOT_URL = "https://secure.sakura.ad.jp/cloud/zone"
SERVER_API_PATH = "api/cloud/1.1/server"
# Fields of a server the plugin reads; the find request asks for nothing else.
INCLUDE_FIELDS = ("ID", "Name", "Tags", "Zone", "Instance", "ServerPlan", "Interfaces")
USER_AGENT = "lvmkube.cluster-sakuracloud-inventory"
# Answers that are sent again: 423 (resource locked), 429 (rate limited), 500/502/503/504 (server side).
RETRY_STATUSES = (423, *transport.TRANSIENT_STATUSES)


def filter_tags(cluster=None, required_tags=()):
    """Return the sorted tags every listed server must carry (``cluster`` and ``required_tags``), no duplicates."""
    tags = set(required_tags or ())
    if cluster:
        tags.add(cluster)
    return sorted(tags)


def find_filter(tags):
    """Return the ``Filter`` of a find request that keeps only servers carrying every tag.

    The Sakura Cloud API matches ``Tags.Name`` against a list of tags as an AND of
    exact matches; the SDK (iaas-api-go ``search.TagsAndEqual``) sends that list as
    the one element of the condition array: ``{"Tags.Name": [["a", "b"]]}``.
    """
    if not tags:
        return {}
    return {"Tags.Name": [list(tags)]}


def find_query(offset, count, tags=()):
    """Return the URL-encoded JSON query string of one page of a server find request."""
    body = {
        "From": offset,
        "Count": count,
        "Sort": ["ID"],
        "Filter": find_filter(tags),
        "Include": list(INCLUDE_FIELDS),
    }
    return quote(json.dumps(body, separators=(",", ":")), safe="")


def server_list_url(api_root_url, zone):
    """Return the URL of the server collection of one zone (no query string)."""
    return "{}/{}/{}".format(api_root_url.rstrip("/"), zone, SERVER_API_PATH)


def api_error_message(body):
    """Return ``error_code: error_msg`` from a Sakura Cloud error body, or None."""
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    code = data.get("error_code")
    msg = data.get("error_msg")
    if not code and not msg:
        return None
    return "{}: {}".format(code or "error", msg or "")


def page_servers(data):
    """Validate one page of a find response and return ``(servers, total)``."""
    if not isinstance(data, dict):
        raise ValueError("the response is not a JSON object")
    servers = data.get("Servers")
    if servers is None:
        servers = []
    if not isinstance(servers, list):
        raise ValueError("'Servers' in the response is not a list")
    total = data.get("Total")
    if not isinstance(total, int) or isinstance(total, bool):
        raise ValueError("'Total' in the response is not a number")
    return servers, total
