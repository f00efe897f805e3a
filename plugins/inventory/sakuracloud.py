# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: sakuracloud
short_description: Sakura Cloud servers as an inventory, grouped by their tags
version_added: 1.0.0
author:
  - lvmkube.cluster contributors (@lvmkube)
description:
  - Reads the servers of one or more Sakura Cloud zones from the Sakura Cloud API and turns every server tag into a
    group, so Ansible and kubespray see a cluster without an inventory file to edit.
  - The inventory source is a YAML file whose name ends with C(sakuracloud.yml) or C(sakuracloud.yaml).
  - A tag becomes a group named like the tag without a leading C(@) and with C(=) and every character outside
    C([A-Za-z0-9_]) turned into C(_); for example C(kube-master) gives C(kube_master), C(@cluster=example) gives
    C(cluster_example) and C(@instance-type=large) gives C(instance_type_large). A name that would start with a digit
    gets a leading C(_). Every host is also in C(sakuracloud) and in C(zone_<zone>).
  - The host name is the server name (or the O(hostname) template); a server whose name is already used by a server
    of another zone is named C(<name>.<zone>) and a warning says so.
  - A server whose name (or rendered O(hostname)) Ansible would treat specially is B(refused), never renamed; it is
    not listed and a warning names its ID and zone and why, for example C(Sakura Cloud server 113500000010 in zone
    is1a is refused and not listed - its name 'localhost' is a name Ansible treats specially) (the message reads
    C(not listed) then a colon). Refused are C(localhost) (any case or width), C(localhost.<x>), C(<x>.localhost),
    loopback and unspecified addresses, C(all), C(ungrouped), the name of any group of the inventory (tag groups,
    C(sakuracloud), C(zone_<zone>), C(k8s_cluster), the keys of O(groups)) and a name with any character but
    letters, digits, C(.), C(_) and C(-) (so none of the host pattern characters C(*), C(?), C(!), C(&), C(:),
    C([), C(]), C(,) and C(~), no whitespace, no control character), or starting with C(-). Renaming was not chosen
    because a node listed under a name the operator never gave is a surprise in every C(--limit) and in kubespray's
    node names; rename the server instead.
  - A tag with a non-ASCII character makes a group whose name ends with C(_) and the first 8 hex digits of the SHA-256
    of the tag (without the C(@)), so C(役割=ワーカー) and C(役割=マスター) stay two groups, the same on every run. Two
    different tags that make one group name (C(kube-node) and C(kube_node), C(@x=1) and C(x=1)) are an error naming
    both tags and servers. A tag that would make a group named C(localhost), C(all) or C(ungrouped) makes no group
    and a warning names its servers, since a group C(localhost) would take every play on C(hosts=localhost).
  - A server not shaped as the API lists it (for example C(Interfaces) not a list, a tag that is no text, no C(ID) or
    C(Name)) fails the source with an error naming the server, the field and what was expected.
  - Host variables are C(ansible_host) (see O(connect_with); a host with no usable address is listed without it and a
    warning names it), C(ansible_user) from a C(@ssh_user=<user>) tag, C(ansible_port) from a C(@ssh_port=<port>) tag
    and, with the O(hostvars_prefix), C(id), C(name), C(zone), C(tags) (list), C(tag_vars) (dict of every
    C(@key=value) tag, keys as written in the tag), C(instance_status), C(interfaces) (one dict per non-null NIC
    with C(index), C(ip_address), C(user_ip_address), C(scope), C(switch_id), C(switch_name), C(mac_address)) and
    C(server_plan) (C(cpu), C(memory_mb)).
  - For kubespray, O(kubespray_etcd_member_name), O(kubespray_ip) and O(kubespray_access_ip) set the unprefixed host
    variables C(etcd_member_name), C(ip) and C(access_ip) kubespray reads.
  - Every string that comes from the API is marked unsafe, so a tag that looks like a Jinja2 template is never
    templated.
  - Zones are read concurrently and each zone is read page by page until C(Total) servers were seen. A page that
    repeats a server ID (an API that ignores C(From)), more servers than C(Total), or an empty page before C(Total)
    servers came fail the source with an error naming the zone and the numbers; no server is ever listed twice.
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
  - lvmkube.cluster.cloud_inventory
options:
  plugin:
    choices: [lvmkube.cluster.sakuracloud]
  access_token:
    description:
      - Access token of a Sakura Cloud API key (the user name of the Basic authentication).
      - May be a template, for example a vaulted variable passed with C(--extra-vars).
      - When neither O(access_token) nor O(access_token_secret) is set here or in the environment, both are read from
        the usacloud profile (see O(profile)).
    type: str
    env:
      - name: SAKURACLOUD_ACCESS_TOKEN
      - name: SAKURA_ACCESS_TOKEN
  access_token_secret:
    description:
      - Secret of the Sakura Cloud API key (the password of the Basic authentication).
      - May be a template. It never appears in messages nor in cache keys.
    type: str
    env:
      - name: SAKURACLOUD_ACCESS_TOKEN_SECRET
      - name: SAKURA_ACCESS_TOKEN_SECRET
  service_principal_id:
    description:
      - ID of a service principal (Sakura Cloud IAM) whose key authenticates instead of an API key, as the newer SDK
        (sacloud/sacloud-sdk-go saclient) does. With it, the plugin signs a JWT (RS256, C(kid) the key's KID, C(iss)
        and C(sub) this ID, C(aud) the token endpoint, valid for 600 seconds) with the private key, exchanges it at
        O(token_endpoint) for an access token (RFC 7523 C(jwt-bearer) grant) once per run and sends that token as
        C(Authorization) on every request.
      - A service principal setting given here or in the environment wins over an API key given here or in the
        environment; either wins over the profile, where a service principal key again wins over an API key - the
        order of saclient. Each setting not given is read from the profile.
    type: str
    env:
      - name: SAKURACLOUD_SERVICE_PRINCIPAL_ID
      - name: SAKURA_SERVICE_PRINCIPAL_ID
  service_principal_key_kid:
    description:
      - KID of the service principal key (the C(kid) header of the signed JWT).
      - Of the environment variables, E(SAKURA_SERVICE_PRINCIPAL_KEY_ID) (deprecated in saclient) wins over
        E(SAKURA_SERVICE_PRINCIPAL_KEY_KID), which wins over E(SAKURACLOUD_SERVICE_PRINCIPAL_KEY_ID), the order in
        which saclient reads them.
    type: str
    env:
      - name: SAKURACLOUD_SERVICE_PRINCIPAL_KEY_ID
      - name: SAKURA_SERVICE_PRINCIPAL_KEY_KID
      - name: SAKURA_SERVICE_PRINCIPAL_KEY_ID
  private_key_path:
    description:
      - Path of the service principal's RSA private key (PEM, unencrypted).
      - Like saclient, a file that others can read or write (mode bits in C(0o077)) is refused.
    type: path
    env:
      - name: SAKURACLOUD_PRIVATE_KEY_PATH
      - name: SAKURA_PRIVATE_KEY_PATH
  private_key:
    description:
      - The service principal's RSA private key itself (PEM), for example from a vaulted variable or a CI secret;
        wins over O(private_key_path). It never appears in messages nor in cache keys.
    type: str
    env:
      - name: SAKURACLOUD_PRIVATE_KEY
      - name: SAKURA_PRIVATE_KEY
  token_endpoint:
    description:
      - Token endpoint of service principal keys. Default is the profile's C(TokenEndpoint), else
        C(https://secure.sakura.ad.jp/cloud/api/iam/1.0/service-principals/oauth2/token), saclient's default.
    type: str
    env:
      - name: SAKURACLOUD_TOKEN_ENDPOINT
      - name: SAKURA_TOKEN_ENDPOINT
  profile:
    description:
      - Name of the usacloud profile that provides the credentials, zones and client settings not set otherwise.
      - Without it, the profile named by E(SAKURA_PROFILE), E(SAKURACLOUD_PROFILE) or E(USACLOUD_PROFILE) (in this
        order), else the one named in the C(current) file of the profile folder, else C(default) - the order of the
        Sakura Cloud SDKs (sacloud/api-client-go, sacloud/sacloud-sdk-go saclient). A named profile that does not
        exist is an error; a missing C(default) is not.
      - The profile file is C(<profile folder>/<profile>/config.yaml) (profile v1, read first, as saclient does) or
        C(<profile folder>/<profile>/config.json) (profile v0). The folder is E(SAKURA_PROFILE_DIR),
        E(SAKURACLOUD_PROFILE_DIR) or E(USACLOUD_PROFILE_DIR) (first set wins; when it holds a C(.usacloud) folder, as
        usacloud and api-client-go lay it out, that one), else the first existing of C($XDG_CONFIG_HOME/sakura),
        C($XDG_CONFIG_HOME/usacloud), C(~/.config/sakura) and C(~/.usacloud).
      - The v0 keys read are C(AccessToken), C(AccessTokenSecret), C(Zone) and C(Zones) (C(Zones) wins when both are
        set), C(APIRootURL), C(RetryMax), C(RetryWaitMin), C(RetryWaitMax), C(HTTPRequestRateLimit) (or
        C(APIRequestRateLimit), the name older saclient releases read), C(ServicePrincipalID),
        C(ServicePrincipalKeyKID) (or C(ServicePrincipalKeyID)), C(PrivateKey), C(PrivateKeyPEMPath) and
        C(TokenEndpoint).
      - A profile v1 is a YAML mapping whose C(version) is 1; other versions are an error. Its C(credentials)
        section holds C(access_token), C(access_token_secret), C(service_principal_id), C(service_principal_key_kid),
        C(private_key) and C(private_key_path); its C(sacloud-sdk-go) section C(api_root_url), C(zone), C(zones),
        C(retry_max), C(retry_wait_min), C(retry_wait_max) and C(api_request_rate_limit). Other sections
        (C(endpoints), C(cli), other SDKs') are not read.
      - Options and environment variables win over the profile, as in the SDK.
    type: str
    env:
      - name: USACLOUD_PROFILE
      - name: SAKURACLOUD_PROFILE
      - name: SAKURA_PROFILE
  api_root_url:
    description:
      - Root URL of the Sakura Cloud zone APIs.
      - The server list of a zone is C(<api_root_url>/<zone>/api/cloud/1.1/server).
      - Default is the profile's C(APIRootURL), else C(https://secure.sakura.ad.jp/cloud/zone).
    type: str
    env:
      - name: SAKURACLOUD_API_ROOT_URL
      - name: SAKURA_API_ROOT_URL
  zones:
    description:
      - Zones to read servers from.
      - Default is the C(Zones) (or C(Zone)) of the usacloud profile, else every zone but the sandbox C(tk1v).
    type: list
    elements: str
    choices: [tk1a, tk1b, is1a, is1b, is1c, tk1v]
  timeout:
    env:
      - name: SAKURACLOUD_TIMEOUT
  retries:
    env:
      - name: SAKURACLOUD_RETRY_MAX
      - name: SAKURA_RETRY_MAX
  retry_backoff:
    env:
      - name: SAKURACLOUD_RETRY_WAIT_MIN
      - name: SAKURA_RETRY_WAIT_MIN
      - name: SAKURACLOUD_RETRY_BACKOFF
  retry_wait_max:
    env:
      - name: SAKURACLOUD_RETRY_WAIT_MAX
      - name: SAKURA_RETRY_WAIT_MAX
  rate_limit:
    env:
      - name: SAKURACLOUD_RATE_LIMIT
      - name: SAKURACLOUD_API_REQUEST_RATE_LIMIT
      - name: SAKURA_API_REQUEST_RATE_LIMIT
      - name: SAKURA_RATE_LIMIT
  page_size:
    description:
      - Number of servers asked for per request (C(Count) of the find request). The plugin keeps asking for the next
        page until it has read C(Total) servers, so a smaller page returned by the API is fine.
    type: int
    default: 10000
  cluster:
    description:
      - A tag every host must carry, for example C(@cluster=example). Servers without it are left out.
    type: str
    env:
      - name: CLUSTER
  required_tags:
    description:
      - Tags that must all be present on a server for it to be listed.
      - With O(server_side_filter), O(cluster) and these tags are sent to the API as its tag filter, so only the
        servers carrying all of them are read.
    type: list
    elements: str
    default: []
  server_side_filter:
    description:
      - Send O(cluster) and O(required_tags) to the API as the C(Filter) on C(Tags.Name) of the server find request
        (an AND of exact tag matches), so a cluster of 20 servers in an account of 10,000 reads 20 servers.
      - The plugin checks every tag again on what the API returns, so an API that ignored the filter would still
        give the same hosts, only read more slowly.
      - V(false) reads every server of the zones and filters on the controller.
    type: bool
    default: true
  exclude_tags:
    description: Servers carrying any of these tags are left out (checked on the controller).
    type: list
    elements: str
    default: []
  status:
    description: Instance statuses (for example C(up), C(down)) of the servers to list. Empty means any status.
    type: list
    elements: str
    default: []
  connect_with:
    description:
      - How C(ansible_host) is chosen.
      - V(nic0) is the address of the first interface entry. On the shared segment (switch scope C(shared)) this is
        C(IPAddress), on a user switch (scope C(user)) it is C(UserIPAddress). A server whose first entry is null has no
        address.
      - V(name) is the server name.
      - V(public) is the C(IPAddress) of the first interface on a C(shared) segment.
      - V(private) is the C(UserIPAddress) of the first interface on a C(user) switch that has one; with O(switch),
        the address of the interface on that switch.
    type: str
    default: nic0
    choices: [nic0, name, public, private]
  switch:
    description:
      - A switch, by name or ID, every listed server must be connected to, as the C(network) option of the
        hetzner.hcloud inventory does for networks. Servers without a NIC on it are left out.
      - O(connect_with=private) and V(private) of O(kubespray_ip)/O(kubespray_access_ip) then take the address of
        the NIC on this switch (C(UserIPAddress) on a user switch, C(IPAddress) on the shared segment).
    type: str
  hostname:
    description:
      - A Jinja2 template over the host variables the plugin sets (C(ansible_host), C(sacloud_name),
        C(sacloud_zone), C(sacloud_tag_vars), ...) that gives the inventory host name, like the C(hostname) option
        of the hetzner.hcloud inventory. For example C({{ sacloud_name }}.{{ sacloud_zone }}).
      - Default is the server name. A name already taken still gets C(.<zone>) appended, with a warning.
      - A template that gives an empty name is an error.
    type: str
  kubespray_etcd_member_name:
    description:
      - Set kubespray's host variable C(etcd_member_name) on every host, from a C(@etcd_member_name=<name>) tag,
        else from the host name, which is unique (C(cp-02.tk1a) for the second server named C(cp-02)), so kubespray
        never renders one member twice into C(ETCD_INITIAL_CLUSTER).
      - Without it kubespray names an etcd member C(etcd<N>) after the host's position in the C(etcd) group, so an
        inventory whose order changes (a server added, renamed or listed from another zone first) renames members
        of a running etcd cluster.
      - Two hosts that would share a member name (a tag equal to another tag or host name) are an error naming both
        servers.
    type: bool
    default: false
  kubespray_ip:
    description:
      - Set kubespray's host variable C(ip), the address kubespray binds the host's Kubernetes and etcd services to.
      - V(private) is the C(UserIPAddress) of the first interface on a user switch (on the switch of O(switch) when
        set), V(public) the C(IPAddress) of the first interface on the shared segment, V(connection) the address
        C(ansible_host) was set from (nothing with O(connect_with=name)), V(none) sets nothing, so kubespray falls
        back to C(ansible_default_ipv4.address).
      - A host without such an address gets no C(ip).
    type: str
    default: none
    choices: [none, private, public, connection]
  kubespray_access_ip:
    description:
      - Set kubespray's host variable C(access_ip), the address other hosts use to reach this host (etcd peer and
        client URLs, the API server address of the first control plane host), chosen as for O(kubespray_ip).
      - On Sakura Cloud this is usually V(private), the user switch the cluster talks over.
    type: str
    default: none
    choices: [none, private, public, connection]
  kubespray_group_aliases:
    description:
      - Hosts in C(kube_master) (tag C(kube-master)) also join C(kube_control_plane), and C(k8s_cluster) gets
        C(kube_control_plane) and C(kube_node) as child groups, as kubespray expects. The tags C(kube-node),
        C(k8s-cluster) and C(calico-rr) already make the groups C(kube_node), C(k8s_cluster) and C(calico_rr).
      - These groups and links exist only when some host carries the tags.
    type: bool
    default: true
  skip_group_tags:
    description:
      - Tags that make no group. An entry matches a tag exactly; an entry written V(@key) also matches every
        C(@key=value) tag. The tags stay in the host variables.
    type: list
    elements: str
    default: ['@auto-reboot']
  hostvars_prefix:
    default: sacloud_
notes:
  - Requests carry the header C(X-Sakura-Bigint-As-Int 1) so IDs are numbers.
  - HTTP 423, 429, 500, 502, 503 and 504 answers, resets, refused connections and missed deadlines are retried with
    exponential backoff, the token endpoint's too. An answer with a C(Retry-After) header in seconds waits that long
    instead (also at most O(retry_wait_max)). HTTP 401 or 403 stops with one error that names the zone. Other
    failures name the URL (never the credentials) and the cause; an error body that echoes the request is shown with
    every C(Basic)/C(Bearer) value and the secret (also base64- or percent-encoded) masked.
  - O(retries), O(retry_backoff), O(retry_wait_max) and O(rate_limit) default to the profile's C(RetryMax),
    C(RetryWaitMin), C(RetryWaitMax) and C(APIRequestRateLimit) (or C(HTTPRequestRateLimit)), else to the SDK's
    defaults 10, 1, 64 and 5.
  - With O(cache) enabled the cache holds the raw server lists. Its key covers the API URL, the zones, the tags of the
    server-side filter and a hash of the access token, never the secret. A run served from the cache sends no request.
seealso:
  - name: Sakura Cloud API
    description: The API the plugin reads.
    link: https://manual.sakura.ad.jp/cloud-api/1.1/
"""

EXAMPLES = r"""
# inventory/prod.sakuracloud.yml: credentials from the environment
# (SAKURACLOUD_ACCESS_TOKEN, SAKURACLOUD_ACCESS_TOKEN_SECRET) or the usacloud profile.
plugin: lvmkube.cluster.sakuracloud
cluster: "@cluster=example"
zones:
  - is1a
  - is1b

---
# Only running servers that take part in kubespray, connected over the private switch,
# credentials from vaulted variables, cached for an hour.
plugin: lvmkube.cluster.sakuracloud
access_token: "{{ vault_sakuracloud_access_token }}"
access_token_secret: "{{ vault_sakuracloud_access_token_secret }}"
cluster: "@cluster=example"
required_tags:
  - "@with_kubespray_inventory"
status:
  - up
connect_with: private
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/lvmkube-sakuracloud
cache_timeout: 3600

---
# Everything from the usacloud profile named by SAKURA_PROFILE (or SAKURACLOUD_PROFILE,
# USACLOUD_PROFILE, else the "current" file): credentials, Zones, APIRootURL, RetryMax and
# APIRequestRateLimit; here at most 2 requests per second over all zones instead.
plugin: lvmkube.cluster.sakuracloud
cluster: "@cluster=example"
rate_limit: 2

---
# A service principal key (Sakura Cloud IAM) instead of an API key: the plugin signs a JWT
# with the private key and exchanges it for a bearer token at the IAM token endpoint.
# The same settings may come from SAKURA_SERVICE_PRINCIPAL_ID, SAKURA_SERVICE_PRINCIPAL_KEY_KID,
# SAKURA_PRIVATE_KEY_PATH (or SAKURA_PRIVATE_KEY) or the credentials section of a profile v1.
plugin: lvmkube.cluster.sakuracloud
cluster: "@cluster=example"
service_principal_id: "113700000001"
service_principal_key_kid: "{{ vault_sakuracloud_key_kid }}"
private_key_path: ~/.config/sakura/service-principal.pem

---
# Constructed features: a group per instance status and a composed variable.
plugin: lvmkube.cluster.sakuracloud
profile: dev
keyed_groups:
  - key: sacloud_instance_status
    prefix: status
compose:
  node_memory_mb: sacloud_server_plan.memory_mb
groups:
  large_nodes: sacloud_server_plan.cpu >= 8

---
# kubespray-ready host variables: stable etcd member names and the user switch as the
# cluster network (ip and access_ip), ssh over the shared segment.
plugin: lvmkube.cluster.sakuracloud
cluster: "@cluster=example"
connect_with: public
kubespray_etcd_member_name: true
kubespray_ip: private
kubespray_access_ip: private

---
# Host names from a template, connected over the NIC on one switch (by name or ID);
# servers not on that switch are left out.
plugin: lvmkube.cluster.sakuracloud
cluster: "@cluster=example"
hostname: "{{ sacloud_name }}.{{ sacloud_zone }}.example.internal"
switch: sw-cluster
connect_with: private

# Run kubespray for one cluster:
#   CLUSTER=@cluster=example ansible-playbook -i inventory/prod.sakuracloud.yml kubespray/cluster.yml
"""

import os  # noqa: E402

from ansible.errors import AnsibleError  # noqa: E402
from ansible.module_utils.common.text.converters import to_text  # noqa: E402

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import cache as inventory_cache  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import names  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import plugin as base  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import (  # noqa: E402
    addresses,
    api,
    client,
    hostnames,
    hostvars,
    servers,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud import tags as tag_rules  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud.profiles import SERVICE_PRINCIPAL_KEYS  # noqa: E402
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.sakuracloud.settings import (  # noqa: E402
    cache_fingerprint,
    client_settings,
    resolve_settings,
)


class InventoryModule(base.CloudInventoryPlugin):
    """Sakura Cloud servers grouped by tags."""

    NAME = "lvmkube.cluster.sakuracloud"
    SOURCE_SUFFIXES = ("sakuracloud.yml", "sakuracloud.yaml")
    check_hostvars_prefix = staticmethod(hostvars.check_hostvars_prefix)

    def read_settings(self):
        try:
            token, secret, zones, source, profile, principal = resolve_settings(
                self.template_option("access_token"),
                self.template_option("access_token_secret"),
                self.get_option("zones"),
                self.template_option("profile"),
                os.environ,
                service_principal={name: self.template_option(name) for name in SERVICE_PRINCIPAL_KEYS},
            )
            client_conf = client_settings(
                dict(self.retry_options(), api_root_url=self.template_option("api_root_url")),
                profile,
            )
        except ValueError as exc:
            raise AnsibleError(to_text(exc)) from None
        self.check_minimum(("timeout", "page_size"), 1)
        settings = {
            "access_token": to_text(token) if token else None,
            "access_token_secret": to_text(secret) if secret else None,
            "service_principal": principal,
            "zones": zones,
            "source": source,
            "timeout": self.get_option("timeout"),
            "validate_certs": self.get_option("validate_certs"),
            "page_size": self.get_option("page_size"),
            "filter_tags": (
                api.filter_tags(self.template_option("cluster"), self.get_option("required_tags"))
                if self.get_option("server_side_filter")
                else []
            ),
        }
        settings.update(client_conf)
        settings["api_root_url"] = to_text(settings["api_root_url"])
        return settings

    def fingerprint(self, settings):
        principal = settings["service_principal"]
        identity = (
            "{}/{}".format(principal["service_principal_id"], principal["service_principal_key_kid"])
            if principal
            else settings["access_token"]
        )
        return cache_fingerprint(settings["api_root_url"], settings["zones"], identity, settings["filter_tags"])

    def fetch(self, settings):
        return client.fetch_servers(settings)

    def _render_hostname(self, template, variables, server_id):
        """Render the ``hostname`` option over one server's variables (strings from the API stay untrusted)."""
        templar = self.templar.copy_with_new_env(available_variables=variables)
        try:
            return hostnames.check_host_name(templar.template(template), server_id)
        except ValueError as exc:
            raise AnsibleError(to_text(exc)) from None
        except AnsibleError as exc:
            raise AnsibleError(f"the hostname template failed for server {server_id}: {to_text(exc)}") from None

    def _name_hosts(self, records, group_names):
        """Give each record a unique, safe ``host`` name; return the records listed (refused ones warned about)."""
        taken = set()
        listed = []
        for record in records:
            raw_name = record["name"]
            problem = self.name_problem(raw_name, group_names)
            if problem:
                self.refuse("Sakura Cloud", record["what"], raw_name, problem)
                continue
            try:
                hostname = hostnames.unique_host_name(raw_name, record["zone"], record["server"]["ID"], taken)
            except ValueError as exc:
                raise AnsibleError(to_text(exc)) from None
            if hostname != raw_name:
                self.display.warning(
                    f"Sakura Cloud server name {raw_name!r} is used more than once; "
                    f"{record['what']} is listed as {hostname!r}"
                )
            taken.add(hostname)
            record["host"] = hostname
            listed.append(record)
        return listed

    def populate(self, zone_servers, settings, mark_unsafe):
        prefix = settings["prefix"]
        connect_with = self.get_option("connect_with")
        switch = self.template_option("switch")
        if switch is not None:
            switch = to_text(switch)
        hostname_template = self.get_option("hostname")
        kubespray = {
            "switch": switch,
            "etcd_member_name": self.get_option("kubespray_etcd_member_name"),
            "ip": self.get_option("kubespray_ip"),
            "access_ip": self.get_option("kubespray_access_ip"),
        }
        want_kubespray = kubespray["etcd_member_name"] or kubespray["ip"] != "none" or kubespray["access_ip"] != "none"
        aliases = self.get_option("kubespray_group_aliases")
        is_skipped = tag_rules.skip_matcher(self.get_option("skip_group_tags"))
        accept = tag_rules.make_filter(
            self.template_option("cluster"),
            self.get_option("required_tags"),
            self.get_option("exclude_tags"),
            self.get_option("status"),
        )
        records = []
        labels = names.GroupLabels()
        zone_of = {}
        for zone in settings["zones"]:
            for position, server in enumerate(zone_servers.get(zone) or []):
                try:
                    servers.check_server(server, position)
                except ValueError as exc:
                    raise AnsibleError(f"Sakura Cloud zone {zone}: {exc}") from None
                first_zone = zone_of.setdefault(server["ID"], zone)
                if first_zone != zone:
                    raise AnsibleError(
                        f"Sakura Cloud API listed server {server['ID']} in zone {first_zone} and in zone {zone}; "
                        "a server ID is listed once"
                    )
                tags = servers.server_tags(server)
                if not accept(tags, servers.instance_status(server)):
                    continue
                if switch and addresses.switch_nic(server, switch) is None:
                    continue
                what = f"server {server['ID']} in zone {zone}"
                variables, address = hostvars.host_vars(server, zone, prefix, connect_with, switch)
                if want_kubespray:
                    variables.update(hostvars.kubespray_vars(server, address, connect_with, **kubespray))
                variables = inventory_cache.unsafe(variables, mark_unsafe)
                if hostname_template:
                    raw_name = self._render_hostname(hostname_template, variables, server["ID"])
                else:
                    raw_name = to_text(server["Name"])
                try:
                    for tag, group in tag_rules.tag_groups(tags, is_skipped):
                        labels.add(tag, group, server["ID"])
                except ValueError as exc:
                    raise AnsibleError(f"Sakura Cloud: {exc}") from None
                groups = ["sakuracloud", "zone_" + zone, *tag_rules.host_groups(tags, is_skipped, aliases)]
                records.append(
                    {
                        "server": server,
                        "zone": zone,
                        "what": what,
                        "name": raw_name,
                        "vars": variables,
                        "address": address,
                        "groups": groups,
                    }
                )
        static_groups = {"sakuracloud", *("zone_" + zone for zone in settings["zones"])}
        if aliases:
            static_groups.add(tag_rules.KUBESPRAY_CLUSTER_GROUP)
        group_names = self.usable_groups("Sakura Cloud", records, static_groups)
        listed = self._name_hosts(records, group_names)
        if want_kubespray and kubespray["etcd_member_name"]:
            try:
                hostvars.set_member_names(listed)
            except ValueError as exc:
                raise AnsibleError(f"Sakura Cloud: {exc}") from None

        known_groups, no_address = self.add_records("Sakura Cloud", "sakuracloud", listed, group_names)
        if aliases:
            parents_needed = [g for g in tag_rules.KUBESPRAY_CLUSTER_CHILDREN if g in known_groups]
            if parents_needed:
                self.inventory.add_group(tag_rules.KUBESPRAY_CLUSTER_GROUP)
                for child in parents_needed:
                    self.inventory.add_child(tag_rules.KUBESPRAY_CLUSTER_GROUP, child)

        self.warn_without_address("Sakura Cloud", no_address, f"connect_with={connect_with}")
