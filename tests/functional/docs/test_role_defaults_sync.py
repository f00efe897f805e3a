# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each role's defaults/main.yml holds the defaults of its argument spec, no more and no other.

Ansible validates role arguments against meta/argument_specs.yml but does not set their defaults: defaults/main.yml
must carry them. The argument spec is the one place they are decided (the docs and the TopoLVM filters read it);
this test keeps defaults/main.yml the same.
"""

from __future__ import annotations

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
    # An option with a default in the spec has the same value in defaults/main.yml; one without has none (or null).
    wrong = {
        name: (spec.get("default"), defaults.get(name, "<missing>"))
        for name, spec in options.items()
        if ("default" in spec or name in defaults) and spec.get("default") != defaults.get(name, "<missing>")
    }
    assert wrong == {}, "(argument spec, defaults/main.yml)"
