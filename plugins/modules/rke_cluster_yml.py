#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rke_cluster_yml
short_description: Add the kube-scheduler extender configuration to an RKE1 cluster.yml
version_added: 1.0.0
description:
  - Edits an RKE1 C(cluster.yml) (normally on the controller, next to C(rke)) so that
    C(services.scheduler.extra_args.config) names the scheduler configuration and
    C(services.scheduler.extra_binds) mounts its directory read-only.
  - Also accepts the Rancher "Edit as YAML" shape, where the same keys live under
    C(rancher_kubernetes_engine_config).
  - When C(extra_args.config) already names a configuration of the user's, it is returned as RV(base_config) (the
    path inside the scheduler container) with RV(base_config_host), the same file on the node's disk (through RKE's
    C(<prefix_path>/etc/kubernetes:/etc/kubernetes) bind and C(extra_binds), the longest matching container path
    deciding). The role merges the extender into a copy of it; O(state=present) then points C(config) at the copy,
    every other argument and bind kept.
  - With O(state=absent) our bind goes and C(config) gets the user's path back (O(base_config), else the one kept in
    the C(.pristine) copy of the file made at the first change); when nothing else changed in between the file is
    restored byte for byte from that copy.
  - A C(config) in C(extra_args_array), or one on no bind mount, is refused and nothing changes.
  - Comments, quoting and key order of the rest of the file are kept (ruamel.yaml round trip).
  - A file that is not valid YAML is refused and left untouched. The original is backed up before a change.
  - The change takes effect with C(rke up); the role runs it only when asked.
author:
  - lvmkube.cluster contributors (@lvmkube)
requirements:
  - ruamel.yaml >= 0.17
extends_documentation_fragment:
  - lvmkube.cluster.kube_scheduler_files
  - lvmkube.cluster.kube_scheduler_files.backup
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
options:
  path:
    description: The cluster.yml file.
    type: path
    required: true
  base_config:
    description:
      - The user's own C(config) (container path) to restore with O(state=absent) and to merge, used when
        C(extra_args.config) is already O(config_file). The role reads it from the marker line of its copy on the
        node. Empty takes it from the C(.pristine) copy in O(backup_dir).
    type: path
notes:
  - Supports check mode and diff mode.
"""

EXAMPLES = r"""
- name: Configure the extender in cluster.yml
  lvmkube.cluster.rke_cluster_yml:
    path: "{{ playbook_dir }}/cluster.yml"
    config_file: /etc/kubernetes/scheduler/scheduler-config.yaml
    config_dir: /etc/kubernetes/scheduler
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
kubernetes_version:
  description: The file's C(kubernetes_version), empty when it has none.
  returned: success
  type: str
  sample: v1.16.4-rancher1-1
previous_config:
  description: C(services.scheduler.extra_args.config) before the run, empty when there was none.
  returned: success
  type: str
  sample: /etc/kubernetes/custom/scheduler.yaml
base_config:
  description: The user's own configuration as the scheduler container names it (not ours), or empty.
  returned: success
  type: str
  sample: /etc/kubernetes/custom/scheduler.yaml
base_config_host:
  description: RV(base_config) on the node's disk (through the binds), or empty.
  returned: success
  type: str
  sample: /etc/kubernetes/custom/scheduler.yaml
backup_file:
  description: Copy of the original file. Empty when nothing changed or in check mode.
  returned: always
  type: str
  sample: /home/user/rke/cluster.yml.20260101T000000.bak
link_target:
  description: When O(path) is a symbolic link, the file it points to, edited (the link is kept).
  returned: when O(path) is a symbolic link
  type: str
  sample: /etc/lvmkube/real/cluster.yml
"""


import os  # noqa: E402

from ansible.module_utils.basic import AnsibleModule, missing_required_lib  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (  # noqa: E402
    KubeSchedulerConfigError,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.files import (  # noqa: E402
    HAS_RUAMEL,
    dump_documents,
    load_documents,
    load_file,
    pristine_path,
    read_text,
    remember_pristine,
    restore_pristine,
    save_edit,
    shared_argument_spec,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.rke1 import BACKEND  # noqa: E402


def _rke_root(docs):
    root = docs[0]
    if isinstance(root.get("rancher_kubernetes_engine_config"), dict):
        root = root["rancher_kubernetes_engine_config"]
    return root


def pristine_config(path, backup_dir):
    """The scheduler config argument in the copy of path kept before our first change ('' without one)."""
    kept = pristine_path(path, backup_dir)
    if not os.path.isfile(kept):
        return ""
    try:
        docs, _handle = load_documents(read_text(kept), round_trip=False)
        root = _rke_root([d for d in docs if d is not None])
        return str((((root.get("services") or {}).get("scheduler") or {}).get("extra_args") or {}).get("config") or "")
    except (ValueError, AttributeError, IndexError):
        return ""


def main():
    argument_spec = shared_argument_spec()
    argument_spec["base_config"] = {"type": "path"}
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if not HAS_RUAMEL:
        module.fail_json(msg=missing_required_lib("ruamel.yaml"))
    params = module.params
    path = params["path"]
    config_file = params["config_file"]
    before, docs, handle = load_file(module, path, "RKE cluster file")
    if len(docs) != 1 or not isinstance(docs[0], dict):
        module.fail_json(msg=f"refusing to edit {path}: expected one YAML mapping")
    root = _rke_root(docs)
    present = params["state"] == "present"
    version = str(root.get("kubernetes_version") or "")
    if "services" not in root or root["services"] is None:
        if not present:
            module.exit_json(
                changed=False,
                kubernetes_version=version,
                backup_file="",
                previous_config="",
                base_config="",
                base_config_host="",
            )
        root["services"] = {}
    try:
        previous, base, base_host = BACKEND.cluster_base(
            root["services"],
            config_file,
            params["base_config"] or pristine_config(path, params["backup_dir"]),
            root.get("prefix_path"),
            need_host=present,
        )
        changed = BACKEND.edit(
            root["services"], present, config_file, params["config_dir"].rstrip("/"), base_config=base or None
        )
    except KubeSchedulerConfigError as exc:
        module.fail_json(msg=f"refusing to edit {path}: {exc}. Nothing was changed")
    result = {
        "changed": changed,
        "kubernetes_version": version,
        "backup_file": "",
        "previous_config": previous,
        "base_config": base,
        "base_config_host": base_host,
    }
    if changed:
        after = dump_documents(docs, handle)
        if present and previous != config_file:
            remember_pristine(module, path, before, params["backup_dir"])
        elif not present:
            after = restore_pristine(path, params["backup_dir"], docs) or after
        result.update(save_edit(module, path, before, after, params["backup_dir"]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
