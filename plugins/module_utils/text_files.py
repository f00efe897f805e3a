# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a text file and replacing one atomically: one behaviour for every module and plugin.

Reading (:func:`read_text`):

- a file that does not exist (nor a folder on its path) is ``None``: the caller says what absence means
  (``read_text(path) or ""`` where missing is empty);
- a file that exists but cannot be read (no permission, a directory, an I/O error) raises
  :class:`FileReadError`, an ``OSError`` naming the path: it is never mistaken for a missing or empty file;
- the text is UTF-8; bytes that are not UTF-8 are kept as surrogate escapes instead of failing, so a foreign
  file with a Latin-1 comment is still read, and :func:`replace_file` writes those bytes back unchanged.
  Parsers that need clean text (YAML) refuse such characters with their own error.

Replacing (:func:`replace_file`): the new text goes to a hidden temporary file in the same directory (the
kubelet and systemd ignore dot files, and a rename within one file system is atomic), is flushed and
fsync'ed, gets the mode (and the owner, group and SELinux label of the file it replaces), and is renamed over
the target with ``os.replace``; the directory is fsync'ed after. A failure leaves the old file untouched and
no temporary file behind. With ``backup_dir`` the old file is first copied there (see :func:`backup_file`),
the same way: a temporary file renamed to the backup's name, so a killed run never leaves a truncated backup.

- Symbolic links: the file a link points to is edited and the link is kept (kubeadm and RKE set-ups link
  their configuration files); :func:`link_target` tells the module the target, which it returns. A link
  whose target does not exist, or a loop, is refused.
- Temporary files of a run that was killed (SIGKILL, a reboot) are removed by the next :func:`replace_file`
  or :func:`backup_file` in that directory: while a run writes one it holds an exclusive ``flock`` on it, so
  a temporary file of ours (``<prefix>`` plus mkstemp's 8 characters) that nobody holds is stale.
- Errors while writing (``backup_dir`` is a file, an immutable target, a full disk) raise
  :class:`FileWriteError` naming the path, after anything done so far (a new backup) is undone.
- Results: :func:`shown_text` turns the bytes that are not UTF-8 into U+FFFD for a module's result (diff,
  values), which Ansible refuses to carry as surrogate escapes; the file itself keeps its bytes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
import time

ENCODING = "utf-8"
ERRORS = "surrogateescape"
_SELINUX_XATTR = "security.selinux"


class FileReadError(OSError):
    """A file that exists but cannot be read; str() is "cannot read <path>: <reason>"."""

    def __str__(self):
        return f"cannot read {self.filename}: {self.strerror}"


class FileWriteError(OSError):
    """A file that cannot be written; str() is "cannot write <path>: <reason>" (nothing was changed)."""

    def __str__(self):
        return f"cannot write {self.filename}: {self.strerror}"


def _write_error(exc, path, hint=""):
    reason = exc.strerror or str(exc)
    if exc.errno == errno.EPERM and not hint:
        hint = " (an immutable file or folder, chattr +i? see lsattr)"
    return FileWriteError(exc.errno, reason + hint, os.fspath(path))


def shown_text(text):
    """text for a module result: bytes that are not UTF-8 (kept as surrogate escapes) shown as U+FFFD."""
    if text is None or not isinstance(text, str):
        return text
    return text.encode(ENCODING, ERRORS).decode(ENCODING, "replace")


def has_foreign_bytes(text):
    """Whether text (read by :func:`read_text`) holds bytes that are not UTF-8."""
    return isinstance(text, str) and shown_text(text) != text


def link_target(path):
    """The file that editing path changes: path itself, or the final target when path is a symbolic link.

    Raises FileWriteError for a link whose target does not exist (a dangling link) or a link loop.
    """
    path = os.fspath(path)
    if not os.path.islink(path):
        return path
    target = os.path.realpath(path)
    try:
        os.stat(path)
    except OSError as exc:
        reason = (
            "a symbolic link loop" if exc.errno == errno.ELOOP else f"a symbolic link to {target}, which is missing"
        )
        raise FileWriteError(exc.errno, f"refusing to edit {reason}", path) from None
    return target


def _temp_name_re(prefix):
    return re.compile("^" + re.escape(prefix) + "[a-z0-9_]{8}$")


def remove_stale_temp_files(directory, prefix=".lvmkube-"):
    """Remove temporary files of ours that a killed run left in directory; return their paths.

    A temporary file is ours when its name is ``prefix`` plus mkstemp's 8 characters; it is stale when no
    process holds the ``flock`` :func:`_locked_temp_file` takes while writing it.
    """
    pattern, removed = _temp_name_re(prefix), []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        if not pattern.match(name):
            continue
        path = os.path.join(directory, name)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a running write holds it
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
                removed.append(path)
        finally:
            os.close(fd)
    return removed


def _locked_temp_file(directory, prefix):
    """mkstemp in directory, with an exclusive flock held on the returned fd until it is closed."""
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=directory)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd, tmp


def read_text(path):
    """The text of path, or None when it does not exist; FileReadError when it cannot be read."""
    try:
        with open(path, encoding=ENCODING, errors=ERRORS) as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise FileReadError(exc.errno, exc.strerror or str(exc), os.fspath(path)) from None


def backup_file(path, backup_dir, prefix=".lvmkube-"):
    """Copy path byte for byte (with its mode and times) into backup_dir (made 0700); return the copy's path.

    The copy is ``<name>.<UTC timestamp>.bak``, with a counter added when that name is taken. It is written
    to a temporary file in backup_dir and linked to its name only when complete. Raises FileWriteError
    (backup_dir is a file, cannot be made or written).
    """
    try:
        os.makedirs(backup_dir, mode=0o700, exist_ok=True)
    except FileExistsError as exc:
        raise _write_error(exc, backup_dir, " (backup_dir exists and is not a folder)") from None
    except OSError as exc:
        raise _write_error(exc, backup_dir) from None
    remove_stale_temp_files(backup_dir, prefix)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    base = os.path.basename(path)
    try:
        fd, tmp = _locked_temp_file(backup_dir, prefix)
    except OSError as exc:
        raise _write_error(exc, backup_dir) from None
    try:
        with open(path, "rb") as source, os.fdopen(fd, "wb", closefd=False) as handle:
            shutil.copyfileobj(source, handle, 1 << 20)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copystat(path, tmp)
        counter = 0
        while True:
            target = os.path.join(backup_dir, f"{base}.{stamp}.{counter}.bak" if counter else f"{base}.{stamp}.bak")
            try:
                os.link(tmp, target)  # never replaces an existing backup
                break
            except FileExistsError:
                counter += 1
        os.unlink(tmp)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _write_error(exc, backup_dir) from None
    finally:
        os.close(fd)
    _fsync_dir(backup_dir)
    return target


def _copy_owner(old, tmp):
    with contextlib.suppress(PermissionError):  # not root: the file becomes ours, as with AnsibleModule.atomic_move
        os.chown(tmp, old.st_uid, old.st_gid)


def _copy_selinux_label(path, tmp):
    if not hasattr(os, "getxattr"):
        return
    try:
        os.setxattr(tmp, _SELINUX_XATTR, os.getxattr(path, _SELINUX_XATTR))
    except OSError as exc:
        if exc.errno not in (errno.ENODATA, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM, errno.EACCES):
            raise


def _fsync_dir(directory):
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def replace_file(path, text, mode=None, backup_dir=None, prefix=".lvmkube-"):
    """Atomically make path hold text (str, written as UTF-8, or bytes); return the backup's path or "".

    mode (an int) is set on the result; without it an existing file keeps its mode and a new one gets 0600.
    An existing file's owner, group and SELinux label are kept. The directory is created (0755) when
    missing. backup_dir: copy an existing file there first (:func:`backup_file`). A symbolic link is kept
    and its target replaced (:func:`link_target`). Raises FileWriteError with nothing changed.
    """
    path = link_target(path)
    directory = os.path.dirname(path) or "."
    try:
        os.makedirs(directory, mode=0o755, exist_ok=True)
    except OSError as exc:
        raise _write_error(exc, directory) from None
    remove_stale_temp_files(directory, prefix)
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    if mode is None:
        mode = old.st_mode & 0o7777 if old is not None else 0o600
    data = text if isinstance(text, bytes) else text.encode(ENCODING, ERRORS)
    try:
        fd, tmp = _locked_temp_file(directory, prefix)
    except OSError as exc:
        raise _write_error(exc, path) from None
    backup = ""
    try:
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if old is not None:
            _copy_owner(old, tmp)
            _copy_selinux_label(path, tmp)
        os.chmod(tmp, mode)  # after chown, which clears setuid/setgid bits
        backup = backup_file(path, backup_dir, prefix) if backup_dir and old is not None else ""
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        if backup:
            with contextlib.suppress(OSError):
                os.unlink(backup)
        if isinstance(exc, FileWriteError) or not isinstance(exc, OSError):
            raise
        raise _write_error(exc, path) from None
    finally:
        os.close(fd)
    _fsync_dir(directory)
    return backup
