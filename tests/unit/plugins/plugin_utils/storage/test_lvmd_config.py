# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lvmd's configuration: the text of lvmd.yaml and the flags of lvmd before 0.5.0."""

from __future__ import annotations

import pytest
import yaml
from helpers.device_classes import EXPECTED_LVMD_YAML, ISSUE_EXAMPLE, classes

from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage.device_classes import DeviceClassError
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.storage.lvmd_config import (
    lvmd_config,
    lvmd_legacy_args,
)


def test_lvmd_config_text_is_exact():
    assert lvmd_config(ISSUE_EXAMPLE) == EXPECTED_LVMD_YAML


def test_lvmd_config_is_deterministic_and_independent_of_input_key_order():
    reordered = [dict(reversed(list(dc.items()))) for dc in ISSUE_EXAMPLE]
    assert lvmd_config(reordered) == lvmd_config(ISSUE_EXAMPLE) == EXPECTED_LVMD_YAML


def test_lvmd_config_optional_keys_and_socket():
    value = classes(
        (0, {"stripe": 2, "stripe_size": 64, "lvcreate_options": ["--mirrors=1"], "devices": ["/dev/b", "/dev/d"]})
    )
    text = lvmd_config(value, "/run/lvmd/lvmd.sock")
    parsed = yaml.safe_load(text)
    assert parsed["socket-name"] == "/run/lvmd/lvmd.sock"
    assert parsed["device-classes"][0] == {
        "name": "ssd",
        "volume-group": "myvg1",
        "default": True,
        "spare-gb": 10,
        "stripe": 2,
        "stripe-size": "64",
        "lvcreate-options": ["--mirrors=1"],
    }
    # lvm-role-only keys never reach lvmd
    assert "devices" not in text and "size_percent" not in text and "force_wipe" not in text


def test_lvmd_config_quotes_values_yaml_would_misread():
    value = classes((0, {"name": "true", "volume_group": "1e3"}))
    parsed = yaml.safe_load(lvmd_config(value))
    assert parsed["device-classes"][0]["name"] == "true"
    assert parsed["device-classes"][0]["volume-group"] == "1e3"


@pytest.mark.parametrize("socket", ["relative.sock", "", None])
def test_lvmd_config_refuses_relative_socket(socket):
    with pytest.raises(DeviceClassError, match="socket_name must be an absolute path"):
        lvmd_config(ISSUE_EXAMPLE, socket)


def test_lvmd_config_validates():
    with pytest.raises(DeviceClassError, match="exactly one device class"):
        lvmd_config(classes((0, {"default": False})))


def test_legacy_args_for_one_thick_class():
    assert lvmd_legacy_args(ISSUE_EXAMPLE[:1]) == [
        "--volume-group=myvg1",
        "--listen=/run/topolvm/lvmd.sock",
        "--spare=10",
    ]
    no_spare = [dict(ISSUE_EXAMPLE[0], spare_gb=None)]
    assert lvmd_legacy_args(no_spare, "/tmp/x.sock") == ["--volume-group=myvg1", "--listen=/tmp/x.sock"]


def test_legacy_args_refuse_what_old_lvmd_cannot_do():
    with pytest.raises(DeviceClassError, match="serves one volume group only, but 2 device classes"):
        lvmd_legacy_args(ISSUE_EXAMPLE)
    thin_default = [dict(ISSUE_EXAMPLE[1], default=True)]
    with pytest.raises(DeviceClassError, match="thin_pool need"):
        lvmd_legacy_args(thin_default)
    striped = [dict(ISSUE_EXAMPLE[0], stripe=2, devices=["/dev/vdb", "/dev/vdd"])]
    with pytest.raises(DeviceClassError, match=r"stripe need\(s\) lvmd 0.5.0"):
        lvmd_legacy_args(striped)


class TaggedStr(str):
    """Stands in for Ansible's tagged strings (templated values), which yaml.safe_dump cannot represent."""


def test_lvmd_config_accepts_string_subclasses_everywhere():
    tagged = [
        {
            TaggedStr("name"): TaggedStr("ssd"),
            "volume_group": TaggedStr("myvg1"),
            "devices": [TaggedStr("/dev/vdb")],
            "default": True,
            "spare_gb": TaggedStr("10"),
            "stripe_size": TaggedStr("64k"),
            "lvcreate_options": [TaggedStr("--type=raid1")],
        },
        {
            "name": TaggedStr("thin"),
            "volume_group": TaggedStr("myvg2"),
            "thin_pool": {"name": TaggedStr("pool0"), "overprovision_ratio": TaggedStr("5")},
        },
    ]
    text = lvmd_config(tagged, TaggedStr("/run/topolvm/lvmd.sock"))
    assert yaml.safe_load(text)["device-classes"][1]["thin-pool"] == {"name": "pool0", "overprovision-ratio": 5.0}
    legacy = [dict(tagged[0], stripe_size=None, lvcreate_options=[])]
    assert lvmd_legacy_args(legacy, TaggedStr("/x.sock")) == ["--volume-group=myvg1", "--listen=/x.sock", "--spare=10"]
