# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The objects of the NIFCLOUD load-balancer smoke test."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import NifcloudConfigError
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.smoke import (
    ACCOUNTING_ANNOTATION,
    lb_smoke_objects,
)


def test_service_asks_the_cloud_controller_manager_for_a_load_balancer():
    objects = lb_smoke_objects("smoke", "mirror.example/nginx:1", "1", 2)
    service = objects["service"]
    assert service["spec"]["type"] == "LoadBalancer"
    assert service["metadata"]["annotations"] == {ACCOUNTING_ANNOTATION: "1"}
    assert service["spec"]["selector"] == objects["deployment"]["spec"]["template"]["metadata"]["labels"]
    assert objects["deployment"]["spec"]["replicas"] == 2
    assert {o["metadata"].get("namespace", o["metadata"]["name"]) for o in objects.values()} == {"smoke"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("all*",), "namespace"),
        (("smoke\nx",), "namespace"),
        (("smoke", "nginx", "3"), "accounting_type"),
        (("smoke", "nginx", "2", 0), "replicas must be 1 or more"),
        (("smoke", "nginx", "2", True), "replicas must be an integer"),
    ],
)
def test_hostile_smoke_settings_are_refused(args, message):
    with pytest.raises(NifcloudConfigError, match=message):
        lb_smoke_objects(*args)
