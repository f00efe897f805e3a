# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each role's defaults/main.yml holds the defaults of its argument spec, no more and no other.

Ansible validates role arguments against meta/argument_specs.yml but does not set their defaults: defaults/main.yml
must carry them. The argument spec is the one place they are decided (the docs and the TopoLVM filters read it);
this test keeps defaults/main.yml the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
ROLES = sorted(p.parent.parent.name for p in REPO.glob("roles/*/meta/argument_specs.yml"))


def spec_options(role):
    specs = yaml.safe_load((REPO / "roles" / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    options = {}
    for entry_point in specs.values():
        options.update(entry_point.get("options") or {})
    return options


def test_roles_are_found():
    assert "topolvm" in ROLES
    assert len(ROLES) >= 10


@pytest.mark.parametrize("role", ROLES)
def test_defaults_file_matches_the_argument_spec(role):
    options = spec_options(role)
    defaults_file = REPO / "roles" / role / "defaults" / "main.yml"
    defaults = yaml.safe_load(defaults_file.read_text()) if defaults_file.exists() else {}
    defaults = defaults or {}
    assert sorted(set(defaults) - set(options)) == [], "defaults without an argument spec entry"
    # An option with a default in the spec has the same value in defaults/main.yml; one without has none (or null),
    # or a template of a collection-wide variable (below).
    inherited = {name for name in options if templated_default_documented(options[name], defaults.get(name))}
    wrong = {
        name: (spec.get("default"), defaults.get(name, "<missing>"))
        for name, spec in options.items()
        if name not in inherited
        and ("default" in spec or name in defaults)
        and spec.get("default") != defaults.get(name, "<missing>")
    }
    assert wrong == {}, "(argument spec, defaults/main.yml)"


STRING_TYPES = {"str", "path", "raw"}
# Variables a template reads: snake_case names not preceded by a dot (a filter's FQCN) nor followed by "(".
_VARIABLE = re.compile(r"(?<![.\w])([a-z][a-z0-9]*_[a-z0-9_]+)\b(?!\s*\()")


def templated_default_documented(spec, default):
    """Whether a templated role default of a non-string option is documented the one way it can be.

    A template cannot stand as the default in the argument spec: antsibull-docs (and Galaxy's docs) validate a
    default against the option's type, and a string is no list of dicts. So the spec leaves the default out and its
    description names, as C() or O(), every variable the template reads; the value lives in defaults/main.yml.
    """
    if not (isinstance(default, str) and "{{" in default) or "default" in spec:
        return False
    description = spec.get("description") or []
    text = " ".join(description) if isinstance(description, list) else str(description)
    variables = set(_VARIABLE.findall(default))
    return bool(variables) and all(f"C({name})" in text or f"O({name})" in text for name in variables)


def test_templated_defaults_are_documented_and_not_in_the_spec():
    found = {}
    for role in ROLES:
        options = spec_options(role)
        defaults = yaml.safe_load((REPO / "roles" / role / "defaults" / "main.yml").read_text()) or {}
        for name, value in defaults.items():
            # A template is a valid default of a string option (antsibull-docs accepts it); of no other type.
            kind = options.get(name, {}).get("type", "str")
            if isinstance(value, str) and "{{" in value and kind not in STRING_TYPES:
                assert name in options and templated_default_documented(options[name], value), (role, name, value)
                found[name] = value
        for name, spec in options.items():
            templated = isinstance(spec.get("default"), str) and "{{" in spec["default"]
            assert not (templated and spec.get("type", "str") not in STRING_TYPES), (role, name)
    assert {"topolvm_device_classes", "topolvm_nodes"} <= set(found)


def test_a_templated_default_without_its_description_is_refused():
    value = "{{ lvmkube_device_classes | default([]) }}"
    described = {"type": "list", "description": ["Defaults to the collection-wide C(lvmkube_device_classes)."]}
    assert templated_default_documented(described, value)
    assert not templated_default_documented({"type": "list", "description": ["Device classes."]}, value)
    assert not templated_default_documented({**described, "default": value}, value)
    assert not templated_default_documented(described, "{{ other_var }}")
    assert not templated_default_documented(described, [])
    nodes = "{{ groups[topolvm_node_group] | default([]) | lvmkube.cluster.topolvm_inventory_nodes(hostvars) }}"
    assert templated_default_documented({"description": "Derived from O(topolvm_node_group)."}, nodes)
    assert not templated_default_documented({"description": "Derived from the inventory."}, nodes)
