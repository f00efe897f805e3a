# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles dsr and lvmd render their systemd units with the template lookup and let node_state_info
compare them with the node's files; they call ansible.builtin.template only for a unit that differs.
Here, on localhost, each unit is written by ansible.builtin.template and the lookup's rendering must
then be reported as nothing to write (else every run would call the template module again), while an
edited unit must be reported."""

from __future__ import annotations

import json

import pytest
from node_prep_helpers import REPO, run_playbook

pytestmark = pytest.mark.slow

PLAYBOOK = """
- name: Units written by the template module, compared with the lookup's rendering
  hosts: localhost
  gather_facts: false
  vars:
    units:
      - {src: "{{ repo }}/roles/dsr/templates/dsr-vips.service.j2", dest: "{{ out }}/dsr-vips.service"}
      - {src: "{{ repo }}/roles/lvmd/templates/lvmd.service.j2", dest: "{{ out }}/lvmd.service"}
  tasks:
    - name: Write the units with ansible.builtin.template
      ansible.builtin.template:
        src: "{{ item.src }}"
        dest: "{{ item.dest }}"
        mode: "0644"
      loop: "{{ units }}"

    - name: Edit the second unit
      ansible.builtin.lineinfile:
        path: "{{ out }}/lvmd.service"
        line: "# edited by hand"
      when: edit | bool

    - name: Compare the lookup's rendering with the written files
      lvmkube.cluster.node_state_info:
        files:
          - path: "{{ units[0].dest }}"
            mode: "0644"
            content: "{{ lookup('ansible.builtin.template', units[0].src) }}"
          - path: "{{ units[1].dest }}"
            mode: "0644"
            content: "{{ lookup('ansible.builtin.template', units[1].src) }}"
      register: compared
"""


def write_play(tmp_path):
    play = tmp_path / "play.yml"
    play.write_text(PLAYBOOK, encoding="utf-8")
    return play


VARIABLES = {
    "dsr_vips_device": "lo",
    "dsr__vips_addresses": ["192.0.2.10", "192.0.2.11"],
    "lvmd_socket_name": "/run/topolvm/lvmd.sock",
    "lvmd_install_path": "/opt/lvmkube/bin/lvmd",
    "lvmd__command_args": ["--config=/etc/topolvm/lvmd.yaml"],
    "lvmd_extra_args": ["--log-level", "info 'quoted'"],
}


@pytest.mark.parametrize("edit", [False, True])
def test_lookup_rendering_matches_what_the_template_module_wrote(tmp_path, edit):
    out = tmp_path / "out"
    out.mkdir()
    extra = tmp_path / "vars.json"
    extra.write_text(json.dumps({**VARIABLES, "repo": str(REPO), "out": str(out), "edit": edit}), encoding="utf-8")
    _rc, output = run_playbook(write_play(tmp_path), "-e", f"@{extra}")
    compared = output["plays"][0]["tasks"][-1]["hosts"]["localhost"]
    assert "ExecStart=/sbin/ip -4 addr replace 192.0.2.11/32 dev lo" in (out / "dsr-vips.service").read_text()
    assert compared["files_to_write"] == ([str(out / "lvmd.service")] if edit else [])
