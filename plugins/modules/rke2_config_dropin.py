#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rke2_config_dropin
short_description: Write or remove one RKE2 configuration drop-in file
version_added: 1.0.0
description:
  - Writes one file in RKE2's drop-in directory C(/etc/rancher/rke2/config.yaml.d/) from O(settings), or removes it.
    This is RKE2's own mechanism for adding settings without editing C(config.yaml), which the operator (or Rancher,
    with C(50-rancher.yaml)) owns.
  - RKE2 reads C(config.yaml), then every C(*.yaml)/C(*.yml) file of the drop-in directory in file-name order.
    A key in a later file B(replaces) the value set before; a key written with a trailing C(+)
    (for example C(kubelet-arg+) or C(kube-scheduler-arg+)) B(appends) to the list collected so far.
    So use the C(+) form for list flags, and a name that sorts after the files you add to (after C(50-rancher.yaml),
    that is C(60-...) or higher).
  - The file is rendered from O(settings) in their order, with a comment header. It is replaced atomically (a hidden
    temporary file in the same directory, which RKE2 ignores), and only when its text differs. The old file is copied to
    O(backup_dir) first.
  - The result reports the effective configuration after the change (RKE2's merge of every file), and warns when a file
    read later replaces one of the keys written here, so it would not take effect.
  - RKE2 reads its configuration at start; restart C(rke2-server) or C(rke2-agent) when the module reports a change.
author:
  - lvmkube.cluster contributors (@lvmkube)
requirements:
  - PyYAML on the managed node
extends_documentation_fragment:
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
options:
  path:
    description:
      - Full path of the drop-in file. Its name must end in C(.yaml) or C(.yml), or RKE2 ignores it.
      - Give either O(path) or O(name).
    type: path
  name:
    description:
      - File name inside O(config_dir), for example C(60-lvmkube-cloud-provider.yaml).
      - Give either O(path) or O(name).
    type: str
  config_dir:
    description: The drop-in directory, used with O(name). It is created (mode 0755) when missing.
    type: path
    default: /etc/rancher/rke2/config.yaml.d
  config_file:
    description:
      - The main RKE2 configuration file whose drop-in directory this is, used only to compute RV(effective)
        and the override warning. Defaults to O(config_dir) without its C(.d) suffix.
    type: path
  settings:
    description:
      - The flags to write, RKE2 flag names (without C(--)) to a scalar or a list of scalars, in the order given.
      - A name ending in C(+) appends to the list set by earlier files; without it the value replaces theirs.
      - Required with O(state=present).
    type: dict
  state:
    description: Whether the drop-in file exists with exactly O(settings) (V(present)) or not at all (V(absent)).
    type: str
    choices: [present, absent]
    default: present
  mode:
    description: File mode of the drop-in. RKE2 configuration can hold secrets, so it defaults to owner-only.
    type: str
    default: "0600"
  header:
    description: Comment written at the top of the file (each line prefixed with C(#)). Empty for none.
    type: str
    default: Managed by Ansible (lvmkube.cluster.rke2_config_dropin). Local edits are overwritten.
  backup_dir:
    description: Where the previous file is copied (byte for byte) before it is replaced or removed.
    type: path
    default: /var/backups/lvmkube/rke2
notes:
  - Supports check mode and diff mode.
  - >-
    Python API for other modules, in C(plugins/module_utils/rke2_config.py).
    C(read_config_texts(config_file, replace=None)) returns C([(path, text)]) in RKE2's order; C(replace) maps a path to
    its future text, or to C(None) for a removed file.
    C(effective_config(texts)) returns C((values, origins)) with RKE2's replace and append semantics, and
    C(merge_configs([(source, mapping)])) does the same on parsed mappings.
    C(render_dropin(settings, header)) renders a drop-in text; C(overridden_keys(texts, path, settings)) lists the
    keys a later file replaces. C(dropin_order(names)), C(sorts_after(name, other)), C(to_list(value)) and
    C(base_key(key)) are the small rules. Errors are C(Rke2ConfigError).
"""

EXAMPLES = r"""
- name: Run the kubelet with an external cloud provider, after Rancher's 50-rancher.yaml
  lvmkube.cluster.rke2_config_dropin:
    name: 60-lvmkube-cloud-provider.yaml
    settings:
      cloud-provider-name: external
      kubelet-arg+:
        - cloud-provider=external
  register: dropin

- name: Restart RKE2 when the drop-in changed
  ansible.builtin.systemd_service:
    name: rke2-server
    state: restarted
  when: dropin.changed

- name: Remove the drop-in again
  lvmkube.cluster.rke2_config_dropin:
    path: /etc/rancher/rke2/config.yaml.d/60-lvmkube-cloud-provider.yaml
    state: absent
"""

RETURN = r"""
path:
  description: The drop-in file.
  returned: always
  type: str
  sample: /etc/rancher/rke2/config.yaml.d/60-lvmkube-cloud-provider.yaml
content:
  description: The file's text after the run (empty for O(state=absent)).
  returned: success
  type: str
  sample: "# Managed by Ansible\ncloud-provider-name: external\n"
backup_file:
  description: Copy of the previous file. Empty when nothing changed, the file was new, or in check mode.
  returned: success
  type: str
  sample: /var/backups/lvmkube/rke2/60-lvmkube-cloud-provider.yaml.20260101T000000.bak
files:
  description: The files RKE2 reads after the change, in its order.
  returned: success
  type: list
  elements: str
  sample: [/etc/rancher/rke2/config.yaml, /etc/rancher/rke2/config.yaml.d/50-rancher.yaml]
effective:
  description: RKE2's effective configuration after the change (every file merged, keys without C(+)).
  returned: success
  type: dict
  sample: {"kubelet-arg": ["max-pods=200", "cloud-provider=external"], "cloud-provider-name": external}
overridden:
  description: Keys written here that a file read later replaces, with that file. Also reported as a warning.
  returned: success
  type: dict
  sample: {}
link_target:
  description: When O(path) is a symbolic link, the file it points to, edited (the link is kept).
  returned: when O(path) is a symbolic link and O(state=present)
  type: str
  sample: /etc/lvmkube/real/60-lvmkube-cloud-provider.yaml
"""

import os  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.rke2_config import (  # noqa: E402
    DEFAULT_DROPIN_DIR,
    DEFAULT_HEADER,
    Rke2ConfigError,
    effective_config,
    is_dropin_name,
    overridden_keys,
    read_config_texts,
    render_dropin,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import (  # noqa: E402
    FileReadError,
    FileWriteError,
    backup_file,
    link_target,
    read_text,
    replace_file,
    shown_text,
)


def target_path(module):
    params = module.params
    path = params["path"] or os.path.join(params["config_dir"], params["name"])
    if not is_dropin_name(os.path.basename(path)):
        module.fail_json(msg=f"{path}: RKE2 only reads drop-ins named *.yaml or *.yml", path=path)
    return path


def run(module):
    params = module.params
    path = target_path(module)
    present = params["state"] == "present"
    config_file = params["config_file"] or (
        os.path.dirname(path)[: -len(".d")] if os.path.dirname(path).endswith(".d") else os.path.dirname(path)
    )
    try:
        int(params["mode"], 8)
    except ValueError:
        module.fail_json(msg=f"mode must be octal such as 0600, got {params['mode']!r}", path=path)
    try:
        before = read_text(path)
    except FileReadError as exc:
        module.fail_json(msg=str(exc), path=path)
    exists = before is not None
    before = before or ""
    try:
        after = render_dropin(params["settings"], params["header"]) if present else ""
        texts = read_config_texts(config_file, replace={path: after if present else None})
        values = effective_config(texts)[0]
        overridden = overridden_keys(texts, path, params["settings"]) if present else {}
    except Rke2ConfigError as exc:
        module.fail_json(msg=f"refusing to write {path}: {exc}", path=path)

    result = {
        "changed": False,
        "path": path,
        "content": after,
        "backup_file": "",
        "files": [p for p, _text in texts],
        "effective": values,
        "overridden": overridden,
    }
    for key, later in overridden.items():
        module.warn(f"{later} sets {key} after {path}, so the value written here does not take effect")

    try:
        target = link_target(path) if present else path  # absent removes the link itself
    except FileWriteError as exc:
        module.fail_json(msg=f"{exc}. Nothing was changed", path=path)
    if target != path:
        result["link_target"] = target
    mode_wrong = present and exists and (os.stat(path).st_mode & 0o7777) != int(params["mode"], 8)
    if (present and before != after) or (not present and exists) or mode_wrong:
        result["changed"] = True
        if module._diff:
            diff = {"before": shown_text(before), "after": after, "before_header": path, "after_header": path}
            result["diff"] = diff
        if not module.check_mode:
            try:
                if not present:
                    result["backup_file"] = backup_file(path, params["backup_dir"]) if before else ""
                    os.unlink(path)
                elif before != after:
                    result["backup_file"] = replace_file(path, after, int(params["mode"], 8), params["backup_dir"])
                else:
                    os.chmod(target, int(params["mode"], 8))
            except FileWriteError as exc:
                module.fail_json(msg=f"{exc}. Nothing was changed", path=path)
            except OSError as exc:
                module.fail_json(msg=f"cannot change {path}: {exc.strerror or exc}. Nothing was changed", path=path)
    module.exit_json(**result)


def main():
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path"},
            "name": {"type": "str"},
            "config_dir": {"type": "path", "default": DEFAULT_DROPIN_DIR},
            "config_file": {"type": "path"},
            "settings": {"type": "dict"},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
            "mode": {"type": "str", "default": "0600"},
            "header": {"type": "str", "default": DEFAULT_HEADER},
            "backup_dir": {"type": "path", "default": "/var/backups/lvmkube/rke2"},
        },
        required_one_of=[("path", "name")],
        mutually_exclusive=[("path", "name")],
        required_if=[("state", "present", ("settings",))],
        supports_check_mode=True,
    )
    run(module)


if __name__ == "__main__":
    main()
