# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a playbook text with ansible-playbook from the checkout (root ansible.cfg) and read its json output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"


def run_playbook_text(
    tmp_path, playbook, extra, *flags, inventory=None, expect_ok=True, callback="ansible.builtin.json"
):
    """Write playbook and extra vars into tmp_path, run them; assert the return code; return the process."""
    playbook_file = tmp_path / "play.yml"
    playbook_file.write_text(playbook)
    extra_file = tmp_path / "extra.json"
    extra_file.write_text(json.dumps(extra))
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_STDOUT_CALLBACK=callback,
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
    )
    command = [str(ANSIBLE_PLAYBOOK), str(playbook_file), "-e", f"@{extra_file}", *flags]
    if inventory:
        command += ["-i", str(inventory)]
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert (proc.returncode == 0) == expect_ok, proc.stdout[-4000:] + proc.stderr[-2000:]
    return proc


def json_result(proc):
    """The json callback's document (anything printed before it is skipped)."""
    return json.loads(proc.stdout[proc.stdout.index("{") :])
