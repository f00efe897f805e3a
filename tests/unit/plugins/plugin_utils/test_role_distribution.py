# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a role decides its distribution from its own variable and lvmkube_distribution: aliases, conflicts,
deprecation notes, refusals that name the variable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lvmkube.cluster.plugins.module_utils import distribution as vocabulary
from ansible_collections.lvmkube.cluster.plugins.plugin_utils import role_distribution as rd

VAR = "topolvm_distribution"
SPELLINGS = (*vocabulary.DISTRIBUTIONS, *vocabulary.DEPRECATED_ALIASES)


@pytest.mark.parametrize("name", vocabulary.DISTRIBUTIONS)
def test_lvmkube_distribution_reaches_the_role_without_notes(name):
    # The role variable defaults to lvmkube_distribution: both the same.
    assert rd.choose(name, VAR, name) == (name, [])


def test_nothing_set_is_kubeadm_without_notes():
    assert rd.choose("kubeadm", VAR, "") == ("kubeadm", [])
    assert rd.choose("kubeadm", VAR, None) == ("kubeadm", [])


@pytest.mark.parametrize("name", ["rke1", "rke2", "kubespray", "k3s"])
def test_role_variable_alone_works_and_is_deprecated(name):
    chosen, notes = rd.choose(name, VAR, "")
    assert chosen == name
    assert notes == [
        f"{VAR} is deprecated: set lvmkube_distribution: {name} once (group_vars/all) for every role of"
        " lvmkube.cluster; the role variable keeps working until then."
    ]


def test_deprecated_spelling_gives_the_new_name_and_says_so():
    chosen, notes = rd.choose("rancher2", "kube_x_distribution", "")
    assert chosen == "rancher-v2"
    assert "'rancher2' is a deprecated spelling of rancher-v2" in notes[-1]
    # Through lvmkube_distribution as well: the same distribution, no conflict.
    assert rd.choose("rancher", "kube_x_distribution", "rancher-v3")[0] == "rancher-v3"


def test_conflict_is_an_error_naming_both_variables():
    with pytest.raises(rd.RoleDistributionError) as err:
        rd.choose("kubeadm", VAR, "rke2")
    message = str(err.value)
    assert "topolvm_distribution='kubeadm' disagrees with lvmkube_distribution='rke2'" in message
    assert "Nothing was changed" in message


def test_same_distribution_in_other_spelling_or_case_is_no_conflict():
    assert rd.choose("RKE2", VAR, "rke2") == ("rke2", [])
    assert rd.choose(" k3s ", VAR, "K3S") == ("k3s", [])


@pytest.mark.parametrize(
    ("value", "shared", "named"),
    [("openshift", "", VAR), ("kubeadm", "openshift", "lvmkube_distribution"), (None, "", VAR), (["rke2"], "", VAR)],
)
def test_outside_the_vocabulary_names_the_variable(value, shared, named):
    with pytest.raises(rd.RoleDistributionError, match=f"^{named}: .* is not a distribution; use one of kubeadm"):
        rd.choose(value, VAR, shared)


def test_unserved_distribution_is_refused_with_the_role_variable_and_the_reason():
    serves = ("kubeadm", "kubespray", "rke2")
    with pytest.raises(rd.RoleDistributionError) as err:
        rd.choose("rke1", "cloud_provider_distribution", "", serves, "Set it in cluster.yml.")
    assert str(err.value) == (
        "cloud_provider_distribution: 'rke1' is a distribution this role cannot serve; it serves kubeadm, kubespray,"
        " rke2. Set it in cluster.yml. Nothing was changed."
    )
    # Coming from lvmkube_distribution, the message says so.
    with pytest.raises(rd.RoleDistributionError, match=r"^cloud_provider_distribution \(from lvmkube_distribution\)"):
        rd.choose("k3s", "cloud_provider_distribution", "k3s", serves)


def test_served_raises_the_callers_error():
    class Mine(ValueError):
        pass

    assert rd.served("rancher", "distribution", error=Mine) == "rancher-v3"
    with pytest.raises(Mine, match=r"^distribution: 'x' is not a distribution"):
        rd.served("x", "distribution", error=Mine)


@given(
    value=st.one_of(st.sampled_from(SPELLINGS), st.text(max_size=12)),
    shared=st.one_of(st.sampled_from(SPELLINGS), st.just("")),
)
def test_the_role_gets_lvmkube_distribution_or_an_error(value, shared):
    # Whatever the two variables hold: the answer is a name of the vocabulary, the one lvmkube_distribution names
    # when it is set, or an error - never a silent choice between two distributions.
    try:
        chosen, _notes = rd.choose(value, VAR, shared)
    except rd.RoleDistributionError:
        return
    assert chosen in vocabulary.DISTRIBUTIONS
    if shared:
        assert chosen == vocabulary.canonical(shared)
