# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rancher_v2_cluster_scheduler against a TEST DOUBLE of the Kubernetes API of Rancher's local cluster (127.0.0.1).

The double keeps a provisioning.cattle.io/v1 Cluster and Secrets in memory and records every request. The Cluster the
module sends is validated against a schema written from Rancher's public Go types (fixture
provisioning-cluster-selectors.schema.json). No Rancher runs here.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import sys
from pathlib import Path

import jsonschema
import pytest
from helpers.kube_scheduler import CONFIG_FILE, FIXTURES

from ansible_collections.lvmkube.cluster.plugins.modules import rancher_v2_cluster_scheduler

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "doubles"))
from rancher_local_cluster_double import LocalClusterApiDouble

TOKEN = "token-xyz:secret"
CLUSTER_PATH = "/apis/provisioning.cattle.io/v1/namespaces/fleet-default/clusters/c1"
SECRET_PATH = "/api/v1/namespaces/fleet-default/secrets/lvmkube-kube-scheduler"
CP = {"matchLabels": {"rke.cattle.io/control-plane-role": "true"}}
CLUSTER = {
    "apiVersion": "provisioning.cattle.io/v1",
    "kind": "Cluster",
    "metadata": {"name": "c1", "namespace": "fleet-default", "resourceVersion": "100"},
    "spec": {
        "kubernetesVersion": "v1.30.4+rke2r1",
        "rkeConfig": {
            "machineGlobalConfig": {"cni": "calico"},
            "machineSelectorConfig": [
                {"config": {"protect-kernel-defaults": False}},
                {"machineLabelSelector": CP, "config": {"kube-scheduler-arg": ["v=2"]}},
            ],
            "machineSelectorFiles": [
                {
                    "machineLabelSelector": CP,
                    "fileSources": [{"configMap": {"name": "audit", "items": [{"key": "p", "path": "/etc/a.yaml"}]}}],
                }
            ],
        },
    },
}
TEXT = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"


@pytest.fixture
def api():
    double = LocalClusterApiDouble({CLUSTER_PATH: copy.deepcopy(CLUSTER)}, TOKEN)
    yield double
    double.server.shutdown()


def args(api, **extra):
    base = {
        "api_url": api.url,
        "api_token": TOKEN,
        "cluster_name": "c1",
        "config_file": CONFIG_FILE,
        "config_dir": "/etc/kubernetes/scheduler",
        "config_text": TEXT,
    }
    base.update(extra)
    return base


def test_present_check_idempotence_update_and_absent(api, run_module):
    schema = json.loads((FIXTURES / "provisioning-cluster-selectors.schema.json").read_text())

    result = run_module(rancher_v2_cluster_scheduler, _ansible_check_mode=True, _ansible_diff=True, **args(api))
    assert result["changed"] is True
    assert "machineSelectorFiles" in result["diff"]["after"]
    assert api.writes() == []  # check mode only reads

    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["changed"] is True
    assert api.writes() == [("POST", "/api/v1/namespaces/fleet-default/secrets"), ("PUT", CLUSTER_PATH)]
    secret = api.objects[SECRET_PATH]
    assert base64.b64decode(secret["data"]["scheduler-config.yaml"]).decode() == TEXT
    cluster = api.objects[CLUSTER_PATH]
    jsonschema.validate(cluster, schema)
    rke = cluster["spec"]["rkeConfig"]
    assert rke["machineGlobalConfig"] == {"cni": "calico"}
    assert rke["machineSelectorConfig"][0] == {"config": {"protect-kernel-defaults": False}}
    assert rke["machineSelectorConfig"][1]["config"] == {
        "kube-scheduler-arg": ["v=2", f"config={CONFIG_FILE}"],
        "kube-scheduler-extra-mount": ["/etc/kubernetes/scheduler:/etc/kubernetes/scheduler:ro"],
    }
    assert rke["machineSelectorFiles"][0] == CLUSTER["spec"]["rkeConfig"]["machineSelectorFiles"][0]
    assert rke["machineSelectorFiles"][1] == {
        "machineLabelSelector": CP,
        "fileSources": [
            {
                "secret": {
                    "name": "lvmkube-kube-scheduler",
                    "items": [
                        {
                            "key": "scheduler-config.yaml",
                            "path": CONFIG_FILE,
                            "permissions": "0644",
                            "dynamic": True,
                            "hash": hashlib.sha256(TEXT.encode()).hexdigest(),
                        }
                    ],
                }
            }
        ],
    }

    api.requests.clear()
    assert run_module(rancher_v2_cluster_scheduler, **args(api))["changed"] is False
    assert api.writes() == []

    # a new configuration replaces the Secret and changes the hash in the Cluster
    result = run_module(rancher_v2_cluster_scheduler, **args(api, config_text=TEXT + "parallelism: 8\n"))
    assert result["changed"] is True
    assert api.writes() == [("PUT", SECRET_PATH), ("PUT", CLUSTER_PATH)]

    api.requests.clear()
    result = run_module(rancher_v2_cluster_scheduler, state="absent", **args(api, config_text=None))
    assert result["changed"] is True
    assert api.writes() == [("PUT", CLUSTER_PATH), ("DELETE", SECRET_PATH)]
    after = api.objects[CLUSTER_PATH]
    assert after["spec"] == CLUSTER["spec"]
    jsonschema.validate(after, schema)
    assert run_module(rancher_v2_cluster_scheduler, state="absent", **args(api, config_text=None))["changed"] is False


def test_cluster_without_our_control_plane_entry_gets_one(api, run_module):
    del api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]["machineSelectorConfig"]
    run_module(rancher_v2_cluster_scheduler, **args(api))
    configs = api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]["machineSelectorConfig"]
    assert configs == [
        {
            "machineLabelSelector": CP,
            "config": {
                "kube-scheduler-arg": [f"config={CONFIG_FILE}"],
                "kube-scheduler-extra-mount": ["/etc/kubernetes/scheduler:/etc/kubernetes/scheduler:ro"],
            },
        }
    ]
    run_module(rancher_v2_cluster_scheduler, state="absent", **args(api, config_text=None))
    assert "machineSelectorConfig" not in api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]


def test_refusals_write_nothing(api, run_module):
    result = run_module(rancher_v2_cluster_scheduler, **args(api, api_token="wrong"))
    assert result["failed"] is True
    assert "401" in result["msg"]
    result = run_module(rancher_v2_cluster_scheduler, **args(api, cluster_name="missing"))
    assert result["failed"] is True
    assert "no provisioning.cattle.io/v1 Cluster fleet-default/missing" in result["msg"]
    del api.objects[CLUSTER_PATH]["spec"]["rkeConfig"]
    result = run_module(rancher_v2_cluster_scheduler, **args(api))
    assert result["failed"] is True
    assert "no spec.rkeConfig" in result["msg"]
    assert api.writes() == []
