# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shape check of a server as the Sakura Cloud API lists it: errors name the server, the field, the expectation."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import servers


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
        servers.check_server(server, 3)
    assert str(raised.value).startswith("server 5: ") and repr(field) in str(raised.value)
    assert expected in str(raised.value)


def test_shape_errors_without_an_id_name_the_position():
    with pytest.raises(ValueError, match=r"Servers\[3\]: field 'ID' is null, expected a number"):
        servers.check_server({"Name": "n"}, 3)
    with pytest.raises(ValueError, match=r"Servers\[3\] is a list, expected an object"):
        servers.check_server([], 3)
