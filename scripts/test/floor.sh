#!/usr/bin/env bash
# CI's `floor` step: the tests whose outcome depends on the versions below the ones .venv has, run on the floor of
# the supported range - ansible-core 2.18 on Python 3.11 with the dependency collections at galaxy.yml's floors
# (build/venvs/floor, scripts/setup/requirements-floor.txt; the unit step runs everything on 2.21).
#
#  - tests/unit: every pure function and module, in-process;
#  - the localhost integration tests (roles through ansible-playbook, both inventory plugins through
#    ansible-inventory against the API doubles: the path before data tagging end to end); messages are compared
#    with playbook_helpers.said, since 2.18 wraps warnings at 79 columns, and the inventory cache flush goes through
#    ansible-playbook where ansible-inventory has no --flush-cache (2.18);
#  - the installed versions must be galaxy.yml's floors (test_dependency_floors.py).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
venv=$(bash scripts/setup/extra_venv.sh floor)
export PATH="$venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"
# the first line of the version (a pipe into head would break ansible's pipe under pipefail once head exits)
ansible_version=$("$venv/bin/ansible" --version)
echo "${ansible_version%%$'\n'*}"
# Every localhost integration test too, except the ones about tools the floor venv does not carry (helm from the
# aws-cdk wheel, ansible-builder, antsibull-changelog: they do not depend on ansible-core) and the build step's.
LVMKUBE_FLOOR_VENV=1 "$venv/bin/pytest" -n 2 -p no:cacheprovider \
  --ignore=tests/integration/build \
  --ignore=tests/integration/execution_environment \
  --ignore=tests/integration/helm_values \
  --deselect=tests/integration/docs/test_release.py::test_changelog_md_is_generated_from_changelog_yaml \
  tests/unit \
  tests/integration
