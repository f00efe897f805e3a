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
no temporary file behind. With ``backup_dir`` the old file is first copied there (see :func:`backup_file`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time

ENCODING = "utf-8"
ERRORS = "surrogateescape"
_SELINUX_XATTR = "security.selinux"


class FileReadError(OSError):
    """A file that exists but cannot be read; str() is "cannot read <path>: <reason>"."""

    def __str__(self):
        return f"cannot read {self.filename}: {self.strerror}"


def read_text(path):
    """The text of path, or None when it does not exist; FileReadError when it cannot be read."""
    try:
        with open(path, encoding=ENCODING, errors=ERRORS) as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise FileReadError(exc.errno, exc.strerror or str(exc), os.fspath(path)) from None


def backup_file(path, backup_dir):
    """Copy path byte for byte (with its mode and times) into backup_dir (made 0700); return the copy's path.

    The copy is ``<name>.<UTC timestamp>.bak``, with a counter added when that name is taken.
    """
    os.makedirs(backup_dir, mode=0o700, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    base = os.path.basename(path)
    target = os.path.join(backup_dir, f"{base}.{stamp}.bak")
    counter = 0
    while os.path.exists(target):
        counter += 1
        target = os.path.join(backup_dir, f"{base}.{stamp}.{counter}.bak")
    shutil.copy2(path, target)
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
    missing. backup_dir: copy an existing file there first (:func:`backup_file`).
    """
    path = os.fspath(path)
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, mode=0o755, exist_ok=True)
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    if mode is None:
        mode = old.st_mode & 0o7777 if old is not None else 0o600
    backup = backup_file(path, backup_dir) if backup_dir and old is not None else ""
    data = text if isinstance(text, bytes) else text.encode(ENCODING, ERRORS)
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if old is not None:
            _copy_owner(old, tmp)
            _copy_selinux_label(path, tmp)
        os.chmod(tmp, mode)  # after chown, which clears setuid/setgid bits
        os.replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    _fsync_dir(directory)
    return backup
