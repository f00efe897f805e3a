# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory host names of Sakura Cloud servers: the rendered template checked, taken names made unique."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import hostnames


def test_check_host_name():
    assert hostnames.check_host_name("  web.is1a ", 1) == "web.is1a"
    for bad in ("", "  ", None, "a\nb"):
        with pytest.raises(ValueError, match="hostname template gave"):
            hostnames.check_host_name(bad, 7)


def test_unique_host_name():
    taken = {"web", "web.is1a"}
    assert hostnames.unique_host_name("db", "is1a", 1, taken) == "db"
    assert hostnames.unique_host_name("web", "is1b", 2, taken) == "web.is1b"
    assert hostnames.unique_host_name("web", "is1a", 3, taken) == "web.is1a.3"
