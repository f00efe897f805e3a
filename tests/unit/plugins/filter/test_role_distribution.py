# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role_distribution filter, and each role's wiring of it: the role variable defaults to lvmkube_distribution,
the role passes it through the filter under its own name, cloud_provider refuses what it has no path for."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.filter import role_distribution as flt
from ansible_collections.lvmkube.cluster.plugins.module_utils import distribution as vocabulary

ROOT = Path(__file__).resolve().parents[4]
ROLES = ("cloud_provider", "topolvm", "nifcloud_ccm", "nifcloud_csi")


def role_yaml(role, name):
    return yaml.safe_load((ROOT / "roles" / role / name).read_text())


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(flt.display, "warning", shown.append)
    return shown


def test_filter_returns_the_name_and_shows_the_deprecation(warnings):
    assert flt.role_distribution("rke2", "topolvm_distribution", "rke2") == "rke2"
    assert warnings == []
    assert flt.role_distribution("rke1", "topolvm_distribution") == "rke1"
    assert warnings and warnings[0].startswith("topolvm_distribution is deprecated: set lvmkube_distribution: rke1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("kubeadm", "topolvm_distribution", "rke2"), "disagrees with lvmkube_distribution='rke2'"),
        (("openshift", "topolvm_distribution"), "topolvm_distribution: 'openshift' is not a distribution"),
        (("k3s", "x_distribution", "", ["kubeadm"]), "x_distribution: 'k3s' is a distribution this role cannot serve"),
        (("kubeadm", ""), "needs the name of the role variable"),
        (("kubeadm", "x_distribution", "", []), "serves must be a non-empty list"),
        (("kubeadm", "x_distribution", "", "kubeadm"), "serves must be a non-empty list"),
    ],
)
def test_filter_errors_are_filter_errors(args, message, warnings):
    with pytest.raises(AnsibleFilterError, match=message):
        flt.role_distribution(*args)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_defaults_to_lvmkube_distribution_and_documents_the_vocabulary(role):
    variable = f"{role}_distribution"
    assert role_yaml(role, "defaults/main.yml")[variable] == "{{ lvmkube_distribution | default('kubeadm') }}"
    option = role_yaml(role, "meta/argument_specs.yml")["argument_specs"]["main"]["options"][variable]
    assert tuple(option["choices"]) == vocabulary.DISTRIBUTIONS
    assert "lvmkube_distribution" in " ".join(option["description"])


@pytest.mark.parametrize("role", ["topolvm", "nifcloud_ccm", "nifcloud_csi"])
def test_manifest_roles_pass_their_variable_through_the_filter(role):
    # topolvm builds its settings dict in one expression (from the argument spec); the NIFCLOUD roles list keys.
    config = role_yaml(role, "vars/main.yml")[f"{role}__config"]
    text = " ".join(str(config if isinstance(config, str) else config["distribution"]).split())
    assert (
        f"{role}_distribution | lvmkube.cluster.role_distribution('{role}_distribution',"
        " lvmkube_distribution | default(''))"
    ) in text


def test_cloud_provider_decides_first_and_refuses_what_it_has_no_path_for(warnings):
    tasks = role_yaml("cloud_provider", "tasks/main.yml")
    assert tasks[0]["name"] == "Decide the distribution before anything changes"
    assert "lvmkube.cluster.role_distribution('cloud_provider_distribution'" in str(tasks[0])
    role_vars = role_yaml("cloud_provider", "vars/main.yml")
    serves, why = role_vars["cloud_provider__serves"], role_vars["cloud_provider__refusal"]
    # Every included task file is one the role serves, and each served one has its task file.
    included = {t["when"].split("== ")[1].strip("'") for t in tasks if "include_tasks" in str(t)}
    assert included == set(serves) == {"kubeadm", "kubespray", "rke2"}
    for name in serves:
        assert (ROOT / "roles/cloud_provider/tasks" / f"{name}.yml").exists()
        assert flt.role_distribution(name, "cloud_provider_distribution", name, serves, why) == name
    for name in set(vocabulary.DISTRIBUTIONS) - set(serves):
        with pytest.raises(AnsibleFilterError) as err:
            flt.role_distribution(name, "cloud_provider_distribution", name, serves, why)
        message = str(err.value)
        assert message.startswith(f"cloud_provider_distribution (from lvmkube_distribution): '{name}'")
        assert "On RKE1 set the flag in cluster.yml" in message and message.endswith("Nothing was changed.")
    # Old values of the role variable keep working (with the deprecation note).
    for old in ("kubeadm", "kubespray", "rke2"):
        assert flt.role_distribution(old, "cloud_provider_distribution", "", serves, why) == old
