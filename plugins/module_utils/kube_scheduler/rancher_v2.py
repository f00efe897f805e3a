# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Rancher v2 backend: pure edits of a provisioning ``Cluster`` (``provisioning.cattle.io/v1``) for the
scheduler extender.

Field names follow Rancher's Go types (``RKEConfig.machineSelectorFiles`` -> ``RKEProvisioningFiles``
{machineLabelSelector, fileSources: [ProvisioningFileSource {secret|configMap: {name, items: [KeyToPath
{key, path, permissions, dynamic, hash}], defaultPermissions}}]}; ``RKEConfig.machineSelectorConfig`` ->
``RKESystemConfig`` {machineLabelSelector, config}).

What Rancher's planner does with them (rancher/rancher ``pkg/capr/planner/config.go``, read at commit
59bd052e44553e77e5c570b84ed4a24dfa7b44ab; docs/kube_scheduler.md has the list):
- ``renderFiles``: a Secret must carry the annotation ``rke.cattle.io/object-authorized-for-clusters`` naming the
  cluster, and an item's ``hash`` must be the base64 (standard encoding) of the SHA-256 of the value, or the
  machine's whole plan fails;
- ``restartStamp``: only items without ``dynamic`` change the restart stamp, so ours is not dynamic;
- ``addUserConfig``: ``machineGlobalConfig``, then every matching ``machineSelectorConfig`` entry in list order,
  a later entry's key replacing the earlier value outright;
- both exist from Rancher v2.7.2 (commit 77c9a1c172, "Add configmap/secret based file delivery for v2prov").
"""

from __future__ import annotations

import base64
import copy
import hashlib
import re

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import k3s, rke2
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.base import Backend
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (
    KubeSchedulerConfigError,
    flag_values,
    plain_data,
    set_flag,
)

CONTROL_PLANE_LABEL = "rke.cattle.io/control-plane-role"
CONTROL_PLANE_SELECTOR = {"matchLabels": {CONTROL_PLANE_LABEL: "true"}}
SCHEDULER_ARG = rke2.SCHEDULER_ARG
SCHEDULER_MOUNT = rke2.SCHEDULER_MOUNT
OUR_KEYS = (SCHEDULER_ARG, SCHEDULER_MOUNT)
AUTHORIZED_ANNOTATION = "rke.cattle.io/object-authorized-for-clusters"
MANAGED_BY = {"app.kubernetes.io/managed-by": "lvmkube"}
LEGACY_SECRET_NAME = "lvmkube-kube-scheduler"
MIN_SERVER_VERSION = (2, 7, 2)


class RancherV2Backend(Backend):
    """Rancher v2: the provisioning Cluster and a Secret in Rancher's local cluster; Rancher's planner writes the
    file and the arguments on the control-plane machines. The kubeconfig depends on the Cluster (RKE2 or K3s, a
    custom data directory: scheduler_kubeconfig), which the role reads first and hands to render()."""

    name = "rancher-v2"
    kubeconfig = rke2.BACKEND.kubeconfig


BACKEND = RancherV2Backend()


def parse_server_version(value):
    """(major, minor, patch) of Rancher's server-version setting ('v2.7.2', 'v2.9.3-rc1', 'v2.10-head'), or None."""
    match = re.match(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(-head)?", str(value or "").strip())
    if not match or (match.group(3) is None and not match.group(4)):
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def check_server_version(value):
    """Refuse a Rancher older than 2.7.2, or one whose version cannot be read."""
    version = parse_server_version(value)
    floor = ".".join(map(str, MIN_SERVER_VERSION))
    if version is None:
        raise KubeSchedulerConfigError(
            f"cannot read Rancher's server-version {value!r} (expected e.g. v2.7.2); Rancher {floor} or later is "
            "needed (machineSelectorFiles)"
        )
    if version < MIN_SERVER_VERSION:
        raise KubeSchedulerConfigError(
            f"Rancher {value} is older than {floor}: it drops spec.rkeConfig.machineSelectorFiles, so kube-scheduler "
            f"would be pointed at a file that never arrives. Upgrade Rancher to {floor} or later"
        )
    return version


def default_secret_name(cluster_name):
    """The Secret of one cluster: two clusters in one namespace never share it."""
    return f"{LEGACY_SECRET_NAME}-{cluster_name}"


def content_hash(data):
    """What renderFiles compares an item's hash with: base64 (standard) of the SHA-256 of the bytes."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def secret_object(name, namespace, cluster_name, files):
    """A Secret holding files ({key: text}) for machineSelectorFiles, authorized for cluster_name only."""
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": dict(MANAGED_BY),
            "annotations": {AUTHORIZED_ANNOTATION: cluster_name},
        },
        "type": "Opaque",
        "data": {key: base64.b64encode(text.encode("utf-8")).decode("ascii") for key, text in sorted(files.items())},
    }


def secret_owner_problem(secret, cluster_name):
    """Why an existing Secret of that name is not ours to replace or delete, or '' when it is."""
    meta = (secret or {}).get("metadata") or {}
    labels = meta.get("labels") or {}
    if labels.get("app.kubernetes.io/managed-by") != MANAGED_BY["app.kubernetes.io/managed-by"]:
        return "it exists and was not made by lvmkube (label app.kubernetes.io/managed-by=lvmkube missing)"
    authorized = str((meta.get("annotations") or {}).get(AUTHORIZED_ANNOTATION) or "")
    if authorized and authorized.split(",") != [cluster_name]:
        return f"it is authorized for cluster(s) {authorized!r} ({AUTHORIZED_ANNOTATION})"
    return ""


def secret_up_to_date(secret, wanted):
    """True when secret already has wanted's data, labels and authorization annotation."""
    if secret is None:
        return False
    meta = secret.get("metadata") or {}
    if (secret.get("data") or {}) != wanted["data"]:
        return False
    labels, annotations = meta.get("labels") or {}, meta.get("annotations") or {}
    return all(labels.get(k) == v for k, v in wanted["metadata"]["labels"].items()) and all(
        annotations.get(k) == v for k, v in wanted["metadata"]["annotations"].items()
    )


def file_items(files, paths):
    """KeyToPath items for files ({key: text}) written to paths ({key: absolute path}).

    Not dynamic: a changed file changes the machine's restart stamp, so the distribution restarts with it.
    """
    return [
        {"key": key, "path": paths[key], "permissions": "0644", "hash": content_hash(files[key])}
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


def runtime(cluster):
    """'k3s' or 'rke2', as capr.GetRuntime decides it: 'k3s' in spec.kubernetesVersion."""
    version = str(((cluster or {}).get("spec") or {}).get("kubernetesVersion") or "")
    return "k3s" if "k3s" in version else "rke2"


def distro_data_dir(cluster):
    """capr.GetDistroDataDir: spec.rkeConfig.dataDirectories.k8sDistro, else /var/lib/rancher/<runtime>."""
    rke = ((cluster or {}).get("spec") or {}).get("rkeConfig") or {}
    custom = str((rke.get("dataDirectories") or {}).get("k8sDistro") or "")
    return custom.rstrip("/") or (k3s.BACKEND if runtime(cluster) == "k3s" else rke2.BACKEND).data_dir


def scheduler_kubeconfig(cluster):
    """The scheduler's kubeconfig that RKE2 and K3s write under their data directory."""
    return f"{distro_data_dir(cluster)}/server/cred/scheduler.kubeconfig"


def _as_list(value):
    """convertInterfaceToStringSlice: a string is one item, a list stays, anything else is nothing."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def control_plane_reach(selector):
    """Which control-plane machines a machineLabelSelector matches: 'all', 'none' or 'some'.

    A missing or empty selector matches every machine (addUserConfig; metav1.LabelSelectorAsSelector of an empty
    selector is labels.Everything()). Only the control-plane role label is known for every control-plane machine.
    """
    if not selector:
        return "all"
    if not isinstance(selector, dict):
        return "some"
    reach = "all"
    for key, value in (selector.get("matchLabels") or {}).items():
        if key != CONTROL_PLANE_LABEL:
            reach = "some"
        elif str(value) != "true":
            return "none"
    for expression in selector.get("matchExpressions") or []:
        if not isinstance(expression, dict):
            return "some"
        key, operator = expression.get("key"), expression.get("operator")
        values = [str(v) for v in expression.get("values") or []]
        if key != CONTROL_PLANE_LABEL:
            reach = "some"
        elif operator == "DoesNotExist" or (operator in {"In", "NotIn"} and (operator == "In") != ("true" in values)):
            return "none"
        elif not (operator == "Exists" or (operator == "In" and "true" in values) or operator == "NotIn"):
            reach = "some"
    return reach


def _ours_files(entry, secret_name, config_file):
    sources = entry.get("fileSources") if isinstance(entry, dict) else None
    for source in sources or []:
        secret = (source or {}).get("secret") if isinstance(source, dict) else None
        name = (secret or {}).get("name")
        if name == secret_name:
            return True
        # an entry an earlier release of this collection wrote (one Secret for every cluster)
        if name == LEGACY_SECRET_NAME and any(
            isinstance(i, dict) and i.get("path") == config_file for i in secret.get("items") or []
        ):
            return True
    return False


def _strip_ours(configs, config_file, config_dir):
    """Remove our entry, and our settings from an entry an earlier release edited in place. Edits configs."""
    mount = rke2.rke2_mount(config_dir)
    for entry in list(configs):
        if not isinstance(entry, dict) or plain_data(entry.get("machineLabelSelector")) != CONTROL_PLANE_SELECTOR:
            continue
        config = entry.get("config") if isinstance(entry.get("config"), dict) else {}
        if config_file not in flag_values(_as_list(config.get(SCHEDULER_ARG)), "config"):
            continue
        if set(config) <= set(OUR_KEYS):
            configs.remove(entry)
            continue
        args = _as_list(config.get(SCHEDULER_ARG))
        set_flag(args, "config", None, dashes="", only=config_file)
        mounts = [m for m in _as_list(config.get(SCHEDULER_MOUNT)) if m != mount]
        for key, value in ((SCHEDULER_ARG, args), (SCHEDULER_MOUNT, mounts)):
            if value:
                config[key] = value
            else:
                config.pop(key, None)
        if not config and set(entry) <= {"machineLabelSelector", "config"}:
            configs.remove(entry)


def carried_settings(rke, configs):
    """The kube-scheduler args and mounts every control-plane machine gets without our entry (addUserConfig).

    Refuses an entry that sets them for only some control-plane machines: one entry of ours cannot carry values
    that differ between machines, and placed after it, ours would silently drop them on those machines.
    """
    glob = rke.get("machineGlobalConfig") if isinstance(rke.get("machineGlobalConfig"), dict) else {}
    settings = {key: _as_list(glob.get(key)) for key in OUR_KEYS}
    for index, entry in enumerate(configs):
        config = entry.get("config") if isinstance(entry, dict) and isinstance(entry.get("config"), dict) else {}
        keys = [key for key in OUR_KEYS if key in config]
        if not keys:
            continue
        selector = entry.get("machineLabelSelector")
        reach = control_plane_reach(selector)
        if reach == "some":
            raise KubeSchedulerConfigError(
                f"spec.rkeConfig.machineSelectorConfig[{index}] (machineLabelSelector {plain_data(selector)!r}) sets "
                f"{' and '.join(keys)} for only some control-plane machines; Rancher's planner gives a machine the "
                "value of the last matching entry, so the extender's settings cannot be added to those machines "
                "alone. Move them to machineGlobalConfig or to an entry for every control-plane machine"
            )
        if reach == "all":
            for key in keys:
                settings[key] = _as_list(config[key])
    return settings


def edit_cluster(cluster, present, secret_name, items, config_file, config_dir):  # noqa: PLR0917
    """Edit cluster in place: our files entry and our kube-scheduler settings for control-plane machines.

    Our settings go into an entry of their own, last in machineSelectorConfig, so that it is the entry the planner
    applies last on every control-plane machine; it carries the args and mounts those machines get from
    machineGlobalConfig and earlier entries (carried_settings), so nothing of the user's is lost, and absent only
    removes it. Returns (changed, base_config): base_config is the user's own config= it replaces, or ''.
    """
    rke = _rke_config(cluster)
    before = copy.deepcopy(plain_data(rke))
    files = [e for e in rke.get("machineSelectorFiles") or [] if not _ours_files(e, secret_name, config_file)]
    if present:
        files.append(
            {
                "machineLabelSelector": copy.deepcopy(CONTROL_PLANE_SELECTOR),
                "fileSources": [{"secret": {"name": secret_name, "items": items}}],
            }
        )
    if files:
        rke["machineSelectorFiles"] = files
    else:
        rke.pop("machineSelectorFiles", None)

    configs = [e for e in rke.get("machineSelectorConfig") or [] if e is not None]
    _strip_ours(configs, config_file, config_dir)
    base_config = ""
    if present:
        settings = carried_settings(rke, configs)
        base_config = next((v for v in flag_values(settings[SCHEDULER_ARG], "config") if v != config_file), "")
        args = list(settings[SCHEDULER_ARG])
        set_flag(args, "config", config_file, dashes="")
        ours = {SCHEDULER_ARG: args}
        if runtime(cluster) == "rke2":  # K3s runs kube-scheduler in its own process: nothing to mount
            mounts = list(settings[SCHEDULER_MOUNT])
            if rke2.rke2_mount(config_dir) not in mounts:
                mounts.append(rke2.rke2_mount(config_dir))
            ours[SCHEDULER_MOUNT] = mounts
        configs.append({"machineLabelSelector": copy.deepcopy(CONTROL_PLANE_SELECTOR), "config": ours})
    if configs:
        rke["machineSelectorConfig"] = configs
    else:
        rke.pop("machineSelectorConfig", None)
    return plain_data(rke) != before, base_config


def delivered_file(rke, path, secret_name, config_file):
    """The (kind, name, key) of the machineSelectorFiles source that writes path on control-plane machines, or None."""
    for entry in rke.get("machineSelectorFiles") or []:
        if not isinstance(entry, dict) or _ours_files(entry, secret_name, config_file):
            continue
        if control_plane_reach(entry.get("machineLabelSelector")) == "none":
            continue
        for source in entry.get("fileSources") or []:
            for kind in ("secret", "configMap"):
                ref = (source or {}).get(kind) if isinstance(source, dict) else None
                for item in (ref or {}).get("items") or []:
                    if isinstance(item, dict) and item.get("path") == path:
                        return kind, ref.get("name"), item.get("key")
    return None
