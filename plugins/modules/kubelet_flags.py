#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubelet_flags
short_description: Set or remove kubelet flags in the variable of an environment file
version_added: 1.0.0
description:
  - Edits one variable of an environment file the kubelet unit reads, such as C(KUBELET_KUBEADM_ARGS) in the file
    kubeadm writes (C(/var/lib/kubelet/kubeadm-flags.env), one line C(KUBELET_KUBEADM_ARGS="--a=b --c=d")) or
    C(KUBELET_EXTRA_ARGS) in C(/etc/default/kubelet).
  - Only the flags in O(flags) change; every other flag keeps its value and place, every other line and the quoting
    style stay as they were, so O(state=absent) after O(state=present) gives back the original file.
  - The file is backed up into O(backup_dir) and replaced atomically, only when its text changes. A file that cannot
    be parsed (an unclosed quote, a value that is not a list of C(--flags), a flag set twice) fails the module and is
    left untouched.
  - Used by the P(lvmkube.cluster.cloud_provider#role) role; restarting the kubelet is the caller's job (only when
    the module reports a change).
author:
  - lvmkube.cluster contributors (@lvmkube)
extends_documentation_fragment:
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
options:
  path:
    description: The environment file.
    type: path
    required: true
  variable:
    description: Name of the variable that holds the flags.
    type: str
    default: KUBELET_KUBEADM_ARGS
  flags:
    description: "Flags without the leading dashes and their values, such as C({cloud-provider: external})."
    type: dict
    required: true
  state:
    description: V(present) sets the flags to the given values; V(absent) removes them (their values do not matter).
    type: str
    choices: [present, absent]
    default: present
  missing_ok:
    description:
      - What to do when O(path) does not exist. V(false) fails; V(true) changes nothing and returns RV(found=false)
        (a node that kubeadm has not joined yet has no flags file).
    type: bool
    default: false
  backup_dir:
    description: Directory for the copy of the file taken before each change (created with mode C(0700)).
    type: path
    default: /var/backups/lvmkube
notes:
  - Supports check mode and diff mode.
"""

EXAMPLES = r"""
- name: Run the kubelet with an external cloud provider
  lvmkube.cluster.kubelet_flags:
    path: /var/lib/kubelet/kubeadm-flags.env
    flags:
      cloud-provider: external
  register: flags_file

- name: Restart the kubelet when the flags changed
  ansible.builtin.systemd_service:
    name: kubelet
    state: restarted
  when: flags_file is changed
"""

RETURN = r"""
found:
  description: Whether O(path) exists.
  returned: always
  type: bool
  sample: true
flags:
  description:
    - The flags of the variable after the run (in check mode, after a real run), as name to value.
    - A flag without a value has the value null.
  returned: when found
  type: dict
  sample: {container-runtime-endpoint: "unix:///var/run/containerd/containerd.sock", cloud-provider: external}
backup_file:
  description: The copy taken before the change; empty when nothing changed or in check mode.
  returned: always
  type: str
  sample: /var/backups/lvmkube/kubeadm-flags.env.20260101T000000.bak
link_target:
  description: When O(path) is a symbolic link, the file it points to, edited (the link is kept).
  returned: when O(path) is a symbolic link
  type: str
  sample: /etc/lvmkube/real/kubeadm-flags.env
"""


from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.cloud_provider import (  # noqa: E402
    KubeletFlagsError,
    edit_env_flags,
    parse_env_flags,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.files import save_edit  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import FileReadError, read_text  # noqa: E402


def main():
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True},
            "variable": {"type": "str", "default": "KUBELET_KUBEADM_ARGS"},
            "flags": {"type": "dict", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "missing_ok": {"type": "bool", "default": False},
            "backup_dir": {"type": "path", "default": "/var/backups/lvmkube"},
        },
        supports_check_mode=True,
    )
    path, variable = module.params["path"], module.params["variable"]
    try:
        before = read_text(path)
    except FileReadError as exc:
        module.fail_json(msg=str(exc))
    if before is None:
        if module.params["missing_ok"]:
            module.exit_json(changed=False, found=False, backup_file="", msg=f"{path} does not exist")
        module.fail_json(msg=f"{path} does not exist (set missing_ok to skip nodes without the file)")
    try:
        after = edit_env_flags(before, variable, module.params["flags"], module.params["state"])
        flags = parse_env_flags(after, variable) or []
    except KubeletFlagsError as exc:
        module.fail_json(msg=f"refusing to edit {path}: {exc}")
    result = {"changed": after != before, "found": True, "flags": dict(flags), "backup_file": ""}
    if result["changed"]:
        result.update(save_edit(module, path, before, after, module.params["backup_dir"]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
