# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs ON a lab VM (scripts/lab/lab.py pipes it to `python3 -` over SSH): prints one JSON object.

It reports the tools' own structured output (LVM's JSON report, iproute2's JSON), raw, so that
lab.py reads fields by name: {"vgs": <vgs report>, "thin_pools": <lvs report>, "units": {unit:
ActiveState}, "swaps": n, "scheduler_config": true/false/null, "loopback": <ip -j addr show dev lo>}.
A tool that fails or is missing gives null. Standard library only (the VM's python3).
"""

import json
import subprocess

UNITS = ("lvmd.service", "lvmkube-lab-kube-scheduler-health-double.service")
SCHEDULER_MANIFEST = "/etc/kubernetes/manifests/kube-scheduler.yaml"


def run_json(*cmd):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=60)
        return json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def active_state(unit):
    try:
        done = subprocess.run(
            ["systemctl", "show", "--property=ActiveState", "--value", unit],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def swap_count():
    with open("/proc/swaps", encoding="utf-8") as handle:
        return len(handle.read().splitlines()[1:])


def scheduler_config():
    try:
        with open(SCHEDULER_MANIFEST, encoding="utf-8") as handle:
            return "--config=" in handle.read()
    except OSError:
        return None


report = {
    "vgs": run_json("vgs", "--reportformat", "json", "--units", "g", "--nosuffix", "-o", "vg_name,vg_size,vg_free"),
    "thin_pools": run_json("lvs", "--reportformat", "json", "-S", "lv_attr=~^t", "-o", "vg_name,lv_name"),
    "units": {unit: active_state(unit) for unit in UNITS},
    "swaps": swap_count(),
    "scheduler_config": scheduler_config(),
    "loopback": run_json("ip", "-j", "-4", "addr", "show", "dev", "lo"),
}
print(json.dumps(report))
