# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helm mode of nifcloud_ccm and nifcloud_csi gives the cluster render mode gives (issue #27, points 1-3).

Facts from the upstream charts, read with the search tools (not part of this repository):
- nifcloud/nifcloud-cloud-controller-manager chart v1.2.0 (tag v1.2.0, commit 231d33d5acede8892f8d147bce7467e018f89614),
  charts/nifcloud-cloud-controller-manager/values.yaml: nodeSelector defaults to
  {node-role.kubernetes.io/control-plane: ""}; templates/daemonset.yaml hard-codes the three args.
- nifcloud/nifcloud-additional-storage-csi-driver chart v1.1.0 (tag v1.1.0, commit
  df5e6830e86678a7572f5e9ad9ac5fe0b2f93ed5), charts/nifcloud-additional-storage-csi-driver/values.yaml and
  templates/{controller,node}.yaml: sidecars.<name>.logLevel for each sidecar's --v, node.yaml's node plugin gets
  --v={{ .Values.controller.logLevel }}, /var/lib/kubelet hard-coded in node.yaml, imagePullSecrets read by no
  template, sidecars.livenessProbe.resources 20m/32Mi and 100m/128Mi, the controller container's securityContext
  read from controller.containerSecurityContext.
Helm's merge of the values with the chart's defaults is the double ``coalesce`` of tests/helpers/helm_merge.py,
checked against the real helm v4 in tests/integration/helm_values.
"""

from __future__ import annotations

import pytest
from helpers.helm_merge import coalesce

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud import manifests as nm

REGION = {"region": "jp-east-1"}


def find(objects, kind, name=None):
    return next(o for o in objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name))


def containers(obj):
    return {c["name"]: c for c in obj["spec"]["template"]["spec"]["containers"]}


@pytest.mark.parametrize("distribution", ["kubeadm", "rke1", "rke2"])
def test_ccm_helm_mode_clears_the_charts_node_selector(distribution):
    # Point 1: {} merged into the default map leaves control-plane: "" (no RKE node has it); null deletes it.
    values = nm.ccm_helm_values(dict(REGION, distribution=distribution))
    merged = coalesce({"nodeSelector": nm.CCM_CHART_NODE_SELECTOR}, values)
    assert merged["nodeSelector"] == {}
    assert coalesce({"nodeSelector": nm.CCM_CHART_NODE_SELECTOR}, {"nodeSelector": {}})["nodeSelector"] == {
        "node-role.kubernetes.io/control-plane": ""
    }
    ds = find(nm.ccm_objects(dict(REGION, distribution=distribution)), "DaemonSet")
    assert "nodeSelector" not in ds["spec"]["template"]["spec"]
    assert values["affinity"] == ds["spec"]["template"]["spec"]["affinity"]


def test_ccm_extra_args_are_refused_in_helm_mode():
    with pytest.raises(nm.NifcloudConfigError, match="hard-codes the args"):
        nm.ccm_helm_values(dict(REGION, extra_args=["--v=4"]))
    nm.ccm_objects(dict(REGION, extra_args=["--v=4"]))  # render and apply pass them


def test_csi_log_level_reaches_every_container_in_both_modes():
    # Point 2: --v=5 in render mode; under Helm each sidecar reads its own sidecars.<name>.logLevel.
    raw = dict(REGION, log_level=5)
    objs = nm.csi_objects(raw)
    values = nm.csi_helm_values(raw)
    rendered = {**containers(find(objs, "Deployment")), **containers(find(objs, "DaemonSet"))}
    for name, container in rendered.items():
        levels = [a for a in container.get("args", []) if a.startswith("--v=")]
        if name != "liveness-probe":
            assert levels == ["--v=5"], name
    for chart_key in ("provisioner", "attacher", "resizer", "nodeDriverRegistrar"):
        assert values["sidecars"][chart_key]["logLevel"] == 5
    assert values["controller"]["logLevel"] == values["node"]["logLevel"] == 5


def test_csi_kubelet_dir_is_refused_in_helm_mode_and_rendered_otherwise():
    raw = dict(REGION, kubelet_dir="/var/lib/k0s/kubelet")
    with pytest.raises(nm.NifcloudConfigError, match="hard-codes /var/lib/kubelet"):
        nm.csi_helm_values(raw)
    node = find(nm.csi_objects(raw), "DaemonSet")
    paths = {v["name"]: v["hostPath"]["path"] for v in node["spec"]["template"]["spec"]["volumes"] if "hostPath" in v}
    assert paths["kubelet-dir"] == "/var/lib/k0s/kubelet"
    nm.csi_helm_values(dict(REGION, kubelet_dir="/var/lib/kubelet/"))  # the default, written with a slash


def test_csi_image_pull_secrets_are_refused_in_helm_mode_only():
    raw = dict(REGION, image_pull_secrets=["mirror-creds"])
    with pytest.raises(nm.NifcloudConfigError, match="never read imagePullSecrets"):
        nm.csi_helm_values(raw)
    for kind in ("Deployment", "DaemonSet"):
        assert find(nm.csi_objects(raw), kind)["spec"]["template"]["spec"]["imagePullSecrets"] == [
            {"name": "mirror-creds"}
        ]


def test_csi_liveness_probe_resources_are_the_charts():
    # Point 3: the chart's sidecars.livenessProbe.resources, not the other sidecars' 30m/200m.
    chart = {"requests": {"cpu": "20m", "memory": "32Mi"}, "limits": {"cpu": "100m", "memory": "128Mi"}}
    objs = nm.csi_objects(REGION)
    for kind in ("Deployment", "DaemonSet"):
        assert containers(find(objs, kind))["liveness-probe"]["resources"] == chart
    assert nm.csi_helm_values(REGION)["sidecars"]["livenessProbe"]["resources"] == chart


def test_csi_controller_container_security_context_reaches_the_chart():
    objs = nm.csi_objects(REGION)
    values = nm.csi_helm_values(REGION)
    assert (
        containers(find(objs, "Deployment"))["controller"]["securityContext"]
        == values["controller"]["containerSecurityContext"]
    )


def test_a_partial_resources_map_replaces_the_default_under_helm():
    raw = dict(REGION, controller={"resources": {"limits": {"memory": "1Gi"}}})
    values = nm.csi_helm_values(raw)
    chart = {"resources": nm.CSI_COMPONENT_DEFAULTS["controller"]["resources"]}
    assert coalesce(chart, values["controller"])["resources"] == {"limits": {"memory": "1Gi"}}
    assert containers(find(nm.csi_objects(raw), "Deployment"))["controller"]["resources"] == {
        "limits": {"memory": "1Gi"}
    }


def test_ccm_other_name_is_refused_in_helm_mode():
    # Chart v1.2.0 templates/daemonset.yaml hard-codes serviceAccountName: nifcloud-cloud-controller-manager while
    # templates/serviceaccount.yaml names the account after the chart (or nameOverride).
    with pytest.raises(nm.NifcloudConfigError, match="hard-codes that ServiceAccount"):
        nm.ccm_helm_values(dict(REGION, name="ccm"))
    assert find(nm.ccm_objects(dict(REGION, name="ccm")), "DaemonSet")["metadata"]["name"] == "ccm"
