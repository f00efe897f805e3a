# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench-node-prep`: node preparation on three fresh lab VMs, first run against second run.

    python scripts/bench/bench_node_prep.py [--keep] [--playbook prepare_nodes --playbook prepare_storage]

Boots cp1, w1, w2 like `make lab` but in build/bench/vms with new disks, runs each playbook twice
and prints wall times, the second/first ratio (target <= 0.5) and the task counts per host from the
play recap. It prints numbers only and asserts nothing about time. The VMs are stopped at the end
unless --keep. It refuses to start while the lab's own VMs run (one VM workload at a time).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lab"))

import lab  # scripts/lab/lab.py, found through the path above

BENCH_DIR = lab.REPO / "build" / "bench"
TARGET_RATIO = 0.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="leave the VMs running")
    parser.add_argument(
        "--playbook",
        action="append",
        choices=["prepare_nodes", "prepare_storage"],
        help="playbooks to measure (default: prepare_nodes and prepare_storage)",
    )
    args = parser.parse_args(argv)
    playbooks = args.playbook or ["prepare_nodes", "prepare_storage"]
    missing = lab.missing_parts()
    if missing:
        print("bench: cannot run, missing:", *missing, sep="\n  - ")
        return 2
    if any(vm.get("running") for vm in lab.vm_status(lab.LAB_DIR / "vms")):
        print("bench: the lab's VMs are running; stop them with `make lab-down` first (one VM workload at a time)")
        return 2
    state_dir = BENCH_DIR / "vms"
    if any(vm.get("running") for vm in lab.vm_status(state_dir)):
        lab.vmctl("down", "--state-dir", str(state_dir), capture=False)
    if state_dir.exists():
        shutil.rmtree(state_dir)
    results = []
    try:
        infos, boot_seconds = lab.boot(state_dir, fresh=True)
        inv = lab.write_inventory(infos, lab_dir=BENCH_DIR)
        for name in playbooks:
            playbook = lab.REPO / "playbooks" / f"{name}.yml"
            runs = []
            for attempt in (1, 2):
                code, events, seconds = lab.run_playbook(
                    playbook, inv, BENCH_DIR / f"{name}-{attempt}.log", f"{name}, run {attempt}"
                )
                if code != 0:
                    print(
                        f"bench: {name} run {attempt} failed (exit {code}); log {BENCH_DIR / f'{name}-{attempt}.log'}"
                    )
                    return 1
                runs.append((seconds, lab.recap(events)))
            results.append((name, runs))
    finally:
        if not args.keep:
            lab.vmctl("down", "--state-dir", str(state_dir), capture=False)

    print(f"\nNode preparation on 3 fresh VMs ({lab.SUITE}, TCG, 1 vCPU each; boot {boot_seconds:.0f} s)\n")
    rows = []
    for name, ((first_s, first), (second_s, second)) in results:
        ratio = second_s / first_s
        verdict = "meets" if ratio <= TARGET_RATIO else "misses"
        rows.append(
            [name, "all", f"{first_s:.0f} s", f"{second_s:.0f} s", f"{ratio:.2f} ({verdict} <= {TARGET_RATIO})"]
        )
        for host in sorted(first):
            a, b = first[host], second.get(host, {})
            tasks = "ok={ok} changed={changed} skipped={skipped}"
            rows.append([name, host, tasks.format(**{k: a.get(k, 0) for k in ("ok", "changed", "skipped")}),
                         tasks.format(**{k: b.get(k, 0) for k in ("ok", "changed", "skipped")}), ""])  # fmt: skip
    print(lab.table(rows, ["playbook", "host", "first run", "second run", "second / first"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
