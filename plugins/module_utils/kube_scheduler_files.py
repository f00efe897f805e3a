# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""YAML round-trip and safe file replacement shared by the kube_scheduler modules.

Round-trip (comments and key order kept) uses ruamel.yaml when it is importable; without it the
modules fall back to PyYAML, which keeps key order but drops comments.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import time

try:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError as RuamelYAMLError

    HAS_RUAMEL = True
except ImportError:
    YAML = None
    RuamelYAMLError = ValueError
    HAS_RUAMEL = False

try:
    import yaml

    HAS_PYYAML = True
except ImportError:
    yaml = None
    HAS_PYYAML = False


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
        docs = list(yaml.safe_load_all(text))
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


def backup_file(path, backup_dir):
    """Copy path byte for byte (with its mode) into backup_dir; return the backup's path."""
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


def replace_file(module, path, text):
    """Atomically replace path with text, keeping its owner, group and mode.

    The temporary file starts with a dot in the same directory: the kubelet ignores hidden files
    in the static pod directory, so it never sees a half-written manifest.
    """
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".lvmkube-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        module.atomic_move(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_text(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()
