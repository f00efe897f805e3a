#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kube_scheduler_kubeadm
short_description: Point kubeadm's kube-scheduler static pod at a scheduler configuration file
version_added: 1.0.0
description:
  - Edits the kube-scheduler static pod manifest written by kubeadm structurally.
  - With O(state=present) it adds or replaces C(--config=<config_file>), a hostPath volume of type
    C(Directory) for O(config_dir) and a read-only volumeMount of it. Every other field is kept.
  - When the scheduler already runs with its own C(--config) (kubespray always writes
    C(/etc/kubernetes/kubescheduler-config.yaml), O(distribution=kubespray)), that path is returned as
    RV(base_config); the role merges the extender into a copy of it, and O(state=present) points C(--config) at the
    copy.
  - With O(state=absent) it removes the volume and the mount again and puts the cluster's own C(--config) back where
    ours stood (the base named in our copy, or O(base_config)); without a base the flag is removed. When nothing else
    changed in between, the manifest is restored byte for byte from the copy kept at the first change.
  - The original manifest is copied to O(backup_dir) before it is changed, and the manifest as it was before our
    first change is kept there as C(<name>.pristine). That directory must not be
    the static pod directory, where the kubelet would start the copy as a second pod.
  - A manifest that is not valid YAML or has no C(kube-scheduler) container is refused and left untouched.
  - The Kubernetes version is read from the image tag of the scheduler container and returned.
author:
  - lvmkube.cluster contributors (@lvmkube)
requirements:
  - PyYAML on the managed node
extends_documentation_fragment:
  - lvmkube.cluster.kube_scheduler_files
  - lvmkube.cluster.kube_scheduler_files.backup
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
options:
  path:
    description: The static pod manifest.
    type: path
    default: /etc/kubernetes/manifests/kube-scheduler.yaml
  volume_name:
    description: Name of the volume and volumeMount this module manages.
    type: str
    default: lvmkube-scheduler-config
  config_checksum:
    description:
      - Checksum of the configuration files, stored as the pod annotation C(lvmkube.io/scheduler-config-checksum).
        A new value changes the manifest, so the kubelet restarts kube-scheduler to read the new configuration.
        Empty removes the annotation.
    type: str
    default: ""
  distribution:
    description:
      - The distribution of the control plane, as the caller decided it (the role, once); the module never guesses it.
      - C(kubespray) edits the manifest as C(kubeadm) does and, with O(state=present), warns that the next kubespray
        run renders the manifest and its configuration again without the extender unless kubespray's inventory sets
        C(kube_scheduler_extenders).
    type: str
    choices: [kubeadm, kubespray]
    default: kubeadm
  base_config:
    description:
      - The cluster's own scheduler configuration to restore with O(state=absent). Empty reads it from the marker
        line of O(config_file) (written by the role's merge).
    type: path
notes:
  - Supports check mode and diff mode.
  - The kubelet restarts the static pod by itself after the manifest changes.
"""

EXAMPLES = r"""
- name: Start kube-scheduler with the extender configuration
  lvmkube.cluster.kube_scheduler_kubeadm:
    config_file: /etc/kubernetes/scheduler/scheduler-config.yaml
    config_dir: /etc/kubernetes/scheduler

- name: Remove it again
  lvmkube.cluster.kube_scheduler_kubeadm:
    state: absent
    config_file: /etc/kubernetes/scheduler/scheduler-config.yaml
    config_dir: /etc/kubernetes/scheduler
"""

RETURN = r"""
kubernetes_version:
  description: Version from the scheduler image tag, without the leading C(v); empty when the tag has none.
  returned: always
  type: str
  sample: 1.29.3
previous_config:
  description: The C(--config) value before the run, empty when there was none.
  returned: always
  type: str
  sample: ""
distribution:
  description: The O(distribution) the manifest was edited for.
  returned: always
  type: str
  sample: kubespray
base_config:
  description: The cluster's own configuration (C(--config) when not ours, else the base our copy names), or empty.
  returned: always
  type: str
  sample: /etc/kubernetes/kubescheduler-config.yaml
backup_file:
  description: Copy of the original manifest, byte for byte. Empty when nothing changed or in check mode.
  returned: always
  type: str
  sample: /var/backups/lvmkube/kube-scheduler/kube-scheduler.yaml.20260101T000000.bak
link_target:
  description: When O(path) is a symbolic link, the file it points to, edited (the link is kept).
  returned: when O(path) is a symbolic link
  type: str
  sample: /etc/lvmkube/real/kube-scheduler.yaml
"""

import os  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import kubeadm, kubespray  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.config_format import (  # noqa: E402
    resolve_base_config,
    version_from_image,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (  # noqa: E402
    KubeSchedulerConfigError,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.files import (  # noqa: E402
    dump_documents,
    load_file,
    remember_pristine,
    restore_pristine,
    save_edit,
    shared_argument_spec,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import FileReadError, read_text  # noqa: E402

BACKENDS = {backend.name: backend for backend in (kubeadm.BACKEND, kubespray.BACKEND)}


def run(module):
    params = module.params
    backend = BACKENDS[params["distribution"]]
    path = params["path"]
    config_dir = params["config_dir"].rstrip("/")
    config_file = params["config_file"]
    backup_dir = params["backup_dir"]
    if os.path.abspath(backup_dir).startswith(
        os.path.dirname(os.path.abspath(path)).rstrip("/") + "/"
    ) or os.path.abspath(backup_dir) == os.path.dirname(os.path.abspath(path)):
        module.fail_json(msg=f"backup_dir {backup_dir} is inside the static pod directory; choose another one")
    if not config_file.startswith(config_dir + "/"):
        module.fail_json(msg=f"config_file {config_file} must be inside config_dir {config_dir}")
    before, docs, handle = load_file(module, path, "static pod manifest", round_trip=False)
    if len(docs) != 1:
        module.fail_json(msg=f"refusing to edit {path}: expected one YAML document, found {len(docs)}")
    pod = docs[0]
    present = params["state"] == "present"
    try:
        container = kubeadm.scheduler_container(pod)
        previous = kubeadm.static_pod_config_flag(pod) or ""
        copy = (read_text(config_file) or "") if previous == config_file else ""
        base = params["base_config"] or resolve_base_config(previous, config_file, copy)
        changed = kubeadm.edit_static_pod(
            pod,
            present,
            config_file,
            config_dir,
            params["volume_name"],
            params["config_checksum"] or None,
            base_config=base or None,
        )
    except (KubeSchedulerConfigError, FileReadError) as exc:
        module.fail_json(msg=f"refusing to edit {path}: {exc}")
    for warning in backend.warnings(base, present):
        module.warn(warning)
    result = {
        "changed": changed,
        "distribution": backend.name,
        "kubernetes_version": version_from_image(container.get("image")) or "",
        "previous_config": previous,
        "base_config": base,
        "backup_file": "",
    }
    if changed:
        after = dump_documents([pod], handle)
        if present and previous != config_file:
            remember_pristine(module, path, before, backup_dir)
        elif not present:
            after = restore_pristine(path, backup_dir, [pod], round_trip=False) or after
        result.update(save_edit(module, path, before, after, backup_dir))
    module.exit_json(**result)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            shared_argument_spec(path=kubeadm.MANIFEST_PATH),
            volume_name={"type": "str", "default": kubeadm.DEFAULT_VOLUME_NAME},
            config_checksum={"type": "str", "default": ""},
            base_config={"type": "path"},
            distribution={"type": "str", "choices": sorted(BACKENDS), "default": "kubeadm"},
        ),
        supports_check_mode=True,
    )
    run(module)


if __name__ == "__main__":
    main()
