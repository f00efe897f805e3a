# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host variables of one NIFCLOUD instance: ``ansible_host`` and the prefixed facts, one pure function."""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import names
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.nifcloud.labels import description_labels

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
    names.check_hostvars_prefix(prefix, PREFIXED_VARS, reserved_names, "nifcloud_")


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
