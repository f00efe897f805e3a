#!/usr/bin/env bash
# The extra virtual environments of CI's release and range steps, beside .venv (scripts/setup/setup.sh):
#
#   scripts/setup/extra_venv.sh NAME     # prints the venv's directory (build/venvs/NAME) on stdout
#
#   docs   Python 3.12, scripts/setup/requirements-docs.txt: galaxy-importer, antsibull-docs (steps docs, importer)
#   floor  Python 3.11, scripts/setup/requirements-floor.txt: the lowest ansible-core and dependency
#          versions this collection supports, with the test tools (step floor)
#
# Like .venv, a stamp file inside holds the hash of the requirements file: when it matches, pip is not run,
# so a second call takes well under a second. Everything comes from PyPI.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
name=${1:?usage: extra_venv.sh NAME}
case "$name" in
  docs) want_python=3.12 ;;
  floor) want_python=3.11 ;;
  *) echo "extra_venv: unknown venv '$name'" >&2; exit 2 ;;
esac
requirements="$root/scripts/setup/requirements-$name.txt"
venv="$root/build/venvs/$name"
stamp="$venv/.requirements.sha256"

log() { printf 'extra_venv %s: %s\n' "$name" "$*" >&2; }

is_version() { "$1" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$want_python'.split('.'))))" 2>/dev/null; }

find_python() {
  local candidate
  for candidate in "$HOME"/.pyenv/versions/"$want_python".*/bin/python "$(command -v "python$want_python" || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    is_version "$candidate" && { printf '%s\n' "$candidate"; return 0; }
  done
  return 1
}

if [ ! -x "$venv/bin/python" ] || ! is_version "$venv/bin/python"; then
  python=$(find_python) || { log "Python $want_python not found (pyenv install $want_python, or python$want_python)"; exit 1; }
  log "creating $venv with $python"
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip >&2
fi
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  log "installing $(basename "$requirements")"
  rm -f "$stamp"
  "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$requirements" >&2
  printf '%s\n' "$want" >"$stamp"
fi
printf '%s\n' "$venv"
