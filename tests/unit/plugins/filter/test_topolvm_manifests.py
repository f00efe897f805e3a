# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisive fields of the TopoLVM objects per scheduling mode, distribution, naming and certificate mode."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import device_classes, lvmd_config, lvmd_yaml
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests import placement
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import (
    helm,
    objects,
    settings,
    smoke,
    spec,
)

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
    return settings.deploy_facts(flt.with_defaults(config), **kwargs)


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
        ({"distribution": "k3s"}, "distribution"),
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


def test_filter_wraps_errors():
    with pytest.raises(AnsibleFilterError, match="TopoLVM configuration error"):
        flt.topolvm_manifests({"device_classes": []})
    assert set(flt.FilterModule().filters()) >= {"topolvm_manifests", "topolvm_helm_values", "topolvm_smoke_objects"}


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


def test_render_files_and_kustomization():
    objs = build(cfg(scheduling_mode="extender-daemonset"))
    files = flt.topolvm_render_files(objs, "0.41.0", "/keys")
    names = [f["name"] for f in files]
    assert names[0] == "001-namespace-topolvm-system.yaml"
    assert names[1] == "002-customresourcedefinition-logicalvolumes.topolvm.io.yaml"
    assert names[-1] == "kustomization.yaml"
    assert len(set(names)) == len(objs) + 1
    for file, obj in zip(files, objs, strict=False):
        assert file["content"].startswith("# Rendered by the lvmkube.cluster.topolvm role (TopoLVM 0.41.0)")
        assert yaml.safe_load(file["content"]) == obj
        assert file["mode"] == ("0600" if obj["kind"] == "Secret" else "0644")
    secret = next(f for f in files if "-secret-" in f["name"])
    assert "private key" in secret["content"].splitlines()[1]
    assert "/keys" in secret["content"].splitlines()[1]
    assert yaml.safe_load(files[-1]["content"]) == {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": names[:-1],
    }
    with pytest.raises(AnsibleFilterError):
        flt.topolvm_render_files("not a list")


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


def test_smoke_objects_share_the_claim_and_marker():
    objs = smoke.smoke_objects("topolvm-ssd", marker="m-123")
    assert objs["pvc"]["spec"]["storageClassName"] == "topolvm-ssd"
    for role in ("writer", "reader"):
        pod = objs[role]["spec"]
        assert pod["volumes"][0]["persistentVolumeClaim"]["claimName"] == objs["pvc"]["metadata"]["name"]
        assert pod["restartPolicy"] == "Never"
    assert objs["writer"]["spec"]["containers"][0]["env"] == [{"name": "MARKER", "value": "m-123"}]
    assert "/data/marker" in objs["reader"]["spec"]["containers"][0]["command"][-1]
    with pytest.raises(settings.TopolvmConfigError):
        smoke.smoke_objects("Not A Class")


def test_settings_have_one_source():
    root = Path(__file__).resolve().parents[4]
    spec_file = yaml.safe_load((root / "roles/topolvm/meta/argument_specs.yml").read_text())["argument_specs"]["main"]
    # The settings are the argument spec's options; no defaults table besides the argument spec.
    assert set(spec.names()) == {name.removeprefix("topolvm_") for name in spec_file["options"]}
    assert not hasattr(settings, "DEFAULTS") and not hasattr(settings, "SETTINGS")
    defaults = flt.with_defaults({})
    assert defaults["version"] == spec_file["options"]["topolvm_version"]["default"]
    assert defaults["device_classes"] == []  # templated default: the role's own lvmkube_device_classes


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


def test_extender_url_from_the_service_address_apply_reads_back():
    deployment = cfg(scheduling_mode="extender-deployment")
    # tasks/apply.yml passes the cluster IP it read from the Service to the filter (second argument).
    assert flt.topolvm_facts(deployment, "10.43.0.7")["extender_url"] == "http://10.43.0.7:9251"
    assert flt.topolvm_facts(deployment)["extender_url"] == "http://topolvm-scheduler.topolvm-system.svc:9251"
    # The DaemonSet listens on each control-plane host; storage-capacity has no extender.
    daemonset = cfg(scheduling_mode="extender-daemonset", scheduler_port=9300)
    assert flt.topolvm_facts(daemonset, "10.43.0.7")["extender_url"] == "http://127.0.0.1:9300"
    assert flt.topolvm_facts(cfg(), "10.43.0.7")["extender_url"] == ""


def test_the_role_builds_no_extender_url_itself():
    root = Path(__file__).resolve().parents[4]
    tasks = {}
    for path in (root / "roles/topolvm/tasks").glob("*.yml"):
        text = path.read_text()
        assert "http://" not in text, path.name  # URLs come from the filters only
        tasks[path.name] = yaml.safe_load(text)
    (readback,) = [
        t
        for t in tasks["main.yml"]
        if "topolvm_extender_url" in t.get("ansible.builtin.set_fact", {})
        and "topolvm__scheduler_service" in t["ansible.builtin.set_fact"]["topolvm_extender_url"]
    ]
    assert (
        "lvmkube.cluster.topolvm_facts(topolvm__scheduler_service.resources[0].spec.clusterIP)"
        in (readback["ansible.builtin.set_fact"]["topolvm_extender_url"])
    )


def test_settings_are_checked_before_any_certificate_and_without_one():
    root = Path(__file__).resolve().parents[4]
    main = yaml.safe_load((root / "roles/topolvm/tasks/main.yml").read_text())
    names = [t["name"] for t in main]
    check = main[names.index("Check the TopoLVM settings")]
    certificates = main[names.index("Make the self-signed webhook certificates")]
    assert names.index("Check the TopoLVM settings") < names.index("Make the self-signed webhook certificates")
    assert (
        check["ansible.builtin.set_fact"]["topolvm__facts"] == "{{ topolvm__config | lvmkube.cluster.topolvm_facts }}"
    )
    assert certificates["ansible.builtin.include_tasks"]["file"] == "certificates.yml"
    # The facts filter checks every setting and needs no certificate, also in an extender mode with self-signed.
    with pytest.raises(AnsibleFilterError, match="device class"):
        flt.topolvm_facts(cfg(scheduling_mode="extender-daemonset", device_classes=[]))
    assert flt.topolvm_facts(cfg(scheduling_mode="extender-daemonset"))["webhook_enabled"] is True
