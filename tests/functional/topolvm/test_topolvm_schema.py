# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every TopoLVM mode x distribution x naming x certificate mode renders objects that are valid for
every Kubernetes version kubernetes-validate ships (strict schemas: unknown fields are errors)."""

from __future__ import annotations

import itertools

import pytest
from k8s_schema_helpers import fake_pem_bundle, shipped_versions, validate_object

from ansible_collections.lvmkube.cluster.plugins.module_utils import topolvm_manifests as tm

VERSIONS = shipped_versions()
DEVICE_CLASSES = [
    {"name": "ssd", "volume-group": "vg-ssd", "default": True, "spare-gb": 10},
    {"name": "hdd", "volume-group": "vg-hdd"},
]
LVMD_TEXT = "socket-name: /run/topolvm/lvmd.sock\ndevice-classes:\n- name: ssd\n  volume-group: vg-ssd\n"


def _combinations():
    for mode, distribution, legacy, lvmd in itertools.product(
        tm.SCHEDULING_MODES, tm.DISTRIBUTIONS, (False, True), (False, True)
    ):
        cert_modes = ("none",) if mode == "storage-capacity" else tm.CERT_MODES
        for cert in cert_modes:
            yield pytest.param(
                mode,
                distribution,
                legacy,
                lvmd,
                cert,
                id=f"{mode}-{distribution}-{'legacy' if legacy else 'io'}-{'lvmd' if lvmd else 'hostlvmd'}-{cert}",
            )


def _config(mode, distribution, legacy, lvmd, cert, *, version):
    cfg = {
        "scheduling_mode": mode,
        "distribution": distribution,
        "legacy": legacy,
        "kubernetes_version": version,
        "device_classes": DEVICE_CLASSES,
        "lvmd_managed": lvmd,
        "lvmd_config_text": LVMD_TEXT if lvmd else "",
    }
    if cert != "none":
        cfg["cert_mode"] = cert
    if cert == "self-signed":
        cfg.update(webhook_ca_bundle=fake_pem_bundle(), webhook_tls_crt="crt", webhook_tls_key="key")
    return cfg


def test_versions_cover_1_25_to_newest():
    assert VERSIONS[0] == "1.25"
    assert len(VERSIONS) >= 13  # 1.25 .. 1.37 with kubernetes-validate 1.37


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "distribution", "legacy", "lvmd", "cert"), list(_combinations()))
def test_every_object_is_valid_for_every_version(mode, distribution, legacy, lvmd, cert):
    # 1.24 has no schemas in kubernetes-validate: its rendering is checked against the oldest shipped (1.25).
    targets = [("1.24", VERSIONS[0])] + [(v, v) for v in VERSIONS]
    for render_version, schema_version in targets:
        objects = tm.build_manifests(_config(mode, distribution, legacy, lvmd, cert, version=render_version))
        outcomes = [validate_object(obj, schema_version) for obj in objects]
        skipped = {obj["kind"] for obj, out in zip(objects, outcomes, strict=True) if out == "custom"}
        assert skipped <= {"Issuer", "Certificate"}
        assert bool(skipped) == (cert == "cert-manager")
        # Everything that is not a cert-manager object was checked against a real schema.
        assert outcomes.count("validated") == len(objects) - (4 if cert == "cert-manager" else 0)


def test_invalid_object_is_reported():
    objects = tm.build_manifests(_config("storage-capacity", "kubeadm", False, False, "none", version="1.30"))
    driver = next(o for o in objects if o["kind"] == "CSIDriver")
    driver["spec"]["storageCapacityy"] = True
    with pytest.raises(AssertionError, match="storageCapacityy"):
        validate_object(driver, "1.30")
    daemonset = next(o for o in objects if o["kind"] == "DaemonSet")
    daemonset["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "not-a-port"
    with pytest.raises(AssertionError, match="DaemonSet"):
        validate_object(daemonset, "1.37")


def test_unknown_core_kind_is_an_error():
    with pytest.raises(AssertionError, match="no Kubernetes"):
        validate_object({"apiVersion": "v1", "kind": "Podd", "metadata": {"name": "x"}}, "1.30")


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_smoke_test_objects_are_valid(version):
    objs = tm.smoke_objects("topolvm-ssd", marker="lvmkube-marker")
    for obj in objs.values():
        assert validate_object(obj, version) == "validated"
