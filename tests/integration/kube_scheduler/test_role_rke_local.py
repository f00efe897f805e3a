# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kube_scheduler role's RKE1 and RKE2 paths on localhost (no RKE exists here).

RKE1: cluster.yml edited on the controller with comments kept, files written for the version in
cluster.yml (1.16: v1alpha1 + Policy), idempotent, absent removes the settings and keeps the files
(no `rke up` was run). RKE2: version from an `rke2 --version` double, config.yaml edited, health
double watching config.yaml, idempotent, rollback restores config.yaml byte for byte.
"""

from __future__ import annotations

import json

import pytest
import yaml
from helpers.kube_scheduler import FIXTURES, LOCAL_ROLE_VARS, role_play
from playbook_helpers import said

from .conftest import assert_second_run_unchanged, removed, rolled_back, run_playbook

pytestmark = pytest.mark.slow

RKE1_PLAY = role_play(
    "kube_scheduler for RKE1 on localhost",
    """\
        kube_scheduler_distribution: rke1
        kube_scheduler_config_dir: {tmp}/scheduler
        kube_scheduler_rke1_cluster_yml: {tmp}/rke/cluster.yml
""",
)

RKE2_PLAY = role_play(
    "kube_scheduler for RKE2 on localhost",
    """\
        kube_scheduler_distribution: rke2
        kube_scheduler_packages: []
        kube_scheduler_rke2_config: {tmp}/rke2/config.yaml
        kube_scheduler_rke2_binary: {tmp}/rke2-version-double
        kube_scheduler_rke2_restart: false
"""
    + LOCAL_ROLE_VARS,
)


def test_rke1_cluster_yml_and_files(tmp_path):
    rke = tmp_path / "rke"
    rke.mkdir()
    cluster_yml = rke / "cluster.yml"
    original = (FIXTURES / "rke1-cluster.yml.txt").read_text()
    cluster_yml.write_text(original)
    play = RKE1_PLAY.format(tmp=tmp_path)
    config_dir = tmp_path / "scheduler"

    rc, out, _recap = run_playbook(tmp_path, play)
    assert rc == 0, out
    assert "Run `rke up --config" in out
    text = cluster_yml.read_text()
    assert "# services written by `rke config`" in text
    scheduler = yaml.safe_load(text)["services"]["scheduler"]
    assert scheduler == {
        "extra_args": {"config": f"{config_dir}/scheduler-config.yaml"},
        "extra_binds": [f"{config_dir}:{config_dir}:ro"],
    }
    config = yaml.safe_load((config_dir / "scheduler-config.yaml").read_text())
    assert config["apiVersion"] == "kubescheduler.config.k8s.io/v1alpha1"  # kubernetes_version v1.16.4-rancher1-1
    assert config["clientConnection"]["kubeconfig"] == "/etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml"
    policy = json.loads((config_dir / "scheduler-policy.cfg").read_text())
    assert policy["extenders"][0]["weight"] == 100

    assert_second_run_unchanged(tmp_path, play)

    rc, out, _recap = run_playbook(tmp_path, play, "-e", "state=absent")
    assert rc == 0, out
    assert yaml.safe_load(cluster_yml.read_text()) == yaml.safe_load(original)
    assert (config_dir / "scheduler-config.yaml").exists()  # kept until `rke up` has run


USER_CONFIG = """\
apiVersion: kubescheduler.config.k8s.io/v1beta3
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: /etc/kubernetes/ssl/kubecfg-kube-scheduler.yaml
leaderElection:
  leaderElect: true
  resourceName: kube-scheduler
percentageOfNodesToScore: 40
profiles:
- schedulerName: default-scheduler
- schedulerName: batch
  plugins:
    score:
      disabled:
      - name: NodeResourcesBalancedAllocation
extenders:
- urlPrefix: http://127.0.0.1:8888/other
  filterVerb: filter
"""


def test_rke1_users_own_config_is_merged_kept_restored_and_refused_when_old(tmp_path):
    """cluster.yml's scheduler runs with the user's config on an extra_binds mount: it is read on the node."""
    rke = tmp_path / "rke"
    rke.mkdir()
    host_dir = tmp_path / "host-kube-scheduler"
    host_dir.mkdir()
    user_file = host_dir / "custom.yaml"
    user_file.write_text(USER_CONFIG)
    cluster_yml = rke / "cluster.yml"
    original = (FIXTURES / "rke1-cluster-user-config.yml.txt").read_text().replace("@HOST_DIR@", str(host_dir))
    cluster_yml.write_text(original)
    play = RKE1_PLAY.format(tmp=tmp_path)
    config_dir = tmp_path / "scheduler"
    ours = config_dir / "scheduler-config.yaml"

    rc, out, _recap = run_playbook(tmp_path, play, "--check", "--diff")
    assert rc == 0, out
    assert cluster_yml.read_text() == original
    assert not config_dir.exists()
    assert "percentageOfNodesToScore: 40" in out  # the diff of our file shows the merge

    rc, out, _recap = run_playbook(tmp_path, play)
    assert rc == 0, out
    scheduler = yaml.safe_load(cluster_yml.read_text())["services"]["scheduler"]
    assert scheduler["extra_args"] == {"v": "2", "config": str(ours)}
    assert scheduler["extra_binds"] == [
        f"{host_dir}:/etc/kube-scheduler:ro",
        "/opt/other:/opt/other",
        f"{config_dir}:{config_dir}:ro",
    ]
    merged = yaml.safe_load(ours.read_text())
    expected = yaml.safe_load(USER_CONFIG)
    expected["extenders"].append(merged["extenders"][-1])
    assert merged == expected  # every field of the user's kept (v1beta3 is still read by 1.27), ours appended
    assert merged["extenders"][-1]["urlPrefix"] == "http://127.0.0.1:9251"
    assert "# lvmkube-base-config: /etc/kube-scheduler/custom.yaml\n" in ours.read_text()
    assert user_file.read_text() == USER_CONFIG

    assert_second_run_unchanged(tmp_path, play)

    rc, out, _recap = run_playbook(tmp_path, play, "-e", "state=absent")
    assert rc == 0, out
    assert cluster_yml.read_text() == original  # the user's config and binds back, byte for byte

    # a configuration kube-scheduler 1.27 cannot read is refused before anything changes
    user_file.write_text(USER_CONFIG.replace("v1beta3", "v1alpha1"))
    ours_before = ours.read_text()
    rc, out, _recap = run_playbook(tmp_path, play)
    assert rc != 0
    assert said(f"{user_file} is kubescheduler.config.k8s.io/v1alpha1", out)
    assert cluster_yml.read_text() == original
    assert ours.read_text() == ours_before


def test_rke2_dropin_after_rancher_migration_merge_health_and_rollback(tmp_path, health_double_factory):
    rke2 = tmp_path / "rke2"
    (rke2 / "config.yaml.d").mkdir(parents=True)
    config_dir = tmp_path / "scheduler"
    rke2_config = rke2 / "config.yaml"
    original = (FIXTURES / "rke2-config.yaml.txt").read_text()
    # what the role wrote into config.yaml before it used a drop-in
    old_edit = (
        original
        + f"  - config={config_dir}/scheduler-config.yaml\nkube-scheduler-extra-mount:\n"
        + f"  - {config_dir}:{config_dir}:ro\n"
    )
    rke2_config.write_text(old_edit)
    # Rancher's drop-in (JSON, as its system agent writes it) replaces kube-scheduler-arg with its own config=
    user_config = rke2 / "user-scheduler.yaml"
    user_config.write_text(
        "apiVersion: kubescheduler.config.k8s.io/v1beta2\nkind: KubeSchedulerConfiguration\n"
        "clientConnection:\n  kubeconfig: /var/lib/rancher/rke2/server/cred/scheduler.kubeconfig\n"
        "percentageOfNodesToScore: 30\nprofiles:\n- schedulerName: default-scheduler\n"
        "- schedulerName: gpu\n  plugins:\n    score:\n      disabled:\n      - name: ImageLocality\n"
    )
    rancher = rke2 / "config.yaml.d" / "50-rancher.yaml"
    rancher.write_text(json.dumps({"cni": "calico", "kube-scheduler-arg": [f"config={user_config}"]}) + "\n")
    rancher_text = rancher.read_text()
    user_text = user_config.read_text()
    version_double = tmp_path / "rke2-version-double"
    version_double.write_text("#!/bin/sh\necho 'rke2 version v1.22.17+rke2r1 (0123abcd)'\necho 'go version go1.16'\n")
    version_double.chmod(0o755)
    dropin = rke2 / "config.yaml.d" / "70-lvmkube-scheduler.yaml"
    double = health_double_factory(dropin)
    play = RKE2_PLAY.format(tmp=tmp_path, url=double["url"])

    rc, out, _recap = run_playbook(tmp_path, play, "--check", "--diff")
    assert rc == 0, out
    assert rke2_config.read_text() == old_edit
    assert not dropin.exists()

    rc, out, _recap = run_playbook(tmp_path, play)
    assert rc == 0, out
    assert rke2_config.read_text() == original  # the old edit moved out, the rest byte for byte
    assert rancher.read_text() == rancher_text
    assert yaml.safe_load(dropin.read_text()) == {
        "kube-scheduler-arg+": [f"config={config_dir}/scheduler-config.yaml"],
        "kube-scheduler-extra-mount+": [f"{config_dir}:{config_dir}:ro"],
    }
    generated = yaml.safe_load((config_dir / "scheduler-config.yaml").read_text())
    assert generated["apiVersion"] == "kubescheduler.config.k8s.io/v1beta2"  # the user's, still read by v1.22
    assert generated["percentageOfNodesToScore"] == 30
    assert [p["schedulerName"] for p in generated["profiles"]] == ["default-scheduler", "gpu"]
    assert generated["extenders"][0]["urlPrefix"] == "http://127.0.0.1:9251"
    assert user_config.read_text() == user_text
    assert f"running with --config={config_dir}/scheduler-config.yaml" in double["log_file"].read_text()

    assert_second_run_unchanged(tmp_path, play)

    # absent removes the drop-in; then a scheduler that never becomes healthy is rolled back
    removed(tmp_path, play, double)
    assert not dropin.exists()
    assert rke2_config.read_text() == original
    out, _recap = rolled_back(tmp_path, play, double)
    assert "never-ok mode" in out
    assert not dropin.exists()
    assert rke2_config.read_text() == original
    assert rancher.read_text() == rancher_text
    assert not (config_dir / "scheduler-config.yaml").exists()
