# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's rancher2 path (Rancher-provisioned RKE2 and K3s) against the test doubles of Rancher's local cluster
API and of its planner (tests/doubles/rancher_planner_double.py).

Proves: Rancher's version checked (2.7.2 floor), version and kubeconfig read from the Cluster, check mode writes
nothing, the Secret holds the rendered configuration and the Cluster gets machineSelectorFiles and
machineSelectorConfig for control-plane machines that the planner emulator accepts, a second run changes nothing,
absent restores the Cluster's spec and deletes the Secret.
"""

from __future__ import annotations

import base64
import copy
import sys
from pathlib import Path

import pytest
import yaml
from helpers.kube_scheduler import role_play

from .conftest import assert_second_run_unchanged, run_playbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "doubles"))
import rancher_planner_double as planner
from rancher_local_cluster_double import LocalClusterApiDouble

pytestmark = pytest.mark.slow

TOKEN = "token-xyz:secret"
PREFIX = "/k8s/clusters/local"
CLUSTER_PATH = PREFIX + "/apis/provisioning.cattle.io/v1/namespaces/fleet-default/clusters/c1"
SECRET_PATH = PREFIX + "/api/v1/namespaces/fleet-default/secrets/lvmkube-kube-scheduler-c1"
VERSION_PATH = "/v3/settings/server-version"
CLUSTER = {
    "apiVersion": "provisioning.cattle.io/v1",
    "kind": "Cluster",
    "metadata": {"name": "c1", "namespace": "fleet-default", "resourceVersion": "7"},
    "spec": {"kubernetesVersion": "v1.31.3+rke2r1", "rkeConfig": {"machineGlobalConfig": {"cni": "canal"}}},
}
PLAY = role_play(
    "kube_scheduler through Rancher's provisioning Cluster",
    """\
        kube_scheduler_distribution: rancher-v2
        kube_scheduler_rancher_url: {url}
        kube_scheduler_rancher_token: {token}
        kube_scheduler_rancher_cluster_name: c1
""",
)


def planned(api):
    """The planner emulator's plan of a control-plane machine from the objects in the double."""
    secrets = {p.rsplit("/", 1)[1]: o for p, o in api.objects.items() if "/secrets/" in p}
    return planner.node_plan(api.objects[CLUSTER_PATH], secrets)


def second_run_then_absent(tmp_path, play, api, cluster):
    """A second run writes nothing (changed=0); absent gives the Cluster's spec back."""
    api.requests.clear()
    assert_second_run_unchanged(tmp_path, play)
    assert api.writes() == []
    rc, out, _recap = run_playbook(tmp_path, play, "-e", "state=absent")
    assert rc == 0, out
    assert api.objects[CLUSTER_PATH]["spec"] == cluster["spec"]


@pytest.mark.parametrize(
    ("version", "data_dir"), [("v1.31.3+rke2r1", "/var/lib/rancher/rke2"), ("v1.31.3+k3s1", "/var/lib/rancher/k3s")]
)
def test_rancher2_role_path(tmp_path, version, data_dir):
    cluster = copy.deepcopy(CLUSTER)
    cluster["spec"]["kubernetesVersion"] = version
    api = LocalClusterApiDouble({CLUSTER_PATH: cluster, VERSION_PATH: {"value": "v2.7.2"}}, TOKEN, prefix=PREFIX)
    try:
        play = PLAY.format(url=api.url, token=TOKEN)
        rc, out, _recap = run_playbook(tmp_path, play, "--check")
        assert rc == 0, out
        assert api.writes() == []

        rc, out, _recap = run_playbook(tmp_path, play)
        assert rc == 0, out
        secret = api.objects[SECRET_PATH]
        config = yaml.safe_load(base64.b64decode(secret["data"]["scheduler-config.yaml"]))
        assert config["apiVersion"] == "kubescheduler.config.k8s.io/v1"  # v1.31 from the Cluster
        assert config["clientConnection"]["kubeconfig"] == f"{data_dir}/server/cred/scheduler.kubeconfig"
        node = planned(api)  # Rancher's planner accepts the objects
        assert "config=/etc/kubernetes/scheduler/scheduler-config.yaml" in node["config"]["kube-scheduler-arg"]
        rke = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]
        assert rke["machineGlobalConfig"] == {"cni": "canal"}
        assert rke["machineSelectorFiles"][0]["fileSources"][0]["secret"]["items"][0]["path"] == (
            "/etc/kubernetes/scheduler/scheduler-config.yaml"
        )
        assert rke["machineSelectorConfig"][-1]["config"]["kube-scheduler-arg"] == [
            "config=/etc/kubernetes/scheduler/scheduler-config.yaml"
        ]

        second_run_then_absent(tmp_path, play, api, cluster)
        assert SECRET_PATH not in api.objects
    finally:
        api.server.shutdown()


def test_rancher2_role_refuses_rancher_before_2_7_2(tmp_path):
    api = LocalClusterApiDouble(
        {CLUSTER_PATH: copy.deepcopy(CLUSTER), VERSION_PATH: {"value": "v2.7.1"}}, TOKEN, prefix=PREFIX
    )
    try:
        for extra in ((), ("-e", "state=absent")):
            rc, out, _recap = run_playbook(tmp_path, PLAY.format(url=api.url, token=TOKEN), *extra)
            assert rc != 0
            assert "older than 2.7.2" in out
        assert api.writes() == []
        assert api.objects[CLUSTER_PATH] == CLUSTER
    finally:
        api.server.shutdown()


USER_CONFIG = "/etc/rancher/custom/scheduler.yaml"
USER_TEXT = """apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
leaderElection:
  leaderElect: true
  leaseDuration: 30s
profiles:
- schedulerName: gpu-scheduler
extenders:
- urlPrefix: http://other-extender:8080
  filterVerb: filter
"""


def test_rancher2_role_merges_the_users_own_configuration(tmp_path):
    cluster = copy.deepcopy(CLUSTER)
    rke = cluster["spec"]["rkeConfig"]
    rke["machineGlobalConfig"]["kube-scheduler-arg"] = [f"config={USER_CONFIG}"]
    rke["machineSelectorFiles"] = [
        {"fileSources": [{"secret": {"name": "mine", "items": [{"key": "s", "path": USER_CONFIG}]}}]}
    ]
    mine = {
        "metadata": {"name": "mine", "annotations": {planner.AUTHORIZED_OBJECT_ANNOTATION: "c1"}},
        "data": {"s": base64.b64encode(USER_TEXT.encode()).decode()},
    }
    api = LocalClusterApiDouble(
        {
            CLUSTER_PATH: cluster,
            VERSION_PATH: {"value": "v2.9.3"},
            PREFIX + "/api/v1/namespaces/fleet-default/secrets/mine": mine,
        },
        TOKEN,
        prefix=PREFIX,
    )
    try:
        play = PLAY.format(url=api.url, token=TOKEN)
        rc, out, _recap = run_playbook(tmp_path, play)
        assert rc == 0, out
        merged = yaml.safe_load(base64.b64decode(api.objects[SECRET_PATH]["data"]["scheduler-config.yaml"]))
        assert merged["profiles"] == [{"schedulerName": "gpu-scheduler"}]
        assert merged["leaderElection"] == {"leaderElect": True, "leaseDuration": "30s"}
        assert [e["urlPrefix"] for e in merged["extenders"]] == ["http://other-extender:8080", "http://127.0.0.1:9251"]
        node = planned(api)
        assert node["config"]["kube-scheduler-arg"][0] == "config=/etc/kubernetes/scheduler/scheduler-config.yaml"

        second_run_then_absent(tmp_path, play, api, cluster)
        node = planner.node_plan(api.objects[CLUSTER_PATH], {"mine": mine})
        assert node["config"]["kube-scheduler-arg"][0] == f"config={USER_CONFIG}"
    finally:
        api.server.shutdown()
