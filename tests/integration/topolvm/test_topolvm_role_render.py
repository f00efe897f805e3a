# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the lvmkube.cluster.topolvm role for real (ansible-playbook on localhost, render output) and check the
files it writes: schema-valid, kustomization complete, certificates usable, idempotent, lvmd.yaml identical."""

from __future__ import annotations

import base64

import pytest
import yaml
from cryptography import x509
from k8s_schema_helpers import shipped_versions, validate_object
from playbook_helpers import json_result, run_playbook_text

pytestmark = pytest.mark.slow
CRD_KINDS = ("VolumeSnapshotClass", "PodMonitor")

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  vars:
    lvmkube_device_classes:
      - {name: ssd, volume_group: vg-ssd, default: true, spare_gb: 10}
      - {name: thin, volume_group: vg-ssd, type: thin, thin_pool: {name: pool0, overprovision_ratio: 5}}
  roles:
    - role: lvmkube.cluster.topolvm
  post_tasks:
    - name: Write lvmd.yaml exactly as the lvmd role does
      ansible.builtin.copy:
        content: "{{ lvmkube_device_classes | lvmkube.cluster.lvmd_config(topolvm_lvmd_socket ~ '') }}"
        dest: "{{ lvmd_reference_file }}"
        mode: "0644"
      when: lvmd_reference_file is defined
"""


def run_role(tmp_path, extra, *flags, expect_ok=True):
    proc = run_playbook_text(tmp_path, PLAYBOOK, extra, *flags, expect_ok=expect_ok)
    return json_result(proc), proc.stdout


def changed(result):
    return result["stats"]["localhost"]["changed"]


def load(path):
    return yaml.safe_load(path.read_text())


def test_render_extender_rke1_self_signed_with_managed_lvmd(tmp_path):
    out, certs, reference = tmp_path / "out", tmp_path / "certs", tmp_path / "lvmd-role.yaml"
    extra = {
        "topolvm_output": "render",
        "topolvm_render_dir": str(out),
        "topolvm_cert_dir": str(certs),
        "topolvm_scheduling_mode": "extender-daemonset",
        "topolvm_distribution": "rke1",
        "topolvm_lvmd_managed": True,
        "topolvm_pod_monitors": ["controller", "node", "lvmd"],
        "topolvm_pod_monitor_labels": {"release": "prometheus"},
    }

    # Check mode on an empty machine changes nothing on disk.
    result, _stdout = run_role(tmp_path, extra, "--check", "--diff")
    assert not out.exists()
    assert not (certs / "topolvm-system" / "ca.key").exists()

    # The lvmd role's lvmd.yaml for the comparison below: written in this run only (a copy task costs two module
    # runs; the role's runs after it need no reference).
    result, _stdout = run_role(tmp_path, {**extra, "lvmd_reference_file": str(reference)})
    assert changed(result) > 0
    files = sorted(p.name for p in out.glob("[0-9]*.yaml"))
    kustomization = load(out / "kustomization.yaml")
    assert kustomization["resources"] == files
    objects = [load(out / name) for name in files]
    versions = shipped_versions()
    for obj in objects:
        for version in (versions[0], versions[-1]):
            # The thin class's VolumeSnapshotClass and the PodMonitors: custom kinds, checked with their CRDs' schemas.
            expected = "crd" if obj["kind"] in CRD_KINDS else "validated"
            assert validate_object(obj, version) == expected
    by_kind = {(o["kind"], o["metadata"]["name"]): o for o in objects}
    assert {name for kind, name in by_kind if kind == "PodMonitor"} == {
        "topolvm-controller",
        "topolvm-node",
        "topolvm-lvmd",
    }
    assert by_kind[("VolumeSnapshotClass", "topolvm-thin")]["driver"] == "topolvm.io"
    scheduler = by_kind[("DaemonSet", "topolvm-scheduler")]["spec"]["template"]["spec"]
    assert {"node-role.kubernetes.io/controlplane", "node-role.kubernetes.io/etcd"} <= {
        t["key"] for t in scheduler["tolerations"]
    }

    # lvmd.yaml in the ConfigMap is byte-identical to what the lvmd role's expression writes.
    assert by_kind[("ConfigMap", "topolvm-lvmd-0")]["data"]["lvmd.yaml"].encode() == reference.read_bytes()

    # The webhook certificate is signed by the CA whose bundle the webhook configuration carries.
    secret_file = next(out.glob("*-secret-topolvm-mutatingwebhook.yaml"))
    assert secret_file.stat().st_mode & 0o777 == 0o600
    assert "private key" in secret_file.read_text().splitlines()[1]
    secret = load(secret_file)["data"]
    ca_bundle = by_kind[("MutatingWebhookConfiguration", "topolvm-hook")]["webhooks"][0]["clientConfig"]["caBundle"]
    ca = x509.load_pem_x509_certificate(base64.b64decode(ca_bundle))
    serving = x509.load_pem_x509_certificate(base64.b64decode(secret["tls.crt"]))
    serving.verify_directly_issued_by(ca)
    sans = serving.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "topolvm-controller.topolvm-system.svc" in sans.get_values_for_type(x509.DNSName)
    assert base64.b64decode(secret["ca.crt"]) == (certs / "topolvm-system" / "ca.crt").read_bytes()
    assert (certs / "topolvm-system").stat().st_mode & 0o777 == 0o700

    # Second run and check mode: nothing to do, certificates kept.
    before = (certs / "topolvm-system" / "webhook.crt").read_bytes()
    result, _stdout = run_role(tmp_path, extra)
    assert changed(result) == 0
    result, _stdout = run_role(tmp_path, extra, "--check", "--diff")
    assert changed(result) == 0
    assert (certs / "topolvm-system" / "webhook.crt").read_bytes() == before

    # Switching to storage-capacity drops the scheduler, webhook and Secret files; absent removes everything.
    extra.update(topolvm_scheduling_mode="storage-capacity", topolvm_legacy=True)
    run_role(tmp_path, extra)
    names = sorted(p.name for p in out.glob("[0-9]*.yaml"))
    assert load(out / "kustomization.yaml")["resources"] == names
    assert not [n for n in names if "scheduler" in n or "secret" in n or "mutatingwebhook" in n]
    assert any(n.endswith("csidriver-topolvm.cybozu.com.yaml") for n in names)
    for name in names:
        obj = load(out / name)
        assert validate_object(obj, versions[-1]) == ("crd" if obj["kind"] in CRD_KINDS else "validated")
    (out / "notes.txt").write_text("user file")
    extra["topolvm_state"] = "absent"
    run_role(tmp_path, extra)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_bad_input_fails_clearly_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    extra = {"topolvm_output": "render", "topolvm_render_dir": str(out), "topolvm_scheduling_mode": "magic"}
    _result, stdout = run_role(tmp_path, extra, expect_ok=False)
    assert "topolvm_scheduling_mode" in stdout
    assert not out.exists()
    # The settings are checked before the certificates are made (and without them): nothing is written.
    certs = tmp_path / "certs"
    extra = {
        "topolvm_output": "render",
        "topolvm_render_dir": str(out),
        "topolvm_cert_dir": str(certs),
        "topolvm_scheduling_mode": "extender-daemonset",
        "lvmkube_device_classes": [],
    }
    _result, stdout = run_role(tmp_path, extra, expect_ok=False)
    assert "device class" in stdout
    assert not out.exists()
    assert not certs.exists()


def test_helm_output_without_helm_is_skipped_cleanly(tmp_path):
    extra = {
        "topolvm_output": "helm",
        "topolvm_helm_binary": str(tmp_path / "no-helm"),
        "topolvm_kubeconfig": str(tmp_path / "no-kubeconfig"),
    }
    result, stdout = run_role(tmp_path, extra)
    assert changed(result) == 0
    assert "needs a helm binary" in stdout


def test_text_values_of_the_command_line_take_the_argument_spec_types(tmp_path):
    # -e key=value gives text: the role converts it to the option's type as ansible-core's argument validation does.
    out = tmp_path / "out"
    extra = {"topolvm_output": "render", "topolvm_render_dir": str(out)}
    run_role(tmp_path, extra, "-e", "topolvm_snapshot=false topolvm_controller_replicas=3 topolvm_legacy=no")
    objects = [load(path) for path in out.glob("[0-9]*.yaml")]
    assert "VolumeSnapshotClass" not in {o["kind"] for o in objects}
    (controller,) = [o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == "topolvm-controller"]
    assert controller["spec"]["replicas"] == 3
    assert [o["metadata"]["name"] for o in objects if o["kind"] == "CSIDriver"] == ["topolvm.io"]
    _result, stdout = run_role(tmp_path, extra, "-e", "topolvm_snapshot=maybe", expect_ok=False)
    assert "topolvm_snapshot" in stdout
