# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests (hypothesis) of the pure functions that turn cloud data into hosts, groups and ssh_config.

Names, tags and descriptions come from whoever can create a server. The rules held here come from the code that
reads the output:
- Ansible (ansible/ansible a09bdeee19241ee60958b35b9cfb91148cfee660): lib/ansible/constants.py ``LOCALHOST``;
  lib/ansible/inventory/manager.py ``split_host_pattern`` (``,`` and ``:`` split patterns, whitespace is dropped),
  ``InventoryManager._match_one_pattern`` (``&``/``!`` prefixes, ``~`` regexes, ``*``/``?``/``[`` globs) and
  ``_enumerate_matches`` (a group named like the pattern wins over a host);
- OpenSSH (openssh/openssh-portable): match.c at 227ee941a706852519d10e82f7bc099316ba953b ``match_pattern``
  (``*`` and ``?`` wildcards) and ``match_pattern_list``/``match_hostname`` (``,``-separated lists, ``!`` negation,
  host names lowercased); readconf.c at ca10ab6e0d9c606efdd49de6ea7275dc0304fb85 ``process_config_line_depth``
  (``Host`` splits its arguments on whitespace, one keyword per line, ``Match``/``Include`` lines) and ssh_config(5)
  TOKENS (``%`` expands in HostName, User, IdentityFile).
"""

from __future__ import annotations

import base64
import fnmatch
import string

import pytest
from ansible.errors import AnsibleFilterError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.lvmkube.cluster.plugins.filter.ssh_config_block import ssh_config_block
from ansible_collections.lvmkube.cluster.plugins.module_utils import cloud_inventory as ci
from ansible_collections.lvmkube.cluster.plugins.module_utils import nifcloud as nc
from ansible_collections.lvmkube.cluster.plugins.module_utils import sakuracloud as sc

# Few examples: CPU is shared; the strategies are built to reach the hostile characters quickly.
FAST = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE = "*?!&:[],~ \t\n\r\x00\x1b\u2028\u3000%#\"'\\{}$@=/;|<>`"
hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(HOSTILE), st.sampled_from(string.ascii_letters + "._-"), st.characters()),
    max_size=24,
)
# "localhost" in full-width letters (NFKC folds it to localhost).
FULLWIDTH_LOCALHOST = "\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54"
special_words = st.sampled_from(
    [
        *("localhost", "LOCALHOST", FULLWIDTH_LOCALHOST, "localhost.", "a.localhost", "127.0.0.1", "127.1.2.3"),
        *("::1", "0.0.0.0", "all", "ungrouped", "All", "kube_node", "etcd"),
    ]
)
names = st.one_of(hostile_text, special_words)
# Host pattern characters of Ansible (manager.py) and of ssh_config (match.c), and whitespace.
PATTERN_CHARS = set("*?![],&:~")


# -- host names ----------------------------------------------------------------------------------------------------


@FAST
@given(names, st.sets(st.sampled_from(["kube_node", "etcd", "cluster_x", "zone_is1a"])))
def test_an_accepted_host_name_is_never_special_a_pattern_a_group_or_two_lines(name, groups):
    if ci.host_name_problem(name, groups) is not None:
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
    assert ci.host_name_problem(name) is not None


@pytest.mark.parametrize("name", ["node-01", "cp-02.tk1a", "\u30ce\u30fc\u30c91", "k8s_worker.is1b"])
def test_ordinary_names_pass(name):
    assert ci.host_name_problem(name, {"kube_node"}) is None


def test_a_group_name_is_refused_as_a_host_name():
    assert "group" in ci.host_name_problem("kube_node", {"kube_node"})


# -- group names ---------------------------------------------------------------------------------------------------

tags = st.text(min_size=1, max_size=16)


@FAST
@given(tags)
def test_group_names_are_identifiers(tag):
    name = ci.group_name(tag)
    if name is None:
        return
    assert name.isidentifier() and name.isascii()


@FAST
@given(tags, tags)
def test_distinct_tags_make_distinct_groups_or_a_collision_naming_both(first, second):
    labels = ci.GroupLabels()
    a, b = ci.group_name(first), ci.group_name(second)
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
    worker, master = ci.group_name("役割=ワーカー"), ci.group_name("役割=マスター")
    assert worker != master and worker.startswith("_______") and len(worker) == 7 + 1 + ci.GROUP_HASH_LENGTH
    assert ci.group_name("役割=ワーカー") == worker  # stable
    assert ci.group_name("kube-master") == "kube_master"  # ASCII tags keep the documented names


def test_group_names_ansible_treats_specially_are_refused():
    for name in ("localhost", "all", "ungrouped"):
        assert ci.group_name_problem(name)
    assert ci.group_name_problem("kube_node") is None


@FAST
@given(
    st.lists(st.sampled_from(["kube-node", "kube_node", "役割=ワーカー", "役割=マスター", "@x=1", "x=1"]), max_size=6)
)
def test_sakura_tag_groups_collide_only_for_different_ascii_tags(tag_list):
    labels = ci.GroupLabels()
    made = {}
    try:
        for tag, group in sc.tag_groups(tag_list, lambda tag: False):
            labels.add(tag, group, 7)
            made.setdefault(group, set()).add(tag.lstrip("@"))
    except ValueError:
        return
    assert all(len(origins) == 1 for origins in made.values())


# -- host vars -----------------------------------------------------------------------------------------------------


@FAST
@given(names, st.lists(hostile_text, max_size=4))
def test_sakura_host_vars_keep_strings_as_given_and_never_invent_connection_vars(name, tag_list):
    server = {"ID": 1, "Name": name, "Tags": tag_list, "Interfaces": [], "Zone": None}
    sc.check_server(server, 0) if name else None
    variables, address = sc.host_vars(server, "is1a")
    assert address is None and "ansible_host" not in variables
    assert variables["sacloud_name"] == name and variables["sacloud_tags"] == tag_list
    assert set(variables) <= {"ansible_user", "ansible_port", *sc.prefixed_var_names("sacloud_")}
    if "ansible_port" in variables:
        assert 0 < variables["ansible_port"] < 65536


@FAST
@given(hostile_text)
def test_nifcloud_label_groups_are_identifiers(description):
    labels = nc.description_labels(description)
    for _label, group in nc.label_groups(labels):
        assert group.isidentifier() and group.isascii()


@pytest.mark.parametrize(
    ("server", "field", "expected"),
    [
        ({"ID": 5, "Name": "n", "Interfaces": {"0": {}}}, "Interfaces", "a list of interfaces"),
        ({"ID": 5, "Name": "n", "Interfaces": ["x"]}, "Interfaces[0]", "an object"),
        ({"ID": 5, "Name": "n", "Interfaces": [{"Switch": []}]}, "Interfaces[0].Switch", "an object"),
        ({"ID": 5, "Name": "n", "Tags": "kube-node"}, "Tags", "a list of tags"),
        ({"ID": 5, "Name": "n", "Instance": "up"}, "Instance", "an object"),
        ({"ID": 5, "Name": 7}, "Name", "a name"),
    ],
)
def test_shape_errors_name_the_server_the_field_and_what_was_expected(server, field, expected):
    with pytest.raises(ValueError) as raised:
        sc.check_server(server, 3)
    assert str(raised.value).startswith("server 5: ") and repr(field) in str(raised.value)
    assert expected in str(raised.value)


def test_shape_errors_without_an_id_name_the_position():
    with pytest.raises(ValueError, match=r"Servers\[3\]: field 'ID' is null, expected a number"):
        sc.check_server({"Name": "n"}, 3)
    with pytest.raises(ValueError, match=r"Servers\[3\] is a list, expected an object"):
        sc.check_server([], 3)


# -- etcd member names ---------------------------------------------------------------------------------------------


def _record(server_id, host, tags=()):
    server = {"ID": server_id, "Name": host.split(".")[0], "Tags": list(tags)}
    return {"server": server, "host": host, "what": f"server {server_id}", "vars": {"etcd_member_name": "x"}}


def test_member_names_follow_the_unique_host_names():
    records = [_record(1, "cp-02"), _record(2, "cp-02.tk1a")]
    sc.set_member_names(records)
    assert [r["vars"]["etcd_member_name"] for r in records] == ["cp-02", "cp-02.tk1a"]


def test_an_explicit_member_name_that_collides_names_both_servers():
    records = [_record(1, "cp-01", ["@etcd_member_name=etcd-a"]), _record(2, "cp-02", ["@etcd_member_name=etcd-a"])]
    with pytest.raises(ValueError, match=r"server 1 \(host cp-01\) and server 2 \(host cp-02\).*'etcd-a'"):
        sc.set_member_names(records)


# -- paging --------------------------------------------------------------------------------------------------------


@FAST
@given(st.lists(st.lists(st.integers(1, 30), max_size=5), max_size=8), st.integers(0, 40))
def test_paging_never_lists_an_id_twice_and_ends_or_fails(pages, total):
    seen, listed = set(), []
    offset = 0
    for ids in pages:
        items = [{"ID": i} for i in ids]
        try:
            fresh, complete = ci.add_page(seen, items, total, offset)
        except ValueError as exc:
            assert str(total) in str(exc)
            return
        listed.extend(item["ID"] for item in fresh)
        offset += len(items)
        if complete:
            assert len(listed) == total
            break
    assert len(listed) == len(set(listed)) <= total


# -- credentials ---------------------------------------------------------------------------------------------------


@FAST
@given(st.text(alphabet=string.ascii_letters + string.digits + "+/=-_", min_size=8, max_size=40))
def test_masked_messages_hold_no_credential_in_any_encoding(secret):
    blob = base64.b64encode(f"token:{secret}".encode()).decode()
    message = f"400: echo Authorization: Basic {blob}\nX-Auth: {secret}\nQuery: s={blob.rstrip('=')}"
    masked = ci.mask_credentials(message, ci.credential_forms(secret, f"token:{secret}"))
    assert secret not in masked and blob not in masked and blob.rstrip("=") not in masked
    assert "Authorization: Basic ********" in masked


# -- ssh_config ----------------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(names, hostile_text, hostile_text)
def test_an_ssh_config_block_is_never_a_pattern_nor_more_lines(name, hostname, user):
    entry = {"name": name, "hostname": hostname or "192.0.2.1", "user": user}
    try:
        text = ssh_config_block([entry])
    except AnsibleFilterError:
        return
    lines = text.split("\n")
    assert len(lines) == 2 + (1 if user else 0)
    alias = lines[0].split(" ", 1)[1]
    assert not set("*?!,") & set(alias) and not any(c.isspace() for c in alias)
    for line in lines[1:]:
        assert "%" not in line and len(line.split()) == 2


@pytest.mark.parametrize("name", ["*", "node-?", "a,b", "!prod", "a b", "x\nMatch all", "-oProxyCommand=id"])
def test_ssh_config_refuses_pattern_host_names(name):
    with pytest.raises(AnsibleFilterError, match="host"):
        ssh_config_block([{"name": name, "hostname": "192.0.2.1"}])


@pytest.mark.parametrize(
    ("key", "value"),
    [("hostname", "%h.evil"), ("hostname", "a,b"), ("user", "%u"), ("user", "root\rInclude /tmp/x"), ("user", "a\x00")],
)
def test_ssh_config_refuses_tokens_and_lines_in_values(key, value):
    with pytest.raises(AnsibleFilterError):
        ssh_config_block([{"name": "n1", key: value}])


def test_ssh_config_aliases_differing_only_in_case_are_refused():
    # match.c match_hostname lowercases the host name: Node1 and node1 are one Host pattern for ssh.
    with pytest.raises(AnsibleFilterError, match="twice"):
        ssh_config_block([{"name": "Node1"}, {"name": "node1"}])
