# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/kube_scheduler/rancher_v3.py: RKE1's services in the Rancher v3 API's camelCase."""

from __future__ import annotations

import json

from helpers.kube_scheduler import CONFIG_DIR, CONFIG_FILE, fixture_text

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler import rancher_v3


def test_rancher_api_camel_case():
    cluster = json.loads(fixture_text("rancher-cluster.json"))
    services = cluster["rancherKubernetesEngineConfig"]["services"]
    assert rancher_v3.BACKEND.edit(services, True, CONFIG_FILE, CONFIG_DIR) is True
    assert services["scheduler"] == {
        "extraArgs": {"config": CONFIG_FILE},
        "extraBinds": [f"{CONFIG_DIR}:{CONFIG_DIR}:ro"],
    }
