# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.filter.loopback_vips import FilterModule, loopback_vips


def test_vips_come_back_unique_sorted_without_prefix():
    assert loopback_vips(["192.0.2.11/32", " 192.0.2.10", "192.0.2.11", "192.0.2.9"]) == [
        "192.0.2.9",
        "192.0.2.10",
        "192.0.2.11",
    ]
    assert loopback_vips(None) == []
    assert FilterModule().filters()["loopback_vips"] is loopback_vips


@pytest.mark.parametrize(
    ("values", "message"),
    [(["192.0.2.0/24"], "only single addresses"), (["127.0.0.2"], "cannot be a load balancer"),
     (["2001:db8::1"], "not an IPv4 address"), ("192.0.2.10", "must be a list")],
)  # fmt: skip
def test_bad_vips_are_errors_naming_the_entry(values, message):
    with pytest.raises(AnsibleFilterError, match=message):
        loopback_vips(values)
