# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The nifcloud_manifests filters: errors wrapped for Ansible, the component's builders, the rendered files."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.filter import nifcloud_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.module_utils import distribution as vocabulary
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests import placement

REGION = {"region": "jp-east-1"}


def test_filters_wrap_errors_and_render_files():
    with pytest.raises(AnsibleFilterError, match="NIFCLOUD configuration error"):
        flt.nifcloud_manifests({}, "ccm")
    with pytest.raises(AnsibleFilterError, match="component"):
        flt.nifcloud_manifests(REGION, "lb")
    objects = flt.nifcloud_manifests(REGION, "ccm")
    files = flt.nifcloud_render_files(objects, "ccm", "1.2.0", "my-secret")
    assert [f["name"] for f in files][-1] == "kustomization.yaml"
    assert "my-secret" in files[-1]["content"]
    assert yaml.safe_load(files[0]["content"]) == objects[0]
    secret = flt.nifcloud_secret("my-secret", "kube-system", "AK", "SK")
    with_secret = flt.nifcloud_render_files([secret, *objects], "ccm", "1.2.0", "my-secret")
    assert with_secret[0]["mode"] == "0600"
    assert "not rendered" not in with_secret[-1]["content"]
    facts = flt.nifcloud_facts(dict(REGION, storage_classes=[{"name": "std", "type": "standard"}]), "csi")
    assert facts["storage_classes"] == ["std"]
    assert facts["secret_name"] == "nifcloud-additional-storage-csi-secret"


@pytest.mark.parametrize(("component", "refused"), [("ccm", {"name": "ccm"}), ("csi", {"image_pull_secrets": ["m"]})])
def test_every_filter_serves_both_components_and_refuses_others(component, refused):
    assert flt.nifcloud_helm_values(REGION, component)["nifcloud"]["region"] == "jp-east-1"
    assert flt.nifcloud_facts(REGION, component)["namespace"] == "kube-system"
    with pytest.raises(AnsibleFilterError, match="component 'lb'"):
        flt.nifcloud_facts(REGION, "lb")
    with pytest.raises(AnsibleFilterError, match=r"NIFCLOUD configuration error: .*cannot be given to the chart"):
        flt.nifcloud_helm_values(dict(REGION, **refused), component)


def test_smoke_objects_filter_takes_text_replicas():
    objects = flt.nifcloud_lb_smoke_objects("smoke", "nginx:alpine", "2", "4")
    assert objects["deployment"]["spec"]["replicas"] == 4
    with pytest.raises(AnsibleFilterError, match="accounting_type"):
        flt.nifcloud_lb_smoke_objects("smoke", "nginx:alpine", "9")


def _daemonset_spec(objects):
    return next(o for o in objects if o["kind"] == "DaemonSet")["spec"]["template"]["spec"]


@pytest.mark.parametrize("name", [*vocabulary.DISTRIBUTIONS, "rancher", "rancher2"])
def test_every_distribution_of_the_vocabulary_through_the_filter(name):
    # The CCM is placed by the distribution's family like topolvm-scheduler; the CSI objects are the same everywhere.
    ccm = flt.nifcloud_manifests(dict(REGION, distribution=name, kubernetes_version="1.33"), "ccm")
    affinity, _tolerations = placement.scheduler_placement(name, (1, 33))
    assert _daemonset_spec(ccm)["affinity"] == affinity
    csi = flt.nifcloud_manifests(dict(REGION, distribution=name), "csi")
    assert csi == flt.nifcloud_manifests(dict(REGION, distribution="kubeadm"), "csi")


@pytest.mark.parametrize("component", ["ccm", "csi"])
def test_distribution_outside_the_vocabulary_is_refused_by_the_filter(component):
    with pytest.raises(AnsibleFilterError, match="distribution: 'openshift' is not a distribution; use one of"):
        flt.nifcloud_manifests(dict(REGION, distribution="openshift"), component)
