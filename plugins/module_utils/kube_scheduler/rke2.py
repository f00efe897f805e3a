# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The RKE2 backend: kube-scheduler's flags come from ``kube-scheduler-arg`` in ``/etc/rancher/rke2/config.yaml``
and its ``config.yaml.d/`` drop-ins (read as module_utils/rke2_config.py reads them), the scheduler runs in a
static pod that sees host files only through ``kube-scheduler-extra-mount``, and ``rke2-server`` reads the
configuration when it starts.

K3s (k3s.py) reads its files with the same loader and is this backend with its own paths, without the mount.
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.base import Backend
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (
    child,
    drop_if_empty,
    require_mapping,
    set_flag,
)

SCHEDULER_ARG = "kube-scheduler-arg"
SCHEDULER_MOUNT = "kube-scheduler-extra-mount"
DROPIN_NAME = "70-lvmkube-scheduler.yaml"
DROPIN_HEADER = "Managed by the Ansible role lvmkube.cluster.kube_scheduler: the TopoLVM scheduler extender."


def rke2_mount(config_dir):
    """The RKE2 kube-scheduler-extra-mount entry (host:container:ro)."""
    return f"{config_dir}:{config_dir}:ro"


class Rke2Backend(Backend):
    """RKE2: a config.yaml.d drop-in appending our config= (and the mount), then a restart of the service."""

    name = "rke2"
    label = "RKE2"
    config_path = "/etc/rancher/rke2/config.yaml"
    data_dir = "/var/lib/rancher/rke2"
    kubeconfig = data_dir + "/server/cred/scheduler.kubeconfig"
    service = "rke2-server"
    # kube-scheduler runs in a static pod: the configuration directory must be mounted into it
    extra_mount = True

    def dropin_settings(self, config_file, config_dir):
        """What the drop-in says: our config= (and mount), appended to what earlier files set."""
        settings = {SCHEDULER_ARG + "+": [f"config={config_file}"]}
        if self.extra_mount:
            settings[SCHEDULER_MOUNT + "+"] = [rke2_mount(config_dir)]
        return settings

    def edit_config(self, config, present, config_file, config_dir):
        """edit_rke2_config for this distribution (with or without the mount)."""
        return edit_rke2_config(config, present, config_file, config_dir, mount=self.extra_mount)


BACKEND = Rke2Backend()


def edit_rke2_config(config, present, config_file, config_dir, mount=True):
    """Edit a config.yaml mapping: kube-scheduler-arg config=<path> and (mount) kube-scheduler-extra-mount.

    Without mount, a kube-scheduler-extra-mount entry of config_dir is still removed when not present (absent, or
    the move of an old edit into the drop-in), and never added.
    """
    require_mapping(config, "the configuration")
    changed = False
    for key in (SCHEDULER_ARG, SCHEDULER_MOUNT):
        if isinstance(config.get(key), str):  # a single value is allowed by rke2; make it a list
            config[key] = [config[key]]
            changed = True
    adding = present and mount
    args = child(config, SCHEDULER_ARG, list, SCHEDULER_ARG, present)
    mounts = child(config, SCHEDULER_MOUNT, list, SCHEDULER_MOUNT, adding)
    wanted_mount = rke2_mount(config_dir)
    mount_positions = [
        i
        for i, m in enumerate(mounts or [])
        if isinstance(m, str) and len(m.split(":")) >= 2 and m.split(":")[1].rstrip("/") == config_dir.rstrip("/")
    ]
    if args is not None:
        # present: our config= replaces any; absent: only ours goes, a config= of the user's stays
        changed |= set_flag(
            args, "config", config_file if present else None, dashes="", only=None if present else config_file
        )
    if adding:
        if not mount_positions:
            mounts.append(wanted_mount)
            changed = True
        elif mounts[mount_positions[0]] != wanted_mount:
            mounts[mount_positions[0]] = wanted_mount
            changed = True
        for i in reversed(mount_positions[1:]):
            del mounts[i]
            changed = True
    elif not present:
        for i in reversed(mount_positions):
            del mounts[i]
            changed = True
    if not present:
        changed |= drop_if_empty(config, SCHEDULER_ARG) if args is not None else False
        changed |= drop_if_empty(config, SCHEDULER_MOUNT) if mounts is not None else False
    return changed
