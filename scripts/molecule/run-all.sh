#!/usr/bin/env bash
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Run every molecule scenario of the collection (what `make molecule` calls), one after the other,
# and print for each how long boot (create), converge, idempotence, verify and the other steps took.
# Stops at the first failing scenario (molecule destroys its VMs) and exits non-zero.
#
#   scripts/molecule/run-all.sh [scenario ...]     (default: every extensions/molecule/*/molecule.yml)
#
# Scenarios run sequentially on purpose: QEMU TCG is CPU bound and CI has 2 cores, so two scenarios
# in parallel take as long as in sequence while doubling the risk of SSH and boot timeouts.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
if [[ -x "$repo/.venv/bin/molecule" ]]; then
  export PATH="$repo/.venv/bin:$PATH"
fi
command -v molecule >/dev/null || { echo "run-all: molecule not found (run make setup)" >&2; exit 1; }
python=$(command -v python3)

if [[ $# -gt 0 ]]; then
  scenarios=("$@")
else
  scenarios=()
  for file in extensions/molecule/*/molecule.yml; do
    name=$(basename "$(dirname "$file")")
    [[ "$name" == shared ]] && continue
    scenarios+=("$name")
  done
fi
[[ ${#scenarios[@]} -gt 0 ]] || { echo "run-all: no scenarios found" >&2; exit 1; }

summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

print_summary() {
  echo "==== molecule timings (seconds) ===="
  cat "$summary"
}

# Build (or reuse) both base images in parallel, in the background: each scenario's create (vmctl) asks
# build-image.sh for the image it needs, which waits for a build in progress (flock) and reuses it, so the
# first scenario (kube_scheduler: Debian 12 only) can start while the Debian 13 image is still being built.
start=$(date +%s)
for suite in bookworm trixie; do
  (bash scripts/vm/build-image.sh "$suite" >/dev/null 2>&1 || true) &
done
echo "images: building or reusing both in the background" | tee -a "$summary"

for scenario in "${scenarios[@]}"; do
  echo "==== molecule test -s $scenario ===="
  set +e
  molecule test -s "$scenario" 2>&1 | "$python" scripts/molecule/step_times.py --scenario "$scenario" --summary "$summary"
  rc=${PIPESTATUS[0]}
  set -e
  if [[ $rc -ne 0 ]]; then
    echo "run-all: scenario $scenario FAILED (rc=$rc)" | tee -a "$summary"
    print_summary
    exit "$rc"
  fi
done
end=$(date +%s)
echo "all ${#scenarios[@]} scenario(s) passed; total: $((end - start)) s" | tee -a "$summary"
print_summary
