# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/kube_scheduler/rke1.py: RKE1's services.scheduler (cluster.yml) and the container's binds."""

from __future__ import annotations

import copy
import re

import pytest
from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, fixture_yaml

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import (
    rke1,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import KubeSchedulerConfigError


def test_rke_services_snake_case():
    doc = fixture_yaml("rke1-cluster.yml.txt")
    original = copy.deepcopy(doc)
    assert rke1.edit_rke_services(doc["services"], True, CONFIG_FILE, CONFIG_DIR) is True
    assert doc["services"]["scheduler"] == {
        "extra_args": {"config": CONFIG_FILE},
        "extra_binds": [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"],
    }
    assert rke1.edit_rke_services(doc["services"], True, CONFIG_FILE, CONFIG_DIR) is False
    assert rke1.edit_rke_services(doc["services"], False, CONFIG_FILE, CONFIG_DIR) is True
    assert doc == original


def test_rke_services_keeps_other_args_and_binds():
    doc = fixture_yaml("rke1-cluster-existing-args.yml.txt")
    rke1.edit_rke_services(doc["services"], True, CONFIG_FILE, CONFIG_DIR)
    scheduler = doc["services"]["scheduler"]
    assert scheduler["extra_args"] == {"v": "2", "config": CONFIG_FILE}
    assert scheduler["extra_binds"] == ["/opt/other:/opt/other", f"{CONFIG_DIR}:{CONFIG_DIR}:ro"]
    rke1.edit_rke_services(doc["services"], False, CONFIG_FILE, CONFIG_DIR)
    assert scheduler == {"image": "", "extra_args": {"v": "2"}, "extra_binds": ["/opt/other:/opt/other"]}


def test_rke_services_user_config_is_restored_not_dropped():
    doc = fixture_yaml("rke1-cluster-existing-args.yml.txt")
    original = copy.deepcopy(doc)
    user = "/etc/kubernetes/old/scheduler.yaml"
    assert rke1.rke_cluster_base(doc["services"], CONFIG_FILE) == (user, user, user)  # under RKE's /etc/kubernetes
    assert rke1.edit_rke_services(doc["services"], True, CONFIG_FILE, CONFIG_DIR) is True
    assert doc["services"]["scheduler"]["extra_args"]["config"] == CONFIG_FILE
    # config is ours now: the base comes from what our copy (or the pristine file) names
    assert rke1.rke_cluster_base(doc["services"], CONFIG_FILE, user) == (CONFIG_FILE, user, user)
    assert rke1.rke_cluster_base(doc["services"], CONFIG_FILE) == (CONFIG_FILE, "", "")
    assert rke1.edit_rke_services(doc["services"], False, CONFIG_FILE, CONFIG_DIR, base_config=user) is True
    assert doc == original
    # a config that is not ours is never removed or replaced by absent
    assert rke1.edit_rke_services(doc["services"], False, CONFIG_FILE, CONFIG_DIR) is False
    assert rke1.edit_rke_services(doc["services"], False, CONFIG_FILE, CONFIG_DIR, base_config="/x") is False
    assert doc == original


@pytest.mark.parametrize(
    ("container_path", "binds", "prefix", "host"),
    [
        ("/etc/kubernetes/custom/s.yaml", [], "/", "/etc/kubernetes/custom/s.yaml"),
        ("/etc/kubernetes/custom/s.yaml", [], "/opt/rke", "/opt/rke/etc/kubernetes/custom/s.yaml"),
        ("/etc/kubernetes/custom/s.yaml", [], None, "/etc/kubernetes/custom/s.yaml"),
        ("/etc/sched/s.yaml", ["/srv/sched:/etc/sched:ro"], "/", "/srv/sched/s.yaml"),
        ("/etc/sched/s.yaml", ["/srv/sched/:/etc/sched/"], "/", "/srv/sched/s.yaml"),
        ("/etc/sched.yaml", ["/srv/one.yaml:/etc/sched.yaml:ro,z"], "/", "/srv/one.yaml"),
        # the longest container path decides: a bind below RKE's /etc/kubernetes wins over it
        ("/etc/kubernetes/custom/s.yaml", ["/data/custom:/etc/kubernetes/custom"], "/", "/data/custom/s.yaml"),
        ("/etc/kubernetes/customs.yaml", ["/data/custom:/etc/kubernetes/custom"], "/", "/etc/kubernetes/customs.yaml"),
    ],
)
def test_rke_host_path(container_path, binds, prefix, host):
    assert rke1.rke_host_path(container_path, binds, prefix) == host


def test_rke_host_path_refuses_a_file_on_no_bind():
    with pytest.raises(KubeSchedulerConfigError, match=re.escape("/opt/sched.yaml is on no bind mount")):
        rke1.rke_host_path("/opt/sched.yaml", ["/srv/x:/srv/x", "not-a-bind"], "/")


def test_rke_config_in_extra_args_array_is_refused():
    services = {"scheduler": {"extra_args_array": {"config": ["/etc/kubernetes/a.yaml"]}}}
    with pytest.raises(KubeSchedulerConfigError, match="extra_args_array sets config"):
        rke1.rke_cluster_base(services, CONFIG_FILE)
    camel = {"scheduler": {"extraArgsArray": {"config": ["/etc/kubernetes/a.yaml"]}}}
    with pytest.raises(KubeSchedulerConfigError, match="extraArgsArray sets config"):
        rke1.rke_cluster_base(camel, CONFIG_FILE, camel_case=True)
    assert rke1.rke_cluster_base({"scheduler": {"extra_args_array": {"v": ["2"]}}}, CONFIG_FILE) == ("", "", "")


def test_rke_services_refuses_wrong_shapes():
    with pytest.raises(KubeSchedulerConfigError):
        rke1.edit_rke_services({"scheduler": {"extra_args": ["config=x"]}}, True, CONFIG_FILE, CONFIG_DIR)
    with pytest.raises(KubeSchedulerConfigError):
        rke1.edit_rke_services([], True, CONFIG_FILE, CONFIG_DIR)
