# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settings of a TopoLVM installation, checked once and normalised into one dict.

The objects (``objects.py`` and the object family modules), the chart values (``helm.py``) and the derived facts
(``facts.py``) are all made from the dict :func:`normalize_config` returns, so a setting is read and checked in one
place. Names, types, choices and defaults are not written here: the role's ``meta/argument_specs.yml`` declares them
(``spec.py`` reads it).
"""

from __future__ import annotations

import copy
import math
import re
from typing import NamedTuple

from ansible_collections.lvmkube.cluster.plugins.module_utils import coerce, kubernetes_version
from ansible_collections.lvmkube.cluster.plugins.plugin_utils import role_distribution
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests import render
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.plain_data import plain_copy
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import spec
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage import device_classes

COMPONENTS = ("controller", "node", "lvmd", "scheduler")
# The main container of each component (its name in the objects; with "_" for "-" its chart resources key).
MAIN_CONTAINERS = {
    "controller": "topolvm-controller",
    "node": "topolvm-node",
    "lvmd": "lvmd",
    "scheduler": "topolvm-scheduler",
}


class PodKnob(NamedTuple):
    """One key of <component>_pod: where the rendered objects and the chart's values take it.

    ``target`` is the part of the Deployment/DaemonSet that gets it: ``pod`` (the pod spec), ``container`` (the
    main container) or ``template`` (the pod template's metadata); ``field`` the field there. ``keep`` says how a
    set value meets the role's own: ``replace`` it, ``role`` (merged, the role's keys win) or ``knob`` (merged,
    the knob's keys win). ``chart`` is the value under the chart's ``<component>`` (``""``: the chart's
    ``resources.<main container>``); ``chart_components`` the components whose chart takes it.
    """

    key: str
    target: str
    field: str
    keep: str
    chart: str
    chart_components: tuple = COMPONENTS


# The <component>_pod knobs, in the argument spec's order: the one table the objects and the helm values use.
POD_KNOBS = (
    PodKnob("node_selector", "pod", "nodeSelector", "role", "nodeSelector"),  # lvmd's per-set selector stays
    PodKnob("tolerations", "pod", "tolerations", "replace", "tolerations"),
    PodKnob("affinity", "pod", "affinity", "replace", "affinity"),
    PodKnob("resources", "container", "resources", "replace", ""),
    PodKnob("priority_class_name", "pod", "priorityClassName", "replace", "priorityClassName"),
    PodKnob("args", "container", "args", "replace", "args"),
    PodKnob("labels", "template", "labels", "role", "podLabels"),  # the selector's labels stay
    # Only the controller and node pods take podAnnotations in the chart (lvmd and scheduler pods have none).
    PodKnob("annotations", "template", "annotations", "knob", "podAnnotations", ("controller", "node")),
)
POD_KEYS = tuple(knob.key for knob in POD_KNOBS)
POD_MONITOR_COMPONENTS = ("controller", "node", "lvmd")  # the chart's PodMonitors
SELECTOR_KEYS = ("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component", "idx")
# Settings that count something and must be 1 or more (the spec's type says only "int").
AT_LEAST_ONE = ("controller_replicas", "scheduler_replicas", "scheduler_port")
MIN_KUBERNETES = (1, 24)
# Rendered when no version is given nor read from a cluster: the newest Kubernetes TopoLVM 0.41 supports
# (its README: Kubernetes 1.33, 1.34 and 1.35).
RENDER_KUBERNETES_VERSION = "1.35"
# image.reference of the upstream chart's values.yaml for its TopoLVM version (chart 17.1.0: TopoLVM 0.41.0).
IMAGE_DIGESTS = {"0.41.0": "sha256:5faf5b94557516ae0f6fa7d329a5a4305e22aa2dc464af7641b31f2aca618036"}
# Chart 17.0.0 renamed image.tag to image.reference (a tag and/or digest).
CHART_IMAGE_REFERENCE_SINCE = (17, 0, 0)
PRIORITY_CLASS_VALUE = 1000000  # the chart's priorityClass.value

_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
_RELEASE = re.compile(r"^\d+\.\d+\.\d+([-.][0-9A-Za-z.-]+)?$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_LABEL_KEY = re.compile(
    r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
)
_OPTION_CLASS = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


class TopolvmConfigError(ValueError):
    """The TopoLVM configuration cannot produce a valid installation."""


def parse_kubernetes_version(version):
    """Return ``(major, minor)`` of a version such as ``1.30``, ``v1.30.4`` or ``1.30.4+rke2r1``."""
    try:
        return kubernetes_version.parse_kubernetes_version(version)
    except kubernetes_version.KubernetesVersionError as exc:
        raise TopolvmConfigError(f"kubernetes_version {exc}") from None


def require_name(value, what, pattern=_DNS_LABEL, max_len=63):
    return render.require_name(value, what, pattern, max_len, error=TopolvmConfigError)


def normalize_config(raw):
    """Check every setting and derive what the objects and the chart values need; raise on bad input.

    ``raw`` holds every option of the role's argument spec (:mod:`.spec`; the role passes them all, the filters fill
    the missing ones from the spec's defaults). Unknown or missing keys are errors.
    """
    if not isinstance(raw, dict):
        raise TopolvmConfigError("the TopoLVM configuration must be a dict")
    try:
        spec.check_names(raw)
    except spec.SpecError as exc:
        raise TopolvmConfigError(str(exc)) from None
    cfg = plain_copy(raw)
    _check_types(cfg)

    require_name(cfg["name"], "name", max_len=40)
    require_name(cfg["namespace"], "namespace")
    cfg["version"] = str(cfg["version"]).lstrip("v")
    if not _RELEASE.fullmatch(cfg["version"]):
        raise TopolvmConfigError(f"version {cfg['version']!r} is not a TopoLVM release such as 0.41.0")
    cfg["helm_chart_version"] = str(cfg["helm_chart_version"]).lstrip("v")
    if not _RELEASE.fullmatch(cfg["helm_chart_version"]):
        raise TopolvmConfigError(
            f"helm_chart_version {cfg['helm_chart_version']!r} is not a chart version such as 17.1.0"
        )
    if not cfg["image_repository"] or any(c.isspace() for c in str(cfg["image_repository"])):
        raise TopolvmConfigError("image_repository must be a non-empty image name")
    cfg["image_reference"] = image_reference(cfg["version"], cfg["image_tag"], cfg["image_digest"])
    cfg["image"] = f"{cfg['image_repository']}:{cfg['image_reference']}"
    if cfg["lvmd_managed"] and cfg["lvmd_embedded"]:
        raise TopolvmConfigError("lvmd_managed and lvmd_embedded exclude each other (lvmd would run twice)")
    cfg["pods"] = {component: _pod_settings(cfg[f"{component}_pod"], f"{component}_pod") for component in COMPONENTS}
    cfg["distribution"] = role_distribution.served(cfg["distribution"], "distribution", error=TopolvmConfigError)
    if cfg["kubernetes_version"] in (None, ""):
        cfg["kubernetes_version"] = RENDER_KUBERNETES_VERSION
    cfg["kubernetes_minor"] = parse_kubernetes_version(cfg["kubernetes_version"])
    if cfg["kubernetes_minor"] < MIN_KUBERNETES:
        raise TopolvmConfigError(
            f"Kubernetes {cfg['kubernetes_version']} is older than 1.24, the oldest version this role supports"
        )
    if cfg["scheduler_port"] > 65535:
        raise TopolvmConfigError("scheduler_port must be at most 65535")
    for key in ("lvmd_socket", "kubelet_dir"):
        if not str(cfg[key]).startswith("/"):
            raise TopolvmConfigError(f"{key} must be an absolute path, got {cfg[key]!r}")
    cfg["kubelet_dir"] = str(cfg["kubelet_dir"]).rstrip("/") or "/"

    cfg["device_classes"], cfg["lvmd_sets"], cfg["node_labels"] = _lvmd_sets(cfg)
    cfg["lvcreate_option_classes"] = _lvcreate_option_classes(cfg)
    cfg["storage_classes"] = _storage_classes(cfg)
    for lvmd_set in cfg["lvmd_sets"]:
        lvmd_set["document"] = _lvmd_document(cfg, lvmd_set["device_classes"])
    cfg["lvmd_document"] = cfg["lvmd_sets"][0]["document"]
    cfg["scheduler_options"] = _scheduler_options(cfg)
    cfg["pod_monitors"] = _pod_monitors(cfg)
    return cfg


def _check_types(cfg):
    """Each setting as the argument spec's ``type`` and ``choices`` say, strictly: a bool is a YAML boolean (the role
    converts its variables as ansible-core's argument validation does before they get here); an int may come as
    decimal text (templating before ansible-core 2.19 gives text)."""
    for key in spec.of_type("bool"):
        coerce.as_bool(cfg[key], key, TopolvmConfigError)
    for key in spec.of_type("int"):
        cfg[key] = coerce.as_int(cfg[key], key, 1 if key in AT_LEAST_ONE else None, TopolvmConfigError, text=True)
    for key, option in spec.options().items():
        # The distribution goes through the collection's one vocabulary instead (its deprecated spellings included).
        if option.get("choices") and option.get("type", "str") != "list" and key != "distribution":
            _choice(cfg, key, spec.choices(key))


def lvmd_in_cluster(cfg):
    """lvmd runs in the cluster (its own DaemonSet or inside topolvm-node) and reads the role's lvmd.yaml."""
    return cfg["lvmd_managed"] or cfg["lvmd_embedded"]


def per_node(cfg):
    """Device classes come per node from the inventory (one lvmd configuration per distinct set)."""
    return bool(cfg["node_labels"])


def node_set_affinity(cfg):
    """Node affinity to the nodes that carry the role's lvmd set label."""
    terms = [{"matchExpressions": [{"key": cfg["node_label"], "operator": "Exists"}]}]
    return {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}}


def _lvmd_sets(cfg):
    """(device classes of the cluster, lvmd sets, node labels).

    Without ``nodes``: the one list ``device_classes`` for every node, one set, no node labels. With ``nodes``
    (name and device classes of each Kubernetes node, from the inventory): one set per distinct list of device
    classes, in order of first appearance (``idx`` "0", "1", ... as the chart's ``lvmd.additionalConfigs``), the
    label value of each node (None for a node without device classes: its label is removed), and the device
    classes of the cluster as the union by name (for StorageClasses and divisors).
    """
    nodes = cfg["nodes"] or []
    if not isinstance(nodes, list):
        raise TopolvmConfigError("nodes must be a list of {name, device_classes}")
    if not nodes:
        classes = _check_device_classes(cfg["device_classes"])
        return classes, [{"idx": "0", "device_classes": classes, "nodes": []}], {}
    if not isinstance(cfg["node_label"], str) or not _LABEL_KEY.fullmatch(cfg["node_label"]):
        raise TopolvmConfigError(f"node_label {cfg['node_label']!r} is not a label key such as example.com/name")
    sets, labels, union = [], {}, {}
    for index, node in enumerate(nodes):
        if not isinstance(node, dict) or set(node) - {"name", "device_classes"}:
            raise TopolvmConfigError(f"nodes[{index}] must be a dict with name and device_classes")
        name = require_name(node.get("name"), f"nodes[{index}].name", DNS_SUBDOMAIN, 253)
        if name in labels:
            raise TopolvmConfigError(f"node {name!r} is listed twice")
        try:
            classes = device_classes.device_classes(node.get("device_classes") or [], allow_empty=True)
        except device_classes.DeviceClassError as exc:
            raise TopolvmConfigError(f"device classes of node {name}: {exc}") from None
        if not classes:
            labels[name] = None
            continue
        match = next((s for s in sets if s["device_classes"] == classes), None)
        if match is None:
            match = {"idx": str(len(sets)), "device_classes": classes, "nodes": []}
            sets.append(match)
        match["nodes"].append(name)
        labels[name] = match["idx"]
        for dc in classes:
            union.setdefault(dc["name"], dc)
    if not sets:
        raise TopolvmConfigError("nodes: no node has device classes (set lvmkube_device_classes for the storage nodes)")
    if cfg["lvmd_embedded"] and len(sets) > 1:
        raise TopolvmConfigError(
            "lvmd_embedded reads one lvmd configuration in every topolvm-node pod (as the chart's node.lvmdEmbedded), "
            f"but the nodes have {len(sets)} different sets of device classes; use lvmd_managed or the lvmd role"
        )
    return list(union.values()), sets, labels


def _lvmd_document(cfg, classes):
    document = device_classes.lvmd_document(classes, str(cfg["lvmd_socket"]))
    if cfg["lvmd_embedded"]:  # lvmd inside topolvm-node serves no socket (the chart leaves the key out)
        del document["socket-name"]
    if cfg["lvcreate_option_classes"]:
        document["lvcreate-option-classes"] = copy.deepcopy(cfg["lvcreate_option_classes"])
    return document


def _str_map(value, what):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TopolvmConfigError(f"{what} must be a dict of strings, got {value!r}")
    for key, item in value.items():
        if not isinstance(key, str) or not key or isinstance(item, (dict, list)) or item is None:
            raise TopolvmConfigError(f"{what} must map names to strings, got {key!r}: {item!r}")
    return {str(k): str(v) for k, v in value.items()}


def _pod_settings(value, what):
    """One component's pod knobs, normalised: every key of POD_KEYS, empty when not set."""
    value = value or {}
    if not isinstance(value, dict):
        raise TopolvmConfigError(f"{what} must be a dict with keys {', '.join(POD_KEYS)}")
    unknown = sorted(set(value) - set(POD_KEYS))
    if unknown:
        raise TopolvmConfigError(f"{what} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(POD_KEYS)}")
    pod = {
        "node_selector": _str_map(value.get("node_selector"), f"{what}.node_selector"),
        "labels": _str_map(value.get("labels"), f"{what}.labels"),
        "annotations": _str_map(value.get("annotations"), f"{what}.annotations"),
        "priority_class_name": str(value.get("priority_class_name") or ""),
    }
    for key in ("affinity", "resources"):
        item = value.get(key) or {}
        if not isinstance(item, dict):
            raise TopolvmConfigError(f"{what}.{key} must be a dict (the pod spec's {key}), got {item!r}")
        pod[key] = copy.deepcopy(item)
    tolerations = value.get("tolerations") or []
    if not isinstance(tolerations, list) or not all(isinstance(t, dict) for t in tolerations):
        raise TopolvmConfigError(f"{what}.tolerations must be a list of tolerations (dicts)")
    pod["tolerations"] = copy.deepcopy(tolerations)
    args = value.get("args") or []
    if not isinstance(args, list) or not all(isinstance(a, str) and a for a in args):
        raise TopolvmConfigError(f"{what}.args must be a list of strings")
    pod["args"] = [str(a) for a in args]
    taken = sorted(set(pod["labels"]) & set(SELECTOR_KEYS))
    if taken:
        raise TopolvmConfigError(f"{what}.labels cannot set {', '.join(taken)}: the workload's selector uses them")
    if pod["priority_class_name"] and not DNS_SUBDOMAIN.fullmatch(pod["priority_class_name"]):
        raise TopolvmConfigError(f"{what}.priority_class_name {pod['priority_class_name']!r} is not a valid name")
    return pod


def _lvcreate_option_classes(cfg):
    """lvmd's lvcreate-option-classes: [{name, options}] (for RAID and other lvcreate options per volume)."""
    value = cfg["lvcreate_option_classes"] or []
    if not isinstance(value, list):
        raise TopolvmConfigError("lvcreate_option_classes must be a list of {name, options}")
    result, seen = [], set()
    for index, entry in enumerate(value):
        if not isinstance(entry, dict) or set(entry) - {"name", "options"}:
            raise TopolvmConfigError(f"lvcreate_option_classes[{index}] must be a dict with name and options")
        name, options = entry.get("name"), entry.get("options")
        if not isinstance(name, str) or not _OPTION_CLASS.fullmatch(name) or len(name) > 63:
            raise TopolvmConfigError(f"lvcreate_option_classes[{index}].name {name!r} is not a valid name")
        if name in seen:
            raise TopolvmConfigError(f"lvcreate option class {name!r} is listed twice")
        seen.add(name)
        if not isinstance(options, list) or not options or not all(isinstance(o, str) and o for o in options):
            raise TopolvmConfigError(f"lvcreate option class {name!r}: options must be a non-empty list of strings")
        result.append({"name": str(name), "options": [str(o) for o in options]})
    if result and not lvmd_in_cluster(cfg):
        raise TopolvmConfigError(
            "lvcreate_option_classes are written to the lvmd.yaml of lvmd in the cluster: they need lvmd_managed or "
            "lvmd_embedded (the lvmd role's host lvmd.yaml does not carry them)"
        )
    return result


def _number(value, what, text=False):
    """A number above 0; text=True also takes its decimal text ("{{ x | float }}" before ansible-core 2.19)."""
    number = value
    if text and isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        number = float(value.strip())
    if isinstance(number, bool) or not isinstance(number, (int, float)) or number <= 0 or not math.isfinite(number):
        raise TopolvmConfigError(f"{what} must be a number greater than 0, got {value!r}")
    return int(number) if float(number).is_integer() else float(number)


def _scheduler_options(cfg):
    """topolvm-scheduler's scoring: default-divisor and divisors per device class (the chart's schedulerOptions)."""
    divisors = cfg["scheduler_divisors"] or {}
    if not isinstance(divisors, dict):
        raise TopolvmConfigError("scheduler_divisors must be a dict of device class: divisor")
    names = [dc["name"] for dc in cfg["device_classes"]]
    unknown = sorted(str(k) for k in divisors if k not in names)
    if unknown:
        raise TopolvmConfigError(
            f"scheduler_divisors name device class(es) not in device_classes: {', '.join(unknown)}"
        )
    options = {"default-divisor": _number(cfg["scheduler_default_divisor"], "scheduler_default_divisor", text=True)}
    if divisors:
        options["divisors"] = {str(k): _number(v, f"scheduler_divisors.{k}") for k, v in divisors.items()}
    return options


def _pod_monitors(cfg):
    value = cfg["pod_monitors"] or []
    if not isinstance(value, list) or set(value) - set(POD_MONITOR_COMPONENTS):
        raise TopolvmConfigError(f"pod_monitors must be a list of {', '.join(POD_MONITOR_COMPONENTS)}, got {value!r}")
    if "lvmd" in value and not cfg["lvmd_managed"]:
        raise TopolvmConfigError("pod_monitors lists lvmd, but lvmd runs as a DaemonSet only with lvmd_managed")
    cfg["pod_monitor_labels"] = _str_map(cfg["pod_monitor_labels"], "pod_monitor_labels")
    return [c for c in POD_MONITOR_COMPONENTS if c in value]


def _choice(cfg, key, choices):
    if cfg[key] not in choices:
        raise TopolvmConfigError(f"{key} {cfg[key]!r} is not one of {', '.join(choices)}")


def image_reference(version, tag="", digest=""):
    """``tag@sha256:...`` as the chart's ``image.reference``: the tag is the version unless set, and the
    digest of the default version's image is known (the chart pins it); other versions get no digest
    unless ``digest`` or a ``tag@digest`` is given."""
    tag = str(tag or version)
    if "@" in tag:
        if digest:
            raise TopolvmConfigError("image_tag already carries a digest (tag@sha256:...); leave image_digest empty")
        tag, digest = tag.split("@", 1)
    elif not digest and tag == version:
        digest = IMAGE_DIGESTS.get(version, "")
    if not _TAG.fullmatch(tag):
        raise TopolvmConfigError(f"image_tag {tag!r} is not an image tag")
    if digest and not _DIGEST.fullmatch(str(digest)):
        raise TopolvmConfigError(f"image_digest {digest!r} is not a digest such as sha256:<64 hex digits>")
    return f"{tag}@{digest}" if digest else tag


def _check_device_classes(value):
    """The device classes, checked by the collection's one schema (plugin_utils/storage/device_classes.py)."""
    try:
        return device_classes.device_classes(value)
    except device_classes.DeviceClassError as exc:
        raise TopolvmConfigError(f"device_classes: {exc}") from None


def _storage_classes(cfg):
    dc_names = [str(dc["name"]) for dc in cfg["device_classes"]]
    requested = cfg["storage_classes"]
    if not requested:  # None or []: one class per device class
        requested = [
            {"name": f"{cfg['name']}-{name}".replace("_", "-").lower(), "device_class": name} for name in dc_names
        ]
    if not isinstance(requested, list):
        raise TopolvmConfigError("storage_classes must be a list")
    result = []
    seen = set()
    for index, entry in enumerate(requested):
        if not isinstance(entry, dict):
            raise TopolvmConfigError(f"storage_classes[{index}] must be a dict")
        unknown = sorted(
            set(entry)
            - {
                "name",
                "device_class",
                "fstype",
                "default",
                "reclaim_policy",
                "mount_options",
                "annotations",
                "parameters",
                "lvcreate_option_class",
            }
        )
        if unknown:
            raise TopolvmConfigError(f"storage_classes[{index}] has unknown key(s): {', '.join(unknown)}")
        name = require_name(entry.get("name"), f"storage_classes[{index}].name", DNS_SUBDOMAIN, 253)
        if name in seen:
            raise TopolvmConfigError(f"storage class {name!r} is listed twice")
        seen.add(name)
        device_class = str(entry.get("device_class") or "")
        if device_class and device_class not in dc_names:
            raise TopolvmConfigError(
                f"storage class {name!r} uses device class {device_class!r} which is not in device_classes"
                + (" of any node" if cfg["nodes"] else "")
            )
        fstype = entry.get("fstype") or cfg["default_fstype"]
        if fstype not in spec.choices("default_fstype"):
            raise TopolvmConfigError(
                f"storage class {name!r}: fstype must be {', '.join(spec.choices('default_fstype'))}"
            )
        option_class = str(entry.get("lvcreate_option_class") or "")
        if option_class and option_class not in [c["name"] for c in cfg["lvcreate_option_classes"]]:
            raise TopolvmConfigError(
                f"storage class {name!r} uses lvcreate option class {option_class!r}, "
                "which is not in lvcreate_option_classes"
            )
        reclaim = entry.get("reclaim_policy") or "Delete"
        if reclaim not in ("Delete", "Retain"):
            raise TopolvmConfigError(f"storage class {name!r}: reclaim_policy must be Delete or Retain")
        result.append(
            {
                "name": name,
                "device_class": device_class,
                "fstype": fstype,
                "default": bool(entry.get("default", False)) or name == cfg["default_storage_class"],
                "reclaim_policy": reclaim,
                "mount_options": list(entry.get("mount_options") or []),
                "annotations": dict(entry.get("annotations") or {}),
                "parameters": {str(k): str(v) for k, v in (entry.get("parameters") or {}).items()},
                "lvcreate_option_class": option_class,
            }
        )
    if cfg["default_storage_class"] and cfg["default_storage_class"] not in seen:
        raise TopolvmConfigError(f"default_storage_class {cfg['default_storage_class']!r} is not a storage class")
    if sum(1 for sc in result if sc["default"]) > 1:
        raise TopolvmConfigError("more than one storage class is marked default")
    return result
