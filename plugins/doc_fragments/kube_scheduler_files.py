# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options shared by the modules that wire kube-scheduler to the TopoLVM extender configuration."""

from __future__ import annotations


class ModuleDocFragment:
    # state, config_file, config_dir: every scheduler-editing module (spec: module_utils/kube_scheduler/files.py)
    DOCUMENTATION = r"""
options:
  state:
    description: Whether the scheduler configuration is wired in (V(present)) or not (V(absent)).
    type: str
    choices: [present, absent]
    default: present
  config_file:
    description: The KubeSchedulerConfiguration file kube-scheduler is started with. Must be inside O(config_dir).
    type: path
    required: true
  config_dir:
    description: Host directory holding the configuration, mounted read-only into kube-scheduler at the same path.
    type: path
    required: true
"""

    # backup_dir: the modules that edit files
    BACKUP = r"""
options:
  backup_dir:
    description:
      - Where a file is copied, byte for byte, before it is changed.
      - Must not be a directory the cluster reads (the static pod directory, C(config.yaml.d)).
    type: path
    default: /var/backups/lvmkube/kube-scheduler
"""
