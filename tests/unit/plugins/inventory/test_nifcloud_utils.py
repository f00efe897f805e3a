# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the pure helpers of the nifcloud inventory plugin (signature, XML, labels, groups)."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils import cloud_inventory as ci
from ansible_collections.lvmkube.cluster.plugins.module_utils import nifcloud as nc

URL = "https://jp-east-1.computing.api.nifcloud.com/api/"
STAMP = datetime.datetime(2026, 12, 1, 9, 30, 0, tzinfo=datetime.timezone.utc)


def test_endpoints_per_region():
    assert nc.endpoint("jp-east-1") == URL
    assert nc.endpoint("us-east-1") == "https://us-east-1.computing.api.nifcloud.com/api/"
    assert nc.endpoint("jp-west-2", "http://127.0.0.1:1/{region}/api/") == "http://127.0.0.1:1/jp-west-2/api/"
    with pytest.raises(ValueError, match="unknown NIFCLOUD region 'east-1'"):
        nc.endpoint("east-1")


def test_signature_v2_against_an_independent_computation():
    """The documented string to sign (docs.nifcloud.com/cp/api/authenticate.htm), signed outside Python.

    NIFCLOUD documents the scheme but no worked example with a signature value, so
    the expected value was computed by hand with OpenSSL from the string below:

        printf 'POST\\njp-east-1.computing.api.nifcloud.com\\n/api/\\nAccessKeyId=EXAMPLEACCESSKEY1234&
        Action=DescribeInstances&Description=%E3%83%86%E3%82%B9%E3%83%88%20a%2Bb&SignatureMethod=HmacSHA256&
        SignatureVersion=2&Timestamp=2026-12-01T09%3A30%3A00Z&Version=3.0' \\
          | openssl dgst -sha256 -hmac 'example/secret+key' -binary | base64

    (one line, escaped % doubled for printf). The parameter with Japanese text, a
    space and a plus checks the encoding rules: UTF-8, %20 for a space, %2B for +.
    """
    params = {"Action": "DescribeInstances", "Version": "3.0", "Description": "テスト a+b"}
    expected_string = (
        "POST\njp-east-1.computing.api.nifcloud.com\n/api/\n"
        "AccessKeyId=EXAMPLEACCESSKEY1234&Action=DescribeInstances"
        "&Description=%E3%83%86%E3%82%B9%E3%83%88%20a%2Bb&SignatureMethod=HmacSHA256"
        "&SignatureVersion=2&Timestamp=2026-12-01T09%3A30%3A00Z&Version=3.0"
    )
    signed = nc.sign_v2(
        "POST", URL, params, access_key="EXAMPLEACCESSKEY1234", secret_key="example/secret+key", timestamp=STAMP
    )
    assert nc.string_to_sign("POST", URL, {k: v for k, v in signed.items() if k != "Signature"}) == expected_string
    assert signed["Signature"] == "Lebga3wpYW23ONltjcwbbL1O1jGhtDh2yX1QjZsqMco="
    assert (signed["SignatureVersion"], signed["SignatureMethod"], signed["Timestamp"]) == (
        "2",
        "HmacSHA256",
        "2026-12-01T09:30:00Z",
    )
    # A stale Signature in the input is replaced, not signed.
    again = nc.sign_v2(
        "POST",
        URL,
        dict(params, Signature="old"),
        access_key="EXAMPLEACCESSKEY1234",
        secret_key="example/secret+key",
        timestamp=STAMP,
    )
    assert again["Signature"] == signed["Signature"]


def test_canonical_query_sorts_by_byte_order_and_keeps_unreserved():
    assert nc.canonical_query({"b": "x", "B": "y", "a~-_.": "~-_./"}) == "B=y&a~-_.=~-_.%2F&b=x"


ANSWER = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<DescribeInstancesResponse xmlns="https://computing.api.nifcloud.com/api/">
<requestId>r-1</requestId>
<reservationSet>
 <item><reservationId></reservationId><instancesSet><item>
  <instanceId>web01</instanceId><instanceUniqueId>i-abcd1234</instanceUniqueId>
  <instanceState><code>16</code><name>running</name></instanceState>
  <instanceType>e-medium</instanceType><placement><availabilityZone>east-11</availabilityZone></placement>
  <keyName>key1</keyName><imageName>Ubuntu Server 24.04 LTS</imageName>
  <privateIpAddress>10.0.0.11</privateIpAddress><ipAddress>203.0.113.11</ipAddress>
  <description>cluster=example role=kube-node,etcd=true {{ lookup('pipe','id') }}</description>
  <networkInterfaceSet>
   <item><niftyNetworkId>net-COMMON_GLOBAL</niftyNetworkId><macAddress>e8:17:fc:00:00:01</macAddress>
    <attachment><deviceIndex>0</deviceIndex></attachment><association><publicIp>203.0.113.11</publicIp></association></item>
   <item><niftyNetworkId>net-COMMON_PRIVATE</niftyNetworkId><privateIpAddress>10.0.0.11</privateIpAddress></item>
  </networkInterfaceSet>
 </item></instancesSet></item>
 <item><instancesSet><item><instanceId>db01</instanceId><instanceState><name>stopped</name></instanceState>
  <description></description></item></instancesSet></item>
</reservationSet></DescribeInstancesResponse>"""


def test_parse_instances():
    web, db = nc.parse_instances(ANSWER)
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
        nc.parse_instances(b"<DescribeInstancesResponse><reservationSet>")
    with pytest.raises(ValueError, match="'Response', not a DescribeInstancesResponse"):
        nc.parse_instances(b"<Response><Errors/></Response>")


def test_parse_error():
    body = b"<Response><Errors><Error><Code>Client.X</Code><Message>bad key</Message></Error></Errors></Response>"
    assert nc.parse_error(body) == ("Client.X", "bad key")
    assert nc.parse_error(b"not xml") is None
    assert nc.parse_error(b"<Response/>") is None


def test_description_labels():
    assert nc.description_labels("cluster=example role=kube-node,etcd=true\nnote: free text =x") == {
        "cluster": "example",
        "role": "kube-node",
        "etcd": "true",
    }
    assert nc.description_labels("a=1 a=2") == {"a": "2"}
    assert nc.description_labels(None) == {}


def test_host_vars_groups_and_filter():
    web, db = nc.parse_instances(ANSWER)
    labels = nc.description_labels(web["description"])
    variables, address = nc.host_vars(web, "jp-east-1", "nifcloud_", "public")
    assert address == "203.0.113.11" and variables["ansible_host"] == "203.0.113.11"
    assert variables["nifcloud_instance_id"] == "web01"
    assert variables["nifcloud_provider_id"] == "nifcloud:///east-11/i-abcd1234"
    assert variables["nifcloud_labels"] == {"cluster": "example", "role": "kube-node", "etcd": "true"}
    assert variables["nifcloud_region"] == "jp-east-1"
    assert nc.host_vars(web, "jp-east-1", "x_", "private")[1] == "10.0.0.11"
    assert nc.host_vars(web, "jp-east-1", "x_", "instance_id")[1] == "web01"
    no_address, none = nc.host_vars(db, "jp-east-1", "x_", "public")
    assert none is None and "ansible_host" not in no_address and no_address["x_provider_id"] is None
    assert nc.host_groups(web, labels) == [
        "zone_east_11",
        "instance_type_e_medium",
        "state_running",
        "cluster_example",
        "role_kube_node",
        "etcd_true",
    ]
    accept = nc.make_filter(["running"], {"cluster": "example"})
    assert accept(web, labels) and not accept(db, {})
    assert not nc.make_filter([], {"cluster": "other"})(web, labels)
    with pytest.raises(ValueError, match="connect_with"):
        nc.choose_address(web, "ipv6")


def test_hostvars_prefix_checks():
    nc.check_hostvars_prefix("nifcloud_", frozenset({"name"}))
    with pytest.raises(ValueError, match="invalid variable name"):
        nc.check_hostvars_prefix("1", frozenset())
    with pytest.raises(ValueError, match="reserved by Ansible"):
        nc.check_hostvars_prefix("", frozenset({"state"}))


def test_shared_helpers():
    assert ci.group_name("@cluster=a-b") == "cluster_a_b" and ci.group_name("1x") == "_1x" and ci.group_name("") is None
    assert ci.digest(["a", {"b": 1}]) == ci.digest(["a", {"b": 1}]) != ci.digest(["a", {"b": 2}])
    assert ci.first_env({"A": "", "B": "b", "C": "c"}, ("A", "B", "C")) == "b"
    assert ci.first_env({}, ("A",)) is None
