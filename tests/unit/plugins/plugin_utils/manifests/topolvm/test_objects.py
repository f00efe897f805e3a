# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The TopoLVM objects: decisive fields per scheduling mode, distribution, naming and certificate mode; and the
objects against the upstream chart.

The role's objects against the upstream chart (topolvm/topolvm chart 17.1.0, TopoLVM 0.41.0).

The expectations below are written by hand from the chart's templates (charts/topolvm/templates/**, read
with the search tools; the chart is not part of this repository): which objects the chart renders for a set
of values, under which names, with which RBAC rules and selectors. ``chart_objects`` walks the same
conditions the templates do, fed with the values the role sends to helm; comparing it with the objects
``apply``/``render`` make is the test that both modes manage the same objects (so switching modes leaves no
stale object and no duplicate grant).
"""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import device_classes, lvmd_config, lvmd_yaml
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests import placement
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import facts as facts_module
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import (
    helm,
    objects,
    settings,
    spec,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import TopolvmConfigError

CA = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n").decode()


DCS = [
    {"name": "ssd", "volume_group": "vg-ssd", "default": True, "spare_gb": 10},
    {"name": "hdd", "volume_group": "vg-hdd"},
]


# The digest chart 17.1.0's values.yaml pins for TopoLVM 0.41.0 (image.reference).
DIGEST_0_41_0 = "sha256:5faf5b94557516ae0f6fa7d329a5a4305e22aa2dc464af7641b31f2aca618036"


CERTS = {"ca_bundle": CA, "tls_crt": "CRT", "tls_key": "KEY"}


def cfg(**kwargs):
    return {"device_classes": DCS, **kwargs}


# The module_utils functions, with the settings completed from the role's argument spec as the filters do.
def build(config, certificates="certs", **kwargs):
    certificates = CERTS if certificates == "certs" else certificates
    return objects.build_manifests(flt.with_defaults(config), certificates=certificates, dump=lvmd_yaml, **kwargs)


def facts(config, **kwargs):
    return facts_module.deploy_facts(flt.with_defaults(config), **kwargs)


def values(config, certificates="certs"):
    certificates = CERTS if certificates == "certs" else certificates
    return helm.helm_values(flt.with_defaults(config), certificates=certificates)


def kinds(objs):
    return [o["kind"] for o in objs]


def find(objs, kind, name=None):
    found = [o for o in objs if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]
    assert found, f"no {kind} {name or ''}"
    return found[0]


def container(workload, name):
    return next(c for c in workload["spec"]["template"]["spec"]["containers"] if c["name"] == name)


def test_storage_capacity_mode_has_capacity_tracking_and_no_scheduler_or_webhook():
    objs = build(cfg())
    assert find(objs, "CSIDriver", "topolvm.io")["spec"]["storageCapacity"] is True
    assert "MutatingWebhookConfiguration" not in kinds(objs)
    assert not [o for o in objs if "scheduler" in o["metadata"]["name"]]
    assert "Secret" not in kinds(objs)
    controller = find(objs, "Deployment", "topolvm-controller")
    assert "--enable-webhooks=false" in container(controller, "topolvm-controller")["command"]
    provisioner = container(controller, "csi-provisioner")["command"]
    assert "--enable-capacity" in provisioner
    assert "--capacity-ownerref-level=2" in provisioner
    assert facts(cfg())["extender_url"] == ""


def test_extender_daemonset_runs_on_host_network_with_webhook():
    objs = build(cfg(scheduling_mode="extender-daemonset"))
    # As the chart: no storageCapacity key without capacity tracking (false is the API default).
    assert "storageCapacity" not in find(objs, "CSIDriver")["spec"]
    scheduler = find(objs, "DaemonSet", "topolvm-scheduler")
    pod = scheduler["spec"]["template"]["spec"]
    assert pod["hostNetwork"] is True
    options = find(objs, "ConfigMap", "topolvm-scheduler-options")["data"]["scheduler-options.yaml"]
    assert 'listen: "localhost:9251"' in options
    hook = find(objs, "MutatingWebhookConfiguration", "topolvm-hook")["webhooks"][0]
    assert hook["name"] == "pod-hook.topolvm.io"
    assert hook["clientConfig"]["caBundle"] == CA
    assert hook["clientConfig"]["service"]["path"] == "/pod/mutate"
    assert {"key": "topolvm.io/webhook", "operator": "NotIn", "values": ["ignore"]} in hook["namespaceSelector"][
        "matchExpressions"
    ]
    controller = find(objs, "Deployment", "topolvm-controller")
    assert "--cert-dir=/certs" in container(controller, "topolvm-controller")["command"]
    assert "--enable-capacity" not in container(controller, "csi-provisioner")["command"]
    secret = find(objs, "Secret", "topolvm-mutatingwebhook")
    assert secret["type"] == "kubernetes.io/tls"
    assert base64.b64decode(secret["data"]["tls.key"]) == b"KEY"
    # The webhook must be applied after the controller that serves it.
    assert kinds(objs).index("MutatingWebhookConfiguration") > kinds(objs).index("Deployment")
    assert facts(cfg(scheduling_mode="extender-daemonset"))["extender_url"] == "http://127.0.0.1:9251"


def test_rke1_scheduler_tolerates_controlplane_and_etcd():
    objs = build(cfg(scheduling_mode="extender-daemonset", distribution="rke1"))
    pod = find(objs, "DaemonSet", "topolvm-scheduler")["spec"]["template"]["spec"]
    keys = {t["key"] for t in pod["tolerations"]}
    assert {"node-role.kubernetes.io/controlplane", "node-role.kubernetes.io/etcd"} <= keys
    term = pod["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert term == [
        {"matchExpressions": [{"key": "node-role.kubernetes.io/controlplane", "operator": "In", "values": ["true"]}]}
    ]


def test_kubeadm_master_role_only_for_old_versions():
    old = placement.scheduler_placement("kubeadm", (1, 24))
    new = placement.scheduler_placement("kubeadm", (1, 30))
    assert "node-role.kubernetes.io/master" in json.dumps(old)
    assert "node-role.kubernetes.io/master" not in json.dumps(new)
    assert "node-role.kubernetes.io/control-plane" in json.dumps(new)
    rke2 = placement.scheduler_placement("rke2", (1, 30))
    assert rke2[0]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0][
        "matchExpressions"
    ][0] == {"key": "node-role.kubernetes.io/control-plane", "operator": "In", "values": ["true"]}


def test_extender_deployment_has_service_and_url():
    config = cfg(scheduling_mode="extender-deployment", scheduler_service_cluster_ip="10.96.0.251")
    objs = build(config)
    assert find(objs, "Deployment", "topolvm-scheduler")["spec"]["replicas"] == 2
    service = find(objs, "Service", "topolvm-scheduler")
    assert service["spec"]["clusterIP"] == "10.96.0.251"
    assert service["spec"]["ports"][0]["port"] == 9251
    assert "DaemonSet" not in [o["kind"] for o in objs if o["metadata"]["name"] == "topolvm-scheduler"]
    assert facts(config)["extender_url"] == "http://10.96.0.251:9251"
    no_ip = facts(cfg(scheduling_mode="extender-deployment"))["extender_url"]
    assert no_ip == "http://topolvm-scheduler.topolvm-system.svc:9251"
    # Not on the host network: the extender must listen on every address of the pod.
    options = find(objs, "ConfigMap", "topolvm-scheduler-options")["data"]["scheduler-options.yaml"]
    assert 'listen: ":9251"' in options


@pytest.mark.parametrize("mode", spec.choices("scheduling_mode"))
def test_legacy_naming_uses_cybozu_everywhere(mode):
    objs = build(cfg(scheduling_mode=mode, legacy=True))
    controller_role = find(objs, "ClusterRole", "topolvm-system:controller")
    # The one topolvm.io left is the controller's logicalvolumes/status rule, as in the chart (see
    # test_topolvm_chart_parity.test_legacy_rbac_grants_the_status_to_the_component_that_writes_it).
    text = json.dumps([o for o in objs if o is not controller_role])
    assert "topolvm.io" not in text
    assert [r["resources"] for r in controller_role["rules"] if "topolvm.io" in r["apiGroups"]] == [
        ["logicalvolumes/status"]
    ]
    assert find(objs, "CSIDriver")["metadata"]["name"] == "topolvm.cybozu.com"
    assert find(objs, "CustomResourceDefinition")["spec"]["group"] == "topolvm.cybozu.com"
    assert find(objs, "StorageClass")["provisioner"] == "topolvm.cybozu.com"
    assert find(objs, "StorageClass")["parameters"]["topolvm.cybozu.com/device-class"] == "ssd"
    node = find(objs, "DaemonSet", "topolvm-node")
    assert {"name": "USE_LEGACY", "value": "true"} in container(node, "topolvm-node")["env"]
    assert facts(cfg(scheduling_mode=mode, legacy=True))["capacity_resource"] == "topolvm.cybozu.com/capacity"
    assert facts(cfg(legacy=True))["other_plugin_name"] == "topolvm.io"


def test_cert_manager_mode_uses_issuers_and_ca_injection():
    objs = build(cfg(scheduling_mode="extender-daemonset", cert_mode="cert-manager"))
    assert kinds(objs).count("Issuer") == 2
    assert kinds(objs).count("Certificate") == 2
    assert "Secret" not in kinds(objs)
    serving = find(objs, "Certificate", "topolvm-mutatingwebhook")["spec"]
    assert serving["dnsNames"][-1] == "topolvm-controller.topolvm-system.svc"
    hook = find(objs, "MutatingWebhookConfiguration")
    assert hook["metadata"]["annotations"]["cert-manager.io/inject-ca-from"] == "topolvm-system/topolvm-mutatingwebhook"
    assert "caBundle" not in hook["webhooks"][0]["clientConfig"]
    assert (
        "cert-manager"
        in facts(cfg(scheduling_mode="extender-daemonset", cert_mode="cert-manager"))["ignored_namespaces"]
    )


def test_storage_classes_one_per_device_class():
    objs = build(cfg(default_storage_class="topolvm-ssd", default_fstype="ext4"))
    classes = [o for o in objs if o["kind"] == "StorageClass"]
    assert [c["metadata"]["name"] for c in classes] == ["topolvm-ssd", "topolvm-hdd"]
    for sc in classes:
        assert sc["volumeBindingMode"] == "WaitForFirstConsumer"
        assert sc["allowVolumeExpansion"] is True
        assert sc["parameters"]["csi.storage.k8s.io/fstype"] == "ext4"
    assert classes[0]["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    assert "annotations" not in classes[1]["metadata"]
    assert classes[1]["parameters"]["topolvm.io/device-class"] == "hdd"
    assert kinds(objs)[-2:] == ["StorageClass", "StorageClass"]


def test_explicit_storage_classes():
    objs = build(
        cfg(
            storage_classes=[
                {
                    "name": "fast",
                    "device_class": "ssd",
                    "fstype": "xfs",
                    "default": True,
                    "reclaim_policy": "Retain",
                    "mount_options": ["noatime"],
                }
            ]
        )
    )
    sc = find(objs, "StorageClass", "fast")
    assert sc["reclaimPolicy"] == "Retain"
    assert sc["mountOptions"] == ["noatime"]
    assert len([o for o in objs if o["kind"] == "StorageClass"]) == 1


def test_managed_lvmd_configmap_is_the_lvmd_role_text_byte_for_byte():
    text = lvmd_config(DCS, "/run/topolvm/lvmd.sock")
    objs = build(cfg(lvmd_managed=True))
    assert find(objs, "ConfigMap", "topolvm-lvmd-0")["data"]["lvmd.yaml"].encode() == text.encode()
    lvmd = find(objs, "DaemonSet", "topolvm-lvmd-0")
    assert lvmd["spec"]["template"]["spec"]["hostPID"] is True
    # The role passes the normalised classes; normalising again must not change lvmd.yaml.
    assert lvmd_config(device_classes(DCS), "/run/topolvm/lvmd.sock") == text
    assert (
        "--lvmd-socket=/run/topolvm/lvmd.sock"
        in container(find(objs, "DaemonSet", "topolvm-node"), "topolvm-node")["command"]
    )


def test_host_lvmd_has_no_lvmd_objects():
    objs = build(cfg())
    assert not [o for o in objs if "lvmd" in o["metadata"]["name"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scheduling_mode": "scheduler"}, "scheduling_mode"),
        ({"distribution": "openshift"}, "distribution"),
        ({"kubernetes_version": "1.23"}, "older than 1.24"),
        ({"kubernetes_version": "latest"}, "not a Kubernetes version"),
        ({"device_classes": []}, "at least one device class"),
        (
            {
                "device_classes": [
                    {"name": "a", "volume_group": "vg", "default": True},
                    {"name": "a", "volume_group": "w"},
                ]
            },
            "duplicate device class name",
        ),
        # The collection's one rule (plugin_utils/storage/device_classes.py), not a second one: exactly one default.
        ({"device_classes": [{"name": "a", "volume_group": "vg"}]}, "exactly one device class must have default"),
        ({"device_classes": [{"name": "a", "volume-group": "vg", "default": True}]}, "unknown key"),
        ({"storage_classes": [{"name": "x", "device_class": "nvme"}]}, "not in device_classes"),
        ({"storage_classes": [{"name": "Bad_Name"}]}, "not a valid Kubernetes name"),
        ({"default_storage_class": "nope"}, "not a storage class"),
        ({"namespace": "Topolvm"}, "namespace"),
        ({"legacy": "yes"}, "true or false"),
        ({"scheduler_port": 70000}, "65535"),
        ({"surprise": 1}, "unknown TopoLVM setting"),
    ],
)
def test_bad_settings_are_refused(change, message):
    with pytest.raises(settings.TopolvmConfigError, match=message):
        build(cfg(**change))


def test_self_signed_extender_needs_certificates():
    extender = cfg(scheduling_mode="extender-daemonset")
    with pytest.raises(settings.TopolvmConfigError, match="ca_bundle"):
        build(extender, certificates=None)
    with pytest.raises(settings.TopolvmConfigError, match="base64"):
        build(extender, certificates={"ca_bundle": "not base64!", "tls_crt": "c", "tls_key": "k"})
    with pytest.raises(settings.TopolvmConfigError, match="ca_bundle"):
        values(extender, certificates=None)
    # The settings themselves are checked without any certificate (no placeholders needed).
    assert facts(extender)["webhook_enabled"] is True
    # A removal listing (or a first check-mode run) needs the names only.
    names_only = build(extender, certificates=None, without_certificates=True)
    assert find(names_only, "Secret", "topolvm-mutatingwebhook")["data"] == {}
    assert "caBundle" not in find(names_only, "MutatingWebhookConfiguration")["webhooks"][0]["clientConfig"]
    assert [o["metadata"]["name"] for o in names_only] == [o["metadata"]["name"] for o in build(extender)]


def test_images_and_version_are_overridable():
    objs = build(cfg(version="v0.40.2", image_repository="mirror.example/topolvm"))
    images = {
        c["image"]
        for o in objs
        if o["kind"] in ("Deployment", "DaemonSet")
        for c in o["spec"]["template"]["spec"]["containers"]
    }
    # Another version has no known digest: the tag alone.
    assert images == {"mirror.example/topolvm:0.40.2"}
    default = build(cfg())
    resizer = container(find(default, "Deployment"), "csi-resizer")
    assert resizer["image"] == f"ghcr.io/topolvm/topolvm-with-sidecar:0.41.0@{DIGEST_0_41_0}"


def test_helm_values_follow_the_same_settings():
    chart = values(cfg(scheduling_mode="extender-daemonset", distribution="rke1", legacy=True))
    assert chart["useLegacy"] is True
    assert chart["scheduler"]["enabled"] is True
    assert chart["scheduler"]["type"] == "daemonset"
    assert chart["controller"]["storageCapacityTracking"]["enabled"] is False
    assert chart["webhook"]["podMutatingWebhook"]["enabled"] is True
    assert chart["webhook"]["caBundle"] == CA
    assert chart["webhook"]["secretName"] == "topolvm-mutatingwebhook"
    assert {"key": "node-role.kubernetes.io/etcd", "operator": "Exists"} in chart["scheduler"]["tolerations"]
    assert chart["storageClasses"][0]["storageClass"]["additionalParameters"] == {
        "topolvm.cybozu.com/device-class": "ssd"
    }
    capacity = values(cfg())
    assert capacity["scheduler"]["enabled"] is False
    assert capacity["controller"]["storageCapacityTracking"]["enabled"] is True


@pytest.mark.parametrize("legacy", [False, True])
def test_storage_class_parameters_are_the_same_in_objects_and_chart_values(legacy):
    config = cfg(
        legacy=legacy,
        lvmd_managed=True,
        lvcreate_option_classes=[{"name": "raid1", "options": ["--type=raid1"]}],
        storage_classes=[
            {"name": "plain", "device_class": "ssd"},
            {"name": "mirrored", "device_class": "hdd", "lvcreate_option_class": "raid1", "fstype": "ext4"},
            {"name": "tuned", "device_class": "ssd", "parameters": {"example.com/tier": "gold"}},
        ],
    )
    objs = {o["metadata"]["name"]: o for o in build(config) if o["kind"] == "StorageClass"}
    chart = {entry["name"]: entry["storageClass"] for entry in values(config)["storageClasses"]}
    assert set(objs) == set(chart) == {"plain", "mirrored", "tuned"}
    for name, sc in chart.items():
        parameters = dict(objs[name]["parameters"])
        # The chart writes the fstype from fsType itself; every other parameter is the same.
        assert parameters.pop("csi.storage.k8s.io/fstype") == sc["fsType"]
        assert parameters == sc["additionalParameters"]
    group = "topolvm.cybozu.com" if legacy else "topolvm.io"
    assert chart["mirrored"]["additionalParameters"] == {
        f"{group}/device-class": "hdd",
        f"{group}/lvcreate-option-class": "raid1",
    }
    assert chart["tuned"]["additionalParameters"]["example.com/tier"] == "gold"


# --------------------------------------------------------------------------- against the upstream chart


CHART_CA = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n").decode()


CHART_CERTS = {"ca_bundle": CHART_CA, "tls_crt": "CRT", "tls_key": "KEY"}


CHART_DCS = [
    {"name": "ssd", "volume_group": "vg-ssd", "default": True},
    {"name": "thin", "volume_group": "vg-ssd", "thin_pool": {"name": "pool0", "overprovision_ratio": 5}},
]


CHART_DIGEST = "sha256:5faf5b94557516ae0f6fa7d329a5a4305e22aa2dc464af7641b31f2aca618036"


def chart_settings(**kwargs):
    return flt.with_defaults({"device_classes": CHART_DCS, **kwargs})


def chart_build(config, **kwargs):
    return objects.build_manifests(config, certificates=CHART_CERTS, dump=lvmd_yaml, **kwargs)


def chart_objects(values, release, namespace):
    """(kind, namespace or None, name) of every object chart 17.1.0 renders for these values."""
    full = values.get("fullnameOverride") or (release if "topolvm" in release else f"{release}-topolvm")
    plugin = "topolvm.cybozu.com" if values["useLegacy"] else "topolvm.io"
    ns = namespace
    out = {
        ("CustomResourceDefinition", None, f"logicalvolumes.{plugin}"),
        ("CSIDriver", None, plugin),
        # controller/: serviceaccount, clusterroles, clusterrolebindings, roles, rolebinding, deployment, service, pdb
        ("ServiceAccount", ns, f"{full}-controller"),
        ("ClusterRole", None, f"{ns}:controller"),
        ("ClusterRole", None, f"{ns}-external-provisioner-runner"),
        ("ClusterRole", None, f"{ns}-external-resizer-runner"),
        ("ClusterRole", None, f"{ns}-external-snapshotter-runner"),
        ("ClusterRoleBinding", None, f"{ns}:controller"),
        ("ClusterRoleBinding", None, f"{ns}-csi-provisioner-role"),
        ("ClusterRoleBinding", None, f"{ns}-csi-resizer-role"),
        ("ClusterRoleBinding", None, f"{ns}-csi-snapshotter-role"),
        ("Role", ns, "leader-election"),
        ("Role", ns, "external-provisioner-cfg"),
        ("Role", ns, "external-resizer-cfg"),
        ("Role", ns, "external-snapshotter-leaderelection"),
        ("RoleBinding", ns, "leader-election"),
        ("RoleBinding", ns, "csi-provisioner-role-cfg"),
        ("RoleBinding", ns, "csi-resizer-role-cfg"),
        ("RoleBinding", ns, "external-snapshotter-leaderelection"),
        ("Deployment", ns, f"{full}-controller"),
        ("Service", ns, f"{full}-controller"),
        ("PodDisruptionBudget", ns, f"{full}-controller"),
        # node/
        ("ServiceAccount", ns, f"{full}-node"),
        ("ClusterRole", None, f"{ns}:node"),
        ("ClusterRoleBinding", None, f"{ns}:node"),
        ("DaemonSet", ns, f"{full}-node"),
    }
    if values["priorityClass"]["enabled"]:
        out.add(("PriorityClass", None, values["priorityClass"]["name"]))
    if values["lvmd"]["managed"]:
        out |= {
            ("ServiceAccount", ns, f"{full}-lvmd"),
            ("ConfigMap", ns, f"{full}-lvmd-0"),
            ("DaemonSet", ns, f"{full}-lvmd-0"),
        }
    scheduler = values["scheduler"]
    if scheduler["enabled"]:
        out |= {("ServiceAccount", ns, f"{full}-scheduler"), ("ConfigMap", ns, f"{full}-scheduler-options")}
        if scheduler["type"] == "daemonset":
            out.add(("DaemonSet", ns, f"{full}-scheduler"))
        else:
            out |= {
                ("Deployment", ns, f"{full}-scheduler"),
                ("Service", ns, f"{full}-scheduler"),
                ("PodDisruptionBudget", ns, f"{full}-scheduler"),
            }
    webhook = values["webhook"]
    if webhook["podMutatingWebhook"]["enabled"]:
        out.add(("MutatingWebhookConfiguration", None, f"{full}-hook"))
        if not webhook.get("caBundle") and webhook["certManager"]:
            out |= {
                ("Issuer", ns, f"{full}-webhook-selfsign"),
                ("Issuer", ns, f"{full}-webhook-ca"),
                ("Certificate", ns, f"{full}-webhook-ca"),
                ("Certificate", ns, f"{full}-mutatingwebhook"),
            }
    for entry in values["storageClasses"]:
        out.add(("StorageClass", None, entry["name"]))
    return out


# Objects apply makes that the chart does not: helm creates the namespace (the role applies it in helm mode
# too), VolumeSnapshotClasses and, with self-signed certificates, the webhook Secret the chart refers to by name.
def role_only(config):
    extra = {("Namespace", None, config["namespace"])}
    # The chart has no VolumeSnapshotClass; the role makes one per thin class and applies it in helm mode too.
    if config["snapshot"]:
        extra |= {("VolumeSnapshotClass", None, f"{config['name']}-thin")}
    if config["scheduling_mode"] != "storage-capacity" and config["cert_mode"] == "self-signed":
        extra.add(("Secret", config["namespace"], f"{config['name']}-mutatingwebhook"))
    return extra


def identities(objs):
    return {(o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"]) for o in objs}


CASES = [
    {},
    {"lvmd_managed": True, "snapshot": False, "priority_class": False},
    {"scheduling_mode": "extender-daemonset"},
    {"scheduling_mode": "extender-deployment", "cert_mode": "cert-manager", "legacy": True},
    {"scheduling_mode": "extender-deployment", "name": "lvm", "namespace": "storage"},
]


@pytest.mark.parametrize("change", CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()) or "defaults")
def test_apply_and_helm_manage_the_same_objects(change):
    config = chart_settings(**change)
    values = helm.helm_values(config, certificates=CHART_CERTS)
    rendered = identities(chart_build(config))
    expected = chart_objects(values, release=config["name"], namespace=config["namespace"])
    assert rendered - role_only(config) == expected
    # Nothing granted twice under two names: one binding per role.
    bindings = [o for o in chart_build(config) if o["kind"] in ("ClusterRoleBinding", "RoleBinding")]
    refs = [(b["kind"], b["roleRef"]["name"]) for b in bindings]
    assert len(refs) == len(set(refs))


def test_fullname_override_keeps_the_names_of_a_release_without_topolvm_in_it():
    values = helm.helm_values(chart_settings(name="lvm"), certificates=CHART_CERTS)
    assert values["fullnameOverride"] == "lvm"
    # Without the override the chart would name them lvm-topolvm-*; with it, like apply.
    assert ("Deployment", "topolvm-system", "lvm-controller") in chart_objects(values, "lvm", "topolvm-system")


def _rules(obj):
    """Rules as a set of (group, resource, verb), independent of how the chart groups and orders them."""
    return {
        (group, resource, verb)
        for rule in obj["rules"]
        for group in rule["apiGroups"]
        for resource in rule["resources"]
        for verb in rule["verbs"]
    }


def _expand(*rules):
    return {(g, r, v) for groups, resources, verbs in rules for g in groups for r in resources for v in verbs}


EVENTS = ([""], ["events"], ["list", "watch", "create", "update", "patch"])


LEASES = (["coordination.k8s.io"], ["leases"], ["get", "watch", "list", "delete", "update", "create"])


CRUD = ["get", "list", "watch", "create", "update", "patch", "delete"]


# From charts/topolvm/templates/controller/clusterroles.yaml, roles.yaml and node/clusterrole.yaml.
CHART_RULES = {
    ("ClusterRole", "topolvm-system:controller"): _expand(
        ([""], ["nodes"], ["get", "list", "patch", "update", "watch"]),
        ([""], ["persistentvolumeclaims"], ["delete", "get", "list", "update", "watch"]),
        ([""], ["pods"], ["get", "list", "update", "watch"]),
        (["storage.k8s.io"], ["csidrivers", "storageclasses"], ["get", "list", "watch"]),
        (["topolvm.io"], ["logicalvolumes"], CRUD),
        (["topolvm.io"], ["logicalvolumes/status"], ["get", "patch", "update"]),
    ),
    ("ClusterRole", "topolvm-system-external-provisioner-runner"): _expand(
        ([""], ["persistentvolumes"], ["get", "list", "watch", "create", "patch", "delete"]),
        ([""], ["persistentvolumeclaims"], ["get", "list", "watch", "update"]),
        (["storage.k8s.io"], ["storageclasses", "csinodes", "volumeattachments"], ["get", "list", "watch"]),
        EVENTS,
        (["snapshot.storage.k8s.io"], ["volumesnapshots"], ["get", "list", "watch", "update"]),
        (["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list"]),
        ([""], ["nodes"], ["get", "list", "watch"]),
    ),
    ("ClusterRole", "topolvm-system-external-resizer-runner"): _expand(
        ([""], ["persistentvolumes"], ["get", "list", "watch", "patch"]),
        ([""], ["persistentvolumeclaims", "pods"], ["get", "list", "watch"]),
        ([""], ["persistentvolumeclaims/status"], ["patch"]),
        EVENTS,
        (["storage.k8s.io"], ["volumeattributesclasses"], ["get", "list", "watch"]),
    ),
    ("ClusterRole", "topolvm-system-external-snapshotter-runner"): _expand(
        EVENTS,
        (["snapshot.storage.k8s.io"], ["volumesnapshotclasses"], ["get", "list", "watch"]),
        (["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list", "watch", "update", "patch"]),
        (["snapshot.storage.k8s.io"], ["volumesnapshotcontents/status"], ["update", "patch"]),
        (["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotclasses"], ["get", "list", "watch"]),
        (
            ["groupsnapshot.storage.k8s.io"],
            ["volumegroupsnapshotcontents"],
            ["get", "list", "watch", "update", "patch"],
        ),
        (["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotcontents/status"], ["update", "patch"]),
    ),
    ("ClusterRole", "topolvm-system:node"): _expand(
        ([""], ["nodes"], ["get", "list", "watch", "update", "patch"]),
        (["topolvm.io"], ["logicalvolumes", "logicalvolumes/status"], CRUD),
        (["storage.k8s.io"], ["csidrivers"], ["get", "list", "watch"]),
    ),
    ("Role", "leader-election"): _expand(
        (["", "coordination.k8s.io"], ["configmaps", "leases"], CRUD), ([""], ["events"], ["create", "patch"])
    ),
    ("Role", "external-provisioner-cfg"): _expand(
        LEASES,
        (["storage.k8s.io"], ["csistoragecapacities"], CRUD),
        ([""], ["pods"], ["get"]),
        (["apps"], ["replicasets"], ["get"]),
    ),
    ("Role", "external-resizer-cfg"): _expand(LEASES),
    ("Role", "external-snapshotter-leaderelection"): _expand(LEASES),
}


# binding name -> (role kind, role name, service account), from clusterrolebindings.yaml and rolebinding.yaml.
CHART_BINDINGS = {
    ("ClusterRoleBinding", "topolvm-system:controller"): ("ClusterRole", "topolvm-system:controller", "controller"),
    ("ClusterRoleBinding", "topolvm-system-csi-provisioner-role"): (
        "ClusterRole",
        "topolvm-system-external-provisioner-runner",
        "controller",
    ),
    ("ClusterRoleBinding", "topolvm-system-csi-resizer-role"): (
        "ClusterRole",
        "topolvm-system-external-resizer-runner",
        "controller",
    ),
    ("ClusterRoleBinding", "topolvm-system-csi-snapshotter-role"): (
        "ClusterRole",
        "topolvm-system-external-snapshotter-runner",
        "controller",
    ),
    ("ClusterRoleBinding", "topolvm-system:node"): ("ClusterRole", "topolvm-system:node", "node"),
    ("RoleBinding", "leader-election"): ("Role", "leader-election", "controller"),
    ("RoleBinding", "csi-provisioner-role-cfg"): ("Role", "external-provisioner-cfg", "controller"),
    ("RoleBinding", "csi-resizer-role-cfg"): ("Role", "external-resizer-cfg", "controller"),
    ("RoleBinding", "external-snapshotter-leaderelection"): (
        "Role",
        "external-snapshotter-leaderelection",
        "controller",
    ),
}


@pytest.mark.parametrize("snapshot", [True, False])
def test_every_rbac_rule_is_the_charts(snapshot):
    objs = chart_build(chart_settings(snapshot=snapshot))
    roles = {(o["kind"], o["metadata"]["name"]): o for o in objs if o["kind"] in ("ClusterRole", "Role")}
    assert set(roles) == set(CHART_RULES)
    for key, expected in CHART_RULES.items():
        assert _rules(roles[key]) == expected, key
    bindings = {
        (o["kind"], o["metadata"]["name"]): o for o in objs if o["kind"] in ("ClusterRoleBinding", "RoleBinding")
    }
    assert set(bindings) == set(CHART_BINDINGS)
    for key, (role_kind, role_name, account) in CHART_BINDINGS.items():
        binding = bindings[key]
        assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role_name}
        assert binding["subjects"] == [
            {"kind": "ServiceAccount", "name": f"topolvm-{account}", "namespace": "topolvm-system"}
        ]


def test_legacy_rbac_grants_the_status_to_the_component_that_writes_it():
    # topolvm/topolvm v0.41.0 (commit 4e49dc93bf57841d1b6134bef7e26038180a9dfb): the only Status().Update calls
    # are in internal/controller/logicalvolume_controller.go (LogicalVolumeReconciler.createLV/expandLV), which
    # cmd/topolvm-node/app/run.go runs, i.e. topolvm-node; internal/client/client.go
    # (wrappedSubResourceClient.Update) sends it to topolvm.cybozu.com when topolvm.UseLegacy(). topolvm-controller
    # only creates, patches and deletes LogicalVolumes (group of the plugin). Chart 17.1.0 (topolvm-chart-v17.1.0,
    # commit 83e3dcee2fd750e3c3f40f74faa90ced8e9676c7): controller/clusterroles.yaml hard-codes topolvm.io for
    # logicalvolumes/status (kubebuilder marker groups=topolvm.io); node/clusterrole.yaml grants logicalvolumes
    # and logicalvolumes/status in the plugin group. Render follows the chart, so both modes grant the same.
    objs = chart_build(chart_settings(legacy=True))

    def rules(name):
        role = next(o for o in objs if o["metadata"]["name"] == name and o["kind"] == "ClusterRole")
        return {(g, r) for rule in role["rules"] for g in rule["apiGroups"] for r in rule["resources"]}

    controller, node = rules("topolvm-system:controller"), rules("topolvm-system:node")
    assert ("topolvm.cybozu.com", "logicalvolumes") in controller
    assert ("topolvm.io", "logicalvolumes/status") in controller
    assert ("topolvm.cybozu.com", "logicalvolumes/status") not in controller
    assert {("topolvm.cybozu.com", "logicalvolumes"), ("topolvm.cybozu.com", "logicalvolumes/status")} <= node


def test_selectors_are_the_charts():
    objs = chart_build(chart_settings(lvmd_managed=True, scheduling_mode="extender-daemonset"))
    selectors = {
        o["metadata"]["name"]: o["spec"]["selector"]["matchLabels"]
        for o in objs
        if o["kind"] in ("Deployment", "DaemonSet")
    }
    base = {"app.kubernetes.io/name": "topolvm", "app.kubernetes.io/instance": "topolvm"}
    assert selectors == {
        "topolvm-controller": {**base, "app.kubernetes.io/component": "controller"},
        "topolvm-node": {**base, "app.kubernetes.io/component": "node"},
        "topolvm-scheduler": {**base, "app.kubernetes.io/component": "scheduler"},
        # templates/lvmd/daemonset.yaml: idx is part of the selector, which cannot change after creation.
        "topolvm-lvmd-0": {**base, "app.kubernetes.io/component": "lvmd", "idx": "0"},
    }
    for obj in objs:
        if obj["kind"] in ("Deployment", "DaemonSet"):
            template = obj["spec"]["template"]["metadata"]["labels"]
            assert selectors[obj["metadata"]["name"]].items() <= template.items()


def test_csidriver_and_crd_as_the_chart():
    capacity = {o["kind"]: o for o in chart_build(chart_settings())}
    assert capacity["CSIDriver"]["spec"] == {
        "storageCapacity": True,
        "attachRequired": False,
        "podInfoOnMount": True,
        "volumeLifecycleModes": ["Persistent"],
    }
    extender = {o["kind"]: o for o in chart_build(chart_settings(scheduling_mode="extender-daemonset"))}
    assert "storageCapacity" not in extender["CSIDriver"]["spec"]
    values = helm.helm_values(chart_settings(), certificates=CHART_CERTS)
    # The role keeps the CRD on uninstall; in helm mode it asks the chart for the same (crd.annotations).
    assert capacity["CustomResourceDefinition"]["metadata"]["annotations"] == values["crd"]["annotations"]


def test_image_reference_carries_the_charts_digest_for_the_default_version():
    config = chart_settings()
    images = {
        c["image"]
        for o in chart_build(config)
        if o["kind"] in ("Deployment", "DaemonSet")
        for c in o["spec"]["template"]["spec"]["containers"]
    }
    assert images == {f"ghcr.io/topolvm/topolvm-with-sidecar:0.41.0@{CHART_DIGEST}"}
    values = helm.helm_values(config, certificates=CHART_CERTS)
    assert values["image"] == {
        "repository": "ghcr.io/topolvm/topolvm-with-sidecar",
        "pullPolicy": "IfNotPresent",
        "reference": f"0.41.0@{CHART_DIGEST}",
    }


def test_chart_before_17_reads_image_tag():
    values = helm.helm_values(chart_settings(version="0.40.2", helm_chart_version="16.1.1"), certificates=CHART_CERTS)
    assert values["image"]["tag"] == "0.40.2"
    assert "reference" not in values["image"]
    values = helm.helm_values(chart_settings(helm_chart_version="17.0.0"), certificates=CHART_CERTS)
    assert values["image"]["reference"] == f"0.41.0@{CHART_DIGEST}"
    assert "tag" not in values["image"]


@pytest.mark.parametrize(
    ("change", "reference"),
    [
        ({"image_digest": "sha256:" + "a" * 64}, "0.41.0@sha256:" + "a" * 64),
        ({"image_tag": "0.41.0@sha256:" + "b" * 64}, "0.41.0@sha256:" + "b" * 64),
        ({"image_tag": "0.41.0-custom"}, "0.41.0-custom"),
        ({"version": "0.40.2", "image_digest": "sha256:" + "c" * 64}, "0.40.2@sha256:" + "c" * 64),
    ],
)
def test_users_pin_other_images(change, reference):
    config = chart_settings(**change)
    values = helm.helm_values(config, certificates=CHART_CERTS)
    assert values["image"]["reference"] == reference
    node = next(o for o in chart_build(config) if o["metadata"]["name"] == "topolvm-node" and o["kind"] == "DaemonSet")
    assert (
        node["spec"]["template"]["spec"]["containers"][0]["image"]
        == f"ghcr.io/topolvm/topolvm-with-sidecar:{reference}"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"image_tag": "0.41.0@sha256:" + "b" * 64, "image_digest": "sha256:" + "a" * 64}, "already carries a digest"),
        ({"image_digest": "md5:abc"}, "not a digest"),
        ({"helm_chart_version": "latest"}, "not a chart version"),
    ],
)
def test_bad_image_settings(change, message):
    with pytest.raises(TopolvmConfigError, match=message):
        chart_build(chart_settings(**change))
