# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every example inventory under inventories/ loads with ``ansible-inventory --graph``.

Static inventories are discovered (every directory with a hosts.yml). The Sakura Cloud one is
run against the inventory tests' API double on 127.0.0.1, then used by the ssh_config playbook.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
INVENTORIES = REPO / "inventories"
BIN = Path(sys.executable).parent
SAKURA_CONFIG = INVENTORIES / "sakuracloud" / "sakuracloud.yml"
SAKURA_DOUBLE = REPO / "tests" / "integration" / "inventory" / "sakura_api_double.py"
STATIC = sorted(path.parent.name for path in INVENTORIES.glob("*/hosts.yml"))
# Groups the collection's playbooks use; every static example must provide them.
REQUIRED_GROUPS = {"k8s_cluster", "kube_control_plane", "kube_node", "etcd", "lvmkube_storage"}


def ansible(tool: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_NOCOLOR="1", **(env or {}))
    return subprocess.run(
        [str(BIN / tool), *args], cwd=REPO, env=full_env, capture_output=True, text=True, timeout=300, check=False
    )


def groups_of(listing: dict) -> dict[str, set[str]]:
    """Resolve ``ansible-inventory --list`` output to group -> all hosts (children included)."""

    def hosts(group: str) -> set[str]:
        entry = listing.get(group, {})
        found = set(entry.get("hosts", []))
        for child in entry.get("children", []):
            found |= hosts(child)
        return found

    return {group: hosts(group) for group in listing if group != "_meta"}


def test_static_examples_are_discovered():
    assert {"kubeadm", "rke"} <= set(STATIC)


@pytest.mark.parametrize("name", STATIC)
def test_static_example_graph_groups_and_vars(name):
    path = str(INVENTORIES / name)
    graph = ansible("ansible-inventory", "-i", path, "--graph")
    assert graph.returncode == 0, graph.stderr
    assert "[WARNING]" not in graph.stderr, graph.stderr
    assert "@k8s_cluster:" in graph.stdout

    listing = ansible("ansible-inventory", "-i", path, "--list")
    assert listing.returncode == 0, listing.stderr
    data = json.loads(listing.stdout)
    groups = groups_of(data)
    assert set(groups) >= REQUIRED_GROUPS, sorted(groups)
    assert groups["kube_control_plane"] and groups["kube_node"]
    assert groups["k8s_cluster"] == groups["kube_control_plane"] | groups["kube_node"]
    hostvars = data["_meta"]["hostvars"]
    for host in groups["k8s_cluster"]:
        assert hostvars[host]["ansible_host"], host
    # The shared device classes reach every storage node, with exactly one default class.
    storage = sorted(groups["lvmkube_storage"])
    classes = hostvars[storage[0]]["lvmkube_device_classes"]
    assert sum(1 for item in classes if item.get("default")) == 1


@pytest.mark.parametrize("name", STATIC)
def test_static_example_device_classes_pass_the_shared_filter(name, tmp_path):
    """The example device classes are valid for the lvm/lvmd/topolvm roles (same filter they use)."""
    playbook = tmp_path / "check.yml"
    playbook.write_text(
        "- hosts: lvmkube_storage\n  gather_facts: false\n  tasks:\n"
        '    - ansible.builtin.debug:\n        msg: "{{ lvmkube_device_classes | lvmkube.cluster.device_classes'
        " | map(attribute='name') | list }}\"\n"
    )
    result = ansible("ansible-playbook", "-i", str(INVENTORIES / name), str(playbook))
    assert result.returncode == 0, result.stdout + result.stderr


def test_site_playbook_syntax_with_each_static_example():
    for name in STATIC:
        result = ansible("ansible-playbook", "-i", str(INVENTORIES / name), "playbooks/site.yml", "--syntax-check")
        assert result.returncode == 0, result.stdout + result.stderr


def _load_double():
    spec = importlib.util.spec_from_file_location("sakura_api_double_for_examples", SAKURA_DOUBLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (SAKURA_CONFIG.exists() and SAKURA_DOUBLE.exists()),
    reason="inventories/sakuracloud/sakuracloud.yml or the Sakura API double "
    "(tests/integration/inventory/sakura_api_double.py) is not in this checkout",
)
def test_sakuracloud_example_against_api_double(tmp_path):
    double_module = _load_double()
    seed_tags = ["@with_sacloud_inventory", "@with_kubespray_inventory", "@cluster=example", "@ssh_user=ubuntu"]
    servers = {
        "is1a": [
            double_module.server(1001, "bastion1", "is1a", [*seed_tags, "group1"], [("shared", "203.0.113.5")]),
            double_module.server(
                1002,
                "server-01",
                "is1a",
                [*seed_tags, "kube-master", "etcd", "k8s-cluster", "@instance-type=large", "@ssh_bastion_group=group1"],
                [("shared", "203.0.113.11"), ("user", "192.168.0.11")],
            ),
            double_module.server(
                1003,
                "server-02",
                "is1a",
                [*seed_tags, "kube-node", "k8s-cluster", "@instance-type=large", "@ssh_bastion_group=group1"],
                [("shared", "203.0.113.12"), ("user", "192.168.0.12")],
            ),
        ],
        "tk1a": [
            double_module.server(
                2001, "other-cluster", "tk1a", ["@cluster=other", "kube-node"], [("shared", "203.0.113.99")]
            )
        ],
    }
    home = tmp_path / "home"
    home.mkdir()
    with double_module.SakuraApiDouble(servers) as double:
        env = {
            "HOME": str(home),
            "SAKURACLOUD_API_ROOT_URL": double.url,
            "SAKURACLOUD_ACCESS_TOKEN": double.token,
            "SAKURACLOUD_ACCESS_TOKEN_SECRET": double.secret,
            "CLUSTER": "@cluster=example",
            "ANSIBLE_INVENTORY_CACHE": "false",
            # Not a rate limiter test: the plugin's rate_limit option (its environment variable) set high.
            "SAKURACLOUD_RATE_LIMIT": "1000",
        }
        graph = ansible("ansible-inventory", "-i", str(SAKURA_CONFIG), "--graph", env=env)
        assert graph.returncode == 0, graph.stdout + graph.stderr
        assert "server-01" in graph.stdout and "server-02" in graph.stdout
        assert "other-cluster" not in graph.stdout
        listing = ansible("ansible-inventory", "-i", str(SAKURA_CONFIG), "--list", env=env)
        assert listing.returncode == 0, listing.stderr
        groups = groups_of(json.loads(listing.stdout))
        assert "server-01" in groups["kube_control_plane"]
        assert "server-02" in groups["instance_type_large"]

        target = tmp_path / "ssh_config"
        play = ansible(
            "ansible-playbook",
            "-i",
            str(SAKURA_CONFIG),
            "playbooks/ssh_config.yml",
            "-e",
            f"ssh_config_path={target}",
            "-e",
            "ssh_config_cluster=example",
            env=env,
        )
        assert play.returncode == 0, play.stdout + play.stderr
    text = target.read_text()
    assert "Host server-01\n  HostName 203.0.113.11\n  User ubuntu\n  ProxyJump bastion1\n" in text
    assert "Host bastion1\n  HostName 203.0.113.5\n  User ubuntu\n" in text
