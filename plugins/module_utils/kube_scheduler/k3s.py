# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The K3s backend: standalone K3s reads ``/etc/rancher/k3s/config.yaml`` and ``config.yaml.d/*.yaml`` with the
loader RKE2 uses (k3s-io/k3s ``pkg/configfilearg/parser.go``, commit f646604010affc6a1d3233a8a0870bca46bf80cf:
``readConfigFile`` - config.yaml first, then ``dotDFiles`` in directory order, ``.yaml``/``.yml`` any case; a key
ending in ``+`` appends through ``toSlice``, any other key replaces), so it is the RKE2 backend (rke2.py) with K3s'
paths: the scheduler's kubeconfig ``/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig`` and the service
``k3s``.

One difference: K3s runs kube-scheduler inside its own process, which sees the host's files, so no
``kube-scheduler-extra-mount`` is written (K3s has no such flag; ``stripInvalidFlags`` would skip it with a
warning).
"""

from __future__ import annotations

from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.rke2 import Rke2Backend


class K3sBackend(Rke2Backend):
    """K3s: RKE2's drop-in and restart, K3s' paths, no mount."""

    name = "k3s"
    label = "K3s"
    config_path = "/etc/rancher/k3s/config.yaml"
    data_dir = "/var/lib/rancher/k3s"
    kubeconfig = data_dir + "/server/cred/scheduler.kubeconfig"
    service = "k3s"
    extra_mount = False


BACKEND = K3sBackend()
