# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host and group names made from cloud data: what is refused, what a group is called, collisions.

The rules come from the code that reads the names (ansible/ansible a09bdeee19241ee60958b35b9cfb91148cfee660):
lib/ansible/constants.py ``LOCALHOST``; lib/ansible/inventory/manager.py ``split_host_pattern`` (``,`` and ``:``
split patterns, whitespace is dropped), ``InventoryManager._match_one_pattern`` (``&``/``!`` prefixes, ``~`` regexes,
``*``/``?``/``[`` globs) and ``_enumerate_matches`` (a group named like the pattern wins over a host).
"""

from __future__ import annotations

import fnmatch

import pytest
from helpers.hostile import FAST, FULLWIDTH_LOCALHOST, PATTERN_CHARS, names
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import names as naming


@FAST
@given(names, st.sets(st.sampled_from(["kube_node", "etcd", "cluster_x", "zone_is1a"])))
def test_an_accepted_host_name_is_never_special_a_pattern_a_group_or_two_lines(name, groups):
    if naming.host_name_problem(name, groups) is not None:
        return
    assert name.casefold() not in {"localhost", "all", "ungrouped", "127.0.0.1", "::1"}
    assert not PATTERN_CHARS & set(name)
    assert not any(char.isspace() or not char.isprintable() for char in name)
    assert name not in groups
    # An Ansible glob pattern made of the name matches the name alone among other names.
    assert fnmatch.fnmatchcase("other", name) is False


@pytest.mark.parametrize(
    "name",
    ["localhost", "LocalHost", FULLWIDTH_LOCALHOST, "127.0.0.1", "127.0.0.2", "::1", "all", "ungrouped", "*", "web*"],
)
def test_special_names_are_refused(name):
    assert naming.host_name_problem(name) is not None


@pytest.mark.parametrize("name", ["node-01", "cp-02.tk1a", "\u30ce\u30fc\u30c91", "k8s_worker.is1b"])
def test_ordinary_names_pass(name):
    assert naming.host_name_problem(name, {"kube_node"}) is None


def test_a_group_name_is_refused_as_a_host_name():
    assert "group" in naming.host_name_problem("kube_node", {"kube_node"})


tags = st.text(min_size=1, max_size=16)


@FAST
@given(tags)
def test_group_names_are_identifiers(tag):
    name = naming.group_name(tag)
    if name is None:
        return
    assert name.isidentifier() and name.isascii()


@FAST
@given(tags, tags)
def test_distinct_tags_make_distinct_groups_or_a_collision_naming_both(first, second):
    labels = naming.GroupLabels()
    a, b = naming.group_name(first), naming.group_name(second)
    if a is None or b is None:
        return
    labels.add(first, a, 1)
    key = (first[1:] if first.startswith("@") else first, second[1:] if second.startswith("@") else second)
    if a != b or key[0] == key[1]:
        labels.add(second, b, 2)
        return
    with pytest.raises(ValueError, match=r"server 1.*server 2") as raised:
        labels.add(second, b, 2)
    assert repr(first) in str(raised.value) and repr(second) in str(raised.value)


def test_non_ascii_tags_stay_distinct():
    worker, master = naming.group_name("役割=ワーカー"), naming.group_name("役割=マスター")
    assert worker != master and worker.startswith("_______") and len(worker) == 7 + 1 + naming.GROUP_HASH_LENGTH
    assert naming.group_name("役割=ワーカー") == worker  # stable
    assert naming.group_name("kube-master") == "kube_master"  # ASCII tags keep the documented names


def test_group_names_ansible_treats_specially_are_refused():
    for name in ("localhost", "all", "ungrouped"):
        assert naming.group_name_problem(name)
    assert naming.group_name_problem("kube_node") is None


def test_group_name_examples():
    assert naming.group_name("@cluster=a-b") == "cluster_a_b"
    assert naming.group_name("1x") == "_1x"
    assert naming.group_name("") is None


def test_hostvars_prefix_names_the_invalid_or_reserved_variable():
    naming.check_hostvars_prefix("x_", ("id", "name"), frozenset({"name"}), "x_")
    with pytest.raises(ValueError, match="must be a string"):
        naming.check_hostvars_prefix(None, ("id",), frozenset(), "x_")
    with pytest.raises(ValueError, match="'1id'"):
        naming.check_hostvars_prefix("1", ("id",), frozenset(), "x_")
    with pytest.raises(ValueError, match=r"'name', which collides.*such as 'x_'"):
        naming.check_hostvars_prefix("", ("id", "name"), frozenset({"name"}), "x_")
