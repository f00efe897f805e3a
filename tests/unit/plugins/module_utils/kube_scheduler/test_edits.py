# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/kube_scheduler/edits.py: the flag lists every backend edits (set_flag, flag_values)."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import (
    edits,
)


@pytest.mark.parametrize(
    ("items", "name", "value", "kwargs", "expected", "changed"),
    [
        (["kube-scheduler", "--v=2"], "config", "/a", {}, ["kube-scheduler", "--v=2", "--config=/a"], True),
        (["x", "--config=/b", "--v=2"], "config", "/a", {}, ["x", "--config=/a", "--v=2"], True),
        (["x", "--config", "/b", "--v=2"], "config", "/b", {}, ["x", "--config=/b", "--v=2"], True),
        (["x", "--config=/a", "--config=/c"], "config", "/a", {}, ["x", "--config=/a"], True),
        (["x", "--config=/a"], "config", "/a", {}, ["x", "--config=/a"], False),
        (["x", "--config=/a", "--configx=1"], "config", None, {}, ["x", "--configx=1"], True),
        (["v=2", "config=/u", "config=/a"], "config", None, {"dashes": "", "only": "/a"}, ["v=2", "config=/u"], True),
        (["v=2", "config=/u"], "config", None, {"dashes": "", "only": "/a"}, ["v=2", "config=/u"], False),
        (["v=2", "--config=/u"], "config", "/a", {"dashes": ""}, ["v=2", "config=/a"], True),
    ],
)
def test_set_flag(items, name, value, kwargs, expected, changed):  # noqa: PLR0917 - one parametrize row
    assert edits.set_flag(items, name, value, **kwargs) is changed
    assert items == expected


def test_flag_values():
    assert edits.flag_values(["--config=/a", "--v", "2", "--config", "/b"], "config") == ["/a", "/b"]
    assert edits.flag_values(["config=/a", 3, None], "config") == ["/a"]
