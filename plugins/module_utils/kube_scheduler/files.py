# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""YAML round-trip and safe file replacement shared by the kube-scheduler backends' modules (and kubelet_flags).

Round-trip (comments and key order kept) uses ruamel.yaml when it is importable; without it the
modules fall back to PyYAML, which keeps key order but drops comments.
"""

from __future__ import annotations

import io
import os
import re

try:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError as RuamelYAMLError

    HAS_RUAMEL = True
except ImportError:
    YAML = None
    RuamelYAMLError = ValueError
    HAS_RUAMEL = False

from ansible_collections.lvmkube.cluster.plugins.module_utils import yaml_unique
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import plain_data
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import (
    FileReadError,
    FileWriteError,
    link_target,
    read_text,
    replace_file,
    shown_text,
)

try:
    import yaml

    HAS_PYYAML = True
except ImportError:
    yaml = None
    HAS_PYYAML = False


DEFAULT_BACKUP_DIR = "/var/backups/lvmkube/kube-scheduler"


def shared_argument_spec(path=None, backup=True):
    """The argument spec of the options in doc fragment lvmkube.cluster.kube_scheduler_files.

    path: the module's default for its ``path`` option (None: required; False: no path option).
    backup: add ``backup_dir`` (fragment ``lvmkube.cluster.kube_scheduler_files.backup``).
    """
    spec = {
        "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        "config_file": {"type": "path", "required": True},
        "config_dir": {"type": "path", "required": True},
    }
    if path is None:
        spec["path"] = {"type": "path", "required": True}
    elif path is not False:
        spec["path"] = {"type": "path", "default": path}
    if backup:
        spec["backup_dir"] = {"type": "path", "default": DEFAULT_BACKUP_DIR}
    return spec


class YamlParseError(ValueError):
    """The text is not YAML this module can edit."""


def _sequence_indent(text):
    """Return (sequence, offset) for ruamel from the first block sequence found in text."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^(\s*)- ", line)
        if not match or index == 0:
            continue
        previous = lines[index - 1]
        prev_match = re.match(r"^(\s*)[^\s#-][^:]*:\s*$", previous)
        if prev_match:
            offset = len(match.group(1)) - len(prev_match.group(1))
            if offset > 0:
                return offset + 2, offset
            return 2, 0
    return 2, 0


def yaml_library(round_trip=True):
    """Name of the library load_documents() will use."""
    if round_trip and HAS_RUAMEL:
        return "ruamel.yaml"
    if HAS_PYYAML:
        return "PyYAML"
    return None


def load_documents(text, round_trip=True):
    """Parse every YAML document in text. Returns (documents, handle); handle is passed to dump_documents."""
    library = yaml_library(round_trip)
    if library is None:
        raise YamlParseError("neither ruamel.yaml nor PyYAML is installed")
    try:
        if library == "ruamel.yaml":
            loader = YAML(typ="rt")
            loader.preserve_quotes = True
            loader.width = 4096
            sequence, offset = _sequence_indent(text)
            loader.indent(mapping=2, sequence=sequence, offset=offset)
            docs = list(loader.load_all(text))
            return docs, loader
        docs = yaml_unique.safe_load_all(text)  # refuses duplicate keys, as ruamel's round trip does
        return docs, None
    except (RuamelYAMLError, ValueError, TypeError, AttributeError) as exc:
        raise YamlParseError(f"not valid YAML: {exc}") from exc
    except Exception as exc:  # PyYAML's YAMLError and ruamel's composer errors have no common base
        raise YamlParseError(f"not valid YAML: {exc}") from exc


def dump_documents(docs, handle):
    """Serialise documents loaded by load_documents() back to text."""
    if handle is not None:
        stream = io.StringIO()
        if len(docs) == 1:
            handle.dump(docs[0], stream)
        else:
            handle.dump_all(docs, stream)
        return stream.getvalue()
    if len(docs) == 1:
        return yaml.safe_dump(docs[0], sort_keys=False, default_flow_style=False, width=4096)
    return yaml.safe_dump_all(docs, sort_keys=False, default_flow_style=False, width=4096)


def load_file(module, path, what, *, round_trip=True, keep_empty=False, missing_ok=False):
    """Read and parse the YAML file a module edits, or fail the module naming the file.

    Returns ``(before, documents, handle)``: the original text, its documents (empty documents dropped unless
    keep_empty) and the handle for dump_documents(). A missing file fails the module with "<what> <path> does
    not exist" unless missing_ok, which reads it as empty text.
    """
    try:
        before = read_text(path)
    except FileReadError as exc:
        module.fail_json(msg=str(exc))
    if before is None:
        if not missing_ok:
            module.fail_json(msg=f"{what} {path} does not exist")
        before = ""
    try:
        docs, handle = load_documents(before, round_trip=round_trip)
    except YamlParseError as exc:
        module.fail_json(msg=f"refusing to edit {path}: {exc}")
    if not keep_empty:
        docs = [doc for doc in docs if doc is not None]
    return before, docs, handle


def save_edit(module, path, before, after, backup_dir):
    """Outside check mode, back the file up and replace it atomically; return the diff and the backup's path.

    A file that did not exist is created with mode 0600 (and its directory with 0755), with no backup.
    A symbolic link is kept and the file it points to is edited: ``link_target`` names that file. A write
    that fails (backup_dir is a file, an immutable target) fails the module with nothing changed.
    Returns ``{"diff": ..., "backup_file": path or "", ["link_target": path]}`` for the module's result;
    the diff shows bytes that are not UTF-8 as U+FFFD (the file keeps them).
    """
    try:
        target = link_target(path)
    except FileWriteError as exc:
        module.fail_json(msg=f"{exc}. Nothing was changed", path=path)
    outcome = {
        "diff": {"before": shown_text(before), "after": shown_text(after), "before_header": path, "after_header": path},
        "backup_file": "",
    }
    if target != path:
        outcome["link_target"] = target
    if module.check_mode:
        return outcome
    try:
        outcome["backup_file"] = replace_file(path, after, backup_dir=backup_dir)
    except FileWriteError as exc:
        module.fail_json(msg=f"{exc}. Nothing was changed", path=path)
    return outcome


def pristine_path(path, backup_dir):
    """Where the file as it was before this collection first changed it is kept."""
    return os.path.join(backup_dir, os.path.basename(path) + ".pristine")


def remember_pristine(module, path, before, backup_dir):
    """Keep before (the file without any of our changes) for a byte-for-byte restore; not in check mode."""
    if module.check_mode or not before:
        return
    try:
        os.makedirs(backup_dir, mode=0o700, exist_ok=True)
        replace_file(pristine_path(path, backup_dir), before)
    except FileExistsError:
        module.fail_json(msg=f"cannot write {backup_dir}: backup_dir exists and is not a folder. Nothing was changed")
    except FileWriteError as exc:
        module.fail_json(msg=f"{exc}. Nothing was changed")


def restore_pristine(path, backup_dir, docs, round_trip=True):
    """The kept pristine text when it parses to the same documents as docs (our changes undone), else None."""
    text = read_text(pristine_path(path, backup_dir))
    if text is None:
        return None
    try:
        pristine, _handle = load_documents(text, round_trip=round_trip)
    except YamlParseError:
        return None
    pristine = [doc for doc in pristine if doc is not None]
    return text if plain_data(pristine) == plain_data(docs) else None
