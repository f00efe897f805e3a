#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rke2_scheduler_config
short_description: Wire the kube-scheduler extender configuration into RKE2 or K3s through a config.yaml.d drop-in
version_added: 1.0.0
description:
  - Writes C(/etc/rancher/rke2/config.yaml.d/<dropin_name>) with C(kube-scheduler-arg+) (C(config=<config_file>)) and
    C(kube-scheduler-extra-mount+) (O(config_dir) read-only). The C(+) forms append to what C(config.yaml) and
    Rancher's C(50-rancher.yaml) set, so neither file is edited and Rancher rewriting its file does not remove them.
    The drop-in must sort after every file that sets C(kube-scheduler-arg) without C(+); otherwise the module refuses,
    changing nothing, because such a file would replace the list.
  - The cluster's own C(config=) (in any of the files, the last one RKE2 passes) is returned as RV(base_config); the
    role merges the extender into a copy of that configuration. RKE2 passes every C(config=) in order and
    kube-scheduler uses the last, which is ours.
  - An earlier version of this module wrote C(config=<config_file>) and the mount into C(config.yaml) itself; that edit
    is moved into the drop-in and removed from C(config.yaml) (other keys, comments and order kept with ruamel.yaml),
    after a backup of C(config.yaml).
  - With O(state=absent) the drop-in is removed (and such an old edit of C(config.yaml) too).
  - A file RKE2 would not read (not YAML, not a mapping) is refused naming it, and nothing is changed.
  - RKE2 reads its configuration at start; restart C(rke2-server) afterwards (the role does, one node at a time).
  - With O(distribution=k3s) the same is done for standalone K3s, which reads C(/etc/rancher/k3s/config.yaml) and
    its C(config.yaml.d) with the same loader (k3s C(pkg/configfilearg)); K3s runs kube-scheduler in its own
    process, so no C(kube-scheduler-extra-mount) is written. Restart C(k3s) afterwards.
author:
  - lvmkube.cluster contributors (@lvmkube)
requirements:
  - PyYAML; ruamel.yaml (optional, keeps comments of C(config.yaml) when an old edit is migrated)
extends_documentation_fragment:
  - lvmkube.cluster.kube_scheduler_files
  - lvmkube.cluster.kube_scheduler_files.backup
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
options:
  distribution:
    description: The distribution, as the caller decided it (the role, once); the module never guesses it.
    type: str
    choices: [k3s, rke2]
    default: rke2
  path:
    description:
      - The main configuration file; its drop-in directory is C(<path>.d).
      - Default C(/etc/rancher/rke2/config.yaml) for O(distribution=rke2), C(/etc/rancher/k3s/config.yaml) for
        O(distribution=k3s).
    type: path
  dropin_name:
    description: File name of the drop-in. It must sort after C(50-rancher.yaml) and end in C(.yaml).
    type: str
    default: 70-lvmkube-scheduler.yaml
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
dropin:
  description: The drop-in file.
  returned: success
  type: str
  sample: /etc/rancher/rke2/config.yaml.d/70-lvmkube-scheduler.yaml
created:
  description: Whether the drop-in did not exist before.
  returned: success
  type: bool
  sample: true
backup_file:
  description: Copy of C(config.yaml) before an old edit was removed from it; empty otherwise.
  returned: success
  type: str
  sample: ""
dropin_backup_file:
  description: Copy of the previous drop-in; empty when it was new, unchanged, or in check mode.
  returned: success
  type: str
  sample: ""
migrated:
  description: Whether an old edit of C(config.yaml) by this module was found (and, outside check mode, removed).
  returned: success
  type: bool
  sample: false
base_config:
  description: The cluster's own C(config=) for kube-scheduler (not ours), or empty.
  returned: success
  type: str
  sample: /etc/rancher/rke2/scheduler-config.yaml
scheduler_args:
  description: The C(kube-scheduler-arg) list RKE2 passes after the change.
  returned: success
  type: list
  elements: str
  sample: ["v=2", "config=/etc/kubernetes/scheduler/scheduler-config.yaml"]
link_target:
  description: When O(path) (C(config.yaml)) is a symbolic link, the file it points to, edited (the link is kept).
  returned: when O(path) is a symbolic link and it was changed
  type: str
  sample: /etc/lvmkube/real/config.yaml
"""

import os  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import k3s, rke2  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (  # noqa: E402
    KubeSchedulerConfigError,
    flag_values,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.files import (  # noqa: E402
    dump_documents,
    load_file,
    save_edit,
    shared_argument_spec,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.rke2_config import (  # noqa: E402
    Rke2ConfigError,
    dropin_dir,
    effective_config,
    is_dropin_name,
    overridden_keys,
    read_config_texts,
    render_dropin,
    to_list,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import (  # noqa: E402
    FileReadError,
    FileWriteError,
    backup_file,
    read_text,
    replace_file,
    shown_text,
)

BACKENDS = {backend.name: backend for backend in (rke2.BACKEND, k3s.BACKEND)}


def run(module):
    params = module.params
    backend = BACKENDS[params["distribution"]]
    path = params["path"] or backend.config_path
    present = params["state"] == "present"
    config_file = params["config_file"]
    config_dir = params["config_dir"].rstrip("/")
    if not is_dropin_name(params["dropin_name"]):
        module.fail_json(msg=f"dropin_name {params['dropin_name']!r} must be a file name ending in .yaml")
    dropin = os.path.join(dropin_dir(path), params["dropin_name"])

    # an old edit of config.yaml by this module: taken out of config.yaml (absent and present alike)
    before, docs, handle = load_file(module, path, f"{backend.label} configuration file", missing_ok=True)
    if len(docs) > 1 or (docs and not isinstance(docs[0], dict)):
        module.fail_json(msg=f"refusing to edit {path}: expected one YAML mapping")
    config = docs[0] if docs else {}
    try:
        migrated = backend.edit_config(config, False, config_file, config_dir)
    except KubeSchedulerConfigError as exc:
        module.fail_json(msg=f"refusing to edit {path}: {exc}")
    main_after = dump_documents([config], handle) if migrated else before

    try:
        dropin_before = read_text(dropin) or ""
    except FileReadError as exc:
        module.fail_json(msg=str(exc))
    settings = backend.dropin_settings(config_file, config_dir)
    dropin_after = render_dropin(settings, rke2.DROPIN_HEADER) if present else ""
    try:
        without_us = read_config_texts(path, replace={path: main_after, dropin: None})
        base_values = effective_config(without_us)[0]
        texts = read_config_texts(path, replace={path: main_after, dropin: dropin_after if present else None})
        values = effective_config(texts)[0]
        overridden = overridden_keys(texts, dropin, settings) if present else {}
    except Rke2ConfigError as exc:
        module.fail_json(msg=f"refusing to change the {backend.label} configuration: {exc}. Nothing was changed")
    if overridden:
        later = ", ".join(f"{file} replaces {key}" for key, file in sorted(overridden.items()))
        module.fail_json(
            msg=f"refusing to write {dropin}: {later} after it (no '+'), so the extender would not take effect; "
            "choose a dropin_name that sorts later. Nothing was changed"
        )
    bases = flag_values([str(a) for a in to_list(base_values.get(rke2.SCHEDULER_ARG))], "config")
    base = bases[-1] if bases and bases[-1] != config_file else ""

    dropin_changed = dropin_before != dropin_after if present else bool(dropin_before) or os.path.isfile(dropin)
    result = {
        "changed": migrated or dropin_changed,
        "dropin": dropin,
        "created": present and not os.path.isfile(dropin),
        "backup_file": "",
        "dropin_backup_file": "",
        "migrated": migrated,
        "base_config": base,
        "scheduler_args": [str(a) for a in to_list(values.get(rke2.SCHEDULER_ARG))],
    }
    diffs = []
    if migrated:
        outcome = save_edit(module, path, before, main_after, params["backup_dir"])
        diffs.append(outcome["diff"])
        result["backup_file"] = outcome["backup_file"]
        if "link_target" in outcome:
            result["link_target"] = outcome["link_target"]
    if dropin_changed:
        before_shown = shown_text(dropin_before)
        diffs.append({"before": before_shown, "after": dropin_after, "before_header": dropin, "after_header": dropin})
        if not module.check_mode:
            try:
                if present:
                    result["dropin_backup_file"] = replace_file(dropin, dropin_after, 0o600, params["backup_dir"])
                else:
                    result["dropin_backup_file"] = backup_file(dropin, params["backup_dir"])
                    os.unlink(dropin)
            except FileWriteError as exc:
                done = f"; {path} was changed before (backup {result['backup_file']})" if migrated else ""
                module.fail_json(msg=f"{exc}{done}", path=dropin, changed=migrated)
    if diffs and module._diff:
        result["diff"] = diffs
    module.exit_json(**result)


def main():
    argument_spec = shared_argument_spec(path=False)
    argument_spec["path"] = {"type": "path"}
    argument_spec["distribution"] = {"type": "str", "choices": sorted(BACKENDS), "default": "rke2"}
    argument_spec["dropin_name"] = {"type": "str", "default": rke2.DROPIN_NAME}
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    run(module)


if __name__ == "__main__":
    main()
