# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Kubernetes objects of a TopoLVM installation, built from the normalised settings.

Names, RBAC rules, labels and selectors follow the upstream chart (topolvm/topolvm chart 17.1.0,
``charts/topolvm/templates``), so ``apply`` and ``helm`` manage the same objects. Plain dicts and lists only:
no Ansible, no cluster.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.placement import scheduler_placement
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import (
    CHECKSUM_ANNOTATION,
    apply_phase,
    b64encode_text,
    config_checksum,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import (
    MAIN_CONTAINERS,
    POD_KNOBS,
    PRIORITY_CLASS_VALUE,
    TopolvmConfigError,
    ignored_namespaces,
    lvmd_in_cluster,
    node_set_affinity,
    normalize_config,
    per_node,
    plugin_name,
    storage_class_parameters,
    webhook_dns_names,
    webhook_enabled,
    webhook_secret_name,
)

MANAGED_BY = "lvmkube.cluster"


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


def _meta(cfg, name, namespaced=True, component=None, annotations=None, *, extra_labels=None):
    meta = {"name": name, "labels": {**(extra_labels or {}), **_labels(cfg, component)}}
    if namespaced:
        meta["namespace"] = cfg["namespace"]
    if annotations:
        meta["annotations"] = annotations
    return meta


def _container(cfg, name, command, mounts, ports=None, **extra):
    container = {
        "name": name,
        "image": cfg["image"],
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
        "value": PRIORITY_CLASS_VALUE,
        "globalDefault": False,
        "description": "Pods using TopoLVM volumes should use this class.",
    }


def _csidriver(cfg):
    spec = {"attachRequired": False, "podInfoOnMount": True, "volumeLifecycleModes": ["Persistent"]}
    if not webhook_enabled(cfg):  # as the chart: the key only when capacity tracking is on (false is the default)
        spec = {"storageCapacity": True, **spec}
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "CSIDriver",
        "metadata": _meta(cfg, plugin_name(cfg), namespaced=False),
        "spec": spec,
    }


def _cluster_role(cfg, name, rules):
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": _meta(cfg, name, namespaced=False),
        "rules": rules,
    }


def _role(cfg, name, rules):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": _meta(cfg, name), "rules": rules}


def _controller_rbac(cfg):
    """The chart's controller RBAC (templates/controller/*roles*.yaml, *bindings*.yaml): same names, same rules.

    The snapshotter's ClusterRole and Role exist whether or not the sidecar runs, as in the chart, so that
    switching ``snapshot`` or switching between ``apply`` and ``helm`` leaves no stale or missing grant.
    """
    ns, group, sa = cfg["namespace"], plugin_name(cfg), f"{cfg['name']}-controller"
    crud = ["get", "list", "watch", "create", "update", "patch", "delete"]
    events = _rule([""], ["events"], ["list", "watch", "create", "update", "patch"])
    lease = _rule(["coordination.k8s.io"], ["leases"], ["get", "watch", "list", "delete", "update", "create"])
    controller_rules = [
        _rule([""], ["nodes"], ["get", "list", "patch", "update", "watch"]),
        _rule([""], ["persistentvolumeclaims"], ["delete", "get", "list", "update", "watch"]),
        _rule([""], ["pods"], ["get", "list", "update", "watch"]),
        _rule(["storage.k8s.io"], ["csidrivers", "storageclasses"], ["get", "list", "watch"]),
        _rule([group], ["logicalvolumes"], ["create", "delete", "get", "list", "patch", "update", "watch"]),
        # topolvm.io in both namings, as the chart (controller/clusterroles.yaml, from the kubebuilder markers of
        # internal/controller/logicalvolume_controller.go). topolvm-controller never writes the status: topolvm-node
        # does (LogicalVolumeReconciler; with useLegacy internal/client converts it to topolvm.cybozu.com), and the
        # node ClusterRole grants logicalvolumes/status in the plugin group.
        _rule(["topolvm.io"], ["logicalvolumes/status"], ["get", "patch", "update"]),
    ]
    provisioner_rules = [
        _rule([""], ["persistentvolumes"], ["get", "list", "watch", "create", "patch", "delete"]),
        _rule([""], ["persistentvolumeclaims"], ["get", "list", "watch", "update"]),
        _rule(["storage.k8s.io"], ["storageclasses"], ["get", "list", "watch"]),
        events,
        _rule(["snapshot.storage.k8s.io"], ["volumesnapshots"], ["get", "list", "watch", "update"]),
        _rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list"]),
        _rule(["storage.k8s.io"], ["csinodes"], ["get", "list", "watch"]),
        _rule([""], ["nodes"], ["get", "list", "watch"]),
        _rule(["storage.k8s.io"], ["volumeattachments"], ["get", "list", "watch"]),
    ]
    resizer_rules = [
        _rule([""], ["persistentvolumes"], ["get", "list", "watch", "patch"]),
        _rule([""], ["persistentvolumeclaims"], ["get", "list", "watch"]),
        _rule([""], ["pods"], ["get", "list", "watch"]),
        _rule([""], ["persistentvolumeclaims/status"], ["patch"]),
        events,
        _rule(["storage.k8s.io"], ["volumeattributesclasses"], ["get", "list", "watch"]),
    ]
    snapshotter_rules = [
        events,
        _rule(["snapshot.storage.k8s.io"], ["volumesnapshotclasses"], ["get", "list", "watch"]),
        _rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list", "watch", "update", "patch"]),
        _rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents/status"], ["update", "patch"]),
        _rule(["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotclasses"], ["get", "list", "watch"]),
        _rule(
            ["groupsnapshot.storage.k8s.io"],
            ["volumegroupsnapshotcontents"],
            ["get", "list", "watch", "update", "patch"],
        ),
        _rule(["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotcontents/status"], ["update", "patch"]),
    ]
    objs = [_sa(cfg, sa)]
    # (ClusterRole, its rules, the ClusterRoleBinding's name) as the chart names them.
    for role_name, rules, binding_name in (
        (f"{ns}:controller", controller_rules, f"{ns}:controller"),
        (f"{ns}-external-provisioner-runner", provisioner_rules, f"{ns}-csi-provisioner-role"),
        (f"{ns}-external-resizer-runner", resizer_rules, f"{ns}-csi-resizer-role"),
        (f"{ns}-external-snapshotter-runner", snapshotter_rules, f"{ns}-csi-snapshotter-role"),
    ):
        objs.append(_cluster_role(cfg, role_name, rules))
        objs.append(
            _binding(cfg, "ClusterRoleBinding", binding_name, role_kind="ClusterRole", role_name=role_name, sa_name=sa)
        )
    for role_name, rules, binding_name in (
        (
            "leader-election",
            [
                _rule(["", "coordination.k8s.io"], ["configmaps", "leases"], crud),
                _rule([""], ["events"], ["create", "patch"]),
            ],
            "leader-election",
        ),
        (
            "external-provisioner-cfg",
            [
                lease,
                _rule(["storage.k8s.io"], ["csistoragecapacities"], crud),
                _rule([""], ["pods"], ["get"]),
                _rule(["apps"], ["replicasets"], ["get"]),
            ],
            "csi-provisioner-role-cfg",
        ),
        ("external-resizer-cfg", [lease], "csi-resizer-role-cfg"),
        ("external-snapshotter-leaderelection", [lease], "external-snapshotter-leaderelection"),
    ):
        objs.append(_role(cfg, role_name, rules))
        objs.append(_binding(cfg, "RoleBinding", binding_name, role_kind="Role", role_name=role_name, sa_name=sa))
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
    if cfg["controller_skip_node_finalize"]:
        command.append("--skip-node-finalize")
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
        _cluster_role(
            cfg,
            f"{cfg['namespace']}:node",
            [
                _rule([""], ["nodes"], ["get", "list", "watch", "update", "patch"]),
                _rule(
                    [group],
                    ["logicalvolumes", "logicalvolumes/status"],
                    ["get", "list", "watch", "create", "update", "delete", "patch"],
                ),
                _rule(["storage.k8s.io"], ["csidrivers"], ["get", "list", "watch"]),
            ],
        ),
        _binding(
            cfg,
            "ClusterRoleBinding",
            f"{cfg['namespace']}:node",
            role_kind="ClusterRole",
            role_name=f"{cfg['namespace']}:node",
            sa_name=sa,
        ),
    ]
    embedded = cfg["lvmd_embedded"]
    lvmd_flag = "--embed-lvmd" if embedded else f"--lvmd-socket={cfg['lvmd_socket']}"
    # With node.lvmdEmbedded the chart mounts the lvmd ConfigMap where the socket directory would be.
    lvmd_mount = (
        {"name": "config", "mountPath": "/etc/topolvm"}
        if embedded
        else {"name": "lvmd-socket-dir", "mountPath": socket_dir}
    )
    node = _container(
        cfg,
        "topolvm-node",
        ["/topolvm-node", f"--csi-socket={sock}", lvmd_flag],
        [
            {"name": "node-plugin-dir", "mountPath": node_dir},
            lvmd_mount,
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
        {"name": "config", "configMap": {"name": lvmd_configmap_name(cfg)}}
        if embedded
        else {"name": "lvmd-socket-dir", "hostPath": {"path": socket_dir, "type": "DirectoryOrCreate"}},
    ]
    pod_spec = {"serviceAccountName": sa, "containers": [node, registrar, liveness], "volumes": volumes}
    if embedded:
        pod_spec = {"serviceAccountName": sa, "hostPID": True, "containers": pod_spec["containers"], "volumes": volumes}
    if per_node(cfg):
        # Only on nodes the inventory gives device classes (labelled by the role): no crash-looping pods on others.
        pod_spec["affinity"] = node_set_affinity(cfg)
    objs.append(
        {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": _meta(cfg, f"{cfg['name']}-node", component="node"),
            "spec": {
                "selector": {"matchLabels": selector},
                # Embedded lvmd reads the lvmd ConfigMap: its checksum rolls the pods (helm_values passes the same
                # sum as node.podAnnotations; the chart's node template has none of its own).
                "template": {
                    "metadata": _checksum_pod_meta(selector, lvmd_checksum(cfg))
                    if embedded
                    else {"labels": dict(selector)},
                    "spec": pod_spec,
                },
            },
        }
    )
    return objs


def lvmd_checksum(cfg):
    """checksum/config of the pods that read the lvmd ConfigMaps (every set, as the chart hashes its whole
    templates/lvmd/configmap.yaml): the lvmd DaemonSets, and topolvm-node with lvmd embedded."""
    return config_checksum([lvmd_set["document"] for lvmd_set in cfg["lvmd_sets"]])


def scheduler_listen(cfg):
    """The scheduler's listen address: localhost on the host network (extender-daemonset), else every address."""
    return f"{'localhost' if cfg['scheduling_mode'] == 'extender-daemonset' else ''}:{cfg['scheduler_port']}"


def scheduler_checksum(cfg):
    """checksum/config of the topolvm-scheduler pods (templates/scheduler/configmap.yaml's content)."""
    return config_checksum({"listen": scheduler_listen(cfg), "options": cfg["scheduler_options"]})


def _checksum_pod_meta(labels, checksum):
    return {"labels": dict(labels), "annotations": {CHECKSUM_ANNOTATION: checksum}}


def lvmd_configmap_name(cfg, idx="0"):
    return f"{cfg['name']}-lvmd-{idx}"


def _lvmd(cfg, lvmd_set):
    """One lvmd DaemonSet per set of device classes (templates/lvmd/daemonset.yaml with additionalConfigs)."""
    idx = lvmd_set["idx"]
    sa = f"{cfg['name']}-lvmd"
    # The chart tells its lvmd DaemonSets apart by an "idx" label, in the selector too (which cannot change later).
    selector = {"idx": idx, **_selector(cfg, "lvmd")}
    socket_dir = cfg["lvmd_socket"].rsplit("/", 1)[0] or "/"
    lvmd = _container(
        cfg,
        "lvmd",
        ["/lvmd"],  # reads /etc/topolvm/lvmd.yaml, as in the chart
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
    pod_spec = {
        "serviceAccountName": sa,
        "hostPID": True,
        "containers": [lvmd],
        "volumes": [
            {"name": "devices-dir", "hostPath": {"path": "/dev", "type": "Directory"}},
            {"name": "config", "configMap": {"name": lvmd_configmap_name(cfg, idx)}},
            {"name": "lvmd-socket-dir", "hostPath": {"path": socket_dir, "type": "DirectoryOrCreate"}},
        ],
    }
    if per_node(cfg):  # only the nodes the inventory gives this set (labelled by the role)
        pod_spec["nodeSelector"] = {cfg["node_label"]: idx}
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": _meta(cfg, f"{cfg['name']}-lvmd-{idx}", component="lvmd", extra_labels={"idx": idx}),
        "spec": {
            "selector": {"matchLabels": selector},
            # The chart's templates/lvmd/daemonset.yaml stamps the config's checksum: a change rolls the pods.
            "template": {"metadata": _checksum_pod_meta(selector, lvmd_checksum(cfg)), "spec": pod_spec},
        },
    }


def _lvmd_configmap(cfg, lvmd_set):
    """lvmd.yaml of one set for lvmd in the cluster (its DaemonSet or topolvm-node with lvmd embedded)."""
    idx = lvmd_set["idx"]
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _meta(cfg, lvmd_configmap_name(cfg, idx), component="lvmd", extra_labels={"idx": idx}),
        "data": {"lvmd.yaml": cfg["dump"](lvmd_set["document"])},
    }


def _scheduler(cfg):
    daemonset_mode = cfg["scheduling_mode"] == "extender-daemonset"
    name = f"{cfg['name']}-scheduler"
    port = cfg["scheduler_port"]
    listen_host = "localhost" if daemonset_mode else ""
    # As templates/scheduler/configmap.yaml writes it: listen, then the scoring options.
    options = f'listen: "{scheduler_listen(cfg)}"\n' + cfg["dump"](cfg["scheduler_options"])
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
        # As templates/scheduler/{daemonset,deployment}.yaml: the options' checksum rolls the pods on a change.
        "template": {"metadata": _checksum_pod_meta(selector, scheduler_checksum(cfg)), "spec": pod_spec},
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
                "tls.crt": b64encode_text(cfg["certificates"]["tls_crt"]),
                "tls.key": b64encode_text(cfg["certificates"]["tls_key"]),
                "ca.crt": b64encode_text(_b64decode_text(cfg["certificates"]["ca_bundle"])),
            }
            if cfg["certificates"]["ca_bundle"]
            else {},  # without_certificates: the name is all that counts
        }
    ]


def _check_certificates(cfg, certificates, without_certificates):
    if not (webhook_enabled(cfg) and cfg["cert_mode"] == "self-signed"):
        return None
    if without_certificates:
        return {"ca_bundle": "", "tls_crt": "", "tls_key": ""}
    certificates = certificates or {}
    for key in ("ca_bundle", "tls_crt", "tls_key"):
        if not certificates.get(key):
            raise TopolvmConfigError(
                f"cert_mode self-signed with an extender mode needs the webhook certificate's {key} "
                "(the role makes it with community.crypto)"
            )
    _b64decode_text(certificates["ca_bundle"])
    return dict(certificates)


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
    elif cfg["certificates"]["ca_bundle"]:  # empty only without_certificates
        client["caBundle"] = cfg["certificates"]["ca_bundle"]
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
        parameters = {"csi.storage.k8s.io/fstype": sc["fstype"], **storage_class_parameters(cfg, sc)}
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


def _customise(cfg, obj):
    """The <component>_pod knobs on a Deployment or DaemonSet, as POD_KNOBS says: a knob that is set replaces the
    role's value or is merged with it."""
    if obj["kind"] not in ("Deployment", "DaemonSet"):
        return
    component = obj["metadata"]["labels"].get("app.kubernetes.io/component")
    pod = cfg["pods"][component]
    template = obj["spec"]["template"]
    targets = {
        "pod": template["spec"],
        "container": next(c for c in template["spec"]["containers"] if c["name"] == MAIN_CONTAINERS[component]),
        "template": template["metadata"],
    }
    for knob in POD_KNOBS:
        if not pod[knob.key]:
            continue
        target = targets[knob.target]
        if knob.keep == "role":
            target[knob.field] = {**pod[knob.key], **target.get(knob.field, {})}
        elif knob.keep == "knob":
            target[knob.field] = {**target.get(knob.field, {}), **pod[knob.key]}
        else:
            target[knob.field] = copy.deepcopy(pod[knob.key])


def snapshot_class_name(cfg, device_class):
    return f"{cfg['name']}-{device_class}".replace("_", "-").lower()


def snapshot_classes(cfg):
    """A VolumeSnapshotClass per thin device class when ``snapshot`` is on: TopoLVM snapshots thin volumes only.

    Labelled with the device class, so the smoke test finds the class for a StorageClass.
    """
    if not cfg["snapshot"]:
        return []
    group = plugin_name(cfg)
    objs = []
    for dc in cfg["device_classes"]:
        if dc["type"] != "thin":
            continue
        meta = _meta(cfg, snapshot_class_name(cfg, dc["name"]), namespaced=False)
        meta["labels"][f"{group}/device-class"] = dc["name"]
        objs.append(
            {
                "apiVersion": "snapshot.storage.k8s.io/v1",
                "kind": "VolumeSnapshotClass",
                "metadata": meta,
                "driver": group,
                "deletionPolicy": "Delete",
            }
        )
    return objs


def _pod_monitor(cfg, component):
    """A Prometheus operator PodMonitor as templates/<component>/podmonitor.yaml renders it."""
    meta = _meta(cfg, f"{cfg['name']}-{component}", extra_labels=cfg["pod_monitor_labels"])
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PodMonitor",
        "metadata": meta,
        "spec": {
            "selector": {"matchLabels": _selector(cfg, component)},
            "namespaceSelector": {"matchNames": [cfg["namespace"]]},
            "podMetricsEndpoints": [{"path": "/metrics", "port": "metrics"}],
        },
    }


def build_manifests(raw, certificates=None, dump=json.dumps, without_certificates=False):
    """Return every object of the installation, in apply order.

    ``certificates`` (``ca_bundle`` base64 PEM, ``tls_crt`` and ``tls_key`` PEM) are needed for the webhook
    Secret in an extender mode with ``cert_mode: self-signed``, unless ``without_certificates`` (a removal
    listing, whose objects only need their names, or a first check-mode run before the certificate exists).
    ``dump`` writes the lvmd.yaml ConfigMap text (the filters pass the YAML writer of the ``lvmd_config``
    filter, so both texts are the same bytes).
    """
    cfg = normalize_config(raw)
    cfg["dump"] = dump
    cfg["certificates"] = _check_certificates(cfg, certificates, without_certificates)
    objs = [_namespace(cfg), _crd(cfg)]
    if cfg["priority_class"]:
        objs.append(_priority_class(cfg))
    if webhook_enabled(cfg):
        objs += _certificates(cfg)
    objs.append(_csidriver(cfg))
    objs += _controller_rbac(cfg)
    objs += _controller(cfg)
    objs += _node(cfg)
    if lvmd_in_cluster(cfg):
        objs += [_lvmd_configmap(cfg, lvmd_set) for lvmd_set in cfg["lvmd_sets"]]
    if cfg["lvmd_managed"]:
        objs.append(_sa(cfg, f"{cfg['name']}-lvmd"))
        objs += [_lvmd(cfg, lvmd_set) for lvmd_set in cfg["lvmd_sets"]]
    if webhook_enabled(cfg):
        objs += _scheduler(cfg)
        objs.append(_webhook(cfg))
    objs += _storage_class_objects(cfg)
    objs += snapshot_classes(cfg)
    objs += [_pod_monitor(cfg, component) for component in cfg["pod_monitors"]]
    for obj in objs:
        _customise(cfg, obj)
    return sorted(objs, key=apply_phase)  # sorted() is stable: order inside a phase is kept
