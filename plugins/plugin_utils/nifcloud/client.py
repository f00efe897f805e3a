# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the instances of NIFCLOUD regions: one signed ``DescribeInstances`` per region, regions concurrently."""

from __future__ import annotations

import datetime

from ansible.errors import AnsibleError

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import redaction, transport
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory.retry import RateLimiter
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.nifcloud import api
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.nifcloud.signature import sign_v2


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def _fetch_region(settings, region):
    """Return the instances of one region (a list of dicts, see api.parse_instances)."""
    url = api.endpoint(region, settings["endpoint_template"])
    shown_url = redaction.redact_url(url)
    params = sign_v2(
        "POST",
        url,
        api.describe_instances_params(),
        access_key=settings["access_key"],
        secret_key=settings["secret_access_key"],
        timestamp=_utcnow(),
    )
    try:
        response = transport.post_form(
            settings,
            url,
            params,
            user_agent=api.USER_AGENT,
            accept="application/xml",
            retry_statuses=api.RETRY_STATUSES,
        )
    except transport.RequestFailed as exc:
        raise transport.SourceError(exc.describe(f"NIFCLOUD API at {shown_url}", f"region {region}")) from None
    error = api.parse_error(response.content) if response.status_code != 200 else None
    detail = ": ".join(part for part in (error or ()) if part)
    if response.status_code in (401, 403):
        raise transport.SourceRefused(response.status_code, region, detail)
    if response.status_code != 200:
        raise transport.SourceError(
            "NIFCLOUD API at {} answered HTTP {} (region {}){}{}".format(
                shown_url,
                response.status_code,
                region,
                transport.attempts_note(response),
                (": " + detail) if detail else "",
            )
        )
    try:
        return api.parse_instances(response.content)
    except ValueError as exc:
        raise transport.SourceError(
            f"NIFCLOUD API at {shown_url} returned an unexpected answer (region {region}): {exc}"
        ) from None


def fetch_instances(settings):
    """Return ``{region: [instance, ...]}`` read concurrently, one thread per region, one rate limiter."""
    regions = settings["regions"]
    settings = dict(settings, limiter=RateLimiter(settings["rate_limit"]))

    def refused(statuses, names, details):
        return (
            f"NIFCLOUD API refused the access key or its signature (HTTP {statuses}) for region {names}"
            + (f" ({details})" if details else "")
            + "; check access_key and secret_access_key"
        )

    result = transport.read_all(
        regions,
        lambda region: _fetch_region(settings, region),
        refused=refused,
        secrets=[settings["secret_access_key"]],
    )
    for region, instances in result.items():
        try:
            api.check_unique_ids(instances)
        except ValueError as exc:
            raise AnsibleError(
                f"NIFCLOUD API at {api.endpoint(region, settings['endpoint_template'])}: {exc}"
            ) from None
    return result
