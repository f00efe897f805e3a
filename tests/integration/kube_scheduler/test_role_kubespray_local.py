# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kube_scheduler role on a kubespray-shaped control plane on localhost (health double, no kubelet).

The files take the shape kubespray writes (roles/kubernetes/control-plane: kubescheduler-config.yaml.j2 rendered
with a profile and another extender, kubeadm-config.v1beta4.yaml.j2's scheduler section, and the static pod kubeadm
makes from it), written by hand here. Proves: the scheduler keeps kubespray's configuration and gains the extender,
kubespray's own file is never edited, kubespray's variables are written with a warning (into the inventory
folder of docs/howto-sakuracloud-kubespray.md's command, which the role makes), a second run is
changed=0, absent restores manifest and kubeadm config byte for byte, and a v1alpha1 configuration is refused
with nothing changed.
"""

from __future__ import annotations

import shlex
import stat
from pathlib import Path

import pytest
import yaml
from helpers.kube_scheduler import FIXTURES, LOCAL_ROLE_VARS, role_play
from playbook_helpers import said

from .conftest import run_playbook

REPO_ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow

PLAY = role_play(
    "kube_scheduler on a kubespray-shaped localhost",
    """\
        kube_scheduler_kubeadm_manifest: {tmp}/manifests/kube-scheduler.yaml
        kube_scheduler_kubeadm_config_file: {tmp}/kubernetes/kubeadm-config.yaml
        kube_scheduler_kubespray_config: {tmp}/kubernetes/kubescheduler-config.yaml
"""
    + LOCAL_ROLE_VARS
    + """        kube_scheduler_packages: []
""",
)

KUBEADM_CONFIG = """apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  name: "cp1"
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: cluster.local
kubernetesVersion: v1.31.4
scheduler:
  extraArgs:
  - name: bind-address
    value: "::"
  - name: config
    value: "{kube}/kubescheduler-config.yaml"
  - name: profiling
    value: "False"
  extraVolumes:
  - name: kubescheduler-config
    hostPath: {kube}/kubescheduler-config.yaml
    mountPath: {kube}/kubescheduler-config.yaml
    readOnly: true
"""


def layout(tmp_path, kubespray_config):
    kube = tmp_path / "kubernetes"
    kube.mkdir()
    (tmp_path / "manifests").mkdir()
    # the inventory of the how-to, without group_vars/: the documented command must make the folder itself
    (tmp_path / "inventories" / "sakuracloud").mkdir(parents=True)
    (tmp_path / "inventories" / "sakuracloud").chmod(0o750)
    manifest_text = (FIXTURES / "kubespray-kube-scheduler.yaml.txt").read_text()
    manifest_text = manifest_text.replace(
        "/etc/kubernetes/kubescheduler-config.yaml", f"{kube}/kubescheduler-config.yaml"
    )
    (tmp_path / "manifests" / "kube-scheduler.yaml").write_text(manifest_text)
    (kube / "kubescheduler-config.yaml").write_text(kubespray_config)
    (kube / "kubeadm-config.yaml").write_text(KUBEADM_CONFIG.format(kube=kube))
    return {
        "manifest": tmp_path / "manifests" / "kube-scheduler.yaml",
        "kubespray": kube / "kubescheduler-config.yaml",
        "kubeadm": kube / "kubeadm-config.yaml",
        "ours": tmp_path / "scheduler" / "scheduler-config.yaml",
        "vars": documented_vars_file(tmp_path),
    }


def documented_vars_file(pwd):
    """kube_scheduler_kubespray_vars_file as docs/howto-sakuracloud-kubespray.md's command sets it, run in pwd."""
    text = (REPO_ROOT / "docs" / "howto-sakuracloud-kubespray.md").read_text(encoding="utf-8")
    command = next(line for line in text.splitlines() if "-e kube_scheduler_kubespray_vars_file=" in line)
    value = shlex.split(command.split("-e kube_scheduler_kubespray_vars_file=", 1)[1])[0]
    assert value.startswith("$PWD/inventories/sakuracloud/group_vars/kube_control_plane/")
    return Path(value.replace("$PWD", str(pwd)))


def run_documented(tmp_path, play, *extra):
    """The role with kube_scheduler_kubespray_vars_file passed as the how-to passes it (-e on the command line)."""
    return run_playbook(
        tmp_path, play, "-e", f"kube_scheduler_kubespray_vars_file={documented_vars_file(tmp_path)}", *extra
    )


def snapshot(files):
    return {name: path.read_bytes() if path.exists() else None for name, path in files.items()}


def test_kubespray_keeps_its_configuration_and_gains_the_extender(tmp_path, health_double):
    files = layout(tmp_path, (FIXTURES / "kubespray-kubescheduler-config.yaml.txt").read_text())
    original = snapshot(files)
    play = PLAY.format(tmp=tmp_path, url=health_double["url"])

    rc, out, recap = run_documented(tmp_path, play, "--check", "--diff")
    assert rc == 0, out
    assert recap["changed"] >= 1
    assert snapshot(files) == original
    assert not files["vars"].parent.parent.exists()  # check mode makes no folder

    rc, out, recap = run_documented(tmp_path, play)
    assert rc == 0, out
    command = yaml.safe_load(files["manifest"].read_text())["spec"]["containers"][0]["command"]
    assert f"--config={files['ours']}" in command
    assert not any(c.startswith(f"--config={files['kubespray']}") for c in command)
    ours = yaml.safe_load(files["ours"].read_text())
    theirs = yaml.safe_load(original["kubespray"])
    assert {k: v for k, v in ours.items() if k != "extenders"} == {k: v for k, v in theirs.items() if k != "extenders"}
    assert [e["urlPrefix"] for e in ours["extenders"]] == [theirs["extenders"][0]["urlPrefix"], "http://127.0.0.1:9251"]
    assert files["kubespray"].read_bytes() == original["kubespray"]  # kubespray's own file is never edited
    cluster = list(yaml.safe_load_all(files["kubeadm"].read_text()))[1]["scheduler"]
    assert {"name": "config", "value": str(files["ours"])} in cluster["extraArgs"]
    assert [v["name"] for v in cluster["extraVolumes"]] == ["kubescheduler-config", "lvmkube-scheduler-config"]
    # the folder the how-to names did not exist: made with the inventory's mode
    assert stat.S_IMODE(files["vars"].parent.stat().st_mode) == 0o750
    assert stat.S_IMODE(files["vars"].parent.parent.stat().st_mode) == 0o750
    kubespray_vars = yaml.safe_load(files["vars"].read_text())
    assert kubespray_vars["kube_scheduler_extenders"] == ours["extenders"]
    assert "[WARNING]" in out
    assert "unless kubespray's inventory sets kube_scheduler_extenders" in out.replace("\n", " ")
    assert "running with --config=" in health_double["log_file"].read_text()

    rc, out, recap = run_documented(tmp_path, play)
    assert rc == 0, out
    assert recap["changed"] == 0, out

    rc, out, recap = run_documented(tmp_path, play, "-e", "state=absent")
    assert rc == 0, out
    after = snapshot(files)
    assert after["manifest"] == original["manifest"]
    assert after["kubeadm"] == original["kubeadm"]
    assert after["kubespray"] == original["kubespray"]
    assert after["ours"] is None


def test_kubespray_v1alpha1_configuration_is_refused_with_nothing_changed(tmp_path, health_double):
    old = (
        "apiVersion: kubescheduler.config.k8s.io/v1alpha1\nkind: KubeSchedulerConfiguration\n"
        "schedulerName: default-scheduler\nalgorithmSource:\n  provider: DefaultProvider\n"
    )
    files = layout(tmp_path, old)
    original = snapshot(files)
    rc, out, _recap = run_documented(tmp_path, PLAY.format(tmp=tmp_path, url=health_double["url"]))
    assert rc != 0
    assert said(f"{files['kubespray']} is kubescheduler.config.k8s.io/v1alpha1", out)
    assert snapshot(files) == original
    assert not (tmp_path / "backups").exists()
