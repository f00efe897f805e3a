# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""load_file() and save_edit(): the read-parse / diff-backup-replace sequence of the kube_scheduler modules."""

from __future__ import annotations

import os
import pathlib
import stat

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.files import (
    dump_documents,
    load_file,
    save_edit,
)


class Failed(Exception):
    pass


class ModuleDouble:
    """Test double of AnsibleModule: fail_json raises, atomic_move renames (the real one also keeps the mode)."""

    def __init__(self, check_mode=False):
        self.check_mode = check_mode

    def fail_json(self, **kwargs):
        raise Failed(kwargs["msg"])

    @staticmethod
    def atomic_move(src, dest):
        os.replace(src, dest)


def test_load_file_drops_empty_documents_unless_asked(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("---\n---\na: 1  # kept\n")
    before, docs, _handle = load_file(ModuleDouble(), str(path), "file")
    assert before == path.read_text()
    assert docs == [{"a": 1}]
    _before, docs, _handle = load_file(ModuleDouble(), str(path), "file", keep_empty=True)
    assert docs[0] is None and docs[1] == {"a": 1}


def test_load_file_names_the_missing_or_broken_file(tmp_path):
    missing = tmp_path / "absent.yaml"
    with pytest.raises(Failed, match=f"RKE cluster file {missing} does not exist"):
        load_file(ModuleDouble(), str(missing), "RKE cluster file")
    assert load_file(ModuleDouble(), str(missing), "x", missing_ok=True)[:2] == ("", [])
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [1\n")
    with pytest.raises(Failed, match=f"refusing to edit {broken}: not valid YAML"):
        load_file(ModuleDouble(), str(broken), "file")


def test_save_edit_backs_up_and_replaces(tmp_path):
    path = tmp_path / "kube-scheduler.yaml"
    path.write_text("a: 1\n")
    path.chmod(0o640)
    before, docs, handle = load_file(ModuleDouble(), str(path), "file")
    docs[0]["b"] = 2
    after = dump_documents(docs, handle)
    outcome = save_edit(ModuleDouble(), str(path), before, after, str(tmp_path / "backups"))
    assert path.read_text() == "a: 1\nb: 2\n"
    assert pathlib.Path(outcome["backup_file"]).read_text() == "a: 1\n"
    assert outcome["diff"]["before"] == "a: 1\n" and outcome["diff"]["after"] == after
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".lvmkube-")] == []


def test_save_edit_in_check_mode_writes_nothing(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("a: 1\n")
    outcome = save_edit(ModuleDouble(check_mode=True), str(path), "a: 1\n", "a: 2\n", str(tmp_path / "backups"))
    assert outcome["backup_file"] == ""
    assert outcome["diff"]["after"] == "a: 2\n"
    assert path.read_text() == "a: 1\n"
    assert not (tmp_path / "backups").exists()


def test_save_edit_creates_a_missing_file_private(tmp_path):
    path = tmp_path / "rke2" / "config.yaml"
    outcome = save_edit(ModuleDouble(), str(path), "", "x: 1\n", str(tmp_path / "backups"))
    assert outcome["backup_file"] == ""
    assert path.read_text() == "x: 1\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
