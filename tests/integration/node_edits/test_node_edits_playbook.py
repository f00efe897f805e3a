# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bytes that are not UTF-8 through ansible-playbook itself.

Ansible's controller refuses a module result that carries surrogate escapes ("Refusing to deserialize an
invalid UTF8 string", setting MODULE_STRICT_UTF8_RESPONSE); before, kubelet_flags and rke2_config_dropin
(--diff) wrote the file and then failed on that, and a rerun said ok. Now the file is written, the task
reports changed, the diff shows U+FFFD, and a rerun reports ok: nothing is left half done."""

from __future__ import annotations

import json

import pytest
from node_prep_helpers import run_playbook, task_results

pytestmark = pytest.mark.slow

PLAYBOOK = """
- name: Edits of files with bytes that are not UTF-8
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Kubelet flags
      lvmkube.cluster.kubelet_flags:
        path: "{{ dir }}/kubeadm-flags.env"
        flags: {cloud-provider: external}
        backup_dir: "{{ dir }}/backups"
    - name: RKE2 drop-in
      lvmkube.cluster.rke2_config_dropin:
        path: "{{ dir }}/config.yaml.d/60-cloud.yaml"
        settings: {cloud-provider-name: external}
        backup_dir: "{{ dir }}/backups"
"""


def test_foreign_bytes_are_written_reported_changed_and_idempotent(tmp_path):
    (tmp_path / "config.yaml.d").mkdir()
    flags = tmp_path / "kubeadm-flags.env"
    flags.write_bytes(b'# caf\xe9\nKUBELET_KUBEADM_ARGS="--max-pods=110"\n')
    dropin = tmp_path / "config.yaml.d" / "60-cloud.yaml"
    dropin.write_bytes(b"# caf\xe9\ncloud-provider-name: old\n")
    play = tmp_path / "play.yml"
    play.write_text(PLAYBOOK)
    extra = tmp_path / "vars.json"
    extra.write_text(json.dumps({"dir": str(tmp_path)}))

    _rc, first = run_playbook(play, "-e", f"@{extra}", "--diff")
    for name in ("Kubelet flags", "RKE2 drop-in"):
        result = task_results(first, name)[0]
        assert result["changed"] is True and not result.get("failed"), result
        assert "\ufffd" in json.dumps(result["diff"], ensure_ascii=False)
    assert flags.read_bytes() == b'# caf\xe9\nKUBELET_KUBEADM_ARGS="--max-pods=110 --cloud-provider=external"\n'
    assert dropin.read_bytes().endswith(b"cloud-provider-name: external\n")

    _rc, second = run_playbook(play, "-e", f"@{extra}", "--diff")
    assert second["stats"]["localhost"]["changed"] == 0 and second["stats"]["localhost"]["failures"] == 0
