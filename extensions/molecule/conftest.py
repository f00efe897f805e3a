# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest configuration shared by the testinfra tests of every molecule scenario.

pytest loads this file for every test below extensions/molecule/. It makes the helpers of
extensions/molecule/shared/vmtest.py importable and provides fixtures built on them.
"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "shared"))

import vmtest  # pylint: disable=wrong-import-position


@pytest.fixture
def platform(host):
    """The molecule.yml platform entry of the VM under test."""
    return vmtest.platform_of(host)


@pytest.fixture
def data_disks(host):
    """The data disks declared for the VM under test (serial, size, by_id)."""
    return vmtest.declared_disks(host)


@pytest.fixture
def rebooted(host):
    """True when shared/reboot.yml has rebooted this VM at least once before this test run."""
    return bool(vmtest.previous_boot_ids(host))
