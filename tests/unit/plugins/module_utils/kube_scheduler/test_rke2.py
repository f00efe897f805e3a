# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/kube_scheduler/rke2.py: kube-scheduler-arg and kube-scheduler-extra-mount of RKE2's config.yaml."""

from __future__ import annotations

import copy

import pytest
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, fixture_yaml

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import (
    rke2,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import KubeSchedulerConfigError


def test_rke2_config_present_absent():
    config = fixture_yaml("rke2-config.yaml.txt")
    original = copy.deepcopy(config)
    assert rke2.edit_rke2_config(config, True, CONFIG_FILE, CONFIG_DIR) is True
    assert config["kube-scheduler-arg"] == ["v=2", "config=" + CONFIG_FILE]
    assert config["kube-scheduler-extra-mount"] == [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"]
    assert config["token"] == original["token"]
    assert rke2.edit_rke2_config(config, True, CONFIG_FILE, CONFIG_DIR) is False
    assert rke2.edit_rke2_config(config, False, CONFIG_FILE, CONFIG_DIR) is True
    assert config == original


def test_rke2_config_replaces_old_values_and_accepts_a_string():
    config = {"kube-scheduler-arg": "config=/old.yaml", "kube-scheduler-extra-mount": [f"/srv/x:{CONFIG_DIR}"]}
    assert rke2.edit_rke2_config(config, True, CONFIG_FILE, CONFIG_DIR) is True
    assert config == {
        "kube-scheduler-arg": ["config=" + CONFIG_FILE],
        "kube-scheduler-extra-mount": [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"],
    }
    empty = {"token": "x"}
    assert rke2.edit_rke2_config(empty, False, CONFIG_FILE, CONFIG_DIR) is False
    assert empty == {"token": "x"}


def test_rke2_config_refuses_wrong_shapes():
    with pytest.raises(KubeSchedulerConfigError):
        rke2.edit_rke2_config({"kube-scheduler-arg": {"config": "x"}}, True, CONFIG_FILE, CONFIG_DIR)
    with pytest.raises(KubeSchedulerConfigError):
        rke2.edit_rke2_config(["x"], True, CONFIG_FILE, CONFIG_DIR)
