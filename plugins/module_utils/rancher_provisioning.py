# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure edits of a Rancher v2 provisioning ``Cluster`` (``provisioning.cattle.io/v1``) for the scheduler extender.

Field names follow Rancher's Go types (``RKEConfig.machineSelectorFiles`` -> ``RKEProvisioningFiles``
{machineLabelSelector, fileSources: [ProvisioningFileSource {secret|configMap: {name, items: [KeyToPath
{key, path, permissions, dynamic, hash}], defaultPermissions}}]}; ``RKEConfig.machineSelectorConfig`` ->
``RKESystemConfig`` {machineLabelSelector, config}). Rancher writes the ``config`` of every matching entry to
``/etc/rancher/rke2/config.yaml.d/50-rancher.yaml`` on the machine, and copies the files to it.
"""

from __future__ import annotations

import base64
import copy
import hashlib

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler_config import (
    KubeSchedulerConfigError,
    plain_data,
    rke2_mount,
    set_flag,
)

CONTROL_PLANE_SELECTOR = {"matchLabels": {"rke.cattle.io/control-plane-role": "true"}}
SCHEDULER_ARG = "kube-scheduler-arg"
SCHEDULER_MOUNT = "kube-scheduler-extra-mount"


def secret_object(name, namespace, files):
    """A Secret holding files ({key: text}) for machineSelectorFiles."""
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app.kubernetes.io/managed-by": "lvmkube"}},
        "type": "Opaque",
        "data": {key: base64.b64encode(text.encode("utf-8")).decode("ascii") for key, text in sorted(files.items())},
    }


def file_items(files, paths):
    """KeyToPath items for files ({key: text}) written to paths ({key: absolute path}) with their sha256."""
    return [
        {
            "key": key,
            "path": paths[key],
            "permissions": "0644",
            "dynamic": True,
            "hash": hashlib.sha256(files[key].encode("utf-8")).hexdigest(),
        }
        for key in sorted(files)
    ]


def _rke_config(cluster):
    spec = cluster.get("spec") if isinstance(cluster, dict) else None
    rke = spec.get("rkeConfig") if isinstance(spec, dict) else None
    if not isinstance(rke, dict):
        raise KubeSchedulerConfigError(
            "the Cluster has no spec.rkeConfig (not an RKE2/K3s cluster provisioned by Rancher)"
        )
    return rke


def _ours_files(entry, secret_name):
    sources = entry.get("fileSources") if isinstance(entry, dict) else None
    return any(isinstance(s, dict) and (s.get("secret") or {}).get("name") == secret_name for s in sources or [])


def edit_cluster(cluster, present, secret_name, items, config_file, config_dir):  # noqa: PLR0917
    """Edit cluster in place: our files entry and our kube-scheduler settings for control-plane machines.

    Returns True when something changed. Other entries, and other settings of a control-plane entry, are kept.
    """
    rke = _rke_config(cluster)
    before = copy.deepcopy(plain_data(rke))
    files = [e for e in rke.get("machineSelectorFiles") or [] if not _ours_files(e, secret_name)]
    if present:
        files.append(
            {
                "machineLabelSelector": CONTROL_PLANE_SELECTOR,
                "fileSources": [{"secret": {"name": secret_name, "items": items}}],
            }
        )
    if files:
        rke["machineSelectorFiles"] = files
    else:
        rke.pop("machineSelectorFiles", None)

    configs = rke.get("machineSelectorConfig") or []
    entry = next(
        (
            e
            for e in configs
            if isinstance(e, dict) and plain_data(e.get("machineLabelSelector")) == CONTROL_PLANE_SELECTOR
        ),
        None,
    )
    if entry is None and present:
        entry = {"machineLabelSelector": CONTROL_PLANE_SELECTOR, "config": {}}
        configs.append(entry)
    if entry is not None:
        config = entry.get("config") or {}
        for key in (SCHEDULER_ARG, SCHEDULER_MOUNT):
            if isinstance(config.get(key), str):
                config[key] = [config[key]]
        args = config.setdefault(SCHEDULER_ARG, [])
        set_flag(args, "config", config_file if present else None, dashes="", only=None if present else config_file)
        mounts = config.setdefault(SCHEDULER_MOUNT, [])
        mount = rke2_mount(config_dir)
        if present and mount not in mounts:
            mounts.append(mount)
        elif not present:
            mounts[:] = [m for m in mounts if m != mount]
        for key in (SCHEDULER_ARG, SCHEDULER_MOUNT):
            if not config[key]:
                del config[key]
        entry["config"] = config
        if not config:
            configs.remove(entry)
    if configs:
        rke["machineSelectorConfig"] = configs
    else:
        rke.pop("machineSelectorConfig", None)
    return plain_data(rke) != before
