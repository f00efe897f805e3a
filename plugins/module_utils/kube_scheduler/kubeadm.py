# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kubeadm backend: kube-scheduler is a static pod (``/etc/kubernetes/manifests/kube-scheduler.yaml``) the
kubelet restarts when the manifest changes; kubeadm keeps the scheduler's settings in its ClusterConfiguration
(a file, the kubeadm-config ConfigMap), where ``kubeadm upgrade`` reads them back.

Pure edits of parsed documents, each returning whether it changed something.
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.base import Backend
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (
    KubeSchedulerConfigError,
    child,
    drop_if_empty,
    flag_values,
    remove_named,
    require_mapping,
    set_flag,
    upsert_named,
)

DEFAULT_VOLUME_NAME = "lvmkube-scheduler-config"
MANIFEST_PATH = "/etc/kubernetes/manifests/kube-scheduler.yaml"
KUBECONFIG = "/etc/kubernetes/scheduler.conf"


class KubeadmBackend(Backend):
    """kubeadm: the static pod manifest and kubeadm's ClusterConfiguration."""

    name = "kubeadm"
    kubeconfig = KUBECONFIG
    manifest = MANIFEST_PATH


BACKEND = KubeadmBackend()


def scheduler_container(pod):
    """The kube-scheduler container of a static pod manifest."""
    require_mapping(pod, "the manifest")
    if pod.get("kind") != "Pod":
        raise KubeSchedulerConfigError(f"the manifest is not a Pod (kind: {pod.get('kind')!r})")
    spec = require_mapping(pod.get("spec"), "spec")
    containers = spec.get("containers")
    if not isinstance(containers, list) or not containers:
        raise KubeSchedulerConfigError("spec.containers must be a non-empty list")
    for container in containers:
        if isinstance(container, dict) and container.get("name") == "kube-scheduler":
            return container
    raise KubeSchedulerConfigError("no container named kube-scheduler in the manifest")


CHECKSUM_ANNOTATION = "lvmkube.io/scheduler-config-checksum"


def _edit_config_flag(container, present, config_file, base_config):
    """Set or remove our --config in the container's command or args. Returns changed.

    The kubelet runs command followed by args, and kube-scheduler keeps the last --config: a flag in args wins
    over one in command. So ours goes into the list whose --config is in effect (args when it has one), and a
    stale one of ours in the other list goes; absent puts the base back where ours stood.
    """
    command_key = "command" if "command" in container else ("args" if "args" in container else "command")
    lists = {key: child(container, key, list, f"container {key}", False) for key in ("command", "args")}
    target = "args" if lists["args"] and flag_values(lists["args"], "config") else command_key
    changed = False
    if present:
        changed |= set_flag(child(container, target, list, f"container {target}", True), "config", config_file)
        for key, items in lists.items():
            if key != target and items is not None:
                changed |= set_flag(items, "config", None, only=config_file)
        return changed
    for key, items in lists.items():
        if items is None:
            continue
        if flag_values(items, "config") == [config_file] or (key == target and not base_config):
            # ours (or, without a base to go back to, any --config as before) goes; the base comes back
            changed |= set_flag(items, "config", base_config or None, only=None if not base_config else config_file)
        elif config_file in flag_values(items, "config"):
            changed |= set_flag(items, "config", None, only=config_file)
    return changed


def edit_static_pod(  # noqa: PLR0917 - positional for Jinja filters and callers
    pod,
    present,
    config_file,
    config_dir,
    volume_name=DEFAULT_VOLUME_NAME,
    checksum=None,
    base_config=None,
):
    """Add (present) or remove the --config flag, hostPath volume and read-only mount.

    base_config: the cluster's own configuration our file was merged from. Removal then puts
    ``--config=<base_config>`` back where ours stood instead of dropping the flag.

    checksum, when given with present, is stored as a pod annotation: a new configuration then changes the
    manifest, and the kubelet restarts the scheduler to read it.
    """
    container = scheduler_container(pod)
    changed = _edit_config_flag(container, present, config_file, base_config)

    metadata = pod.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if present and checksum:
        metadata = child(pod, "metadata", dict, "metadata", True)
        annotations = child(metadata, "annotations", dict, "metadata.annotations", True)
        if annotations.get(CHECKSUM_ANNOTATION) != checksum:
            annotations[CHECKSUM_ANNOTATION] = checksum
            changed = True
    elif isinstance(annotations, dict) and CHECKSUM_ANNOTATION in annotations and (not present or not checksum):
        del annotations[CHECKSUM_ANNOTATION]
        changed = True
        changed |= drop_if_empty(metadata, "annotations")

    spec = pod["spec"]
    if present:
        volumes = child(spec, "volumes", list, "spec.volumes", True)
        mounts = child(container, "volumeMounts", list, "volumeMounts", True)
        changed |= upsert_named(
            volumes, "name", volume_name, {"hostPath": {"path": config_dir, "type": "Directory"}, "name": volume_name}
        )
        changed |= upsert_named(
            mounts, "name", volume_name, {"mountPath": config_dir, "name": volume_name, "readOnly": True}
        )
    else:
        volumes = child(spec, "volumes", list, "spec.volumes", False)
        mounts = child(container, "volumeMounts", list, "volumeMounts", False)
        if volumes is not None:
            changed |= remove_named(volumes, "name", volume_name)
        if mounts is not None:
            changed |= remove_named(mounts, "name", volume_name)
    return changed


def static_pod_config_flag(pod):
    """The value of --config= in the scheduler container, or None."""
    container = scheduler_container(pod)
    values = flag_values(list(container.get("command") or []) + list(container.get("args") or []), "config")
    return values[-1] if values else None


KUBEADM_MAP_ARGS = ("kubeadm.k8s.io/v1beta1", "kubeadm.k8s.io/v1beta2", "kubeadm.k8s.io/v1beta3")
KUBEADM_LIST_ARGS = ("kubeadm.k8s.io/v1beta4",)


def find_cluster_configuration(docs):
    """Index of the kubeadm ClusterConfiguration among documents, or None."""
    for index, doc in enumerate(docs):
        if isinstance(doc, dict) and doc.get("kind") == "ClusterConfiguration":
            return index
    return None


def cluster_configuration_config_arg(config):
    """The scheduler extraArgs config value of a ClusterConfiguration (map or v1beta4 list form), or ''."""
    scheduler = config.get("scheduler") if isinstance(config, dict) else None
    args = scheduler.get("extraArgs") if isinstance(scheduler, dict) else None
    if isinstance(args, dict):
        return str(args.get("config") or "")
    for arg in args if isinstance(args, list) else []:
        if isinstance(arg, dict) and arg.get("name") == "config":
            return str(arg.get("value") or "")
    return ""


def edit_cluster_configuration(  # noqa: PLR0917 - positional for Jinja filters and callers
    config, present, config_file, config_dir, volume_name=DEFAULT_VOLUME_NAME, base_config=None
):
    """Set (present) or remove scheduler extraArgs.config and the extraVolume in a ClusterConfiguration.

    v1beta1..v1beta3 keep extraArgs as a map; v1beta4 keeps it as a list of {name, value}.
    base_config: the cluster's own configuration (kubespray's); removal puts it back instead of dropping the
    argument, and only an argument naming our file is touched then.
    """
    require_mapping(config, "ClusterConfiguration")
    api_version = config.get("apiVersion")
    if config.get("kind") != "ClusterConfiguration":
        raise KubeSchedulerConfigError(f"not a kubeadm ClusterConfiguration (kind: {config.get('kind')!r})")
    if api_version not in KUBEADM_MAP_ARGS + KUBEADM_LIST_ARGS:
        raise KubeSchedulerConfigError(f"unsupported kubeadm API version {api_version!r}")
    list_style = api_version in KUBEADM_LIST_ARGS
    scheduler = child(config, "scheduler", dict, "scheduler", present)
    if scheduler is None:
        return False
    changed = False
    volume = {
        "name": volume_name,
        "hostPath": config_dir,
        "mountPath": config_dir,
        "readOnly": True,
        "pathType": "Directory",
    }
    if list_style:
        args = child(scheduler, "extraArgs", list, "scheduler.extraArgs (v1beta4: a list)", present)
        current = [a.get("value") for a in args or [] if isinstance(a, dict) and a.get("name") == "config"]
        if present:
            changed |= upsert_named(args, "name", "config", {"name": "config", "value": config_file})
        elif args is not None and base_config and current == [config_file]:
            changed |= upsert_named(args, "name", "config", {"name": "config", "value": base_config})
        elif args is not None and not base_config:
            changed |= remove_named(args, "name", "config")
    else:
        args = child(scheduler, "extraArgs", dict, "scheduler.extraArgs (before v1beta4: a map)", present)
        if present:
            if args.get("config") != config_file:
                args["config"] = config_file
                changed = True
        elif args is not None and base_config and args.get("config") == config_file:
            args["config"] = base_config
            changed = True
        elif args is not None and not base_config and "config" in args:
            del args["config"]
            changed = True
    volumes = child(scheduler, "extraVolumes", list, "scheduler.extraVolumes", present)
    if present:
        changed |= upsert_named(volumes, "name", volume_name, volume)
    elif volumes is not None:
        changed |= remove_named(volumes, "name", volume_name)
    if not present:
        changed |= drop_if_empty(scheduler, "extraArgs")
        changed |= drop_if_empty(scheduler, "extraVolumes")
    return changed
