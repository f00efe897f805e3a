# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run lvmkube.cluster.cloud_provider for real (ansible-playbook, hosts with a local connection) on files of the
exact shape kubeadm writes and on a kubespray inventory directory: the flag is added and removed again byte for
byte, the kubelet restart handler runs only on change, the node-name rule fails every host before any change,
check mode changes nothing, the second run reports changed=0."""

from __future__ import annotations

import sys

import pytest
import yaml
from playbook_helpers import json_result, run_playbook_text

# cmd/kubeadm/app/phases/kubelet/flags.go writes KUBELET_KUBEADM_ARGS=%q of the flags joined by spaces.
KUBEADM_FLAGS = (
    'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock '
    '--pod-infra-container-image=registry.k8s.io/pause:3.10"\n'
)
RESTART = "Restart the kubelet"

pytestmark = pytest.mark.slow

PLAYBOOK = """
- hosts: all
  gather_facts: false
  roles:
    - role: lvmkube.cluster.cloud_provider
"""


def write_inventory(tmp_path, hosts):
    """hosts: {name: {var: value}}; every host gets its own flags file under tmp_path/<name>/."""
    inventory = {"all": {"hosts": {}}}
    for name, variables in hosts.items():
        node_dir = tmp_path / name
        node_dir.mkdir(exist_ok=True)
        inventory["all"]["hosts"][name] = dict(
            {
                "ansible_connection": "local",
                "ansible_python_interpreter": sys.executable,
                "cloud_provider_kubeadm_flags_file": str(node_dir / "kubeadm-flags.env"),
                "cloud_provider_backup_dir": str(node_dir / "backup"),
            },
            **variables,
        )
    path = tmp_path / "hosts.yml"
    path.write_text(yaml.safe_dump(inventory))
    return path


def run_role(tmp_path, inventory, extra, *flags, expect_ok=True):
    extra = dict({"cloud_provider_kubelet_service": ""}, **extra)
    return json_result(run_playbook_text(tmp_path, PLAYBOOK, extra, *flags, inventory=inventory, expect_ok=expect_ok))


def changed(result, host):
    return result["stats"][host]["changed"]


def task_results(result, name):
    """{host: result} of the task called name (a handler shows up only when it was notified)."""
    for play in result["plays"]:
        for task in play["tasks"]:
            if task["task"]["name"] == f"lvmkube.cluster.cloud_provider : {name}":
                return task["hosts"]
    return {}


def test_kubeadm_flags_file_snippet_and_absent(tmp_path):
    hosts = {
        "i-cp1": {"nifcloud_instance_id": "i-cp1"},
        "i-w1": {"nifcloud_instance_id": "i-w1"},
        "i-new": {"nifcloud_instance_id": "i-new"},  # not joined yet: no flags file
    }
    inventory = write_inventory(tmp_path, hosts)
    for name in ("i-cp1", "i-w1"):
        (tmp_path / name / "kubeadm-flags.env").write_text(KUBEADM_FLAGS)
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    extra = {"cloud_provider_kubeadm_snippet_dir": str(snippets)}

    result = run_role(tmp_path, inventory, extra, "--check", "--diff")
    assert changed(result, "i-cp1") >= 1  # check mode predicts the change
    assert (tmp_path / "i-cp1" / "kubeadm-flags.env").read_text() == KUBEADM_FLAGS
    assert list(snippets.iterdir()) == []
    assert not (tmp_path / "i-cp1" / "backup").exists()

    result = run_role(tmp_path, inventory, extra)
    expected = KUBEADM_FLAGS.replace('3.10"', '3.10 --cloud-provider=external"')
    for name in ("i-cp1", "i-w1"):
        assert (tmp_path / name / "kubeadm-flags.env").read_text() == expected
        backups = list((tmp_path / name / "backup").iterdir())
        assert [b.read_text() for b in backups] == [KUBEADM_FLAGS]
    assert not (tmp_path / "i-new" / "kubeadm-flags.env").exists()
    assert set(task_results(result, RESTART)) == {"i-cp1", "i-w1"}  # notified where the file changed
    join = list(yaml.safe_load_all((snippets / "i-w1.kubeadm.yaml").read_text()))[1]
    assert join["kind"] == "JoinConfiguration"
    assert join["nodeRegistration"] == {
        "name": "i-w1",
        "kubeletExtraArgs": [{"name": "cloud-provider", "value": "external"}],
    }

    result = run_role(tmp_path, inventory, extra)
    assert {changed(result, h) for h in hosts} == {0}
    assert task_results(result, RESTART) == {}

    result = run_role(tmp_path, inventory, dict(extra, cloud_provider_state="absent"))
    for name in ("i-cp1", "i-w1"):
        assert (tmp_path / name / "kubeadm-flags.env").read_text() == KUBEADM_FLAGS
    assert set(task_results(result, RESTART)) == {"i-cp1", "i-w1"}
    assert list(snippets.iterdir()) == []


def test_extra_args_file_of_the_kubelet_package(tmp_path):
    inventory = write_inventory(tmp_path, {"i-w1": {"nifcloud_instance_id": "i-w1"}})
    defaults = tmp_path / "i-w1" / "kubelet"
    defaults.write_text("KUBELET_EXTRA_ARGS=\n")
    extra = {
        "cloud_provider_kubeadm_flags_file": str(defaults),
        "cloud_provider_kubeadm_flags_variable": "KUBELET_EXTRA_ARGS",
    }
    run_role(tmp_path, inventory, extra)
    assert defaults.read_text() == "KUBELET_EXTRA_ARGS=--cloud-provider=external\n"
    run_role(tmp_path, inventory, dict(extra, cloud_provider_state="absent"))
    assert defaults.read_text() == "KUBELET_EXTRA_ARGS=\n"


def test_node_name_rule_fails_every_host_before_any_change(tmp_path):
    hosts = {
        "i-cp1": {"nifcloud_instance_id": "i-cp1"},
        "worker1": {"nifcloud_instance_id": "i-0a1b2c"},
        "worker2": {},
    }
    inventory = write_inventory(tmp_path, hosts)
    for name in hosts:
        (tmp_path / name / "kubeadm-flags.env").write_text(KUBEADM_FLAGS)
    result = run_role(tmp_path, inventory, {}, expect_ok=False)
    failures = task_results(result, "Check the node-name rule of the provider on every host before anything changes")
    assert set(failures) == set(hosts)
    message = failures["i-cp1"]["msg"]
    assert "worker1: node name 'worker1' is not the instance ID 'i-0a1b2c'" in message
    assert "worker2: no NIFCLOUD instance ID" in message
    assert "nothing was changed" in message
    for name in hosts:
        assert (tmp_path / name / "kubeadm-flags.env").read_text() == KUBEADM_FLAGS
        assert not (tmp_path / name / "backup").exists()

    # The node name can be given per host; then the same hosts pass.
    fixed = write_inventory(
        tmp_path,
        dict(hosts, worker1={"nifcloud_instance_id": "i-0a1b2c", "cloud_provider_node_name": "i-0a1b2c"}),
    )
    run_role(tmp_path, fixed, {"cloud_provider_provider": "none"})
    assert "cloud-provider=external" in (tmp_path / "worker2" / "kubeadm-flags.env").read_text()


def test_kubespray_group_vars(tmp_path):
    hosts = {"node1": {"nifcloud_instance_id": "i-aaa"}, "node2": {"nifcloud_instance_id": "i-bbb"}}
    inventory = write_inventory(tmp_path, hosts)
    group_vars = tmp_path / "kubespray" / "group_vars" / "k8s_cluster"
    group_vars.mkdir(parents=True)
    target = group_vars / "lvmkube-cloud-provider.yml"
    extra = {"cloud_provider_distribution": "kubespray", "cloud_provider_kubespray_group_vars_file": str(target)}

    run_role(tmp_path, inventory, extra, "--check")
    assert not target.exists()
    result = run_role(tmp_path, inventory, extra)
    assert sum(changed(result, h) for h in hosts) == 1  # written once, from the controller
    data = yaml.safe_load(target.read_text())
    assert data["cloud_provider"] == "external"
    assert data["external_cloud_provider"] == "manual"
    assert data["lvmkube_node_names"] == {"node1": "i-aaa", "node2": "i-bbb"}
    assert data["kube_override_hostname"].startswith("{{ lvmkube_node_names[inventory_hostname]")
    for name in hosts:  # the nodes' own files are kubespray's business
        assert not (tmp_path / name / "kubeadm-flags.env").exists()

    result = run_role(tmp_path, inventory, extra)
    assert {changed(result, h) for h in hosts} == {0}
    run_role(tmp_path, inventory, dict(extra, cloud_provider_state="absent"))
    assert not target.exists()


def test_rke2_dropin_after_rancher(tmp_path):
    hosts = {"i-cp1": {"nifcloud_instance_id": "i-cp1"}}
    inventory = write_inventory(tmp_path, hosts)
    config_dir = tmp_path / "rke2" / "config.yaml.d"
    config_dir.mkdir(parents=True)
    (tmp_path / "rke2" / "config.yaml").write_text("token: secret-token\nnode-name: i-cp1\n")
    # The shape Rancher writes for a provisioned RKE2 node (JSON in a .yaml file).
    rancher = config_dir / "50-rancher.yaml"
    rancher.write_text('{"kubelet-arg":["max-pods=200"],"protect-kernel-defaults":false}')
    extra = {
        "cloud_provider_distribution": "rke2",
        "cloud_provider_rke2_config_dir": str(config_dir),
        "cloud_provider_rke2_service": "",
    }
    run_role(tmp_path, inventory, extra, "--check")
    assert sorted(p.name for p in config_dir.iterdir()) == ["50-rancher.yaml"]

    result = run_role(tmp_path, inventory, extra)
    dropin = config_dir / "60-lvmkube-cloud-provider.yaml"
    assert yaml.safe_load(dropin.read_text()) == {
        "cloud-provider-name": "external",
        "kubelet-arg+": ["cloud-provider=external"],
    }
    assert set(task_results(result, "Restart RKE2")) == {"i-cp1"}
    assert rancher.read_text() == '{"kubelet-arg":["max-pods=200"],"protect-kernel-defaults":false}'

    result = run_role(tmp_path, inventory, extra)
    assert changed(result, "i-cp1") == 0
    assert task_results(result, "Restart RKE2") == {}

    run_role(tmp_path, inventory, dict(extra, cloud_provider_state="absent"))
    assert sorted(p.name for p in config_dir.iterdir()) == ["50-rancher.yaml"]
