# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The playbook lvmkube.cluster.kube_scheduler (serial 1, group kube_control_plane) with three control-plane hosts.

Three inventory hosts on this machine (local connection), each with its own directories. RKE1 changes
cluster.yml once, in the last batch, after every host has its files; kubeadm changes each host's manifest one
batch at a time, each host against its own health double.
"""

from __future__ import annotations

import sys

import playbook_helpers
import pytest
import yaml
from helpers.kube_scheduler import FIXTURES

from .conftest import ROOT

pytestmark = pytest.mark.slow

HOSTS = ("cp1", "cp2", "cp3")


def run_site_playbook(tmp_path, inventory_text, *extra):
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(inventory_text)
    proc = playbook_helpers.run_playbook(
        ROOT / "playbooks" / "kube_scheduler.yml", *extra, inventory=inventory, timeout=600
    )
    return proc.returncode, proc.stdout + proc.stderr


def inventory(tmp_path, common, per_host):
    hosts = {
        name: dict(
            ansible_connection="local",
            ansible_become=False,
            ansible_python_interpreter=sys.executable,
            kube_scheduler_config_dir=f"{tmp_path}/{name}/scheduler",
            **per_host(name),
        )
        for name in HOSTS
    }
    return yaml.safe_dump({"all": {"children": {"kube_control_plane": {"hosts": hosts, "vars": common}}}})


def test_rke1_with_three_control_planes_changes_cluster_yml_once(tmp_path):
    (tmp_path / "rke").mkdir()
    cluster_yml = tmp_path / "rke" / "cluster.yml"
    cluster_yml.write_text((FIXTURES / "rke1-cluster.yml.txt").read_text())
    common = {"kube_scheduler_distribution": "rke1", "kube_scheduler_rke1_cluster_yml": str(cluster_yml)}
    rc, out = run_site_playbook(tmp_path, inventory(tmp_path, common, lambda name: {}))
    assert rc == 0, out
    assert out.count("TASK [lvmkube.cluster.kube_scheduler : Edit cluster.yml on the controller]") == 3  # per batch
    assert out.count("Run `rke up --config") == 1  # the change is made once, in the last batch
    for name in HOSTS:
        assert (tmp_path / name / "scheduler" / "scheduler-config.yaml").exists()
    scheduler = yaml.safe_load(cluster_yml.read_text())["services"]["scheduler"]
    assert scheduler["extra_args"]["config"].endswith("/scheduler-config.yaml")
    assert len([line for line in out.splitlines() if line.startswith("changed: [cp")]) >= 3


def test_kubeadm_with_three_control_planes_one_at_a_time(tmp_path, health_double_factory):
    doubles = {}
    for name in HOSTS:
        manifests = tmp_path / name / "manifests"
        manifests.mkdir(parents=True)
        (manifests / "kube-scheduler.yaml").write_text((FIXTURES / "kube-scheduler-v1.35.yaml.txt").read_text())
        doubles[name] = health_double_factory(manifests / "kube-scheduler.yaml")
    common = {
        "kube_scheduler_distribution": "kubeadm",
        "kube_scheduler_packages": [],
        "kube_scheduler_health_settle_seconds": 0,
        "kube_scheduler_health_retries": 3,
        "kube_scheduler_health_delay": 1,
    }

    def per_host(name):
        return {
            "kube_scheduler_kubeadm_manifest": f"{tmp_path}/{name}/manifests/kube-scheduler.yaml",
            "kube_scheduler_backup_dir": f"{tmp_path}/{name}/backups",
            "kube_scheduler_pod_log_dir": f"{tmp_path}/{name}/pods",
            "kube_scheduler_health_url": doubles[name]["url"],
        }

    rc, out = run_site_playbook(tmp_path, inventory(tmp_path, common, per_host))
    assert rc == 0, out
    assert out.count("PLAY [Configure kube-scheduler for the TopoLVM extender]") == 3  # three batches of one
    for name in HOSTS:
        pod = yaml.safe_load((tmp_path / name / "manifests" / "kube-scheduler.yaml").read_text())
        assert f"--config={tmp_path}/{name}/scheduler/scheduler-config.yaml" in pod["spec"]["containers"][0]["command"]
