#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This is a documentation stub: the work is done by the action plugin plugins/action/node_converge.py.

from __future__ import annotations

DOCUMENTATION = r"""
module: node_converge
short_description: Converge sysctls, kernel modules, packages, VIPs, files and services, reading the node once
version_added: 1.0.0
author: lvmkube.cluster contributors (@lvmkube)
description:
  - Takes the wanted state of a node declaratively. Renders templates on the controller once, reads the node once
    with M(lvmkube.cluster.node_state_info), and then runs the real modules only for what differs, in this order -
    M(ansible.builtin.package) for missing packages, M(community.general.modprobe) for each kernel module that is
    not loaded or not listed for boot, M(ansible.posix.sysctl) for each sysctl whose file line or running value
    differs, M(lvmkube.cluster.loopback_vips) when the VIPs differ, M(ansible.builtin.copy) (through its action,
    as M(ansible.builtin.template) hands off) for each file that differs, and M(ansible.builtin.systemd_service)
    for each service that is not as wanted.
  - A service whose O(services[].unit_file) was written is started after C(daemon-reload); one whose
    O(services[].restart_on) files were written, or with O(services[].restart=true), is restarted.
  - On a node that is already as wanted, the only remote call is the read; with nothing to read, or with
    O(node_read), none.
  - Where the read cannot tell (a value it cannot read), it reports a difference and the real module decides.
  - O(paths) are only read; they are returned in the C(paths) of RV(state).
options:
  sysctl_set:
    description: Passed to M(ansible.posix.sysctl) as its C(sysctl_set) (set the running value, checked with C(sysctl)).
    type: bool
    default: true
  files:
    description: Files to have a content, mode, owner and group.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The file on the node.
        type: path
        required: true
      src:
        description: A template, found like the C(src) of M(ansible.builtin.template) and rendered on the controller.
        type: str
      content:
        description: The content. Exactly one of O(files[].src) and O(files[].content).
        type: str
      mode:
        description: The permissions, as M(ansible.builtin.copy) takes them.
        type: raw
      owner:
        description: The owner.
        type: str
      group:
        description: The group.
        type: str
      backup:
        description: Keep a backup of the file it replaces.
        type: bool
        default: false
  services:
    description: systemd units and what is wanted of them.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The unit.
        type: str
        required: true
      enabled:
        description: Enabled (V(true)) or disabled (V(false)).
        type: bool
      state:
        description: Running or not.
        type: str
        choices: [started, stopped]
      masked:
        description: Masked or not.
        type: bool
      unit_file:
        description: The path of O(files) that holds this unit; when written, systemd is reloaded first.
        type: path
      restart_on:
        description: Paths of O(files) the service reads; when one is written, a running service is restarted.
        type: list
        elements: path
        default: []
      restart:
        description: Restart the service (when O(services[].state=started)), for a change made outside this task.
        type: bool
        default: false
  node_read:
    description:
      - The registered result of an earlier M(lvmkube.cluster.node_state_info) call of the same play that read every
        path of O(files) (with any content), every unit of O(services) and every O(paths). The node is then not read
        again; which files differ is decided here for the wanted contents. A role that must read the node before
        it changes anything (to refuse bad input) passes that read, so the node is read once.
      - Only with O(files), O(services) and O(paths), since the read does not return the raw values the rules
        of the other options need. A read that lacks a wanted item is refused before anything is changed.
      - The read must still be true - nothing else of this play may have changed those files or units since.
    type: dict
extends_documentation_fragment:
  - lvmkube.cluster.node_state
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
attributes:
  check_mode:
    details:
      - The modules run in check mode. A unit file that check mode only pretended to write is not known to systemd;
        its service is then reported as changed without asking systemd.
  diff_mode:
    details: The diffs of the modules that ran, in order.
notes:
  - The read's rules, each held against the real module by tests, are in the collection's C(module_utils/node_state.py).
seealso:
  - module: lvmkube.cluster.node_state_info
  - module: ansible.posix.sysctl
  - module: community.general.modprobe
  - module: ansible.builtin.systemd_service
  - module: ansible.builtin.copy
"""

EXAMPLES = r"""
- name: Keep the sysctls and the unit of a service
  lvmkube.cluster.node_converge:
    sysctls:
      net.ipv4.ip_forward: 1
    sysctl_file: /etc/sysctl.d/90-example.conf
    kernel_modules: [br_netfilter]
    files:
      - path: /etc/systemd/system/example.service
        src: example.service.j2
        mode: "0644"
    services:
      - name: example.service
        enabled: true
        state: started
        unit_file: /etc/systemd/system/example.service
  register: example__node
"""

RETURN = r"""
state:
  description: The read of M(lvmkube.cluster.node_state_info) (empty when there was nothing to read).
  returned: always
  type: dict
module_calls:
  description: The modules run on the node, in order (the read first).
  returned: always
  type: list
  elements: str
  sample: [lvmkube.cluster.node_state_info, ansible.posix.sysctl]
packages:
  description: The result of M(ansible.builtin.package), or C(null) when no package was missing.
  returned: always
  type: dict
kernel_modules:
  description: The result of M(community.general.modprobe) for each module that differed, with its C(name).
  returned: always
  type: list
  elements: dict
sysctls:
  description: The result of M(ansible.posix.sysctl) for each sysctl that differed, with its C(name) and C(value).
  returned: always
  type: list
  elements: dict
vips:
  description: The result of M(lvmkube.cluster.loopback_vips), or C(null) when the VIPs were as wanted.
  returned: always
  type: dict
files:
  description: Path to the result of M(ansible.builtin.copy), for each file that differed.
  returned: always
  type: dict
services:
  description: Unit to the result of M(ansible.builtin.systemd_service), for each service that differed.
  returned: always
  type: dict
"""
