# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start, stop and inspect the QEMU test VMs of lvmkube.cluster.

Run with any Python 3.9+ (standard library only):

    python3 scripts/vm/vmctl.py up --state-dir DIR --name NAME --suite bookworm --disk data1:2G
    python3 scripts/vm/vmctl.py up --state-dir DIR --spec vms.json
    python3 scripts/vm/vmctl.py status --state-dir DIR
    python3 scripts/vm/vmctl.py ssh --state-dir DIR --name NAME -- uname -r
    python3 scripts/vm/vmctl.py down --state-dir DIR [--name NAME ...]

Every VM lives in DIR/<name>/: a qcow2 overlay on the cached base image (scripts/vm/build-image.sh),
one qcow2 file per data disk, qemu.pid, console.log (serial console, appended across boots) and
vm.json (connection details). ``up`` boots all requested VMs in parallel, waits for SSH and prints a
JSON list of the VMs on stdout. ``down`` stops only the QEMU processes named by the PID files in DIR,
after checking that the process command line is the one this tool started.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import hashlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD_IMAGE = os.path.join(HERE, "build-image.sh")
SUITES = ("bookworm", "trixie")
NAT_MAC = "52:54:00:00:00:10"
ROOT_LABEL = "lvmkube-root"
NAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$")
SERIAL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
SIZE_RE = re.compile(r"^[1-9][0-9]*[MG]$")
SSH_OPTIONS = [
    "-o",
    "BatchMode=yes",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "ConnectTimeout=30",
    "-o",
    "ServerAliveInterval=15",
    "-o",
    "ServerAliveCountMax=4",
]

_PORT_LOCK = threading.Lock()
_PORTS_TAKEN: set[int] = set()


class VmError(Exception):
    """A VM could not be started, reached or stopped."""


def log(message: str) -> None:
    """Print a progress line on stderr."""
    print(f"vmctl: {message}", file=sys.stderr, flush=True)


def parse_disk(text: str) -> dict:
    """Parse SERIAL:SIZE (size like 512M or 4G) into a disk spec."""
    serial, sep, size = text.partition(":")
    if not sep or not SERIAL_RE.match(serial) or not SIZE_RE.match(size):
        raise VmError(
            f"bad disk '{text}': expected SERIAL:SIZE, SERIAL of 1-20 characters [A-Za-z0-9_-], SIZE like 512M or 4G"
        )
    return {"serial": serial, "size": size}


def normalise_vm(spec: dict) -> dict:
    """Validate one VM spec and fill defaults; raise VmError with a clear message on bad input."""
    known = {"name", "suite", "memory", "cpus", "disks", "lan_ip", "lan_network"}
    unknown = set(spec) - known
    if unknown:
        raise VmError(f"unknown VM keys {sorted(unknown)} (known: {sorted(known)})")
    name = spec.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise VmError(f"bad VM name {name!r}: lower-case letters, digits and '-', at most 32 characters")
    suite = spec.get("suite", "bookworm")
    if suite not in SUITES:
        raise VmError(f"VM {name}: unsupported suite {suite!r} (expected one of {', '.join(SUITES)})")
    memory = int(spec.get("memory", 1024))
    cpus = int(spec.get("cpus", 1))
    if memory < 256 or cpus < 1:
        raise VmError(f"VM {name}: memory must be >= 256 (MiB) and cpus >= 1")
    disks = []
    for disk in spec.get("disks") or []:
        parsed = parse_disk(disk) if isinstance(disk, str) else parse_disk(f"{disk.get('serial')}:{disk.get('size')}")
        disks.append(parsed)
    serials = [d["serial"] for d in disks]
    if len(set(serials)) != len(serials) or ROOT_LABEL in serials:
        raise VmError(f"VM {name}: disk serials must be unique and not '{ROOT_LABEL}'")
    lan_ip = spec.get("lan_ip")
    if lan_ip is not None and not re.match(r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$", str(lan_ip)):
        raise VmError(f"VM {name}: lan_ip must look like 192.168.77.11/24")
    lan_network = spec.get("lan_network", "230.0.77.1:17701")
    return {
        "name": name,
        "suite": suite,
        "memory": memory,
        "cpus": cpus,
        "disks": disks,
        "lan_ip": lan_ip,
        "lan_network": lan_network,
    }


def lan_mac(name: str) -> str:
    """A stable, locally administered MAC address for the VM's LAN NIC."""
    digest = hashlib.sha256(name.encode()).digest()
    return f"52:54:01:{digest[0]:02x}:{digest[1]:02x}:{digest[2]:02x}"


def kernel_cmdline(vm: dict) -> str:
    """The kernel command line for one VM."""
    args = [
        f"root=LABEL={ROOT_LABEL}",
        "rw",
        "console=ttyS0,115200",
        f"systemd.hostname={vm['name']}",
        "systemd.show_status=true",
        # Throw-away test VMs: CPU side-channel mitigations only cost emulated instructions under TCG.
        "mitigations=off",
        # On a busy host the clocksource watchdog drops the TSC for the HPET, which is far slower
        # to read under emulation; a test VM can trust its TSC.
        "tsc=reliable",
        # A starved vCPU thread is not a guest bug: no soft-lockup back traces flooding the serial log.
        "nosoftlockup",
    ]
    if vm["lan_ip"]:
        args.append(f"lvmkube.lan={lan_mac(vm['name'])},{vm['lan_ip']}")
    return " ".join(args)


def qemu_command(vm: dict, image_dir: str, vm_dir: str, port: int, accel: str) -> list[str]:
    """The full qemu-system-x86_64 command line for one VM (pure; used by up and by tests)."""
    cmd = [
        "qemu-system-x86_64",
        "-name",
        f"lvmkube-{vm['name']},process=lvmkube-{vm['name']}",
        "-machine",
        "pc",
        "-accel",
        accel,
        "-cpu",
        "host" if accel == "kvm" else "max",
        "-smp",
        str(vm["cpus"]),
        "-m",
        str(vm["memory"]),
        "-nodefaults",
        "-display",
        "none",
        "-chardev",
        f"file,id=serial0,path={os.path.join(vm_dir, 'console.log')},append=on",
        "-serial",
        "chardev:serial0",
        "-kernel",
        os.path.join(image_dir, "vmlinuz"),
        "-initrd",
        os.path.join(image_dir, "initrd.img"),
        "-append",
        kernel_cmdline(vm),
        "-drive",
        f"file={os.path.join(vm_dir, 'root.qcow2')},if=none,id=root,format=qcow2,discard=unmap",
        "-device",
        f"virtio-blk-pci,drive=root,serial={ROOT_LABEL}",
    ]
    for index, disk in enumerate(vm["disks"]):
        path = os.path.join(vm_dir, f"disk-{disk['serial']}.qcow2")
        cmd += [
            "-drive",
            f"file={path},if=none,id=data{index},format=qcow2,discard=unmap",
            "-device",
            f"virtio-blk-pci,drive=data{index},serial={disk['serial']}",
        ]
    cmd += [
        "-netdev",
        f"user,id=nat,hostfwd=tcp:127.0.0.1:{port}-:22",
        "-device",
        f"virtio-net-pci,netdev=nat,mac={NAT_MAC}",
    ]
    if vm["lan_ip"]:
        cmd += [
            "-netdev",
            f"socket,id=lan,mcast={vm['lan_network']},localaddr=127.0.0.1",
            "-device",
            f"virtio-net-pci,netdev=lan,mac={lan_mac(vm['name'])}",
        ]
    cmd += [
        "-device",
        "virtio-rng-pci",
        "-pidfile",
        os.path.join(vm_dir, "qemu.pid"),
        "-daemonize",
    ]
    return cmd


def free_port() -> int:
    """A free TCP port on 127.0.0.1 not handed out before by this process."""
    with _PORT_LOCK:
        for _attempt in range(50):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            if port not in _PORTS_TAKEN:
                _PORTS_TAKEN.add(port)
                return port
    raise VmError("no free TCP port on 127.0.0.1")


def build_image(suite: str) -> str:
    """Run build-image.sh (cached) and return the image directory."""
    started = time.monotonic()
    result = subprocess.run(["bash", BUILD_IMAGE, suite], stdout=subprocess.PIPE, text=True, check=False)
    if result.returncode != 0:
        raise VmError(f"building the {suite} image failed (see the build-image messages above)")
    image_dir = result.stdout.strip().splitlines()[-1]
    log(f"image {suite}: {image_dir} ({time.monotonic() - started:.0f} s)")
    return image_dir


def read_pid(vm_dir: str) -> int | None:
    """The PID from vm_dir/qemu.pid, or None."""
    try:
        with open(os.path.join(vm_dir, "qemu.pid"), encoding="ascii") as handle:
            return int(handle.read().strip())
    except (OSError, ValueError):
        return None


def pid_is_our_qemu(pid: int, vm_dir: str) -> bool:
    """True when pid is alive and is the QEMU started for vm_dir (checked on its command line)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            argv = [a.decode(errors="replace") for a in handle.read().split(b"\0") if a]
    except OSError:
        return False
    if not argv or not os.path.basename(argv[0]).startswith("qemu-system"):
        return False
    return os.path.join(vm_dir, "qemu.pid") in argv


def running_pid(vm_dir: str) -> int | None:
    """The PID of the VM's QEMU when it runs, else None."""
    pid = read_pid(vm_dir)
    if pid is not None and pid_is_our_qemu(pid, vm_dir):
        return pid
    return None


def console_tail(vm_dir: str, lines: int = 60) -> str:
    """The last lines of the serial console log."""
    try:
        with open(os.path.join(vm_dir, "console.log"), encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return "(no console log)"


def ssh_command(info: dict, *remote: str) -> list[str]:
    """An ssh command line reaching the VM described by info."""
    return [
        "ssh",
        *SSH_OPTIONS,
        "-i",
        info["identity_file"],
        "-p",
        str(info["port"]),
        f"{info['user']}@{info['address']}",
        *remote,
    ]


def probe_kvm(image_dir: str, timeout: float = 60.0) -> bool:
    """Boot the kernel under KVM until it panics on the missing root file system.

    /dev/kvm may exist while nested virtualisation is broken, so only a guest that really runs counts.
    """
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    with tempfile.TemporaryDirectory(prefix="lvmkube-kvm-probe-") as tmp:
        console = os.path.join(tmp, "console.log")
        cmd = [
            "qemu-system-x86_64",
            "-accel",
            "kvm",
            "-cpu",
            "host",
            "-m",
            "256",
            "-nodefaults",
            "-display",
            "none",
            "-no-reboot",
            "-serial",
            f"file:{console}",
            "-kernel",
            os.path.join(image_dir, "vmlinuz"),
            "-append",
            "console=ttyS0 panic=-1 root=/dev/lvmkube-none rootwait=0",
        ]
        try:
            result = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except (subprocess.TimeoutExpired, OSError):
            return False
        try:
            with open(console, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            return False
        return result.returncode == 0 and "Kernel panic" in text and b"KVM internal error" not in result.stderr


def choose_accel(requested: str, image_dir: str) -> str:
    """tcg, kvm, or auto (kvm only when the probe boots a kernel under KVM)."""
    if requested in ("tcg", "kvm"):
        return requested
    started = time.monotonic()
    works = probe_kvm(image_dir)
    log(f"KVM probe: {'KVM works' if works else 'KVM unusable, using TCG'} ({time.monotonic() - started:.1f} s)")
    return "kvm" if works else "tcg"


def start_vm(vm: dict, image_dir: str, state_dir: str, accel: str) -> dict:
    """Create the disks of one VM (kept when they exist) and start QEMU in the background."""
    vm_dir = os.path.join(state_dir, vm["name"])
    if running_pid(vm_dir) is not None:
        raise VmError(f"VM {vm['name']} already runs (PID file {vm_dir}/qemu.pid); stop it first")
    os.makedirs(vm_dir, exist_ok=True)
    root = os.path.join(vm_dir, "root.qcow2")
    base = os.path.join(image_dir, "rootfs.qcow2")
    previous = _load_info(vm_dir)
    if os.path.exists(root) and previous and previous.get("image_dir") != image_dir:
        log(f"VM {vm['name']}: base image changed, recreating its root overlay")
        os.unlink(root)
    if not os.path.exists(root):
        _run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base, root])
    for disk in vm["disks"]:
        path = os.path.join(vm_dir, f"disk-{disk['serial']}.qcow2")
        if not os.path.exists(path):
            _run(["qemu-img", "create", "-q", "-f", "qcow2", path, disk["size"]])
    last_error = ""
    for _attempt in range(3):
        port = free_port()
        cmd = qemu_command(vm, image_dir, vm_dir, port, accel)
        with open(os.path.join(vm_dir, "qemu.log"), "w", encoding="utf-8") as qlog:
            result = subprocess.run(cmd, stdout=qlog, stderr=subprocess.STDOUT, check=False)
        if result.returncode == 0:
            break
        with open(os.path.join(vm_dir, "qemu.log"), encoding="utf-8", errors="replace") as qlog:
            last_error = qlog.read().strip()
        if "hostfwd" not in last_error and "host forwarding" not in last_error:
            break
    else:
        raise VmError(f"VM {vm['name']}: QEMU could not bind an SSH port: {last_error}")
    if result.returncode != 0:
        raise VmError(f"VM {vm['name']}: QEMU failed to start: {last_error}")
    info = {
        "name": vm["name"],
        "suite": vm["suite"],
        "address": "127.0.0.1",
        "port": port,
        "user": "root",
        "identity_file": os.path.join(image_dir, "id_ed25519"),
        "image_dir": image_dir,
        "vm_dir": vm_dir,
        "console_log": os.path.join(vm_dir, "console.log"),
        "pid": read_pid(vm_dir),
        "accel": accel,
        "memory": vm["memory"],
        "cpus": vm["cpus"],
        "disks": [dict(d, by_id=f"/dev/disk/by-id/virtio-{d['serial']}") for d in vm["disks"]],
        "lan_ip": vm["lan_ip"],
        "lan_mac": lan_mac(vm["name"]) if vm["lan_ip"] else None,
        "qemu_command": shlex.join(cmd),
        "started": time.time(),
    }
    _save_info(vm_dir, info)
    return info


def wait_for_ssh(info: dict, timeout: float) -> float:
    """Wait until SSH answers; return the seconds it took. Raise VmError with the console tail on failure."""
    started = time.monotonic()
    deadline = started + timeout
    while True:
        if running_pid(info["vm_dir"]) is None:
            raise VmError(
                f"VM {info['name']}: QEMU exited during boot. Serial console ({info['console_log']}):\n"
                + console_tail(info["vm_dir"])
            )
        try:
            probe = subprocess.run(ssh_command(info, "true"), capture_output=True, check=False, timeout=90)
            reached = probe.returncode == 0
        except subprocess.TimeoutExpired:
            reached = False
        if reached:
            return time.monotonic() - started
        if time.monotonic() > deadline:
            raise VmError(
                f"VM {info['name']}: no SSH on 127.0.0.1:{info['port']} after {timeout:.0f} s. "
                f"Serial console ({info['console_log']}):\n" + console_tail(info["vm_dir"])
            )
        time.sleep(2)


def stop_vm(vm_dir: str, timeout: float = 20.0) -> str:
    """Stop the QEMU of vm_dir named by its PID file; return what was done."""
    pid = read_pid(vm_dir)
    if pid is None:
        return "not running (no PID file)"
    if not pid_is_our_qemu(pid, vm_dir):
        _remove(os.path.join(vm_dir, "qemu.pid"))
        return f"not running (stale PID file, PID {pid} is not this VM's QEMU)"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_is_our_qemu(pid, vm_dir):
            break
        time.sleep(0.2)
    else:
        if pid_is_our_qemu(pid, vm_dir):
            os.kill(pid, signal.SIGKILL)
            time.sleep(0.5)
    _remove(os.path.join(vm_dir, "qemu.pid"))
    return f"stopped PID {pid}"


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise VmError(f"{shlex.join(cmd)} failed: {result.stderr.strip()}")


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _load_info(vm_dir: str) -> dict | None:
    try:
        with open(os.path.join(vm_dir, "vm.json"), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _save_info(vm_dir: str, info: dict) -> None:
    tmp = os.path.join(vm_dir, "vm.json.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(info, handle, indent=2, sort_keys=True)
    os.replace(tmp, os.path.join(vm_dir, "vm.json"))


def vm_dirs(state_dir: str, names: list[str] | None) -> list[str]:
    """The VM directories in state_dir (all, or the named ones)."""
    if names:
        return [os.path.join(state_dir, n) for n in names]
    if not os.path.isdir(state_dir):
        return []
    return sorted(
        os.path.join(state_dir, entry)
        for entry in os.listdir(state_dir)
        if os.path.isfile(os.path.join(state_dir, entry, "vm.json"))
        or os.path.isfile(os.path.join(state_dir, entry, "qemu.pid"))
    )


def cmd_up(args: argparse.Namespace) -> int:
    """Boot VMs in parallel and wait for SSH."""
    specs: list[dict] = []
    if args.spec:
        with open(args.spec, encoding="utf-8") as handle:
            loaded = json.load(handle)
        if not isinstance(loaded, list):
            raise VmError(f"{args.spec}: expected a JSON list of VM specs")
        specs.extend(loaded)
    if args.name:
        specs.append(
            {
                "name": args.name,
                "suite": args.suite,
                "memory": args.memory,
                "cpus": args.cpus,
                "disks": args.disk or [],
                "lan_ip": args.lan_ip,
                "lan_network": args.lan_network,
            }
        )
    if not specs:
        raise VmError("nothing to start: give --name (with --suite, --disk ...) or --spec FILE")
    vms = [normalise_vm(s) for s in specs]
    names = [vm["name"] for vm in vms]
    if len(set(names)) != len(names):
        raise VmError(f"duplicate VM names in {names}")
    for tool in ("qemu-system-x86_64", "qemu-img", "ssh"):
        if not _which(tool):
            raise VmError(f"missing tool {tool} (install qemu-system-x86, qemu-utils, openssh-client)")
    state_dir = os.path.abspath(args.state_dir)
    os.makedirs(state_dir, exist_ok=True)

    suites = sorted({vm["suite"] for vm in vms})
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(suites)) as pool:
        images = dict(zip(suites, pool.map(build_image, suites), strict=True))
    accel = choose_accel(args.accel, images[suites[0]])

    started = time.monotonic()
    infos: list[dict] = []
    errors: list[str] = []
    for vm in vms:
        try:
            infos.append(start_vm(vm, images[vm["suite"]], state_dir, accel))
        except VmError as exc:
            errors.append(str(exc))
    log(f"started {len(infos)} QEMU process(es) with {accel}; waiting for SSH (timeout {args.boot_timeout:.0f} s)")

    def wait(info: dict) -> dict:
        seconds = wait_for_ssh(info, args.boot_timeout)
        info["boot_seconds"] = round(seconds, 1)
        _save_info(info["vm_dir"], info)
        log(f"VM {info['name']} ({info['suite']}): SSH on 127.0.0.1:{info['port']} after {seconds:.0f} s")
        return info

    if infos:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(infos)) as pool:
            futures = [pool.submit(wait, info) for info in infos]
            for future in futures:
                try:
                    future.result()
                except VmError as exc:
                    errors.append(str(exc))
    if errors:
        for info in infos:
            log(f"VM {info['name']}: {stop_vm(info['vm_dir'])}")
        raise VmError("\n".join(errors))
    log(f"all {len(infos)} VM(s) reachable after {time.monotonic() - started:.0f} s")
    json.dump(infos, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    """Stop VMs by their PID files."""
    state_dir = os.path.abspath(args.state_dir)
    for vm_dir in vm_dirs(state_dir, args.name):
        log(f"VM {os.path.basename(vm_dir)}: {stop_vm(vm_dir)}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Print the VMs of the state directory as JSON."""
    state_dir = os.path.abspath(args.state_dir)
    result = []
    for vm_dir in vm_dirs(state_dir, args.name):
        info = _load_info(vm_dir) or {"name": os.path.basename(vm_dir), "vm_dir": vm_dir}
        info["running"] = running_pid(vm_dir) is not None
        result.append(info)
    json.dump(result, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


def cmd_ssh(args: argparse.Namespace) -> int:
    """Run a command (or a login shell) on one VM."""
    vm_dir = os.path.join(os.path.abspath(args.state_dir), args.name)
    info = _load_info(vm_dir)
    if info is None or running_pid(vm_dir) is None:
        raise VmError(f"VM {args.name} does not run in {args.state_dir}")
    remote = args.command[1:] if args.command[:1] == ["--"] else args.command
    cmd = ssh_command(info, *remote)
    if not remote:
        cmd.insert(1, "-t")
    return subprocess.call(cmd)


def _which(tool: str) -> bool:
    return any(
        os.access(os.path.join(path, tool), os.X_OK) for path in os.environ.get("PATH", "").split(os.pathsep) if path
    )


def build_parser() -> argparse.ArgumentParser:
    """The command line parser."""
    parser = argparse.ArgumentParser(prog="vmctl.py", description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="action", required=True)

    up = sub.add_parser("up", help="boot VMs in parallel and wait for SSH; prints JSON")
    up.add_argument("--state-dir", required=True, help="directory holding one sub-directory per VM")
    up.add_argument("--spec", help="JSON list of VM specs (keys: name, suite, memory, cpus, disks, lan_ip)")
    up.add_argument("--name", help="name of a single VM (host name too)")
    up.add_argument("--suite", default="bookworm", choices=SUITES)
    up.add_argument("--memory", type=int, default=1024, help="MiB (default 1024)")
    up.add_argument("--cpus", type=int, default=1)
    up.add_argument("--disk", action="append", help="data disk SERIAL:SIZE, repeatable (e.g. data1:2G)")
    up.add_argument("--lan-ip", help="address/prefix on the host-local VM network (second NIC)")
    up.add_argument("--lan-network", default="230.0.77.1:17701", help="multicast group:port of the VM network")
    up.add_argument(
        "--accel",
        default=os.environ.get("LVMKUBE_VM_ACCEL", "auto"),
        choices=("auto", "tcg", "kvm"),
        help="auto (default): KVM only when a probe boots a kernel under it, else TCG",
    )
    up.add_argument(
        "--boot-timeout",
        type=float,
        default=float(os.environ.get("LVMKUBE_VM_BOOT_TIMEOUT", "900")),
        help="seconds to wait for SSH (default 900)",
    )
    up.set_defaults(func=cmd_up)

    down = sub.add_parser("down", help="stop VMs by their PID files")
    down.add_argument("--state-dir", required=True)
    down.add_argument("--name", action="append", help="VM to stop (repeatable; default: all in the state dir)")
    down.set_defaults(func=cmd_down)

    status = sub.add_parser("status", help="print the VMs of a state dir as JSON")
    status.add_argument("--state-dir", required=True)
    status.add_argument("--name", action="append")
    status.set_defaults(func=cmd_status)

    ssh = sub.add_parser("ssh", help="run a command on a VM (login shell without a command)")
    ssh.add_argument("--state-dir", required=True)
    ssh.add_argument("--name", required=True)
    ssh.add_argument("command", nargs=argparse.REMAINDER)
    ssh.set_defaults(func=cmd_ssh)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except VmError as exc:
        print(f"vmctl: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
