# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the roles lvmkube.cluster.nifcloud_ccm and nifcloud_csi for real (ansible-playbook on localhost, render
output) and check what they write and what they print: schema-valid files, no credential in any file unless
render_secrets is asked for, no credential in an -vvv log, changed=0 on the second run, bad StorageClasses refused
before anything is written, state absent."""

from __future__ import annotations

import base64

import pytest
import yaml
from k8s_schema_helpers import shipped_versions, validate_object
from playbook_helpers import json_result, run_playbook_text

ACCESS_KEY = "AKIDSENTINEL4711"
SECRET_KEY = "SKSENTINEL0815secret"

pytestmark = pytest.mark.slow

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  roles:
    - role: lvmkube.cluster.nifcloud_ccm
    - role: lvmkube.cluster.nifcloud_csi
"""


def run_roles(tmp_path, extra, *flags, expect_ok=True, callback="ansible.builtin.json"):
    base = {
        "nifcloud_region": "jp-east-1",
        "nifcloud_access_key_id": ACCESS_KEY,
        "nifcloud_secret_access_key": SECRET_KEY,
        "nifcloud_ccm_output": "render",
        "nifcloud_csi_output": "render",
        "nifcloud_ccm_render_dir": str(tmp_path / "ccm"),
        "nifcloud_csi_render_dir": str(tmp_path / "csi"),
    }
    return run_playbook_text(tmp_path, PLAYBOOK, dict(base, **extra), *flags, expect_ok=expect_ok, callback=callback)


def changed(proc):
    return json_result(proc)["stats"]["localhost"]["changed"]


def rendered(directory):
    return {p.name: p for p in sorted(directory.glob("*.yaml"))}


def test_render_without_secrets(tmp_path):
    ccm_dir, csi_dir = tmp_path / "ccm", tmp_path / "csi"
    extra = {
        "nifcloud_csi_storage_classes": [
            {"name": "nifcloud-standard", "type": "standard", "default": True},
            {"name": "nifcloud-flash-xfs", "type": "standard-flash-a", "fstype": "xfs", "accounting_type": "monthly"},
        ]
    }
    run_roles(tmp_path, extra, "--check", "--diff")
    assert not ccm_dir.exists()
    assert not csi_dir.exists()

    assert changed(run_roles(tmp_path, extra)) == 2
    versions = shipped_versions()
    for directory in (ccm_dir, csi_dir):
        files = rendered(directory)
        kustomization = yaml.safe_load(files.pop("kustomization.yaml").read_text())
        assert kustomization["resources"] == list(files)
        for path in files.values():
            text = path.read_text()
            assert ACCESS_KEY not in text
            assert SECRET_KEY not in text
            obj = yaml.safe_load(text)
            assert obj["kind"] != "Secret"
            for version in (versions[0], versions[-1]):
                assert validate_object(obj, version) == "validated"
    assert "nifcloud-cloud-controller-manager-secret" in (ccm_dir / "kustomization.yaml").read_text()
    classes = [yaml.safe_load(p.read_text()) for n, p in rendered(csi_dir).items() if "-storageclass-" in n]
    assert {c["metadata"]["name"]: c["parameters"] for c in classes} == {
        "nifcloud-standard": {"csi.storage.k8s.io/fstype": "ext4", "type": "standard"},
        "nifcloud-flash-xfs": {
            "csi.storage.k8s.io/fstype": "xfs",
            "type": "standard-flash-a",
            "accountingType": "monthly",
        },
    }

    assert changed(run_roles(tmp_path, extra)) == 0

    # A class removed from the list loses its file; state absent removes every managed file.
    fewer = {"nifcloud_csi_storage_classes": extra["nifcloud_csi_storage_classes"][:1]}
    assert changed(run_roles(tmp_path, fewer)) == 1
    assert not [n for n in rendered(csi_dir) if "nifcloud-flash-xfs" in n]
    (csi_dir / "notes.txt").write_text("kept")
    run_roles(tmp_path, {"nifcloud_ccm_state": "absent", "nifcloud_csi_state": "absent"})
    assert rendered(ccm_dir) == {}
    assert rendered(csi_dir) == {}
    assert (csi_dir / "notes.txt").read_text() == "kept"


@pytest.mark.parametrize("render_secrets", [False, True], ids=["secrets-not-rendered", "secrets-rendered"])
def test_no_credential_in_a_vvv_log(tmp_path, render_secrets):
    extra = {"nifcloud_ccm_render_secrets": render_secrets, "nifcloud_csi_render_secrets": render_secrets}
    proc = run_roles(tmp_path, extra, "-vvv", "--diff", callback="ansible.builtin.default")
    log = proc.stdout + proc.stderr
    assert "PLAY RECAP" in log
    # Without secrets the log shows the files written; with them the render task logs nothing.
    assert ("-storageclass-nifcloud-additional-storage-standard.yaml" in log) == (not render_secrets)
    for value in (ACCESS_KEY, SECRET_KEY, base64.b64encode(ACCESS_KEY.encode()).decode()):
        assert value not in log
    secrets = [p for d in ("ccm", "csi") for n, p in rendered(tmp_path / d).items() if "-secret-" in n]
    assert len(secrets) == (2 if render_secrets else 0)
    for path in secrets:
        assert path.stat().st_mode & 0o777 == 0o600
        data = yaml.safe_load(path.read_text())["data"]
        assert base64.b64decode(data["access_key_id"]).decode() == ACCESS_KEY
        assert base64.b64decode(data["secret_access_key"]).decode() == SECRET_KEY


def test_unknown_disk_type_fails_before_anything_is_written(tmp_path):
    extra = {"nifcloud_csi_storage_classes": [{"name": "fast", "type": "ssd"}]}
    proc = run_roles(tmp_path, extra, expect_ok=False, callback="ansible.builtin.default")
    log = proc.stdout + proc.stderr
    assert "ssd" in log
    for disk_type in ("standard", "high-speed-flash-b", "standard-flash-a", "flash"):
        assert disk_type in log
    assert not (tmp_path / "csi").exists()


def test_missing_credentials_fail_without_printing_anything(tmp_path):
    extra = {"nifcloud_ccm_output": "apply", "nifcloud_secret_access_key": ""}
    proc = run_roles(tmp_path, extra, expect_ok=False, callback="ansible.builtin.default")
    log = proc.stdout + proc.stderr
    assert "censored" in log  # the failing task is the no_log one that builds the Secret
    assert ACCESS_KEY not in log
    assert not (tmp_path / "ccm").exists()


def test_chart_options_reach_the_rendered_objects(tmp_path):
    # The chart options go through the argument specs and vars/main.yml of both roles into render output.
    extra = {
        "nifcloud_ccm_resources": {"requests": {"cpu": "100m"}},
        "nifcloud_ccm_security_context": {"allowPrivilegeEscalation": False},
        "nifcloud_ccm_pod_annotations": {"example.com/owner": "platform"},
        "nifcloud_ccm_image_pull_secrets": ["mirror-creds"],
        "nifcloud_csi_controller": {"extra_env": [{"name": "NIFCLOUD_ZONE", "value": "east-11"}]},
        "nifcloud_csi_node": {"node_selector": {"storage": "nifcloud"}, "resources": {}},
        "nifcloud_csi_sidecars": {"provisioner": {"timeout": "300s"}},
        "nifcloud_csi_logging_format": "json",
        "nifcloud_csi_sdk_debug_log": True,
        "nifcloud_csi_image_pull_secrets": ["mirror-creds"],
    }
    run_roles(tmp_path, extra)
    docs = [yaml.safe_load(p.read_text()) for d in ("ccm", "csi") for p in rendered(tmp_path / d).values()]
    workloads = {d["metadata"]["name"]: d for d in docs if d and d.get("kind") in ("DaemonSet", "Deployment")}
    for obj in workloads.values():
        for version in shipped_versions():
            validate_object(obj, version)
        assert obj["spec"]["template"]["spec"]["imagePullSecrets"] == [{"name": "mirror-creds"}]
    ccm = workloads["nifcloud-cloud-controller-manager"]["spec"]["template"]
    assert ccm["metadata"]["annotations"] == {"example.com/owner": "platform"}
    assert ccm["spec"]["containers"][0]["resources"] == {"requests": {"cpu": "100m"}}
    assert ccm["spec"]["containers"][0]["securityContext"] == {"allowPrivilegeEscalation": False}
    controller = workloads["nifcloud-additional-storage-csi-controller"]["spec"]["template"]["spec"]
    driver = controller["containers"][0]
    assert {"name": "NIFCLOUD_ZONE", "value": "east-11"} in driver["env"]
    assert driver["args"][1:3] == ["--nifcloud-sdk-debug-log=true", "--logging-format=json"]
    assert "--timeout=300s" in controller["containers"][1]["args"]
    node = workloads["nifcloud-additional-storage-csi-node"]["spec"]["template"]["spec"]
    assert node["nodeSelector"] == {"kubernetes.io/os": "linux", "storage": "nifcloud"}
    assert "resources" not in node["containers"][0]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"nifcloud_csi_kubelet_dir": "/var/lib/k0s/kubelet"}, "hard-codes /var/lib/kubelet"),
        ({"nifcloud_csi_image_pull_secrets": ["mirror-creds"]}, "never read imagePullSecrets"),
        ({"nifcloud_ccm_extra_args": ["--v=4"]}, "hard-codes the args"),
    ],
)
def test_what_the_charts_cannot_take_fails_helm_output_before_any_change(tmp_path, extra, message):
    # No cluster here: a run that got as far as applying the Secret would fail on the kubeconfig instead.
    role = next(iter(extra)).split("_")[1]  # the other role renders
    helm = {f"nifcloud_{role}_output": "helm", f"nifcloud_{role}_kubeconfig": str(tmp_path / "no-kubeconfig")}
    proc = run_roles(tmp_path, dict(helm, **extra), expect_ok=False, callback="ansible.builtin.default")
    log = proc.stdout + proc.stderr
    assert message in log
    assert "Build the chart's values (helm output), before anything is changed" in log
    assert "no-kubeconfig" not in log
    assert ACCESS_KEY not in log
