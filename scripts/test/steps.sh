#!/usr/bin/env bash
# Runs test steps in order, stops at the first failure, prints each step's name and duration
# and a final summary line "<label>: <steps>: N passed, N failed" (read by CI). The molecule step,
# when other steps are given too, runs in the background beside them (see below).
#
#   scripts/test/steps.sh [--label "make test"] STEP...
#
# Steps: ruff yamllint ansible-lint changelog sanity sanity-pythons unit floor build importer docs molecule
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export PATH="$root/.venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"

label="steps"
if [ "${1:-}" = "--label" ]; then
  label=$2
  shift 2
fi

step_ruff() {
  ruff check . && ruff format --check .
}

step_yamllint() {
  yamllint --strict .
}

step_ansible-lint() {
  ansible-lint --offline --profile production
}

step_changelog() {
  antsibull-changelog lint
}

step_sanity() {
  bash scripts/sanity/run.sh
}

step_sanity-pythons() {
  # compile and import sanity on the other managed-node Pythons of the range (3.8 with ansible-core 2.18).
  bash scripts/sanity/pythons.sh
}

step_floor() {
  # unit and localhost integration tests on ansible-core 2.18 with the dependency floors (build/venvs/floor).
  bash scripts/test/floor.sh
}

step_unit() {
  # Unit and integration tests; the build test runs in its own step (it needs the tarball).
  # pytest exit code 5 means "no tests collected", which is not a failure while areas are empty.
  local rc=0
  pytest -n auto -p no:cacheprovider --ignore=tests/integration/build tests/unit tests/integration || rc=$?
  [ "$rc" -eq 5 ] && { echo "unit: no tests collected"; rc=0; }
  return "$rc"
}

step_build() {
  bash scripts/test/build.sh
}

step_importer() {
  # galaxy-importer on the build step's tarball (build/venvs/docs).
  bash scripts/release/galaxy_importer.sh
}

step_docs() {
  # antsibull-docs lint-collection-docs --plugin-docs and the docsite build (build/venvs/docs).
  bash scripts/docs/docsite.sh
}

step_molecule() {
  if [ -f scripts/molecule/run-all.sh ]; then
    bash scripts/molecule/run-all.sh
  else
    echo "molecule: no scenario exists yet (scripts/molecule/run-all.sh is missing): nothing to run"
  fi
}

for step in "$@"; do
  if ! declare -F "step_$step" >/dev/null; then
    echo "steps: unknown step '$step'" >&2
    exit 2
  fi
done

# The VM base images take minutes to build on a machine without the cache (debootstrap is mostly
# download and disk work): when molecule is among the steps, build them in the background while the
# other steps run. run-all.sh asks build-image.sh again, which waits for these builds (flock) and
# then reuses their result, or builds and reports the error itself if a background build failed.
if [[ " $* " == *" molecule "* ]] && [ -f scripts/molecule/run-all.sh ]; then
  mkdir -p build/images
  for suite in bookworm trixie; do
    (bash scripts/vm/build-image.sh "$suite" >"build/images/$suite.log" 2>&1 || true) &
  done
  echo "steps: building the VM base images in the background (build/images/*.log)"
fi

run_start=$(date +%s)
ran=()
passed=0
failed=0

# record STEP RC SECONDS: count the step and print its result line.
record() {
  ran+=("$1")
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
    printf '==> %s: passed in %ds\n' "$1" "$3"
  else
    failed=$((failed + 1))
    printf '==> %s: FAILED (exit %d) in %ds\n' "$1" "$2" "$3"
  fi
}

# The molecule scenarios keep QEMU TCG busy on one core per VM, the first scenario (kube_scheduler) on one
# VM only, while lint, sanity and the unit tests are mostly controller CPU: when molecule is one step among
# others, it starts first in the background and runs beside them (its output goes to build/molecule.log and
# is printed when it ends). LVMKUBE_STEPS_SERIAL=1 runs every step in order instead.
background_pid=""
if [[ " $* " == *" molecule "* ]] && [ $# -gt 1 ] && [ -z "${LVMKUBE_STEPS_SERIAL:-}" ]; then
  mkdir -p build
  rm -f build/molecule.result
  (
    start=$(date +%s)
    step_molecule >build/molecule.log 2>&1
    rc=$?
    echo "$rc $(($(date +%s) - start))" >build/molecule.result
  ) &
  background_pid=$!
  printf '\n==> molecule: started in the background beside the other steps (build/molecule.log)\n'
  foreground=()
  for step in "$@"; do
    [ "$step" = molecule ] || foreground+=("$step")
  done
else
  foreground=("$@")
fi

for step in "${foreground[@]}"; do
  printf '\n==> %s\n' "$step"
  start=$(date +%s)
  "step_$step"
  rc=$?
  record "$step" "$rc" "$(($(date +%s) - start))"
  [ "$rc" -eq 0 ] || break
done

if [ -n "$background_pid" ]; then
  # Also after a failure: molecule destroys its own VMs when it ends, so it is waited for, not killed.
  [ "$failed" -eq 0 ] || echo "steps: waiting for the molecule step to end (it destroys its VMs itself)"
  printf '\n==> molecule (ran in the background; its output follows)\n'
  wait "$background_pid"
  cat build/molecule.log
  read -r rc seconds <build/molecule.result || { rc=1; seconds=0; }
  record molecule "$rc" "$seconds"
fi

not_run=()
for step in "$@"; do
  [[ " ${ran[*]} " == *" $step "* ]] || not_run+=("$step")
done
[ ${#not_run[@]} -eq 0 ] || printf '\nnot run after the failure: %s\n' "${not_run[*]}"
printf '\n%s: wall time %ds\n' "$label" "$(($(date +%s) - run_start))"
printf '\n%s: %s: %d passed, %d failed\n' "$label" "${ran[*]}" "$passed" "$failed"
[ "$failed" -eq 0 ]
