#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rke2_scheduler_config
short_description: Add the kube-scheduler extender configuration to an RKE2 server config.yaml
version_added: 0.1.0
description:
  - Edits C(/etc/rancher/rke2/config.yaml) on an RKE2 server so that C(kube-scheduler-arg) carries
    C(config=<config_file>) and C(kube-scheduler-extra-mount) mounts O(config_dir) read-only.
  - Other keys, and their comments and order when ruamel.yaml is installed, are kept. Without ruamel.yaml
    the module falls back to PyYAML, which keeps keys and order but drops comments.
  - A file that is not valid YAML is refused and left untouched. The original is backed up before a change.
  - A missing file is created (mode 0600) for O(state=present).
  - RKE2 reads the file at start; restart C(rke2-server) afterwards (the role does, one node at a time).
author:
  - lvmkube.cluster contributors (@lvmkube)
requirements:
  - ruamel.yaml (optional, keeps comments; Debian package python3-ruamel.yaml) or PyYAML
options:
  path:
    description: The RKE2 configuration file.
    type: path
    default: /etc/rancher/rke2/config.yaml
  state:
    description: Whether the settings are present or removed.
    type: str
    choices: [present, absent]
    default: present
  config_file:
    description: The KubeSchedulerConfiguration path.
    type: path
    required: true
  config_dir:
    description: Directory mounted read-only into the scheduler pod at the same path.
    type: path
    required: true
  backup_dir:
    description: Where the original file is copied before a change.
    type: path
    default: /var/backups/lvmkube/kube-scheduler
notes:
  - Supports check mode and diff mode.
"""

EXAMPLES = r"""
- name: Configure the extender for RKE2
  lvmkube.cluster.rke2_scheduler_config:
    config_file: /etc/kubernetes/scheduler/scheduler-config.yaml
    config_dir: /etc/kubernetes/scheduler
"""

RETURN = r"""
yaml_library:
  description: The YAML library used, C(ruamel.yaml) (comments kept) or C(PyYAML).
  returned: success
  type: str
  sample: ruamel.yaml
created:
  description: Whether the file did not exist before.
  returned: success
  type: bool
  sample: false
backup_file:
  description: Copy of the original file. Empty when nothing changed, the file was new, or in check mode.
  returned: always
  type: str
  sample: /var/backups/lvmkube/kube-scheduler/config.yaml.20260101T000000.bak
"""

import os  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler_config import (  # noqa: E402
    KubeSchedulerConfigError,
    edit_rke2_config,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler_files import (  # noqa: E402
    dump_documents,
    load_file,
    save_edit,
    yaml_library,
)


def main():
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "default": "/etc/rancher/rke2/config.yaml"},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
            "config_file": {"type": "path", "required": True},
            "config_dir": {"type": "path", "required": True},
            "backup_dir": {"type": "path", "default": "/var/backups/lvmkube/kube-scheduler"},
        },
        supports_check_mode=True,
    )
    params = module.params
    path = params["path"]
    present = params["state"] == "present"
    exists = os.path.isfile(path)
    if not exists and not present:
        module.exit_json(changed=False, yaml_library=yaml_library(), created=False, backup_file="")
    before, docs, handle = load_file(module, path, "RKE2 configuration file", missing_ok=True)
    if len(docs) > 1 or (docs and not isinstance(docs[0], dict)):
        module.fail_json(msg=f"refusing to edit {path}: expected one YAML mapping")
    config = docs[0] if docs else {}
    try:
        changed = edit_rke2_config(config, present, params["config_file"], params["config_dir"].rstrip("/"))
    except KubeSchedulerConfigError as exc:
        module.fail_json(msg=f"refusing to edit {path}: {exc}")
    result = {"changed": changed, "yaml_library": yaml_library(), "created": not exists, "backup_file": ""}
    if changed:
        result.update(save_edit(module, path, before, dump_documents([config], handle), params["backup_dir"]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
