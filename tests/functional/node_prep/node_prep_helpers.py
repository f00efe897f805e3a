# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ansible-playbook on localhost from the checkout, the way a user would."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[3]
VENV_BIN = REPO / ".venv" / "bin"


def ansible_env():
    env = dict(os.environ)
    env["ANSIBLE_CONFIG"] = str(REPO / "ansible.cfg")
    env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.builtin.json"
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_LOCALHOST_WARNING"] = "false"
    env["ANSIBLE_INVENTORY_UNPARSED_WARNING"] = "false"
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def tool(name):
    path = VENV_BIN / name
    return str(path) if path.exists() else name


def run_playbook(playbook, *args, prefix=(), check=True):
    """Run a playbook on implicit localhost; return (returncode, parsed json output)."""
    command = [*prefix, tool("ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook), *args]
    command += ["-e", f"ansible_python_interpreter={sys.executable}"]
    result = subprocess.run(command, cwd=REPO, env=ansible_env(), capture_output=True, text=True, check=False)
    try:
        output = json.loads(result.stdout)
    except json.JSONDecodeError:
        output = None
    if check and result.returncode != 0:
        raise AssertionError(f"{command} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.returncode, output


def task_results(output, name):
    """Host results of every task called ``name`` in a json callback output."""
    found = []
    for play in output["plays"]:
        for task in play["tasks"]:
            if task["task"]["name"] == name:
                found.append(task["hosts"]["localhost"])
    return found


def stats(output):
    return output["stats"]["localhost"]
