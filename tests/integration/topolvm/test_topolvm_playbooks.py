# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The deploy_topolvm and smoke_test playbooks: syntax, and deploy_topolvm end to end in render mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from k8s_schema_helpers import shipped_versions, validate_object

ROOT = Path(__file__).resolve().parents[3]
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"

pytestmark = pytest.mark.slow


def run(*args):
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
    )
    return subprocess.run(
        [str(ANSIBLE_PLAYBOOK), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.parametrize("playbook", ["deploy_topolvm", "smoke_test"])
def test_syntax(playbook):
    proc = run("--syntax-check", f"lvmkube.cluster.{playbook}")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_deploy_playbook_renders_without_a_cluster(tmp_path):
    out = tmp_path / "out"
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(
        yaml.safe_dump(
            {
                "all": {
                    "children": {
                        "kube_control_plane": {
                            "hosts": {
                                "cp1": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
                            }
                        }
                    }
                }
            }
        )
    )
    extra = tmp_path / "extra.json"
    extra.write_text(
        json.dumps(
            {
                "topolvm_output": "render",
                "topolvm_render_dir": str(out),
                "topolvm_kubernetes_version": "1.24",
                "lvmkube_device_classes": [{"name": "ssd", "volume_group": "vg0", "default": True}],
            }
        )
    )
    proc = run("-i", str(inventory), "-e", f"@{extra}", "lvmkube.cluster.deploy_topolvm")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    # storage-capacity: the kube-scheduler play has nothing to do.
    assert "Configure kube-scheduler for the TopoLVM extender" in proc.stdout
    assert "included:" not in proc.stdout.split("Point kube-scheduler at topolvm-scheduler")[1]
    names = sorted(p.name for p in out.glob("[0-9]*.yaml"))
    kinds = [yaml.safe_load((out / n).read_text())["kind"] for n in names]
    assert kinds.count("StorageClass") == 1
    assert "MutatingWebhookConfiguration" not in kinds
    for name in names:
        assert validate_object(yaml.safe_load((out / name).read_text()), shipped_versions()[0]) == "validated"
