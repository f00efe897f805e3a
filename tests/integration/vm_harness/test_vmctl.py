# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of scripts/vm/vmctl.py that need no VM: input validation, the QEMU command line, and
that ``down`` stops only processes whose command line matches the PID file it was given.

A real QEMU boot is tested by the molecule harness scenario (extensions/molecule/harness).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
VMCTL = REPO / "scripts" / "vm" / "vmctl.py"


def _load_vmctl():
    spec = importlib.util.spec_from_file_location("vmctl", VMCTL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


vmctl = _load_vmctl()


def test_disk_parsing_accepts_serial_and_size():
    assert vmctl.parse_disk("data1:2G") == {"serial": "data1", "size": "2G"}
    assert vmctl.parse_disk("d_2-x:512M") == {"serial": "d_2-x", "size": "512M"}


@pytest.mark.parametrize("text", ["data1", "data1:2T", ":2G", "x" * 21 + ":1G", "bad/serial:1G", "d:0G"])
def test_disk_parsing_rejects_bad_input(text):
    with pytest.raises(vmctl.VmError):
        vmctl.parse_disk(text)


def test_normalise_fills_defaults():
    vm = vmctl.normalise_vm({"name": "n1", "disks": [{"serial": "a", "size": "1G"}, "b:2G"]})
    assert vm["suite"] == "bookworm"
    assert vm["memory"] == 1024
    assert vm["cpus"] == 1
    assert [d["serial"] for d in vm["disks"]] == ["a", "b"]


@pytest.mark.parametrize(
    "spec",
    [
        {"name": "Bad_Name"},
        {"name": "n1", "suite": "sid"},
        {"name": "n1", "disks": ["a:1G", "a:2G"]},
        {"name": "n1", "disks": ["lvmkube-root:1G"]},
        {"name": "n1", "memory": 64},
        {"name": "n1", "lan_ip": "10.0.0.1"},
        {"name": "n1", "typo_key": 1},
    ],
)
def test_normalise_rejects_bad_specs(spec):
    with pytest.raises(vmctl.VmError):
        vmctl.normalise_vm(spec)


def test_qemu_command_has_serial_disks_hostfwd_and_label_root(tmp_path):
    vm = vmctl.normalise_vm({"name": "n1", "suite": "trixie", "disks": ["data1:1G", "data2:512M"]})
    cmd = vmctl.qemu_command(vm, "/img", str(tmp_path), 40022, "tcg")
    joined = " ".join(cmd)
    assert cmd[cmd.index("-accel") + 1] == "tcg"
    assert cmd[cmd.index("-cpu") + 1] == "max"
    assert cmd[cmd.index("-smp") + 1] == "1"
    assert "hostfwd=tcp:127.0.0.1:40022-:22" in joined
    assert "virtio-blk-pci,drive=data0,serial=data1" in joined
    assert "virtio-blk-pci,drive=data1,serial=data2" in joined
    append = cmd[cmd.index("-append") + 1]
    assert "root=LABEL=lvmkube-root" in append
    assert "systemd.hostname=n1" in append
    assert "lvmkube.lan" not in append
    assert cmd[cmd.index("-pidfile") + 1] == str(tmp_path / "qemu.pid")


def test_qemu_command_lan_nic(tmp_path):
    vm = vmctl.normalise_vm({"name": "w1", "lan_ip": "192.168.77.11/24"})
    cmd = vmctl.qemu_command(vm, "/img", str(tmp_path), 40022, "kvm")
    mac = vmctl.lan_mac("w1")
    assert mac.startswith("52:54:01:") and mac != vmctl.lan_mac("w2")
    assert f"lvmkube.lan={mac},192.168.77.11/24" in cmd[cmd.index("-append") + 1]
    assert any(arg.startswith("socket,id=lan,mcast=") and "localaddr=127.0.0.1" in arg for arg in cmd)
    assert cmd[cmd.index("-cpu") + 1] == "host"


def _start_qemu_double(vm_dir: Path) -> subprocess.Popen:
    """A process whose command line looks like the QEMU vmctl starts (argv[0] and -pidfile)."""
    pidfile = vm_dir / "qemu.pid"
    proc = subprocess.Popen(
        ["qemu-system-x86_64", "-c", "import time; time.sleep(120)", "-pidfile", str(pidfile)],
        executable=sys.executable,
    )
    # Popen returns once the child has exec'd, but Linux sets the new command line (mm->arg_start/arg_end, read by
    # /proc/PID/cmdline) a moment later, in the ELF loader after the close-on-exec pipe is closed: on a loaded host
    # the cmdline reads empty in between. QEMU writes its own -pidfile long after that, so wait for the command line
    # as vmctl would find it.
    deadline = time.monotonic() + 60
    cmdline = Path(f"/proc/{proc.pid}/cmdline")
    while not cmdline.read_bytes() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    pidfile.write_text(f"{proc.pid}\n", encoding="ascii")
    return proc


def _run_vmctl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(VMCTL), *args], capture_output=True, text=True, check=False)


def test_down_stops_the_process_named_by_the_pid_file(tmp_path):
    vm_dir = tmp_path / "vm1"
    vm_dir.mkdir()
    proc = _start_qemu_double(vm_dir)
    try:
        assert vmctl.pid_is_our_qemu(proc.pid, str(vm_dir))
        result = _run_vmctl("down", "--state-dir", str(tmp_path))
        assert result.returncode == 0, result.stderr
        assert f"stopped PID {proc.pid}" in result.stderr
        assert proc.wait(timeout=10) is not None
        assert not (vm_dir / "qemu.pid").exists()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_down_never_kills_a_process_of_another_pid_file(tmp_path):
    vm_dir = tmp_path / "vm1"
    other_dir = tmp_path / "other"
    vm_dir.mkdir()
    other_dir.mkdir()
    proc = _start_qemu_double(other_dir)
    (vm_dir / "qemu.pid").write_text(f"{proc.pid}\n", encoding="ascii")
    try:
        result = _run_vmctl("down", "--state-dir", str(tmp_path), "--name", "vm1")
        assert result.returncode == 0, result.stderr
        assert "stale PID file" in result.stderr
        time.sleep(0.5)
        assert proc.poll() is None, "a process not started for vm1 was killed"
    finally:
        proc.kill()
        proc.wait()


def test_down_ignores_a_pid_that_is_not_qemu(tmp_path):
    vm_dir = tmp_path / "vm1"
    vm_dir.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)", "-pidfile", str(vm_dir / "qemu.pid")]
    )
    (vm_dir / "qemu.pid").write_text(f"{proc.pid}\n", encoding="ascii")
    try:
        result = _run_vmctl("down", "--state-dir", str(tmp_path))
        assert result.returncode == 0
        time.sleep(0.5)
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.wait()


def test_status_reports_running_state(tmp_path):
    vm_dir = tmp_path / "vm1"
    vm_dir.mkdir()
    (vm_dir / "vm.json").write_text(json.dumps({"name": "vm1", "port": 1}), encoding="utf-8")
    proc = _start_qemu_double(vm_dir)
    try:
        running = json.loads(_run_vmctl("status", "--state-dir", str(tmp_path)).stdout)
        assert running == [{"name": "vm1", "port": 1, "running": True}]
    finally:
        proc.kill()
        proc.wait()
    stopped = json.loads(_run_vmctl("status", "--state-dir", str(tmp_path)).stdout)
    assert stopped[0]["running"] is False


def test_up_rejects_bad_input_before_touching_anything(tmp_path):
    state = tmp_path / "state"
    result = _run_vmctl("up", "--state-dir", str(state), "--name", "n1", "--disk", "nosize")
    assert result.returncode == 1
    assert "bad disk 'nosize'" in result.stderr
    assert not state.exists()


def test_build_image_rejects_unknown_suite():
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "vm" / "build-image.sh"), "sid"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "unsupported suite 'sid'" in result.stderr


def test_build_image_reuses_a_complete_cache_entry(tmp_path):
    script = REPO / "scripts" / "vm" / "build-image.sh"
    # The cache key: SHA-256 of the script followed by the guest files it installs (see build-image.sh).
    guest = REPO / "scripts" / "vm" / "guest" / "lvmkube_bytecode_cache.py"
    digest = hashlib.sha256(script.read_bytes() + guest.read_bytes()).hexdigest()[:12]
    cached = tmp_path / f"bookworm-{digest}"
    cached.mkdir()
    (cached / ".complete").touch()
    env = dict(os.environ, LVMKUBE_VM_CACHE=str(tmp_path))
    result = subprocess.run(["bash", str(script), "bookworm"], capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(cached)
    assert "cached image" in result.stderr
