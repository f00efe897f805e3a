# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers of the ``lvmkube.cluster.nifcloud`` inventory plugin.

The NIFCLOUD computing API (``DescribeInstances``) as its documentation and the
official SDK (nifcloud/nifcloud-sdk-go, service/computing and signer/v2) define
it: one endpoint per region, ``https://<region>.computing.api.nifcloud.com/api/``,
a form-encoded POST with ``Action``, ``Version`` and the parameters of signature
version 2 (HMAC-SHA256 over method, host, path and the sorted, percent-encoded
parameters), an XML answer. Nothing here talks to the network or to Ansible.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlsplit

from ansible_collections.lvmkube.cluster.plugins.module_utils.cloud_inventory import group_name

REGIONS = ("jp-east-1", "jp-east-2", "jp-east-3", "jp-east-4", "jp-west-1", "jp-west-2", "us-east-1")
ENDPOINT_TEMPLATE = "https://{region}.computing.api.nifcloud.com/api/"
API_VERSION = "3.0"
SIGNATURE_VERSION = "2"
SIGNATURE_METHOD = "HmacSHA256"
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
CONNECT_WITH = ("public", "private", "instance_id")
PREFIXED_VARS = (
    "instance_id",
    "instance_unique_id",
    "provider_id",
    "instance_type",
    "state",
    "zone",
    "region",
    "description",
    "labels",
    "public_ip",
    "private_ip",
    "image_name",
    "key_name",
    "network_interfaces",
)
_LABEL = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.\-/]*)=(\S*)$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def endpoint(region, template=ENDPOINT_TEMPLATE):
    """Return the computing API endpoint of a region (``template`` may point at a test double)."""
    if region not in REGIONS:
        raise ValueError("unknown NIFCLOUD region {!r}; valid regions: {}".format(region, ", ".join(REGIONS)))
    return template.format(region=region)


def percent_encode(text):
    """Percent-encode as the signature needs: everything but ``A-Z a-z 0-9 - _ . ~``, UTF-8, spaces as ``%20``."""
    return quote(str(text), safe="-_.~")


def canonical_query(params):
    """Return the parameters sorted by name (UTF-8 byte order), encoded and joined with ``&``."""
    items = sorted(params.items(), key=lambda kv: kv[0].encode("utf-8"))
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in items)


def string_to_sign(method, url, params):
    """Return the string signature version 2 signs: method, host, path and the canonical query, one per line."""
    parts = urlsplit(url)
    return "\n".join((method.upper(), parts.netloc.lower(), parts.path or "/", canonical_query(params)))


def sign_v2(method, url, params, *, access_key, secret_key, timestamp):
    """Return the request parameters with the signature version 2 parameters and ``Signature`` added.

    ``timestamp`` is a ``datetime`` in UTC; the parameters must not already carry
    a ``Signature``.
    """
    signed = dict(params)
    signed.pop("Signature", None)
    signed.update(
        {
            "AccessKeyId": access_key,
            "SignatureVersion": SIGNATURE_VERSION,
            "SignatureMethod": SIGNATURE_METHOD,
            "Timestamp": timestamp.strftime(TIMESTAMP_FORMAT),
        }
    )
    digest = hmac.new(
        secret_key.encode("utf-8"), string_to_sign(method, url, signed).encode("utf-8"), hashlib.sha256
    ).digest()
    signed["Signature"] = base64.b64encode(digest).decode("ascii")
    return signed


def describe_instances_params():
    return {"Action": "DescribeInstances", "Version": API_VERSION}


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _child(element, name):
    if element is None:
        return None
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element, *path):
    for name in path:
        element = _child(element, name)
        if element is None:
            return None
    text = (element.text or "").strip()
    return text or None


def _items(element, name):
    """Return the ``item`` children of the child ``name`` (an XML list of the EC2 query protocol)."""
    container = _child(element, name)
    if container is None:
        return []
    return [item for item in container if _local(item.tag) == "item"]


def parse_error(body):
    """Return ``(code, message)`` of an error answer (``Response/Errors/Error``), or None."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    for element in root.iter():
        if _local(element.tag) == "Error":
            return _text(element, "Code"), _text(element, "Message")
    return None


def parse_instances(body):
    """Return the instances of a ``DescribeInstancesResponse`` as plain dicts; ValueError when it is not one."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(f"the answer is not valid XML: {exc}") from None
    if _local(root.tag) != "DescribeInstancesResponse":
        raise ValueError(f"the answer is a {_local(root.tag)!r}, not a DescribeInstancesResponse")
    instances = []
    for number, reservation in enumerate(_items(root, "reservationSet")):
        for position, item in enumerate(_items(reservation, "instancesSet")):
            if not _text(item, "instanceId"):
                raise ValueError(
                    f"reservationSet item {number}, instancesSet item {position}: field 'instanceId' is missing or "
                    "empty, expected the instance ID"
                )
            interfaces = []
            for nic in _items(item, "networkInterfaceSet"):
                interfaces.append(
                    {
                        "network_id": _text(nic, "niftyNetworkId"),
                        "network_name": _text(nic, "niftyNetworkName"),
                        "private_ip": _text(nic, "privateIpAddress"),
                        "public_ip": _text(nic, "association", "publicIp"),
                        "mac_address": _text(nic, "macAddress"),
                        "device_index": _text(nic, "attachment", "deviceIndex"),
                    }
                )
            instances.append(
                {
                    "instance_id": _text(item, "instanceId"),
                    "instance_unique_id": _text(item, "instanceUniqueId"),
                    "instance_type": _text(item, "instanceType"),
                    "state": _text(item, "instanceState", "name"),
                    "zone": _text(item, "placement", "availabilityZone"),
                    "public_ip": _text(item, "ipAddress"),
                    "private_ip": _text(item, "privateIpAddress"),
                    "description": _text(item, "description") or "",
                    "image_name": _text(item, "imageName"),
                    "key_name": _text(item, "keyName"),
                    "network_interfaces": interfaces,
                }
            )
    return instances


def description_labels(description):
    """Return the ``key=value`` labels written in an instance description (separated by spaces, commas, newlines).

    Words that are not ``key=value`` are ignored; a key given twice keeps the later value.
    """
    labels = {}
    for word in re.split(r"[\s,;]+", description or ""):
        match = _LABEL.match(word)
        if match:
            labels[match.group(1)] = match.group(2)
    return labels


def choose_address(instance, connect_with):
    """Return ``ansible_host``: the public IP, the private IP or the instance ID, or None."""
    if connect_with == "public":
        return instance.get("public_ip")
    if connect_with == "private":
        return instance.get("private_ip")
    if connect_with == "instance_id":
        return instance.get("instance_id")
    raise ValueError("connect_with must be one of {}, got {!r}".format(", ".join(CONNECT_WITH), connect_with))


def provider_id(instance):
    """Return the node's provider ID as the NIFCLOUD cloud controller manager writes it, or None."""
    if instance.get("zone") and instance.get("instance_unique_id"):
        return "nifcloud:///{}/{}".format(instance["zone"], instance["instance_unique_id"])
    return None


def check_hostvars_prefix(prefix, reserved_names):
    """Raise ValueError when the prefix makes an invalid or reserved variable name."""
    if not isinstance(prefix, str):
        raise ValueError("hostvars_prefix must be a string")
    for name in (prefix + var for var in PREFIXED_VARS):
        if not _IDENTIFIER.match(name):
            raise ValueError(f"hostvars_prefix {prefix!r} makes the invalid variable name {name!r}")
        if name in reserved_names:
            raise ValueError(
                f"hostvars_prefix {prefix!r} makes the host variable {name!r}, which collides with a name reserved "
                "by Ansible; use a non-empty prefix such as 'nifcloud_'"
            )


def host_vars(instance, region, prefix="nifcloud_", connect_with="public"):
    """Return ``(variables, address)`` for one instance."""
    labels = description_labels(instance.get("description"))
    address = choose_address(instance, connect_with)
    result = {}
    if address:
        result["ansible_host"] = address
    values = {
        "instance_id": instance.get("instance_id"),
        "instance_unique_id": instance.get("instance_unique_id"),
        "provider_id": provider_id(instance),
        "instance_type": instance.get("instance_type"),
        "state": instance.get("state"),
        "zone": instance.get("zone"),
        "region": region,
        "description": instance.get("description") or "",
        "labels": labels,
        "public_ip": instance.get("public_ip"),
        "private_ip": instance.get("private_ip"),
        "image_name": instance.get("image_name"),
        "key_name": instance.get("key_name"),
        "network_interfaces": list(instance.get("network_interfaces") or ()),
    }
    for name in PREFIXED_VARS:
        result[prefix + name] = values[name]
    return result, address


def label_groups(labels):
    """Yield ``(label, group name)`` for every description label (``key=value``, or ``key`` when the value is empty)."""
    for key, value in labels.items():
        label = f"{key}={value}" if value else key
        name = group_name(label)
        if name:
            yield label, name


def check_unique_ids(instances):
    """Raise ValueError when one region lists an instance ID twice (naming it and the count)."""
    seen = set()
    for item in instances:
        if item["instance_id"] in seen:
            raise ValueError(f"DescribeInstances lists the instance ID {item['instance_id']!r} more than once")
        seen.add(item["instance_id"])


def host_groups(instance, labels):
    """Return the groups of one instance: zone, instance type, state and one per ``key=value`` label."""
    groups = []
    for prefix, value in (
        ("zone_", instance.get("zone")),
        ("instance_type_", instance.get("instance_type")),
        ("state_", instance.get("state")),
    ):
        name = group_name(prefix + value) if value else None
        if name and name not in groups:
            groups.append(name)
    for _label, name in label_groups(labels):
        if name not in groups:
            groups.append(name)
    return groups


def make_filter(states=(), labels=None):
    """Return a predicate ``(instance, labels) -> bool``: state among ``states`` (any when empty), every label equal."""
    wanted_states = set(states or ())
    wanted_labels = dict(labels or {})

    def accept(instance, instance_labels):
        if wanted_states and instance.get("state") not in wanted_states:
            return False
        return all(instance_labels.get(k) == str(v) for k, v in wanted_labels.items())

    return accept
