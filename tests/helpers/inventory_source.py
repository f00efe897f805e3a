# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One parse of an inventory source file by an inventory plugin, as ansible-inventory runs it."""

from __future__ import annotations

import yaml
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader


def parse_source(path, config):
    """Write ``config`` (its ``plugin`` names the plugin) to ``path``, parse it into a new InventoryData, return it.

    The plugin must accept the file (``verify_file``); the inventory cache is written as ansible-inventory writes it.
    """
    path.write_text(yaml.safe_dump(config))
    inventory = InventoryData()
    plugin = inventory_loader.get(config["plugin"])
    assert plugin.verify_file(str(path))
    plugin.parse(inventory, DataLoader(), str(path), cache=True)
    if getattr(plugin, "_cache", None) is not None and hasattr(plugin._cache, "update_cache_if_changed"):
        plugin.update_cache_if_changed()
    return inventory


def members(inventory, group):
    """Return the sorted names of the hosts of ``group``."""
    return sorted(host.name for host in inventory.groups[group].get_hosts())
