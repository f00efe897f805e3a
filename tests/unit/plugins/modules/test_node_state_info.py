# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""node_state_info on this machine: its "nothing to do" must agree with ansible.posix.sysctl's own
decision (run here in check mode, which writes nothing), and it reads packages and paths for real."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from ansible_collections.ansible.posix.plugins.modules import sysctl as posix_sysctl
from ansible_collections.lvmkube.cluster.plugins.modules import node_state_info

needs_sysctl = pytest.mark.skipif(shutil.which("sysctl") is None, reason="the sysctl command is needed")


def running(name):
    return Path("/proc/sys", *name.split(".")).read_text().strip()


def file_cases():
    forward = running("net.ipv4.ip_forward")
    other = "1" if forward == "0" else "0"
    ports = running("net.ipv4.ip_local_port_range")
    return [
        ("file missing", "net.ipv4.ip_forward", forward, None),
        ("file matches", "net.ipv4.ip_forward", forward, f"net.ipv4.ip_forward = {forward}\n"),
        ("file differs", "net.ipv4.ip_forward", forward, f"net.ipv4.ip_forward={other}\n"),
        ("last line wins", "net.ipv4.ip_forward", forward,
         f"net.ipv4.ip_forward={other}\nnet.ipv4.ip_forward={forward}\n"),
        ("running differs", "net.ipv4.ip_forward", other, f"net.ipv4.ip_forward={other}\n"),
        ("commented out", "net.ipv4.ip_forward", forward, f"# net.ipv4.ip_forward={forward}\n"),
        ("several values", "net.ipv4.ip_local_port_range", " ".join(ports.split()),
         "net.ipv4.ip_local_port_range = " + " ".join(ports.split()) + "\n"),
    ]  # fmt: skip


@needs_sysctl
@pytest.mark.parametrize("case", file_cases(), ids=[case[0] for case in file_cases()])
def test_sysctl_decision_agrees_with_ansible_posix_sysctl(run_module, tmp_path, case):
    _label, name, value, content = case
    path = tmp_path / "90-test.conf"
    if content is not None:
        path.write_text(content)
    before = path.read_bytes() if content is not None else None

    ours = run_module(node_state_info, sysctls={name: value}, sysctl_file=str(path), _ansible_check_mode=True)
    theirs = run_module(
        posix_sysctl, name=name, value=value, sysctl_file=str(path), reload=True, sysctl_set=True,
        _ansible_check_mode=True,
    )  # fmt: skip

    assert theirs["rc"] == 0, theirs
    assert ours["rc"] == 0 and ours["changed"] is False, ours
    assert bool(ours["sysctls_to_set"]) is theirs["changed"], (case, ours, theirs)
    assert (path.read_bytes() if path.exists() else None) == before


def test_packages_paths_and_missing_things_are_read_for_real(run_module, tmp_path):
    listener = socket.socket(socket.AF_UNIX)
    sock = tmp_path / "lvmd.sock"
    listener.bind(str(sock))
    (tmp_path / "file").write_text("x")
    installed = "dpkg" if shutil.which("dpkg-query") else "rpm"
    try:
        result = run_module(
            node_state_info,
            packages=[installed, "lvmkube-no-such-package"],
            paths=[str(tmp_path), str(tmp_path / "file"), str(sock), str(tmp_path / "missing")],
            services=["lvmkube-no-such-unit.service"],
            volume_groups=["lvmkube-no-such-vg"],
        )
    finally:
        listener.close()
    assert result["rc"] == 0 and result["changed"] is False
    assert result["packages_missing"] == ["lvmkube-no-such-package"]
    assert result["paths"] == {
        str(tmp_path): {"exists": True, "type": "directory"},
        str(tmp_path / "file"): {"exists": True, "type": "file"},
        str(sock): {"exists": True, "type": "socket"},
        str(tmp_path / "missing"): {"exists": False, "type": None},
    }
    assert result["services_to_start"] == ["lvmkube-no-such-unit.service"]
    assert result["volume_groups_missing"] == ["lvmkube-no-such-vg"]


def test_sysctls_without_a_file_are_refused(run_module):
    result = run_module(node_state_info, sysctls={"net.ipv4.ip_forward": 1})
    assert result["rc"] == 1 and "sysctl_file is required" in result["msg"]


def test_an_unknown_sysctl_is_reported_as_differing(run_module, tmp_path):
    path = tmp_path / "x.conf"
    path.write_text("net.lvmkube.no_such_key = 1\n")
    result = run_module(node_state_info, sysctls={"net.lvmkube.no_such_key": 1}, sysctl_file=str(path))
    assert result["sysctls_to_set"] == [{"name": "net.lvmkube.no_such_key", "value": "1"}]
    assert result["sysctls"] == {"net.lvmkube.no_such_key": {"file": "1", "running": None}}
