# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-node device classes: the role's node-labelling tasks (kubernetes.core.k8s) against a TEST DOUBLE of the
Kubernetes API on 127.0.0.1 (tests/doubles/kubernetes_api_double.py), and the render of the same inventory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests" / "doubles"))

import kubernetes_api_double  # noqa: E402

ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
LABEL = "lvmkube.cluster/topolvm-lvmd-set"

pytestmark = pytest.mark.slow

SSD = [{"name": "ssd", "volume_group": "vg-ssd", "default": True}]
SSD_HDD = [
    {"name": "ssd", "volume_group": "vg-ssd", "default": True},
    {"name": "hdd", "volume_group": "vg-hdd"},
]
INVENTORY = {
    "all": {
        "hosts": {"localhost": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}},
        "children": {
            "k8s_cluster": {
                "hosts": {
                    "storage1": {"lvmkube_device_classes": SSD_HDD},
                    "storage2": {"lvmkube_device_classes": SSD_HDD, "topolvm_node_name": "storage2.example"},
                    "small1": {"lvmkube_device_classes": SSD},
                    "plain1": {"lvmkube_device_classes": []},
                }
            }
        },
    }
}

LABEL_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Label the nodes as the role does in apply and helm modes
      ansible.builtin.include_role:
        name: lvmkube.cluster.topolvm
        tasks_from: node_labels.yml
      vars:
        topolvm__facts: "{{ topolvm__config | lvmkube.cluster.topolvm_facts }}"
"""

RENDER_PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - role: lvmkube.cluster.topolvm
"""


def run(tmp_path, play, extra, *flags, kubeconfig=None, expect_ok=True):
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump(INVENTORY, sort_keys=False))  # inventory order = set order
    (tmp_path / "play.yml").write_text(play)
    (tmp_path / "extra.json").write_text(json.dumps(extra))
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json",
        ANSIBLE_LOCALHOST_WARNING="false",
    )
    if kubeconfig:
        env["K8S_AUTH_KUBECONFIG"] = str(kubeconfig)
    proc = subprocess.run(
        [
            str(ANSIBLE_PLAYBOOK),
            "-i",
            str(tmp_path / "hosts.yml"),
            str(tmp_path / "play.yml"),
            "-e",
            f"@{tmp_path / 'extra.json'}",
            *flags,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (proc.returncode == 0) == expect_ok, proc.stdout[-4000:] + proc.stderr[-2000:]
    return json.loads(proc.stdout[proc.stdout.index("{") :]), proc.stdout


def kubeconfig_for(tmp_path, port):
    path = tmp_path / "kubeconfig"
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "double", "cluster": {"server": f"http://127.0.0.1:{port}"}}],
                "users": [{"name": "double", "user": {"token": "test-double"}}],
                "contexts": [{"name": "double", "context": {"cluster": "double", "user": "double"}}],
                "current-context": "double",
            }
        )
    )
    return path


@pytest.fixture
def api(tmp_path):
    seed = {
        "nodes": {
            "storage1": {"labels": {"kubernetes.io/hostname": "storage1"}},
            "storage2.example": {"labels": {}},
            "small1": {"labels": {}},
            # A node that had device classes once: its stale label must go.
            "plain1": {"labels": {LABEL: "1"}},
        }
    }
    server, state = kubernetes_api_double.serve(seed, str(tmp_path / "requests.log"))
    yield state, kubeconfig_for(tmp_path, server.server_address[1]), tmp_path / "requests.log"
    server.shutdown()


def changed(result):
    return result["stats"]["localhost"]["changed"]


def patches(log):
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if '"PATCH"' in line]


def test_nodes_are_labelled_with_their_set_check_mode_and_idempotence(tmp_path, api):
    state, kubeconfig, log = api
    # Check mode: the API sees dry-run patches only, nothing is stored.
    result, _stdout = run(tmp_path, LABEL_PLAY, {}, "--check", kubeconfig=kubeconfig)
    assert changed(result) > 0
    sent = patches(log)
    assert sent
    assert all(p["dry_run"] for p in sent)
    assert state.nodes["storage1"]["labels"] == {"kubernetes.io/hostname": "storage1"}
    assert state.nodes["plain1"]["labels"] == {LABEL: "1"}

    result, _stdout = run(tmp_path, LABEL_PLAY, {}, kubeconfig=kubeconfig)
    assert changed(result) > 0
    assert state.nodes["storage1"]["labels"] == {"kubernetes.io/hostname": "storage1", LABEL: "0"}
    assert state.nodes["storage2.example"]["labels"] == {LABEL: "0"}  # topolvm_node_name, same set as storage1
    assert state.nodes["small1"]["labels"] == {LABEL: "1"}
    assert state.nodes["plain1"]["labels"] == {}  # no device classes: the label is removed

    before = {name: dict(data["labels"]) for name, data in state.nodes.items()}
    result, _stdout = run(tmp_path, LABEL_PLAY, {}, kubeconfig=kubeconfig)
    assert changed(result) == 0
    assert {name: data["labels"] for name, data in state.nodes.items()} == before
    # The label patch is a strategic merge patch of metadata.labels only (null removes it).
    last = {p["path"]: p for p in patches(log)}
    assert last["/api/v1/nodes/plain1"]["body"]["metadata"]["labels"] == {LABEL: None}
    assert last["/api/v1/nodes/small1"]["content_type"] == "application/strategic-merge-patch+json"


def test_render_of_the_same_inventory_has_one_lvmd_set_per_distinct_list(tmp_path):
    out = tmp_path / "out"
    extra = {"topolvm_output": "render", "topolvm_render_dir": str(out), "topolvm_lvmd_managed": True}
    run(tmp_path, RENDER_PLAY, extra)
    objs = [yaml.safe_load(p.read_text()) for p in sorted(out.glob("[0-9]*.yaml"))]
    by_name = {(o["kind"], o["metadata"]["name"]): o for o in objs}
    lvmd0 = yaml.safe_load(by_name[("ConfigMap", "topolvm-lvmd-0")]["data"]["lvmd.yaml"])
    lvmd1 = yaml.safe_load(by_name[("ConfigMap", "topolvm-lvmd-1")]["data"]["lvmd.yaml"])
    assert [dc["name"] for dc in lvmd0["device-classes"]] == ["ssd", "hdd"]
    assert [dc["name"] for dc in lvmd1["device-classes"]] == ["ssd"]
    assert ("ConfigMap", "topolvm-lvmd-2") not in by_name
    for idx in ("0", "1"):
        ds = by_name[("DaemonSet", f"topolvm-lvmd-{idx}")]["spec"]["template"]["spec"]
        assert ds["nodeSelector"] == {LABEL: idx}
    node = by_name[("DaemonSet", "topolvm-node")]["spec"]["template"]["spec"]
    terms = node["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert terms == [{"matchExpressions": [{"key": LABEL, "operator": "Exists"}]}]
    # StorageClasses for the union of the classes of every node.
    assert sorted(o["metadata"]["name"] for o in objs if o["kind"] == "StorageClass") == ["topolvm-hdd", "topolvm-ssd"]


def test_storage_class_for_a_class_on_no_node_fails_at_render_time(tmp_path):
    out = tmp_path / "out"
    extra = {
        "topolvm_output": "render",
        "topolvm_render_dir": str(out),
        "topolvm_storage_classes": [{"name": "fast", "device_class": "nvme"}],
    }
    _result, stdout = run(tmp_path, RENDER_PLAY, extra, expect_ok=False)
    assert "device class 'nvme' which is not in device_classes of any node" in stdout
    assert not out.exists()


CHECKS_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Read the version as the role does in apply mode
      ansible.builtin.include_role:
        name: lvmkube.cluster.topolvm
        tasks_from: kubernetes_version.yml
        public: true
    - name: Show the version the settings get
      ansible.builtin.debug:
        msg: "version={{ topolvm__config.kubernetes_version }}"
    - name: Check the snapshot CRDs as the role does before applying VolumeSnapshotClasses
      ansible.builtin.include_role:
        name: lvmkube.cluster.topolvm
        tasks_from: snapshot_crds.yml
      vars:
        topolvm__facts: "{{ topolvm__config | lvmkube.cluster.topolvm_facts }}"
"""
THIN = [
    {"name": "ssd", "volume_group": "vg0", "default": True},
    {"name": "thin", "volume_group": "vg0", "thin_pool": {"name": "pool0", "overprovision_ratio": 5}},
]
SNAPSHOT_CRDS = [
    "volumesnapshotclasses.snapshot.storage.k8s.io",
    "volumesnapshotcontents.snapshot.storage.k8s.io",
    "volumesnapshots.snapshot.storage.k8s.io",
]


@pytest.mark.parametrize("crds", [SNAPSHOT_CRDS, SNAPSHOT_CRDS[:1]], ids=["with-crds", "without-crds"])
def test_server_version_is_read_and_snapshot_crds_are_checked(tmp_path, crds):
    seed = {"version": "v1.34.2", "crds": crds, "nodes": {}}
    server, _state = kubernetes_api_double.serve(seed, str(tmp_path / "requests.log"))
    try:
        kubeconfig = kubeconfig_for(tmp_path, server.server_address[1])
        extra = {"topolvm_output": "apply", "topolvm_node_group": "none", "lvmkube_device_classes": THIN}
        ok = crds == SNAPSHOT_CRDS
        _result, stdout = run(tmp_path, CHECKS_PLAY, extra, kubeconfig=kubeconfig, expect_ok=ok)
    finally:
        server.shutdown()
    assert "version=v1.34.2" in stdout  # topolvm_kubernetes_version empty: the server's gitVersion
    if not ok:
        assert "lacks the CustomResourceDefinitions volumesnapshotcontents.snapshot.storage.k8s.io" in stdout
        assert "external-snapshotter" in stdout
        assert "topolvm_snapshot=false" in stdout
