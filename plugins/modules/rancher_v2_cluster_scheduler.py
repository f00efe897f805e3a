#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rancher_v2_cluster_scheduler
short_description: Deliver the kube-scheduler extender configuration to a Rancher-provisioned RKE2 or K3s cluster
version_added: 1.0.0
description:
  - For clusters Rancher 2.7.2 and later provisions (RKE2/K3s), through the Kubernetes API of Rancher's local cluster
    (for example C(https://rancher.example.com/k8s/clusters/local)). Rancher's version is read first from
    C(/v3/settings/server-version) of O(rancher_url); an older or unreadable version is refused with nothing changed
    (Rancher before 2.7.2 drops C(machineSelectorFiles)).
  - Keeps a Secret O(secret_name) (one per cluster) in O(namespace) with the scheduler configuration (O(config_text)),
    annotated C(rke.cattle.io/object-authorized-for-clusters=<cluster_name>) as Rancher's planner requires, and, in
    the C(provisioning.cattle.io/v1) C(Cluster) O(cluster_name), an entry of C(spec.rkeConfig.machineSelectorFiles)
    that makes Rancher write it to O(config_file) on control-plane machines (label
    C(rke.cattle.io/control-plane-role=true)). The item's C(hash) is the base64 of the file's SHA-256, as the planner
    checks it, and the item is not C(dynamic), so a new configuration changes the machines' restart stamp and Rancher
    restarts RKE2/K3s on them.
  - Sets C(config=<config_file>) in C(kube-scheduler-arg) (and, on RKE2, O(config_dir) read-only in
    C(kube-scheduler-extra-mount)) in an entry of its own, last in C(spec.rkeConfig.machineSelectorConfig), which
    carries the values that C(machineGlobalConfig) and earlier entries give every control-plane machine (the planner
    lets the last matching entry's key win outright). An entry that sets these keys for only some control-plane
    machines is refused, naming it.
  - When those values already hold a C(config=) of the user's (a file their own C(machineSelectorFiles) deliver), it
    is returned as RV(base_config) with its text RV(base_text), read from their Secret or ConfigMap; O(config_text)
    must then be that configuration plus the extender, and O(base_config) must name it.
  - Without O(config_text) (and O(state=present)) the module only reads and returns what it found.
  - With O(state=absent) our file entry, our entry and our Secret are removed; the user's values come back.
  - Check mode only reads (GET) and shows the diff.
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
  rancher_url:
    description:
      - Base URL of Rancher, where C(/v3/settings/server-version) is read.
      - Defaults to O(api_url) without its C(/k8s/clusters/<id>) suffix.
    type: str
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
    description: The scheduler configuration to deliver. Without it (O(state=present)) the module only reads.
    type: str
  base_config:
    description:
      - The user's configuration O(config_text) was merged from (RV(base_config) of a read).
      - Must match what the Cluster names; a mismatch is refused, nothing changed.
    type: str
    default: ""
  secret_name:
    description:
      - Name of the Secret holding the configuration.
      - Defaults to C(lvmkube-kube-scheduler-<cluster_name>), so that clusters never share it. A Secret of that name
        that lvmkube did not make, or that is authorized for another cluster, is refused.
    type: str
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
  - The planner rules honoured here are listed, with their sources in rancher/rancher, in the collection's
    docs/kube_scheduler.md.
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
server_version:
  description: Rancher's server-version setting.
  returned: success
  type: str
  sample: v2.9.3
kubernetes_version:
  description: C(spec.kubernetesVersion) of the Cluster.
  returned: success
  type: str
  sample: v1.31.3+rke2r1
distro_runtime:
  description: C(rke2) or C(k3s), as Rancher tells them apart (C(k3s) in the Kubernetes version).
  returned: success
  type: str
  sample: rke2
data_dir:
  description: The distribution's data directory on the machines (C(spec.rkeConfig.dataDirectories.k8sDistro) or
    C(/var/lib/rancher/<rke2|k3s>)).
  returned: success
  type: str
  sample: /var/lib/rancher/rke2
kubeconfig:
  description: The scheduler's kubeconfig on the machines, under the distribution's data directory
    (C(spec.rkeConfig.dataDirectories.k8sDistro) or C(/var/lib/rancher/<rke2|k3s>)).
  returned: success
  type: str
  sample: /var/lib/rancher/rke2/server/cred/scheduler.kubeconfig
base_config:
  description: The user's own C(config=) that control-plane machines get without our entry, or empty.
  returned: success
  type: str
  sample: /etc/rancher/scheduler/custom.yaml
base_text:
  description: The text of RV(base_config), read from the Secret or ConfigMap that delivers it, or empty.
  returned: success
  type: str
  sample: ""
"""

import base64  # noqa: E402
import binascii  # noqa: E402
import copy  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402

from ansible.module_utils.basic import AnsibleModule, missing_required_lib  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.edits import (  # noqa: E402
    KubeSchedulerConfigError,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.files import (  # noqa: E402
    shared_argument_spec,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.rancher_v2 import (  # noqa: E402
    check_server_version,
    default_secret_name,
    delivered_file,
    distro_data_dir,
    edit_cluster,
    file_items,
    runtime,
    scheduler_kubeconfig,
    secret_object,
    secret_owner_problem,
    secret_up_to_date,
)

try:
    import requests

    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False

SELECTOR_FIELDS = ("machineSelectorFiles", "machineSelectorConfig")


class Api:
    def __init__(self, module, base):
        params = module.params
        self.module = module
        self.base = base.rstrip("/")
        self.headers = {"Authorization": f"Bearer {params['api_token']}", "Accept": "application/json"}
        self.verify = params["validate_certs"]
        self.timeout = params["timeout"]

    def request(self, method, path, body=None):
        """(status, parsed body or None); a transport error fails the module."""
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
        try:
            parsed = response.json() if response.text else {}
        except ValueError:
            parsed = None
        return response.status_code, parsed, response.text[:500]

    def call(self, method, path, body=None, ok=(200, 201, 202)):
        url = self.base + path
        status, parsed, text = self.request(method, path, body)
        if status == 404 and method == "GET":
            return None
        if status not in ok:
            self.module.fail_json(msg=f"{method} {url} answered HTTP {status}: {text}")
        if parsed is None:
            self.module.fail_json(msg=f"{method} {url} did not return JSON")
        return parsed


CONFLICT_RETRIES = 3


def write_secret(api, secret_path, namespace, secret, wanted):
    """Create or replace our Secret; return how to undo it: (method, path, body)."""
    if secret is None:
        api.call("POST", f"/api/v1/namespaces/{namespace}/secrets", wanted)
        return ("DELETE", secret_path, None)
    body = dict(wanted, metadata=dict(wanted["metadata"], resourceVersion=secret["metadata"].get("resourceVersion")))
    written = api.call("PUT", secret_path, body)
    old = dict(secret, metadata=dict(secret["metadata"], resourceVersion=written["metadata"].get("resourceVersion")))
    return ("PUT", secret_path, old)


def put_cluster(module, api, cluster_path, updated, edit, undo):  # noqa: PLR0917
    """PUT the Cluster; on 409 (Rancher's controllers update it all the time) read it again, edit again, retry.

    When it cannot be written, the Secret is put back as it was (undo) and the module fails: nothing changed.
    """
    failure = ""
    for _attempt in range(CONFLICT_RETRIES):
        status, body, text = api.request("PUT", cluster_path, updated)
        if status in (200, 201):
            return body or updated
        failure = f"PUT {api.base}{cluster_path} answered HTTP {status}: {text}"
        if status != 409:
            break
        current = api.call("GET", cluster_path)
        try:
            updated, changed, _base = edit(current)
        except KubeSchedulerConfigError as exc:
            failure = f"the Cluster changed meanwhile and is now refused: {exc}"
            break
        if not changed:
            return current
    restored = ""
    if undo is not None:
        status, _body, text = api.request(*undo)
        restored = (
            " The Secret was put back as it was: nothing changed."
            if status in (200, 201, 202)
            else f" Putting the Secret back failed too (HTTP {status}: {text}); check it."
        )
    module.fail_json(msg=f"{failure}.{restored}")


def selector_part(cluster):
    rke = (cluster.get("spec") or {}).get("rkeConfig") or {}
    return {key: rke.get(key) or [] for key in SELECTOR_FIELDS}


def rancher_base(params):
    """rancher_url, or api_url without its /k8s/clusters/<id> suffix."""
    if params["rancher_url"]:
        return params["rancher_url"].rstrip("/")
    base, found = re.subn(r"/k8s/clusters/[^/]+/*$", "", params["api_url"].rstrip("/"))
    return base if found else None


def read_server_version(module, params):
    base = rancher_base(params)
    if base is None:
        module.fail_json(
            msg="set rancher_url: api_url does not end in /k8s/clusters/<id>, so Rancher's own URL (for "
            "/v3/settings/server-version) is not known. Nothing was changed"
        )
    setting = Api(module, base).call("GET", "/v3/settings/server-version")
    value = str((setting or {}).get("value") or "")
    if setting is None:
        module.fail_json(msg=f"{base}/v3/settings/server-version not found (is {base} Rancher?). Nothing was changed")
    try:
        check_server_version(value)
    except KubeSchedulerConfigError as exc:
        module.fail_json(msg=f"{base}: {exc}. Nothing was changed")
    return value


def read_base_text(module, api, namespace, rke, base_config, secret_name, config_file):  # noqa: PLR0917
    """The text of the user's own configuration, from the Secret or ConfigMap their machineSelectorFiles use."""
    found = delivered_file(rke, base_config, secret_name, config_file)
    if found is None:
        module.fail_json(
            msg=f"kube-scheduler-arg of the control-plane machines names config={base_config}, which no "
            "machineSelectorFiles entry for them delivers: its text cannot be read to merge the extender into it. "
            "Deliver it with machineSelectorFiles or remove the config= argument. Nothing was changed"
        )
    kind, name, key = found
    plural = "secrets" if kind == "secret" else "configmaps"
    obj = api.call("GET", f"/api/v1/namespaces/{namespace}/{plural}/{name}")
    data = (obj or {}).get("data") or {}
    if obj is None or key not in data:
        module.fail_json(msg=f"{kind} {namespace}/{name} with key {key!r} (source of {base_config}) not found")
    if kind == "configMap":
        return str(data[key])
    try:
        return base64.b64decode(data[key], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        module.fail_json(msg=f"secret {namespace}/{name} key {key!r} (source of {base_config}) is not UTF-8 text")


def main():
    module = AnsibleModule(
        argument_spec=dict(
            shared_argument_spec(path=False, backup=False),
            api_url={"type": "str", "required": True},
            rancher_url={"type": "str"},
            api_token={"type": "str", "required": True, "no_log": True},
            namespace={"type": "str", "default": "fleet-default"},
            cluster_name={"type": "str", "required": True},
            config_text={"type": "str"},
            base_config={"type": "str", "default": ""},
            secret_name={"type": "str"},
            validate_certs={"type": "bool", "default": True},
            timeout={"type": "int", "default": 30},
        ),
        supports_check_mode=True,
    )
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"))
    params = module.params
    present = params["state"] == "present"
    read_only = present and params["config_text"] is None
    namespace, name = params["namespace"], params["cluster_name"]
    secret_name = params["secret_name"] or default_secret_name(name)
    config_file, config_dir = params["config_file"], params["config_dir"].rstrip("/")
    server_version = read_server_version(module, params)
    api = Api(module, params["api_url"])
    cluster_path = f"/apis/provisioning.cattle.io/v1/namespaces/{namespace}/clusters/{name}"
    secret_path = f"/api/v1/namespaces/{namespace}/secrets/{secret_name}"

    cluster = api.call("GET", cluster_path)
    if cluster is None:
        module.fail_json(msg=f"no provisioning.cattle.io/v1 Cluster {namespace}/{name}")
    key = os.path.basename(config_file)
    files = {key: params["config_text"] or ""} if present else {}
    items = file_items(files, {key: config_file})

    def edit(current):
        """(edited copy, changed, base_config) of a Cluster as read."""
        edited = copy.deepcopy(current)
        changed, base = edit_cluster(edited, present, secret_name, items, config_file, config_dir)
        return edited, changed, base

    try:
        updated, changed_cluster, base_config = edit(cluster)
    except KubeSchedulerConfigError as exc:
        module.fail_json(msg=f"refusing to change Cluster {namespace}/{name}: {exc}. Nothing was changed")
    result = {
        "changed": False,
        "server_version": server_version,
        "kubernetes_version": str((cluster.get("spec") or {}).get("kubernetesVersion") or ""),
        "distro_runtime": runtime(cluster),
        "data_dir": distro_data_dir(cluster),
        "kubeconfig": scheduler_kubeconfig(cluster),
        "base_config": base_config,
        "base_text": "",
        "secret_changed": False,
        "rke_config": selector_part(cluster),
    }
    if base_config:
        result["base_text"] = read_base_text(
            module, api, namespace, cluster["spec"]["rkeConfig"], base_config, secret_name, config_file
        )
    if read_only:
        module.exit_json(**result)
    if present and params["base_config"] != base_config:
        module.fail_json(
            msg=f"Cluster {namespace}/{name}: control-plane machines get config={base_config or '(none)'} besides "
            f"ours, but config_text was made from {params['base_config'] or 'no configuration of the user'}; read "
            "again (without config_text) and merge the extender into that configuration. Nothing was changed",
            **result,
        )

    secret = api.call("GET", secret_path)
    problem = secret_owner_problem(secret, name) if secret is not None else ""
    if problem and present:
        module.fail_json(msg=f"refusing to write Secret {namespace}/{secret_name}: {problem}. Nothing was changed")
    wanted_secret = secret_object(secret_name, namespace, name, files) if present else None
    if present:
        secret_changed = not secret_up_to_date(secret, wanted_secret)
    else:
        secret_changed = secret is not None and not problem
        if problem:
            module.warn(f"Secret {namespace}/{secret_name} was left in place: {problem}")

    result.update(changed=changed_cluster or secret_changed, rke_config=selector_part(updated))
    result["secret_changed"] = secret_changed
    if changed_cluster and module._diff:
        result["diff"] = {
            "before": json.dumps(selector_part(cluster), indent=2, sort_keys=True) + "\n",
            "after": json.dumps(selector_part(updated), indent=2, sort_keys=True) + "\n",
            "before_header": f"{cluster_path} spec.rkeConfig",
            "after_header": f"{cluster_path} spec.rkeConfig",
        }
    if not module.check_mode:
        undo = write_secret(api, secret_path, namespace, secret, wanted_secret) if present and secret_changed else None
        if changed_cluster:
            updated = put_cluster(module, api, cluster_path, updated, edit, undo)
            result["rke_config"] = selector_part(updated)
        if not present and secret_changed:
            api.call("DELETE", secret_path)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
