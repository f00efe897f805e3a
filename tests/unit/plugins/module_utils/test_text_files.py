# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""read_text(), replace_file() and backup_file(): the one way the collection reads and replaces files."""

from __future__ import annotations

import os
import pathlib
import stat

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils import text_files
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import (
    FileReadError,
    backup_file,
    read_text,
    replace_file,
)


def test_read_text_missing_is_none(tmp_path):
    assert read_text(tmp_path / "absent") is None
    (tmp_path / "file").write_text("x")
    assert read_text(tmp_path / "file" / "below") is None  # a file where a folder should be


def test_read_text_unreadable_raises_naming_the_path(tmp_path):
    with pytest.raises(FileReadError, match=f"cannot read {tmp_path}: ") as info:
        read_text(tmp_path)  # a directory
    assert isinstance(info.value, OSError) and info.value.filename == str(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a 0000 file")
def test_read_text_without_permission_raises(tmp_path):
    path = tmp_path / "secret"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(FileReadError, match="Permission denied"):
        read_text(path)


def test_foreign_bytes_survive_a_read_and_a_replace(tmp_path):
    path = tmp_path / "sysctl.conf"
    raw = "# caf\u00e9 utf-8\n".encode() + b"# latin-1 caf\xe9\nvm.swappiness = 1\n"
    path.write_bytes(raw)
    text = read_text(path)
    assert "vm.swappiness = 1" in text and "caf\u00e9 utf-8" in text
    replace_file(path, text + "net.ipv4.ip_forward = 1\n")
    assert path.read_bytes() == raw + b"net.ipv4.ip_forward = 1\n"


def test_replace_file_keeps_mode_and_makes_new_files_0600(tmp_path):
    existing = tmp_path / "existing"
    existing.write_text("old")
    existing.chmod(0o640)
    assert replace_file(existing, "new") == ""
    assert existing.read_text() == "new" and stat.S_IMODE(existing.stat().st_mode) == 0o640
    fresh = tmp_path / "sub" / "dir" / "fresh"
    replace_file(fresh, b"\x00bytes")
    assert fresh.read_bytes() == b"\x00bytes" and stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.parent.stat().st_mode) & 0o755 == 0o755
    replace_file(existing, "newer", mode=0o644)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing", "sub"]  # no temporary file left


def test_replace_file_keeps_owner_and_group(tmp_path):
    path = tmp_path / "f"
    path.write_text("old")
    groups = [g for g in os.getgroups() if g != path.stat().st_gid]
    if groups:
        os.chown(path, -1, groups[0])
    before = path.stat()
    replace_file(path, "new")
    after = path.stat()
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert after.st_ino != before.st_ino  # a new file renamed into place, not a rewrite


def test_replace_file_backs_up_the_old_file_first(tmp_path):
    path = tmp_path / "kubeadm-flags.env"
    path.write_text('KUBELET_KUBEADM_ARGS=""\n')
    backups = tmp_path / "backups"
    first = replace_file(path, "one\n", backup_dir=backups)
    second = replace_file(path, "two\n", backup_dir=backups)
    assert (
        pathlib.Path(first).read_text() == 'KUBELET_KUBEADM_ARGS=""\n' and pathlib.Path(second).read_text() == "one\n"
    )
    assert first != second and os.path.basename(first).startswith("kubeadm-flags.env.")
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    assert replace_file(tmp_path / "new-file", "x", backup_dir=backups) == ""  # nothing to back up
    assert len(os.listdir(backups)) == 2


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "manifest.yaml"
    path.write_text("old\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(text_files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        replace_file(path, "new\n")
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["manifest.yaml"]


def test_backup_file_counts_up_when_the_name_is_taken(tmp_path):
    path = tmp_path / "a.conf"
    path.write_text("a")
    names = {backup_file(path, tmp_path / "b"), backup_file(path, tmp_path / "b"), backup_file(path, tmp_path / "b")}
    assert len(names) == 3 and all(pathlib.Path(n).read_text() == "a" for n in names)
