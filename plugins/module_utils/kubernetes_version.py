# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a Kubernetes version, in the one way every part of the collection uses."""

from __future__ import annotations

import re

# 1.30, v1.30.4, v1.16.4-rancher1-1, v1.28.3+rke2r1 (the server's gitVersion), 1.33.1-eks-...
_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)(?:[.+-].*)?$")


class KubernetesVersionError(ValueError):
    """A string that is not a Kubernetes version."""


def parse_kubernetes_version(version):
    """Return ``(major, minor)`` of a version such as ``1.30``, ``v1.30.4`` or ``v1.30.4+rke2r1``."""
    match = _VERSION_RE.match(str(version if version is not None else "").strip())
    if not match:
        raise KubernetesVersionError(f"{version!r} is not a Kubernetes version like 1.30 or v1.30.4")
    return int(match.group(1)), int(match.group(2))
