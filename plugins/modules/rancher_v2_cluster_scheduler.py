#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rancher_v2_cluster_scheduler
short_description: Deliver the kube-scheduler extender configuration to a Rancher-provisioned RKE2 cluster
version_added: 1.0.0
description:
  - For clusters Rancher 2.6 and later provisions (RKE2/K3s), through the Kubernetes API of Rancher's local cluster
    (for example C(https://rancher.example.com/k8s/clusters/local)).
  - Keeps a Secret O(secret_name) in O(namespace) with the scheduler configuration (O(config_text)) and, in the
    C(provisioning.cattle.io/v1) C(Cluster) O(cluster_name), an entry of C(spec.rkeConfig.machineSelectorFiles) that
    makes Rancher write it to O(config_file) on control-plane machines (label C(rke.cattle.io/control-plane-role=true);
    the file's sha256 is set as C(hash), so a new configuration changes the Cluster), and C(config=<config_file>) in
    C(kube-scheduler-arg) and O(config_dir) read-only in C(kube-scheduler-extra-mount) of the control-plane entry of
    C(spec.rkeConfig.machineSelectorConfig) (Rancher writes it to C(config.yaml.d/50-rancher.yaml)). Other entries and
    other settings are kept.
  - With O(state=absent) our file entry, our settings and the Secret are removed.
  - Check mode only reads (GET) and shows the diff. Rancher rolls the change out to the machines itself.
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
    description: Base URL of the Kubernetes API of Rancher's local cluster.
    type: str
    required: true
  api_token:
    description: Bearer token for that API (a Rancher API token).
    type: str
    required: true
  namespace:
    description: Namespace of the Cluster object (Rancher's default is C(fleet-default)); the Secret goes there too.
    type: str
    default: fleet-default
  cluster_name:
    description: Name of the C(provisioning.cattle.io/v1) Cluster.
    type: str
    required: true
  config_text:
    description: The scheduler configuration to deliver. Required with O(state=present).
    type: str
  secret_name:
    description: Name of the Secret holding the configuration.
    type: str
    default: lvmkube-kube-scheduler
  validate_certs:
    description: Verify the API's TLS certificate.
    type: bool
    default: true
  timeout:
    description: Seconds per HTTP request.
    type: int
    default: 30
notes:
  - Supports check mode and diff mode.
"""

EXAMPLES = r"""
- name: Deliver the extender configuration to the control-plane machines of c1
  lvmkube.cluster.rancher_v2_cluster_scheduler:
    api_url: https://rancher.example.com/k8s/clusters/local
    api_token: "{{ vault_rancher_token }}"
    cluster_name: c1
    config_file: /etc/kubernetes/scheduler/scheduler-config.yaml
    config_dir: /etc/kubernetes/scheduler
    config_text: "{{ lookup('ansible.builtin.file', 'scheduler-config.yaml') }}"
"""

RETURN = r"""
rke_config:
  description: C(machineSelectorFiles) and C(machineSelectorConfig) of the Cluster after the change.
  returned: success
  type: dict
  sample: {"machineSelectorConfig": [], "machineSelectorFiles": []}
secret_changed:
  description: Whether the Secret was (or in check mode would be) created, replaced or deleted.
  returned: success
  type: bool
  sample: true
"""

import copy  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402

from ansible.module_utils.basic import AnsibleModule, missing_required_lib  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler_config import (  # noqa: E402
    KubeSchedulerConfigError,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler_files import (  # noqa: E402
    shared_argument_spec,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.rancher_provisioning import (  # noqa: E402
    edit_cluster,
    file_items,
    secret_object,
)

try:
    import requests

    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False

SELECTOR_FIELDS = ("machineSelectorFiles", "machineSelectorConfig")


class Api:
    def __init__(self, module):
        params = module.params
        self.module = module
        self.base = params["api_url"].rstrip("/")
        self.headers = {"Authorization": f"Bearer {params['api_token']}", "Accept": "application/json"}
        self.verify = params["validate_certs"]
        self.timeout = params["timeout"]

    def call(self, method, path, body=None, ok=(200, 201, 202)):
        url = self.base + path
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = requests.request(
                method,
                url,
                headers=headers,
                data=None if body is None else json.dumps(body),
                verify=self.verify,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            self.module.fail_json(msg=f"{method} {url} failed: {exc}")
        if response.status_code == 404 and method == "GET":
            return None
        if response.status_code not in ok:
            self.module.fail_json(msg=f"{method} {url} answered HTTP {response.status_code}: {response.text[:500]}")
        try:
            return response.json() if response.text else {}
        except ValueError:
            self.module.fail_json(msg=f"{method} {url} did not return JSON")


def selector_part(cluster):
    rke = (cluster.get("spec") or {}).get("rkeConfig") or {}
    return {key: rke.get(key) or [] for key in SELECTOR_FIELDS}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            shared_argument_spec(path=False, backup=False),
            api_url={"type": "str", "required": True},
            api_token={"type": "str", "required": True, "no_log": True},
            namespace={"type": "str", "default": "fleet-default"},
            cluster_name={"type": "str", "required": True},
            config_text={"type": "str"},
            secret_name={"type": "str", "default": "lvmkube-kube-scheduler"},
            validate_certs={"type": "bool", "default": True},
            timeout={"type": "int", "default": 30},
        ),
        required_if=[("state", "present", ("config_text",))],
        supports_check_mode=True,
    )
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"))
    params = module.params
    present = params["state"] == "present"
    namespace, name, secret_name = params["namespace"], params["cluster_name"], params["secret_name"]
    config_file, config_dir = params["config_file"], params["config_dir"].rstrip("/")
    api = Api(module)
    cluster_path = f"/apis/provisioning.cattle.io/v1/namespaces/{namespace}/clusters/{name}"
    secret_path = f"/api/v1/namespaces/{namespace}/secrets/{secret_name}"

    cluster = api.call("GET", cluster_path)
    if cluster is None:
        module.fail_json(msg=f"no provisioning.cattle.io/v1 Cluster {namespace}/{name}")
    key = os.path.basename(config_file)
    files = {key: params["config_text"]} if present else {}
    updated = copy.deepcopy(cluster)
    try:
        changed_cluster = edit_cluster(
            updated, present, secret_name, file_items(files, {key: config_file}), config_file, config_dir
        )
    except KubeSchedulerConfigError as exc:
        module.fail_json(msg=f"refusing to change Cluster {namespace}/{name}: {exc}")

    secret = api.call("GET", secret_path)
    wanted_secret = secret_object(secret_name, namespace, files) if present else None
    if present:
        secret_changed = secret is None or (secret.get("data") or {}) != wanted_secret["data"]
    else:
        secret_changed = secret is not None

    result = {
        "changed": changed_cluster or secret_changed,
        "rke_config": selector_part(updated),
        "secret_changed": secret_changed,
    }
    if changed_cluster and module._diff:
        result["diff"] = {
            "before": json.dumps(selector_part(cluster), indent=2, sort_keys=True) + "\n",
            "after": json.dumps(selector_part(updated), indent=2, sort_keys=True) + "\n",
            "before_header": f"{cluster_path} spec.rkeConfig",
            "after_header": f"{cluster_path} spec.rkeConfig",
        }
    if not module.check_mode:
        # the file's source first, so Rancher never plans a file from a Secret that is not there yet
        if present and secret_changed:
            if secret is None:
                api.call("POST", f"/api/v1/namespaces/{namespace}/secrets", wanted_secret)
            else:
                body = dict(wanted_secret)
                body["metadata"] = dict(
                    wanted_secret["metadata"], resourceVersion=secret["metadata"].get("resourceVersion")
                )
                api.call("PUT", secret_path, body)
        if changed_cluster:
            api.call("PUT", cluster_path, updated)
        if not present and secret_changed:
            api.call("DELETE", secret_path)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
