# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""usacloud profile folders and service principal keys for the Sakura Cloud unit tests, laid out as the SDKs do."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives import serialization


def write_profile(home, name, data, current=None):
    """Write ``<home>/.usacloud/<name>/config.json`` (profile v0) and, when given, the ``current`` file."""
    folder = home / ".usacloud" / name
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(data))
    if current is not None:
        (home / ".usacloud" / "current").write_text(current + "\n")


def write_file(folder, name, text):
    """Write ``text`` to ``folder/name`` (the folder made as needed); return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def pem(key):
    """Return a private key as unencrypted PEM text (traditional OpenSSL format)."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
