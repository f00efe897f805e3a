# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lvmd.yaml on a node and what TopoLVM renders for it agree, however the inventory sets the device classes.

One inventory: the group k8s_cluster sets ``lvmkube_device_classes`` (ssd and hdd); the host storage2 sets
``lvmd_device_classes`` (ssd only) at host level. One ansible-playbook run writes lvmd.yaml with the lvmd role on
each storage host (local connection, a folder per host) and renders TopoLVM with the topolvm role on localhost.
Each host's lvmd.yaml must be byte for byte the lvmd ConfigMap of the set its Kubernetes node is labelled with,
and the StorageClasses name only classes some node's lvmd serves. A host-level ``lvm_device_classes`` next to the
group's ``lvmd_device_classes`` that differs fails every role, naming the host and both variables. The lvm role
given both lists by a play, as the storage scenario's lvmd_modes part does, looks for the devices of the shared one.

Test doubles: systemctl (tests/doubles/systemctl, no systemd here; lvmd_manage_service is off, the role still
reads the service) and, for the lvmd role, ``vgs`` (a shell script printing the volume group names, as
``vgs --noheadings --options vg_name`` does), put first on PATH; the lvmd binary is tests/doubles/lvmd,
installed with the controller_file method. The VM scenarios run lvmd and LVM for real.
"""

from __future__ import annotations

import copy
import os
import sys

import pytest
import yaml
from helpers.systemctl_double import SystemctlDouble
from lvmd_helpers import DOUBLE, play_dir, run_playbook

pytestmark = pytest.mark.slow

LABEL = "lvmkube.cluster/topolvm-lvmd-set"
SSD = {"name": "ssd", "volume_group": "vg-ssd", "default": True, "spare_gb": 1}
HDD = {"name": "hdd", "volume_group": "vg-hdd"}

PLAYBOOK = """
- name: lvmd on every storage host
  hosts: k8s_cluster
  gather_facts: false
  roles:
    - role: lvmkube.cluster.lvmd

- name: TopoLVM rendered for the same inventory
  hosts: localhost
  gather_facts: false
  roles:
    - role: lvmkube.cluster.topolvm
  tasks:
    - name: Show the label value (lvmd set) of each Kubernetes node
      ansible.builtin.debug:
        msg: "{{ topolvm__facts.node_labels }}"
"""


def inventory(workdir, host_vars):
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    return {
        "all": {
            "hosts": {"localhost": dict(local)},
            "children": {
                "k8s_cluster": {
                    "vars": {
                        **local,
                        "lvmkube_device_classes": [SSD, HDD],
                        "lvmd_install_method": "controller_file",
                        "lvmd_controller_file": str(DOUBLE),
                        "lvmd_manage_service": False,
                        "lvmd_service_name": "lvmd-functest-agree",
                        "lvmd_install_path": str(workdir / "{{ inventory_hostname }}" / "lvmd"),
                        "lvmd_config_path": str(workdir / "{{ inventory_hostname }}" / "lvmd.yaml"),
                    },
                    "hosts": host_vars,
                }
            },
        }
    }


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    SystemctlDouble(tmp_path, monkeypatch, {})
    with play_dir(PLAYBOOK) as path:
        yield path


@pytest.fixture
def vgs_double(tmp_path, monkeypatch):
    """``vgs`` printing vg-ssd and vg-hdd as ``vgs --noheadings --options vg_name`` does (lvmd's volume group check)."""
    bin_dir = tmp_path / "vgs-double-bin"
    bin_dir.mkdir()
    vgs = bin_dir / "vgs"
    vgs.write_text("#!/bin/sh\nprintf '  vg-ssd\\n  vg-hdd\\n'\n")
    vgs.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")


def run(workdir, hosts_file):
    hosts = workdir / "hosts.yml"
    hosts.write_text(yaml.safe_dump(hosts_file, sort_keys=False))  # inventory order = set order
    out = workdir / "render"
    extra = ["-e", "topolvm_output=render", "-e", f"topolvm_render_dir={out}", "-e", "topolvm_lvmd_managed=true"]
    return (*run_playbook(workdir / "play.yml", "-i", hosts, *extra), out)


def debug_msg(output, name):
    for play in output["plays"]:
        for task in play["tasks"]:
            if task["task"]["name"] == name:
                return task["hosts"]["localhost"]["msg"]
    raise AssertionError(f"task {name!r} did not run")


def test_a_host_level_lvmd_device_classes_reaches_lvmd_yaml_and_topolvm_alike(workdir, vgs_double):
    host_vars = {
        "storage1": {},
        "storage2": {"lvmd_device_classes": [SSD], "topolvm_node_name": "storage2.example"},
        "storage3": {},
    }
    rc, output, text, render = run(workdir, inventory(workdir, host_vars))
    assert rc == 0, text[-6000:]
    written = {host: (workdir / host / "lvmd.yaml").read_text() for host in host_vars}
    # The lvmd role: the group's list on storage1 and storage3, the host's own on storage2.
    assert [dc["name"] for dc in yaml.safe_load(written["storage1"])["device-classes"]] == ["ssd", "hdd"]
    assert [dc["name"] for dc in yaml.safe_load(written["storage2"])["device-classes"]] == ["ssd"]
    assert written["storage3"] == written["storage1"]

    objects = [yaml.safe_load(path.read_text()) for path in sorted(render.glob("[0-9]*.yaml"))]
    by_name = {(o["kind"], o["metadata"]["name"]): o for o in objects}
    labels = debug_msg(output, "Show the label value (lvmd set) of each Kubernetes node")
    assert labels == {"storage1": "0", "storage2.example": "1", "storage3": "0"}
    for host, node in (("storage1", "storage1"), ("storage2", "storage2.example"), ("storage3", "storage3")):
        config_map = by_name[("ConfigMap", f"topolvm-lvmd-{labels[node]}")]
        assert config_map["data"]["lvmd.yaml"] == written[host], host  # byte for byte
        daemon_set = by_name[("DaemonSet", f"topolvm-lvmd-{labels[node]}")]["spec"]["template"]["spec"]
        assert daemon_set["nodeSelector"] == {LABEL: labels[node]}
    assert ("ConfigMap", "topolvm-lvmd-2") not in by_name
    storage_classes = {o["parameters"]["topolvm.io/device-class"] for o in objects if o["kind"] == "StorageClass"}
    served = {dc["name"] for text in written.values() for dc in yaml.safe_load(text)["device-classes"]}
    assert storage_classes == served == {"ssd", "hdd"}


def test_role_variables_set_twice_differently_fail_naming_the_host_and_both_variables(workdir, vgs_double):
    # lvmd_device_classes for the whole group, lvm_device_classes on one host: the lvm role would create other
    # volume groups there than lvmd serves.
    host_vars = {"storage1": {}, "storage2": {"lvm_device_classes": [SSD, HDD]}}
    hosts_file = inventory(workdir, host_vars)
    hosts_file["all"]["children"]["k8s_cluster"]["vars"]["lvmd_device_classes"] = [copy.deepcopy(SSD)]
    rc, output, text, render = run(workdir, hosts_file)
    assert rc != 0
    message = "host storage2: lvm_device_classes and lvmd_device_classes are both set and differ"
    # the lvmd role on storage2, then the topolvm role's node list on localhost
    assert output["stats"]["storage2"]["failures"] == 1 and output["stats"]["localhost"]["failures"] == 1, text
    assert text.count(message) >= 2, text[-6000:]
    assert "(only in lvm_device_classes: hdd)" in text
    # storage1 (no conflict) got its lvmd.yaml; storage2 and the render nothing
    assert (workdir / "storage1" / "lvmd.yaml").exists()
    assert not (workdir / "storage2").exists()
    assert not render.exists()


LVM_PLAYBOOK = """
- name: The lvm role with the lists a play gives, as the storage scenario's lvmd_modes part does
  hosts: storage1
  gather_facts: false
  vars:
    lvmkube_device_classes:
      - {name: ssd, volume_group: vg-ssd, default: true, devices: [/dev/disk/by-id/lvmkube-absent-ssd]}
      - {name: hdd, volume_group: vg-hdd, devices: [/dev/disk/by-id/lvmkube-absent-hdd]}
    lvmd_device_classes:
      - {name: ssd, volume_group: vg-ssd, default: true}
  roles:
    - role: lvmkube.cluster.lvm
"""


def test_the_lvm_role_creates_the_shared_list_when_only_lvmd_has_its_own(workdir):
    # lvmd serving fewer classes than the lvm role creates (lvmd before 0.5.0 serves one volume group): the lvm
    # role reads lvmkube_device_classes, so both devices are looked for - and named, as they do not exist here.
    (workdir / "hosts.yml").write_text(yaml.safe_dump(inventory(workdir, {"storage1": {}}), sort_keys=False))
    (workdir / "lvm.yml").write_text(LVM_PLAYBOOK)
    rc, _output, text = run_playbook(workdir / "lvm.yml", "-i", workdir / "hosts.yml", "--check")
    assert rc != 0
    assert (
        "Host storage1: device(s) not found: /dev/disk/by-id/lvmkube-absent-ssd, /dev/disk/by-id/lvmkube-absent-hdd"
        in " ".join(text.split())
    ), text[-4000:]
    # the same play with an lvm_device_classes of its own that differs from lvmd's fails before reading the node
    differing = LVM_PLAYBOOK.replace(
        "  roles:", "    lvm_device_classes:\n      - {name: hdd, volume_group: vg-hdd, default: true}\n  roles:"
    )
    (workdir / "lvm.yml").write_text(differing)
    rc, _output, text = run_playbook(workdir / "lvm.yml", "-i", workdir / "hosts.yml", "--check")
    assert rc != 0
    flat = " ".join(text.split())
    assert "host storage1: lvm_device_classes and lvmd_device_classes are both set and differ" in flat, text[-4000:]
    assert "Inspect the devices" not in text
