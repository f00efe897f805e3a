# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the DSR loopback VIP helpers."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils.loopback_vips import (
    VipError,
    normalize_vips,
    parse_ip_addresses,
    parse_state,
    plan,
    plan_vips,
    render_state,
)

IP_OUTPUT = (
    "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n"
    "1: lo    inet 192.0.2.10/32 scope global lo\\       valid_lft forever preferred_lft forever\n"
    "1: lo    inet 198.51.100.7/32 scope global lo\\       valid_lft forever preferred_lft forever\n"
    "1: lo    inet 203.0.113.0/24 scope global lo\\       valid_lft forever preferred_lft forever\n"
)


def test_normalize_vips_accepts_plain_and_slash32_sorted_unique():
    assert normalize_vips(["192.0.2.11", "192.0.2.9/32", " 192.0.2.11/32 ", "10.0.0.1"]) == [
        "10.0.0.1",
        "192.0.2.9",
        "192.0.2.11",
    ]
    assert normalize_vips([]) == []
    assert normalize_vips(None) == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["192.0.2.0/24"], "only single addresses"),
        (["2001:db8::1"], "not an IPv4 address"),
        (["192.0.2.300"], "not an IPv4 address"),
        (["lb.example.com"], "not an IPv4 address"),
        (["127.0.0.2"], "loopback"),
        (["0.0.0.0"], "unspecified"),
        (["224.0.0.5"], "multicast"),
        ("192.0.2.10", "must be a list"),
    ],
)
def test_normalize_vips_rejects_bad_input_with_the_value_named(values, message):
    with pytest.raises(VipError, match=message):
        normalize_vips(values)


def test_state_round_trip():
    text = render_state(["192.0.2.10", "192.0.2.11"])
    assert text.startswith("# ")
    assert parse_state(text) == ["192.0.2.10", "192.0.2.11"]
    assert parse_state("") == []
    assert render_state([]) == ""


def test_parse_state_rejects_corruption():
    with pytest.raises(VipError, match="state file is corrupt"):
        parse_state("192.0.2.10\nnot-an-ip\n")


def test_parse_ip_addresses():
    assert parse_ip_addresses(IP_OUTPUT) == ["127.0.0.1/8", "192.0.2.10/32", "198.51.100.7/32", "203.0.113.0/24"]
    assert parse_ip_addresses("") == []


def test_plan_adds_missing_and_removes_only_formerly_managed():
    current = parse_ip_addresses(IP_OUTPUT)
    # 198.51.100.7 was added by hand (not managed): kept. 192.0.2.10 managed and dropped: removed.
    to_add, to_remove = plan(["192.0.2.11"], current, ["192.0.2.10", "192.0.2.11"])
    assert to_add == ["192.0.2.11"]
    assert to_remove == ["192.0.2.10"]


def test_plan_is_empty_when_converged():
    current = parse_ip_addresses(IP_OUTPUT)
    assert plan(["192.0.2.10"], current, ["192.0.2.10"]) == ([], [])


def test_plan_never_removes_unmanaged_or_absent_addresses():
    current = parse_ip_addresses(IP_OUTPUT)
    assert plan([], current, []) == ([], [])
    # managed but already gone from the device: nothing to delete
    assert plan([], current, ["192.0.2.99"]) == ([], [])


def test_plan_adds_a_slash32_even_if_covered_by_a_wider_prefix():
    assert plan(["203.0.113.5"], ["203.0.113.0/24"], []) == (["203.0.113.5"], [])


STATE = render_state(["192.0.2.10", "192.0.2.11"])


@pytest.mark.parametrize(
    ("desired", "current", "state", "differs"),
    [
        (["192.0.2.10", "192.0.2.11"], ["127.0.0.1/8", "192.0.2.10/32", "192.0.2.11/32"], STATE, False),
        (["192.0.2.10", "192.0.2.11"], ["192.0.2.10/32", "192.0.2.11/32", "198.51.100.7/32"], STATE, False),
        (["192.0.2.10", "192.0.2.11"], ["192.0.2.11/32"], STATE, True),  # one to add
        (["192.0.2.11"], ["192.0.2.10/32", "192.0.2.11/32"], STATE, True),  # one to remove
        (["192.0.2.10", "192.0.2.11"], ["192.0.2.10/32", "192.0.2.11/32"], STATE + "\n", True),  # state rewritten
        (["192.0.2.10", "192.0.2.11"], ["192.0.2.10/32", "192.0.2.11/32"], "", True),  # not managed yet
        ([], [], "", False),
    ],
)
def test_plan_vips_changed(desired, current, state, differs):
    assert plan_vips(desired, current, state)["changed"] is differs


def test_plan_vips_lists_what_to_do_and_refuses_a_corrupt_state():
    planned = plan_vips(["192.0.2.11", "192.0.2.12"], ["192.0.2.10/32", "192.0.2.11/32"], STATE)
    assert planned["to_add"] == ["192.0.2.12"] and planned["to_remove"] == ["192.0.2.10"]
    assert planned["managed"] == ["192.0.2.10", "192.0.2.11"]
    assert planned["new_state"] == render_state(["192.0.2.11", "192.0.2.12"])
    with pytest.raises(VipError, match="state file is corrupt"):
        plan_vips([], [], "not-an-address\n")
