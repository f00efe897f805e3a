# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which address of a Sakura Cloud server is ``ansible_host``: the scope rule, public, private, a named switch."""

from __future__ import annotations

import pytest
from helpers.cloud_answers import DISCONNECTED, SHARED, USER, USER_NO_ADDR

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import addresses, hostvars


@pytest.mark.parametrize(
    ("nics", "mode", "expected"),
    [
        ([SHARED, USER], "nic0", "203.0.113.10"),
        ([USER, SHARED], "nic0", "192.168.0.11"),
        ([None, SHARED], "nic0", None),
        ([], "nic0", None),
        (None, "nic0", None),
        ([DISCONNECTED, SHARED], "nic0", None),
        ([USER_NO_ADDR, SHARED], "nic0", None),
        ([None, USER, SHARED], "public", "203.0.113.10"),
        ([None, SHARED, USER], "private", "192.168.0.11"),
        ([USER_NO_ADDR, USER], "private", "192.168.0.11"),
        ([SHARED], "private", None),
        ([USER], "public", None),
        ([], "name", "srv"),
    ],
)
def test_choose_address(nics, mode, expected):
    assert addresses.choose_address({"Name": "srv", "Interfaces": nics}, mode) == expected


def test_switch_by_name_or_id():
    named = dict(USER, Switch={"ID": 113000000777, "Name": "sw-cluster", "Scope": "user"})
    server = {"Name": "srv", "Interfaces": [SHARED, USER, named]}
    assert (
        addresses.on_switch(named, "sw-cluster")
        and addresses.on_switch(named, "113000000777")
        and addresses.on_switch(named, 113000000777)
    )
    assert (
        not addresses.on_switch(named, "sw-other")
        and not addresses.on_switch(None, "sw-cluster")
        and not addresses.on_switch(named, "")
    )
    assert addresses.switch_nic(server, "sw-cluster") is named
    assert addresses.switch_nic(server, "1") is SHARED  # the shared segment by its ID
    assert addresses.switch_nic(server, "nope") is None
    # connect_with=private with a switch: the NIC on that switch, not the first user switch.
    other = dict(named, UserIPAddress="10.0.0.5")
    server = {"Name": "srv", "Interfaces": [USER, other]}
    assert addresses.choose_address(server, "private") == "192.168.0.11"
    assert addresses.choose_address(server, "private", "sw-cluster") == "10.0.0.5"
    assert addresses.choose_address(server, "private", "sw-none") is None
    assert addresses.choose_address(server, "nic0", "sw-cluster") == "192.168.0.11"  # only private looks at the switch
    assert hostvars.kubespray_vars(server, None, "nic0", ip="private", switch="sw-cluster") == {"ip": "10.0.0.5"}


def test_choose_address_rejects_unknown_mode():
    with pytest.raises(ValueError, match="connect_with"):
        addresses.choose_address({"Name": "x"}, "ipv6")
