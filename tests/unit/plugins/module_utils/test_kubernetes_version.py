# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One reader of Kubernetes versions: module_utils/kubernetes_version, which the TopoLVM settings and the
kube-scheduler configuration use."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.module_utils import kubernetes_version
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.config_format import (
    KubeSchedulerConfigError,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.config_format import (
    parse_kubernetes_version as scheduler_parse,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import settings as tm


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.30", (1, 30)), ("v1.33.2", (1, 33)), ("v1.28.3+rke2r1", (1, 28)), ("v1.16.4-rancher1-1", (1, 16))],
)
def test_one_kubernetes_version_reader(text, expected):
    assert kubernetes_version.parse_kubernetes_version(text) == expected
    assert tm.parse_kubernetes_version(text) == expected
    assert scheduler_parse(text) == expected


@pytest.mark.parametrize("text", ["latest", "1", "", None, "1.29abc"])
def test_bad_kubernetes_versions_are_refused_alike(text):
    with pytest.raises(kubernetes_version.KubernetesVersionError):
        kubernetes_version.parse_kubernetes_version(text)
    with pytest.raises(tm.TopolvmConfigError, match="not a Kubernetes version"):
        tm.parse_kubernetes_version(text)
    with pytest.raises(KubeSchedulerConfigError, match="cannot read a Kubernetes version"):
        scheduler_parse(text)
