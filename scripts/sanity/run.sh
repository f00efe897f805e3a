#!/usr/bin/env bash
# `make sanity`: ansible-test sanity on the collection, offline from get-pip, with no ignore file.
#
# ansible-test must run from inside a real .../ansible_collections/<namespace>/<name> directory:
# it derives the collection from os.getcwd(), which resolves symlinks, so the development symlink
# build/collections/ansible_collections/lvmkube/cluster is not enough. We therefore copy the files
# git would track (tracked + untracked-but-not-ignored, i.e. the working tree as it would be
# committed) into build/sanity/ansible_collections/lvmkube/cluster and run there.
#
# --venv --python 3.12: ansible-test builds its own virtual environments (one per sanity test
# requirement set) from our .venv's Python 3.12, so the pinned tool versions of each sanity test
# never touch .venv. Bootstrapping pip into those venvs normally downloads get-pip.py, which is
# not reachable here: seed_get_pip.py replaces it with the .venv's own pip (see that file).
# Requirements of the sanity tests themselves are installed from the package index.
#
# Extra arguments are passed to ansible-test, e.g. `scripts/sanity/run.sh --test validate-modules`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
# LVMKUBE_SANITY_PYTHON: the Python of another venv whose ansible-test runs (scripts/sanity/pythons.sh: 2.18's).
py="${LVMKUBE_SANITY_PYTHON:-$root/.venv/bin/python}"
[ -x "$py" ] || { echo "sanity: $py missing: run make setup" >&2; exit 1; }

ignores=(tests/sanity/ignore-*.txt)
if [ -e "${ignores[0]}" ]; then
  echo "sanity: ERROR: ignore files are not allowed in this collection: ${ignores[*]}" >&2
  exit 1
fi

"$py" scripts/sanity/seed_get_pip.py

dest="$root/build/sanity/ansible_collections/lvmkube/cluster"
rm -rf "$dest"
mkdir -p "$dest"
# -z: NUL separated; --deduplicate is not in older git, so sort -u does that.
# Scope: the collection's content (what `ansible-galaxy collection build` ships) plus tests/, as
# ansible-test expects. Development tooling that never ships and is not Ansible content -
# scripts/ (toolchain, VM harness) and extensions/ (molecule scenarios) - is left out; ruff and
# ansible-lint check it in `make lint`. Nothing else is excluded and there is no ignore file.
git ls-files -z --cached --others --exclude-standard -- . ':!:scripts/' ':!:extensions/' \
  | sort -zu \
  | rsync -a --from0 --files-from=- --ignore-missing-args ./ "$dest/"
echo "sanity: copied $(find "$dest" -type f | wc -l) files to $dest"

cd "$dest"
# The copy lives inside this checkout's git-ignored build/ dir: ansible-test would find the outer
# repository and see no files at all ("All targets skipped"). A throw-away repository of its own
# makes ansible-test list exactly the copied files.
git init -q .
git add -A
export PATH="$(dirname "$py"):$PATH"
exec ansible-test sanity --venv --python 3.12 --color no "$@"
