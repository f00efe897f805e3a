# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write and check generated files, for the generators of scripts/docs (gen_role_docs.py, gen_extra_docs.py).

A generator gives {path: expected content} and the directories it owns as (directory, glob): a file there that it
no longer generates is stale (``--check``) and removed (write). Files are replaced atomically, only when changed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

Owned = list[tuple[Path, str]]


def stale(root: Path, files: dict[Path, str], owned: Owned) -> list[str]:
    """Names of generated files that are missing, differ, or are left over in an owned directory."""
    problems = [
        str(path.relative_to(root))
        for path, content in files.items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]
    for directory, pattern in owned:
        problems += [
            f"{p.relative_to(root)} (no longer generated)" for p in sorted(directory.glob(pattern)) if p not in files
        ]
    return problems


def write(root: Path, files: dict[Path, str], owned: Owned) -> list[str]:
    """Write what differs, remove what is left over; return the names of the changed files."""
    changed = []
    for path, content in files.items():
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_text(content, encoding="utf-8")
            tmp.replace(path)
            changed.append(str(path.relative_to(root)))
    for directory, pattern in owned:
        for path in sorted(directory.glob(pattern)):
            if path not in files:
                path.unlink()
                changed.append(f"{path.relative_to(root)} (removed)")
    return changed


def bind(expected: Callable[[Path], dict[Path, str]], owned: Callable[[Path], Owned]):
    """stale(root) and write(root) of a generator from its expected files and owned directories."""
    return (
        lambda root: stale(root, expected(root), owned(root)),
        lambda root: write(root, expected(root), owned(root)),
    )


def main(
    argv: list[str] | None,
    *,
    doc: str,
    what: str,
    check: Callable[[Path], list[str]],
    generate: Callable[[Path], list[str]],
    summary: Callable[[Path], str],
    error: type[Exception],
    prog: str,
) -> int:
    """The command line of a generator: write, or --check (exit 1 naming stale files); exit 2 on ``error``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2], help="collection root")
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 when any)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check(args.root)
            if problems:
                print(f"{what} are stale; run `make docs`:", *problems, sep="\n  ")
                return 1
            print(f"{what} up to date ({summary(args.root)}).")
            return 0
        changed = generate(args.root)
        print("\n".join(f"wrote {name}" for name in changed) or f"{what} already up to date.")
        return 0
    except error as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
