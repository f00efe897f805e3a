#!/usr/bin/env bash
# CI's `sanity-pythons` step: the Python-version-specific sanity tests (compile, import) for every managed-node
# Python of the supported ansible-core range that this machine has; `make sanity` runs all tests on 3.12.
#
#   ansible-core 2.21 (.venv's ansible-test):   3.9 3.10 3.11 3.13   (3.12: the sanity step; 3.14: see below)
#   ansible-core 2.18 (build/venvs/floor's):    3.8                  (2.21's ansible-test no longer knows 3.8)
#
# Interpreters come from pyenv (~/.pyenv/versions/X.Y.*) or pythonX.Y on PATH. 3.14 (a managed-node Python of
# 2.21) is on neither here - Debian 12 packages 3.11 only and pyenv cannot download without python.org - so it is
# reported as not tested; every other missing version fails the step.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
UNAVAILABLE="3.14"

interpreter_dir() {
  local version=$1 candidate
  for candidate in "$HOME"/.pyenv/versions/"$version".*/bin/python "$(command -v "python$version" || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$version'.split('.'))))" 2>/dev/null \
      && { dirname "$candidate"; return 0; }
  done
  return 1
}

run_for() {
  local version=$1 python=$2 dir
  dir=$(interpreter_dir "$version") || { echo "sanity-pythons: Python $version not found" >&2; return 1; }
  echo "sanity-pythons: compile and import on Python $version ($dir/python$version; ansible-test of $(dirname "$(dirname "$python")"))"
  # ansible-test finds pythonX.Y on PATH.
  [ -x "$dir/python$version" ] || { echo "sanity-pythons: $dir has no python$version" >&2; return 1; }
  PATH="$dir:$PATH" LVMKUBE_SANITY_PYTHON="$python" bash scripts/sanity/run.sh --test compile --test import --python "$version"
}

for version in 3.9 3.10 3.11 3.13; do
  run_for "$version" "$root/.venv/bin/python"
done
floor=$(bash scripts/setup/extra_venv.sh floor)
run_for 3.8 "$floor/bin/python"
for version in $UNAVAILABLE; do
  if interpreter_dir "$version" >/dev/null; then
    echo "sanity-pythons: Python $version is here now: add it to the list above" >&2
    exit 1
  fi
  echo "sanity-pythons: Python $version (managed nodes of ansible-core 2.21) is not available on this machine: not tested"
done
