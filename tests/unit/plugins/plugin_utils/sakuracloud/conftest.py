# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the Sakura Cloud unit tests."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa


@pytest.fixture(scope="module")
def rsa_key():
    """An RSA key of the size saclient's examples use, made once per test module."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)
