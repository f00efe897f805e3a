# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure functions that build the Kubernetes objects of a TopoLVM installation.

Everything here works on plain dicts and lists: no Ansible, no cluster. The role
``lvmkube.cluster.topolvm`` passes one configuration dict (the role variables without
their ``topolvm_`` prefix) to :func:`build_manifests` and writes or applies the result.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import re

from ansible_collections.lvmkube.cluster.plugins.module_utils.manifest_files import (
    DNS_SUBDOMAIN as _DNS_SUBDOMAIN,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.manifest_files import (
    ManifestConfigError,
    apply_phase,
    b64encode_text,
    require_name,
)

SCHEDULING_MODES = ("storage-capacity", "extender-daemonset", "extender-deployment")
DISTRIBUTIONS = ("kubeadm", "rke1", "rke2")
CERT_MODES = ("cert-manager", "self-signed")
MIN_KUBERNETES = (1, 24)
MANAGED_BY = "lvmkube.cluster"
FIELD_MANAGER = "lvmkube"
CERT_MANAGER_KINDS = ("Issuer", "Certificate")

DEFAULTS = {
    "name": "topolvm",
    "namespace": "topolvm-system",
    "version": "0.41.0",
    "image_repository": "ghcr.io/topolvm/topolvm-with-sidecar",
    "image_tag": "",
    "image_pull_policy": "IfNotPresent",
    "legacy": False,
    "scheduling_mode": "storage-capacity",
    "distribution": "kubeadm",
    "kubernetes_version": "1.30",
    "device_classes": [],
    "storage_classes": None,
    "default_fstype": "xfs",
    "default_storage_class": "",
    "lvmd_managed": False,
    "lvmd_config_text": "",
    "lvmd_socket": "/run/topolvm/lvmd.sock",
    "kubelet_dir": "/var/lib/kubelet",
    "controller_replicas": 2,
    "scheduler_replicas": 2,
    "scheduler_port": 9251,
    "scheduler_service_type": "ClusterIP",
    "scheduler_service_cluster_ip": "",
    "scheduler_divisor": 1,
    "cert_mode": "self-signed",
    "webhook_ca_bundle": "",
    "webhook_tls_crt": "",
    "webhook_tls_key": "",
    "snapshot": True,
    "priority_class": True,
    "priority_class_value": 1000000,
}


class TopolvmConfigError(ManifestConfigError):
    """The TopoLVM configuration cannot produce a valid installation."""


_require_name = functools.partial(require_name, error=TopolvmConfigError)


def parse_kubernetes_version(version):
    """Return ``(major, minor)`` of a version such as ``1.30``, ``v1.30.4`` or ``1.30.4+rke2r1``."""
    match = re.match(r"^v?(\d+)\.(\d+)(?:[.+-].*)?$", str(version).strip())
    if not match:
        raise TopolvmConfigError(f"kubernetes_version {version!r} is not a version like 1.30 or v1.30.4")
    return int(match.group(1)), int(match.group(2))


def _as_bool(value, what):
    if isinstance(value, bool):
        return value
    raise TopolvmConfigError(f"{what} must be true or false, got {value!r}")


def _as_int(value, what, minimum=0):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise TopolvmConfigError(f"{what} must be an integer >= {minimum}, got {value!r}")
    return value


def normalize_config(raw):
    """Fill defaults, check every value and derive the storage classes; raise on bad input."""
    if not isinstance(raw, dict):
        raise TopolvmConfigError("the TopoLVM configuration must be a dict")
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        raise TopolvmConfigError(f"unknown TopoLVM setting(s): {', '.join(unknown)}")
    cfg = copy.deepcopy(DEFAULTS)
    cfg.update(copy.deepcopy({k: v for k, v in raw.items() if v is not None}))

    _require_name(cfg["name"], "name", max_len=40)
    _require_name(cfg["namespace"], "namespace")
    cfg["version"] = str(cfg["version"]).lstrip("v")
    if not re.match(r"^\d+\.\d+\.\d+([-.][0-9A-Za-z.-]+)?$", cfg["version"]):
        raise TopolvmConfigError(f"version {cfg['version']!r} is not a TopoLVM release such as 0.41.0")
    if not cfg["image_tag"]:
        cfg["image_tag"] = cfg["version"]
    if not cfg["image_repository"] or any(c.isspace() for c in str(cfg["image_repository"])):
        raise TopolvmConfigError("image_repository must be a non-empty image name")
    if cfg["image_pull_policy"] not in ("Always", "IfNotPresent", "Never"):
        raise TopolvmConfigError("image_pull_policy must be Always, IfNotPresent or Never")
    for key in ("legacy", "lvmd_managed", "snapshot", "priority_class"):
        _as_bool(cfg[key], key)
    if cfg["scheduling_mode"] not in SCHEDULING_MODES:
        raise TopolvmConfigError(
            f"scheduling_mode {cfg['scheduling_mode']!r} is not one of {', '.join(SCHEDULING_MODES)}"
        )
    if cfg["distribution"] not in DISTRIBUTIONS:
        raise TopolvmConfigError(f"distribution {cfg['distribution']!r} is not one of {', '.join(DISTRIBUTIONS)}")
    if cfg["cert_mode"] not in CERT_MODES:
        raise TopolvmConfigError(f"cert_mode {cfg['cert_mode']!r} is not one of {', '.join(CERT_MODES)}")
    cfg["kubernetes_minor"] = parse_kubernetes_version(cfg["kubernetes_version"])
    if cfg["kubernetes_minor"] < MIN_KUBERNETES:
        raise TopolvmConfigError(
            f"Kubernetes {cfg['kubernetes_version']} is older than 1.24, the oldest version this role supports"
        )
    _as_int(cfg["controller_replicas"], "controller_replicas", 1)
    _as_int(cfg["scheduler_replicas"], "scheduler_replicas", 1)
    _as_int(cfg["scheduler_port"], "scheduler_port", 1)
    if cfg["scheduler_port"] > 65535:
        raise TopolvmConfigError("scheduler_port must be at most 65535")
    _as_int(cfg["scheduler_divisor"], "scheduler_divisor", 1)
    _as_int(cfg["priority_class_value"], "priority_class_value", 0)
    if cfg["scheduler_service_type"] not in ("ClusterIP", "NodePort", "LoadBalancer"):
        raise TopolvmConfigError("scheduler_service_type must be ClusterIP, NodePort or LoadBalancer")
    for key in ("lvmd_socket", "kubelet_dir"):
        if not str(cfg[key]).startswith("/"):
            raise TopolvmConfigError(f"{key} must be an absolute path, got {cfg[key]!r}")
    cfg["kubelet_dir"] = str(cfg["kubelet_dir"]).rstrip("/") or "/"

    cfg["device_classes"] = _check_device_classes(cfg["device_classes"])
    cfg["storage_classes"] = _storage_classes(cfg)
    if cfg["lvmd_managed"] and not cfg["lvmd_config_text"]:
        raise TopolvmConfigError("lvmd_managed is true but lvmd_config_text (the lvmd.yaml content) is empty")
    if webhook_enabled(cfg) and cfg["cert_mode"] == "self-signed":
        for key in ("webhook_ca_bundle", "webhook_tls_crt", "webhook_tls_key"):
            if not cfg[key]:
                raise TopolvmConfigError(
                    f"cert_mode self-signed with an extender mode needs {key} (made by the role with community.crypto)"
                )
    return cfg


def _check_device_classes(device_classes):
    if not isinstance(device_classes, list) or not device_classes:
        raise TopolvmConfigError("device_classes must be a non-empty list (set lvmkube_device_classes)")
    names = []
    defaults = 0
    for index, entry in enumerate(device_classes):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise TopolvmConfigError(f"device_classes[{index}] needs a name")
        name = str(entry["name"])
        if name in names:
            raise TopolvmConfigError(f"device class {name!r} is listed twice")
        names.append(name)
        if entry.get("default") is True:
            defaults += 1
    if defaults > 1:
        raise TopolvmConfigError("more than one device class is marked default: true")
    return device_classes


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
            }
        )
        if unknown:
            raise TopolvmConfigError(f"storage_classes[{index}] has unknown key(s): {', '.join(unknown)}")
        name = _require_name(entry.get("name"), f"storage_classes[{index}].name", _DNS_SUBDOMAIN, 253)
        if name in seen:
            raise TopolvmConfigError(f"storage class {name!r} is listed twice")
        seen.add(name)
        device_class = str(entry.get("device_class") or "")
        if device_class and device_class not in dc_names:
            raise TopolvmConfigError(
                f"storage class {name!r} uses device class {device_class!r} which is not in device_classes"
            )
        fstype = entry.get("fstype") or cfg["default_fstype"]
        if fstype not in ("xfs", "ext4", "btrfs"):
            raise TopolvmConfigError(f"storage class {name!r}: fstype must be xfs, ext4 or btrfs")
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
            }
        )
    if cfg["default_storage_class"] and cfg["default_storage_class"] not in seen:
        raise TopolvmConfigError(f"default_storage_class {cfg['default_storage_class']!r} is not a storage class")
    if sum(1 for sc in result if sc["default"]) > 1:
        raise TopolvmConfigError("more than one storage class is marked default")
    return result


# --------------------------------------------------------------------------- derived facts


def plugin_name(cfg):
    """The CSI driver and API group name: ``topolvm.io`` or the legacy ``topolvm.cybozu.com``."""
    return "topolvm.cybozu.com" if cfg["legacy"] else "topolvm.io"


def webhook_enabled(cfg):
    """The pod mutating webhook is only needed by the scheduler extender modes."""
    return cfg["scheduling_mode"] != "storage-capacity"


def capacity_resource(cfg):
    """The extended resource the pod webhook adds and the scheduler extender manages."""
    return f"{plugin_name(cfg)}/capacity"


def extender_url(cfg, service_cluster_ip=""):
    """URL kube-scheduler uses to reach topolvm-scheduler, or '' in storage-capacity mode."""
    if cfg["scheduling_mode"] == "extender-daemonset":
        return f"http://127.0.0.1:{cfg['scheduler_port']}"
    if cfg["scheduling_mode"] == "extender-deployment":
        host = (
            service_cluster_ip
            or cfg["scheduler_service_cluster_ip"]
            or (f"{cfg['name']}-scheduler.{cfg['namespace']}.svc")
        )
        return f"http://{host}:{cfg['scheduler_port']}"
    return ""


def ignored_namespaces(cfg):
    """Namespaces labelled ``<plugin>/webhook=ignore`` (the pod webhook skips them)."""
    names = ["kube-system", cfg["namespace"]]
    if webhook_enabled(cfg) and cfg["cert_mode"] == "cert-manager":
        names.append("cert-manager")
    return names


def scheduler_placement(distribution, kubernetes_minor):
    """Node affinity and tolerations that put topolvm-scheduler next to kube-scheduler."""
    if distribution == "rke1":
        terms = [
            {
                "matchExpressions": [
                    {"key": "node-role.kubernetes.io/controlplane", "operator": "In", "values": ["true"]}
                ]
            }
        ]
        tolerations = [
            {"key": "node-role.kubernetes.io/controlplane", "operator": "Exists"},
            {"key": "node-role.kubernetes.io/etcd", "operator": "Exists"},
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
        ]
    elif distribution == "rke2":
        terms = [
            {
                "matchExpressions": [
                    {"key": "node-role.kubernetes.io/control-plane", "operator": "In", "values": ["true"]}
                ]
            }
        ]
        tolerations = [
            {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"},
            {"key": "node-role.kubernetes.io/etcd", "operator": "Exists"},
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
        ]
    else:
        terms = [{"matchExpressions": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}]}]
        tolerations = [
            {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
        ]
        if kubernetes_minor < (1, 25):
            # kubeadm before 1.25 still labels or taints control-plane nodes with the old "master" role.
            terms.append({"matchExpressions": [{"key": "node-role.kubernetes.io/master", "operator": "Exists"}]})
            tolerations.append({"key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoSchedule"})
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}}
    return affinity, tolerations


# --------------------------------------------------------------------------- object helpers


def _labels(cfg, component=None):
    labels = {
        "app.kubernetes.io/name": "topolvm",
        "app.kubernetes.io/instance": cfg["name"],
        "app.kubernetes.io/version": cfg["version"],
        "app.kubernetes.io/managed-by": MANAGED_BY,
    }
    if component:
        labels["app.kubernetes.io/component"] = component
    return labels


def _selector(cfg, component):
    return {
        "app.kubernetes.io/name": "topolvm",
        "app.kubernetes.io/instance": cfg["name"],
        "app.kubernetes.io/component": component,
    }


def _meta(cfg, name, namespaced=True, component=None, annotations=None):
    meta = {"name": name, "labels": _labels(cfg, component)}
    if namespaced:
        meta["namespace"] = cfg["namespace"]
    if annotations:
        meta["annotations"] = annotations
    return meta


def _image(cfg):
    return f"{cfg['image_repository']}:{cfg['image_tag']}"


def _container(cfg, name, command, mounts, ports=None, **extra):
    container = {
        "name": name,
        "image": _image(cfg),
        "imagePullPolicy": cfg["image_pull_policy"],
        "command": command,
        "volumeMounts": mounts,
    }
    if ports:
        container["ports"] = ports
    container.update(extra)
    return container


def _http_probe(port, path, host=None):
    probe = {
        "httpGet": {"path": path, "port": port},
        "initialDelaySeconds": 10,
        "timeoutSeconds": 3,
        "periodSeconds": 60,
    }
    if host:
        probe["httpGet"]["host"] = host
    return probe


_RESTRICTED = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}


def _legacy_env(cfg):
    return [{"name": "USE_LEGACY", "value": "true"}] if cfg["legacy"] else []


def _rule(groups, resources, verbs):
    return {"apiGroups": groups, "resources": resources, "verbs": verbs}


def _sa(cfg, name):
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(cfg, name)}


def _binding(cfg, kind, name, *, role_kind, role_name, sa_name):
    namespaced = kind == "RoleBinding"
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": kind,
        "metadata": _meta(cfg, name, namespaced=namespaced),
        "subjects": [{"kind": "ServiceAccount", "name": sa_name, "namespace": cfg["namespace"]}],
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role_name},
    }


# --------------------------------------------------------------------------- object groups


def _namespace(cfg):
    meta = _meta(cfg, cfg["namespace"], namespaced=False)
    meta["labels"][f"{plugin_name(cfg)}/webhook"] = "ignore"
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta}


def _quantity_schema():
    return {
        "anyOf": [{"type": "integer"}, {"type": "string"}],
        "pattern": r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+"
        r"(\.[0-9]*)?)|(\.[0-9]+))))?$",
        "x-kubernetes-int-or-string": True,
    }


def _crd(cfg):
    group = plugin_name(cfg)
    spec_props = {
        key: {"type": "string"}
        for key in ("name", "nodeName", "deviceClass", "lvcreateOptionClass", "source", "accessType")
    }
    spec_props["size"] = _quantity_schema()
    status_props = {
        "volumeID": {"type": "string"},
        "code": {"type": "integer", "format": "int32"},
        "message": {"type": "string"},
        "currentSize": _quantity_schema(),
    }
    schema = {
        "type": "object",
        "description": "LogicalVolume is one LVM logical volume managed by TopoLVM.",
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": {"type": "object", "required": ["name", "nodeName", "size"], "properties": spec_props},
            "status": {"type": "object", "properties": status_props},
        },
    }
    meta = _meta(cfg, f"logicalvolumes.{group}", namespaced=False)
    # Removing the CRD deletes every LogicalVolume: helm and kustomize users must keep it.
    meta["annotations"] = {"helm.sh/resource-policy": "keep"}
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": meta,
        "spec": {
            "group": group,
            "names": {
                "kind": "LogicalVolume",
                "listKind": "LogicalVolumeList",
                "plural": "logicalvolumes",
                "singular": "logicalvolume",
            },
            "scope": "Cluster",
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "subresources": {"status": {}},
                    "schema": {"openAPIV3Schema": schema},
                }
            ],
        },
    }


def _priority_class(cfg):
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": _meta(cfg, cfg["name"], namespaced=False),
        "value": cfg["priority_class_value"],
        "globalDefault": False,
        "description": "Pods using TopoLVM volumes should use this class.",
    }


def _csidriver(cfg):
    spec = {"attachRequired": False, "podInfoOnMount": True, "volumeLifecycleModes": ["Persistent"]}
    spec["storageCapacity"] = not webhook_enabled(cfg)
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "CSIDriver",
        "metadata": _meta(cfg, plugin_name(cfg), namespaced=False),
        "spec": spec,
    }


def _controller_rbac(cfg):
    ns, group, sa = cfg["namespace"], plugin_name(cfg), f"{cfg['name']}-controller"
    crw = ["get", "list", "watch", "create", "update", "patch", "delete"]
    objs = [_sa(cfg, sa)]
    controller_rules = [
        _rule([""], ["nodes"], ["get", "list", "watch", "update", "patch"]),
        _rule([""], ["persistentvolumeclaims"], ["get", "list", "watch", "update", "delete"]),
        _rule([""], ["pods"], ["get", "list", "watch", "update"]),
        _rule(["storage.k8s.io"], ["csidrivers", "storageclasses"], ["get", "list", "watch"]),
        _rule([group], ["logicalvolumes"], crw),
        _rule([group], ["logicalvolumes/status"], ["get", "update", "patch"]),
    ]
    provisioner_rules = [
        _rule([""], ["persistentvolumes"], ["get", "list", "watch", "create", "patch", "delete"]),
        _rule([""], ["persistentvolumeclaims"], ["get", "list", "watch", "update"]),
        _rule(["storage.k8s.io"], ["storageclasses", "csinodes"], ["get", "list", "watch"]),
        _rule([""], ["events"], ["list", "watch", "create", "update", "patch"]),
        _rule(["snapshot.storage.k8s.io"], ["volumesnapshots"], ["get", "list", "watch", "update"]),
        _rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list"]),
        _rule([""], ["nodes"], ["get", "list", "watch"]),
        _rule(["storage.k8s.io"], ["volumeattachments"], ["get", "list", "watch"]),
    ]
    resizer_rules = [
        _rule([""], ["persistentvolumes"], ["get", "list", "watch", "patch"]),
        _rule([""], ["persistentvolumeclaims", "pods"], ["get", "list", "watch"]),
        _rule([""], ["persistentvolumeclaims/status"], ["patch"]),
        _rule([""], ["events"], ["list", "watch", "create", "update", "patch"]),
        _rule(["storage.k8s.io"], ["volumeattributesclasses"], ["get", "list", "watch"]),
    ]
    cluster_roles = [
        (f"{ns}:controller", controller_rules),
        (f"{ns}-external-provisioner-runner", provisioner_rules),
        (f"{ns}-external-resizer-runner", resizer_rules),
    ]
    if cfg["snapshot"]:
        cluster_roles.append(
            (
                f"{ns}-external-snapshotter-runner",
                [
                    _rule([""], ["events"], ["list", "watch", "create", "update", "patch"]),
                    _rule(["snapshot.storage.k8s.io"], ["volumesnapshotclasses"], ["get", "list", "watch"]),
                    _rule(
                        ["snapshot.storage.k8s.io"],
                        ["volumesnapshotcontents"],
                        ["get", "list", "watch", "update", "patch"],
                    ),
                    _rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents/status"], ["update", "patch"]),
                ],
            )
        )
    for name, rules in cluster_roles:
        objs.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRole",
                "metadata": _meta(cfg, name, namespaced=False),
                "rules": rules,
            }
        )
        objs.append(_binding(cfg, "ClusterRoleBinding", name, role_kind="ClusterRole", role_name=name, sa_name=sa))
    lease = _rule(["coordination.k8s.io"], ["leases"], crw)
    roles = [
        (f"{cfg['name']}-leader-election", [lease, _rule([""], ["events"], ["create", "patch"])]),
        (
            f"{cfg['name']}-external-provisioner-cfg",
            [
                lease,
                _rule(["storage.k8s.io"], ["csistoragecapacities"], crw),
                _rule([""], ["pods"], ["get"]),
                _rule(["apps"], ["replicasets"], ["get"]),
            ],
        ),
    ]
    for name, rules in roles:
        objs.append(
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": _meta(cfg, name), "rules": rules}
        )
        objs.append(_binding(cfg, "RoleBinding", name, role_kind="Role", role_name=name, sa_name=sa))
    return objs


def _controller(cfg):
    sock_mount = {"name": "socket-dir", "mountPath": "/run/topolvm"}
    csi = "--csi-address=/run/topolvm/csi-topolvm.sock"
    leader = ["--leader-election", f"--leader-election-namespace={cfg['namespace']}"]
    command = ["/topolvm-controller", f"--leader-election-namespace={cfg['namespace']}"]
    mounts = [sock_mount]
    volumes = [{"name": "socket-dir", "emptyDir": {}}]
    if webhook_enabled(cfg):
        command.append("--cert-dir=/certs")
        mounts.append({"name": "certs", "mountPath": "/certs", "readOnly": True})
        volumes.append({"name": "certs", "secret": {"secretName": webhook_secret_name(cfg)}})
    else:
        command.append("--enable-webhooks=false")
    controller = _container(
        cfg,
        "topolvm-controller",
        command,
        mounts,
        ports=[
            {"name": "webhook", "containerPort": 9443, "protocol": "TCP"},
            {"name": "healthz", "containerPort": 9808, "protocol": "TCP"},
            {"name": "readyz", "containerPort": 8081, "protocol": "TCP"},
            {"name": "metrics", "containerPort": 8080, "protocol": "TCP"},
        ],
        securityContext=copy.deepcopy(_RESTRICTED),
        readinessProbe={"httpGet": {"path": "/readyz", "port": "readyz", "scheme": "HTTP"}},
        livenessProbe=_http_probe("healthz", "/healthz"),
    )
    if cfg["legacy"]:
        controller["env"] = _legacy_env(cfg)
    provisioner_cmd = ["/csi-provisioner", csi, "--feature-gates=Topology=true", *leader, "--http-endpoint=:9809"]
    provisioner = _container(
        cfg,
        "csi-provisioner",
        provisioner_cmd,
        [dict(sock_mount)],
        ports=[{"name": "csi-provisioner", "containerPort": 9809}],
        securityContext=copy.deepcopy(_RESTRICTED),
    )
    if not webhook_enabled(cfg):
        provisioner["command"] += ["--enable-capacity", "--capacity-ownerref-level=2"]
        provisioner["env"] = [
            {"name": "NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        ]
    containers = [
        controller,
        provisioner,
        _container(
            cfg,
            "csi-resizer",
            ["/csi-resizer", csi, *leader, "--http-endpoint=:9810"],
            [dict(sock_mount)],
            ports=[{"name": "csi-resizer", "containerPort": 9810}],
            securityContext=copy.deepcopy(_RESTRICTED),
        ),
    ]
    if cfg["snapshot"]:
        containers.append(
            _container(
                cfg,
                "csi-snapshotter",
                ["/csi-snapshotter", csi, *leader, "--http-endpoint=:9811"],
                [dict(sock_mount)],
                ports=[{"name": "csi-snapshotter", "containerPort": 9811}],
                securityContext=copy.deepcopy(_RESTRICTED),
            )
        )
    containers.append(
        _container(
            cfg,
            "liveness-probe",
            ["/livenessprobe", csi, "--http-endpoint=:9808"],
            [dict(sock_mount)],
            securityContext=copy.deepcopy(_RESTRICTED),
        )
    )
    selector = _selector(cfg, "controller")
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(cfg, f"{cfg['name']}-controller", component="controller"),
        "spec": {
            "replicas": cfg["controller_replicas"],
            "selector": {"matchLabels": selector},
            "template": {
                "metadata": {"labels": dict(selector)},
                "spec": {
                    "serviceAccountName": f"{cfg['name']}-controller",
                    "securityContext": {"runAsUser": 10000, "runAsGroup": 10000},
                    "containers": containers,
                    "volumes": volumes,
                    "affinity": {
                        "podAntiAffinity": {
                            "requiredDuringSchedulingIgnoredDuringExecution": [
                                {
                                    "labelSelector": {"matchLabels": dict(selector)},
                                    "topologyKey": "kubernetes.io/hostname",
                                }
                            ]
                        }
                    },
                },
            },
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(cfg, f"{cfg['name']}-controller", component="controller"),
        "spec": {
            "selector": dict(selector),
            "ports": [{"name": "webhook", "port": 443, "protocol": "TCP", "targetPort": "webhook"}],
        },
    }
    pdb = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _meta(cfg, f"{cfg['name']}-controller", component="controller"),
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": dict(selector)}},
    }
    return [service, deployment, pdb]


def _node(cfg):
    group, kdir = plugin_name(cfg), cfg["kubelet_dir"]
    sock = f"{kdir}/plugins/{group}/node/csi-topolvm.sock"
    node_dir = f"{kdir}/plugins/{group}/node/"
    sa = f"{cfg['name']}-node"
    socket_dir = cfg["lvmd_socket"].rsplit("/", 1)[0] or "/"
    objs = [
        _sa(cfg, sa),
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": _meta(cfg, f"{cfg['namespace']}:node", namespaced=False),
            "rules": [
                _rule([""], ["nodes"], ["get", "list", "watch", "update", "patch"]),
                _rule(
                    [group],
                    ["logicalvolumes", "logicalvolumes/status"],
                    ["get", "list", "watch", "create", "update", "delete", "patch"],
                ),
                _rule(["storage.k8s.io"], ["csidrivers"], ["get", "list", "watch"]),
            ],
        },
        _binding(
            cfg,
            "ClusterRoleBinding",
            f"{cfg['namespace']}:node",
            role_kind="ClusterRole",
            role_name=f"{cfg['namespace']}:node",
            sa_name=sa,
        ),
    ]
    node = _container(
        cfg,
        "topolvm-node",
        ["/topolvm-node", f"--csi-socket={sock}", f"--lvmd-socket={cfg['lvmd_socket']}"],
        [
            {"name": "node-plugin-dir", "mountPath": node_dir},
            {"name": "lvmd-socket-dir", "mountPath": socket_dir},
            {"name": "pod-volumes-dir", "mountPath": f"{kdir}/pods", "mountPropagation": "Bidirectional"},
            {
                "name": "csi-plugin-dir",
                "mountPath": f"{kdir}/plugins/kubernetes.io/csi",
                "mountPropagation": "Bidirectional",
            },
            {"name": "devices-dir", "mountPath": "/dev"},
        ],
        ports=[
            {"name": "healthz", "containerPort": 9808, "protocol": "TCP"},
            {"name": "metrics", "containerPort": 8080, "protocol": "TCP"},
        ],
        securityContext={"privileged": True},
        livenessProbe=_http_probe("healthz", "/healthz"),
        env=[{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}, *_legacy_env(cfg)],
    )
    registrar = _container(
        cfg,
        "csi-registrar",
        [
            "/csi-node-driver-registrar",
            f"--csi-address={sock}",
            f"--kubelet-registration-path={sock}",
            "--http-endpoint=:9809",
        ],
        [
            {"name": "node-plugin-dir", "mountPath": node_dir},
            {"name": "registration-dir", "mountPath": "/registration"},
        ],
        ports=[{"name": "reg-healthz", "containerPort": 9809}],
        livenessProbe=_http_probe("reg-healthz", "/healthz"),
        lifecycle={
            "preStop": {
                "exec": {"command": ["/bin/sh", "-c", f"rm -rf /registration/{group} /registration/{group}-reg.sock"]}
            }
        },
    )
    liveness = _container(
        cfg,
        "liveness-probe",
        ["/livenessprobe", f"--csi-address={sock}", "--http-endpoint=:9808"],
        [{"name": "node-plugin-dir", "mountPath": node_dir}],
    )
    selector = _selector(cfg, "node")
    volumes = [
        {"name": "devices-dir", "hostPath": {"path": "/dev", "type": "Directory"}},
        {"name": "registration-dir", "hostPath": {"path": f"{kdir}/plugins_registry/", "type": "Directory"}},
        {"name": "node-plugin-dir", "hostPath": {"path": f"{kdir}/plugins/{group}/node", "type": "DirectoryOrCreate"}},
        {
            "name": "csi-plugin-dir",
            "hostPath": {"path": f"{kdir}/plugins/kubernetes.io/csi", "type": "DirectoryOrCreate"},
        },
        {"name": "pod-volumes-dir", "hostPath": {"path": f"{kdir}/pods/", "type": "DirectoryOrCreate"}},
        {"name": "lvmd-socket-dir", "hostPath": {"path": socket_dir, "type": "DirectoryOrCreate"}},
    ]
    objs.append(
        {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": _meta(cfg, f"{cfg['name']}-node", component="node"),
            "spec": {
                "selector": {"matchLabels": selector},
                "template": {
                    "metadata": {"labels": dict(selector)},
                    "spec": {"serviceAccountName": sa, "containers": [node, registrar, liveness], "volumes": volumes},
                },
            },
        }
    )
    return objs


def lvmd_configmap_name(cfg):
    return f"{cfg['name']}-lvmd-0"


def _lvmd(cfg):
    sa = f"{cfg['name']}-lvmd"
    selector = _selector(cfg, "lvmd")
    socket_dir = cfg["lvmd_socket"].rsplit("/", 1)[0] or "/"
    configmap = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _meta(cfg, lvmd_configmap_name(cfg), component="lvmd"),
        "data": {"lvmd.yaml": cfg["lvmd_config_text"]},
    }
    lvmd = _container(
        cfg,
        "lvmd",
        ["/lvmd", "--config=/etc/topolvm/lvmd.yaml"],
        [
            {"name": "devices-dir", "mountPath": "/dev"},
            {"name": "config", "mountPath": "/etc/topolvm"},
            {"name": "lvmd-socket-dir", "mountPath": socket_dir},
        ],
        ports=[{"name": "metrics", "containerPort": 8080, "protocol": "TCP"}],
        securityContext={"privileged": True},
        livenessProbe={
            "exec": {"command": ["/lvmd", "health"]},
            "initialDelaySeconds": 10,
            "timeoutSeconds": 3,
            "periodSeconds": 60,
        },
    )
    daemonset = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": _meta(cfg, f"{cfg['name']}-lvmd-0", component="lvmd"),
        "spec": {
            "selector": {"matchLabels": selector},
            "template": {
                "metadata": {"labels": dict(selector)},
                "spec": {
                    "serviceAccountName": sa,
                    "hostPID": True,
                    "containers": [lvmd],
                    "volumes": [
                        {"name": "devices-dir", "hostPath": {"path": "/dev", "type": "Directory"}},
                        {"name": "config", "configMap": {"name": lvmd_configmap_name(cfg)}},
                        {"name": "lvmd-socket-dir", "hostPath": {"path": socket_dir, "type": "DirectoryOrCreate"}},
                    ],
                },
            },
        },
    }
    return [_sa(cfg, sa), configmap, daemonset]


def _scheduler(cfg):
    daemonset_mode = cfg["scheduling_mode"] == "extender-daemonset"
    name = f"{cfg['name']}-scheduler"
    port = cfg["scheduler_port"]
    listen_host = "localhost" if daemonset_mode else ""
    options = f'listen: "{listen_host}:{port}"\ndefault-divisor: {cfg["scheduler_divisor"]}\n'
    configmap = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _meta(cfg, f"{name}-options", component="scheduler"),
        "data": {"scheduler-options.yaml": options},
    }
    container = _container(
        cfg,
        "topolvm-scheduler",
        ["/topolvm-scheduler", "--config=/etc/topolvm/scheduler-options.yaml"],
        [{"name": "scheduler-options", "mountPath": "/etc/topolvm"}],
        securityContext=copy.deepcopy(_RESTRICTED),
        livenessProbe=_http_probe(port, "/status", host=listen_host or None),
        readinessProbe={"httpGet": {"path": "/status", "port": port}},
    )
    if listen_host:
        container["readinessProbe"]["httpGet"]["host"] = listen_host
    else:
        container["ports"] = [{"name": "listenport", "containerPort": port, "protocol": "TCP"}]
    if cfg["legacy"]:
        container["env"] = _legacy_env(cfg)
    affinity, tolerations = scheduler_placement(cfg["distribution"], cfg["kubernetes_minor"])
    selector = _selector(cfg, "scheduler")
    pod_spec = {
        "serviceAccountName": name,
        "securityContext": {"runAsUser": 10000, "runAsGroup": 10000},
        "priorityClassName": "system-cluster-critical",
        "containers": [container],
        "volumes": [{"name": "scheduler-options", "configMap": {"name": f"{name}-options"}}],
        "affinity": affinity,
        "tolerations": tolerations,
    }
    workload_spec = {
        "selector": {"matchLabels": selector},
        "template": {"metadata": {"labels": dict(selector)}, "spec": pod_spec},
    }
    objs = [_sa(cfg, name), configmap]
    if daemonset_mode:
        pod_spec["hostNetwork"] = True
        pod_spec["dnsPolicy"] = "ClusterFirstWithHostNet"
        objs.append(
            {
                "apiVersion": "apps/v1",
                "kind": "DaemonSet",
                "metadata": _meta(cfg, name, component="scheduler"),
                "spec": workload_spec,
            }
        )
    else:
        workload_spec["replicas"] = cfg["scheduler_replicas"]
        objs.append(
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": _meta(cfg, name, component="scheduler"),
                "spec": workload_spec,
            }
        )
        service_spec = {
            "type": cfg["scheduler_service_type"],
            "selector": dict(selector),
            "ports": [{"name": "extender", "protocol": "TCP", "port": port, "targetPort": port}],
        }
        if cfg["scheduler_service_cluster_ip"]:
            service_spec["clusterIP"] = cfg["scheduler_service_cluster_ip"]
        objs.append(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": _meta(cfg, name, component="scheduler"),
                "spec": service_spec,
            }
        )
        objs.append(
            {
                "apiVersion": "policy/v1",
                "kind": "PodDisruptionBudget",
                "metadata": _meta(cfg, name, component="scheduler"),
                "spec": {"maxUnavailable": 1, "selector": {"matchLabels": dict(selector)}},
            }
        )
    return objs


def webhook_secret_name(cfg):
    return f"{cfg['name']}-mutatingwebhook"


def webhook_dns_names(cfg):
    service = f"{cfg['name']}-controller"
    return [service, f"{service}.{cfg['namespace']}", f"{service}.{cfg['namespace']}.svc"]


def _certificates(cfg):
    if cfg["cert_mode"] == "cert-manager":
        ca = f"{cfg['name']}-webhook-ca"
        selfsign = f"{cfg['name']}-webhook-selfsign"
        return [
            {
                "apiVersion": "cert-manager.io/v1",
                "kind": "Issuer",
                "metadata": _meta(cfg, selfsign),
                "spec": {"selfSigned": {}},
            },
            {
                "apiVersion": "cert-manager.io/v1",
                "kind": "Certificate",
                "metadata": _meta(cfg, ca),
                "spec": {
                    "secretName": ca,
                    "duration": "87600h",
                    "commonName": "ca.webhook.topolvm",
                    "isCA": True,
                    "issuerRef": {"group": "cert-manager.io", "kind": "Issuer", "name": selfsign},
                    "usages": ["digital signature", "key encipherment", "cert sign"],
                },
            },
            {
                "apiVersion": "cert-manager.io/v1",
                "kind": "Issuer",
                "metadata": _meta(cfg, ca),
                "spec": {"ca": {"secretName": ca}},
            },
            {
                "apiVersion": "cert-manager.io/v1",
                "kind": "Certificate",
                "metadata": _meta(cfg, webhook_secret_name(cfg)),
                "spec": {
                    "secretName": webhook_secret_name(cfg),
                    "duration": "8760h",
                    "issuerRef": {"group": "cert-manager.io", "kind": "Issuer", "name": ca},
                    "dnsNames": webhook_dns_names(cfg),
                    "usages": ["digital signature", "key encipherment", "server auth", "client auth"],
                },
            },
        ]
    return [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "kubernetes.io/tls",
            "metadata": _meta(cfg, webhook_secret_name(cfg)),
            # data (not stringData) so that a second server-side apply finds nothing to change.
            "data": {
                "tls.crt": b64encode_text(cfg["webhook_tls_crt"]),
                "tls.key": b64encode_text(cfg["webhook_tls_key"]),
                "ca.crt": b64encode_text(_b64decode_text(cfg["webhook_ca_bundle"])),
            },
        }
    ]


def _b64decode_text(value):
    try:
        return base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise TopolvmConfigError("webhook_ca_bundle must be the base64 encoding of a PEM certificate") from exc


def _webhook(cfg):
    group = plugin_name(cfg)
    client = {"service": {"namespace": cfg["namespace"], "name": f"{cfg['name']}-controller", "path": "/pod/mutate"}}
    annotations = None
    if cfg["cert_mode"] == "cert-manager":
        annotations = {"cert-manager.io/inject-ca-from": f"{cfg['namespace']}/{webhook_secret_name(cfg)}"}
    else:
        _b64decode_text(cfg["webhook_ca_bundle"])
        client["caBundle"] = cfg["webhook_ca_bundle"]
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "MutatingWebhookConfiguration",
        "metadata": _meta(cfg, f"{cfg['name']}-hook", namespaced=False, annotations=annotations),
        "webhooks": [
            {
                "name": f"pod-hook.{group}",
                "admissionReviewVersions": ["v1", "v1beta1"],
                "namespaceSelector": {
                    "matchExpressions": [
                        {"key": f"{group}/webhook", "operator": "NotIn", "values": ["ignore"]},
                        {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ignored_namespaces(cfg)},
                    ]
                },
                "failurePolicy": "Fail",
                "matchPolicy": "Equivalent",
                "clientConfig": client,
                "rules": [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}],
                "sideEffects": "None",
            }
        ],
    }


def _storage_class_objects(cfg):
    group = plugin_name(cfg)
    objs = []
    for sc in cfg["storage_classes"]:
        annotations = dict(sc["annotations"])
        if sc["default"]:
            annotations["storageclass.kubernetes.io/is-default-class"] = "true"
        parameters = {"csi.storage.k8s.io/fstype": sc["fstype"]}
        if sc["device_class"]:
            parameters[f"{group}/device-class"] = sc["device_class"]
        parameters.update(sc["parameters"])
        obj = {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": _meta(cfg, sc["name"], namespaced=False, annotations=annotations or None),
            "provisioner": group,
            "parameters": parameters,
            "reclaimPolicy": sc["reclaim_policy"],
            "volumeBindingMode": "WaitForFirstConsumer",
            "allowVolumeExpansion": True,
        }
        if sc["mount_options"]:
            obj["mountOptions"] = sc["mount_options"]
        objs.append(obj)
    return objs


def build_manifests(raw):
    """Return every object of the installation, in apply order."""
    cfg = normalize_config(raw)
    objs = [_namespace(cfg), _crd(cfg)]
    if cfg["priority_class"]:
        objs.append(_priority_class(cfg))
    if webhook_enabled(cfg):
        objs += _certificates(cfg)
    objs.append(_csidriver(cfg))
    objs += _controller_rbac(cfg)
    objs += _controller(cfg)
    objs += _node(cfg)
    if cfg["lvmd_managed"]:
        objs += _lvmd(cfg)
    if webhook_enabled(cfg):
        objs += _scheduler(cfg)
        objs.append(_webhook(cfg))
    objs += _storage_class_objects(cfg)
    return sorted(objs, key=apply_phase)  # sorted() is stable: order inside a phase is kept


def deploy_facts(raw):
    """Facts the playbooks need besides the objects (plugin name, extender URL, capacity resource...)."""
    cfg = normalize_config(raw)
    return {
        "plugin_name": plugin_name(cfg),
        "other_plugin_name": "topolvm.io" if cfg["legacy"] else "topolvm.cybozu.com",
        "webhook_enabled": webhook_enabled(cfg),
        "capacity_resource": capacity_resource(cfg),
        "extender_url": extender_url(cfg),
        "ignored_namespaces": ignored_namespaces(cfg),
        "webhook_dns_names": webhook_dns_names(cfg),
        "webhook_secret_name": webhook_secret_name(cfg),
        "storage_classes": [sc["name"] for sc in cfg["storage_classes"]],
    }


def helm_values(raw):
    """Values for the upstream ``topolvm/topolvm`` chart that describe the same installation."""
    cfg = normalize_config(raw)
    affinity, tolerations = scheduler_placement(cfg["distribution"], cfg["kubernetes_minor"])
    values = {
        "useLegacy": cfg["legacy"],
        "image": {
            "repository": cfg["image_repository"],
            "reference": cfg["image_tag"],
            "pullPolicy": cfg["image_pull_policy"],
        },
        "controller": {
            "replicaCount": cfg["controller_replicas"],
            "storageCapacityTracking": {"enabled": not webhook_enabled(cfg)},
        },
        "scheduler": {
            "enabled": webhook_enabled(cfg),
            "type": "daemonset" if cfg["scheduling_mode"] == "extender-daemonset" else "deployment",
            "affinity": affinity,
            "tolerations": tolerations,
            "deployment": {"replicaCount": cfg["scheduler_replicas"]},
            "service": {"type": cfg["scheduler_service_type"]},
            "options": {
                "listen": {
                    "host": "localhost" if cfg["scheduling_mode"] == "extender-daemonset" else "",
                    "port": cfg["scheduler_port"],
                }
            },
        },
        "webhook": {
            "podMutatingWebhook": {"enabled": webhook_enabled(cfg), "ignoreNamespaces": ignored_namespaces(cfg)},
            "certManager": cfg["cert_mode"] == "cert-manager",
        },
        # lvmd.deviceClasses (lvmd.yaml's own format) is added by the role from lvmd_config when lvmd is managed.
        "lvmd": {"managed": cfg["lvmd_managed"], "socketName": cfg["lvmd_socket"]},
        "node": {"lvmdSocket": cfg["lvmd_socket"], "kubeletWorkDirectory": cfg["kubelet_dir"]},
        "snapshot": {"enabled": cfg["snapshot"]},
        "priorityClass": {"enabled": cfg["priority_class"], "name": cfg["name"], "value": cfg["priority_class_value"]},
        "storageClasses": [
            {
                "name": sc["name"],
                "storageClass": {
                    "fsType": sc["fstype"],
                    "isDefaultClass": sc["default"],
                    "reclaimPolicy": sc["reclaim_policy"],
                    "volumeBindingMode": "WaitForFirstConsumer",
                    "allowVolumeExpansion": True,
                    "annotations": sc["annotations"],
                    "mountOptions": sc["mount_options"],
                    "additionalParameters": dict(
                        ({f"{plugin_name(cfg)}/device-class": sc["device_class"]} if sc["device_class"] else {}),
                        **sc["parameters"],
                    ),
                },
            }
            for sc in cfg["storage_classes"]
        ],
    }
    if cfg["scheduler_service_cluster_ip"]:
        values["scheduler"]["service"]["clusterIP"] = cfg["scheduler_service_cluster_ip"]
    if webhook_enabled(cfg) and cfg["cert_mode"] == "self-signed":
        values["webhook"]["caBundle"] = cfg["webhook_ca_bundle"]
        values["webhook"]["secretName"] = webhook_secret_name(cfg)
    return values


# --------------------------------------------------------------------------- smoke test objects


def smoke_objects(storage_class, namespace="lvmkube-smoke", image="busybox:1.36", marker="", size="1Gi"):
    """PVC, writer Pod and reader Pod used by ``lvmkube.cluster.smoke_test`` for one StorageClass."""
    _require_name(namespace, "namespace")
    _require_name(storage_class, "storage class", _DNS_SUBDOMAIN, 253)
    base = re.sub(r"[^a-z0-9-]+", "-", storage_class.lower())[:40].strip("-")
    claim = f"smoke-{base}"
    labels = {"app.kubernetes.io/name": "lvmkube-smoke-test", "app.kubernetes.io/managed-by": MANAGED_BY}

    def pod(role, script):
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": f"{claim}-{role}", "namespace": namespace, "labels": dict(labels)},
            "spec": {
                "restartPolicy": "Never",
                "terminationGracePeriodSeconds": 5,
                "containers": [
                    {
                        "name": role,
                        "image": image,
                        "command": ["/bin/sh", "-c", script],
                        "env": [{"name": "MARKER", "value": marker}],
                        "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                    }
                ],
                "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}],
            },
        }

    return {
        "namespace": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace, "labels": labels}},
        "pvc": {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": claim, "namespace": namespace, "labels": dict(labels)},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "storageClassName": storage_class,
                "resources": {"requests": {"storage": size}},
            },
        },
        "writer": pod("writer", 'printf "%s" "$MARKER" > /data/marker && sync && cat /data/marker'),
        "reader": pod("reader", "cat /data/marker"),
    }
