# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: nifcloud
short_description: NIFCLOUD (FJcloud-V) computing instances as an inventory
version_added: 1.0.0
author:
  - lvmkube.cluster contributors (@lvmkube)
description:
  - Reads the instances of one or more NIFCLOUD regions with the computing API's C(DescribeInstances) and groups them
    by zone, instance type, state and the C(key=value) labels written in the instance description (for example
    C(cluster=example role=kube-node)).
  - The inventory source is a YAML file whose name ends with C(nifcloud.yml) or C(nifcloud.yaml).
  - Requests are signed with the API's signature version 2 (HMAC-SHA256 over the method, host, path and the sorted,
    percent-encoded parameters), sent as a form-encoded POST to C(https://<region>.computing.api.nifcloud.com/api/),
    API version 3.0, as the official SDK (nifcloud-sdk-go) does. C(DescribeInstances) has no paging parameters, so
    each region is one request.
  - The host name is the instance ID (C(instanceId)), which is what the NIFCLOUD cloud controller manager expects
    as the Kubernetes node name. Every host is in C(nifcloud), C(zone_<zone>), C(instance_type_<type>),
    C(state_<state>) and one group per label, named like C(<key>_<value>) with every character outside
    C([A-Za-z0-9_]) turned into C(_); a label with a non-ASCII character also gets C(_) and the first 8 hex digits of
    the SHA-256 of the label, so distinct labels stay distinct groups. Two different labels that make one group name
    (C(role=kube-node) and C(role=kube_node)) are an error naming both; a label that would make a group named
    C(localhost), C(all) or C(ungrouped) makes none (a warning names its instances).
  - An instance whose ID Ansible would treat specially is B(refused), never renamed; it is not listed and a warning
    names it and its region, for example C(NIFCLOUD instance 'localhost' in region jp-east-1 is refused and not
    listed - its name 'localhost' is a name Ansible treats specially) (the message reads C(not listed) then a colon).
    Refused are the names the sakuracloud plugin refuses (C(localhost), loopback addresses, C(all), C(ungrouped), any
    group's name, any character but letters, digits, C(.), C(_) and C(-)).
  - An answer that lists one instance ID twice in a region, or an instance without C(instanceId), fails the source.
  - Host variables are C(ansible_host) (see O(connect_with)) and, with the O(hostvars_prefix), C(instance_id),
    C(instance_unique_id), C(provider_id) (C(nifcloud:///<zone>/<instanceUniqueId>), as the cloud controller
    manager sets it), C(instance_type), C(state), C(zone), C(region), C(description), C(labels) (dict),
    C(public_ip), C(private_ip), C(image_name), C(key_name) and C(network_interfaces).
  - Every string that comes from the API is marked unsafe, so a description that looks like a Jinja2 template is
    never templated.
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
  - lvmkube.cluster.cloud_inventory
options:
  plugin:
    choices: [lvmkube.cluster.nifcloud]
  access_key:
    description:
      - Access key of the NIFCLOUD account (the C(AccessKeyId) of every request). May be a template.
    type: str
    env:
      - name: NIFCLOUD_ACCESS_KEY_ID
  secret_access_key:
    description:
      - Secret access key that signs the requests. May be a template. It is never sent and never appears in
        messages nor in cache keys.
    type: str
    env:
      - name: NIFCLOUD_SECRET_ACCESS_KEY
  regions:
    description:
      - Regions to read instances from, read concurrently.
      - Default is E(NIFCLOUD_DEFAULT_REGION), else C(jp-east-1).
    type: list
    elements: str
    choices: [jp-east-1, jp-east-2, jp-east-3, jp-east-4, jp-west-1, jp-west-2, us-east-1]
  endpoint_template:
    description:
      - URL of a region's computing API; C({region}) is replaced by the region name.
    type: str
    default: https://{region}.computing.api.nifcloud.com/api/
  labels:
    description:
      - Labels (C(key=value) words of the description) every listed instance must carry, as a dict; the dict with
        the key C(cluster) and the value C(example) lists the instances whose description holds C(cluster=example).
    type: dict
    default: {}
  states:
    description: Instance states (for example C(running), C(stopped)) to list. Empty means any state.
    type: list
    elements: str
    default: []
  connect_with:
    description:
      - How C(ansible_host) is chosen. V(public) is C(ipAddress), V(private) is C(privateIpAddress), V(instance_id)
        the instance ID (for ssh configurations that know the hosts by name).
    type: str
    default: public
    choices: [public, private, instance_id]
  hostvars_prefix:
    default: nifcloud_
  retries:
    default: 2
  retry_backoff:
    default: 1.0
    env:
      - name: NIFCLOUD_RETRY_BACKOFF
  retry_wait_max:
    default: 20.0
  rate_limit:
    default: 0
notes:
  - HTTP 429, 500, 502, 503, 504 and 509 answers, resets, refused connections and missed deadlines are retried with
    exponential backoff (O(retries) times; the SDK's standard retryer makes 3 attempts), by the same code as the
    sakuracloud plugin.
  - HTTP 401 or 403 (the API refused the access key or the signature) stops with one error that names the regions and
    the API's error code. Other failures name the URL (never the keys) and the cause; an error body that echoes the
    request is shown with its C(Signature) and the secret (also base64- or percent-encoded) masked.
  - With O(cache) enabled the cache holds the parsed instance lists. Its key covers the endpoints, the regions and a
    hash of the access key, never the secret.
seealso:
  - name: NIFCLOUD computing API, common parameters and signature
    description: The signature version 2 the plugin implements.
    link: https://docs.nifcloud.com/cp/api/authenticate.htm
  - name: DescribeInstances
    description: The API call the plugin reads.
    link: https://docs.nifcloud.com/cp/api/DescribeInstances.htm
"""

EXAMPLES = r"""
# inventory/prod.nifcloud.yml: keys from NIFCLOUD_ACCESS_KEY_ID / NIFCLOUD_SECRET_ACCESS_KEY,
# the instances whose description says "cluster=example".
plugin: lvmkube.cluster.nifcloud
regions:
  - jp-east-1
labels:
  cluster: example
states:
  - running

---
# Over the private LAN, keys from vaulted variables, cached for ten minutes, kubespray groups from labels
# ("role=kube-node" in the description gives the group role_kube_node).
plugin: lvmkube.cluster.nifcloud
access_key: "{{ vault_nifcloud_access_key }}"
secret_access_key: "{{ vault_nifcloud_secret_access_key }}"
connect_with: private
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/lvmkube-nifcloud
cache_timeout: 600
groups:
  kube_control_plane: nifcloud_labels.role | default('') == 'control-plane'
  kube_node: nifcloud_labels.role | default('') in ['kube-node', 'control-plane']
  etcd: nifcloud_labels.etcd | default('') == 'true'
compose:
  etcd_member_name: nifcloud_instance_id
  ip: nifcloud_private_ip
  access_ip: nifcloud_private_ip
"""

import os  # noqa: E402

from ansible.errors import AnsibleError  # noqa: E402
from ansible.module_utils.common.text.converters import to_text  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import cache as inventory_cache  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import names  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import plugin as base  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.nifcloud import api, client, hostvars, labels  # noqa: E402


class InventoryModule(base.CloudInventoryPlugin):
    """NIFCLOUD instances grouped by zone, type, state and description labels."""

    NAME = "lvmkube.cluster.nifcloud"
    SOURCE_SUFFIXES = ("nifcloud.yml", "nifcloud.yaml")
    check_hostvars_prefix = staticmethod(hostvars.check_hostvars_prefix)

    def read_settings(self):
        access_key = self.template_option("access_key")
        secret = self.template_option("secret_access_key")
        if not access_key or not secret:
            raise AnsibleError(
                "no NIFCLOUD keys: set access_key and secret_access_key or the environment variables "
                "NIFCLOUD_ACCESS_KEY_ID and NIFCLOUD_SECRET_ACCESS_KEY"
            )
        regions = self.get_option("regions") or [os.environ.get("NIFCLOUD_DEFAULT_REGION") or "jp-east-1"]
        template = self.get_option("endpoint_template")
        try:
            for region in regions:
                api.endpoint(region, template)
        except ValueError as exc:
            raise AnsibleError(to_text(exc)) from None
        self.check_minimum(("timeout",), 1)
        self.check_minimum(base.RETRY_OPTIONS, 0)
        return {
            "access_key": to_text(access_key),
            "secret_access_key": to_text(secret),
            "regions": list(dict.fromkeys(regions)),
            "endpoint_template": template,
            "timeout": self.get_option("timeout"),
            "validate_certs": self.get_option("validate_certs"),
            **self.retry_options(),
        }

    def fingerprint(self, settings):
        return inventory_cache.digest([settings["endpoint_template"], settings["regions"], settings["access_key"]])

    def fetch(self, settings):
        return client.fetch_instances(settings)

    def populate(self, region_instances, settings, mark_unsafe):
        prefix = settings["prefix"]
        connect_with = self.get_option("connect_with")
        accept = labels.make_filter(self.get_option("states"), self.get_option("labels"))
        records = []
        group_labels = names.GroupLabels()
        seen = set()
        for region in settings["regions"]:
            for instance in region_instances.get(region) or ():
                hostname = to_text(instance["instance_id"])
                what = f"instance {hostname!r} in region {region}"
                instance_labels = labels.description_labels(instance.get("description"))
                if not accept(instance, instance_labels):
                    continue
                if hostname in seen:
                    self.display.warning(
                        f"NIFCLOUD instance ID {hostname!r} is listed in more than one region; "
                        f"keeping the first, skipping the one in {region}"
                    )
                    continue
                seen.add(hostname)
                try:
                    for label, group in labels.label_groups(instance_labels):
                        group_labels.add(label, group, hostname)
                except ValueError as exc:
                    raise AnsibleError(f"NIFCLOUD: {exc}") from None
                variables, address = hostvars.host_vars(instance, region, prefix, connect_with)
                variables = inventory_cache.unsafe(variables, mark_unsafe)
                groups = ["nifcloud", *labels.host_groups(instance, instance_labels)]
                records.append(
                    {"host": hostname, "what": what, "vars": variables, "address": address, "groups": groups}
                )
        group_names = self.usable_groups("NIFCLOUD", records, {"nifcloud"})
        _groups, no_address = self.add_records("NIFCLOUD", "nifcloud", records, group_names)
        self.warn_without_address("NIFCLOUD", no_address, f"connect_with={connect_with}")
