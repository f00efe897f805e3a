# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The RKE1 backend: kube-scheduler runs in a Docker container that RKE (``rke up``) builds from cluster.yml's
``services.scheduler`` (extra_args, extra_binds); the configuration file is read through the container's binds.

Pure edits of the parsed ``services`` mapping (cluster.yml, or Rancher v3's rancherKubernetesEngineConfig in
rancher_v3.py, camelCase there).
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.base import Backend
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (
    KubeSchedulerConfigError,
    child,
    drop_if_empty,
    require_mapping,
)

KUBECONFIG = "/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml"


class Rke1Backend(Backend):
    """RKE1: services.scheduler of cluster.yml, applied by ``rke up``."""

    name = "rke1"
    kubeconfig = KUBECONFIG
    # cluster.yml spells RKE's keys in snake_case; Rancher's v3 API (rancher_v3.py) in camelCase
    camel_case = False

    def cluster_base(self, services, config_file, known_base="", prefix_path="/", need_host=True):
        """rke_cluster_base in this backend's spelling."""
        return rke_cluster_base(services, config_file, known_base, prefix_path, need_host, self.camel_case)

    def edit(self, services, present, config_file, config_dir, base_config=None):
        """edit_rke_services in this backend's spelling."""
        return edit_rke_services(services, present, config_file, config_dir, self.camel_case, base_config)


BACKEND = Rke1Backend()


def rke_bind(config_dir):
    """The RKE1 extra_binds entry that mounts the config directory read-only."""
    return f"{config_dir}:{config_dir}:ro"


RKE_DEFAULT_BIND_TARGET = "/etc/kubernetes"


def rke_scheduler_section(services, camel_case=False):
    """(extra_args, extra_binds, extra_args_array) of services.scheduler, each None when missing."""
    keys = ("extraArgs", "extraBinds", "extraArgsArray")
    if not camel_case:
        keys = ("extra_args", "extra_binds", "extra_args_array")
    scheduler = services.get("scheduler") if isinstance(services, dict) else None
    if not isinstance(scheduler, dict):
        return None, None, None
    return tuple(scheduler.get(key) for key in keys)


def rke_scheduler_config_arg(services, camel_case=False):
    """The ``config`` scheduler argument of RKE1 services ('' when none); refuses it in extra_args_array."""
    args, _binds, array = rke_scheduler_section(services, camel_case)
    array_key = "extraArgsArray" if camel_case else "extra_args_array"
    if isinstance(array, dict) and array.get("config"):
        raise KubeSchedulerConfigError(
            f"services.scheduler.{array_key} sets config, which RKE passes besides extra_args in no fixed order: "
            "move it to extra_args"
        )
    return str(args.get("config") or "") if isinstance(args, dict) else ""


def rke_host_path(container_path, extra_binds, prefix_path="/"):
    """The host path of a file the RKE1 kube-scheduler container sees at container_path.

    RKE binds ``<prefix_path>/etc/kubernetes`` at /etc/kubernetes (cluster/plan.go, BuildSchedulerProcess) and
    appends extra_binds (Docker ``host:container[:options]``); the bind with the longest container path holding
    the file decides. A file on no bind is inside the image and is refused.
    """
    prefix = str(prefix_path or "/")
    binds = [(prefix.rstrip("/") + RKE_DEFAULT_BIND_TARGET, RKE_DEFAULT_BIND_TARGET)]
    for bind in extra_binds or []:
        parts = str(bind).split(":")
        if len(parts) >= 2 and parts[0].startswith("/") and parts[1].startswith("/"):
            binds.append((parts[0], parts[1]))
    best = None
    for host, bind_target in binds:
        target = bind_target.rstrip("/") or "/"
        inside = container_path == target or container_path.startswith(target.rstrip("/") + "/")
        if inside and (best is None or len(target) >= len(best[1])):
            best = (host, target)
    if best is None:
        raise KubeSchedulerConfigError(
            f"the scheduler's config {container_path} is on no bind mount of the RKE container "
            f"({RKE_DEFAULT_BIND_TARGET} or extra_binds), so it cannot be read from the node"
        )
    host, target = best
    rest = container_path[len(target) :].lstrip("/") if target != "/" else container_path.lstrip("/")
    return (host.rstrip("/") + "/" + rest) if rest else host


def rke_cluster_base(services, config_file, known_base="", prefix_path="/", need_host=True, camel_case=False):  # noqa: PLR0917
    """(previous, base, base_host) of RKE1 services: the scheduler's config now, the user's own one, its host path.

    base is the current config when it is not ours (config_file); when it is ours, known_base (what our copy's
    marker or the pristine cluster file names). base_host is base through the binds (rke_host_path), computed only
    with need_host (an unmapped file is refused then).
    """
    previous = rke_scheduler_config_arg(services, camel_case)
    if previous and previous != config_file:
        base = previous
    elif previous == config_file and known_base and known_base != config_file:
        base = str(known_base)
    else:
        base = ""
    _args, binds, _array = rke_scheduler_section(services, camel_case)
    base_host = rke_host_path(base, binds if isinstance(binds, list) else [], prefix_path) if base and need_host else ""
    return previous, base, base_host


def edit_rke_services(services, present, config_file, config_dir, camel_case=False, base_config=None):  # noqa: PLR0917
    """Edit the RKE1 services mapping (cluster.yml `services`, or Rancher's rancherKubernetesEngineConfig.services).

    Sets scheduler extra_args.config and adds a read-only extra_binds entry for the config directory.
    camel_case=True uses the Rancher v3 API spelling (extraArgs / extraBinds).
    base_config: the cluster's own configuration our file was merged from; removal puts ``config`` back to it
    (only where ours stands) instead of dropping the argument. The user's binds are always kept.
    """
    require_mapping(services, "services")
    args_key, binds_key = ("extraArgs", "extraBinds") if camel_case else ("extra_args", "extra_binds")
    scheduler = child(services, "scheduler", dict, "services.scheduler", present)
    if scheduler is None:
        return False
    changed = False
    args = child(scheduler, args_key, dict, f"services.scheduler.{args_key}", present)
    binds = child(scheduler, binds_key, list, f"services.scheduler.{binds_key}", present)
    bind = rke_bind(config_dir)
    if present:
        if args.get("config") != config_file:
            args["config"] = config_file
            changed = True
        if bind not in binds:
            binds.append(bind)
            changed = True
    else:
        if args is not None and base_config and args.get("config") == config_file:
            args["config"] = base_config
            changed = True
        elif args is not None and not base_config and args.get("config") == config_file:
            del args["config"]
            changed = True
        if binds is not None and bind in binds:
            while bind in binds:
                binds.remove(bind)
            changed = True
        changed |= drop_if_empty(scheduler, args_key)
        changed |= drop_if_empty(scheduler, binds_key)
    return changed
