# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""State of the VM after converge of the kube_scheduler scenario."""

from __future__ import annotations

import yaml

MANIFEST = "/etc/kubernetes/manifests/kube-scheduler.yaml"
CONFIG = "/etc/kubernetes/scheduler/scheduler-config.yaml"
RKE2_CONFIG_DIR = "/etc/kubernetes/scheduler-rke2"


def test_static_pod_manifest_points_at_the_config(host):
    pod = yaml.safe_load(host.file(MANIFEST).content_string)
    container = pod["spec"]["containers"][0]
    assert f"--config={CONFIG}" in container["command"]
    assert {
        "mountPath": "/etc/kubernetes/scheduler",
        "name": "lvmkube-scheduler-config",
        "readOnly": True,
    } in container["volumeMounts"]
    assert {
        "hostPath": {"path": "/etc/kubernetes/scheduler", "type": "Directory"},
        "name": "lvmkube-scheduler-config",
    } in pod["spec"]["volumes"]
    assert container["image"] == "registry.k8s.io/kube-scheduler:v1.25.16"  # untouched


def test_kubeadm_scheduler_config(host):
    config = yaml.safe_load(host.file(CONFIG).content_string)
    assert config["apiVersion"] == "kubescheduler.config.k8s.io/v1"
    assert config["clientConnection"]["kubeconfig"] == "/etc/kubernetes/scheduler.conf"
    assert config["extenders"][0]["urlPrefix"] == "http://127.0.0.1:9251"
    assert config["extenders"][0]["managedResources"] == [{"name": "topolvm.io/capacity", "ignoredByScheduler": True}]


def test_no_stray_file_in_the_static_pod_directory(host):
    assert host.check_output("ls -A /etc/kubernetes/manifests") == "kube-scheduler.yaml"
    backups = host.check_output("ls -A /var/backups/lvmkube/kube-scheduler").split()
    assert any(name.startswith("kube-scheduler.yaml.") for name in backups)


def test_backup_is_the_original_manifest(host):
    first = sorted(
        n
        for n in host.check_output("ls -A /var/backups/lvmkube/kube-scheduler").split()
        if n.startswith("kube-scheduler.yaml.")
    )[0]
    backup = host.file(f"/var/backups/lvmkube/kube-scheduler/{first}")
    assert backup.sha256sum == host.file("/root/kube-scheduler.yaml.pristine").sha256sum


def test_health_double_answers_ok(host):
    assert host.check_output("curl -sk https://127.0.0.1:10259/healthz") == "ok"


def test_rke2_config(host):
    text = host.file("/etc/rancher/rke2/config.yaml").content_string
    assert "# shared join token" in text  # comments kept (python3-ruamel.yaml on the node)
    config = yaml.safe_load(text)
    assert config["kube-scheduler-arg"] == ["v=2", f"config={RKE2_CONFIG_DIR}/scheduler-config.yaml"]
    assert config["kube-scheduler-extra-mount"] == [f"{RKE2_CONFIG_DIR}:{RKE2_CONFIG_DIR}:ro"]
    assert config["token"] == "K10secret::server:abc"


def test_rke2_scheduler_config_from_detected_version(host):
    config = yaml.safe_load(host.file(f"{RKE2_CONFIG_DIR}/scheduler-config.yaml").content_string)
    assert config["apiVersion"] == "kubescheduler.config.k8s.io/v1"  # rke2 v1.28.9 from the version double
    assert config["clientConnection"]["kubeconfig"] == "/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig"
    assert config["extenders"][0]["managedResources"][0]["name"] == "topolvm.cybozu.com/capacity"


def test_rke2_server_double_was_restarted_once(host):
    # started by prepare, restarted once by converge, not again by the idempotence run
    assert host.file("/var/lib/rke2-server-double.starts").content_string.split() == ["started", "started"]
