# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""StorageClasses and VolumeSnapshotClasses (one per thin device class), and the current defaults."""

from __future__ import annotations

from pathlib import Path

import yaml

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.filter.device_classes import lvmd_yaml
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import facts as facts_module
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import objects, settings

ROOT = Path(__file__).resolve().parents[6]
DCS = [
    {"name": "ssd", "volume_group": "vg0", "default": True},
    {"name": "thin", "volume_group": "vg0", "thin_pool": {"name": "pool0", "overprovision_ratio": 5}},
]


def build(**kwargs):
    return objects.build_manifests(flt.with_defaults({"device_classes": DCS, **kwargs}), dump=lvmd_yaml)


def test_a_snapshot_class_per_thin_device_class():
    classes = [o for o in build() if o["kind"] == "VolumeSnapshotClass"]
    assert classes == [
        {
            "apiVersion": "snapshot.storage.k8s.io/v1",
            "kind": "VolumeSnapshotClass",
            "metadata": {
                "name": "topolvm-thin",
                "labels": {
                    "app.kubernetes.io/name": "topolvm",
                    "app.kubernetes.io/instance": "topolvm",
                    "app.kubernetes.io/version": "0.41.0",
                    "app.kubernetes.io/managed-by": "lvmkube.cluster",
                    "topolvm.io/device-class": "thin",
                },
            },
            "driver": "topolvm.io",
            "deletionPolicy": "Delete",
        }
    ]
    assert not [o for o in build(snapshot=False) if o["kind"] == "VolumeSnapshotClass"]
    legacy = next(o for o in build(legacy=True) if o["kind"] == "VolumeSnapshotClass")
    assert legacy["driver"] == "topolvm.cybozu.com"
    assert facts_module.deploy_facts(flt.with_defaults({"device_classes": DCS}))["thin_device_classes"] == ["thin"]


def test_current_defaults():
    spec = yaml.safe_load((ROOT / "roles/topolvm/meta/argument_specs.yml").read_text())["argument_specs"]["main"]
    options = spec["options"]
    # No fixed old version: read from the cluster, or the newest TopoLVM 0.41 supports when rendering.
    assert options["topolvm_kubernetes_version"]["default"] == ""
    cfg = settings.normalize_config(flt.with_defaults({"device_classes": DCS}))
    assert cfg["kubernetes_minor"] == (1, 35)
    assert (1, 33) <= settings.parse_kubernetes_version(settings.RENDER_KUBERNETES_VERSION) <= (1, 35)
    # cert-manager's version is written once; the manifest URL is made from it.
    assert options["topolvm_cert_manager_version"]["default"] == "v1.20.3"
    assert "{{ topolvm_cert_manager_version }}" in options["topolvm_cert_manager_manifest"]["default"]
    role_text = "".join(p.read_text() for p in (ROOT / "roles/topolvm").rglob("*.yml"))
    assert role_text.count("v1.20.3") == 2  # defaults/main.yml and its argument spec
