# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisive fields of the NIFCLOUD cloud controller manager and CSI driver objects, the StorageClass checks, the
credentials Secret and the rendered files."""

from __future__ import annotations

import base64

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.filter import nifcloud_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.module_utils import distribution as vocabulary
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests import placement
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud import manifests as nm

REGION = {"region": "jp-east-1"}


def find(objects, kind, name=None):
    return next(o for o in objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name))


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


def env_of(container):
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container["env"]}


def test_ccm_flags_env_and_placement():
    objects = nm.ccm_objects(dict(REGION, extra_args=["--v=2"]))
    ds = find(objects, "DaemonSet")
    spec = pod_spec(ds)
    container = spec["containers"][0]
    assert container["image"] == "ghcr.io/nifcloud/nifcloud-cloud-controller-manager:v1.2.0"
    assert container["args"] == [
        "--cloud-provider=nifcloud",
        "--leader-elect=true",
        "--use-service-account-credentials",
        "--v=2",
    ]
    env = env_of(container)
    assert env["NIFCLOUD_REGION"] == "jp-east-1"
    assert env["NIFCLOUD_ACCESS_KEY_ID"] == {
        "secretKeyRef": {"name": "nifcloud-cloud-controller-manager-secret", "key": "access_key_id"}
    }
    assert env["NIFCLOUD_SECRET_ACCESS_KEY"]["secretKeyRef"]["key"] == "secret_access_key"
    assert env["NODE_NAME"] == {"fieldRef": {"fieldPath": "spec.nodeName"}}
    assert spec["hostNetwork"] is True
    taints = {(t.get("key"), t.get("effect")) for t in spec["tolerations"]}
    assert ("node.cloudprovider.kubernetes.io/uninitialized", "NoSchedule") in taints
    assert ("node-role.kubernetes.io/control-plane", "NoSchedule") in taints
    binding = find(objects, "RoleBinding")
    assert binding["metadata"]["namespace"] == "kube-system"
    assert binding["roleRef"]["name"] == "extension-apiserver-authentication-reader"
    assert find(objects, "ClusterRole")["metadata"]["name"] == "system:nifcloud-cloud-controller-manager"


def test_ccm_follows_the_distribution():
    rke2 = pod_spec(find(nm.ccm_objects(dict(REGION, distribution="rke2")), "DaemonSet"))
    terms = rke2["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert terms[0]["matchExpressions"][0]["values"] == ["true"]
    rke1 = pod_spec(find(nm.ccm_objects(dict(REGION, distribution="rke1")), "DaemonSet"))
    assert "node-role.kubernetes.io/controlplane" in {t.get("key") for t in rke1["tolerations"]}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "region ''"),
        ({"region": "tokyo"}, "region 'tokyo'"),
        (dict(REGION, extra_args=["--cloud-provider=aws"]), "must not repeat"),
        (dict(REGION, extra_args=["v=2"]), "list of flags"),
        (dict(REGION, distribution="openshift"), "distribution"),
        (dict(REGION, colour="red"), "unknown setting"),
        (dict(REGION, version="latest"), "not a release"),
    ],
)
def test_ccm_bad_settings_are_refused(raw, message):
    with pytest.raises(nm.NifcloudConfigError, match=message):
        nm.ccm_objects(raw)


def test_csi_objects_follow_the_chart():
    objects = nm.csi_objects(dict(REGION, storage_classes=[{"name": "std", "type": "standard"}]))
    assert find(objects, "CSIDriver")["metadata"]["name"] == "additional-storage.csi.nifcloud.com"
    controller = pod_spec(find(objects, "Deployment"))
    names = [c["name"] for c in controller["containers"]]
    assert names == ["controller", "csi-provisioner", "csi-attacher", "csi-resizer", "liveness-probe"]
    assert "--default-fstype=ext4" in controller["containers"][1]["args"]
    assert "--feature-gates=Topology=true" in controller["containers"][1]["args"]
    node = pod_spec(find(objects, "DaemonSet"))
    plugin = node["containers"][0]
    assert env_of(plugin)["NODE_NAME"] == {"fieldRef": {"fieldPath": "spec.nodeName"}}
    assert (
        env_of(plugin)["NIFCLOUD_SECRET_ACCESS_KEY"]["secretKeyRef"]["name"] == "nifcloud-additional-storage-csi-secret"
    )
    registrar = env_of(node["containers"][1])
    assert registrar["DRIVER_REG_SOCK_PATH"] == "/var/lib/kubelet/plugins/additional-storage.csi.nifcloud.com/csi.sock"
    for spec in (controller, node):
        assert {
            "key": "node.cloudprovider.kubernetes.io/uninitialized",
            "value": "true",
            "effect": "NoSchedule",
        } in spec["tolerations"]
    sc = find(objects, "StorageClass")
    assert sc["provisioner"] == "additional-storage.csi.nifcloud.com"
    assert sc["parameters"] == {"csi.storage.k8s.io/fstype": "ext4", "type": "standard"}
    assert sc["volumeBindingMode"] == "WaitForFirstConsumer"
    assert sc["allowVolumeExpansion"] is True
    assert sc["reclaimPolicy"] == "Delete"


def test_storage_class_options():
    classes = nm.storage_classes(
        [
            {
                "name": "fast",
                "type": "high-speed-flash-a",
                "fstype": "xfs",
                "accounting_type": "monthly",
                "default": True,
            },
            {"name": "keep", "type": "flash", "reclaim_policy": "Retain", "allow_volume_expansion": False},
        ]
    )
    assert nm.storage_class_parameters(classes[0]) == {
        "csi.storage.k8s.io/fstype": "xfs",
        "type": "high-speed-flash-a",
        "accountingType": "monthly",
    }
    objects = nm.csi_objects(dict(REGION, storage_classes=[dict(c, type=c["type"]) for c in classes]))
    fast = find(objects, "StorageClass", "fast")
    assert fast["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    keep = find(objects, "StorageClass", "keep")
    assert keep["reclaimPolicy"] == "Retain"
    assert keep["allowVolumeExpansion"] is False


def test_unknown_disk_type_lists_the_valid_ones():
    with pytest.raises(nm.NifcloudConfigError) as error:
        nm.storage_classes([{"name": "ssd", "type": "ssd"}])
    message = str(error.value)
    assert "'ssd'" in message
    for disk_type in nm.DISK_TYPES:
        assert disk_type in message


@pytest.mark.parametrize(
    ("classes", "message"),
    [
        ([{"name": "a", "type": "standard"}, {"name": "a", "type": "flash"}], "listed twice"),
        ([{"name": "A", "type": "standard"}], "not a valid Kubernetes name"),
        ([{"name": "a", "type": "standard", "fstype": "btrfs"}], "fstype"),
        ([{"name": "a", "type": "standard", "accounting_type": "yearly"}], "accounting_type"),
        ([{"name": "a", "type": "standard", "size": "1Gi"}], "unknown key"),
        (
            [{"name": "a", "type": "standard", "default": True}, {"name": "b", "type": "flash", "default": True}],
            "default",
        ),
        ([{"name": "a", "type": "standard", "volume_binding_mode": "Later"}], "volume_binding_mode"),
        ("a", "must be a list"),
    ],
)
def test_bad_storage_classes_are_refused(classes, message):
    with pytest.raises(nm.NifcloudConfigError, match=message):
        nm.storage_classes(classes)


def test_secret_holds_the_credentials_and_errors_never_show_them():
    secret = nm.credentials_secret("s", "kube-system", "AK-VALUE", "SK-VALUE")
    assert {k: base64.b64decode(v).decode() for k, v in secret["data"].items()} == {
        "access_key_id": "AK-VALUE",
        "secret_access_key": "SK-VALUE",
    }
    with pytest.raises(nm.NifcloudConfigError) as error:
        nm.credentials_secret("s", "kube-system", "AK-VALUE", " ")
    assert "AK-VALUE" not in str(error.value)
    assert "secret access key is empty" in str(error.value)


def test_helm_values_describe_the_same_installation():
    ccm = nm.ccm_helm_values(dict(REGION, image_tag="v1.2.1"))
    assert ccm["image"]["tag"] == "v1.2.1"
    assert ccm["nifcloud"] == {
        "region": "jp-east-1",
        "accessKeyId": {"secretName": "nifcloud-cloud-controller-manager-secret", "key": "access_key_id"},
        "secretAccessKey": {"secretName": "nifcloud-cloud-controller-manager-secret", "key": "secret_access_key"},
    }
    assert ccm["tolerations"] == pod_spec(find(nm.ccm_objects(REGION), "DaemonSet"))["tolerations"]
    raw = dict(
        REGION,
        storage_classes=[{"name": "std", "type": "standard", "default": True}],
        sidecar_images={"resizer": "mirror.example:5000/sig/csi-resizer:v1.9.0@sha256:abc"},
    )
    csi = nm.csi_helm_values(raw)
    assert csi["sidecars"]["resizer"]["image"] == {
        "repository": "mirror.example:5000/sig/csi-resizer",
        "tag": "v1.9.0@sha256:abc",
    }
    sc = find(nm.csi_objects(raw), "StorageClass")
    chart_sc = csi["storageClasses"][0]
    assert chart_sc["parameters"] == sc["parameters"]
    assert chart_sc["annotations"] == sc["metadata"]["annotations"]
    assert chart_sc["volumeBindingMode"] == sc["volumeBindingMode"]


def test_filters_wrap_errors_and_render_files():
    with pytest.raises(AnsibleFilterError, match="NIFCLOUD configuration error"):
        flt.nifcloud_manifests({}, "ccm")
    with pytest.raises(AnsibleFilterError, match="component"):
        flt.nifcloud_manifests(REGION, "lb")
    objects = flt.nifcloud_manifests(REGION, "ccm")
    files = flt.nifcloud_render_files(objects, "ccm", "1.2.0", "my-secret")
    assert [f["name"] for f in files][-1] == "kustomization.yaml"
    assert "my-secret" in files[-1]["content"]
    assert yaml.safe_load(files[0]["content"]) == objects[0]
    secret = flt.nifcloud_secret("my-secret", "kube-system", "AK", "SK")
    with_secret = flt.nifcloud_render_files([secret, *objects], "ccm", "1.2.0", "my-secret")
    assert with_secret[0]["mode"] == "0600"
    assert "not rendered" not in with_secret[-1]["content"]
    facts = flt.nifcloud_facts(dict(REGION, storage_classes=[{"name": "std", "type": "standard"}]), "csi")
    assert facts["storage_classes"] == ["std"]
    assert facts["secret_name"] == "nifcloud-additional-storage-csi-secret"


@pytest.mark.parametrize("name", [*vocabulary.DISTRIBUTIONS, "rancher", "rancher2"])
def test_every_distribution_of_the_vocabulary_through_the_filter(name):
    # The CCM is placed by the distribution's family like topolvm-scheduler; the CSI objects are the same everywhere.
    ccm = flt.nifcloud_manifests(dict(REGION, distribution=name, kubernetes_version="1.33"), "ccm")
    affinity, _tolerations = placement.scheduler_placement(name, (1, 33))
    assert pod_spec(find(ccm, "DaemonSet"))["affinity"] == affinity
    csi = flt.nifcloud_manifests(dict(REGION, distribution=name), "csi")
    assert csi == flt.nifcloud_manifests(dict(REGION, distribution="kubeadm"), "csi")


@pytest.mark.parametrize("component", ["ccm", "csi"])
def test_distribution_outside_the_vocabulary_is_refused_by_the_filter(component):
    with pytest.raises(AnsibleFilterError, match="distribution: 'openshift' is not a distribution; use one of"):
        flt.nifcloud_manifests(dict(REGION, distribution="openshift"), component)
