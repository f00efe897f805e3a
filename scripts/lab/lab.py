# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make lab`: the whole run of lvmkube.cluster on three QEMU VMs on this machine.

    python scripts/lab/lab.py run     # boot cp1, w1, w2 (two data disks each), run site.yml twice, summary
    python scripts/lab/lab.py down    # stop exactly the lab's VMs (PID files under build/lab/vms)
    python scripts/lab/lab.py status  # the lab's VMs as JSON

The VMs come from the molecule harness (scripts/vm/vmctl.py, image from scripts/vm/build-image.sh).
The lab's inventory (groups, device classes, role variables) is inventories/lab/; this script adds
only what exists once the VMs run (SSH ports and key, paths of this checkout) in
build/lab/inventory/hosts.yml. ansible-playbook runs with the ansible.posix.jsonl callback: progress,
failures and the recap are read from its JSON events. What is real and what is a stand-in:
node preparation, LVM volume groups and thin pools, the lvmd systemd unit and config, and the
kube-scheduler manifest edit are real, on real VMs; the lvmd binary is a TEST DOUBLE, kube-scheduler's
health endpoint is a TEST DOUBLE, and TopoLVM is rendered to files because no Kubernetes runs here.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "vm"))

import vmctl as vm_harness  # noqa: E402  scripts/vm/vmctl.py, found through the path above

LAB_DIR = Path(os.environ.get("LVMKUBE_LAB_DIR", REPO / "build" / "lab"))
VMCTL = REPO / "scripts" / "vm" / "vmctl.py"
LAB_PLAYBOOK = REPO / "scripts" / "lab" / "lab.yml"
LAB_INVENTORY = REPO / "inventories" / "lab"
OBSERVE_SCRIPT = REPO / "scripts" / "lab" / "observe_node.py"
SUITE = os.environ.get("LVMKUBE_LAB_SUITE", "bookworm")
DISK_SIZE = os.environ.get("LVMKUBE_LAB_DISK_SIZE", "4G")
# TCG boots take ~35 s on an idle machine and several minutes on a busy one.
BOOT_TIMEOUT = os.environ.get("LVMKUBE_LAB_BOOT_TIMEOUT", "900")
VENV_BIN = Path(sys.executable).parent

# The kubespray-style groups that give a lab VM its role, in the order the summary lists them.
HOST_GROUPS = ("kube_control_plane", "kube_node")

# Everything the lab needs from the other parts of the collection, with what provides it.
REQUIRED = {
    "scripts/vm/vmctl.py": "VM harness",
    "scripts/vm/build-image.sh": "VM harness",
    "roles/swap/tasks/main.yml": "role swap",
    "roles/dsr/tasks/main.yml": "role dsr",
    "roles/kube_prereqs/tasks/main.yml": "role kube_prereqs",
    "playbooks/prepare_nodes.yml": "playbook prepare_nodes",
    "roles/lvm/tasks/main.yml": "role lvm",
    "roles/lvmd/tasks/main.yml": "role lvmd",
    "tests/doubles/lvmd/lvmd_double.py": "lvmd test double",
    "roles/kube_scheduler/tasks/main.yml": "role kube_scheduler",
    "tests/doubles/kube_scheduler_health_double.py": "kube-scheduler health test double",
    "roles/topolvm/tasks/main.yml": "role topolvm",
    "playbooks/deploy_topolvm.yml": "playbook deploy_topolvm",
    "playbooks/smoke_test.yml": "playbook smoke_test",
    "playbooks/site.yml": "playbook site",
    "playbooks/prepare_storage.yml": "playbook prepare_storage",
}


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


def lab_hosts(groups_file: Path = LAB_INVENTORY / "groups.yml") -> dict[str, str]:
    """{host: group} of the lab's VMs, read from inventories/lab/groups.yml (HOST_GROUPS only)."""
    # The venv's PyYAML (ansible-core's dependency), imported here: `make lab-down` runs lab.py with any python3.
    import yaml  # noqa: PLC0415

    def walk(name: str, group: dict, found: dict[str, str]) -> None:
        group = group or {}
        if name in HOST_GROUPS:
            for host in group.get("hosts") or {}:
                found.setdefault(host, name)
        for child, body in (group.get("children") or {}).items():
            walk(child, body, found)

    data = yaml.safe_load(groups_file.read_text(encoding="utf-8")) or {}
    found: dict[str, str] = {}
    for name, body in data.items():
        walk(name, body, found)
    if not found:
        raise LabError(f"{groups_file} names no host in the groups {', '.join(HOST_GROUPS)}")
    return dict(sorted(found.items(), key=lambda item: (HOST_GROUPS.index(item[1]), item[0])))


def vm_specs(suite: str = SUITE, disk_size: str = DISK_SIZE, hosts: dict[str, str] | None = None) -> list[dict]:
    """The lab's VMs for vmctl: one per lab host, each with two data disks."""
    return [
        {"name": name, "suite": suite, "memory": 1024, "cpus": 1, "disks": [f"data1:{disk_size}", f"data2:{disk_size}"]}
        for name in (hosts or lab_hosts())
    ]


def inventory(
    infos: list[dict], repo: Path = REPO, lab_dir: Path = LAB_DIR, hosts: dict[str, str] | None = None
) -> dict:
    """The run-time part of the lab's inventory: how to reach each VM and where this checkout is.

    Everything else (groups, device classes, role variables) is in inventories/lab/.
    """
    hosts = hosts or lab_hosts()
    by_name = {info["name"]: info for info in infos}
    missing = sorted(set(hosts) - set(by_name))
    if missing:
        raise LabError(f"vmctl did not report the VMs {missing}")
    return {
        "all": {
            "vars": {"lvmkube_lab_checkout": str(repo), "lvmkube_lab_dir": str(lab_dir)},
            "hosts": {
                name: {
                    "ansible_host": by_name[name]["address"],
                    "ansible_port": by_name[name]["port"],
                    "ansible_user": by_name[name]["user"],
                    "ansible_ssh_private_key_file": by_name[name]["identity_file"],
                }
                for name in hosts
            },
        }
    }


def parse_events(output: str) -> list[dict]:
    """The JSON events of an ansible.posix.jsonl run; lines that are no JSON object are skipped."""
    events = []
    for line in output.splitlines():
        event = parse_event(line)
        if event is not None:
            events.append(event)
    return events


def parse_event(line: str) -> dict | None:
    """One ansible.posix.jsonl line as a dict, or None for anything else (warnings, plain text)."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        event = json.loads(text)
    except ValueError:
        return None
    return event if isinstance(event, dict) and "_event" in event else None


def recap(events: list[dict]) -> dict[str, dict[str, int]]:
    """{host: {ok: n, changed: n, ...}} from the stats event of a jsonl run ({} without one).

    The keys are those of ansible's PLAY RECAP: the stats' "failures" is reported as "failed".
    """
    for event in reversed(events):
        if event.get("_event") == "v2_playbook_on_stats":
            return {
                host: {("failed" if key == "failures" else key): int(value) for key, value in counts.items()}
                for host, counts in event.get("stats", {}).items()
            }
    return {}


def progress_line(event: dict) -> str | None:
    """What the progress display shows for one event: plays, tasks and failures; None for the rest."""
    kind = event.get("_event", "")
    if kind == "v2_playbook_on_play_start":
        return f"== {event['play']['name']}"
    if kind in ("v2_playbook_on_task_start", "v2_playbook_on_handler_task_start", "v2_runner_on_start"):
        return f"     {event['task']['name']}"
    if kind in ("v2_runner_on_failed", "v2_runner_on_unreachable"):
        # jsonl does not say whether a failure is ignored (ansible's own "fatal: ... ...ignoring" line did
        # not either, at the start): the recap's ignored/rescued counts tell.
        lines = []
        for host, result in event.get("hosts", {}).items():
            what = "unreachable" if kind == "v2_runner_on_unreachable" else "failed"
            message = str(result.get("msg") or result.get("stderr") or result.get("stdout") or "")
            lines.append(f"  !! {host}: {event['task']['name']}: {what}: {message[:300]}")
        return "\n".join(lines) or None
    return None


def ansible_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        # One JSON object per line: progress, failures and the recap are read as data.
        ANSIBLE_STDOUT_CALLBACK="ansible.posix.jsonl",
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
    hosts = lab_hosts()
    running = [vm for vm in vm_status(state_dir) if vm.get("running") and vm.get("name") in hosts]
    if not fresh and len(running) == len(hosts):
        say(f"lab: reusing the running VMs in {state_dir} ({', '.join(sorted(vm['name'] for vm in running))})")
        return running, 0.0
    if running:
        say("lab: stopping partly running lab VMs first")
        vmctl("down", "--state-dir", str(state_dir), capture=False)
    if fresh and state_dir.exists():
        for vm_dir in state_dir.iterdir():
            if vm_dir.is_dir() and vm_dir.name in hosts:
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
    spec.write_text(json.dumps(vm_specs(hosts=hosts), indent=2))
    say(f"lab: booting {', '.join(hosts)} ({SUITE}, 1 vCPU, 1 GiB, disks data1+data2 of {DISK_SIZE} each)")
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
    """Write the run-time part of the inventory; return its path (use it after inventories/lab)."""
    path = lab_dir / "inventory" / "hosts.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Written by scripts/lab/lab.py for the lab VMs; regenerated on every run.\n"
        f"# Groups and role variables: {LAB_INVENTORY}\n"
    )
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(header + json.dumps(inventory(infos, lab_dir=lab_dir), indent=2) + "\n")
    tmp.replace(path)
    return path


def inventory_args(inv: Path) -> list[str]:
    """ansible's -i options: the lab's inventory first (the hosts' inventory_dir), then the written file."""
    return ["-i", str(LAB_INVENTORY), "-i", str(inv)]


def run_playbook(
    playbook: Path, inv: Path, log_path: Path, label: str, extra: tuple[str, ...] = ()
) -> tuple[int, list[dict], float]:
    """Run ansible-playbook with the jsonl callback, print one progress line per play and task, keep the log.

    Returns the exit code, the JSON events and the seconds it took.
    """
    cmd = [str(VENV_BIN / "ansible-playbook"), *inventory_args(inv), str(playbook), *extra]
    say(f"lab: {label}: {shlex.join(cmd)}")
    say(f"lab: full log (JSON lines of ansible.posix.jsonl) in {log_path}")
    started = time.monotonic()
    events: list[dict] = []
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        log_path.open("w", encoding="utf-8") as log,
        subprocess.Popen(
            cmd, cwd=REPO, env=ansible_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as proc,
    ):
        for line in proc.stdout:
            log.write(line)
            stamp = clock(time.monotonic() - started)
            event = parse_event(line)
            if event is None:
                if line.startswith(("ERROR!", "[ERROR]")):
                    say(f"  [{stamp}]   !! {line.rstrip()[:300]}")
                continue
            events.append(event)
            shown = progress_line(event)
            if shown:
                say("\n".join(f"  [{stamp}] {part}" for part in shown.splitlines()))
        proc.wait()
    return proc.returncode, events, time.monotonic() - started


def remote(info: dict, command: str, stdin: str | None = None) -> str:
    """Run a command on a lab VM over SSH (vmctl's ssh command line); return stdout ('' on failure)."""
    try:
        result = subprocess.run(
            vm_harness.ssh_command(info, command),
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def node_summary(report: dict | None) -> dict[str, str]:
    """Turn one VM's observe_node.py report into the summary's fields (by name, never by position)."""
    report = report or {}

    def rows(lvm_report: dict | None, kind: str) -> list[dict]:
        return [row for part in (lvm_report or {}).get("report", []) for row in part.get(kind, [])]

    vgs = " ".join(
        f"{row['vg_name']}={float(row['vg_size']):.1f}/{float(row['vg_free']):.1f}G"
        for row in rows(report.get("vgs"), "vg")
    )
    pools = " ".join(f"{row['vg_name']}/{row['lv_name']}" for row in rows(report.get("thin_pools"), "lv"))
    vips = " ".join(
        f"{addr['local']}/{addr['prefixlen']}"
        for link in report.get("loopback") or []
        for addr in link.get("addr_info", [])
        if addr.get("family", "inet") == "inet" and not str(addr.get("local", "")).startswith("127.")
    )
    units = report.get("units") or {}
    config = report.get("scheduler_config")
    return {
        "vgs": vgs or "-",
        "thin_pools": pools or "-",
        "lvmd": units.get("lvmd.service") or "-",
        "health_double": units.get("lvmkube-lab-kube-scheduler-health-double.service") or "-",
        "swaps": "?" if report.get("swaps") is None else str(report["swaps"]),
        "scheduler_config": "-" if config is None else ("1" if config else "0"),
        "vips": vips or "-",
    }


def observe(infos: list[dict]) -> dict[str, dict]:
    """Read what the run left on each VM: VGs with sizes, thin pools, services, swap, scheduler manifest."""
    script = OBSERVE_SCRIPT.read_text(encoding="utf-8")
    found = {}
    for info in infos:
        text = remote(info, "python3 -", stdin=script)
        try:
            report = json.loads(text) if text else None
        except ValueError:
            report = None
        found[info["name"]] = node_summary(report)
    return found


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt.format(*header), rule, *(fmt.format(*map(str, row)) for row in rows)])


def summary(first: dict, second: dict, found: dict, render_dir: Path, hosts: dict[str, str] | None = None) -> str:
    rows = []
    for name, group in (hosts or lab_hosts()).items():
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

    code, events1, first_seconds = run_playbook(LAB_PLAYBOOK, inv, LAB_DIR / "run-1.log", "first run of site.yml")
    first = recap(events1)
    if code != 0:
        say(f"lab: recap of the first run: {json.dumps(first, sort_keys=True)}")
        say(f"lab: FAILED: the first run of site.yml failed (exit {code}); log {LAB_DIR / 'run-1.log'}")
        return 1
    code, events2, second_seconds = run_playbook(
        LAB_PLAYBOOK, inv, LAB_DIR / "run-2.log", "second run (must change nothing)"
    )
    second = recap(events2)
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
