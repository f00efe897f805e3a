# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host variables and groups of one NIFCLOUD instance from a DescribeInstances answer; the prefix check."""

from __future__ import annotations

import pytest
from helpers.cloud_answers import ANSWER

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.nifcloud import api, hostvars
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.nifcloud import labels as nifcloud_labels


def test_host_vars_groups_and_filter():
    web, db = api.parse_instances(ANSWER)
    labels = nifcloud_labels.description_labels(web["description"])
    variables, address = hostvars.host_vars(web, "jp-east-1", "nifcloud_", "public")
    assert address == "203.0.113.11" and variables["ansible_host"] == "203.0.113.11"
    assert variables["nifcloud_instance_id"] == "web01"
    assert variables["nifcloud_provider_id"] == "nifcloud:///east-11/i-abcd1234"
    assert variables["nifcloud_labels"] == {"cluster": "example", "role": "kube-node", "etcd": "true"}
    assert variables["nifcloud_region"] == "jp-east-1"
    assert hostvars.host_vars(web, "jp-east-1", "x_", "private")[1] == "10.0.0.11"
    assert hostvars.host_vars(web, "jp-east-1", "x_", "instance_id")[1] == "web01"
    no_address, none = hostvars.host_vars(db, "jp-east-1", "x_", "public")
    assert none is None and "ansible_host" not in no_address and no_address["x_provider_id"] is None
    assert nifcloud_labels.host_groups(web, labels) == [
        "zone_east_11",
        "instance_type_e_medium",
        "state_running",
        "cluster_example",
        "role_kube_node",
        "etcd_true",
    ]
    accept = nifcloud_labels.make_filter(["running"], {"cluster": "example"})
    assert accept(web, labels) and not accept(db, {})
    assert not nifcloud_labels.make_filter([], {"cluster": "other"})(web, labels)
    with pytest.raises(ValueError, match="connect_with"):
        hostvars.choose_address(web, "ipv6")


def test_hostvars_prefix_checks():
    hostvars.check_hostvars_prefix("nifcloud_", frozenset({"name"}))
    with pytest.raises(ValueError, match="invalid variable name"):
        hostvars.check_hostvars_prefix("1", frozenset())
    with pytest.raises(ValueError, match="reserved by Ansible"):
        hostvars.check_hostvars_prefix("", frozenset({"state"}))
