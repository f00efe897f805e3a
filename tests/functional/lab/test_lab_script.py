# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parts of `make lab` that run without VMs: inventory, recap parsing, preflight, summary, syntax."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("lab_script", REPO / "scripts" / "lab" / "lab.py")
lab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lab)

INFOS = [
    {"name": name, "address": "127.0.0.1", "port": 2200 + i, "user": "root", "identity_file": "/keys/id"}
    for i, name in enumerate(["cp1", "w1", "w2"])
]

RECAP = """\
PLAY RECAP *********************************************************************
cp1                        : ok=50   changed=12   unreachable=0    failed=0    skipped=9    rescued=0    ignored=0
localhost                  : ok=6    changed=0    unreachable=0    failed=0    skipped=3    rescued=0    ignored=0
w1                         : ok=40   changed=0    unreachable=0    failed=0    skipped=7    rescued=0    ignored=0
"""


def ansible(tool, *args):
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return subprocess.run(
        [str(Path(sys.executable).parent / tool), *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )


def test_parse_recap():
    recap = lab.parse_recap("PLAY [x]\nok: [cp1]\n" + RECAP)
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
    assert lab.parse_recap("no recap here") == {}


def test_vm_specs_have_two_data_disks_each():
    specs = lab.vm_specs(suite="trixie", disk_size="2G")
    assert [s["name"] for s in specs] == ["cp1", "w1", "w2"]
    assert all(s["disks"] == ["data1:2G", "data2:2G"] and s["cpus"] == 1 and s["suite"] == "trixie" for s in specs)


def test_inventory_needs_every_vm():
    with pytest.raises(lab.LabError, match="w2"):
        lab.inventory(INFOS[:2])


@pytest.mark.slow
def test_written_inventory_loads_and_lab_playbook_passes_syntax_check(tmp_path):
    path = lab.write_inventory(INFOS, lab_dir=tmp_path)
    listing = ansible("ansible-inventory", "-i", str(path), "--list")
    assert listing.returncode == 0, listing.stderr
    data = json.loads(listing.stdout)
    hostvars = data["_meta"]["hostvars"]
    assert hostvars["w2"]["ansible_port"] == 2202
    assert hostvars["w1"]["dsr_vips"] == ["10.255.0.100"]
    assert "dsr_vips" not in hostvars["cp1"]
    assert hostvars["cp1"]["topolvm_output"] == "render"
    assert hostvars["cp1"]["lvmd_install_method"] == "controller_file"
    assert hostvars["cp1"]["lvmd_controller_file"].endswith("tests/doubles/lvmd/lvmd_double.py")
    assert data["kube_control_plane"]["hosts"] == ["cp1"]
    assert sorted(data["lvmkube_storage"]["hosts"]) == ["cp1", "w1", "w2"]
    syntax = ansible("ansible-playbook", "-i", str(path), "scripts/lab/lab.yml", "--syntax-check")
    assert syntax.returncode == 0, syntax.stdout + syntax.stderr


def test_preflight_names_missing_parts(tmp_path):
    (tmp_path / "roles" / "lvm" / "tasks").mkdir(parents=True)
    (tmp_path / "roles" / "lvm" / "tasks" / "main.yml").write_text("---\n")
    missing = lab.missing_parts(tmp_path)
    assert "scripts/vm/vmctl.py (VM harness (issue 4))" in missing
    assert not any(item.startswith("roles/lvm/") for item in missing)


def test_summary_table(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n")
    found = {
        "cp1": {"vgs": "topolvm-ssd=4.0/4.0G", "thin_pools": "topolvm-thin/pool0", "lvmd": "active",
                "health_double": "active", "swaps": "0", "scheduler_config": "1", "vips": "-"},
    }  # fmt: skip
    text = lab.summary(
        lab.parse_recap(RECAP), lab.parse_recap(RECAP.replace("changed=12", "changed=0")), found, tmp_path
    )
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["host", "group"]
    cp1 = next(line for line in lines if line.startswith("cp1"))
    assert "kube_control_plane" in cp1 and "12" in cp1 and "topolvm-ssd=4.0/4.0G" in cp1
    assert "lvmd(double):active" in cp1 and "kube-scheduler --config:yes" in cp1
    assert f"{tmp_path} - 1 files" in text
    assert "Smoke test: skipped" in text
