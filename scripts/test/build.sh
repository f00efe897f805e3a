#!/usr/bin/env bash
# `make build`: build the collection tarball into build/ with `ansible-galaxy collection build`
# (galaxy.yml's build_ignore leaves out dev and test files), then run the build test
# (tests/functional/build) against exactly that tarball: it installs it into a temporary
# collections path and exercises what users would get.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export PATH="$root/.venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"

version=$(python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')
tarball="$root/build/lvmkube-cluster-$version.tar.gz"
mkdir -p build
ansible-galaxy collection build --force --output-path build/ .
[ -f "$tarball" ] || { echo "build: expected $tarball was not produced" >&2; exit 1; }

LVMKUBE_COLLECTION_TARBALL="$tarball" pytest -p no:cacheprovider tests/functional/build
