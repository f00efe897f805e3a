# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decisions of the action lvmkube.cluster.node_converge, from a read of node_state_info to module arguments.

What the read reports is held against the real modules in tests/unit/plugins/modules/test_node_state_info.py;
the action on a real node in tests/integration/node_converge/test_node_converge_action.py and the molecule scenarios.
"""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.node.converge import (
    ConvergeError,
    check_spec,
    kernel_module_calls,
    package_call,
    read_args,
    service_call,
    state_from_read,
    sysctl_calls,
)

UNIT = "/etc/systemd/system/a.service"
RUNNING = {"LoadState": "loaded", "UnitFileState": "enabled", "ActiveState": "active"}
STOPPED = {"LoadState": "loaded", "UnitFileState": "disabled", "ActiveState": "inactive"}
UNKNOWN = {"LoadState": "not-found", "UnitFileState": None, "ActiveState": "inactive"}
MASK, DISABLE, STOP = {"masked": True}, {"enabled": False}, {"state": "stopped"}
WANT_RUNNING = {"name": "a.service", "enabled": True, "state": "started"}


def test_read_args_ask_only_for_what_is_wanted():
    assert read_args({}, {}) is None
    assert read_args({"sysctls": {}, "kernel_modules": [], "files": [], "services": []}, {}) is None
    spec = {
        "sysctls": {"vm.swappiness": 1},
        "sysctl_file": "/etc/sysctl.d/x.conf",
        "packages": ["lvm2"],
        "files": [{"path": UNIT, "src": "a.j2", "mode": "0644", "owner": None, "group": "root"}],
        "services": [{"name": "a.service", "enabled": True}],
        "vips": {"addresses": [], "device": "lo", "state_file": "/s"},
    }
    assert read_args(spec, {UNIT: "text"}) == {
        "sysctls": {"vm.swappiness": 1},
        "sysctl_file": "/etc/sysctl.d/x.conf",
        "packages": ["lvm2"],
        "vips": {"addresses": [], "device": "lo", "state_file": "/s"},
        "services": ["a.service"],
        "files": [{"path": UNIT, "content": "text", "mode": "0644", "group": "root"}],
    }


def test_module_arguments_only_for_what_differs():
    spec = {"sysctl_file": "/etc/sysctl.d/x.conf", "sysctl_set": False}
    state = {
        "sysctls_to_set": [{"name": "vm.swappiness", "value": "1"}],
        "kernel_modules_to_load": ["br_netfilter"],
        "packages_missing": ["nfs-common"],
    }
    assert sysctl_calls(spec, state) == [
        {
            "name": "vm.swappiness",
            "value": "1",
            "sysctl_file": "/etc/sysctl.d/x.conf",
            "reload": True,
            "sysctl_set": False,
            "state": "present",
        }
    ]
    assert kernel_module_calls(state) == [{"name": "br_netfilter", "state": "present", "persistent": "present"}]
    assert package_call(state) == {"name": ["nfs-common"], "state": "present"}
    assert (sysctl_calls(spec, {}), kernel_module_calls({}), package_call({})) == ([], [], None)


@pytest.mark.parametrize(
    "case",
    [
        (WANT_RUNNING, RUNNING, False, False, False, None),
        (WANT_RUNNING, STOPPED, False, False, False, {"name": "a.service", "enabled": True, "state": "started"}),
        (
            WANT_RUNNING,
            {**RUNNING, "ActiveState": "failed"},
            False,
            False,
            False,
            {"name": "a.service", "enabled": True, "state": "started"},
        ),
        # a unit file written: daemon-reload, then start (a running service is not restarted for it)
        (
            WANT_RUNNING,
            RUNNING,
            True,
            False,
            False,
            {"name": "a.service", "enabled": True, "state": "started", "daemon_reload": True},
        ),
        # a file the service reads was written: restart
        (WANT_RUNNING, RUNNING, False, True, False, {"name": "a.service", "enabled": True, "state": "restarted"}),
        (
            WANT_RUNNING,
            RUNNING,
            True,
            True,
            True,
            {"name": "a.service", "enabled": True, "state": "restarted", "daemon_reload": True},
        ),
        # check mode on a unit systemd does not know: asking systemd would fail
        (WANT_RUNNING, UNKNOWN, True, False, True, "note"),
        (
            WANT_RUNNING,
            UNKNOWN,
            True,
            False,
            False,
            {"name": "a.service", "enabled": True, "state": "started", "daemon_reload": True},
        ),
        # no unit file of this task and unknown: the real module says why
        (WANT_RUNNING, UNKNOWN, False, False, True, {"name": "a.service", "enabled": True, "state": "started"}),
        ({"name": "swap.target", "masked": True}, {"UnitFileState": "masked"}, False, False, False, None),
        ({"name": "swap.target", "masked": True}, RUNNING, False, False, False, {"name": "swap.target", **MASK}),
        ({"name": "a.service", "enabled": False}, STOPPED, False, False, False, None),
        ({"name": "a.service", "enabled": False}, RUNNING, False, False, False, {"name": "a.service", **DISABLE}),
        ({"name": "a.service", "state": "stopped"}, STOPPED, False, False, False, None),
        ({"name": "a.service", "state": "stopped"}, RUNNING, False, False, False, {"name": "a.service", **STOP}),
    ],
)
def test_service_call(case):
    service, props, unit_changed, restart, check_mode, expected = case
    args, note = service_call(service, props, unit_changed=unit_changed, restart=restart, check_mode=check_mode)
    if expected == "note":
        assert args is None
        assert "does not know the unit yet" in note
    else:
        assert (args, note) == (expected, None)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"sysctls": {"a": 1}}, "sysctl_file is required"),
        ({"files": [{"path": "/a", "src": None, "content": None}]}, "exactly one of src and content"),
        ({"files": [{"path": "/a", "src": "x", "content": "y"}]}, "exactly one of src and content"),
        ({"files": [{"path": "/a", "content": "x"}, {"path": "/a", "content": "y"}]}, "listed twice"),
        ({"services": [{"name": "a", "enabled": True}, {"name": "a", "enabled": True}]}, "listed twice"),
        ({"services": [{"name": "a", "state": "reloaded"}]}, "state must be one of"),
        ({"services": [{"name": "a", "enabled": True, "unit_file": "/a"}]}, "not one of the files"),
        ({"services": [{"name": "a", "enabled": True, "restart_on": ["/a"]}]}, "not one of the files"),
        ({"services": [{"name": "a"}]}, "needs enabled, state or masked"),
        ({"node_read": {}, "sysctls": {"a": 1}, "sysctl_file": "/f"}, "not sysctls"),
        ({"node_read": {}, "packages": ["lvm2"], "vips": {"addresses": []}}, "not packages, vips"),
    ],
)
def test_check_spec_refuses(spec, message):
    with pytest.raises(ConvergeError, match=message):
        check_spec(spec)


def test_check_spec_accepts_a_full_spec():
    check_spec(
        {
            "sysctls": {"a": 1},
            "sysctl_file": "/f",
            "files": [{"path": UNIT, "src": "a.j2", "content": None}, {"path": "/c", "src": None, "content": "x"}],
            "services": [{**WANT_RUNNING, "unit_file": UNIT, "restart_on": ["/c"]}],
        }
    )


READ = {
    "files": {
        UNIT: {
            "exists": True,
            "sha1": "e24fbc79ade688df0a3d97a7e8fbc6216ea2823a",
            "mode": "0644",
            "owner": "root",
            "group": "root",
            "uid": 0,
            "gid": 0,
        },
        "/c": {"exists": False, "sha1": None, "mode": None, "owner": None, "group": None, "uid": None, "gid": None},
    },
    "services": {"a.service": RUNNING, "b.service": STOPPED},
    "paths": {"/etc": {"exists": True, "type": "directory"}},
}  # fmt: skip  (UNIT's sha1 is that of "[Unit]\n")


@pytest.mark.parametrize(
    ("content", "mode", "owner", "to_write"),
    [("[Unit]\n", "0644", "root", False), ("[Unit]\n", "0644", "0", False), ("[Unit]\n", None, None, False),
     ("[Unit]\n", "0600", None, True), ("[Unit]\nX=1\n", "0644", None, True), ("[Unit]\n", "0644", "nobody", True)],
)  # fmt: skip
def test_state_from_read_decides_for_the_wanted_content(content, mode, owner, to_write):
    spec = {"files": [{"path": UNIT, "mode": mode, "owner": owner}, {"path": "/c"}], "services": [WANT_RUNNING]}
    state = state_from_read(spec, {UNIT: content, "/c": "c\n"}, READ)
    assert state["files_to_write"] == ([UNIT] if to_write else []) + ["/c"]
    assert state["services"] == {"a.service": RUNNING}
    assert set(state["files"]) == {UNIT, "/c"}


def test_state_from_read_refuses_a_read_that_lacks_an_item():
    spec = {"files": [{"path": "/x"}], "services": [{"name": "z.service"}], "paths": ["/etc", "/var"]}
    with pytest.raises(ConvergeError, match=r"node_read does not hold files: /x; services: z.service; paths: /var"):
        state_from_read(spec, {"/x": ""}, READ)
