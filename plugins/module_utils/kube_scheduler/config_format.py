# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The KubeSchedulerConfiguration format, in one place: which API version a Kubernetes release reads, the TopoLVM
extender entry, the file the role renders, and the merge of a cluster's own configuration with the extender.

Nothing here knows a distribution: the backends (base.Backend.render) hand over the scheduler's kubeconfig.
Nothing touches the file system or the network: every function takes data and returns data.
"""

from __future__ import annotations

import json
import re

from ansible_collections.lvmkube.cluster.plugins.module_utils import coerce, kubernetes_version, yaml_unique
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (
    KubeSchedulerConfigError,
    child,
    plain_data,
)

try:
    import yaml

    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core on the controller
    yaml = None
    HAS_YAML = False

CONFIG_FILE_NAME = "scheduler-config.yaml"
POLICY_FILE_NAME = "scheduler-policy.cfg"
MANAGED_FILE_NAMES = (CONFIG_FILE_NAME, POLICY_FILE_NAME)

_HEADER = "# Managed by the Ansible role lvmkube.cluster.kube_scheduler. Local edits are overwritten.\n"


def parse_kubernetes_version(version):
    """Return (major, minor) from 'v1.29.3', '1.25', 'v1.16.4-rancher1-1' or 'v1.28.3+rke2r1'."""
    try:
        return kubernetes_version.parse_kubernetes_version(version)
    except kubernetes_version.KubernetesVersionError:
        raise KubeSchedulerConfigError(
            f"cannot read a Kubernetes version from {version!r} (expected e.g. v1.29.3)"
        ) from None


def scheduler_api_version(version):
    """The kubescheduler.config.k8s.io API version kube-scheduler of this release reads."""
    major, minor = parse_kubernetes_version(version)
    if major != 1 or minor < 10:
        raise KubeSchedulerConfigError(f"Kubernetes {version} is not supported (need 1.10 or newer)")
    if minor <= 17:
        suffix = "v1alpha1"
    elif minor == 18:
        suffix = "v1alpha2"
    elif minor <= 21:
        suffix = "v1beta1"
    elif minor == 22:
        suffix = "v1beta2"
    elif minor <= 24:
        suffix = "v1beta3"
    else:
        suffix = "v1"
    return "kubescheduler.config.k8s.io/" + suffix


def build_extender(extender_url, weight, capacity_resource, policy_style=False):
    """One extender entry. policy_style=True spells it as the legacy Policy JSON does."""
    if not isinstance(extender_url, str) or not re.match(r"^https?://[^\s/]+", extender_url):
        raise KubeSchedulerConfigError(f"extender URL must be http:// or https://, got {extender_url!r}")
    coerce.as_int(weight, "extender weight", 1, KubeSchedulerConfigError)
    if not capacity_resource or "/" not in capacity_resource:
        raise KubeSchedulerConfigError(
            f"capacity resource must look like topolvm.io/capacity, got {capacity_resource!r}"
        )
    extender = {
        "urlPrefix": extender_url,
        "filterVerb": "predicate",
        "prioritizeVerb": "prioritize",
        "nodeCacheCapable": False,
        "weight": weight,
        "managedResources": [{"name": capacity_resource, "ignoredByScheduler": True}],
    }
    if extender_url.startswith("https://"):
        extender["enableHttps" if policy_style else "enableHTTPS"] = True
    return extender


def build_scheduler_config(  # noqa: PLR0917 - positional for Jinja filters and callers
    k8s_version,
    kubeconfig,
    extender_url,
    weight,
    capacity_resource,
    config_dir,
    base_text=None,
    base_path="",
    base_marker="",
):
    """Return (api_version, {file name: file text}) for this Kubernetes version.

    kubeconfig: clientConnection.kubeconfig, the scheduler's kubeconfig as the distribution lays it out (the backend's).

    Kubernetes <= 1.17 gets a v1alpha1 KubeSchedulerConfiguration pointing at a Policy JSON file
    (both files are returned); newer releases name the extender directly in the configuration.
    With base_text (the cluster's own configuration, read from base_path) the file is that configuration
    plus the extender (merge_scheduler_config); kubeconfig does not apply then. base_marker: the path the
    scheduler itself names the base by, when it differs from base_path (RKE1: the container's path), for the marker.
    """
    # plain str: templating engines hand over str subclasses that YAML emitters refuse
    extender_url = str(extender_url) if isinstance(extender_url, str) else extender_url
    capacity_resource = str(capacity_resource) if isinstance(capacity_resource, str) else capacity_resource
    if not config_dir or not str(config_dir).startswith("/"):
        raise KubeSchedulerConfigError(f"config directory must be an absolute path, got {config_dir!r}")
    if not HAS_YAML:
        raise KubeSchedulerConfigError("PyYAML is required to render the scheduler configuration")
    config_dir = str(config_dir).rstrip("/")
    if base_text is not None:
        api_version, text = merge_scheduler_config(
            str(base_text), str(base_path), k8s_version, extender_url, weight, capacity_resource, str(base_marker or "")
        )
        return api_version, {CONFIG_FILE_NAME: text}
    if not kubeconfig or not str(kubeconfig).startswith("/"):
        raise KubeSchedulerConfigError(f"the scheduler's kubeconfig must be an absolute path, got {kubeconfig!r}")
    api_version = scheduler_api_version(k8s_version)
    config = {"apiVersion": api_version, "kind": "KubeSchedulerConfiguration"}
    files = {}
    if api_version.endswith("/v1alpha1"):
        config["schedulerName"] = "default-scheduler"
        config["algorithmSource"] = {"policy": {"file": {"path": f"{config_dir}/{POLICY_FILE_NAME}"}}}
        policy = {
            "kind": "Policy",
            "apiVersion": "v1",
            "extenders": [build_extender(extender_url, weight, capacity_resource, policy_style=True)],
        }
        files[POLICY_FILE_NAME] = json.dumps(policy, indent=2) + "\n"
    config["leaderElection"] = {"leaderElect": True}
    config["clientConnection"] = {"kubeconfig": str(kubeconfig)}
    if not api_version.endswith("/v1alpha1"):
        config["extenders"] = [build_extender(extender_url, weight, capacity_resource)]
    files[CONFIG_FILE_NAME] = _HEADER + yaml.safe_dump(config, sort_keys=False, default_flow_style=False)
    return api_version, dict(sorted(files.items()))


def version_from_image(image):
    """The Kubernetes version in an image reference such as registry.k8s.io/kube-scheduler:v1.29.3."""
    if not isinstance(image, str):
        return None
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" not in last:
        return None
    tag = last.rsplit(":", 1)[1]
    try:
        parse_kubernetes_version(tag)
    except KubeSchedulerConfigError:
        return None
    return tag.lstrip("v")


# Merging the extender into a configuration the cluster already has (kubespray, kubeadm with a custom --config,
# RKE2 kube-scheduler-arg config=..., RKE1's extra_args config, a Rancher v2 user's file).

API_GROUP = "kubescheduler.config.k8s.io/"
MERGEABLE_VERSIONS = ("v1beta2", "v1beta3", "v1")
# Kubernetes minor releases whose kube-scheduler reads each version (v1beta2 removed in 1.28, v1beta3 in 1.29)
READABLE_MINORS = {"v1beta2": (22, 27), "v1beta3": (23, 28), "v1": (25, 10**6)}
BASE_MARKER = "# lvmkube-base-config: "
# top-level fields v1beta2 had and v1beta3 removed (secure serving took their place)
_REMOVED_IN_V1BETA3 = ("healthzBindAddress", "metricsBindAddress")
_REMOVED_IN_V1_PLUGINS = ("SelectorSpread",)


def _same_url(a, b):
    return isinstance(a, str) and isinstance(b, str) and a.rstrip("/") == b.rstrip("/")


def upsert_extender(config, extender):
    """Put extender into config['extenders']: replaced in place when its urlPrefix is there, else appended."""
    extenders = child(config, "extenders", list, "extenders", True)
    url = extender["urlPrefix"]
    positions = [i for i, e in enumerate(extenders) if isinstance(e, dict) and _same_url(e.get("urlPrefix"), url)]
    if not positions:
        extenders.append(extender)
        return True
    changed = False
    if plain_data(extenders[positions[0]]) != extender:
        extenders[positions[0]] = extender
        changed = True
    for i in reversed(positions[1:]):
        del extenders[i]
        changed = True
    return changed


def _convert(config, source, from_version, to_version):
    """Convert a parsed configuration between mergeable versions, field by field; refuse what has no equivalent."""
    order = MERGEABLE_VERSIONS
    if order.index(to_version) < order.index(from_version):
        raise KubeSchedulerConfigError(
            f"{source} is {API_GROUP}{from_version}, newer than the {to_version} this kube-scheduler reads"
        )
    if from_version == "v1beta2" and to_version != "v1beta2":
        for key in _REMOVED_IN_V1BETA3:
            if config.get(key):
                raise KubeSchedulerConfigError(
                    f"{source} sets {key}, which {to_version} no longer has: remove it (kube-scheduler serves "
                    "health and metrics on its secure port) and run again"
                )
            config.pop(key, None)
    if to_version == "v1":
        for profile in config.get("profiles") or []:
            plugins = profile.get("plugins") if isinstance(profile, dict) else None
            points = [p for p in (plugins or {}).values() if isinstance(p, dict)]
            for point in points:
                for plugin in point.get("enabled") or []:
                    if isinstance(plugin, dict) and plugin.get("name") in _REMOVED_IN_V1_PLUGINS:
                        raise KubeSchedulerConfigError(
                            f"{source} enables {plugin['name']}, which v1 removed: use PodTopologySpread"
                        )
    config["apiVersion"] = API_GROUP + to_version
    for profile in config.get("profiles") or []:
        for entry in (profile.get("pluginConfig") if isinstance(profile, dict) else None) or []:
            args = entry.get("args") if isinstance(entry, dict) else None
            if isinstance(args, dict) and str(args.get("apiVersion", "")).startswith(API_GROUP):
                args["apiVersion"] = API_GROUP + to_version


def merge_scheduler_config(  # noqa: PLR0917 - positional for Jinja filters and callers
    base_text, base_path, k8s_version, extender_url, weight, capacity_resource, base_marker=""
):
    """Return (api_version, text): the configuration in base_text plus the TopoLVM extender.

    Every field of the base is kept. It stays in its apiVersion while this Kubernetes release still reads that
    version, and is converted up (v1beta2 -> v1beta3 -> v1) only when it does not. v1alpha1..v1beta1, other kinds
    and unparseable text are refused with a message naming base_path. The marker line names base_marker (the path
    the scheduler's own --config gives) or, without it, base_path.
    """
    if not HAS_YAML:
        raise KubeSchedulerConfigError("PyYAML is required to read the scheduler configuration")
    try:
        config = yaml_unique.safe_load(base_text)
    except (yaml.YAMLError, yaml_unique.DuplicateKeyError) as exc:
        raise KubeSchedulerConfigError(f"{base_path} is not valid YAML: {exc}") from exc
    if not isinstance(config, dict) or config.get("kind") != "KubeSchedulerConfiguration":
        raise KubeSchedulerConfigError(f"{base_path} is not a KubeSchedulerConfiguration")
    api_version = str(config.get("apiVersion", ""))
    version = api_version[len(API_GROUP) :] if api_version.startswith(API_GROUP) else ""
    if version not in MERGEABLE_VERSIONS:
        raise KubeSchedulerConfigError(
            f"{base_path} is {api_version or 'without apiVersion'}: only {', '.join(MERGEABLE_VERSIONS)} "
            "configurations are merged; convert it to one of them first. Nothing was changed"
        )
    _major, minor = parse_kubernetes_version(k8s_version)
    low, high = READABLE_MINORS[version]
    target = version if low <= minor <= high else scheduler_api_version(k8s_version)[len(API_GROUP) :]
    if target not in MERGEABLE_VERSIONS:
        raise KubeSchedulerConfigError(f"{base_path} is {api_version}, which Kubernetes {k8s_version} cannot read")
    _convert(config, base_path, version, target)
    upsert_extender(config, build_extender(str(extender_url), weight, str(capacity_resource)))
    header = (
        f"{_HEADER}{BASE_MARKER}{base_marker or base_path}\n"
        "# (that file's settings, every field kept, plus the TopoLVM extender)\n"
    )
    return config["apiVersion"], header + yaml.safe_dump(config, sort_keys=False, default_flow_style=False, width=4096)


def base_config_of_copy(text):
    """The base configuration path our merged copy was made from (its marker line), or ''."""
    for line in str(text or "").splitlines():
        if line.startswith(BASE_MARKER):
            return line[len(BASE_MARKER) :].strip()
    return ""


def resolve_base_config(current, our_config_file, our_copy_text=""):
    """The user's own configuration path: the current --config unless it is ours, then the one our copy names."""
    current = str(current or "")
    if current and current != our_config_file:
        return current
    return base_config_of_copy(our_copy_text) if current == our_config_file else ""
