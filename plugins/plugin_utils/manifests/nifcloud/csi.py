# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Kubernetes objects of the NIFCLOUD additional-storage CSI driver: RBAC, CSIDriver, the controller
Deployment, the node DaemonSet and the StorageClasses, as the upstream chart nifcloud-additional-storage-csi-driver
v1.1.0 writes them (templates/{controller,node,storageclass}.yaml)."""

from __future__ import annotations

import copy

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import (
    NODE_NAME_ENV,
    UNINITIALIZED_TOLERATION,
    component_labels,
    image_pull_secrets,
    meta,
    pod_meta,
    secret_env,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.csi_settings import (
    CSI_DRIVER_NAME,
    DRIVER_SECURITY_CONTEXT,
    normalize_csi,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import apply_phase

CSI_PREFIX = "nifcloud-additional-storage-csi"
CSI_APP = "nifcloud-additional-storage-csi-driver"
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"


def csi_tolerations(cfg, component):
    """Tolerations of the chart plus the taint of nodes the cloud controller manager has not initialized yet."""
    if component == "controller":
        base = [
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
            {"effect": "NoExecute", "operator": "Exists", "tolerationSeconds": 300},
        ]
    else:
        base = [{"effect": "NoExecute", "operator": "Exists", "tolerationSeconds": 300}]
    return [*base, dict(UNINITIALIZED_TOLERATION)]


def _sidecar(name, key, args, mount, cfg):
    """A sidecar container: image, resources (the chart's sidecars.<key>.resources unless set) and flags."""
    container = {
        "name": name,
        "image": cfg["sidecar_images"][key],
        "imagePullPolicy": cfg["image_pull_policy"],
        "args": args,
        "volumeMounts": [mount],
    }
    if cfg["sidecars"][key]["resources"]:
        container["resources"] = copy.deepcopy(cfg["sidecars"][key]["resources"])
    container["securityContext"] = {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False}
    return container


def _liveness_probe(cfg, socket_volume):
    """The livenessprobe sidecar, reading the driver's socket from ``socket_volume``."""
    return _sidecar(
        "liveness-probe",
        "liveness_probe",
        ["--csi-address=/csi/csi.sock"],
        {"name": socket_volume, "mountPath": "/csi"},
        cfg,
    )


def _pod_spec_extras(cfg, component, spec):
    """nodeSelector (the chart's kubernetes.io/os plus the component's), affinity and imagePullSecrets."""
    settings = cfg[component]
    spec["nodeSelector"] = {"kubernetes.io/os": "linux", **settings["node_selector"]}
    if settings["affinity"]:
        spec["affinity"] = copy.deepcopy(settings["affinity"])
    if cfg["image_pull_secrets"]:
        spec["imagePullSecrets"] = image_pull_secrets(cfg["image_pull_secrets"])
    return spec


def _csi_controller(cfg, labels):
    name = f"{CSI_PREFIX}-controller"
    socket_dir = "/var/lib/csi/sockets/pluginproxy/"
    selector = {"app": name, "app.kubernetes.io/name": CSI_APP, "app.kubernetes.io/instance": CSI_APP}
    mount = {"name": "socket-dir", "mountPath": socket_dir}
    sidecar_args = ["--csi-address=$(ADDRESS)", f"--v={cfg['log_level']}", "--leader-election=true"]
    sidecars = []
    for key, args in (
        (
            "provisioner",
            [
                *sidecar_args,
                "--feature-gates=Topology=true",
                f"--default-fstype={cfg['default_fstype']}",
            ],
        ),
        ("attacher", list(sidecar_args)),
        ("resizer", list(sidecar_args)),
    ):
        args.append(f"--timeout={cfg['sidecars'][key]['timeout']}")
        container = _sidecar(f"csi-{key}", key, args, mount, cfg)
        container["env"] = [{"name": "ADDRESS", "value": f"{socket_dir}csi.sock"}]
        sidecars.append(container)
    driver = _driver_container(cfg, "controller", f"unix://{socket_dir}csi.sock", [mount])
    spec = {
        "serviceAccountName": f"{CSI_PREFIX}-controller-sa",
        "priorityClassName": "system-cluster-critical",
        "tolerations": csi_tolerations(cfg, "controller"),
        "containers": [driver, *sidecars, _liveness_probe(cfg, "socket-dir")],
        "volumes": [{"name": "socket-dir", "emptyDir": {}}],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(name, labels, cfg["namespace"]),
        "spec": {
            "replicas": cfg["controller_replicas"],
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "selector": {"matchLabels": selector},
            "template": {
                "metadata": pod_meta(dict(labels, app=name), cfg["controller"]["pod_annotations"]),
                "spec": _pod_spec_extras(cfg, "controller", spec),
            },
        },
    }


def driver_args(cfg):
    """Flags of the driver container (controller and node plugin alike)."""
    debug = ["--nifcloud-sdk-debug-log=true"] if cfg["sdk_debug_log"] else []
    return [
        "--endpoint=$(CSI_ENDPOINT)",
        *debug,
        f"--logging-format={cfg['logging_format']}",
        f"--v={cfg['log_level']}",
    ]


def _driver_container(cfg, component, endpoint, mounts):
    """The driver container of the controller or the node plugin: endpoint, region, credentials, NODE_NAME."""
    container = {
        "name": "controller" if component == "controller" else "node-plugin",
        "image": f"{cfg['image_repository']}:{cfg['image_tag']}",
        "imagePullPolicy": cfg["image_pull_policy"],
        "args": driver_args(cfg),
        "env": [
            {"name": "CSI_ENDPOINT", "value": endpoint},
            {"name": "NIFCLOUD_REGION", "value": cfg["region"]},
            *secret_env(cfg["secret_name"]),
            dict(NODE_NAME_ENV),
            *copy.deepcopy(cfg[component]["extra_env"]),
        ],
        "volumeMounts": mounts,
        "ports": [{"name": "healthz", "containerPort": 9808, "protocol": "TCP"}],
        "livenessProbe": _healthz_probe(),
    }
    if cfg[component]["resources"]:
        container["resources"] = copy.deepcopy(cfg[component]["resources"])
    container["securityContext"] = dict(DRIVER_SECURITY_CONTEXT[component])
    return container


def _healthz_probe():
    return {
        "httpGet": {"path": "/healthz", "port": "healthz"},
        "initialDelaySeconds": 10,
        "timeoutSeconds": 3,
        "periodSeconds": 10,
        "failureThreshold": 5,
    }


def _node_driver_registrar(cfg, registration_socket):
    registrar = _sidecar(
        "node-driver-registrar",
        "node_driver_registrar",
        [
            "--csi-address=$(ADDRESS)",
            "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)",
            f"--v={cfg['log_level']}",
        ],
        {"name": "plugin-dir", "mountPath": "/csi"},
        cfg,
    )
    registrar["volumeMounts"].append({"name": "registration-dir", "mountPath": "/registration"})
    registrar["securityContext"] = {"readOnlyRootFilesystem": False, "allowPrivilegeEscalation": False}
    registrar["env"] = [
        {"name": "ADDRESS", "value": "/csi/csi.sock"},
        {"name": "DRIVER_REG_SOCK_PATH", "value": registration_socket},
    ]
    registrar["lifecycle"] = {
        "preStop": {
            "exec": {
                "command": ["/bin/sh", "-c", f"rm -rf /registration/{CSI_DRIVER_NAME}-reg.sock /csi/csi.sock"],
            }
        }
    }
    registrar["livenessProbe"] = {
        "exec": {
            "command": [
                "/csi-node-driver-registrar",
                "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)",
                "--mode=kubelet-registration-probe",
            ]
        },
        "initialDelaySeconds": 30,
        "timeoutSeconds": 15,
        "periodSeconds": 90,
    }
    return registrar


def _csi_node(cfg, labels):
    name = f"{CSI_PREFIX}-node"
    kubelet = cfg["kubelet_dir"]
    plugin_dir = f"{kubelet}/plugins/{CSI_DRIVER_NAME}/"
    registration_socket = f"{kubelet}/plugins/{CSI_DRIVER_NAME}/csi.sock"
    selector = {"app": name, "app.kubernetes.io/name": CSI_APP, "app.kubernetes.io/instance": CSI_APP}
    plugin = _driver_container(
        cfg,
        "node",
        "unix:/csi/csi.sock",
        [
            {"name": "kubelet-dir", "mountPath": kubelet, "mountPropagation": "Bidirectional"},
            {"name": "plugin-dir", "mountPath": "/csi"},
            {"name": "device-dir", "mountPath": "/dev"},
            {"name": "sys-dir", "mountPath": "/sys"},
            {"name": "tmp-dir", "mountPath": "/tmp"},
        ],
    )
    registrar = _node_driver_registrar(cfg, registration_socket)

    def host_path(volume, path, kind):
        return {"name": volume, "hostPath": {"path": path, "type": kind}}

    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": meta(name, labels, cfg["namespace"]),
        "spec": {
            "selector": {"matchLabels": selector},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "10%"}},
            "template": {
                "metadata": pod_meta(dict(labels, app=name), cfg["node"]["pod_annotations"]),
                "spec": _pod_spec_extras(
                    cfg,
                    "node",
                    {
                        "serviceAccountName": f"{CSI_PREFIX}-node-sa",
                        "priorityClassName": "system-node-critical",
                        "tolerations": csi_tolerations(cfg, "node"),
                        "securityContext": {"runAsNonRoot": False, "runAsUser": 0, "runAsGroup": 0, "fsGroup": 0},
                        "containers": [plugin, registrar, _liveness_probe(cfg, "plugin-dir")],
                        "volumes": [
                            host_path("kubelet-dir", kubelet, "Directory"),
                            host_path("plugin-dir", plugin_dir, "DirectoryOrCreate"),
                            host_path("registration-dir", f"{kubelet}/plugins_registry/", "Directory"),
                            host_path("device-dir", "/dev", "Directory"),
                            host_path("sys-dir", "/sys", "Directory"),
                            {"name": "tmp-dir", "emptyDir": {}},
                        ],
                    },
                ),
            },
        },
    }


def storage_class_parameters(sc):
    """The parameters the driver reads (type, accountingType) and the fstype the external provisioner reads."""
    parameters = {"csi.storage.k8s.io/fstype": sc["fstype"], "type": sc["type"]}
    if sc["accounting_type"]:
        parameters["accountingType"] = sc["accounting_type"]
    return parameters


def storage_class_annotations(sc):
    """The class's annotations, with the default-class one when it is the default."""
    annotations = dict(sc["annotations"])
    if sc["default"]:
        annotations[DEFAULT_CLASS_ANNOTATION] = "true"
    return annotations


def _storage_class_object(sc, labels):
    obj = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": meta(sc["name"], labels, annotations=storage_class_annotations(sc) or None),
        "provisioner": CSI_DRIVER_NAME,
        "parameters": storage_class_parameters(sc),
        "reclaimPolicy": sc["reclaim_policy"],
        "volumeBindingMode": sc["volume_binding_mode"],
        "allowVolumeExpansion": sc["allow_volume_expansion"],
    }
    if sc["mount_options"]:
        obj["mountOptions"] = list(sc["mount_options"])
    return obj


def _cluster_roles():
    """The external sidecars' ClusterRole rules: (apiGroup, resources, verbs)."""
    return {
        "attacher": [
            ("", ["persistentvolumes"], ["get", "list", "watch", "patch"]),
            ("storage.k8s.io", ["csinodes"], ["get", "list", "watch"]),
            ("storage.k8s.io", ["volumeattachments"], ["get", "list", "watch", "patch"]),
            ("storage.k8s.io", ["volumeattachments/status"], ["patch"]),
        ],
        "provisioner": [
            ("", ["persistentvolumes"], ["get", "list", "watch", "create", "delete"]),
            ("", ["persistentvolumeclaims"], ["get", "list", "watch", "update"]),
            ("storage.k8s.io", ["storageclasses"], ["get", "list", "watch"]),
            ("", ["events"], ["list", "watch", "create", "update", "patch"]),
            ("snapshot.storage.k8s.io", ["volumesnapshots"], ["get", "list"]),
            ("snapshot.storage.k8s.io", ["volumesnapshotcontents"], ["get", "list"]),
            ("storage.k8s.io", ["csinodes"], ["get", "list", "watch"]),
            ("", ["nodes"], ["get", "list", "watch"]),
            ("storage.k8s.io", ["volumeattachments"], ["get", "list", "watch"]),
        ],
        "resizer": [
            ("", ["persistentvolumes"], ["get", "list", "watch", "patch"]),
            ("", ["persistentvolumeclaims"], ["get", "list", "watch"]),
            ("", ["pods"], ["get", "list", "watch"]),
            ("", ["persistentvolumeclaims/status"], ["patch"]),
            ("", ["events"], ["list", "watch", "create", "update", "patch"]),
        ],
    }


def csi_objects(raw):
    """Every object of the CSI driver except the credentials Secret, in apply order."""
    cfg = normalize_csi(raw)
    ns = cfg["namespace"]
    labels = component_labels(CSI_APP, CSI_APP, cfg["version"])
    rbac = "rbac.authorization.k8s.io/v1"
    controller_sa = f"{CSI_PREFIX}-controller-sa"
    subject = [{"kind": "ServiceAccount", "name": controller_sa, "namespace": ns}]
    objs = [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(controller_sa, labels, ns)},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(f"{CSI_PREFIX}-node-sa", labels, ns)},
    ]
    for key, rules in _cluster_roles().items():
        role = f"{CSI_PREFIX}-external-{key}-role"
        objs.append(
            {
                "apiVersion": rbac,
                "kind": "ClusterRole",
                "metadata": meta(role, labels),
                "rules": [{"apiGroups": [g], "resources": r, "verbs": v} for g, r, v in rules],
            }
        )
        objs.append(
            {
                "apiVersion": rbac,
                "kind": "ClusterRoleBinding",
                "metadata": meta(f"{CSI_PREFIX}-{key}-binding", labels),
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                "subjects": subject,
            }
        )
    objs += [
        {
            "apiVersion": rbac,
            "kind": "Role",
            "metadata": meta(f"{CSI_PREFIX}-leases-role", labels, ns),
            "rules": [
                {
                    "apiGroups": ["coordination.k8s.io"],
                    "resources": ["leases"],
                    "verbs": ["get", "watch", "list", "delete", "update", "create"],
                }
            ],
        },
        {
            "apiVersion": rbac,
            "kind": "RoleBinding",
            "metadata": meta(f"{CSI_PREFIX}-leases-rolebinding", labels, ns),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": f"{CSI_PREFIX}-leases-role"},
            "subjects": subject,
        },
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "CSIDriver",
            "metadata": meta(CSI_DRIVER_NAME, labels),
            "spec": {"attachRequired": True, "podInfoOnMount": False},
        },
        _csi_controller(cfg, labels),
        _csi_node(cfg, labels),
    ]
    objs += [_storage_class_object(sc, labels) for sc in cfg["storage_classes"]]
    return sorted(objs, key=apply_phase)
