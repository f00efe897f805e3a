# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A test double of the NIFCLOUD computing API's DescribeInstances, served on 127.0.0.1.

``POST /<region>/api/`` with a form body, as the official SDK (nifcloud-sdk-go)
sends it to ``https://<region>.computing.api.nifcloud.com/api/``. The double checks
what the real API checks for the plugin's request: ``Action=DescribeInstances``,
``Version=3.0``, signature version 2 with ``HmacSHA256``, a known
``AccessKeyId``, a ``Timestamp`` within 15 minutes and the ``Signature``, which it
computes on its own from the Host header, the path and the form parameters. It
answers with the XML of ``DescribeInstancesResponse`` in the shape of the
NIFCLOUD cloud controller manager's test data, errors as
``Response/Errors/Error`` (the shape of that test data; the double's own codes:
401 ``Client.SignatureDoesNotMatch`` for a bad key or signature).

For tests it records requests and injects failures per region (``500``, ``503``,
``401``, ``malformed``), each used once, in order.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qsl, quote
from xml.sax.saxutils import escape

if str(Path(__file__).resolve().parents[2] / "doubles") not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "doubles"))

from http_api_double import RESET, TRICKLE, HttpApiDouble

REGIONS = ("jp-east-1", "jp-east-2", "jp-east-3", "jp-east-4", "jp-west-1", "jp-west-2", "us-east-1")


def instance(instance_id, zone, *, public_ip=None, private_ip=None, state="running", itype="e-medium", description=""):
    return {
        "instanceId": instance_id,
        "instanceUniqueId": "i-" + hashlib.sha256(instance_id.encode()).hexdigest()[:8],
        "instanceType": itype,
        "state": state,
        "zone": zone,
        "ipAddress": public_ip,
        "privateIpAddress": private_ip,
        "description": description,
    }


def _element(name, value):
    return f"<{name}>{escape(value)}</{name}>" if value is not None else f"<{name}></{name}>"


def instance_xml(item):
    codes = {"running": "16", "stopped": "80", "pending": "0"}
    nics = ""
    if item["ipAddress"]:
        nics += (
            "<item><niftyNetworkId>net-COMMON_GLOBAL</niftyNetworkId><status>in-use</status>"
            "<macAddress>e8:17:fc:00:00:01</macAddress><attachment><deviceIndex>0</deviceIndex></attachment>"
            f"<association>{_element('publicIp', item['ipAddress'])}</association></item>"
        )
    if item["privateIpAddress"]:
        nics += (
            "<item><niftyNetworkId>net-COMMON_PRIVATE</niftyNetworkId><status>in-use</status>"
            "<macAddress>e8:17:fc:00:00:02</macAddress>"
            f"{_element('privateIpAddress', item['privateIpAddress'])}"
            "<attachment><deviceIndex>1</deviceIndex></attachment></item>"
        )
    return (
        "<item>"
        + _element("instanceId", item["instanceId"])
        + _element("instanceUniqueId", item["instanceUniqueId"])
        + "<imageId>283</imageId>"
        + f"<instanceState><code>{codes.get(item['state'], '0')}</code>"
        + f"{_element('name', item['state'])}</instanceState>"
        + _element("privateDnsName", item["privateIpAddress"])
        + _element("dnsName", item["ipAddress"])
        + "<keyName>testkey</keyName>"
        + _element("instanceType", item["instanceType"])
        + "<launchTime>2026-06-13T14:02:53.000+09:00</launchTime>"
        + f"<placement>{_element('availabilityZone', item['zone'])}</placement>"
        + "<platform>ubuntu</platform><imageName>Ubuntu Server 24.04 LTS</imageName>"
        + _element("privateIpAddress", item["privateIpAddress"])
        + _element("ipAddress", item["ipAddress"])
        + _element("description", item["description"])
        + f"<networkInterfaceSet>{nics}</networkInterfaceSet>"
        + "</item>"
    )


def describe_instances_xml(items):
    reservations = "".join(
        "<item><reservationId></reservationId><ownerId></ownerId><groupSet><item><groupId>fw</groupId></item>"
        f"</groupSet><instancesSet>{instance_xml(item)}</instancesSet></item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<DescribeInstancesResponse xmlns="https://computing.api.nifcloud.com/api/">'
        "<requestId>7ddf5614-90a6-4ecf-a175-71cb75fcbee3</requestId>"
        f"<reservationSet>{reservations}</reservationSet></DescribeInstancesResponse>"
    ).encode()


def error_xml(code, message):
    return (
        f"<Response><Errors><Error>{_element('Code', code)}{_element('Message', message)}</Error></Errors>"
        "<RequestID>66edd413-fa20-4938-b4af-31732d9e073e</RequestID></Response>"
    ).encode()


def expected_signature(secret, host, path, form):
    """Signature version 2, computed here on its own: HMAC-SHA256 over method, host, path, sorted encoded form."""
    pairs = sorted((k, v) for k, v in form.items() if k != "Signature")
    query = "&".join(quote(k, safe="~") + "=" + quote(v, safe="~") for k, v in pairs)
    text = "POST\n" + host.lower() + "\n" + path + "\n" + query
    return base64.b64encode(hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()).decode()


class NifcloudApiDouble(HttpApiDouble):
    """Threaded HTTP server answering like the NIFCLOUD computing API's DescribeInstances."""

    content_type = "text/xml;charset=UTF-8"
    thread_name = "nifcloud-api-double"

    def __init__(self, instances_by_region, access_key="test-key", secret="test-secret"):
        super().__init__()
        self.instances_by_region = instances_by_region
        self.access_key = access_key
        self.secret = secret
        # Seconds between the bytes of a ``trickle`` answer.
        self.trickle_seconds = 0.5
        # The fault the current request thread took (answer() sets it, respond() reads it).
        self._faults_seen = threading.local()

    @property
    def endpoint_template(self):
        return self.base_url + "/{region}/api/"

    def respond(self, method, path, headers, body):
        if method != "POST":
            return 405, error_xml("Client.InvalidAction", "method not allowed"), {}
        status, payload = self.answer(path, headers, body.decode("utf-8"))
        # Misbehaving faults: "reset" (a TCP reset instead of the answer), "trickle" (the answer one byte at a time).
        fault = getattr(self._faults_seen, "fault", None)
        if fault == "reset":
            return status, payload, {RESET: True}
        if fault == "trickle":
            return status, payload, {TRICKLE: self.trickle_seconds}
        return status, payload, {}

    def answer(self, path, headers, body):
        form = dict(parse_qsl(body, keep_blank_values=True))
        region = path.strip("/").split("/")[0]
        record = {"path": path, "region": region, "form": form, "content_type": headers.get("Content-Type")}
        self.log(record)
        fault = record["fault"] = self._faults_seen.fault = self.next_fault(region)
        if region not in REGIONS or path != f"/{region}/api/":
            return 404, error_xml("Client.InvalidAction", "not found")
        if fault == "echo":
            # An error whose message echoes the request (the signed form, Signature included) and its headers.
            echoed = body + "\n" + "".join(f"{name}: {value}\n" for name, value in headers.items())
            return 400, error_xml("Client.InvalidParameter", "invalid request: " + echoed)
        if fault == "502":
            return 502, b"<html><body>502 Bad Gateway</body></html>"
        if fault == "503":
            return 503, error_xml("Server.Unavailable", "The server is unavailable.")
        if fault == "500":
            return 500, error_xml("Server.InternalError", "An internal error occurred.")
        if form.get("Action") != "DescribeInstances" or form.get("Version") != "3.0":
            return 400, error_xml("Client.InvalidParameter", "Action or Version")
        if form.get("SignatureVersion") != "2" or form.get("SignatureMethod") != "HmacSHA256":
            return 400, error_xml("Client.InvalidParameter", "SignatureVersion or SignatureMethod")
        try:
            stamp = datetime.datetime.strptime(form.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            return 400, error_xml("Client.InvalidParameter.Timestamp", "Timestamp")
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        if abs((now - stamp).total_seconds()) > 900:
            return 400, error_xml("Client.InvalidParameter.Timestamp", "Timestamp is out of range")
        host = headers.get("Host", "")
        signature = expected_signature(self.secret, host, path, form)
        if fault == "401" or form.get("AccessKeyId") != self.access_key or form.get("Signature") != signature:
            return 401, error_xml("Client.SignatureDoesNotMatch", "The signature does not match.")
        if fault == "malformed":
            return 200, b"<DescribeInstancesResponse><reservationSet><item>"
        return 200, describe_instances_xml(self.instances_by_region.get(region, []))
