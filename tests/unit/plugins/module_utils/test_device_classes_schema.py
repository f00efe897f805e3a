# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device-class schema lives once, in module_utils: the filters and the TopoLVM manifests use its rule."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.filter import device_classes as flt
from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as topolvm_filters
from ansible_collections.lvmkube.cluster.plugins.module_utils import kubernetes_version
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.config_format import (
    KubeSchedulerConfigError,
)
from ansible_collections.lvmkube.cluster.plugins.module_utils.kube_scheduler.config_format import (
    parse_kubernetes_version as scheduler_parse,
)
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import objects as topolvm_objects
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import settings as tm
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage import device_classes as schema

NO_DEFAULT = [{"name": "ssd", "volume_group": "vg0"}, {"name": "hdd", "volume_group": "vg1"}]
TWO_DEFAULTS = [
    {"name": "ssd", "volume_group": "vg0", "default": True},
    {"name": "hdd", "volume_group": "vg1", "default": True},
]


@pytest.mark.parametrize("classes", [NO_DEFAULT, TWO_DEFAULTS], ids=["none", "two"])
def test_every_consumer_refuses_what_the_schema_refuses(classes):
    with pytest.raises(schema.DeviceClassError, match="exactly one device class must have default") as direct:
        schema.device_classes(classes)
    with pytest.raises(AnsibleFilterError, match="exactly one device class") as via_filter:
        flt.device_classes(classes)
    with pytest.raises(AnsibleFilterError, match="exactly one device class"):
        flt.lvmd_config(classes)
    with pytest.raises(tm.TopolvmConfigError, match="exactly one device class") as via_manifests:
        topolvm_objects.build_manifests(topolvm_filters.with_defaults({"device_classes": classes}))
    assert str(direct.value) in str(via_filter.value)
    assert str(direct.value) in str(via_manifests.value)


def test_module_utils_error_is_not_an_ansible_error():
    # module_utils stays importable without the controller's ansible.errors.
    assert not issubclass(schema.DeviceClassError, AnsibleFilterError)
    assert issubclass(schema.DeviceClassError, ValueError)


def test_filters_return_exactly_what_the_schema_returns():
    classes = [{"name": "ssd", "volume_group": "vg0", "default": True, "spare_gb": 5}]
    assert flt.device_classes(classes) == schema.device_classes(classes)
    assert flt.volume_groups(classes) == schema.volume_groups(classes)
    document = schema.lvmd_document(classes, "/run/topolvm/lvmd.sock")
    assert document["device-classes"] == [{"name": "ssd", "volume-group": "vg0", "default": True, "spare-gb": 5}]
    assert flt.lvmd_config(classes).startswith("socket-name: /run/topolvm/lvmd.sock\ndevice-classes:\n  - name: ssd\n")


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
