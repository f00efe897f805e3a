# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of the lvmkube.cluster.sakuracloud inventory plugin (``make bench-inventory``).

10,000 servers over the 6 zones are served by the Sakura Cloud API double on
127.0.0.1 (tests/integration/inventory/sakura_api_double.py). Whole-process wall
times of ``ansible-inventory --list`` are compared as ratios of medians:

* cold, no delay / the same hosts, groups and vars from a static JSON file: target <= 0.8
* cold, 50 ms per response / cold, no delay: target <= 1.2
* cached / cold, no delay: target <= 1.0, and the API double counts zero requests
* a cluster of 20 servers among the 10,000 (tag ``@cluster=small``), read with the API's tag
  filter and without it (``server_side_filter: false``): requests, bytes read and wall time
  (the filtered run must read only the cluster's servers: target 20)

It prints the numbers; it asserts nothing about time (exit status 0 unless a run fails).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integration" / "inventory"))

from sakura_api_double import ALL_ZONES, SakuraApiDouble, generate_servers  # noqa: E402

TOKEN = "bench-token"
SECRET = "bench-secret"


def plain(value):
    """Drop the ``__ansible_unsafe`` wrappers of ``ansible-inventory --list`` output."""
    if isinstance(value, dict):
        if len(value) == 1 and "__ansible_unsafe" in value:
            return value["__ansible_unsafe"]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def static_inventory(listing):
    """Turn ``--list`` output into a YAML-plugin inventory (JSON syntax) with the same hosts, groups and vars."""
    hostvars = plain(listing["_meta"]["hostvars"])
    skip = {"inventory_file", "inventory_dir"}
    groups = {}
    for name, entry in listing.items():
        if name in ("_meta", "all"):
            continue
        group = {}
        hosts = entry.get("hosts") or []
        if hosts:
            group["hosts"] = {h: None for h in hosts}
        if entry.get("children"):
            group["children"] = {c: None for c in entry["children"]}
        groups[name] = group
    # Host vars once, on the host's entry in the all-hosts group.
    holder = groups["sakuracloud"]["hosts"]
    for host, hvars in hostvars.items():
        holder[host] = {k: v for k, v in hvars.items() if k not in skip}
    return {"all": {"children": groups}}


CPU = {}
SMALL_CLUSTER_SIZE = 20


def mark_small_cluster(data, size):
    """Move ``size`` servers, spread over the zones, from ``@cluster=bench`` to ``@cluster=small``."""
    names = []
    servers = [s for zone in sorted(data) for s in data[zone]]
    step = max(1, len(servers) // size)
    for server in servers[::step][:size]:
        server["Tags"] = ["@cluster=small" if t == "@cluster=bench" else t for t in server["Tags"]]
        names.append(server["Name"])
    return names


def run(cmd, env, key=None):
    """Run one command; return its wall time and record its CPU time (user + system) under ``key``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if key:
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        CPU.setdefault(key, []).append(cpu)
    if proc.returncode != 0:
        raise SystemExit("command failed ({}): {}\n{}".format(proc.returncode, " ".join(cmd), proc.stderr[-2000:]))
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--delay-ms", type=float, default=50.0)
    parser.add_argument("--page-cap", type=int, default=1000, help="servers per page the API double returns at most")
    args = parser.parse_args()

    zones = list(ALL_ZONES)
    data = generate_servers(args.servers, zones)
    small = mark_small_cluster(data, SMALL_CLUSTER_SIZE)
    inventory_cmd = str(ROOT / ".venv" / "bin" / "ansible-inventory")
    if not os.path.exists(inventory_cmd):
        inventory_cmd = "ansible-inventory"
    env = dict(os.environ)
    env["ANSIBLE_CONFIG"] = str(ROOT / "ansible.cfg")
    env["ANSIBLE_COLLECTIONS_PATH"] = str(ROOT / "build" / "collections")
    env["ANSIBLE_LOCALHOST_WARNING"] = "false"
    env["ANSIBLE_INVENTORY_UNPARSED_WARNING"] = "false"
    for name in ("SAKURACLOUD_ACCESS_TOKEN", "SAKURACLOUD_ACCESS_TOKEN_SECRET", "CLUSTER", "USACLOUD_PROFILE"):
        env.pop(name, None)

    with (
        tempfile.TemporaryDirectory(prefix="bench-inventory-") as tmpdir,
        SakuraApiDouble(data, TOKEN, SECRET, page_cap=args.page_cap) as api,
    ):
        tmp = Path(tmpdir)
        env["HOME"] = str(tmp)  # no usacloud profile, no stray cache
        base = {
            "plugin": "lvmkube.cluster.sakuracloud",
            "api_root_url": api.url,
            "access_token": TOKEN,
            "access_token_secret": SECRET,
            "zones": zones,
        }
        cold = tmp / "cold.sakuracloud.yml"
        cold.write_text(json.dumps(base))
        cached = tmp / "cached.sakuracloud.yml"
        cached.write_text(
            json.dumps(
                dict(
                    base,
                    cache=True,
                    cache_plugin="ansible.builtin.jsonfile",
                    cache_connection=str(tmp / "cache"),
                    cache_timeout=3600,
                )
            )
        )

        listing = subprocess.run(
            [inventory_cmd, "-i", str(cold), "--list"], env=env, capture_output=True, text=True, check=True
        ).stdout
        parsed = json.loads(listing)
        hosts = len(parsed["_meta"]["hostvars"])
        static = tmp / "static.json"
        static.write_text(json.dumps(static_inventory(parsed)))
        # The static file must give the same hosts and groups.
        again = json.loads(
            subprocess.run(
                [inventory_cmd, "-i", str(static), "--list"], env=env, capture_output=True, text=True, check=True
            ).stdout
        )
        groups_plugin = sorted(k for k in parsed if k != "_meta")
        groups_static = sorted(k for k in again if k != "_meta")
        if len(again["_meta"]["hostvars"]) != hosts or groups_plugin != groups_static:
            raise SystemExit("static inventory does not match the plugin output")

        small_files = {}
        for label, server_side in (("filtered", True), ("unfiltered", False)):
            small_files[label] = tmp / f"small-{label}.sakuracloud.yml"
            small_files[label].write_text(
                json.dumps(dict(base, cluster="@cluster=small", server_side_filter=server_side))
            )
        small_stats = {}
        for label, path in small_files.items():
            api.reset_counts()
            listed = subprocess.run(
                [inventory_cmd, "-i", str(path), "--list"], env=env, capture_output=True, text=True, check=True
            ).stdout
            found = len(json.loads(listed)["_meta"]["hostvars"])
            if found != len(small):
                raise SystemExit(f"the small cluster has {found} hosts when {label}, expected {len(small)}")
            small_stats[label] = {
                "requests": api.request_count,
                "bytes": api.bytes_sent,
                "servers": sum(r.get("servers", 0) for r in api.requests),
            }

        run([inventory_cmd, "-i", str(cached), "--list"], env)  # fills the cache
        times = {"static": [], "cold": [], "cold_delay": [], "cached": [], "filtered": [], "unfiltered": []}
        cached_requests = 0
        for _run in range(args.runs):
            times["static"].append(run([inventory_cmd, "-i", str(static), "--list"], env, "static"))
            api.delay = 0.0
            times["cold"].append(run([inventory_cmd, "-i", str(cold), "--list"], env, "cold"))
            api.delay = args.delay_ms / 1000.0
            times["cold_delay"].append(run([inventory_cmd, "-i", str(cold), "--list"], env, "cold_delay"))
            api.delay = 0.0
            before = api.request_count
            times["cached"].append(run([inventory_cmd, "-i", str(cached), "--list"], env, "cached"))
            cached_requests += api.request_count - before
            for label, path in small_files.items():
                times[label].append(run([inventory_cmd, "-i", str(path), "--list"], env, label))

    med = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"sakuracloud inventory benchmark: {hosts} hosts, {len(zones)} zones, "
        f"page cap {args.page_cap}, {args.runs} runs each (medians)"
    )
    for key, label in (
        ("static", "static JSON file"),
        ("cold", "plugin, cold, no delay"),
        ("cold_delay", f"plugin, cold, {args.delay_ms:g} ms per response"),
        ("cached", "plugin, cached"),
    ):
        runs = ", ".join(f"{t:.2f}" for t in times[key])
        cpu = statistics.median(CPU[key])
        print(f"  {label:<40} {med[key]:7.2f} s wall, {cpu:6.2f} s CPU   (wall runs: {runs})")
    rows = (
        ("cold / static JSON", med["cold"] / med["static"], 0.8),
        (f"cold {args.delay_ms:g} ms / cold 0 ms", med["cold_delay"] / med["cold"], 1.2),
        ("cached / cold", med["cached"] / med["cold"], 1.0),
    )
    for label, ratio, target in rows:
        verdict = "met" if ratio <= target else "MISSED"
        print(f"  ratio {label:<32} {ratio:5.2f}x  target <= {target:.1f}x  {verdict}")
    cpu_static = statistics.median(CPU["static"])
    print(f"  (CPU-time ratio cold / static JSON: {statistics.median(CPU['cold']) / cpu_static:.2f}x, ")
    print(
        f"   cached / static JSON: {statistics.median(CPU['cached']) / cpu_static:.2f}x; less sensitive to a busy host)"
    )
    verdict = "met" if cached_requests == 0 else "MISSED"
    print(f"  requests during cached runs: {cached_requests} (target 0) {verdict}")
    print(f"  cluster of {len(small)} servers among {hosts}:")
    for label in ("filtered", "unfiltered"):
        stats = small_stats[label]
        print(
            f"    {label:<10} (server_side_filter {label == 'filtered'!s:<5}) {stats['requests']:3d} requests, "
            f"{stats['bytes'] / 1e6:7.3f} MB, {stats['servers']:6d} servers read, {med[label]:5.2f} s wall"
        )
    ratio = small_stats["filtered"]["bytes"] / small_stats["unfiltered"]["bytes"]
    verdict = "met" if small_stats["filtered"]["servers"] == len(small) else "MISSED"
    print(
        f"  ratio filtered / unfiltered: bytes {ratio:.4f}x, wall {med['filtered'] / med['unfiltered']:.2f}x; "
        f"servers read filtered {small_stats['filtered']['servers']} (target {len(small)}) {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
