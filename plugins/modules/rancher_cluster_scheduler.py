#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rancher_cluster_scheduler
short_description: Configure the kube-scheduler extender of a Rancher-provisioned RKE1 cluster through the Rancher API
version_added: 1.0.0
description:
  - Does through the Rancher v3 API what "Edit as YAML" does in the Rancher UI
    (C(rancher_kubernetes_engine_config.services.scheduler)).
  - Reads C(/v3/clusters/<cluster_id>), sets C(rancherKubernetesEngineConfig.services.scheduler.extraArgs.config)
    and adds a read-only C(extraBinds) entry for O(config_dir), then sends the whole cluster object back with PUT.
    Rancher then reconciles the control-plane nodes.
  - When C(extraArgs.config) already names a configuration of the user's, it is returned as RV(base_config) (the
    path in the scheduler container) with RV(base_config_host), the same file on the nodes' disks (through RKE's
    C(<prefixPath>/etc/kubernetes:/etc/kubernetes) bind and C(extraBinds)). The file lives on the nodes, not in
    Rancher; the role reads it on every control-plane host it runs on and merges the extender into each host's copy.
    O(state=present) points C(config) at the copy, every other argument and bind kept; O(state=absent) puts the
    user's path back (O(base_config) when C(config) is ours). A C(config) in C(extraArgsArray) is refused.
  - In check mode only the GET is sent; the diff shows what would change.
  - Clusters without C(rancherKubernetesEngineConfig) (imported, RKE2/K3s provisioned through
    C(provisioning.cattle.io)) are refused.
author:
  - lvmkube.cluster contributors (@lvmkube)
requirements:
  - requests
extends_documentation_fragment:
  - lvmkube.cluster.kube_scheduler_files
  - lvmkube.cluster.attributes
  - lvmkube.cluster.attributes.posix
  - lvmkube.cluster.attributes.changes
options:
  api_url:
    description: Base URL of the Rancher server, for example C(https://rancher.example.com).
    type: str
    required: true
  api_token:
    description: Rancher API bearer token (C(token-xxxxx:secret)).
    type: str
    required: true
  cluster_id:
    description: Rancher cluster id, for example C(c-abcde).
    type: str
    required: true
  validate_certs:
    description: Verify the Rancher server's TLS certificate.
    type: bool
    default: true
  timeout:
    description: Seconds to wait for each API request.
    type: int
    default: 30
  base_config:
    description:
      - The user's own C(config) (container path) to restore with O(state=absent), used when C(extraArgs.config) is
        already O(config_file). The role reads it from the marker line of its copy on the node.
    type: path
notes:
  - Supports check mode and diff mode.
"""

EXAMPLES = r"""
- name: Configure the extender of a Rancher-managed cluster
  lvmkube.cluster.rancher_cluster_scheduler:
    api_url: https://rancher.example.com
    api_token: "{{ vault_rancher_token }}"
    cluster_id: c-abcde
    config_file: /etc/kubernetes/scheduler/scheduler-config.yaml
    config_dir: /etc/kubernetes/scheduler
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
kubernetes_version:
  description: C(rancherKubernetesEngineConfig.kubernetesVersion) of the cluster.
  returned: success
  type: str
  sample: v1.16.4-rancher1-1
previous_config:
  description: C(extraArgs.config) of the scheduler before the run, empty when there was none.
  returned: success
  type: str
  sample: /etc/kubernetes/custom/scheduler.yaml
base_config:
  description: The user's own configuration as the scheduler container names it (not ours), or empty.
  returned: success
  type: str
  sample: /etc/kubernetes/custom/scheduler.yaml
base_config_host:
  description: RV(base_config) on the nodes' disks (through the binds), or empty; computed with O(state=present).
  returned: success
  type: str
  sample: /etc/kubernetes/custom/scheduler.yaml
scheduler:
  description: The C(services.scheduler) section after the change (or as it would be, in check mode).
  returned: success
  type: dict
  sample: {"extraArgs": {"config": "/etc/kubernetes/scheduler/scheduler-config.yaml"}}
"""

import copy  # noqa: E402
import json  # noqa: E402

from ansible.module_utils.basic import AnsibleModule, missing_required_lib  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (  # noqa: E402
    KubeSchedulerConfigError,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.files import (  # noqa: E402
    shared_argument_spec,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.rancher_v3 import BACKEND  # noqa: E402

try:
    import requests

    HAS_REQUESTS = True
except ImportError:
    requests = None
    HAS_REQUESTS = False


def _scheduler_section(cluster):
    return ((cluster.get("rancherKubernetesEngineConfig") or {}).get("services") or {}).get("scheduler") or {}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            shared_argument_spec(path=False, backup=False),
            **{
                "api_url": {"type": "str", "required": True},
                "api_token": {"type": "str", "required": True, "no_log": True},
                "cluster_id": {"type": "str", "required": True},
                "validate_certs": {"type": "bool", "default": True},
                "timeout": {"type": "int", "default": 30},
                "base_config": {"type": "path"},
            },
        ),
        supports_check_mode=True,
    )
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"))
    params = module.params
    url = f"{params['api_url'].rstrip('/')}/v3/clusters/{params['cluster_id']}"
    headers = {"Authorization": f"Bearer {params['api_token']}", "Accept": "application/json"}
    try:
        response = requests.get(url, headers=headers, verify=params["validate_certs"], timeout=params["timeout"])
    except requests.RequestException as exc:
        module.fail_json(msg=f"GET {url} failed: {exc}")
    if response.status_code != 200:
        module.fail_json(msg=f"GET {url} answered HTTP {response.status_code}: {response.text[:500]}")
    try:
        cluster = response.json()
    except ValueError:
        module.fail_json(msg=f"GET {url} did not return JSON")
    rke = cluster.get("rancherKubernetesEngineConfig") if isinstance(cluster, dict) else None
    if not isinstance(rke, dict):
        module.fail_json(
            msg=f"cluster {params['cluster_id']} has no rancherKubernetesEngineConfig "
            "(not an RKE1 cluster provisioned by Rancher)"
        )
    updated = copy.deepcopy(cluster)
    services = updated["rancherKubernetesEngineConfig"].setdefault("services", {})
    if services is None:
        services = updated["rancherKubernetesEngineConfig"]["services"] = {}
    present = params["state"] == "present"
    try:
        previous, base, base_host = BACKEND.cluster_base(
            services,
            params["config_file"],
            params["base_config"] or "",
            updated["rancherKubernetesEngineConfig"].get("prefixPath"),
            need_host=present,
        )
        changed = BACKEND.edit(
            services,
            present,
            params["config_file"],
            params["config_dir"].rstrip("/"),
            base_config=base or None,
        )
    except KubeSchedulerConfigError as exc:
        module.fail_json(msg=f"refusing to change cluster {params['cluster_id']}: {exc}. Nothing was changed")
    result = {
        "changed": changed,
        "previous_config": previous,
        "base_config": base,
        "base_config_host": base_host,
        "kubernetes_version": str(rke.get("kubernetesVersion") or ""),
        "scheduler": _scheduler_section(updated),
    }
    if changed:
        result["diff"] = {
            "before": json.dumps(_scheduler_section(cluster), indent=2, sort_keys=True) + "\n",
            "after": json.dumps(_scheduler_section(updated), indent=2, sort_keys=True) + "\n",
            "before_header": f"{url} rancherKubernetesEngineConfig.services.scheduler",
            "after_header": f"{url} rancherKubernetesEngineConfig.services.scheduler",
        }
        if not module.check_mode:
            headers["Content-Type"] = "application/json"
            try:
                put = requests.put(
                    url,
                    headers=headers,
                    data=json.dumps(updated),
                    verify=params["validate_certs"],
                    timeout=params["timeout"],
                )
            except requests.RequestException as exc:
                module.fail_json(msg=f"PUT {url} failed: {exc}")
            if put.status_code not in (200, 201, 202):
                module.fail_json(msg=f"PUT {url} answered HTTP {put.status_code}: {put.text[:500]}")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
