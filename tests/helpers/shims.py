# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Executable shims that run a Python test double under a command's name (for a folder put first on PATH)."""

from __future__ import annotations

import sys
from pathlib import Path


def python_shim(bin_dir: Path, name: str, script: Path) -> Path:
    """Write bin_dir/name, a shell script that runs script with this interpreter and every argument; return it."""
    wrapper = bin_dir / name
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper
