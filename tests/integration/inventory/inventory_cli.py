# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the inventory tests share: running ansible-inventory and ansible-playbook as a user does, writing an
inventory source file, and reading the ``--list`` output.

A run sees none of the caller's cloud settings (SAKURA*, USACLOUD*, NIFCLOUD*, CLUSTER* variables): a test names
in ``env`` exactly what its run gets. Retries back off 10 ms, so retry tests do not wait.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
CLOUD_PREFIXES = ("SAKURA", "USACLOUD", "NIFCLOUD", "CLUSTER")


def run(tool, *args, home, env=None, timeout=300):
    """Run an Ansible command-line tool from this checkout, with HOME at ``home``."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(CLOUD_PREFIXES)}
    full_env.update(
        ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
        HOME=str(home),
        SAKURACLOUD_RETRY_BACKOFF="0.01",
        NIFCLOUD_RETRY_BACKOFF="0.01",
    )
    full_env.update(env or {})
    return subprocess.run(
        [str(BIN / tool), *args], cwd=REPO, env=full_env, capture_output=True, text=True, timeout=timeout, check=False
    )


def inventory_list(path, home, env=None, timeout=300):
    """``ansible-inventory -i path --list``; a source that fails to parse fails the command (exit status)."""
    env = dict(env or {}, ANSIBLE_INVENTORY_UNPARSED_FAILED="true")
    return run("ansible-inventory", "-i", str(path), "--list", home=home, env=env, timeout=timeout)


def write_source(path, config):
    """Write an inventory source file (YAML, non-ASCII kept as it is); return its path as a string."""
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return str(path)


def plain(value):
    """Drop the ``__ansible_unsafe`` markers ansible-inventory writes for unsafe strings."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def members(listing, group):
    """The hosts of a group and of its child groups, from ``--list`` output."""
    entry = listing.get(group, {})
    found = set(entry.get("hosts", []))
    for child in entry.get("children", []):
        found |= members(listing, child)
    return found
