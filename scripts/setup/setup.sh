#!/usr/bin/env bash
# Development environment for the lvmkube.cluster collection, used by `make setup`.
#
#  1. Debian packages listed in scripts/setup/system-packages.txt (apt-get, only the missing ones).
#  2. .venv with Python 3.12 (pyenv's 3.12.1, else python3.12 on PATH), requirements.txt and (without their
#     dependencies) requirements-nodeps.txt. A stamp file inside .venv holds the hash of both: when it matches,
#     pip is not run.
#  3. build/collections/ansible_collections/lvmkube/cluster -> the checkout, so that the root
#     ansible.cfg (collections_path = ./build/collections) finds this collection in place.
#
# Re-running it changes nothing and takes well under a second when everything is in place.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

# --- 1. system packages ------------------------------------------------------------------
install_system_packages() {
  local list="$root/scripts/setup/system-packages.txt" missing=() pkg
  while read -r pkg; do
    pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
    [ -n "$pkg" ] || continue
    if ! dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii'; then
      missing+=("$pkg")
    fi
  done <"$list"
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing system packages (${missing[*]}) and no apt-get: install them by hand"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing system packages (${missing[*]}): run as root or install sudo"
    sudo=(sudo)
  fi
  log "installing system packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

if command -v dpkg-query >/dev/null; then
  install_system_packages
else
  log "not a Debian-like system: skipping system packages (see scripts/setup/system-packages.txt)"
fi

# --- 2. Python virtual environment -------------------------------------------------------
find_python() {
  local candidate
  for candidate in "${PYTHON:-}" "$HOME/.pyenv/versions/3.12.1/bin/python" "$(command -v python3.12 || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

venv="$root/.venv"
stamp="$venv/.requirements.sha256"
want=$(cat requirements.txt requirements-nodeps.txt | sha256sum | cut -d' ' -f1)

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
  python=$(find_python) || die "Python 3.12 not found: install it with pyenv (pyenv install 3.12.1) or the python3.12 package, or set PYTHON=/path/to/python3.12"
  log "creating .venv with $python"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip
  rm -f "$stamp"
fi

if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  log "installing requirements.txt into .venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check -q -r requirements.txt
  "$venv/bin/python" -m pip install --disable-pip-version-check -q --no-deps -r requirements-nodeps.txt
  printf '%s\n' "$want" >"$stamp"
fi

# --- 3. the checkout as ansible_collections/lvmkube/cluster ------------------------------
link="$root/build/collections/ansible_collections/lvmkube/cluster"
mkdir -p "$(dirname "$link")"
if [ "$(readlink "$link" 2>/dev/null || true)" != "../../../.." ]; then
  rm -rf "$link"
  ln -s ../../../.. "$link"
  log "linked $link -> checkout"
fi
[ -f "$link/galaxy.yml" ] || die "collection link $link does not resolve to the checkout"
