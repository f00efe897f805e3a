# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's objects against the upstream chart (topolvm/topolvm chart 17.1.0, TopoLVM 0.41.0).

The expectations below are written by hand from the chart's templates (charts/topolvm/templates/**, read
with the search tools; the chart is not part of this repository): which objects the chart renders for a set
of values, under which names, with which RBAC rules and selectors. ``chart_objects`` walks the same
conditions the templates do, fed with the values the role sends to helm; comparing it with the objects
``apply``/``render`` make is the test that both modes manage the same objects (so switching modes leaves no
stale object and no duplicate grant).
"""

from __future__ import annotations

import base64

import pytest

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import lvmd_yaml
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import helm, objects
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm.settings import TopolvmConfigError

CA = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n").decode()
CERTS = {"ca_bundle": CA, "tls_crt": "CRT", "tls_key": "KEY"}
DCS = [
    {"name": "ssd", "volume_group": "vg-ssd", "default": True},
    {"name": "thin", "volume_group": "vg-ssd", "thin_pool": {"name": "pool0", "overprovision_ratio": 5}},
]
DIGEST = "sha256:5faf5b94557516ae0f6fa7d329a5a4305e22aa2dc464af7641b31f2aca618036"


def settings(**kwargs):
    return flt.with_defaults({"device_classes": DCS, **kwargs})


def build(config, **kwargs):
    return objects.build_manifests(config, certificates=CERTS, dump=lvmd_yaml, **kwargs)


# --------------------------------------------------------------------------- the chart's shape, by hand


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
    config = settings(**change)
    values = helm.helm_values(config, certificates=CERTS)
    rendered = identities(build(config))
    expected = chart_objects(values, release=config["name"], namespace=config["namespace"])
    assert rendered - role_only(config) == expected
    # Nothing granted twice under two names: one binding per role.
    bindings = [o for o in build(config) if o["kind"] in ("ClusterRoleBinding", "RoleBinding")]
    refs = [(b["kind"], b["roleRef"]["name"]) for b in bindings]
    assert len(refs) == len(set(refs))


def test_fullname_override_keeps_the_names_of_a_release_without_topolvm_in_it():
    values = helm.helm_values(settings(name="lvm"), certificates=CERTS)
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
    objs = build(settings(snapshot=snapshot))
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
    objs = build(settings(legacy=True))

    def rules(name):
        role = next(o for o in objs if o["metadata"]["name"] == name and o["kind"] == "ClusterRole")
        return {(g, r) for rule in role["rules"] for g in rule["apiGroups"] for r in rule["resources"]}

    controller, node = rules("topolvm-system:controller"), rules("topolvm-system:node")
    assert ("topolvm.cybozu.com", "logicalvolumes") in controller
    assert ("topolvm.io", "logicalvolumes/status") in controller
    assert ("topolvm.cybozu.com", "logicalvolumes/status") not in controller
    assert {("topolvm.cybozu.com", "logicalvolumes"), ("topolvm.cybozu.com", "logicalvolumes/status")} <= node


def test_selectors_are_the_charts():
    objs = build(settings(lvmd_managed=True, scheduling_mode="extender-daemonset"))
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
    capacity = {o["kind"]: o for o in build(settings())}
    assert capacity["CSIDriver"]["spec"] == {
        "storageCapacity": True,
        "attachRequired": False,
        "podInfoOnMount": True,
        "volumeLifecycleModes": ["Persistent"],
    }
    extender = {o["kind"]: o for o in build(settings(scheduling_mode="extender-daemonset"))}
    assert "storageCapacity" not in extender["CSIDriver"]["spec"]
    values = helm.helm_values(settings(), certificates=CERTS)
    # The role keeps the CRD on uninstall; in helm mode it asks the chart for the same (crd.annotations).
    assert capacity["CustomResourceDefinition"]["metadata"]["annotations"] == values["crd"]["annotations"]


def test_image_reference_carries_the_charts_digest_for_the_default_version():
    config = settings()
    images = {
        c["image"]
        for o in build(config)
        if o["kind"] in ("Deployment", "DaemonSet")
        for c in o["spec"]["template"]["spec"]["containers"]
    }
    assert images == {f"ghcr.io/topolvm/topolvm-with-sidecar:0.41.0@{DIGEST}"}
    values = helm.helm_values(config, certificates=CERTS)
    assert values["image"] == {
        "repository": "ghcr.io/topolvm/topolvm-with-sidecar",
        "pullPolicy": "IfNotPresent",
        "reference": f"0.41.0@{DIGEST}",
    }


def test_chart_before_17_reads_image_tag():
    values = helm.helm_values(settings(version="0.40.2", helm_chart_version="16.1.1"), certificates=CERTS)
    assert values["image"]["tag"] == "0.40.2"
    assert "reference" not in values["image"]
    values = helm.helm_values(settings(helm_chart_version="17.0.0"), certificates=CERTS)
    assert values["image"]["reference"] == f"0.41.0@{DIGEST}"
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
    config = settings(**change)
    values = helm.helm_values(config, certificates=CERTS)
    assert values["image"]["reference"] == reference
    node = next(o for o in build(config) if o["metadata"]["name"] == "topolvm-node" and o["kind"] == "DaemonSet")
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
        build(settings(**change))
