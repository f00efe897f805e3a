# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The TopoLVM settings: before ansible-core 2.19 a role's ``"{{ x | int }}"`` / ``"{{ x | float }}"`` arrives as
text, so integral and decimal text is taken for numbers and anything else is still refused (the NIFCLOUD CSI case
is in plugin_utils/manifests/nifcloud/test_csi_settings.py)."""

from __future__ import annotations

import pytest

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import settings as topolvm_settings

DEVICE_CLASSES = [{"name": "ssd", "volume_group": "vg", "default": True}]


def topolvm(**settings):
    raw = topolvm_manifests.with_defaults({"device_classes": DEVICE_CLASSES, **settings})
    return topolvm_settings.normalize_config(raw)


def test_topolvm_text_numbers_become_numbers():
    cfg = topolvm(controller_replicas="2", scheduler_replicas=" 3 ", scheduler_port="9251")
    assert (cfg["controller_replicas"], cfg["scheduler_replicas"], cfg["scheduler_port"]) == (2, 3, 9251)
    assert topolvm_settings._scheduler_options(topolvm(scheduler_default_divisor="1.5"))["default-divisor"] == 1.5
    assert topolvm_settings._scheduler_options(topolvm(scheduler_default_divisor="10.0"))["default-divisor"] == 10


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("controller_replicas", "two", "must be an integer"),
        ("controller_replicas", "0", "must be 1 or more"),
        ("scheduler_port", "-1", "must be an integer"),
        ("scheduler_port", "70000", "at most 65535"),
        ("controller_replicas", True, "must be an integer"),
        ("scheduler_default_divisor", "nan", "greater than 0"),
        ("scheduler_default_divisor", float("nan"), "greater than 0"),
        ("scheduler_default_divisor", float("inf"), "greater than 0"),
        ("scheduler_default_divisor", "0", "greater than 0"),
        ("scheduler_default_divisor", "1e3", "greater than 0"),
    ],
)
def test_topolvm_refuses_what_is_no_number(setting, value, message):
    with pytest.raises(topolvm_settings.TopolvmConfigError, match=message):
        topolvm_settings._scheduler_options(topolvm(**{setting: value}))


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("namespace", "topolvm-system\n"),
        ("name", "topolvm\n"),
        ("version", "0.41.0\n"),
        ("image_tag", "0.41.0\n"),
    ],
)
def test_a_trailing_newline_is_refused(setting, value):
    # A pattern's "$" also matches before a final newline: the checks match the whole value.
    with pytest.raises(topolvm_settings.TopolvmConfigError, match=setting):
        topolvm(**{setting: value})
