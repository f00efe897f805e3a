# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of scripts/vm/guest/lvmkube_bytecode_cache.py, the zipimport bytecode cache of the test VM
images: each test runs fresh interpreters, as Ansible runs one per module call, on zips shaped like
an AnsiballZ payload (a package tree inside a zip whose path changes from call to call).

The VM images load the hook through a .pth file; here the child processes import it first.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

HOOK_DIR = Path(__file__).resolve().parents[3] / "scripts" / "vm" / "guest"

# Child process: install the hook with the given cache dir, count compile() calls, import the
# package from the zip, and report what it saw as JSON.
CHILD = r"""
import builtins, json, sys, traceback
sys.path.insert(0, sys.argv[1])
import lvmkube_bytecode_cache as cache
cache.CachingZipImporter.cache_dir = sys.argv[2]
compiled = []
real_compile = builtins.compile
def counting_compile(source, filename, *args, **kwargs):
    compiled.append(str(filename))
    return real_compile(source, filename, *args, **kwargs)
builtins.compile = counting_compile
sys.path.insert(0, sys.argv[3])
result = {}
try:
    import payload.tool as tool
    result["value"] = tool.VALUE
    result["file"] = tool.__file__
    try:
        tool.fail()
    except RuntimeError:
        result["traceback_files"] = [frame.filename for frame in traceback.extract_tb(sys.exc_info()[2])]
except SyntaxError as exc:
    result["syntax_error"] = str(exc.filename)
result["compiled"] = [name for name in compiled if name.startswith(sys.argv[3])]
print(json.dumps(result))
"""


def _zip(path: Path, tool_source: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("payload/__init__.py", "")
        archive.writestr("payload/tool.py", tool_source)
    return path


def _run(cache_dir: Path, archive: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(HOOK_DIR), str(cache_dir), str(archive)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


TOOL = "VALUE = {value}\n\ndef fail():\n    raise RuntimeError('from the payload')\n"


def test_second_process_runs_cached_code_under_its_own_zip_path(tmp_path):
    cache_dir = tmp_path / "cache"
    first = _run(cache_dir, _zip(tmp_path / "call1.zip", TOOL.format(value=1)))
    assert first["value"] == 1
    assert any(name.endswith("call1.zip/payload/tool.py") for name in first["compiled"])
    assert len(list(cache_dir.iterdir())) == 2  # payload/__init__.py and payload/tool.py

    second_zip = _zip(tmp_path / "call2.zip", TOOL.format(value=1))
    second = _run(cache_dir, second_zip)
    assert second["value"] == 1
    assert second["compiled"] == []
    assert second["file"] == str(second_zip / "payload" / "tool.py")
    # Code from the cache names the current zip in tracebacks, not the one it was compiled from.
    assert second["traceback_files"][-1] == str(second_zip / "payload" / "tool.py")


def test_changed_source_is_compiled_again(tmp_path):
    cache_dir = tmp_path / "cache"
    _run(cache_dir, _zip(tmp_path / "a.zip", TOOL.format(value=1)))
    changed = _run(cache_dir, _zip(tmp_path / "b.zip", TOOL.format(value=2)))
    assert changed["value"] == 2
    assert any(name.endswith("b.zip/payload/tool.py") for name in changed["compiled"])


def test_syntax_error_is_raised_as_without_the_cache_and_nothing_is_cached(tmp_path):
    cache_dir = tmp_path / "cache"
    result = _run(cache_dir, _zip(tmp_path / "bad.zip", "def broken(:\n"))
    assert result["syntax_error"].endswith("bad.zip/payload/tool.py")
    assert len(list(cache_dir.iterdir())) == 1  # only payload/__init__.py


@pytest.mark.parametrize("corrupt", [b"", b"not marshal data"])
def test_unreadable_cache_entry_falls_back_to_compiling(tmp_path, corrupt):
    cache_dir = tmp_path / "cache"
    _run(cache_dir, _zip(tmp_path / "a.zip", TOOL.format(value=3)))
    for entry in cache_dir.iterdir():
        entry.write_bytes(corrupt)
    result = _run(cache_dir, _zip(tmp_path / "b.zip", TOOL.format(value=3)))
    assert result["value"] == 3
    assert any(name.endswith("b.zip/payload/tool.py") for name in result["compiled"])


def test_unwritable_cache_dir_still_imports(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache dir would be\n")
    result = _run(blocker / "cache", _zip(tmp_path / "a.zip", TOOL.format(value=4)))
    assert result["value"] == 4
