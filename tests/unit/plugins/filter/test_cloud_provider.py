# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cloud_provider filters: what the role's tasks get, and bad input reported as a filter error."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.filter import cloud_provider as flt


def test_filters_are_registered():
    assert set(flt.FilterModule().filters()) == {
        "cloud_provider_node_name_problems",
        "cloud_provider_kubeadm_snippet",
        "cloud_provider_kubespray_vars",
    }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: flt.cloud_provider_kubespray_vars("nifcloud"), "external_cloud_provider 'nifcloud' is not one of"),
        (lambda: flt.cloud_provider_kubeadm_snippet("kubeadm.k8s.io/v1", {}), "kubeadm API version"),
        (lambda: flt.cloud_provider_node_name_problems([], "sakura"), "provider 'sakura'"),
        (lambda: flt.cloud_provider_node_name_problems({"host": "a"}), "expects a list"),
        (lambda: flt.cloud_provider_node_name_problems(["a"]), "expects a list"),
    ],
)
def test_bad_input_is_a_filter_error(call, message):
    with pytest.raises(AnsibleFilterError, match=message):
        call()


def test_kubespray_vars_take_a_mapping_of_node_names():
    text = flt.cloud_provider_kubespray_vars("manual", {"node1": "i-aaa"})
    assert yaml.safe_load(text)["lvmkube_node_names"] == {"node1": "i-aaa"}
    assert flt.cloud_provider_node_name_problems([{"host": "w1", "node_name": "w1", "instance_id": "i-b"}]) == [
        "w1: node name 'w1' is not the instance ID 'i-b'"
    ]
