# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the inventory plugin tests: the plugins loaded as ansible-inventory loads them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from ansible.plugins.loader import init_plugin_loader

COLLECTIONS = str(Path(__file__).resolve().parents[4] / "build" / "collections")


@pytest.fixture(scope="session")
def loader_ready():
    """Install Ansible's collection loader, as the CLI does before it loads plugins.

    Other test modules import the collection as a plain namespace package; the
    collection loader only finds the collection's metadata when it imports the
    package itself, so those plain imports are dropped from sys.modules first
    (modules already imported keep working).
    """
    for name in list(sys.modules):
        if name == "ansible_collections" or name.startswith("ansible_collections."):
            del sys.modules[name]
    init_plugin_loader([COLLECTIONS])
