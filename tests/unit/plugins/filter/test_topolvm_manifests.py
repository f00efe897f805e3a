# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The TopoLVM filters: settings completed from the role's argument spec, errors as filter errors, rendered files,
the extender URL read back, the inventory's nodes."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.module_utils.distribution import DISTRIBUTIONS
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests import placement
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import (
    settings,
    spec,
)

CA = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n").decode()


DCS = [
    {"name": "ssd", "volume_group": "vg-ssd", "default": True, "spare_gb": 10},
    {"name": "hdd", "volume_group": "vg-hdd"},
]


CERTS = {"ca_bundle": CA, "tls_crt": "CRT", "tls_key": "KEY"}


def cfg(**kwargs):
    return {"device_classes": DCS, **kwargs}


def test_filter_wraps_errors():
    with pytest.raises(AnsibleFilterError, match="TopoLVM configuration error"):
        flt.topolvm_manifests({"device_classes": []})
    assert set(flt.FilterModule().filters()) >= {"topolvm_manifests", "topolvm_helm_values", "topolvm_smoke_objects"}


def test_render_files_and_kustomization():
    objs = flt.topolvm_manifests(cfg(scheduling_mode="extender-daemonset"), CERTS)
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


def test_settings_have_one_source():
    root = Path(__file__).resolve().parents[4]
    spec_file = yaml.safe_load((root / "roles/topolvm/meta/argument_specs.yml").read_text())["argument_specs"]["main"]
    # The settings are the argument spec's options; no defaults table besides the argument spec.
    assert set(spec.names()) == {name.removeprefix("topolvm_") for name in spec_file["options"]}
    assert not hasattr(settings, "DEFAULTS") and not hasattr(settings, "SETTINGS")
    defaults = flt.with_defaults({})
    assert defaults["version"] == spec_file["options"]["topolvm_version"]["default"]
    assert defaults["device_classes"] == []  # templated default: the role's own lvmkube_device_classes


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


INVENTORY_SMALL = [{"name": "ssd", "volume_group": "vg-ssd", "default": True}]


def test_inventory_nodes_filter():
    hostvars = {
        "a": {"lvmkube_device_classes": INVENTORY_SMALL},
        "b": {"topolvm_node_name": "b.example"},
    }
    assert flt.topolvm_inventory_nodes(["a", "b"], hostvars) == [
        {"name": "a", "device_classes": INVENTORY_SMALL},
        {"name": "b.example", "device_classes": []},
    ]
    assert flt.topolvm_inventory_nodes(None, hostvars) == []


@pytest.mark.parametrize("name", [*DISTRIBUTIONS, "rancher", "rancher2", "RKE2"])
def test_every_distribution_of_the_vocabulary_through_the_filter(name):
    # Old values (kubeadm, rke1, rke2) and the new names: topolvm-scheduler placed by the distribution's family.
    objs = flt.topolvm_manifests(cfg(scheduling_mode="extender-daemonset", distribution=name), certificates=CERTS)
    daemonset = next(o for o in objs if o["kind"] == "DaemonSet" and o["metadata"]["name"] == "topolvm-scheduler")
    pod = daemonset["spec"]["template"]["spec"]
    affinity, tolerations = placement.scheduler_placement(name, (1, 33))
    assert (pod["affinity"], pod["tolerations"]) == (affinity, tolerations)


def test_distribution_outside_the_vocabulary_is_refused_by_the_filter():
    with pytest.raises(AnsibleFilterError, match="distribution: 'openshift' is not a distribution; use one of"):
        flt.topolvm_manifests(cfg(distribution="openshift"), certificates=CERTS)


def test_distribution_defaults_to_the_fallback_of_the_argument_spec_template():
    # topolvm_distribution's default is "{{ lvmkube_distribution | default('kubeadm') }}": direct callers get kubeadm.
    assert flt.with_defaults({})["distribution"] == "kubeadm"
