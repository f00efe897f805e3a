#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: topolvm_render
short_description: Write rendered TopoLVM manifests to a directory in one step
version_added: 1.0.0
description:
  - Writes every file of O(files) into O(dest) (atomically, only when the content or mode differs) and removes
    the files of earlier runs that are no longer wanted.
  - Only files whose names match O(managed_pattern) are ever removed, so other files in O(dest) are kept.
  - Used by the P(lvmkube.cluster.topolvm#role) role for C(topolvm_output=render); the file list comes from the
    P(lvmkube.cluster.topolvm_render_files#filter) filter.
author:
  - lvmkube.cluster contributors (@lvmkube)
extends_documentation_fragment:
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
options:
  dest:
    description: Output directory; created (mode C(0755)) when missing and O(state=present).
    type: path
    required: true
  files:
    description: Files to write.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: File name inside O(dest), without directories.
        type: str
        required: true
      content:
        description: Complete file content.
        type: str
        required: true
      mode:
        description: Octal file mode such as C(0644).
        type: str
        default: "0644"
  managed_pattern:
    description: Regular expression (full match) of the file names this module owns in O(dest).
    type: str
    default: '[0-9]{3}-[a-z0-9.-]+\.yaml|kustomization\.yaml'
  state:
    description: V(present) writes O(files); V(absent) removes every managed file.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Supports check mode and diff mode.
"""

EXAMPLES = r"""
- name: Write the manifests
  lvmkube.cluster.topolvm_render:
    dest: /srv/gitops/topolvm
    files: "{{ topolvm_objects | lvmkube.cluster.topolvm_render_files }}"
"""

RETURN = r"""
written:
  description: Names of the files created or changed.
  returned: always
  type: list
  elements: str
  sample: [001-namespace-topolvm-system.yaml]
removed:
  description: Names of the managed files removed.
  returned: always
  type: list
  elements: str
  sample: [031-daemonset-topolvm-scheduler.yaml]
"""

import os  # noqa: E402
import re  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.text_files import FileReadError, read_text, replace_file  # noqa: E402

PATTERN_DEFAULT = r"[0-9]{3}-[a-z0-9.-]+\.yaml|kustomization\.yaml"


def plan(dest, files, managed_pattern, state):
    """Return (writes, removals): [(name, old, new, mode)], [(name, old)] needed to reach the wanted state."""
    pattern = re.compile(managed_pattern)
    wanted = {} if state == "absent" else {f["name"]: f for f in files}
    existing = sorted(os.listdir(dest)) if os.path.isdir(dest) else []
    removals = [
        (name, read_text(os.path.join(dest, name)))
        for name in existing
        if pattern.fullmatch(name) and name not in wanted and os.path.isfile(os.path.join(dest, name))
    ]
    writes = []
    for name, entry in wanted.items():
        path = os.path.join(dest, name)
        mode = int(entry["mode"], 8)
        old = read_text(path)
        if old != entry["content"] or (old is not None and os.stat(path).st_mode & 0o7777 != mode):
            writes.append((name, old, entry["content"], mode))
    return writes, removals


def _write(dest, name, content, mode):
    replace_file(os.path.join(dest, name), content, mode, prefix=f".{name}.")


def main():
    module = AnsibleModule(
        argument_spec={
            "dest": {"type": "path", "required": True},
            "files": {
                "type": "list",
                "elements": "dict",
                "default": [],
                "options": {
                    "name": {"type": "str", "required": True},
                    "content": {"type": "str", "required": True},
                    "mode": {"type": "str", "default": "0644"},
                },
            },
            "managed_pattern": {"type": "str", "default": PATTERN_DEFAULT},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        },
        supports_check_mode=True,
    )
    dest, files = module.params["dest"], module.params["files"]
    for entry in files:
        if "/" in entry["name"] or entry["name"] in ("", ".", ".."):
            module.fail_json(msg=f"file name {entry['name']!r} must be a plain name inside dest")
        if not re.fullmatch(r"0?[0-7]{3,4}", entry["mode"]):
            module.fail_json(msg=f"mode {entry['mode']!r} of {entry['name']} is not an octal mode such as 0644")
    if len({f["name"] for f in files}) != len(files):
        module.fail_json(msg="files contains the same name twice")
    if os.path.exists(dest) and not os.path.isdir(dest):
        module.fail_json(msg=f"{dest} exists and is not a directory")
    try:
        re.compile(module.params["managed_pattern"])
    except re.error as exc:
        module.fail_json(msg=f"managed_pattern is not a regular expression: {exc}")

    try:
        writes, removals = plan(dest, files, module.params["managed_pattern"], module.params["state"])
    except FileReadError as exc:
        module.fail_json(msg=str(exc))
    diff = [
        {
            "before_header": os.path.join(dest, name),
            "after_header": os.path.join(dest, name),
            "before": old or "",
            "after": new,
        }
        for name, old, new, _mode in writes
    ]
    diff += [
        {"before_header": os.path.join(dest, name), "after_header": "(removed)", "before": old or "", "after": ""}
        for name, old in removals
    ]
    result = {
        "changed": bool(writes or removals),
        "written": [w[0] for w in writes],
        "removed": [r[0] for r in removals],
        "diff": diff,
    }
    if module.check_mode or not result["changed"]:
        module.exit_json(**result)

    for name, _old, new, mode in writes:
        _write(dest, name, new, mode)
    for name, _old in removals:
        os.unlink(os.path.join(dest, name))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
