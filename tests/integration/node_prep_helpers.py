# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ansible-playbook on localhost from the checkout, the way a user would."""

from __future__ import annotations

from playbook_helpers import REPO, ansible_env, json_output, tool
from playbook_helpers import run_playbook as _run_playbook

__all__ = ["REPO", "ansible_env", "run_playbook", "stats", "task_results", "tool"]


def run_playbook(playbook, *args, prefix=(), check=True):
    """Run a playbook on implicit localhost; return (returncode, parsed json output)."""
    result = _run_playbook(playbook, *args, prefix=prefix, callback="ansible.builtin.json")
    if check and result.returncode != 0:
        raise AssertionError(f"{result.args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.returncode, json_output(result)


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
