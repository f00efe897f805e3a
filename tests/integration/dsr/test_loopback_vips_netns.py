# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module lvmkube.cluster.loopback_vips run for real on lo inside a private network namespace, and
node_state_info's vips_differ checked against that module's own decision (check mode) in each state.

``unshare --net`` gives the playbook its own ``lo``, so the host is never touched.
"""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest
from node_prep_helpers import run_playbook, task_results

pytestmark = pytest.mark.slow

PLAYBOOK = """
- name: Exercise loopback_vips
  hosts: localhost
  gather_facts: false
  vars:
    state: "{{ state_dir }}/dsr-vips"
  tasks:
    - name: bring lo up (a new namespace starts with lo down)
      ansible.builtin.command: ip link set dev lo up
      changed_when: true
    - name: add two
      lvmkube.cluster.loopback_vips: {addresses: [192.0.2.11/32, 192.0.2.10], state_file: "{{ state }}"}
    - name: show after add
      ansible.builtin.command: ip -4 -o addr show dev lo
      changed_when: false
    - name: add one by hand
      ansible.builtin.command: ip -4 addr add 198.51.100.7/32 dev lo
      changed_when: true
    - name: drop one in check mode
      lvmkube.cluster.loopback_vips: {addresses: [192.0.2.11], state_file: "{{ state }}"}
      check_mode: true
      diff: true
    - name: show after check
      ansible.builtin.command: ip -4 -o addr show dev lo
      changed_when: false
    - name: drop one
      lvmkube.cluster.loopback_vips: {addresses: [192.0.2.11], state_file: "{{ state }}"}
    - name: drop one again
      lvmkube.cluster.loopback_vips: {addresses: [192.0.2.11], state_file: "{{ state }}"}
    - name: show after drop
      ansible.builtin.command: ip -4 -o addr show dev lo
      changed_when: false
    - name: read state
      ansible.builtin.slurp: {src: "{{ state }}"}
    - name: bad input
      lvmkube.cluster.loopback_vips: {addresses: [192.0.2.11, 192.0.2.0/24], state_file: "{{ state }}"}
      ignore_errors: true
    - name: show after bad input
      ansible.builtin.command: ip -4 -o addr show dev lo
      changed_when: false
    - name: drop all
      lvmkube.cluster.loopback_vips: {addresses: [], state_file: "{{ state }}"}
    - name: show after drop all
      ansible.builtin.command: ip -4 -o addr show dev lo
      changed_when: false
    - name: state after drop all
      ansible.builtin.stat: {path: "{{ state }}"}
"""


def _can_unshare():
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, check=False)
    return probe.returncode == 0


def _addresses(result):
    return sorted(line.split()[3] for line in result["stdout"].splitlines())


@pytest.mark.skipif(not _can_unshare(), reason="needs unshare --net (root or user namespaces) and iproute2")
def test_loopback_vips_adds_removes_only_managed_and_honours_check_mode(tmp_path):
    playbook = tmp_path / "vips.yml"
    playbook.write_text(PLAYBOOK)
    _rc, out = run_playbook(playbook, "-e", f"state_dir={tmp_path / 'state'}", prefix=("unshare", "--net"))

    def one(name):
        (result,) = task_results(out, name)
        return result

    added = one("add two")
    assert added["changed"] is True
    assert added["added"] == ["192.0.2.10", "192.0.2.11"]
    assert added["addresses"] == ["192.0.2.10", "192.0.2.11"]
    assert _addresses(one("show after add")) == ["127.0.0.1/8", "192.0.2.10/32", "192.0.2.11/32"]

    check = one("drop one in check mode")
    assert check["changed"] is True
    assert check["removed"] == ["192.0.2.10"]
    assert "192.0.2.10" in check["diff"]["before"]
    assert "192.0.2.10" not in check["diff"]["after"]
    assert _addresses(one("show after check")) == [
        "127.0.0.1/8",
        "192.0.2.10/32",
        "192.0.2.11/32",
        "198.51.100.7/32",
    ]

    dropped = one("drop one")
    assert dropped["changed"] is True
    assert dropped["removed"] == ["192.0.2.10"]
    assert dropped["managed_before"] == ["192.0.2.10", "192.0.2.11"]
    assert one("drop one again")["changed"] is False
    # the hand-made address and 127.0.0.1 survive: the module only removes what it added
    assert _addresses(one("show after drop")) == ["127.0.0.1/8", "192.0.2.11/32", "198.51.100.7/32"]

    state = base64.b64decode(one("read state")["content"]).decode()
    assert [line for line in state.splitlines() if not line.startswith("#")] == ["192.0.2.11"]

    bad = one("bad input")
    assert bad["failed"] is True
    assert "192.0.2.0/24" in bad["msg"]
    assert _addresses(one("show after bad input")) == ["127.0.0.1/8", "192.0.2.11/32", "198.51.100.7/32"]

    assert one("drop all")["removed"] == ["192.0.2.11"]
    assert _addresses(one("show after drop all")) == ["127.0.0.1/8", "198.51.100.7/32"]
    assert one("state after drop all")["stat"]["exists"] is False


AGREEMENT = """
- name: node_state_info against loopback_vips
  hosts: localhost
  gather_facts: false
  vars:
    state: "{{ state_dir }}/dsr-vips"
    steps:
      - {name: nothing yet, vips: [192.0.2.10]}
      - {name: both added, vips: [192.0.2.10, 192.0.2.11], apply: true}
      - {name: same again, vips: [192.0.2.11/32, 192.0.2.10]}
      - {name: one dropped, vips: [192.0.2.11]}
      - {name: one removed by hand, vips: [192.0.2.10, 192.0.2.11], by_hand: ip -4 addr del 192.0.2.10/32 dev lo}
      - {name: state file edited, vips: [192.0.2.10, 192.0.2.11], apply: true, by_hand: "sh -c 'echo >> {{ state }}'"}
      - {name: an address not managed, vips: [192.0.2.10, 192.0.2.11], apply: true,
         by_hand: ip -4 addr add 198.51.100.7/32 dev lo}
      - {name: none left, vips: []}
  tasks:
    - name: Bring lo up (a new namespace starts with lo down)
      ansible.builtin.command: ip link set dev lo up
      changed_when: true

    - name: Run each step
      ansible.builtin.include_tasks: step.yml
      loop: "{{ steps }}"
      loop_control:
        loop_var: step
"""

STEP = """
- name: Apply the VIPs first
  lvmkube.cluster.loopback_vips: {addresses: "{{ step.vips }}", state_file: "{{ state }}"}
  when: step.apply | default(false)

- name: Change something by hand
  ansible.builtin.command: "{{ step.by_hand }}"
  changed_when: true
  when: step.by_hand is defined

- name: Ask node_state_info
  lvmkube.cluster.node_state_info:
    vips: {addresses: "{{ step.vips }}", state_file: "{{ state }}"}
  register: ours

- name: Ask loopback_vips (check mode)
  lvmkube.cluster.loopback_vips: {addresses: "{{ step.vips }}", state_file: "{{ state }}"}
  check_mode: true
  register: theirs

- name: Record
  ansible.builtin.set_fact:
    decisions: "{{ decisions | default([]) + [[step.name, ours.vips_differ, theirs.changed]] }}"

- name: Leave the state as the step wants it for the next one
  lvmkube.cluster.loopback_vips: {addresses: "{{ step.vips }}", state_file: "{{ state }}"}
  when: step.apply | default(false)
"""


@pytest.mark.skipif(not _can_unshare(), reason="needs unshare --net (root or user namespaces) and iproute2")
def test_node_state_info_vips_differ_agrees_with_loopback_vips(tmp_path):
    playbook = tmp_path / "agree.yml"
    playbook.write_text(AGREEMENT)
    (tmp_path / "step.yml").write_text(STEP)
    _rc, out = run_playbook(playbook, "-e", f"state_dir={tmp_path / 'state'}", prefix=("unshare", "--net"))
    recorded = [
        result["ansible_facts"]["decisions"][-1]
        for task in out["plays"][0]["tasks"]
        if task["task"]["name"] == "Record"
        for result in task["hosts"].values()
        if isinstance(result, dict) and "ansible_facts" in result
    ]
    assert [name for name, _ours, _theirs in recorded] == [
        "nothing yet", "both added", "same again", "one dropped", "one removed by hand", "state file edited",
        "an address not managed", "none left",
    ]  # fmt: skip
    assert all(ours is theirs for _name, ours, theirs in recorded), recorded
    assert [ours for _name, ours, _theirs in recorded] == [True, False, False, True, True, True, False, True]
