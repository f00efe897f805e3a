# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""State of the VM after converge of the kube_scheduler scenario."""

from __future__ import annotations

import yaml

MANIFEST = "/etc/kubernetes/manifests/kube-scheduler.yaml"
CONFIG = "/etc/kubernetes/scheduler/scheduler-config.yaml"
RKE2_CONFIG_DIR = "/etc/kubernetes/scheduler-rke2"
KUBESPRAY_CONFIG = "/etc/kubernetes/kubescheduler-config.yaml"
DROPIN = "/etc/rancher/rke2/config.yaml.d/70-lvmkube-scheduler.yaml"


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
    assert container["image"] == "registry.k8s.io/kube-scheduler:v1.31.4"  # untouched
    assert f"--config={KUBESPRAY_CONFIG}" not in container["command"]
    assert {"mountPath": KUBESPRAY_CONFIG, "name": "kubescheduler-config", "readOnly": True} in container[
        "volumeMounts"
    ]


def test_kubeadm_scheduler_config_is_kubesprays_plus_the_extender(host):
    config = yaml.safe_load(host.file(CONFIG).content_string)
    kubespray = yaml.safe_load(host.file(KUBESPRAY_CONFIG).content_string)
    assert config["apiVersion"] == "kubescheduler.config.k8s.io/v1"
    assert {k: v for k, v in config.items() if k != "extenders"} == {
        k: v for k, v in kubespray.items() if k != "extenders"
    }
    assert [e["urlPrefix"] for e in config["extenders"]] == [
        "http://gpu-extender.kube-system.svc:8888",
        "http://127.0.0.1:9251",
    ]
    assert config["extenders"][1]["managedResources"] == [{"name": "topolvm.io/capacity", "ignoredByScheduler": True}]
    # kubespray's own file is never edited
    assert host.file(KUBESPRAY_CONFIG).sha256sum == host.file("/root/kubescheduler-config.yaml.pristine").sha256sum


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


def test_rke2_dropin_appends_after_rancher_and_config_yaml_is_untouched(host):
    assert (
        host.file("/etc/rancher/rke2/config.yaml").sha256sum == host.file("/root/rke2-config.yaml.pristine").sha256sum
    )
    rancher = "/etc/rancher/rke2/config.yaml.d/50-rancher.yaml"
    assert host.file(rancher).sha256sum == host.file("/root/50-rancher.yaml.pristine").sha256sum
    dropin = host.file(DROPIN)
    assert dropin.mode == 0o600
    assert yaml.safe_load(dropin.content_string) == {
        "kube-scheduler-arg+": [f"config={RKE2_CONFIG_DIR}/scheduler-config.yaml"],
        "kube-scheduler-extra-mount+": [f"{RKE2_CONFIG_DIR}:{RKE2_CONFIG_DIR}:ro"],
    }
    assert host.check_output("ls -A /etc/rancher/rke2/config.yaml.d").split() == [
        "50-rancher.yaml",
        "70-lvmkube-scheduler.yaml",
    ]


def test_rke2_scheduler_config_from_detected_version(host):
    config = yaml.safe_load(host.file(f"{RKE2_CONFIG_DIR}/scheduler-config.yaml").content_string)
    assert config["apiVersion"] == "kubescheduler.config.k8s.io/v1"  # rke2 v1.28.9 from the version double
    assert config["clientConnection"]["kubeconfig"] == "/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig"
    assert config["extenders"][0]["managedResources"][0]["name"] == "topolvm.cybozu.com/capacity"


def test_rke2_server_double_was_restarted_once(host):
    # started by prepare, restarted once by converge, not again by the idempotence run
    assert host.file("/var/lib/rke2-server-double.starts").content_string.split() == ["started", "started"]
