# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run playbooks/ssh_config.yml with ansible-playbook on localhost against a static inventory."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import playbook_helpers
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
PLAYBOOK = REPO / "playbooks" / "ssh_config.yml"

INVENTORY = textwrap.dedent(
    """\
    all:
      children:
        bastion:
          hosts:
            bast1: {ansible_host: 198.51.100.5, ansible_user: ubuntu}
        kube_node:
          hosts:
            node1:
              ansible_host: 192.0.2.11
              ansible_user: ubuntu
              ansible_port: 2222
              sacloud_tag_vars: {ssh_bastion_group: bastion, instance-type: large}
            node2: {ansible_host: 192.0.2.12, ansible_ssh_private_key_file: /keys/id_ed25519}
    """
)

EXPECTED_BLOCK = textwrap.dedent(
    """\
    # BEGIN lvmkube.cluster ssh_config: example
    Host bast1
      HostName 198.51.100.5
      User ubuntu

    Host node1
      HostName 192.0.2.11
      User ubuntu
      Port 2222
      ProxyJump bast1

    Host node2
      HostName 192.0.2.12
      IdentityFile /keys/id_ed25519
    # END lvmkube.cluster ssh_config: example
    """
)


def run_playbook(tmp_path: Path, inventory: str, *extra: str) -> subprocess.CompletedProcess:
    inv = tmp_path / "hosts.yml"
    inv.write_text(inventory)
    return playbook_helpers.run_playbook(PLAYBOOK, "-e", "ssh_config_cluster=example", *extra, inventory=inv)


def recap(result: subprocess.CompletedProcess) -> dict[str, int]:
    counts = playbook_helpers.recap(result.stdout)
    assert counts, result.stdout + result.stderr
    return counts


def test_block_written_then_idempotent_and_surrounding_text_kept(tmp_path):
    target = tmp_path / "ssh" / "config.d" / "lvmkube-example"
    target.parent.mkdir(parents=True)
    target.write_text("Host mine\n  HostName 203.0.113.9\n")
    first = run_playbook(tmp_path, INVENTORY, "-e", f"ssh_config_path={target}")
    assert first.returncode == 0, first.stdout + first.stderr
    assert recap(first)["changed"] >= 1
    assert target.read_text() == "Host mine\n  HostName 203.0.113.9\n" + EXPECTED_BLOCK
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    backups = [p for p in target.parent.iterdir() if p.name != target.name]
    assert len(backups) == 1 and backups[0].read_text() == "Host mine\n  HostName 203.0.113.9\n"

    second = run_playbook(tmp_path, INVENTORY, "-e", f"ssh_config_path={target}")
    assert second.returncode == 0, second.stdout + second.stderr
    assert recap(second)["changed"] == 0
    assert target.read_text().endswith(EXPECTED_BLOCK)


def test_host_pattern_and_global_bastion_group(tmp_path):
    target = tmp_path / "cfg"
    result = run_playbook(
        tmp_path,
        INVENTORY,
        "-e",
        f"ssh_config_path={target}",
        "-e",
        "ssh_config_hosts=kube_node",
        "-e",
        "ssh_config_bastion_group=bastion",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = target.read_text()
    assert "Host bast1" not in text
    # node1's own tag and the global setting agree; node2 takes the global setting.
    assert text.count("ProxyJump bast1") == 2


def test_check_mode_writes_nothing_and_shows_the_diff(tmp_path):
    target = tmp_path / "new" / "cfg"
    result = run_playbook(tmp_path, INVENTORY, "-e", f"ssh_config_path={target}", "--check", "--diff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "+Host node1" in result.stdout
    assert not target.exists() and not target.parent.exists()


def test_unknown_bastion_group_fails_clearly_and_leaves_file_alone(tmp_path):
    target = tmp_path / "cfg"
    target.write_text("keep me\n")
    bad = INVENTORY.replace("ssh_bastion_group: bastion", "ssh_bastion_group: jumpers")
    result = run_playbook(tmp_path, bad, "-e", f"ssh_config_path={target}")
    assert result.returncode != 0
    assert playbook_helpers.said("'node1' names bastion group 'jumpers'", result.stdout, result.stderr)
    assert target.read_text() == "keep me\n"


def test_injected_tag_value_is_refused(tmp_path):
    target = tmp_path / "cfg"
    bad = INVENTORY.replace(
        "ansible_user: ubuntu\n          ansible_port", "ansible_user: 'x ProxyCommand id'\n          ansible_port"
    )
    assert bad != INVENTORY
    result = run_playbook(tmp_path, bad, "-e", f"ssh_config_path={target}")
    assert result.returncode != 0
    assert playbook_helpers.said("is not a single token", result.stdout, result.stderr)
    assert not target.exists()


def test_pattern_matching_no_host_fails(tmp_path):
    target = tmp_path / "cfg"
    result = run_playbook(tmp_path, INVENTORY, "-e", f"ssh_config_path={target}", "-e", "ssh_config_hosts=nothing")
    assert result.returncode != 0
    assert "matches no host" in result.stdout + result.stderr
    assert not target.exists()
