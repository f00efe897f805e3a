# -*- coding: utf-8 -*-
"""The one distribution vocabulary: names, deprecated spellings, detection from node markers."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lvmkube.cluster.plugins.module_utils import distribution as d


def test_vocabulary_is_the_documented_one():
    assert d.DISTRIBUTIONS == ("kubeadm", "kubespray", "rke1", "rke2", "rancher-v3", "rancher-v2", "k3s")


@pytest.mark.parametrize("name", d.DISTRIBUTIONS)
def test_canonical_names_map_to_themselves(name):
    assert d.canonical(name) == name
    assert d.canonical(f" {name.upper()} ") == name
    assert not d.is_deprecated(name)


@pytest.mark.parametrize(("old", "new"), [("rancher", "rancher-v3"), ("rancher2", "rancher-v2")])
def test_deprecated_spellings_keep_working(old, new):
    assert d.canonical(old) == new
    assert d.is_deprecated(old)


@pytest.mark.parametrize("value", ["", "auto", "rke", "k8s", None, 3, ["kubeadm"], "kubeadm\n--x", "{{ x }}"])
def test_anything_else_is_refused_naming_the_variable(value):
    with pytest.raises(d.DistributionError, match=r"^topolvm_distribution: .* use one of kubeadm, kubespray"):
        d.canonical(value, "topolvm_distribution")


@given(st.text())
def test_canonical_is_total_over_text(value):
    try:
        result = d.canonical(value)
    except d.DistributionError:
        return
    assert result in d.DISTRIBUTIONS


def _markers(**on):
    return {name: name in on for name in d.MARKERS}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ({"kubeadm_manifest"}, "kubeadm"),
        ({"kubeadm_manifest", "kubespray_config"}, "kubespray"),
        ({"rke2_dir"}, "rke2"),
        ({"k3s_dir"}, "k3s"),
        ({"rke1_kubeconfig", "rancher_url"}, "rancher-v3"),
        ({"rke1_kubeconfig", "rke1_cluster_yml"}, "rke1"),
        ({"rke1_kubeconfig"}, None),
        ({"kubespray_config"}, None),
        (set(), None),
        # first match wins: a kubeadm manifest beats leftovers of another distribution
        ({"kubeadm_manifest", "rke2_dir", "k3s_dir", "rke1_kubeconfig", "rancher_url"}, "kubeadm"),
        ({"rke2_dir", "k3s_dir"}, "rke2"),
    ],
)
def test_detect(on, expected):
    assert d.detect(_markers(**dict.fromkeys(on, True))) == expected


def test_detect_never_guesses_rancher_v2_and_is_total():
    for bits in itertools.product((False, True), repeat=len(d.MARKERS)):
        found = d.detect(dict(zip(d.MARKERS, bits, strict=True)))
        assert found in (*d.DISTRIBUTIONS, None)
        assert found != "rancher-v2"


def test_detect_refuses_unknown_markers():
    with pytest.raises(d.DistributionError, match="unknown distribution markers: rke3_dir"):
        d.detect({"rke3_dir": True})


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kubespray", "kubeadm"),
        ("rancher", "rke1"),
        ("rancher-v3", "rke1"),
        ("rke2", "rke2"),
        ("k3s", "k3s"),
        ("rancher-v2", None),
    ],
)
def test_family(name, expected):
    assert d.family(name) == expected
