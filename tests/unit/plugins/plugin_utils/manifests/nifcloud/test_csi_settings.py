# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of the NIFCLOUD CSI driver settings: StorageClasses, sidecars, numbers that arrive as text."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import NifcloudConfigError
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.csi_settings import (
    DISK_TYPES,
    csi_facts,
    normalize_csi,
    storage_classes,
)

REGION = {"region": "jp-east-1"}


def test_unknown_disk_type_lists_the_valid_ones():
    with pytest.raises(NifcloudConfigError) as error:
        storage_classes([{"name": "ssd", "type": "ssd"}])
    message = str(error.value)
    assert "'ssd'" in message
    for disk_type in DISK_TYPES:
        assert disk_type in message


@pytest.mark.parametrize(
    ("classes", "message"),
    [
        ([{"name": "a", "type": "standard"}, {"name": "a", "type": "flash"}], "listed twice"),
        ([{"name": "A", "type": "standard"}], "not a valid Kubernetes name"),
        ([{"name": "fast\n", "type": "standard"}], "not a valid Kubernetes name"),
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
    with pytest.raises(NifcloudConfigError, match=message):
        storage_classes(classes)


def test_nifcloud_csi_text_numbers():
    # Before ansible-core 2.19 the role's "{{ x | int }}" settings arrive as text.
    cfg = normalize_csi({"region": "jp-east-1", "controller_replicas": "2", "log_level": "4"})
    assert (cfg["controller_replicas"], cfg["log_level"]) == (2, 4)
    with pytest.raises(NifcloudConfigError, match="must be an integer"):
        normalize_csi({"region": "jp-east-1", "controller_replicas": "2x"})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (dict(REGION, sidecar_images={"snapshotter": "x:1"}), r"sidecar_images has unknown key\(s\): snapshotter"),
        (dict(REGION, sidecar_images={"resizer": "a b"}), "sidecar_images.resizer must be an image reference"),
        (dict(REGION, sidecars={"provisioner": {"timeout": "soon"}}), "is not a duration"),
        (dict(REGION, sidecars={"provisioner": {"timeout": "600s\n"}}), "is not a duration"),
        (dict(REGION, node={"extra_env": [{"name": "NODE_NAME", "value": "x"}]}), "NODE_NAME is set twice"),
        (dict(REGION, controller={"replicas": 2}), r"controller has unknown key\(s\): replicas"),
        (dict(REGION, node={"resources": []}), "node.resources must be a dict"),
    ],
)
def test_bad_component_settings_are_refused(raw, message):
    with pytest.raises(NifcloudConfigError, match=message):
        normalize_csi(raw)


def test_csi_facts_name_the_storage_classes_and_the_driver():
    facts = csi_facts(dict(REGION, storage_classes=[{"name": "std", "type": "standard"}]))
    assert facts == {
        "secret_name": "nifcloud-additional-storage-csi-secret",
        "namespace": "kube-system",
        "version": "1.1.0",
        "storage_classes": ["std"],
        "driver_name": "additional-storage.csi.nifcloud.com",
    }
