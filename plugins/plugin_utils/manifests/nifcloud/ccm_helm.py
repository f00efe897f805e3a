# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values for the upstream nifcloud-cloud-controller-manager chart that describe the installation
:func:`ccm.ccm_objects` builds.

Chart facts: nifcloud-cloud-controller-manager chart v1.2.0, charts/nifcloud-cloud-controller-manager/values.yaml
and templates/daemonset.yaml at commit 231d33d5. Helm merges the maps the role sends into the chart's defaults, so
the values name every default key the role's value lacks with null (render.helm_replacing).
"""

from __future__ import annotations

import copy

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.ccm import (
    CCM_DEFAULTS,
    ccm_placement,
    normalize_ccm,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.nifcloud.common import (
    NifcloudConfigError,
    helm_credentials,
    image_pull_secrets,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.render import helm_replacing

# The chart's values.yaml nodeSelector.
CCM_CHART_NODE_SELECTOR = {"node-role.kubernetes.io/control-plane": ""}


def ccm_helm_values(raw):
    """Values for the upstream nifcloud-cloud-controller-manager chart describing the same installation.

    The chart (v1.2.0, templates/daemonset.yaml) hard-codes the controller's args: extra_args are refused here.
    It has no priorityClassName value: the DaemonSet of helm mode has none (render and apply set
    system-node-critical).
    """
    cfg = normalize_ccm(raw)
    if cfg["name"] != CCM_DEFAULTS["name"]:
        # templates/*.yaml name every object after the chart (or nameOverride) but daemonset.yaml hard-codes
        # serviceAccountName: nifcloud-cloud-controller-manager, so no other name works.
        raise NifcloudConfigError(
            f"name {cfg['name']} cannot be given to the chart (it names the objects {CCM_DEFAULTS['name']} and "
            "hard-codes that ServiceAccount): use the output apply or render, or the default name"
        )
    if cfg["extra_args"]:
        raise NifcloudConfigError(
            "extra_args cannot be given to the chart (its templates/daemonset.yaml hard-codes the args): "
            "use the output apply or render, or leave extra_args empty"
        )
    affinity, tolerations = ccm_placement(cfg)
    return {
        "image": {
            "repository": cfg["image_repository"],
            "tag": cfg["image_tag"],
            "pullPolicy": cfg["image_pull_policy"],
        },
        # The chart's default nodeSelector (control-plane: "") misses RKE nodes, and Helm merges maps: only a
        # null deletes the default key. The affinity covers every distribution.
        "nodeSelector": helm_replacing(CCM_CHART_NODE_SELECTOR, {}),
        "affinity": affinity,
        "tolerations": tolerations,
        "resources": copy.deepcopy(cfg["resources"]),
        "securityContext": copy.deepcopy(cfg["security_context"]),
        "podAnnotations": dict(cfg["pod_annotations"]),
        "imagePullSecrets": image_pull_secrets(cfg["image_pull_secrets"]),
        "nifcloud": helm_credentials(cfg),
    }
