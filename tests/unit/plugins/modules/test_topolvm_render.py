# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Planning of lvmkube.cluster.topolvm_render: which files are written and which are removed."""

from __future__ import annotations

import os

from ansible_collections.lvmkube.cluster.plugins.modules.topolvm_render import PATTERN_DEFAULT, _write, plan


def entry(name, content="x\n", mode="0644"):
    return {"name": name, "content": content, "mode": mode}


def test_missing_directory_writes_everything(tmp_path):
    writes, removals = plan(
        str(tmp_path / "new"), [entry("001-a.yaml"), entry("kustomization.yaml")], PATTERN_DEFAULT, "present"
    )
    assert [w[0] for w in writes] == ["001-a.yaml", "kustomization.yaml"]
    assert removals == []


def test_only_changed_content_or_mode_is_written_and_stale_managed_files_removed(tmp_path):
    _write(str(tmp_path), "001-a.yaml", "same\n", 0o644)
    _write(str(tmp_path), "002-b.yaml", "old\n", 0o644)
    _write(str(tmp_path), "003-secret-s.yaml", "key\n", 0o644)
    _write(str(tmp_path), "004-gone.yaml", "stale\n", 0o644)
    (tmp_path / "README.md").write_text("user file")
    wanted = [entry("001-a.yaml", "same\n"), entry("002-b.yaml", "new\n"), entry("003-secret-s.yaml", "key\n", "0600")]
    writes, removals = plan(str(tmp_path), wanted, PATTERN_DEFAULT, "present")
    assert [w[0] for w in writes] == ["002-b.yaml", "003-secret-s.yaml"]
    assert removals == [("004-gone.yaml", "stale\n")]


def test_absent_removes_only_managed_files(tmp_path):
    _write(str(tmp_path), "001-a.yaml", "a\n", 0o644)
    _write(str(tmp_path), "kustomization.yaml", "k\n", 0o644)
    (tmp_path / "notes.yaml").write_text("mine")
    writes, removals = plan(str(tmp_path), [entry("001-a.yaml")], PATTERN_DEFAULT, "absent")
    assert writes == []
    assert sorted(r[0] for r in removals) == ["001-a.yaml", "kustomization.yaml"]


def test_write_is_atomic_and_sets_mode(tmp_path):
    _write(str(tmp_path), "005-secret.yaml", "secret\n", 0o600)
    assert (tmp_path / "005-secret.yaml").read_text() == "secret\n"
    assert os.stat(tmp_path / "005-secret.yaml").st_mode & 0o777 == 0o600
    assert sorted(os.listdir(tmp_path)) == ["005-secret.yaml"]
