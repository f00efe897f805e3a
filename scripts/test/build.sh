#!/usr/bin/env bash
# `make build`: build the collection tarball into build/ with `ansible-galaxy collection build`
# (galaxy.yml's build_ignore leaves out dev and test files), copy it to build/ee/lvmkube-cluster.tar.gz
# (the name execution-environment.yml uses, the same for every version), then run the build test
# (tests/integration/build) against exactly that tarball: it installs it into a temporary
# collections path and exercises what users would get.
#
#   scripts/test/build.sh [--no-test] [--output DIR]   # DIR instead of build/ (the EE test uses it)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export PATH="$root/.venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"

test=1
out="$root/build"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-test) test=0; shift ;;
    --output) out=$2; shift 2 ;;
    *) echo "build: unknown argument $1" >&2; exit 2 ;;
  esac
done

version=$(python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')
tarball="$out/lvmkube-cluster-$version.tar.gz"
mkdir -p "$out/ee"
ansible-galaxy collection build --force --output-path "$out" .
[ -f "$tarball" ] || { echo "build: expected $tarball was not produced" >&2; exit 1; }
cp "$tarball" "$out/ee/lvmkube-cluster.tar.gz.tmp"
mv "$out/ee/lvmkube-cluster.tar.gz.tmp" "$out/ee/lvmkube-cluster.tar.gz"
[ "$test" -eq 1 ] || exit 0

LVMKUBE_COLLECTION_TARBALL="$tarball" pytest -p no:cacheprovider tests/integration/build
