# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kube_scheduler role's K3s path on localhost, its files in a temporary root (no k3s binary exists here: the
edit is proved by the files K3s would read, with a `k3s --version` double and the health double).

Proves: `auto` detects K3s from its configuration directory (and lvmkube_distribution names it), check mode writes
nothing, the drop-in appends only our config= (no kube-scheduler-extra-mount: K3s runs kube-scheduler in its own
process), the configuration names K3s' scheduler kubeconfig, the user's config= in config.yaml is merged and that
file never edited, a second run is changed=0, absent removes the drop-in and the files, and a scheduler that never
becomes healthy is rolled back with config.yaml untouched.
"""

from __future__ import annotations

import pytest
import yaml
from helpers.kube_scheduler import LOCAL_ROLE_VARS, role_play

from .conftest import assert_second_run_unchanged, removed, rolled_back, run_playbook

pytestmark = pytest.mark.slow

PLAY = role_play(
    "kube_scheduler for K3s on localhost",
    """\
        kube_scheduler_packages: []
        # markers of the other distributions point into the empty temporary root
        kube_scheduler_kubeadm_manifest: {tmp}/etc/kubernetes/manifests/kube-scheduler.yaml
        kube_scheduler_kubespray_config: {tmp}/etc/kubernetes/kubescheduler-config.yaml
        kube_scheduler_rke2_config: {tmp}/etc/rancher/rke2/config.yaml
        kube_scheduler_k3s_config: {tmp}/etc/rancher/k3s/config.yaml
        kube_scheduler_k3s_binary: {tmp}/k3s-version-double
        kube_scheduler_k3s_restart: false
"""
    + LOCAL_ROLE_VARS,
)

K3S_KUBECONFIG = "/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig"


def k3s_root(tmp_path, main_text):
    etc = tmp_path / "etc" / "rancher" / "k3s"
    (etc / "config.yaml.d").mkdir(parents=True)
    (etc / "config.yaml").write_text(main_text)
    double = tmp_path / "k3s-version-double"
    double.write_text("#!/bin/sh\necho 'k3s version v1.31.4+k3s1 (a1b2c3d4)'\necho 'go version go1.22.9'\n")
    double.chmod(0o755)
    return etc / "config.yaml", etc / "config.yaml.d" / "70-lvmkube-scheduler.yaml"


def test_k3s_detected_dropin_without_mount_idempotent_and_absent(tmp_path, health_double_factory):
    main_text = "# K3s server\nwrite-kubeconfig-mode: '0644'\nkube-scheduler-arg:\n- v=2\n"
    main, dropin = k3s_root(tmp_path, main_text)
    config_dir = tmp_path / "scheduler"
    double = health_double_factory(dropin)
    play = PLAY.format(tmp=tmp_path, url=double["url"])

    rc, out, _recap = run_playbook(tmp_path, play, "--check", "--diff")
    assert rc == 0, out
    assert "Apply (k3s)" in out  # auto: /etc/rancher/k3s (of the temporary root) is K3s
    assert not dropin.exists() and not config_dir.exists()

    rc, out, _recap = run_playbook(tmp_path, play)
    assert rc == 0, out
    assert yaml.safe_load(dropin.read_text()) == {"kube-scheduler-arg+": [f"config={config_dir}/scheduler-config.yaml"]}
    config = yaml.safe_load((config_dir / "scheduler-config.yaml").read_text())
    assert config["apiVersion"] == "kubescheduler.config.k8s.io/v1"  # from the k3s --version double
    assert config["clientConnection"]["kubeconfig"] == K3S_KUBECONFIG
    assert config["extenders"][0]["urlPrefix"] == "http://127.0.0.1:9251"
    assert main.read_text() == main_text
    assert f"running with --config={config_dir}/scheduler-config.yaml" in double["log_file"].read_text()

    assert_second_run_unchanged(tmp_path, play)

    # absent: the scheduler then runs without our --config, which the double accepts in mode any
    removed(tmp_path, play, double)
    assert not dropin.exists()
    assert not (config_dir / "scheduler-config.yaml").exists()
    assert main.read_text() == main_text


def test_k3s_named_by_lvmkube_distribution_merges_the_users_config_and_rolls_back(tmp_path, health_double_factory):
    user = tmp_path / "user-scheduler.yaml"
    user.write_text(
        "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
        f"clientConnection:\n  kubeconfig: {K3S_KUBECONFIG}\npercentageOfNodesToScore: 30\n"
    )
    user_text = user.read_text()
    main_text = f"kube-scheduler-arg:\n- config={user}\n"
    main, dropin = k3s_root(tmp_path, main_text)
    # the kubeadm marker exists too: lvmkube_distribution decides, no detection
    (tmp_path / "etc" / "kubernetes" / "manifests").mkdir(parents=True)
    (tmp_path / "etc" / "kubernetes" / "manifests" / "kube-scheduler.yaml").write_text("kind: Pod\n")
    config_dir = tmp_path / "scheduler"
    double = health_double_factory(dropin)
    play = PLAY.format(tmp=tmp_path, url=double["url"])

    rc, out, _recap = run_playbook(tmp_path, play, "-e", "lvmkube_distribution=k3s")
    assert rc == 0, out
    assert "Apply (k3s)" in out
    merged = yaml.safe_load((config_dir / "scheduler-config.yaml").read_text())
    assert merged["percentageOfNodesToScore"] == 30  # the user's, kept
    assert merged["extenders"][0]["urlPrefix"] == "http://127.0.0.1:9251"
    assert f"# lvmkube-base-config: {user}" in (config_dir / "scheduler-config.yaml").read_text()
    assert user.read_text() == user_text and main.read_text() == main_text

    # a scheduler that never becomes healthy after a change: the drop-in and the files are rolled back
    removed(tmp_path, play, double, "-e", "lvmkube_distribution=k3s")
    rolled_back(tmp_path, play, double, "-e", "lvmkube_distribution=k3s")
    assert not dropin.exists()
    assert not (config_dir / "scheduler-config.yaml").exists()
    assert main.read_text() == main_text and user.read_text() == user_text
