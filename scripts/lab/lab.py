# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make lab`: the whole run of lvmkube.cluster on three QEMU VMs on this machine.

    python scripts/lab/lab.py run     # boot cp1, w1, w2 (two data disks each), run site.yml twice, summary
    python scripts/lab/lab.py down    # stop exactly the lab's VMs (PID files under build/lab/vms)
    python scripts/lab/lab.py status  # the lab's VMs as JSON

The VMs come from the molecule harness (scripts/vm/vmctl.py, image from scripts/vm/build-image.sh).
The static inventory is written to build/lab/inventory/hosts.yml. What is real and what is a stand-in:
node preparation, LVM volume groups and thin pools, the lvmd systemd unit and config, and the
kube-scheduler manifest edit are real, on real VMs; the lvmd binary is a TEST DOUBLE, kube-scheduler's
health endpoint is a TEST DOUBLE, and TopoLVM is rendered to files because no Kubernetes runs here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LAB_DIR = Path(os.environ.get("LVMKUBE_LAB_DIR", REPO / "build" / "lab"))
VMCTL = REPO / "scripts" / "vm" / "vmctl.py"
LAB_PLAYBOOK = REPO / "scripts" / "lab" / "lab.yml"
SUITE = os.environ.get("LVMKUBE_LAB_SUITE", "bookworm")
DISK_SIZE = os.environ.get("LVMKUBE_LAB_DISK_SIZE", "4G")
# TCG boots take ~35 s on an idle machine and several minutes on a busy one.
BOOT_TIMEOUT = os.environ.get("LVMKUBE_LAB_BOOT_TIMEOUT", "900")
VENV_BIN = Path(sys.executable).parent

# name -> kubespray-style group
LAB_HOSTS = {"cp1": "kube_control_plane", "w1": "kube_node", "w2": "kube_node"}

# Everything the lab needs from the other parts of the collection, with what provides it.
REQUIRED = {
    "scripts/vm/vmctl.py": "VM harness (issue 4)",
    "scripts/vm/build-image.sh": "VM harness (issue 4)",
    "roles/swap/tasks/main.yml": "role swap (issue 4)",
    "roles/dsr/tasks/main.yml": "role dsr (issue 4)",
    "roles/kube_prereqs/tasks/main.yml": "role kube_prereqs (issue 4)",
    "playbooks/prepare_nodes.yml": "playbook prepare_nodes (issue 4)",
    "roles/lvm/tasks/main.yml": "role lvm (issue 5)",
    "roles/lvmd/tasks/main.yml": "role lvmd (issue 5)",
    "tests/doubles/lvmd/lvmd_double.py": "lvmd test double (issue 5)",
    "roles/kube_scheduler/tasks/main.yml": "role kube_scheduler (issue 6)",
    "tests/doubles/kube_scheduler_health_double.py": "kube-scheduler health test double (issue 6)",
    "roles/topolvm/tasks/main.yml": "role topolvm (issue 7)",
    "playbooks/deploy_topolvm.yml": "playbook deploy_topolvm (issue 7)",
    "playbooks/smoke_test.yml": "playbook smoke_test (issue 7)",
    "playbooks/site.yml": "playbook site (issue 8)",
    "playbooks/prepare_storage.yml": "playbook prepare_storage (issue 8)",
}

RECAP_RE = re.compile(r"^(?P<host>\S+)\s+:\s+(?P<counts>(?:\w+=\d+\s*)+)$")


class LabError(Exception):
    """The lab cannot go on; the message says why."""


def say(message: str = "") -> None:
    print(message, flush=True)


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


def missing_parts(repo: Path = REPO) -> list[str]:
    """Return 'path (provider)' for every required piece that is not in the checkout."""
    return [f"{path} ({what})" for path, what in REQUIRED.items() if not (repo / path).exists()]


def vm_specs(suite: str = SUITE, disk_size: str = DISK_SIZE) -> list[dict]:
    """The lab's VMs for vmctl: one control plane, two workers, each with two data disks."""
    return [
        {"name": name, "suite": suite, "memory": 1024, "cpus": 1, "disks": [f"data1:{disk_size}", f"data2:{disk_size}"]}
        for name in LAB_HOSTS
    ]


def inventory(infos: list[dict], repo: Path = REPO, lab_dir: Path = LAB_DIR) -> dict:
    """Build the lab's static inventory (as a dict, dumped as JSON, which is YAML) from vmctl's VM list."""
    by_name = {info["name"]: info for info in infos}
    missing = sorted(set(LAB_HOSTS) - set(by_name))
    if missing:
        raise LabError(f"vmctl did not report the VMs {missing}")

    def host(name: str) -> dict:
        info = by_name[name]
        return {
            "ansible_host": info["address"],
            "ansible_port": info["port"],
            "ansible_user": info["user"],
            "ansible_ssh_private_key_file": info["identity_file"],
        }

    groups: dict[str, list[str]] = {}
    for name, group in LAB_HOSTS.items():
        groups.setdefault(group, []).append(name)
    return {
        "all": {
            "vars": {
                "ansible_ssh_common_args": "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
                "-o IdentitiesOnly=yes -o LogLevel=ERROR",
                "lvmkube_device_classes": [
                    {
                        "name": "ssd",
                        "volume_group": "topolvm-ssd",
                        "devices": ["/dev/disk/by-id/virtio-data1"],
                        "default": True,
                        "spare_gb": 1,
                    },
                    {
                        "name": "ssd-thin",
                        "volume_group": "topolvm-thin",
                        "devices": ["/dev/disk/by-id/virtio-data2"],
                        "thin_pool": {"name": "pool0", "overprovision_ratio": 5.0, "size_percent": 90},
                    },
                ],
                # lvmd cannot be downloaded here: the TEST DOUBLE is installed as the lvmd binary.
                "lvmd_install_method": "controller_file",
                "lvmd_controller_file": str(repo / "tests" / "doubles" / "lvmd" / "lvmd_double.py"),
                # No Kubernetes here: TopoLVM is rendered to files.
                "topolvm_output": "render",
                "topolvm_render_dir": str(lab_dir / "topolvm-manifests"),
                "topolvm_cert_dir": str(lab_dir / "topolvm-certs"),
                "topolvm_distribution": "kubeadm",
                "topolvm_kubernetes_version": "1.33",
                "topolvm_scheduling_mode": "extender-daemonset",
                "lvmkube_kube_scheduler_distribution": "kubeadm",
                "kube_scheduler_health_settle_seconds": 1,
                "kube_scheduler_health_retries": 15,
                "kube_scheduler_health_delay": 2,
                # The smoke test needs a running cluster.
                "lvmkube_smoke_test": False,
            },
            "children": {
                "k8s_cluster": {
                    "children": {
                        group: {"hosts": {name: host(name) for name in names}} for group, names in groups.items()
                    }
                },
                "etcd": {"hosts": {name: {} for name in groups["kube_control_plane"]}},
                "lvmkube_storage": {"hosts": {name: {} for name in LAB_HOSTS}},
                "kube_node": {"vars": {"dsr_vips": ["10.255.0.100"]}},
            },
        }
    }


def parse_recap(output: str) -> dict[str, dict[str, int]]:
    """Return {host: {ok: n, changed: n, ...}} from the PLAY RECAP of an ansible-playbook run."""
    recap: dict[str, dict[str, int]] = {}
    in_recap = False
    for line in output.splitlines():
        if line.startswith("PLAY RECAP"):
            in_recap = True
            continue
        if in_recap:
            match = RECAP_RE.match(line.strip())
            if match:
                counts = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group("counts"))}
                recap[match.group("host")] = counts
    return recap


def ansible_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_TIMEOUT="60",
        ANSIBLE_SSH_RETRIES="3",
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def vmctl(*args: str, capture: bool = True) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(VMCTL), *args]
    return subprocess.run(cmd, capture_output=capture, text=True, check=False)


def vm_status(state_dir: Path) -> list[dict]:
    if not state_dir.is_dir():
        return []
    result = vmctl("status", "--state-dir", str(state_dir))
    if result.returncode != 0:
        raise LabError(f"vmctl status failed: {result.stderr.strip()}")
    return json.loads(result.stdout or "[]")


def boot(state_dir: Path, fresh: bool = False) -> tuple[list[dict], float]:
    """Boot the lab VMs (reusing running ones unless fresh); return vmctl's VM list and the seconds it took."""
    started = time.monotonic()
    running = [vm for vm in vm_status(state_dir) if vm.get("running") and vm.get("name") in LAB_HOSTS]
    if not fresh and len(running) == len(LAB_HOSTS):
        say(f"lab: reusing the running VMs in {state_dir} ({', '.join(sorted(vm['name'] for vm in running))})")
        return running, 0.0
    if running:
        say("lab: stopping partly running lab VMs first")
        vmctl("down", "--state-dir", str(state_dir), capture=False)
    if fresh and state_dir.exists():
        for vm_dir in state_dir.iterdir():
            if vm_dir.is_dir() and vm_dir.name in LAB_HOSTS:
                for item in vm_dir.glob("*.qcow2"):
                    item.unlink()
    kept = sorted(vm_dir.name for vm_dir in state_dir.glob("*") if (vm_dir / "root.qcow2").exists())
    if kept:
        say(
            f"lab: booting on the disks of an earlier lab ({', '.join(kept)}): what that run did is kept, "
            "so its hosts may report changed=0 at once; `make lab-fresh` starts from new disks"
        )
    state_dir.mkdir(parents=True, exist_ok=True)
    spec = state_dir / "vms.json"
    spec.write_text(json.dumps(vm_specs(), indent=2))
    say(f"lab: booting {', '.join(LAB_HOSTS)} ({SUITE}, 1 vCPU, 1 GiB, disks data1+data2 of {DISK_SIZE} each)")
    say("lab: the base image is built once and cached (scripts/vm/build-image.sh); the first build takes minutes")
    result = subprocess.run(
        [
            sys.executable,
            str(VMCTL),
            "up",
            "--state-dir",
            str(state_dir),
            "--spec",
            str(spec),
            "--boot-timeout",
            BOOT_TIMEOUT,
        ],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise LabError("the VMs did not come up (vmctl's messages are above)")
    return json.loads(result.stdout), time.monotonic() - started


def write_inventory(infos: list[dict], lab_dir: Path = LAB_DIR) -> Path:
    path = lab_dir / "inventory" / "hosts.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# Written by scripts/lab/lab.py for the lab VMs; regenerated on every run.\n"
    path.write_text(header + json.dumps(inventory(infos, lab_dir=lab_dir), indent=2) + "\n")
    return path


def run_playbook(
    playbook: Path, inv: Path, log_path: Path, label: str, extra: tuple[str, ...] = ()
) -> tuple[int, str, float]:
    """Run ansible-playbook, print one progress line per play and task, keep the full log."""
    cmd = [str(VENV_BIN / "ansible-playbook"), "-i", str(inv), str(playbook), *extra]
    say(f"lab: {label}: {shlex.join(cmd)}")
    say(f"lab: full log in {log_path}")
    started = time.monotonic()
    lines: list[str] = []
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        log_path.open("w", encoding="utf-8") as log,
        subprocess.Popen(
            cmd, cwd=REPO, env=ansible_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as proc,
    ):
        for line in proc.stdout:
            log.write(line)
            lines.append(line.rstrip("\n"))
            stamp = clock(time.monotonic() - started)
            if line.startswith("PLAY [") and "RECAP" not in line:
                say(f"  [{stamp}] == {line.strip()[6:].rstrip('*').rstrip().rstrip(']')}")
            elif line.startswith("TASK ["):
                say(f"  [{stamp}]      {line.strip()[6:].rstrip('*').rstrip().rstrip(']')}")
            elif line.startswith(("fatal:", "failed:", "ERROR!", "[ERROR]")):
                say(f"  [{stamp}]   !! {line.rstrip()[:300]}")
        proc.wait()
    return proc.returncode, "\n".join(lines), time.monotonic() - started


def remote(info: dict, command: str) -> str:
    """Run a shell command on a lab VM over SSH; return stdout ('' on failure)."""
    cmd = [
        "ssh", "-p", str(info["port"]), "-i", info["identity_file"],
        "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10",
        f"{info['user']}@{info['address']}", command,
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)
    return result.stdout.strip() if result.returncode == 0 else ""


def observe(infos: list[dict]) -> dict[str, dict]:
    """Read what the run left on each VM: VGs with sizes, thin pools, services, swap, scheduler manifest."""
    script = (
        "vgs --noheadings --units g --nosuffix -o vg_name,vg_size,vg_free 2>/dev/null | "
        "awk '{printf \"%s=%.1f/%.1fG \", $1, $2, $3}'; echo; "
        "lvs --noheadings -S 'lv_attr=~^t' -o vg_name,lv_name 2>/dev/null | awk '{printf \"%s/%s \", $1, $2}'; echo; "
        "systemctl is-active lvmd 2>/dev/null; "
        "systemctl is-active lvmkube-lab-kube-scheduler-health-double.service 2>/dev/null; "
        "cat /proc/swaps | tail -n +2 | wc -l; "
        "grep -c -- '--config=' /etc/kubernetes/manifests/kube-scheduler.yaml 2>/dev/null || echo -; "
        "ip -4 -o addr show dev lo | awk '{print $4}' | grep -v '^127' | tr '\\n' ' '; echo"
    )
    found = {}
    for info in infos:
        lines = (remote(info, script).splitlines() + [""] * 7)[:7]
        found[info["name"]] = {
            "vgs": lines[0].strip() or "-",
            "thin_pools": lines[1].strip() or "-",
            "lvmd": lines[2].strip() or "-",
            "health_double": lines[3].strip() or "-",
            "swaps": lines[4].strip() or "?",
            "scheduler_config": lines[5].strip(),
            "vips": lines[6].strip() or "-",
        }
    return found


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt.format(*header), rule, *(fmt.format(*map(str, row)) for row in rows)])


def summary(first: dict, second: dict, found: dict, render_dir: Path) -> str:
    rows = []
    for name, group in LAB_HOSTS.items():
        state = found.get(name, {})
        services = f"lvmd(double):{state.get('lvmd', '-')}"
        if group == "kube_control_plane":
            services += f" health-double:{state.get('health_double', '-')}"
            services += " kube-scheduler --config:" + (
                "yes" if state.get("scheduler_config") not in ("", "0", "-") else "no"
            )
        rows.append(
            [
                name,
                group,
                first.get(name, {}).get("changed", "?"),
                second.get(name, {}).get("changed", "?"),
                state.get("vgs", "-"),
                state.get("thin_pools", "-"),
                state.get("swaps", "?"),
                state.get("vips", "-"),
                services,
            ]
        )
    manifests = sorted(render_dir.glob("*.yaml")) if render_dir.is_dir() else []
    text = table(
        rows,
        [
            "host",
            "group",
            "changed 1st",
            "changed 2nd",
            "VGs size/free",
            "thin pools",
            "swaps",
            "VIPs on lo",
            "services",
        ],
    )
    local = second.get("localhost", first.get("localhost", {}))
    text += (
        f"\n\nTopoLVM manifests (rendered, topolvm_output=render): {render_dir} - {len(manifests)} files "
        f"(localhost changed 1st/2nd: {first.get('localhost', {}).get('changed', '?')}/{local.get('changed', '?')})"
    )
    text += "\nSmoke test: skipped - it needs a running Kubernetes cluster (lvmkube_smoke_test=false in the lab)."
    return text


def cmd_run(args: argparse.Namespace) -> int:
    missing = missing_parts()
    if missing:
        say("lab: cannot run, these parts of the collection are missing from this checkout:")
        for item in missing:
            say(f"  - {item}")
        return 2
    say("lab: lvmkube.cluster end to end on three QEMU VMs")
    say("lab: stand-ins, because no Kubernetes and no lvmd download exist here:")
    say(
        "  - lvmd on every VM is the TEST DOUBLE tests/doubles/lvmd/lvmd_double.py (checks lvmd.yaml, opens the socket)"
    )
    say("  - kube-scheduler on cp1 is a kubeadm-shaped static pod manifest placed by the lab, plus the health")
    say("    TEST DOUBLE tests/doubles/kube_scheduler_health_double.py on 127.0.0.1:10259")
    say("  - TopoLVM is rendered to files (topolvm_output=render); the smoke test is skipped")
    state_dir = LAB_DIR / "vms"
    if args.fresh:
        for rendered in ("topolvm-manifests", "topolvm-certs"):
            shutil.rmtree(LAB_DIR / rendered, ignore_errors=True)
    infos, boot_seconds = boot(state_dir, fresh=args.fresh)
    inv = write_inventory(infos)
    say(f"lab: inventory {inv}")

    code, out1, first_seconds = run_playbook(LAB_PLAYBOOK, inv, LAB_DIR / "run-1.log", "first run of site.yml")
    first = parse_recap(out1)
    if code != 0:
        say("\n".join(out1.splitlines()[-40:]))
        say(f"lab: FAILED: the first run of site.yml failed (exit {code}); log {LAB_DIR / 'run-1.log'}")
        return 1
    code, out2, second_seconds = run_playbook(
        LAB_PLAYBOOK, inv, LAB_DIR / "run-2.log", "second run (must change nothing)"
    )
    second = parse_recap(out2)
    found = observe(infos)
    say("")
    say(summary(first, second, found, LAB_DIR / "topolvm-manifests"))
    say("")
    say(
        f"Times: boot {boot_seconds:.0f} s, first run {first_seconds:.0f} s, second run {second_seconds:.0f} s "
        f"(ratio {second_seconds / first_seconds:.2f})"
    )
    changed = {host: counts.get("changed", 0) for host, counts in second.items()}
    if code != 0:
        say(f"lab: FAILED: the second run failed (exit {code}); log {LAB_DIR / 'run-2.log'}")
        return 1
    if any(changed.values()) or not changed:
        say(f"lab: FAILED: the second run changed something: {changed}; log {LAB_DIR / 'run-2.log'}")
        return 1
    say(f"lab: second run changed=0 on every host ({', '.join(sorted(changed))})")
    say("lab: VMs keep running; log in with `python3 scripts/vm/vmctl.py ssh --state-dir build/lab/vms --name cp1`")
    say("lab: stop them with `make lab-down`")
    return 0


def cmd_down(_args: argparse.Namespace) -> int:
    state_dir = LAB_DIR / "vms"
    if not state_dir.is_dir():
        say(f"lab: no lab VMs ({state_dir} does not exist)")
        return 0
    result = vmctl("down", "--state-dir", str(state_dir), capture=False)
    return result.returncode


def cmd_status(_args: argparse.Namespace) -> int:
    print(json.dumps(vm_status(LAB_DIR / "vms"), indent=2, sort_keys=True))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="boot the lab VMs, run site.yml twice, print the summary")
    run.add_argument("--fresh", action="store_true", help="start from new disks and new rendered manifests")
    sub.add_parser("down", help="stop the lab VMs")
    sub.add_parser("status", help="print the lab VMs as JSON")
    args = parser.parse_args(argv)
    handlers = {"run": cmd_run, "down": cmd_down, "status": cmd_status}
    try:
        return handlers[args.command](args)
    except LabError as exc:
        say(f"lab: error: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
