# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""node_state_info on this machine: its "nothing to do" must agree with ansible.posix.sysctl's and
ansible.builtin.copy's own decisions (run here in check mode, which writes nothing), and it reads
packages and paths for real."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
from pathlib import Path

import pytest
from ansible.modules import copy as builtin_copy

from ansible_collections.ansible.posix.plugins.modules import sysctl as posix_sysctl
from ansible_collections.lvmkube.cluster.plugins.modules import node_state_info
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.node.converge import state_from_read

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
    assert result["volume_groups_missing"] == ["lvmkube-no-such-vg"]
    assert result["vips_differ"] is False and result["files_to_write"] == []  # not asked


@pytest.mark.skipif(
    shutil.which("systemctl") is None or os.path.isdir("/run/systemd/system"), reason="a systemctl without systemd"
)
def test_a_systemctl_that_cannot_answer_fails_the_read(run_module, monkeypatch):
    # This machine has systemctl but no systemd: every call fails ("Failed to connect to bus"). Such a read
    # used to come back as "unit not loaded, start it"; now it fails naming the command (retries without waiting).
    monkeypatch.setattr("ansible_collections.lvmkube.cluster.plugins.module_utils.node_commands.DELAY_SECONDS", 0)
    result = run_module(node_state_info, services=["lvmkube-no-such-unit.service"])
    assert result["rc"] == 1 and "show --property=LoadState,UnitFileState,ActiveState" in result["msg"]
    assert "failed 3 times" in result["msg"] and "services_to_start" not in result


def test_sysctls_without_a_file_are_refused(run_module):
    result = run_module(node_state_info, sysctls={"net.ipv4.ip_forward": 1})
    assert result["rc"] == 1 and "sysctl_file is required" in result["msg"]


def test_an_unknown_sysctl_is_reported_as_differing(run_module, tmp_path):
    path = tmp_path / "x.conf"
    path.write_text("net.lvmkube.no_such_key = 1\n")
    result = run_module(node_state_info, sysctls={"net.lvmkube.no_such_key": 1}, sysctl_file=str(path))
    assert result["sysctls_to_set"] == [{"name": "net.lvmkube.no_such_key", "value": "1"}]
    assert result["sysctls"] == {"net.lvmkube.no_such_key": {"file": "1", "running": None}}


CONTENT = "[Unit]\nDescription=lvmd (\u00e9)\n"


def make_dest(tmp_path, kind):
    """The destination file of one case, made for real."""
    dest = tmp_path / "dest.conf"
    if kind == "missing":
        return dest
    if kind == "directory":
        dest.mkdir()
        return dest
    if kind == "symlink":
        target = tmp_path / "target.conf"
        target.write_text(CONTENT)
        dest.symlink_to(target)
        return dest
    dest.write_text(CONTENT if kind != "other content" else CONTENT + "# edited\n")
    os.chmod(dest, 0o600 if kind == "other mode" else 0o644)
    return dest


def listing(directory):
    """Names, links and contents of a directory: to prove that nothing was written."""
    return sorted((p.name, p.is_symlink(), p.read_bytes() if p.is_file() else None) for p in directory.iterdir())


# (destination, wanted mode, wanted owner, to write?): copy in check mode must decide the same.
FILE_CASES = [
    ("same", "0644", "root", False),
    ("same", None, None, False),
    ("same", 0o644, "0", False),
    ("same", "0600", None, True),
    ("same", "u+x", None, True),
    ("same", "0644", "nobody", True),
    ("other mode", "0644", None, True),
    ("other content", "0644", None, True),
    ("missing", "0644", None, True),
    ("directory", "0644", None, True),
    ("symlink", None, None, True),
]


@pytest.mark.skipif(os.geteuid() != 0, reason="owner cases need root")
@pytest.mark.parametrize("case", FILE_CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in FILE_CASES])
def test_file_decision_agrees_with_ansible_builtin_copy(run_module, tmp_path, case):
    kind, mode, owner, to_write = case
    dest = make_dest(tmp_path, kind)
    src = tmp_path / "src"
    src.write_text(CONTENT)
    wanted = {"path": str(dest), "content": CONTENT, "mode": mode, "owner": owner}
    before = listing(tmp_path)

    ours = run_module(node_state_info, files=[wanted], _ansible_check_mode=True)
    theirs = run_module(
        builtin_copy, src=str(src), dest=str(dest), mode=mode, owner=owner, _original_basename="dest.conf",
        checksum=hashlib.sha1(CONTENT.encode()).hexdigest(), _ansible_check_mode=True,
    )  # fmt: skip

    assert ours["rc"] == 0 and ours["changed"] is False, ours
    assert (str(dest) in ours["files_to_write"]) is to_write, ours
    assert theirs["rc"] == 0 and theirs["changed"] is to_write, theirs
    assert listing(tmp_path) == before

    # node_converge given a read without content (its node_read) decides the same from that read alone
    read = run_module(node_state_info, files=[{"path": str(dest)}], _ansible_check_mode=True)
    assert read["rc"] == 0 and read["files_to_write"] == [], read
    spec = {"files": [{"path": str(dest), "mode": mode, "owner": owner}]}
    assert (str(dest) in state_from_read(spec, {str(dest): CONTENT}, read)["files_to_write"]) is to_write
    assert listing(tmp_path) == before


def test_files_by_checksum_and_by_another_file(run_module, tmp_path):
    tarball, member, binary = tmp_path / "lvmd.tar.gz", tmp_path / "lvmd", tmp_path / "bin-lvmd"
    tarball.write_bytes(b"tarball")
    member.write_bytes(b"\x7fELF lvmd 0.41")
    binary.write_bytes(b"\x7fELF lvmd 0.40")
    os.chmod(binary, 0o755)
    sha256 = hashlib.sha256(b"tarball").hexdigest()
    files = [
        {"path": str(tarball), "checksum": "sha256:" + sha256},
        {"path": str(tarball) + ".other", "checksum": "sha256:" + sha256},
        {"path": str(binary), "same_as": str(member), "mode": "0755"},
        {"path": str(member), "same_as": str(tmp_path / "missing")},
    ]
    result = run_module(node_state_info, files=files)
    assert result["files_to_write"] == [str(tarball) + ".other", str(binary), str(member)]
    binary.write_bytes(member.read_bytes())
    result = run_module(node_state_info, files=files[2:3])
    assert result["files_to_write"] == []
    assert result["files"][str(binary)] == {
        "exists": True, "sha1": hashlib.sha1(member.read_bytes()).hexdigest(), "mode": "0755", "owner": "root",
        "group": "root", "uid": 0, "gid": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("spec", "message"),
    [({"content": "x", "checksum": "sha1:" + "a" * 40}, "at most one of"),
     ({"content": "x", "same_as": "/etc/hostname"}, "at most one of"),
     ({"checksum": "sha256:abc"}, "is not algorithm:digest")],
)  # fmt: skip
def test_bad_file_specs_are_refused(run_module, tmp_path, spec, message):
    result = run_module(node_state_info, files=[{"path": str(tmp_path / "f"), **spec}])
    assert result["rc"] == 1 and message in result["msg"]
