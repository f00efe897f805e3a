# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NIFCLOUD computing API: endpoints, the DescribeInstances answer and error answers, retried statuses.

The official NIFCLOUD SDK for Python (``nifcloud`` on PyPI) is the oracle:
- nifcloud/data/computing/3.0/service-2.json: ``DescribeInstances`` takes ``InstanceId`` and ``Tenancy`` only (no
  ``NextToken``/``MaxResults``) and the SDK ships no paginator for it, so one request per region lists it all;
- nifcloud/data/_retry.json: every status the SDK retries for ``computing`` the plugin retries too.
"""

from __future__ import annotations

import json
from pathlib import Path

import nifcloud
import pytest
from helpers.cloud_answers import ANSWER

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.nifcloud import api


def test_endpoints_per_region():
    assert api.endpoint("jp-east-1") == URL
    assert api.endpoint("us-east-1") == "https://us-east-1.computing.api.nifcloud.com/api/"
    assert api.endpoint("jp-west-2", "http://127.0.0.1:1/{region}/api/") == "http://127.0.0.1:1/jp-west-2/api/"
    with pytest.raises(ValueError, match="unknown NIFCLOUD region 'east-1'"):
        api.endpoint("east-1")


def test_parse_instances():
    web, db = api.parse_instances(ANSWER)
    assert web["instance_id"] == "web01" and web["instance_unique_id"] == "i-abcd1234"
    assert (web["state"], web["instance_type"], web["zone"]) == ("running", "e-medium", "east-11")
    assert (web["public_ip"], web["private_ip"]) == ("203.0.113.11", "10.0.0.11")
    assert web["network_interfaces"][0]["public_ip"] == "203.0.113.11"
    assert web["network_interfaces"][1] == {
        "network_id": "net-COMMON_PRIVATE",
        "network_name": None,
        "private_ip": "10.0.0.11",
        "public_ip": None,
        "mac_address": None,
        "device_index": None,
    }
    assert (db["state"], db["public_ip"], db["description"], db["network_interfaces"]) == ("stopped", None, "", [])


def test_parse_instances_refuses_other_answers():
    with pytest.raises(ValueError, match="not valid XML"):
        api.parse_instances(b"<DescribeInstancesResponse><reservationSet>")
    with pytest.raises(ValueError, match="'Response', not a DescribeInstancesResponse"):
        api.parse_instances(b"<Response><Errors/></Response>")


def test_parse_error():
    body = b"<Response><Errors><Error><Code>Client.X</Code><Message>bad key</Message></Error></Errors></Response>"
    assert api.parse_error(body) == ("Client.X", "bad key")
    assert api.parse_error(b"not xml") is None
    assert api.parse_error(b"<Response/>") is None


URL = "https://jp-east-1.computing.api.nifcloud.com/api/"


DATA = Path(nifcloud.__file__).parent / "data"
COMPUTING = DATA / "computing" / api.API_VERSION


def test_describe_instances_has_no_paging():
    service = json.loads((COMPUTING / "service-2.json").read_text())
    assert service["metadata"]["apiVersion"] == api.API_VERSION and service["metadata"]["signatureVersion"] == "v2"
    operation = service["operations"]["DescribeInstances"]
    assert operation["http"] == {"method": "POST", "requestUri": "/api/"}
    members = set(service["shapes"][operation["input"]["shape"]]["members"])
    assert members == {"InstanceId", "Tenancy"}
    assert not (COMPUTING / "paginators-1.json").exists()


def test_every_status_the_sdk_retries_is_retried():
    retry = json.loads((DATA / "_retry.json").read_text())
    definitions = retry["definitions"]
    policies = dict(retry["retry"]["__default__"]["policies"], **retry["retry"]["computing"]["__default__"]["policies"])
    statuses = set()
    for policy in policies.values():
        when = definitions[policy["$ref"]]["applies_when"]
        if "response" in when:
            statuses.add(when["response"]["http_status_code"])
        else:
            assert when == {"socket_errors": ["GENERAL_CONNECTION_ERROR"]}  # resets: retried by transport.send
    assert statuses == {429, 502, 503, 504, 509}
    assert statuses <= set(api.RETRY_STATUSES)
