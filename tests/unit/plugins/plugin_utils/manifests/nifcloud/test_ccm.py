# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisive fields of the NIFCLOUD cloud controller manager objects, and the settings it refuses."""

from __future__ import annotations

import pytest
from helpers.nifcloud_manifests import env_of, find, pod_spec

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.ccm import ccm_facts, ccm_objects
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import NifcloudConfigError

REGION = {"region": "jp-east-1"}


def test_ccm_flags_env_and_placement():
    objects = ccm_objects(dict(REGION, extra_args=["--v=2"]))
    ds = find(objects, "DaemonSet")
    spec = pod_spec(ds)
    container = spec["containers"][0]
    assert container["image"] == "ghcr.io/nifcloud/nifcloud-cloud-controller-manager:v1.2.0"
    assert container["args"] == [
        "--cloud-provider=nifcloud",
        "--leader-elect=true",
        "--use-service-account-credentials",
        "--v=2",
    ]
    env = env_of(container)
    assert env["NIFCLOUD_REGION"] == "jp-east-1"
    assert env["NIFCLOUD_ACCESS_KEY_ID"] == {
        "secretKeyRef": {"name": "nifcloud-cloud-controller-manager-secret", "key": "access_key_id"}
    }
    assert env["NIFCLOUD_SECRET_ACCESS_KEY"]["secretKeyRef"]["key"] == "secret_access_key"
    assert env["NODE_NAME"] == {"fieldRef": {"fieldPath": "spec.nodeName"}}
    assert spec["hostNetwork"] is True
    taints = {(t.get("key"), t.get("effect")) for t in spec["tolerations"]}
    assert ("node.cloudprovider.kubernetes.io/uninitialized", "NoSchedule") in taints
    assert ("node-role.kubernetes.io/control-plane", "NoSchedule") in taints
    binding = find(objects, "RoleBinding")
    assert binding["metadata"]["namespace"] == "kube-system"
    assert binding["roleRef"]["name"] == "extension-apiserver-authentication-reader"
    assert find(objects, "ClusterRole")["metadata"]["name"] == "system:nifcloud-cloud-controller-manager"


def test_ccm_follows_the_distribution():
    rke2 = pod_spec(find(ccm_objects(dict(REGION, distribution="rke2")), "DaemonSet"))
    terms = rke2["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert terms[0]["matchExpressions"][0]["values"] == ["true"]
    rke1 = pod_spec(find(ccm_objects(dict(REGION, distribution="rke1")), "DaemonSet"))
    assert "node-role.kubernetes.io/controlplane" in {t.get("key") for t in rke1["tolerations"]}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "region ''"),
        ({"region": "tokyo"}, "region 'tokyo'"),
        (dict(REGION, extra_args=["--cloud-provider=aws"]), "must not repeat"),
        (dict(REGION, extra_args=["v=2"]), "list of flags"),
        (dict(REGION, distribution="openshift"), "distribution"),
        (dict(REGION, colour="red"), "unknown setting"),
        (dict(REGION, version="latest"), "not a release"),
    ],
)
def test_ccm_bad_settings_are_refused(raw, message):
    with pytest.raises(NifcloudConfigError, match=message):
        ccm_objects(raw)


def test_ccm_facts_name_the_secret_and_the_version():
    assert ccm_facts(dict(REGION, version="v1.2.1", namespace="nifcloud")) == {
        "secret_name": "nifcloud-cloud-controller-manager-secret",
        "namespace": "nifcloud",
        "version": "1.2.1",
    }
