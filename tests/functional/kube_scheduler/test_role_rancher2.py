# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's rancher2 path (Rancher-provisioned RKE2) against the test double of Rancher's local cluster API.

Proves: version read from the Cluster, check mode writes nothing, the Secret holds the rendered configuration and
the Cluster gets machineSelectorFiles and machineSelectorConfig for control-plane machines, a second run changes
nothing, absent restores the Cluster's spec and deletes the Secret.
"""

from __future__ import annotations

import base64
import copy
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import run_playbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "doubles"))
from rancher_local_cluster_double import LocalClusterApiDouble

pytestmark = pytest.mark.slow

TOKEN = "token-xyz:secret"
PREFIX = "/k8s/clusters/local"
CLUSTER_PATH = PREFIX + "/apis/provisioning.cattle.io/v1/namespaces/fleet-default/clusters/c1"
SECRET_PATH = PREFIX + "/api/v1/namespaces/fleet-default/secrets/lvmkube-kube-scheduler"
CLUSTER = {
    "apiVersion": "provisioning.cattle.io/v1",
    "kind": "Cluster",
    "metadata": {"name": "c1", "namespace": "fleet-default", "resourceVersion": "7"},
    "spec": {"kubernetesVersion": "v1.31.3+rke2r1", "rkeConfig": {"machineGlobalConfig": {"cni": "canal"}}},
}
PLAY = """
- name: kube_scheduler through Rancher's provisioning Cluster
  hosts: localhost
  gather_facts: false
  roles:
    - role: lvmkube.cluster.kube_scheduler
      vars:
        kube_scheduler_state: "{{{{ state | default('present') }}}}"
        kube_scheduler_distribution: rancher2
        kube_scheduler_rancher_url: {url}
        kube_scheduler_rancher_token: {token}
        kube_scheduler_rancher_cluster_name: c1
"""


def test_rancher2_role_path(tmp_path):
    api = LocalClusterApiDouble({CLUSTER_PATH: copy.deepcopy(CLUSTER)}, TOKEN, prefix=PREFIX)
    try:
        play = PLAY.format(url=api.url, token=TOKEN)
        rc, out, recap = run_playbook(tmp_path, play, "--check")
        assert rc == 0, out
        assert api.writes() == []

        rc, out, recap = run_playbook(tmp_path, play)
        assert rc == 0, out
        secret = api.objects[SECRET_PATH]
        config = yaml.safe_load(base64.b64decode(secret["data"]["scheduler-config.yaml"]))
        assert config["apiVersion"] == "kubescheduler.config.k8s.io/v1"  # v1.31 from the Cluster
        assert config["clientConnection"]["kubeconfig"] == "/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig"
        rke = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]
        assert rke["machineGlobalConfig"] == {"cni": "canal"}
        assert rke["machineSelectorFiles"][0]["fileSources"][0]["secret"]["items"][0]["path"] == (
            "/etc/kubernetes/scheduler/scheduler-config.yaml"
        )
        assert rke["machineSelectorConfig"][0]["config"]["kube-scheduler-arg"] == [
            "config=/etc/kubernetes/scheduler/scheduler-config.yaml"
        ]

        api.requests.clear()
        rc, out, recap = run_playbook(tmp_path, play)
        assert rc == 0, out
        assert recap["changed"] == 0, out
        assert api.writes() == []

        rc, out, recap = run_playbook(tmp_path, play, "-e", "state=absent")
        assert rc == 0, out
        assert api.objects[CLUSTER_PATH]["spec"] == CLUSTER["spec"]
        assert SECRET_PATH not in api.objects
    finally:
        api.server.shutdown()
