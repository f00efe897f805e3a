# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sakura Cloud tags: ``@key=value`` variables, the groups tags make (kubespray's aliases), skip and filter rules."""

from __future__ import annotations

import pytest
from helpers.hostile import FAST
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import names as naming
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import tags as tag_rules


@pytest.mark.parametrize(
    ("tag", "group"),
    [
        ("kube-master", "kube_master"),
        ("@with_kubespray_inventory", "with_kubespray_inventory"),
        ("@cluster=example", "cluster_example"),
        ("@instance-type=large", "instance_type_large"),
        ("k8s-cluster", "k8s_cluster"),
        ("etcd", "etcd"),
        ("2nd-rack", "_2nd_rack"),
        ("@1=a", "_1_a"),
        ("ラック1", "___1_eab616a0"),  # non-ASCII: a stable hash keeps distinct tags apart
        ("a.b/c d", "a_b_c_d"),
        ("{{ lookup('pipe','id') }}", "___lookup__pipe___id_____"),
        ("@", None),
        ("", None),
    ],
)
def test_tag_group_name(tag, group):
    assert tag_rules.tag_group_name(tag) == group


def test_tag_vars_keeps_keys_as_written_and_values_with_equals():
    tags = ["@instance-type=large", "kube-master", "@ssh_user=ubuntu", "@note=a=b", "@=x", "@flag", "@ssh_user=debian"]
    assert tag_rules.tag_vars(tags) == {"instance-type": "large", "ssh_user": "debian", "note": "a=b"}


def test_skip_matcher_exact_and_key_prefix():
    skip = tag_rules.skip_matcher(["@auto-reboot", "plain", "@k=v"])
    assert skip("@auto-reboot")
    assert skip("@auto-reboot=true")
    assert not skip("@auto-reboot-x")
    assert not skip("auto-reboot")
    assert skip("plain")
    assert not skip("plain=1")
    assert skip("@k=v")
    assert not skip("@k=w")
    assert not tag_rules.skip_matcher([])("@auto-reboot")


def test_host_groups_aliases_skip_and_dedup():
    skip = tag_rules.skip_matcher(["@auto-reboot"])
    tags = ["kube-master", "etcd", "@auto-reboot", "kube_master", "kube-node", "@instance-type=large", "calico-rr"]
    assert tag_rules.host_groups(tags, skip) == [
        "kube_master",
        "kube_control_plane",
        "etcd",
        "kube_node",
        "instance_type_large",
        "calico_rr",
    ]
    assert tag_rules.host_groups(tags, skip, aliases=False) == [
        "kube_master",
        "etcd",
        "kube_node",
        "instance_type_large",
        "calico_rr",
    ]


def test_make_filter():
    accept = tag_rules.make_filter("@cluster=a", ["etcd"], ["@retired"], ["up"])
    assert accept(["@cluster=a", "etcd"], "up")
    assert not accept(["@cluster=b", "etcd"], "up")
    assert not accept(["@cluster=a"], "up")
    assert not accept(["@cluster=a", "etcd", "@retired"], "up")
    assert not accept(["@cluster=a", "etcd"], "down")
    assert tag_rules.make_filter()([], None)


@FAST
@given(
    st.lists(st.sampled_from(["kube-node", "kube_node", "役割=ワーカー", "役割=マスター", "@x=1", "x=1"]), max_size=6)
)
def test_sakura_tag_groups_collide_only_for_different_ascii_tags(tag_list):
    labels = naming.GroupLabels()
    made = {}
    try:
        for tag, group in tag_rules.tag_groups(tag_list, lambda tag: False):
            labels.add(tag, group, 7)
            made.setdefault(group, set()).add(tag.lstrip("@"))
    except ValueError:
        return
    assert all(len(origins) == 1 for origins in made.values())
