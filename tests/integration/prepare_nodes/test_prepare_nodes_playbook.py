# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/prepare_nodes.yml picks the Kubernetes node group, or all hosts without one."""

from __future__ import annotations

import subprocess

import pytest
from node_prep_helpers import REPO, ansible_env, tool

pytestmark = pytest.mark.slow


def list_hosts(inventory, *args):
    result = subprocess.run(
        [tool("ansible-playbook"), "-i", str(inventory), "--list-hosts", "lvmkube.cluster.prepare_nodes", *args],
        cwd=REPO,
        env=ansible_env("ansible.builtin.default"),
        capture_output=True,
        text=True,
        check=True,
    )
    marker = "hosts ("
    lines = result.stdout.splitlines()
    start = next(index for index, line in enumerate(lines) if marker in line)
    return sorted(line.strip() for line in lines[start + 1 :] if line.strip())


def test_prepare_nodes_targets_k8s_cluster_when_present(tmp_path):
    inventory = tmp_path / "hosts.ini"
    inventory.write_text(
        "bastion\n[kube_control_plane]\ncp1\n[kube_node]\nw1\nw2\n"
        "[k8s_cluster:children]\nkube_control_plane\nkube_node\n"
    )
    assert list_hosts(inventory) == ["cp1", "w1", "w2"]


def test_prepare_nodes_targets_all_without_k8s_cluster(tmp_path):
    inventory = tmp_path / "hosts.ini"
    inventory.write_text("n1\n[workers]\nn2\n")
    assert list_hosts(inventory) == ["n1", "n2"]


def test_prepare_nodes_host_pattern_can_be_overridden(tmp_path):
    inventory = tmp_path / "hosts.ini"
    inventory.write_text("n1\n[workers]\nn2\n[k8s_cluster]\nn3\n")
    assert list_hosts(inventory, "-e", "lvmkube_prepare_nodes_hosts=workers") == ["n2"]
