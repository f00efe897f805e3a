# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The nifcloud inventory plugin against the official NIFCLOUD SDK for Python (``nifcloud`` on PyPI) as an oracle.

- nifcloud/auth.py ``SigV2ComputingAuth.calc_signature`` (botocore's ``SigV2Auth`` with ``AccessKeyId``) signs the
  same request to the same ``Signature`` as ``module_utils.nifcloud.sign_v2``;
- nifcloud/data/computing/3.0/service-2.json: ``DescribeInstances`` takes ``InstanceId`` and ``Tenancy`` only (no
  ``NextToken``/``MaxResults``) and the SDK ships no paginator for it, so one request per region lists it all;
- nifcloud/data/_retry.json: every status the SDK retries for ``computing`` the plugin retries too.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import nifcloud
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from nifcloud.auth import SigV2ComputingAuth

from ansible_collections.lvmkube.cluster.plugins.inventory import nifcloud as plugin
from ansible_collections.lvmkube.cluster.plugins.module_utils import nifcloud as nc

DATA = Path(nifcloud.__file__).parent / "data"
COMPUTING = DATA / "computing" / nc.API_VERSION


@pytest.mark.parametrize(
    ("secret", "extra"),
    [
        ("hostile/nif+secret9a8b", {}),
        ("秘密 key=&%", {"InstanceId.1": "ノード 01", "Description": "a=b c,d;e~f*g"}),
    ],
)
def test_signature_matches_the_official_sdk(secret, extra):
    url = "https://jp-east-1.computing.api.nifcloud.com/api/"
    stamp = datetime.datetime(2026, 12, 6, 7, 0, 0, tzinfo=datetime.timezone.utc)
    params = dict(nc.describe_instances_params(), **extra)
    ours = nc.sign_v2("POST", url, params, access_key="KEY0001", secret_key=secret, timestamp=stamp)
    sdk_params = dict(params, AWSAccessKeyId="KEY0001", SignatureVersion="2", SignatureMethod="HmacSHA256")
    sdk_params["Timestamp"] = stamp.strftime(nc.TIMESTAMP_FORMAT)
    request = AWSRequest(method="POST", url=url, data=sdk_params)
    _query, signature = SigV2ComputingAuth(Credentials("KEY0001", secret)).calc_signature(request, sdk_params)
    assert ours["Signature"] == signature
    assert ours["AccessKeyId"] == sdk_params["AccessKeyId"] == "KEY0001"


def test_describe_instances_has_no_paging():
    service = json.loads((COMPUTING / "service-2.json").read_text())
    assert service["metadata"]["apiVersion"] == nc.API_VERSION and service["metadata"]["signatureVersion"] == "v2"
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
            assert when == {"socket_errors": ["GENERAL_CONNECTION_ERROR"]}  # resets: retried by cloud.send
    assert statuses == {429, 502, 503, 504, 509}
    assert statuses <= set(plugin.RETRY_STATUSES)
