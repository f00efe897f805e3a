#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kubeadm_cluster_config
short_description: Keep the kube-scheduler extender settings in a kubeadm ClusterConfiguration file
version_added: 1.0.0
description:
  - Edits the C(ClusterConfiguration) document of a kubeadm configuration file (other documents such as
    C(InitConfiguration) are kept) so that C(kubeadm init) and C(kubeadm upgrade) start kube-scheduler with
    the extender configuration.
  - C(kubeadm.k8s.io/v1beta3) (and older) keep C(scheduler.extraArgs) as a map; C(kubeadm.k8s.io/v1beta4)
    keeps it as a list of C(name)/C(value) pairs. Both are handled. C(scheduler.extraVolumes) gets a
    read-only hostPath entry of type C(Directory).
  - Comments and key order are kept when ruamel.yaml is installed; with only PyYAML the file is rewritten
    without comments.
  - A file that is not valid YAML or has no ClusterConfiguration is refused and left untouched.
  - With O(state=absent), when nothing else changed since the first change, the file is restored byte for byte from
    the copy kept then (C(<name>.pristine) in O(backup_dir)).
  - For a running cluster, the role edits the C(kubeadm-config) ConfigMap with the same logic through the
    P(lvmkube.cluster.kube_scheduler_cluster_configuration#filter) filter.
author:
  - lvmkube.cluster contributors (@lvmkube)
requirements:
  - ruamel.yaml (optional, keeps comments) or PyYAML
extends_documentation_fragment:
  - lvmkube.cluster.kube_scheduler_files
  - lvmkube.cluster.kube_scheduler_files.backup
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
options:
  path:
    description: The kubeadm configuration file.
    type: path
    required: true
  volume_name:
    description: Name of the extraVolumes entry this module manages.
    type: str
    default: lvmkube-scheduler-config
  base_config:
    description:
      - The cluster's own scheduler configuration (kubespray's C(/etc/kubernetes/kubescheduler-config.yaml)). With
        O(state=absent) C(extraArgs.config) is set back to it where it names O(config_file), instead of being removed;
        kubespray's own extraVolume is never touched.
    type: path
notes:
  - Supports check mode and diff mode.
"""

EXAMPLES = r"""
- name: Record the scheduler configuration in the kubeadm config used for init and upgrades
  lvmkube.cluster.kubeadm_cluster_config:
    path: /etc/kubernetes/kubeadm-config.yaml
    config_file: /etc/kubernetes/scheduler/scheduler-config.yaml
    config_dir: /etc/kubernetes/scheduler
"""

RETURN = r"""
api_version:
  description: apiVersion of the ClusterConfiguration document.
  returned: success
  type: str
  sample: kubeadm.k8s.io/v1beta4
kubernetes_version:
  description: The document's C(kubernetesVersion), empty when it has none.
  returned: success
  type: str
  sample: v1.31.2
yaml_library:
  description: The YAML library used, C(ruamel.yaml) (comments kept) or C(PyYAML).
  returned: success
  type: str
  sample: ruamel.yaml
backup_file:
  description: Copy of the original file. Empty when nothing changed or in check mode.
  returned: always
  type: str
  sample: /var/backups/lvmkube/kube-scheduler/kubeadm-config.yaml.20260101T000000.bak
link_target:
  description: When O(path) is a symbolic link, the file it points to, edited (the link is kept).
  returned: when O(path) is a symbolic link
  type: str
  sample: /etc/lvmkube/real/kubeadm-config.yaml
"""

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.files import (  # noqa: E402
    dump_documents,
    load_file,
    remember_pristine,
    restore_pristine,
    save_edit,
    shared_argument_spec,
    yaml_library,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.kubeadm import (  # noqa: E402
    DEFAULT_VOLUME_NAME,
    KubeSchedulerConfigError,
    cluster_configuration_config_arg,
    edit_cluster_configuration,
    find_cluster_configuration,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            shared_argument_spec(),
            volume_name={"type": "str", "default": DEFAULT_VOLUME_NAME},
            base_config={"type": "path"},
        ),
        supports_check_mode=True,
    )
    params = module.params
    path = params["path"]
    before, docs, handle = load_file(module, path, "kubeadm configuration file", keep_empty=True)
    index = find_cluster_configuration(docs)
    if index is None:
        module.fail_json(msg=f"refusing to edit {path}: no ClusterConfiguration document in it")
    config = docs[index]
    present = params["state"] == "present"
    previous = cluster_configuration_config_arg(config)
    try:
        changed = edit_cluster_configuration(
            config,
            present,
            params["config_file"],
            params["config_dir"].rstrip("/"),
            params["volume_name"],
            params["base_config"] or None,
        )
    except KubeSchedulerConfigError as exc:
        module.fail_json(msg=f"refusing to edit {path}: {exc}")
    result = {
        "changed": changed,
        "api_version": str(config.get("apiVersion")),
        "kubernetes_version": str(config.get("kubernetesVersion") or ""),
        "yaml_library": yaml_library(),
        "backup_file": "",
    }
    if changed:
        after = dump_documents(docs, handle)
        if present and previous != params["config_file"]:
            remember_pristine(module, path, before, params["backup_dir"])
        elif not present:
            kept = [doc for doc in docs if doc is not None]
            after = restore_pristine(path, params["backup_dir"], kept, round_trip=handle is not None) or after
        result.update(save_edit(module, path, before, after, params["backup_dir"]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
