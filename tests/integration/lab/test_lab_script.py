# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parts of `make lab` that run without VMs: inventory, jsonl events, node reports, preflight, summary, syntax."""

from __future__ import annotations

import importlib.util
import json
import subprocess

import pytest
from playbook_helpers import REPO, ansible_tool

_spec = importlib.util.spec_from_file_location("lab_script", REPO / "scripts" / "lab" / "lab.py")
lab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lab)

INFOS = [
    {"name": name, "address": "127.0.0.1", "port": 2200 + i, "user": "root", "identity_file": "/keys/id"}
    for i, name in enumerate(["cp1", "w1", "w2"])
]


def stats_event(stats):
    """A v2_playbook_on_stats line as ansible.posix.jsonl writes it (keys of stats.summarize())."""
    return json.dumps(
        {
            "_event": "v2_playbook_on_stats",
            "_timestamp": "2026-12-02T05:00:00.000000Z",
            "custom_stats": {},
            "global_custom_stats": {},
            "stats": stats,
        },
        separators=(",", ":"),
        sort_keys=True,
    )


def counts(ok, changed, skipped):
    zero = {"failures": 0, "ignored": 0, "rescued": 0, "unreachable": 0}
    return {"changed": changed, "ok": ok, "skipped": skipped, **zero}


RECAP = stats_event({"cp1": counts(50, 12, 9), "localhost": counts(6, 0, 3), "w1": counts(40, 0, 7)})
RECAP_SECOND = stats_event({"cp1": counts(50, 0, 9), "localhost": counts(6, 0, 3), "w1": counts(40, 0, 7)})

# One lab VM's observe_node.py report: the vgs/lvs JSON reports of LVM (--reportformat json) and
# iproute2's `ip -j -4 addr show dev lo`, in the shapes those tools print.
NODE_REPORT = {
    "vgs": {
        "report": [
            {
                "vg": [
                    {"vg_name": "topolvm-ssd", "vg_size": "4.00", "vg_free": "4.00"},
                    {"vg_name": "topolvm-thin", "vg_size": "4.00", "vg_free": "0.40"},
                ]
            }
        ]
    },
    "thin_pools": {"report": [{"lv": [{"vg_name": "topolvm-thin", "lv_name": "pool0"}]}]},
    "units": {"lvmd.service": "active", "lvmkube-lab-kube-scheduler-health-double.service": "active"},
    "swaps": 0,
    "scheduler_config": True,
    "loopback": [
        {
            "ifindex": 1,
            "ifname": "lo",
            "flags": ["LOOPBACK", "UP", "LOWER_UP"],
            "mtu": 65536,
            "qdisc": "noqueue",
            "operstate": "UNKNOWN",
            "group": "default",
            "txqlen": 1000,
            "addr_info": [
                {"family": "inet", "local": "127.0.0.1", "prefixlen": 8, "scope": "host", "label": "lo"},
                {"family": "inet", "local": "10.255.0.100", "prefixlen": 32, "scope": "global", "label": "lo"},
            ],
        }
    ],
}


def test_recap_from_jsonl_stats():
    recap = lab.recap(lab.parse_events('{"_event":"v2_playbook_on_play_start","play":{"name":"x"}}\n' + RECAP))
    assert recap["cp1"]["changed"] == 12 and recap["cp1"]["skipped"] == 9
    assert recap["w1"] == {
        "ok": 40,
        "changed": 0,
        "unreachable": 0,
        "failed": 0,
        "skipped": 7,
        "rescued": 0,
        "ignored": 0,
    }
    assert set(recap) == {"cp1", "localhost", "w1"}
    assert lab.recap(lab.parse_events("no recap here\n[WARNING]: {not json")) == {}


def test_progress_lines_name_plays_tasks_and_failures():
    play = {"_event": "v2_playbook_on_play_start", "play": {"name": "Prepare nodes"}}
    task = {"_event": "v2_playbook_on_task_start", "task": {"name": "Install the LVM tools"}, "hosts": {}}
    failed = {
        "_event": "v2_runner_on_failed",
        "task": {"name": "Install the LVM tools"},
        "hosts": {"w1": {"failed": True, "msg": "No package matching 'lvm3'"}},
    }
    unreachable = {
        "_event": "v2_runner_on_unreachable",
        "task": {"name": "Probe"},
        "hosts": {"w2": {"unreachable": True, "msg": "Failed to connect to the host via ssh"}},
    }
    assert lab.progress_line(play) == "== Prepare nodes"
    assert lab.progress_line(task) == "     Install the LVM tools"
    assert lab.progress_line(failed) == "  !! w1: Install the LVM tools: failed: No package matching 'lvm3'"
    assert lab.progress_line(unreachable) == "  !! w2: Probe: unreachable: Failed to connect to the host via ssh"
    assert lab.progress_line({"_event": "v2_runner_on_ok", "task": {"name": "x"}, "hosts": {}}) is None


def test_run_playbook_reads_the_real_jsonl_callback(tmp_path, capsys):
    """run_playbook against the real ansible.posix.jsonl output: recap and progress come from its events."""
    playbook = tmp_path / "play.yml"
    playbook.write_text(
        "- name: Local play\n  hosts: localhost\n  gather_facts: false\n  tasks:\n"
        "    - name: Report a change\n      ansible.builtin.command: 'true'\n"
        "    - name: Fail and be ignored\n      ansible.builtin.command: 'false'\n      ignore_errors: true\n"
    )
    inv = lab.write_inventory(INFOS, lab_dir=tmp_path)
    code, events, seconds = lab.run_playbook(playbook, inv, tmp_path / "run.log", "test run")
    assert code == 0 and seconds > 0
    assert lab.recap(events)["localhost"] == {
        "ok": 2,
        "changed": 2,
        "unreachable": 0,
        "failed": 0,
        "skipped": 0,
        "rescued": 0,
        "ignored": 1,
    }
    shown = capsys.readouterr().out
    assert "== Local play" in shown and "     Report a change" in shown
    assert "!! localhost: Fail and be ignored: failed: " in shown
    logged = [line for line in (tmp_path / "run.log").read_text().splitlines() if line.startswith("{")]
    assert logged and all(lab.parse_event(line) for line in logged)


def test_node_summary_reads_reports_by_name():
    found = lab.node_summary(NODE_REPORT)
    assert found == {
        "vgs": "topolvm-ssd=4.0/4.0G topolvm-thin=4.0/0.4G",
        "thin_pools": "topolvm-thin/pool0",
        "lvmd": "active",
        "health_double": "active",
        "swaps": "0",
        "scheduler_config": "1",
        "vips": "10.255.0.100/32",
    }
    # An unreachable VM or a missing tool (null in the report) shows as unknown, not as a shifted column.
    assert lab.node_summary(None) == {
        "vgs": "-",
        "thin_pools": "-",
        "lvmd": "-",
        "health_double": "-",
        "swaps": "?",
        "scheduler_config": "-",
        "vips": "-",
    }
    partial = lab.node_summary(dict(NODE_REPORT, vgs=None, scheduler_config=False))
    assert partial["vgs"] == "-" and partial["scheduler_config"] == "0"
    assert partial["thin_pools"] == "topolvm-thin/pool0"


def test_observe_script_runs_here_and_prints_one_json_object():
    """scripts/lab/observe_node.py on this machine (no lab units, maybe no LVM): a JSON object of the known keys."""
    done = subprocess.run(
        ["python3", "-"], input=lab.OBSERVE_SCRIPT.read_text(), capture_output=True, text=True, check=True, timeout=120
    )
    report = json.loads(done.stdout)
    assert set(report) == {"vgs", "thin_pools", "units", "swaps", "scheduler_config", "loopback"}
    assert isinstance(report["swaps"], int)
    assert set(lab.node_summary(report)) == set(lab.node_summary(NODE_REPORT))


def test_remote_uses_vmctl_ssh_command(monkeypatch):
    seen = {}

    def fake_run(cmd, **kwargs):
        seen["cmd"], seen["input"] = cmd, kwargs.get("input")
        return subprocess.CompletedProcess(cmd, 0, stdout='{"a": 1}\n', stderr="")

    monkeypatch.setattr(lab.subprocess, "run", fake_run)
    assert lab.remote(INFOS[1], "python3 -", stdin="print(1)") == '{"a": 1}'
    assert seen["cmd"] == lab.vm_harness.ssh_command(INFOS[1], "python3 -")
    assert seen["input"] == "print(1)"


def test_lab_hosts_come_from_the_inventory_directory():
    assert lab.lab_hosts() == {"cp1": "kube_control_plane", "w1": "kube_node", "w2": "kube_node"}


def test_vm_specs_have_two_data_disks_each():
    specs = lab.vm_specs(suite="trixie", disk_size="2G")
    assert [s["name"] for s in specs] == ["cp1", "w1", "w2"]
    assert all(s["disks"] == ["data1:2G", "data2:2G"] and s["cpus"] == 1 and s["suite"] == "trixie" for s in specs)


def test_inventory_needs_every_vm():
    with pytest.raises(lab.LabError, match="w2"):
        lab.inventory(INFOS[:2])


def test_written_inventory_holds_only_run_time_details(tmp_path):
    path = lab.write_inventory(INFOS, lab_dir=tmp_path)
    data = json.loads(path.read_text().split("\n", 2)[2])
    assert data["all"]["vars"] == {"lvmkube_lab_checkout": str(REPO), "lvmkube_lab_dir": str(tmp_path)}
    assert set(data["all"]) == {"vars", "hosts"}
    assert all(set(host) == {"ansible_host", "ansible_port", "ansible_user", "ansible_ssh_private_key_file"}
               for host in data["all"]["hosts"].values())  # fmt: skip
    assert lab.inventory_args(path) == ["-i", str(REPO / "inventories" / "lab"), "-i", str(path)]


@pytest.mark.slow
def test_lab_inventory_loads_and_lab_playbook_passes_syntax_check(tmp_path):
    path = lab.write_inventory(INFOS, lab_dir=tmp_path)
    listing = ansible_tool("ansible-inventory", *lab.inventory_args(path), "--list")
    assert listing.returncode == 0, listing.stderr
    data = json.loads(listing.stdout)
    hostvars = data["_meta"]["hostvars"]
    assert hostvars["w2"]["ansible_port"] == 2202
    assert hostvars["w1"]["dsr_vips"] == ["10.255.0.100"]
    assert "dsr_vips" not in hostvars["cp1"]
    assert hostvars["cp1"]["topolvm_output"] == "render"
    assert hostvars["cp1"]["lvmd_install_method"] == "controller_file"
    # Rendered by ansible: "{{ lvmkube_lab_checkout }}/tests/doubles/lvmd/lvmd_double.py".
    assert hostvars["cp1"]["lvmd_controller_file"].endswith("tests/doubles/lvmd/lvmd_double.py")
    assert hostvars["cp1"]["lvmd_controller_file"].startswith("{{ lvmkube_lab_checkout }}/")
    assert hostvars["cp1"]["lvmkube_lab_checkout"] == str(REPO)
    assert hostvars["cp1"]["topolvm_render_dir"] == "{{ lvmkube_lab_dir }}/topolvm-manifests"
    assert hostvars["cp1"]["lvmkube_lab_dir"] == str(tmp_path)
    assert [item["name"] for item in hostvars["w1"]["lvmkube_device_classes"]] == ["ssd", "ssd-thin"]
    assert data["kube_control_plane"]["hosts"] == ["cp1"]
    assert sorted(data["lvmkube_storage"]["hosts"]) == ["cp1", "w1", "w2"]
    # The lab's directory alone is a complete read of its groups and variables.
    alone = json.loads(ansible_tool("ansible-inventory", "-i", str(lab.LAB_INVENTORY), "--list").stdout)
    assert alone["_meta"]["hostvars"]["w1"]["topolvm_distribution"] == "kubeadm"
    syntax = ansible_tool("ansible-playbook", *lab.inventory_args(path), "scripts/lab/lab.yml", "--syntax-check")
    assert syntax.returncode == 0, syntax.stdout + syntax.stderr


def test_preflight_names_missing_parts(tmp_path):
    (tmp_path / "roles" / "lvm" / "tasks").mkdir(parents=True)
    (tmp_path / "roles" / "lvm" / "tasks" / "main.yml").write_text("---\n")
    missing = lab.missing_parts(tmp_path)
    assert "scripts/vm/vmctl.py (VM harness)" in missing
    assert not any(item.startswith("roles/lvm/") for item in missing)


def test_summary_table(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n")
    found = {
        "cp1": {"vgs": "topolvm-ssd=4.0/4.0G", "thin_pools": "topolvm-thin/pool0", "lvmd": "active",
                "health_double": "active", "swaps": "0", "scheduler_config": "1", "vips": "-"},
    }  # fmt: skip
    text = lab.summary(lab.recap(lab.parse_events(RECAP)), lab.recap(lab.parse_events(RECAP_SECOND)), found, tmp_path)
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["host", "group"]
    cp1 = next(line for line in lines if line.startswith("cp1"))
    assert "kube_control_plane" in cp1 and "12" in cp1 and "topolvm-ssd=4.0/4.0G" in cp1
    assert "lvmd(double):active" in cp1 and "kube-scheduler --config:yes" in cp1
    assert f"{tmp_path} - 1 files" in text
    assert "Smoke test: skipped" in text
