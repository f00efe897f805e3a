# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base class of the cloud inventory plugins (sakuracloud, nifcloud): the parse loop, templated and checked
options, the cache round trip, and adding hosts whose names and groups no cloud data can turn into something Ansible
treats specially.
"""

from __future__ import annotations

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.vars.reserved import get_reserved_names

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import cache as inventory_cache
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory import transport
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.inventory.names import (
    group_name_problem,
    host_name_problem,
)

_RESERVED = []
# The options of the cloud_inventory doc fragment that set retries and the rate limit.
RETRY_OPTIONS = ("retries", "retry_backoff", "retry_wait_max", "rate_limit")


def reserved_names():
    """Names Ansible reserves (play keywords and the like), computed once."""
    if not _RESERVED:
        _RESERVED.append(frozenset(get_reserved_names()))
    return _RESERVED[0]


class CloudInventoryPlugin(BaseInventoryPlugin, Constructable, Cacheable):
    """The base of the cloud inventory plugins: the parse loop and what the plugins share.

    A plugin sets ``NAME``, ``SOURCE_SUFFIXES`` (the endings of its source files) and
    ``check_hostvars_prefix`` (``(prefix, reserved names)``, ValueError when the prefix is refused).
    """

    def parse(self, inventory, loader, path, cache=True):
        """Read the source's options, then the cloud (or the cache), then add the hosts.

        The plugin provides ``read_settings()`` (the checked options as a dict, to which
        ``prefix`` is added: the checked ``hostvars_prefix``),
        ``fingerprint(settings)`` (what names a cache entry, never a secret),
        ``fetch(settings)`` (the cloud's data, plain JSON-serialisable) and
        ``populate(data, settings, mark_unsafe)``.
        """
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        self.templar.available_variables = self._vars or {}
        prefix = self.hostvars_prefix()
        settings = dict(self.read_settings(), prefix=prefix)
        data, mark_unsafe = self.cached_or_fetched(
            path, cache, self.fingerprint(settings), lambda: self.fetch(settings)
        )
        self.populate(data, settings, mark_unsafe)

    def verify_file(self, path):
        """Accept a YAML source whose name ends with one of the plugin's ``SOURCE_SUFFIXES``."""
        return super().verify_file(path) and path.endswith(self.SOURCE_SUFFIXES)

    def template_option(self, name):
        """Return an option's value, templated when it holds ``{{`` (credentials from vaulted variables)."""
        value = self.get_option(name)
        if isinstance(value, str) and "{{" in value:
            value = self.templar.template(value)
        return value

    def hostvars_prefix(self):
        """Return the ``hostvars_prefix`` option (empty when unset) once the plugin's check passed."""
        prefix = self.get_option("hostvars_prefix") or ""
        try:
            self.check_hostvars_prefix(prefix, reserved_names())
        except ValueError as exc:
            raise AnsibleError(to_text(exc)) from None
        return prefix

    def retry_options(self):
        """Return the options of the shared retry and rate limit settings (see the cloud_inventory doc fragment)."""
        return {name: self.get_option(name) for name in RETRY_OPTIONS}

    def check_minimum(self, names, minimum):
        """Raise AnsibleError naming the first of the options ``names`` whose value is below ``minimum`` (0 or 1)."""
        for name in names:
            value = self.get_option(name)
            if value < minimum:
                rule = "must be at least 1" if minimum else "must not be negative"
                raise AnsibleError(f"{name} {rule}, got {value}")

    def cached_or_fetched(self, path, cache, fingerprint, fetch):
        """Return ``(data, mark_unsafe)``: the cached data for this source, else ``fetch()`` (then cached).

        ``mark_unsafe`` tells whether the strings must be wrapped as unsafe before
        they become host variables: on cores without data tagging, and for data from
        a cache plugin that may restore template trust.
        """
        cache_key = inventory_cache.entry_key(self.get_cache_key(path), fingerprint)
        use_cache = bool(self.get_option("cache"))
        if use_cache and cache:
            try:
                data = self._cache[cache_key]
            except KeyError:
                pass
            else:
                return data, inventory_cache.must_mark_unsafe(True, self.get_option("cache_plugin"))
        if transport.requests is None:
            raise AnsibleError(f"the {self.NAME} inventory plugin needs the Python library 'requests'")
        data = fetch()
        if use_cache:
            self._cache[cache_key] = data
        return data, inventory_cache.must_mark_unsafe(False, None)

    def refuse(self, cloud, what, name, problem):
        """Warn that a server is not listed because of its name."""
        self.display.warning(f"{cloud} {what} is refused and not listed: its name {name!r} {problem}")

    def usable_groups(self, cloud, records, static_groups):
        """Drop from each record's ``groups`` the names Ansible treats specially; return every group name.

        ``records`` are dicts with ``groups`` (names made from cloud data) and
        ``what`` (``server 1 in zone is1a``). One warning per dropped group names
        its servers. The result also holds ``static_groups`` and the keys of the
        ``groups`` option (constructed groups), the names no host may take.
        """
        dropped = {}
        names = set(static_groups)
        for record in records:
            kept = []
            for group in record["groups"]:
                if group_name_problem(group):
                    dropped.setdefault(group, []).append(record["what"])
                else:
                    kept.append(group)
            record["groups"] = kept
            names.update(kept)
        for group, owners in sorted(dropped.items()):
            self.display.warning(
                f"{cloud}: no group {group!r} is made (a name Ansible treats specially), asked for by "
                + ", ".join(owners)
            )
        names.update(self.get_option("groups") or {})
        return names

    def name_problem(self, name, group_names):
        """Why ``name`` must not be a host (see ``host_name_problem``), also against the groups already made."""
        problem = host_name_problem(name, group_names)
        if problem is None and name in self.inventory.groups:
            problem = f"is the name of the group {name!r}"
        return problem

    def add_records(self, cloud, top_group, records, group_names):
        """Add a host per record (``host``, ``what``, ``vars``, ``groups``, ``address``) whose name is not refused.

        Every host joins ``top_group``. A name is checked against ``group_names``
        and the groups made so far right before its host is added, and once more
        after all hosts, as a constructed group (``keyed_groups``) of a later host
        may take it. Returns ``(groups made, hosts without an address)``.
        """
        self.inventory.add_group(top_group)
        known_groups = {top_group}
        no_address = []
        added = {}
        for record in records:
            hostname = record["host"]
            problem = self.name_problem(hostname, group_names)
            if problem:
                self.refuse(cloud, record["what"], hostname, problem)
                continue
            if not record["address"]:
                no_address.append(hostname)
            self.add_cloud_host(hostname, record["vars"], record["groups"], known_groups)
            added[hostname] = record["what"]
        for name, what in added.items():
            if name in self.inventory.groups and name in self.inventory.hosts:
                self.inventory.remove_host(self.inventory.hosts[name])
                self.refuse(cloud, what, name, f"is the name of the group {name!r}")
        return known_groups, no_address

    def add_cloud_host(self, hostname, variables, groups, known_groups):
        """Add one host with its variables and groups, then the constructed features (compose, groups, keyed)."""
        inventory = self.inventory
        inventory.add_host(hostname)
        # The Host object's own setter: the variable names were checked at parse
        # time and the values are plain data from the API.
        host = inventory.hosts[hostname]
        for key, value in variables.items():
            host.set_variable(key, value)
        for group in groups:
            if group not in known_groups:
                inventory.add_group(group)
                known_groups.add(group)
            inventory.add_child(group, hostname)
        compose = self.get_option("compose")
        composed_groups = self.get_option("groups")
        keyed_groups = self.get_option("keyed_groups")
        if compose or composed_groups or keyed_groups:
            strict = self.get_option("strict")
            self._set_composite_vars(compose, variables, hostname, strict=strict)
            self._add_host_to_composed_groups(composed_groups, variables, hostname, strict=strict)
            self._add_host_to_keyed_groups(keyed_groups, variables, hostname, strict=strict)

    def warn_without_address(self, cloud, hosts, how):
        """One warning naming (up to 20 of) the hosts listed without ``ansible_host``."""
        if not hosts:
            return
        more = len(hosts) - 20
        shown = ", ".join(hosts[:20]) + (f" and {more} more" if more > 0 else "")
        self.display.warning(f"{cloud} servers without an address for {how} (listed without ansible_host): {shown}")
