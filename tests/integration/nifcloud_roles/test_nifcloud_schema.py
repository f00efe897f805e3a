# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every object the nifcloud_ccm and nifcloud_csi roles render, for each distribution and option, is valid for every
Kubernetes version kubernetes-validate ships (strict schemas: unknown fields are errors)."""

from __future__ import annotations

import pytest
from k8s_schema_helpers import shipped_versions, validate_object

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud import ccm, common, csi
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.csi_settings import DISK_TYPES, FSTYPES

VERSIONS = shipped_versions()
# One distribution per placement (placement.placement_family): the others render the same objects.
ONE_PER_PLACEMENT = ("kubeadm", "rke1", "rke2")
ALL_CLASSES = [
    {"name": f"nifcloud-{disk}", "type": disk, "fstype": fs, "accounting_type": acc}
    for disk, fs, acc in zip(DISK_TYPES, (FSTYPES * 3)[: len(DISK_TYPES)], ("monthly", "hourly", "") * 4, strict=False)
] + [
    {
        "name": "nifcloud-retain-immediate",
        "type": "flash",
        "reclaim_policy": "Retain",
        "volume_binding_mode": "Immediate",
        "allow_volume_expansion": False,
        "default": True,
        "annotations": {"example.com/team": "db"},
        "mount_options": ["noatime"],
    }
]


def _secret():
    return common.credentials_secret("nifcloud-secret", "kube-system", "AKEXAMPLE", "SKEXAMPLE")


def _validate_all(objects, version):
    for obj in objects:
        assert validate_object(obj, version) == "validated"


@pytest.mark.slow
@pytest.mark.parametrize("distribution", ONE_PER_PLACEMENT)
@pytest.mark.parametrize("extra_args", [[], ["--v=4", "--concurrent-service-syncs=2"]], ids=["plain", "extra-args"])
def test_ccm_objects_are_valid_for_every_version(distribution, extra_args):
    # 1.24 has no schemas in kubernetes-validate: its rendering is checked against the oldest shipped.
    for render_version, schema_version in [("1.24", VERSIONS[0])] + [(v, v) for v in VERSIONS]:
        objects = ccm.ccm_objects(
            {
                "region": "jp-east-1",
                "distribution": distribution,
                "kubernetes_version": render_version,
                "extra_args": extra_args,
            }
        )
        assert [o["kind"] for o in objects] == [
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "RoleBinding",
            "DaemonSet",
        ]
        _validate_all([*objects, _secret()], schema_version)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("classes", "options"),
    [
        ([], {}),
        (ALL_CLASSES, {}),
        (
            ALL_CLASSES[:1],
            {
                "namespace": "nifcloud-system",
                "controller_replicas": 1,
                "kubelet_dir": "/var/lib/rancher/kubelet",
                "image_tag": "v1.1.0@sha256:" + "0" * 64,
                "sidecar_images": {"provisioner": "mirror.example:5000/csi-provisioner:v5.0.0"},
            },
        ),
    ],
    ids=["no-classes", "every-disk-type", "mirror-and-options"],
)
def test_csi_objects_are_valid_for_every_version(classes, options):
    for version in VERSIONS:
        raw = dict(options, region="jp-west-1", storage_classes=classes, kubernetes_version=version)
        objects = csi.csi_objects(raw)
        assert sum(o["kind"] == "StorageClass" for o in objects) == len(classes)
        _validate_all([*objects, _secret()], version)


def test_a_broken_object_is_reported():
    objects = csi.csi_objects({"region": "jp-east-1", "storage_classes": ALL_CLASSES[:1]})
    driver = next(o for o in objects if o["kind"] == "CSIDriver")
    driver["spec"]["attachRequiredd"] = True
    with pytest.raises(AssertionError, match="attachRequiredd"):
        validate_object(driver, VERSIONS[-1])
