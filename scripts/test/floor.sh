#!/usr/bin/env bash
# CI's `floor` step: the tests whose outcome depends on the versions below the ones .venv has, run on the floor of
# the supported range - ansible-core 2.18 on Python 3.11 with the dependency collections at galaxy.yml's floors
# (build/venvs/floor, scripts/setup/requirements-floor.txt; the unit step runs everything on 2.21).
#
#  - tests/unit: every pure function and module, in-process (fast);
#  - the localhost functional tests whose code meets ansible-core's templating or the dependencies' code: the
#    topolvm and nifcloud roles rendering (settings dicts, unsafe text), node_converge's action plugin, module
#    attributes and action_groups through ansible-doc and module_defaults, community.general.lvg's decisions on loop devices
#    (remove_extra_pvs: the community.general floor), the example inventories, the deprecation check;
#  - the installed versions must be galaxy.yml's floors (test_dependency_floors.py).
#  - both inventory plugins through the real ansible-inventory and ansible-playbook against the API doubles
#    (tests/functional/inventory: hostile names, paging, deadlines, retries, masking, the cache) and the ssh_config
#    playbook: the path before data tagging end to end. Messages are compared with playbook_helpers.said, since
#    2.18 wraps warnings at 79 columns; the cache flush goes through ansible-playbook where ansible-inventory has
#    no --flush-cache (2.18).
# The inventory plugins also run on 2.18 in tests/unit (parse() with ansible-core's own InventoryData and Templar).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
venv=$(bash scripts/setup/extra_venv.sh floor)
export PATH="$venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"
"$venv/bin/ansible" --version | head -1
LVMKUBE_FLOOR_VENV=1 "$venv/bin/pytest" -n 2 -p no:cacheprovider \
  tests/unit \
  tests/functional/docs/test_dependency_floors.py \
  tests/functional/docs/test_module_attributes.py \
  tests/functional/test_deprecations.py \
  tests/functional/topolvm/test_topolvm_role_render.py \
  tests/functional/nifcloud/test_nifcloud_role_render.py \
  tests/functional/inventories \
  tests/functional/inventory \
  tests/functional/ssh_config \
  tests/functional/node_prep/test_node_converge_action.py \
  tests/functional/lvmd/test_lvm_decisions_loop.py
