# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device-class schema lives once, in plugin_utils/storage: the filters and the TopoLVM manifests use its rule."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.lvmkube.cluster.plugins.filter import device_classes as flt
from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as topolvm_filters
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


def test_the_schema_error_is_not_an_ansible_error():
    # The storage code stays importable and testable without the controller's ansible.errors.
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
    "item",
    [
        {"name": "ssd\n", "volume_group": "vg-ssd", "default": True},
        {"name": "ssd", "volume_group": "vg-ssd\n", "default": True},
        {"name": "ssd", "volume_group": "vg-ssd", "default": True, "stripe": 2, "stripe_size": "64k\n",
         "devices": ["/dev/a", "/dev/b"]},
    ],
    ids=["class-name", "volume-group", "stripe-size"],
)  # fmt: skip
def test_a_trailing_newline_is_no_part_of_a_valid_name(item):
    # A pattern's "$" also matches before a final newline: every check matches the whole value.
    with pytest.raises(schema.DeviceClassError):
        schema.device_classes([item])
