# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ssh_config_block filter: entries in order, jump hosts, and hostile names and values (property-based).

The rules of the property tests come from OpenSSH (openssh/openssh-portable): match.c at
227ee941a706852519d10e82f7bc099316ba953b ``match_pattern`` (``*`` and ``?`` wildcards) and
``match_pattern_list``/``match_hostname`` (``,``-separated lists, ``!`` negation, host names lowercased); readconf.c at
ca10ab6e0d9c606efdd49de6ea7275dc0304fb85 ``process_config_line_depth`` (``Host`` splits its arguments on whitespace,
one keyword per line, ``Match``/``Include`` lines) and ssh_config(5) TOKENS (``%`` expands in HostName, User,
IdentityFile).
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from helpers.hostile import hostile_text, names
from hypothesis import given, settings

from ansible_collections.lvmkube.cluster.plugins.filter.ssh_config_block import (
    FilterModule,
    resolve_jump_host,
    ssh_config_block,
)

GROUPS = {"all": ["bast1", "node1"], "bastion": ["bast1", "bast2"], "empty": []}


def test_full_entry_has_every_line_in_order():
    text = ssh_config_block(
        [
            {
                "name": "node1",
                "hostname": "192.0.2.11",
                "user": "ubuntu",
                "port": "2222",
                "identity_file": "/k/id_ed25519",
                "bastion_group": "bastion",
            }
        ],
        GROUPS,
    )
    assert text.splitlines() == [
        "Host node1",
        "  HostName 192.0.2.11",
        "  User ubuntu",
        "  Port 2222",
        "  IdentityFile /k/id_ed25519",
        "  ProxyJump bast1",
    ]


def test_minimal_entry_uses_name_as_hostname_and_omits_empty_values():
    assert ssh_config_block([{"name": "n1", "user": "", "port": "", "bastion_group": ""}]) == "Host n1\n  HostName n1"


def test_entries_keep_order_and_are_separated_by_blank_lines():
    text = ssh_config_block([{"name": "b"}, {"name": "a"}])
    assert text == "Host b\n  HostName b\n\nHost a\n  HostName a"


def test_bastion_host_itself_gets_no_proxyjump():
    text = ssh_config_block([{"name": "bast2", "bastion_group": "bastion"}], GROUPS)
    assert "ProxyJump" not in text
    assert resolve_jump_host("node1", "bastion", GROUPS) == "bast1"
    assert resolve_jump_host("node1", "", GROUPS) is None


@pytest.mark.parametrize("group", ["missing", "empty"])
def test_unknown_or_empty_bastion_group_is_an_error_naming_host_and_group(group):
    with pytest.raises(AnsibleFilterError, match=rf"'node1'.*'{group}'"):
        ssh_config_block([{"name": "node1", "bastion_group": group}], GROUPS)


def test_extra_options_are_sorted_and_validated():
    text = ssh_config_block([{"name": "n"}], {}, {"UserKnownHostsFile": "/dev/null", "StrictHostKeyChecking": "no"})
    assert text.splitlines()[2:] == ["  StrictHostKeyChecking no", "  UserKnownHostsFile /dev/null"]
    with pytest.raises(AnsibleFilterError, match="not an ssh_config keyword"):
        ssh_config_block([{"name": "n"}], {}, {"Bad Key": "x"})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("user", "root\n  ProxyCommand sh -c id"),
        ("user", "a b"),
        ("hostname", "1.2.3.4 #x"),
        ("identity_file", '"/k"'),
        ("name", "two words"),
    ],
)
def test_values_that_could_inject_options_are_refused(key, value):
    entry = {"name": "n1", key: value}
    with pytest.raises(AnsibleFilterError, match="not a single token"):
        ssh_config_block([entry])


@pytest.mark.parametrize(("port", "message"), [("ssh", "not a number"), (0, "outside"), (70000, "outside")])
def test_bad_ports_are_refused(port, message):
    with pytest.raises(AnsibleFilterError, match=message):
        ssh_config_block([{"name": "n1", "port": port}])


def test_structural_errors():
    with pytest.raises(AnsibleFilterError, match="list of host entries"):
        ssh_config_block("node1")
    with pytest.raises(AnsibleFilterError, match="needs a 'name'"):
        ssh_config_block([{"hostname": "x"}])
    with pytest.raises(AnsibleFilterError, match="unknown keys"):
        ssh_config_block([{"name": "n", "proxy": "x"}])
    with pytest.raises(AnsibleFilterError, match="listed twice"):
        ssh_config_block([{"name": "n"}, {"name": "n"}])
    with pytest.raises(AnsibleFilterError, match="dictionaries"):
        ssh_config_block([{"name": "n"}], ["g"])


def test_filter_is_registered():
    assert FilterModule().filters()["ssh_config_block"] is ssh_config_block


@settings(max_examples=200)
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
