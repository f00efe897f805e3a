# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NIFCLOUD computing API as the inventory reads it: regions and endpoints, ``DescribeInstances``, its XML answer.

As its documentation and the official SDK (nifcloud/nifcloud-sdk-go, service/computing) define it: one endpoint
per region, ``https://<region>.computing.api.nifcloud.com/api/``, a form-encoded POST with ``Action`` and
``Version``, an XML answer. Pure functions; an answer that is not what was asked for raises ValueError.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import transport

REGIONS = ("jp-east-1", "jp-east-2", "jp-east-3", "jp-east-4", "jp-west-1", "jp-west-2", "us-east-1")
ENDPOINT_TEMPLATE = "https://{region}.computing.api.nifcloud.com/api/"
API_VERSION = "3.0"
USER_AGENT = "lvmkube.cluster-nifcloud-inventory"
# The shared transient statuses and 509 (limit exceeded), which the official SDK's retry policy also retries.
RETRY_STATUSES = (*transport.TRANSIENT_STATUSES, 509)


def endpoint(region, template=ENDPOINT_TEMPLATE):
    """Return the computing API endpoint of a region (``template`` may point at a test double)."""
    if region not in REGIONS:
        raise ValueError("unknown NIFCLOUD region {!r}; valid regions: {}".format(region, ", ".join(REGIONS)))
    return template.format(region=region)


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


def check_unique_ids(instances):
    """Raise ValueError when one region lists an instance ID twice (naming it and the count)."""
    seen = set()
    for item in instances:
        if item["instance_id"] in seen:
            raise ValueError(f"DescribeInstances lists the instance ID {item['instance_id']!r} more than once")
        seen.add(item["instance_id"])
