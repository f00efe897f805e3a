# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's argument spec is the one home of a TopoLVM setting: name, type, choices and default.

Every option of roles/topolvm/meta/argument_specs.yml reaches the settings dict with the spec's default; the role's
vars/main.yml lists no setting; nothing in the TopoLVM code keeps a second table of names or defaults."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.lvmkube.cluster.plugins.filter import topolvm_manifests as flt
from ansible_collections.lvmkube.cluster.plugins.plugin_utils.manifests.topolvm import settings, spec

ROOT = Path(__file__).resolve().parents[6]
SPEC = yaml.safe_load((ROOT / "roles/topolvm/meta/argument_specs.yml").read_text())["argument_specs"]["main"]
OPTIONS = {name.removeprefix("topolvm_"): option for name, option in SPEC["options"].items()}
TOPOLVM_CODE = [
    ROOT / "plugins/filter/topolvm_manifests.py",
    *sorted((ROOT / "plugins/plugin_utils/manifests/topolvm").rglob("*.py")),
]
DCS = [{"name": "ssd", "volume_group": "vg-ssd", "default": True}]


def _templated(value):
    return isinstance(value, str) and "{{" in value


def test_every_option_reaches_the_settings_with_its_default():
    settings_dict = flt.with_defaults({})
    assert list(settings_dict) == list(OPTIONS)
    for name, option in OPTIONS.items():
        if "default" in option and not _templated(option["default"]):
            assert settings_dict[name] == option["default"], name
        elif "default(" in str(option.get("default")):  # a templated default's fallback literal
            assert settings_dict[name] == spec.default(name) != "", name
        else:  # a templated default is the role's to evaluate (the inventory, the playbook's folder)
            assert settings_dict[name] in ([], {}, ""), name
    settings.normalize_config({**settings_dict, "device_classes": DCS})


def test_a_new_option_of_the_spec_is_a_setting(monkeypatch):
    options = dict(spec._options())
    options["future_knob"] = {"type": "int", "default": 7, "description": "x"}
    monkeypatch.setattr(spec, "_options", lambda: options)
    assert flt.with_defaults({})["future_knob"] == 7
    assert "future_knob" in spec.of_type("int")
    with pytest.raises(settings.TopolvmConfigError, match="future_knob must be an integer"):
        settings.normalize_config({**flt.with_defaults({"device_classes": DCS}), "future_knob": "seven"})


def test_types_and_choices_follow_the_spec():
    assert set(spec.of_type("bool")) == {n for n, o in OPTIONS.items() if o.get("type") == "bool"}
    for name, option in OPTIONS.items():
        assert spec.choices(name) == tuple(option.get("choices") or ()), name
        if option.get("choices") and option.get("type") != "list":
            bad = {**flt.with_defaults({"device_classes": DCS}), name: "no-such-choice"}
            # the distribution through the collection's vocabulary: its message names the variable too
            message = f"{name}: 'no-such-choice' is not a distribution" if name == "distribution" else f"{name} '"
            with pytest.raises(settings.TopolvmConfigError, match=f"{message}(no-such-choice' is not one of)?"):
                settings.normalize_config(bad)
    with pytest.raises(settings.TopolvmConfigError, match="unknown TopoLVM setting"):
        settings.normalize_config(flt.with_defaults({"no_such_setting": 1}))


def test_role_values_are_converted_as_ansible_core_converts_role_arguments():
    # What an INI inventory or -e gives: text. ansible-core's role argument validation accepts it for a bool or an
    # int; the role's settings take it as the spec's type (the filters themselves stay strict: "yes" is refused).
    variables = {f"topolvm_{name}": value for name, value in flt.with_defaults({"device_classes": DCS}).items()}
    variables.update(topolvm_snapshot="false", topolvm_legacy="yes", topolvm_controller_replicas="3")
    variables["topolvm_scheduler_default_divisor"] = "2.5"
    result = flt.topolvm_settings({**variables, "topolvm_node_name": "n1", "other": 1})  # not settings: left out
    assert list(result) == list(OPTIONS)
    assert (result["snapshot"], result["legacy"]) == (boolean("false"), boolean("yes"))
    assert (result["controller_replicas"], result["scheduler_default_divisor"]) == (3, 2.5)
    assert settings.normalize_config(result)["scheduler_options"]["default-divisor"] == 2.5
    with pytest.raises(AnsibleFilterError, match="topolvm_scheduling_mode"):
        flt.topolvm_settings({**variables, "topolvm_scheduling_mode": "nope"})
    with pytest.raises(settings.TopolvmConfigError, match="true or false"):
        settings.normalize_config({**result, "legacy": "yes"})


def test_the_role_lists_no_setting():
    role_vars = yaml.safe_load((ROOT / "roles/topolvm/vars/main.yml").read_text())
    config = role_vars["topolvm__config"]
    assert isinstance(config, str), "topolvm__config is built from the argument spec, not a list of settings"
    assert "lvmkube.cluster.topolvm_settings" in config
    # Decided in the role: kubernetes_version (the server's version when the variable is empty) and the
    # distribution (through the collection's one vocabulary, lvmkube_distribution).
    named = {name for name in OPTIONS if f"topolvm_{name}" in config}
    assert named == {"kubernetes_version", "distribution"}


def _name_tables(tree):
    for node in ast.walk(tree):
        elements = []
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            elements = node.elts
        elif isinstance(node, ast.Dict):
            elements = [k for k in node.keys if k is not None]
        names = [e.value for e in elements if isinstance(e, ast.Constant) and e.value in OPTIONS]
        if len(names) >= 4:
            yield node.lineno, names


def _defaults_given(tree):
    """``x.get("<setting>", default)`` / ``x.setdefault("<setting>", default)``: a default written in code."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "setdefault", "pop")
            and len(node.args) == 2
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in OPTIONS
        ):
            yield node.lineno, node.args[0].value


@pytest.mark.parametrize("path", TOPOLVM_CODE, ids=lambda p: p.name)
def test_no_second_home_of_a_setting_in_the_code(path):
    tree = ast.parse(path.read_text())
    assert list(_name_tables(tree)) == [], "a table of setting names: take them from the argument spec (spec.py)"
    assert list(_defaults_given(tree)) == [], "a setting's default written in code: the argument spec has it"
    functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}  # a filter's own name
    role_names = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.removeprefix("topolvm_") in OPTIONS
        and node.value.startswith("topolvm_")
        and node.value not in functions
    ]
    assert role_names == [], "a role variable read by name: the settings dict carries it"


def test_the_checker_finds_a_second_home():
    planted = ast.parse('SETTINGS = ("name", "namespace", "version", "legacy")\nv = cfg.get("snapshot", True)\n')
    assert list(_name_tables(planted)) and list(_defaults_given(planted))
