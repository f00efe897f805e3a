# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""read_text(), replace_file() and backup_file(): the one way the collection reads and replaces files."""

from __future__ import annotations

import fcntl
import os
import pathlib
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, FIXTURES

from ansible_collections.lvmkube.cluster.plugins.module_utils import text_files
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import files as kube_scheduler_files
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import (
    FileReadError,
    backup_file,
    read_text,
    replace_file,
)
from ansible_collections.lvmkube.cluster.plugins.modules import (
    kube_scheduler_kubeadm,
    kubeadm_cluster_config,
    kubelet_flags,
    rke2_config_dropin,
    rke2_scheduler_config,
    rke_cluster_yml,
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


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(28, "No space left on device"), "No space left on device"),
        # What rename(2) answers for an immutable file (chattr +i): EPERM, with a hint.
        (PermissionError(1, "Operation not permitted"), "Operation not permitted .*chattr"),
    ],
)
def test_a_failed_write_leaves_the_old_file_no_temporary_file_and_no_new_backup(tmp_path, monkeypatch, error, message):
    path = tmp_path / "kubeadm-flags.env"
    path.write_text("old\n")

    def broken_replace(src, dst):
        raise error

    monkeypatch.setattr(text_files.os, "replace", broken_replace)
    with pytest.raises(text_files.FileWriteError, match=f"cannot write {path}: {message}"):
        replace_file(path, "new\n", backup_dir=tmp_path / "backups")
    assert path.read_text() == "old\n" and os.listdir(tmp_path / "backups") == []
    assert sorted(os.listdir(tmp_path)) == ["backups", "kubeadm-flags.env"]


def test_backup_file_counts_up_when_the_name_is_taken(tmp_path):
    path = tmp_path / "a.conf"
    path.write_text("a")
    names = {backup_file(path, tmp_path / "b"), backup_file(path, tmp_path / "b"), backup_file(path, tmp_path / "b")}
    assert len(names) == 3 and all(pathlib.Path(n).read_text() == "a" for n in names)


# --- symbolic links, killed runs, unwritable places -----------------------------------------------------------


def test_a_symlinked_target_is_edited_through_the_link_which_stays(tmp_path):
    real = tmp_path / "real" / "config.yaml"
    real.parent.mkdir()
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "config.yaml"
    link.symlink_to(os.path.relpath(real, tmp_path))
    assert text_files.link_target(link) == str(real)
    backup = replace_file(link, "new\n", backup_dir=tmp_path / "backups")
    assert link.is_symlink() and os.readlink(link) == "real/config.yaml"
    assert real.read_text() == "new\n" and stat.S_IMODE(real.stat().st_mode) == 0o640
    assert pathlib.Path(backup).read_text() == "old\n" and os.path.basename(backup).startswith("config.yaml.")
    assert sorted(os.listdir(real.parent)) == ["config.yaml"]  # the temporary file went next to the target


@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_a_dangling_or_looping_link_is_refused_with_nothing_written(tmp_path, kind):
    link = tmp_path / "config.yaml"
    if kind == "dangling":
        link.symlink_to(tmp_path / "missing.yaml")
    else:
        link.symlink_to(tmp_path / "other")
        (tmp_path / "other").symlink_to(link)
    with pytest.raises(text_files.FileWriteError, match=f"cannot write {link}: refusing to edit a symbolic link"):
        replace_file(link, "new\n")
    assert not (tmp_path / "missing.yaml").exists() and link.is_symlink()


def test_backup_dir_that_is_a_file_fails_naming_it_with_nothing_changed(tmp_path):
    path = tmp_path / "kubeadm-flags.env"
    path.write_text("old\n")
    (tmp_path / "backups").write_text("not a folder")
    with pytest.raises(text_files.FileWriteError) as info:
        replace_file(path, "new\n", backup_dir=tmp_path / "backups")
    assert str(info.value).startswith(f"cannot write {tmp_path / 'backups'}: ")
    assert "backup_dir exists and is not a folder" in str(info.value)
    assert path.read_text() == "old\n" and sorted(os.listdir(tmp_path)) == ["backups", "kubeadm-flags.env"]


def test_a_really_immutable_target(tmp_path):
    path = tmp_path / "kubeadm-flags.env"
    path.write_text("old\n")
    chattr = shutil.which("chattr")
    if os.geteuid() != 0 or not chattr or subprocess.run([chattr, "+i", str(path)], check=False).returncode:
        pytest.skip("chattr +i needs root and a file system with the immutable flag")
    try:
        with pytest.raises(text_files.FileWriteError, match=f"cannot write {path}: Operation not permitted"):
            replace_file(path, "new\n", backup_dir=tmp_path / "backups")
        assert path.read_text() == "old\n" and os.listdir(tmp_path / "backups") == []
        assert sorted(os.listdir(tmp_path)) == ["backups", "kubeadm-flags.env"]
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_stale_temporary_files_of_ours_are_removed_and_held_ones_kept(tmp_path):
    stale = tmp_path / ".lvmkube-abcd1234"
    stale.write_bytes(b"x" * 1000)
    held = tmp_path / ".lvmkube-held5678"
    held.write_bytes(b"y")
    foreign = tmp_path / ".lvmkube-notours"  # 7 characters: not a name mkstemp gives us
    foreign.write_text("z")
    fd = os.open(held, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a write in progress
        replace_file(tmp_path / "target", "new\n")
        assert sorted(os.listdir(tmp_path)) == [".lvmkube-held5678", ".lvmkube-notours", "target"]
    finally:
        os.close(fd)
    assert text_files.remove_stale_temp_files(tmp_path) == [str(held)]


KILLED_WRITER = """
import sys
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import replace_file
replace_file(sys.argv[1], open(sys.argv[2], "rb").read(), backup_dir=sys.argv[3])
"""


def test_writes_killed_at_any_moment_leave_no_truncated_backup_and_the_next_run_cleans_up(tmp_path):
    target, new, backups = tmp_path / "big.env", tmp_path / "new.bin", tmp_path / "backups"
    old_data, new_data = b"o" * (8 << 20), b"n" * (8 << 20)
    target.write_bytes(old_data)
    new.write_bytes(new_data)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for delay in (0.05, 0.1, 0.15, 0.2, 0.3, 0.4):
        proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target), str(new), str(backups)], env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert target.read_bytes() in (old_data, new_data)  # never corrupt
        for name in os.listdir(backups) if backups.exists() else []:
            if not name.startswith(".lvmkube-"):
                assert (backups / name).read_bytes() in (old_data, new_data), name  # complete or absent
        target.write_bytes(old_data)
    replace_file(target, b"final", backup_dir=backups)
    assert [name for name in os.listdir(tmp_path) if name.startswith(".lvmkube-")] == []
    assert [name for name in os.listdir(backups) if name.startswith(".lvmkube-")] == []
    assert target.read_bytes() == b"final"


def test_shown_text_replaces_foreign_bytes_for_results_only(tmp_path):
    path = tmp_path / "kubeadm-flags.env"
    path.write_bytes(b"# caf\xe9\n")
    text = read_text(path)
    assert text_files.has_foreign_bytes(text) and not text_files.has_foreign_bytes("caf\u00e9")
    assert text_files.shown_text(text) == "# caf\ufffd\n"
    assert text_files.shown_text(None) is None


# --- the six file-editing modules on odd files ------------------------------------------------------------
# The six file-editing modules on odd files: an edit takes effect or fails with nothing changed.
#
# Symbolic links (the link's target is edited, the link stays, ``link_target`` says so), a backup_dir that is a
# file, an immutable target (chattr +i, where this machine allows it), a variable assigned twice in an
# environment file, bytes that are not UTF-8, and keys given twice in YAML (refused in every parser path).

OLD_RKE2_EDIT = f"token: abc\nkube-scheduler-arg:\n- config={CONFIG_FILE}\n" + (
    f"kube-scheduler-extra-mount:\n- {CONFIG_DIR}:{CONFIG_DIR}:ro\n"
)
SCHEDULER = {"config_file": CONFIG_FILE, "config_dir": CONFIG_DIR}


def case(name, module, file_name, content, args):
    return pytest.param(module, file_name, content, args, id=name)


CASES = [
    case("kubelet_flags", kubelet_flags, "kubeadm-flags.env", 'KUBELET_KUBEADM_ARGS="--max-pods=110"\n',
         {"flags": {"cloud-provider": "external"}}),
    case("rke2_config_dropin", rke2_config_dropin, "config.yaml.d/60-cloud.yaml", "cloud-provider-name: old\n",
         {"settings": {"cloud-provider-name": "external"}}),
    case("kube_scheduler_kubeadm", kube_scheduler_kubeadm, "manifests/kube-scheduler.yaml",
         (FIXTURES / "kube-scheduler-v1.35.yaml.txt").read_text(), SCHEDULER),
    case("kubeadm_cluster_config", kubeadm_cluster_config, "kubeadm.yaml",
         (FIXTURES / "kubeadm-config-v1beta4.yaml.txt").read_text(), SCHEDULER),
    case("rke_cluster_yml", rke_cluster_yml, "cluster.yml", (FIXTURES / "rke1-cluster.yml.txt").read_text(), SCHEDULER),
    case("rke2_scheduler_config", rke2_scheduler_config, "config.yaml", OLD_RKE2_EDIT, SCHEDULER),
]  # fmt: skip


def place(tmp_path, file_name, content, link):
    """The file where the module expects it, or a symbolic link there to the file kept elsewhere."""
    path = tmp_path / "etc" / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "etc" / "config.yaml.d").mkdir(exist_ok=True)
    if not link:
        path.write_text(content)
        return path, path
    real = tmp_path / "real" / Path(file_name).name
    real.parent.mkdir(exist_ok=True)
    real.write_text(content)
    path.symlink_to(real)
    return path, real


@pytest.mark.parametrize(("module", "file_name", "content", "args"), CASES)
def test_a_symlink_is_kept_and_the_file_it_points_to_is_edited(  # noqa: PLR0917 - one parametrize row
    tmp_path, run_module, module, file_name, content, args
):
    path, real = place(tmp_path, file_name, content, link=True)
    backups = tmp_path / "backups"
    check = run_module(module, path=str(path), backup_dir=str(backups), _ansible_check_mode=True, **args)
    assert check["rc"] == 0 and check["changed"] is True, check
    assert real.read_text() == content and path.is_symlink()

    result = run_module(module, path=str(path), backup_dir=str(backups), **args)
    assert result["rc"] == 0 and result["changed"] is True, result
    assert path.is_symlink() and os.readlink(path) == str(real)  # the link is not replaced by a regular file
    assert real.read_text() != content  # the edit took effect where the link points
    assert result["link_target"] == str(real)
    backup = result.get("backup_file") or result.get("dropin_backup_file")
    assert Path(backup).read_text() == content
    assert sorted(os.listdir(real.parent)) == [real.name]  # no temporary file left
    assert run_module(module, path=str(path), backup_dir=str(backups), **args)["changed"] is False


@pytest.mark.parametrize(("module", "file_name", "content", "args"), CASES)
def test_a_backup_dir_that_is_a_file_fails_naming_it_with_nothing_changed(  # noqa: PLR0917 - one parametrize row
    tmp_path, run_module, module, file_name, content, args
):
    path, _real = place(tmp_path, file_name, content, link=False)
    backups = tmp_path / "backups"
    backups.write_text("a file, not a folder\n")
    result = run_module(module, path=str(path), backup_dir=str(backups), **args)
    assert result["rc"] == 1 and result["failed"] is True, result
    assert f"cannot write {backups}: " in result["msg"] and "not a folder" in result["msg"], result["msg"]
    assert "Errno" not in result["msg"] and "Traceback" not in str(result)
    assert path.read_text() == content and backups.read_text() == "a file, not a folder\n"
    assert sorted(os.listdir(path.parent)) == sorted(
        {path.name, *(["config.yaml.d"] if path.parent.name == "etc" else [])}
    )


def chattr(path, flag):
    tool = shutil.which("chattr")
    if os.geteuid() != 0 or not tool or subprocess.run([tool, flag, str(path)], check=False).returncode:
        pytest.skip("chattr +i needs root and a file system with the immutable flag")


@pytest.mark.parametrize(("module", "file_name", "content", "args"), CASES)
def test_an_immutable_target_fails_naming_it_with_nothing_changed(  # noqa: PLR0917 - one parametrize row
    tmp_path, run_module, module, file_name, content, args
):
    path, _real = place(tmp_path, file_name, content, link=False)
    backups = tmp_path / "backups"
    chattr(path, "+i")
    try:
        result = run_module(module, path=str(path), backup_dir=str(backups), **args)
    finally:
        subprocess.run([shutil.which("chattr"), "-i", str(path)], check=True)
    assert result["rc"] == 1 and result["failed"] is True, result
    assert f"cannot write {path}: Operation not permitted" in result["msg"], result["msg"]
    assert path.read_text() == content
    left = sorted(os.listdir(backups)) if backups.exists() else []
    assert [name for name in left if not name.endswith(".pristine")] == []  # no backup of a change never made
    assert not [name for name in os.listdir(path.parent) if name.startswith(".lvmkube-")]


@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_a_dangling_link_is_refused(tmp_path, run_module, kind):
    path = tmp_path / "kubeadm-flags.env"
    if kind == "dangling":
        path.symlink_to(tmp_path / "gone.env")
        result = run_module(kubelet_flags, path=str(path), flags={"a": "1"}, backup_dir=str(tmp_path / "b"))
        assert result["rc"] == 1 and f"{path} does not exist" in result["msg"]  # read as missing, nothing created
        assert not (tmp_path / "gone.env").exists()
    else:
        (tmp_path / "other.yaml").symlink_to(tmp_path / "config.yaml.d" / "60-x.yaml")
        (tmp_path / "config.yaml.d").mkdir()
        (tmp_path / "config.yaml.d" / "60-x.yaml").symlink_to(tmp_path / "other.yaml")
        result = run_module(rke2_config_dropin, path=str(tmp_path / "config.yaml.d" / "60-x.yaml"), settings={"a": 1})
        assert result["rc"] == 1 and "symbolic link" in result["msg"], result["msg"]


# --- kubeadm-flags.env: the assignment systemd uses, bytes that are not UTF-8 ------------------------------------


def test_a_variable_assigned_twice_is_edited_on_the_last_line_the_one_systemd_uses(tmp_path, run_module):
    path = tmp_path / "kubeadm-flags.env"
    first = 'KUBELET_KUBEADM_ARGS="--max-pods=10"\n'
    path.write_text(first + '# later override\nKUBELET_KUBEADM_ARGS="--node-ip=10.0.0.1"\n')
    result = run_module(kubelet_flags, path=str(path), flags={"cloud-provider": "external"}, backup_dir=str(tmp_path))
    assert result["rc"] == 0 and result["changed"] is True
    lines = path.read_text().splitlines(keepends=True)
    assert lines[0] == first  # left as it was: systemd does not use it
    assert lines[2] == 'KUBELET_KUBEADM_ARGS="--node-ip=10.0.0.1 --cloud-provider=external"\n'
    assert result["flags"] == {"node-ip": "10.0.0.1", "cloud-provider": "external"}  # what is in effect
    again = run_module(kubelet_flags, path=str(path), flags={"cloud-provider": "external"}, backup_dir=str(tmp_path))
    assert again["changed"] is False


def test_foreign_bytes_in_a_comment_are_kept_and_the_result_shows_them_replaced(tmp_path, run_module):
    path = tmp_path / "kubeadm-flags.env"
    path.write_bytes(b'# caf\xe9 (latin-1)\nKUBELET_KUBEADM_ARGS="--max-pods=10"\n')
    result = run_module(
        kubelet_flags, path=str(path), flags={"cloud-provider": "external"}, backup_dir=str(tmp_path / "b"),
        _ansible_diff=True,
    )  # fmt: skip
    assert result["rc"] == 0 and result["changed"] is True
    assert path.read_bytes() == b'# caf\xe9 (latin-1)\nKUBELET_KUBEADM_ARGS="--max-pods=10 --cloud-provider=external"\n'
    assert result["diff"]["before"].startswith("# caf\ufffd (latin-1)\n")
    assert "\udce9" not in str(result)


def test_foreign_bytes_in_a_value_are_refused_before_writing(tmp_path, run_module):
    # systemd refuses the whole file then (env-file.c check_utf8ness_and_warn): no edit could take effect.
    path = tmp_path / "kubeadm-flags.env"
    raw = b'KUBELET_KUBEADM_ARGS="--node-labels=caf\xe9=1"\n'
    path.write_bytes(raw)
    result = run_module(kubelet_flags, path=str(path), flags={"cloud-provider": "external"}, backup_dir=str(tmp_path))
    assert result["rc"] == 1 and "line 1 holds bytes that are not UTF-8" in result["msg"]
    assert path.read_bytes() == raw and sorted(os.listdir(tmp_path)) == ["kubeadm-flags.env"]


def test_rke2_dropin_diff_of_a_file_with_foreign_bytes_is_shown_replaced(tmp_path, run_module):
    dropins = tmp_path / "config.yaml.d"
    dropins.mkdir()
    target = dropins / "60-cloud.yaml"
    target.write_bytes(b"# caf\xe9\ncloud-provider-name: old\n")
    result = run_module(
        rke2_config_dropin, path=str(target), settings={"cloud-provider-name": "external"},
        backup_dir=str(tmp_path / "b"), _ansible_diff=True,
    )  # fmt: skip
    assert result["rc"] == 0 and result["changed"] is True
    assert result["diff"]["before"] == "# caf\ufffd\ncloud-provider-name: old\n"
    assert b"cloud-provider-name: external" in target.read_bytes()


# --- duplicate YAML keys: refused in every parser path -------------------------------------------------------


DUPLICATE_POD = (FIXTURES / "kube-scheduler-v1.35.yaml.txt").read_text() + "metadata:\n  name: second\n"


@pytest.mark.parametrize("ruamel", [True, False], ids=["ruamel.yaml", "PyYAML"])
@pytest.mark.parametrize(
    ("module", "file_name", "text", "key"),
    [
        (kube_scheduler_kubeadm, "manifests/kube-scheduler.yaml", DUPLICATE_POD, "metadata"),
        (kubeadm_cluster_config, "kubeadm.yaml",
         (FIXTURES / "kubeadm-config-v1beta4.yaml.txt").read_text().replace(
             "kind: ClusterConfiguration\n", "kind: ClusterConfiguration\nkind: ClusterConfiguration\n"), "kind"),
        (rke_cluster_yml, "cluster.yml", (FIXTURES / "rke1-cluster.yml.txt").read_text() + "services: {}\n",
         "services"),
        (rke2_scheduler_config, "config.yaml", OLD_RKE2_EDIT + "token: def\n", "token"),
    ],
    ids=["kube_scheduler_kubeadm", "kubeadm_cluster_config", "rke_cluster_yml", "rke2_scheduler_config"],
)  # fmt: skip
def test_duplicate_keys_are_refused_naming_key_and_line(  # noqa: PLR0917 - one parametrize row
    tmp_path, run_module, monkeypatch, ruamel, module, file_name, text, key
):
    if module is rke_cluster_yml and not ruamel:
        pytest.skip("rke_cluster_yml requires ruamel.yaml")
    monkeypatch.setattr(kube_scheduler_files, "HAS_RUAMEL", ruamel and kube_scheduler_files.HAS_RUAMEL)
    path, _real = place(tmp_path, file_name, text, link=False)
    result = run_module(module, path=str(path), backup_dir=str(tmp_path / "b"), **SCHEDULER)
    assert result["rc"] == 1, result
    line = next(i for i, row in reversed(list(enumerate(text.splitlines(), 1))) if row.startswith(key + ":"))
    assert "duplicate key" in result["msg"] and key in result["msg"] and f"line {line}" in result["msg"], result["msg"]
    assert path.read_text() == text and not (tmp_path / "b").exists()


def test_rke2_config_dropin_refuses_a_config_yaml_with_a_duplicate_key(tmp_path, run_module):
    (tmp_path / "config.yaml").write_text("token: a\ncni: calico\ntoken: b\n")
    (tmp_path / "config.yaml.d").mkdir()
    target = tmp_path / "config.yaml.d" / "60-cloud.yaml"
    result = run_module(rke2_config_dropin, path=str(target), settings={"cloud-provider-name": "external"})
    assert result["rc"] == 1 and "duplicate key 'token' on line 3 (first on line 1)" in result["msg"], result["msg"]
    assert not target.exists()
