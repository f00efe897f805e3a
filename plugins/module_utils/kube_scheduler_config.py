# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure functions for the kube-scheduler extender configuration.

Nothing in this file touches the file system or the network: every function takes
data and returns data (or edits a parsed YAML document in place and reports whether
it changed), so each one is unit-tested on its own.
"""

from __future__ import annotations

import json
import re

from ansible_collections.lvmkube.cluster.plugins.module_utils import coerce, kubernetes_version, yaml_unique

try:
    import yaml

    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core on the controller
    yaml = None
    HAS_YAML = False

CONFIG_FILE_NAME = "scheduler-config.yaml"
POLICY_FILE_NAME = "scheduler-policy.cfg"
MANAGED_FILE_NAMES = (CONFIG_FILE_NAME, POLICY_FILE_NAME)
DEFAULT_VOLUME_NAME = "lvmkube-scheduler-config"
MANIFEST_PATH = "/etc/kubernetes/manifests/kube-scheduler.yaml"
RKE2_DROPIN_NAME = "70-lvmkube-scheduler.yaml"
DISTRIBUTIONS = ("kubeadm", "rke1", "rke2", "rancher", "rancher2")

# clientConnection.kubeconfig as each distribution lays it out on a control-plane node.
KUBECONFIG_PATHS = {
    "kubeadm": "/etc/kubernetes/scheduler.conf",
    "rke1": "/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml",
    "rancher": "/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml",
    "rke2": "/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig",
    "rancher2": "/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig",
}

_HEADER = "# Managed by the Ansible role lvmkube.cluster.kube_scheduler. Local edits are overwritten.\n"


class KubeSchedulerConfigError(ValueError):
    """Raised for input that cannot be turned into a valid configuration."""


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
    distribution,
    extender_url,
    weight,
    capacity_resource,
    config_dir,
    kubeconfig=None,
    base_text=None,
    base_path="",
    base_marker="",
):
    """Return (api_version, {file name: file text}) for this Kubernetes version and distribution.

    Kubernetes <= 1.17 gets a v1alpha1 KubeSchedulerConfiguration pointing at a Policy JSON file
    (both files are returned); newer releases name the extender directly in the configuration.
    With base_text (the cluster's own configuration, read from base_path) the file is that configuration
    plus the extender (merge_scheduler_config); kubeconfig does not apply then. base_marker: the path the
    scheduler itself names the base by, when it differs from base_path (RKE1: the container's path), for the marker.
    """
    # plain str: templating engines hand over str subclasses that YAML emitters refuse
    extender_url = str(extender_url) if isinstance(extender_url, str) else extender_url
    capacity_resource = str(capacity_resource) if isinstance(capacity_resource, str) else capacity_resource
    kubeconfig = str(kubeconfig) if kubeconfig else None
    if distribution not in KUBECONFIG_PATHS:
        raise KubeSchedulerConfigError(f"unknown distribution {distribution!r}, expected one of {DISTRIBUTIONS}")
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
    config["clientConnection"] = {"kubeconfig": kubeconfig or KUBECONFIG_PATHS[distribution]}
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


# ---------------------------------------------------------------------------------------------
# Merging the extender into a configuration the cluster already has (kubespray, kubeadm with a
# custom --config, RKE2 kube-scheduler-arg config=...).
# ---------------------------------------------------------------------------------------------

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
    extenders = _child(config, "extenders", list, "extenders", True)
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


# ---------------------------------------------------------------------------------------------
# Structural edits. Each takes a parsed document (plain dicts/lists or ruamel.yaml round-trip
# containers), edits it in place and returns True when something changed.
# ---------------------------------------------------------------------------------------------


def _require_mapping(value, what):
    if not isinstance(value, dict):
        raise KubeSchedulerConfigError(f"{what} must be a mapping, found {type(value).__name__}")
    return value


def _child(parent, key, factory, what, create):
    """parent[key], created with factory() when missing and create is True; None when missing."""
    if key not in parent or parent[key] is None:
        if not create:
            return None
        parent[key] = factory()
    value = parent[key]
    expected = dict if factory is dict else list
    if not isinstance(value, expected):
        raise KubeSchedulerConfigError(f"{what} must be a {'mapping' if expected is dict else 'list'}")
    return value


def _upsert_named(items, name_key, name, wanted):
    """Make exactly one entry of items with items[i][name_key] == name equal to wanted."""
    changed = False
    indexes = [i for i, item in enumerate(items) if isinstance(item, dict) and item.get(name_key) == name]
    if not indexes:
        items.append(wanted)
        return True
    first = indexes[0]
    if plain_data(items[first]) != wanted:
        items[first] = wanted
        changed = True
    for i in reversed(indexes[1:]):
        del items[i]
        changed = True
    return changed


def _remove_named(items, name_key, name):
    indexes = [i for i, item in enumerate(items) if isinstance(item, dict) and item.get(name_key) == name]
    for i in reversed(indexes):
        del items[i]
    return bool(indexes)


def plain_data(value):
    """Plain dict/list copy of a (possibly ruamel) structure, for comparisons."""
    if isinstance(value, dict):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    return value


def _drop_if_empty(parent, key):
    if key in parent and not parent[key]:
        del parent[key]
        return True
    return False


def _flag_name(item):
    """'--config=/x' -> 'config', 'config=/x' -> 'config', '--v' -> 'v'; None for non-strings."""
    if not isinstance(item, str):
        return None
    return item.lstrip("-").split("=", 1)[0]


def flag_values(items, name):
    """Every value of flag name in items (a command line, or an RKE2 ``*-arg`` list), in order."""
    values = []
    for index, item in enumerate(items or []):
        if _flag_name(item) != name:
            continue
        if "=" in item:
            values.append(item.split("=", 1)[1])
        elif item.startswith("-") and index + 1 < len(items) and isinstance(items[index + 1], str):
            values.append(items[index + 1])
    return values


def set_flag(items, name, value, dashes="--", only=None):
    """Make items carry exactly one ``<dashes><name>=<value>``, or none when value is None. Returns changed.

    items is edited in place: a command line (dashes ``--``; the two-item form ``--name value`` is folded into
    one item where it stands) or an RKE2 ``kube-scheduler-arg`` list (dashes ``""``; ``name=value`` and
    ``--name=value`` both match). The first occurrence is replaced where it stands, later ones are removed.
    only: when given, only an occurrence whose value equals it is replaced or removed; others stay.
    """
    changed = False
    flag = dashes + name
    for index in reversed(range(len(items))):
        item = items[index]
        two_items = isinstance(item, str) and item.startswith("-") and "=" not in item and _flag_name(item) == name
        if two_items and index + 1 < len(items) and isinstance(items[index + 1], str):
            items[index] = f"{item}={items[index + 1]}"
            del items[index + 1]
            changed = True
    positions = []
    for index, item in enumerate(items):
        if _flag_name(item) == name and "=" in item and (only is None or item.split("=", 1)[1] == only):
            positions.append(index)
    if value is None:
        for index in reversed(positions):
            del items[index]
        return changed or bool(positions)
    wanted = f"{flag}={value}"
    if not positions:
        items.append(wanted)
        return True
    if items[positions[0]] != wanted:
        items[positions[0]] = wanted
        changed = True
    for index in reversed(positions[1:]):
        del items[index]
        changed = True
    return changed


def scheduler_container(pod):
    """The kube-scheduler container of a static pod manifest."""
    _require_mapping(pod, "the manifest")
    if pod.get("kind") != "Pod":
        raise KubeSchedulerConfigError(f"the manifest is not a Pod (kind: {pod.get('kind')!r})")
    spec = _require_mapping(pod.get("spec"), "spec")
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
    lists = {key: _child(container, key, list, f"container {key}", False) for key in ("command", "args")}
    target = "args" if lists["args"] and flag_values(lists["args"], "config") else command_key
    changed = False
    if present:
        changed |= set_flag(_child(container, target, list, f"container {target}", True), "config", config_file)
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
        metadata = _child(pod, "metadata", dict, "metadata", True)
        annotations = _child(metadata, "annotations", dict, "metadata.annotations", True)
        if annotations.get(CHECKSUM_ANNOTATION) != checksum:
            annotations[CHECKSUM_ANNOTATION] = checksum
            changed = True
    elif isinstance(annotations, dict) and CHECKSUM_ANNOTATION in annotations and (not present or not checksum):
        del annotations[CHECKSUM_ANNOTATION]
        changed = True
        changed |= _drop_if_empty(metadata, "annotations")

    spec = pod["spec"]
    if present:
        volumes = _child(spec, "volumes", list, "spec.volumes", True)
        mounts = _child(container, "volumeMounts", list, "volumeMounts", True)
        changed |= _upsert_named(
            volumes, "name", volume_name, {"hostPath": {"path": config_dir, "type": "Directory"}, "name": volume_name}
        )
        changed |= _upsert_named(
            mounts, "name", volume_name, {"mountPath": config_dir, "name": volume_name, "readOnly": True}
        )
    else:
        volumes = _child(spec, "volumes", list, "spec.volumes", False)
        mounts = _child(container, "volumeMounts", list, "volumeMounts", False)
        if volumes is not None:
            changed |= _remove_named(volumes, "name", volume_name)
        if mounts is not None:
            changed |= _remove_named(mounts, "name", volume_name)
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
    _require_mapping(config, "ClusterConfiguration")
    api_version = config.get("apiVersion")
    if config.get("kind") != "ClusterConfiguration":
        raise KubeSchedulerConfigError(f"not a kubeadm ClusterConfiguration (kind: {config.get('kind')!r})")
    if api_version not in KUBEADM_MAP_ARGS + KUBEADM_LIST_ARGS:
        raise KubeSchedulerConfigError(f"unsupported kubeadm API version {api_version!r}")
    list_style = api_version in KUBEADM_LIST_ARGS
    scheduler = _child(config, "scheduler", dict, "scheduler", present)
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
        args = _child(scheduler, "extraArgs", list, "scheduler.extraArgs (v1beta4: a list)", present)
        current = [a.get("value") for a in args or [] if isinstance(a, dict) and a.get("name") == "config"]
        if present:
            changed |= _upsert_named(args, "name", "config", {"name": "config", "value": config_file})
        elif args is not None and base_config and current == [config_file]:
            changed |= _upsert_named(args, "name", "config", {"name": "config", "value": base_config})
        elif args is not None and not base_config:
            changed |= _remove_named(args, "name", "config")
    else:
        args = _child(scheduler, "extraArgs", dict, "scheduler.extraArgs (before v1beta4: a map)", present)
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
    volumes = _child(scheduler, "extraVolumes", list, "scheduler.extraVolumes", present)
    if present:
        changed |= _upsert_named(volumes, "name", volume_name, volume)
    elif volumes is not None:
        changed |= _remove_named(volumes, "name", volume_name)
    if not present:
        changed |= _drop_if_empty(scheduler, "extraArgs")
        changed |= _drop_if_empty(scheduler, "extraVolumes")
    return changed


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
    _require_mapping(services, "services")
    args_key, binds_key = ("extraArgs", "extraBinds") if camel_case else ("extra_args", "extra_binds")
    scheduler = _child(services, "scheduler", dict, "services.scheduler", present)
    if scheduler is None:
        return False
    changed = False
    args = _child(scheduler, args_key, dict, f"services.scheduler.{args_key}", present)
    binds = _child(scheduler, binds_key, list, f"services.scheduler.{binds_key}", present)
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
        changed |= _drop_if_empty(scheduler, args_key)
        changed |= _drop_if_empty(scheduler, binds_key)
    return changed


def rke2_mount(config_dir):
    """The RKE2 kube-scheduler-extra-mount entry (host:container:ro)."""
    return f"{config_dir}:{config_dir}:ro"


def edit_rke2_config(config, present, config_file, config_dir):
    """Edit /etc/rancher/rke2/config.yaml: kube-scheduler-arg config=<path> and kube-scheduler-extra-mount."""
    _require_mapping(config, "the RKE2 config")
    changed = False
    for key in ("kube-scheduler-arg", "kube-scheduler-extra-mount"):
        if isinstance(config.get(key), str):  # a single value is allowed by rke2; make it a list
            config[key] = [config[key]]
            changed = True
    args = _child(config, "kube-scheduler-arg", list, "kube-scheduler-arg", present)
    mounts = _child(config, "kube-scheduler-extra-mount", list, "kube-scheduler-extra-mount", present)
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
    if present:
        if not mount_positions:
            mounts.append(wanted_mount)
            changed = True
        elif mounts[mount_positions[0]] != wanted_mount:
            mounts[mount_positions[0]] = wanted_mount
            changed = True
        for i in reversed(mount_positions[1:]):
            del mounts[i]
            changed = True
    else:
        for i in reversed(mount_positions):
            del mounts[i]
            changed = True
        changed |= _drop_if_empty(config, "kube-scheduler-arg") if args is not None else False
        changed |= _drop_if_empty(config, "kube-scheduler-extra-mount") if mounts is not None else False
    return changed
