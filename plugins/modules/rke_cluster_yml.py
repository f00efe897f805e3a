#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rke_cluster_yml
short_description: Add the kube-scheduler extender configuration to an RKE1 cluster.yml
version_added: 0.1.0
description:
  - Edits an RKE1 C(cluster.yml) (normally on the controller, next to C(rke)) so that
    C(services.scheduler.extra_args.config) names the scheduler configuration and
    C(services.scheduler.extra_binds) mounts its directory read-only.
  - Also accepts the Rancher "Edit as YAML" shape, where the same keys live under
    C(rancher_kubernetes_engine_config).
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
options:
  path:
    description: The cluster.yml file.
    type: path
    required: true
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
backup_file:
  description: Copy of the original file. Empty when nothing changed or in check mode.
  returned: always
  type: str
  sample: /home/user/rke/cluster.yml.20260101T000000.bak
"""


from ansible.module_utils.basic import AnsibleModule, missing_required_lib  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler_config import (  # noqa: E402
    KubeSchedulerConfigError,
    edit_rke_services,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler_files import (  # noqa: E402
    HAS_RUAMEL,
    dump_documents,
    load_file,
    save_edit,
    shared_argument_spec,
)


def main():
    module = AnsibleModule(
        argument_spec=shared_argument_spec(),
        supports_check_mode=True,
    )
    if not HAS_RUAMEL:
        module.fail_json(msg=missing_required_lib("ruamel.yaml"))
    params = module.params
    path = params["path"]
    before, docs, handle = load_file(module, path, "RKE cluster file")
    if len(docs) != 1 or not isinstance(docs[0], dict):
        module.fail_json(msg=f"refusing to edit {path}: expected one YAML mapping")
    root = docs[0]
    if isinstance(root.get("rancher_kubernetes_engine_config"), dict):
        root = root["rancher_kubernetes_engine_config"]
    present = params["state"] == "present"
    if "services" not in root or root["services"] is None:
        if not present:
            module.exit_json(
                changed=False, kubernetes_version=str(root.get("kubernetes_version") or ""), backup_file=""
            )
        root["services"] = {}
    try:
        changed = edit_rke_services(root["services"], present, params["config_file"], params["config_dir"].rstrip("/"))
    except KubeSchedulerConfigError as exc:
        module.fail_json(msg=f"refusing to edit {path}: {exc}")
    result = {"changed": changed, "kubernetes_version": str(root.get("kubernetes_version") or ""), "backup_file": ""}
    if changed:
        result.update(save_edit(module, path, before, dump_documents(docs, handle), params["backup_dir"]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
