# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The dependency floors of galaxy.yml and meta/runtime.yml are at least what the roles and playbooks use.

Every task of the roles and playbooks that calls a module of a dependency (or of ansible.builtin) is read; the
module's and each used option's ``version_added`` come from ansible-doc (the dependencies' own documentation);
the highest per collection is the floor the options need, and galaxy.yml (and requirements.yml, the same) may not
be lower. community.general.lvg's ``remove_extra_pvs`` (10.4.0) is the binding one today.

In CI's floor step (LVMKUBE_FLOOR_VENV=1, scripts/test/floor.sh) the installed ansible-core and collections must
be exactly those floors, so that run tests them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from ansible.module_utils.compat.version import LooseVersion
from playbook_helpers import ansible_tool

REPO = Path(__file__).resolve().parents[3]
DEPENDENCIES = ("ansible.posix", "community.general", "kubernetes.core", "community.crypto")
BLOCK_KEYS = ("block", "rescue", "always", "tasks", "pre_tasks", "post_tasks", "handlers")
# Modules whose arguments are names of the caller's choosing, not options.
FREE_FORM = {"ansible.builtin.set_fact"}


def galaxy():
    return yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))


def declared_floor(spec: str) -> str:
    """'>=10.4.0,<14.0.0' -> '10.4.0'."""
    floors = [part[2:] for part in spec.replace(" ", "").split(",") if part.startswith(">=")]
    assert len(floors) == 1, spec
    return floors[0]


def used_modules() -> dict[str, dict[str, set[str]]]:
    """{module FQCN: {option: {files}}} of every ansible.builtin and dependency module the roles and playbooks call."""
    uses: dict[str, dict[str, set[str]]] = {}

    def walk(node, where):
        if isinstance(node, list):
            for item in node:
                walk(item, where)
        elif isinstance(node, dict):
            for key in BLOCK_KEYS:
                if key in node:
                    walk(node[key], where)
            for key, value in node.items():
                if key.count(".") == 2 and key.startswith((*DEPENDENCIES, "ansible.builtin.")):
                    options = uses.setdefault(key, {})
                    for option in value if isinstance(value, dict) and key not in FREE_FORM else {}:
                        options.setdefault(option, set()).add(where)

    files = [*REPO.glob("roles/*/tasks/*.yml"), *REPO.glob("roles/*/handlers/*.yml"), *REPO.glob("playbooks/*.yml")]
    for path in sorted(files):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(REPO)))
    return uses


@pytest.fixture(scope="module")
def needed_floors():
    """{collection: (version, what needs it)} from the documentation of the modules and options used."""
    uses = used_modules()
    result = ansible_tool("ansible-doc", "-t", "module", "--json", *sorted(uses))
    assert result.returncode == 0, result.stderr
    docs = json.loads(result.stdout)
    floors: dict[str, tuple[str, str]] = {}
    for module, options in uses.items():
        doc = docs[module]["doc"]
        collection = module.rsplit(".", 1)[0]
        needs = [(doc.get("version_added"), module)]
        documented = doc.get("options") or {}
        aliases = {alias: name for name, spec in documented.items() for alias in spec.get("aliases") or []}
        for option in options:
            name = option if option in documented else aliases.get(option)
            assert name is not None, f"{module} has no option {option} ({sorted(options[option])})"
            needs.append((documented[name].get("version_added"), f"{module} option {option}"))
        for version, what in needs:
            if version in (None, "historical") or not str(version)[0].isdigit():
                continue
            if collection not in floors or LooseVersion(str(version)) > LooseVersion(floors[collection][0]):
                floors[collection] = (str(version), what)
    return floors


def test_the_modules_in_use_are_found():
    uses = used_modules()
    assert "community.general.lvg" in uses and "remove_extra_pvs" in uses["community.general.lvg"]
    assert "kubernetes.core.k8s" in uses and "community.crypto.x509_certificate" in uses


def test_galaxy_floors_cover_the_options_used(needed_floors):
    dependencies = galaxy()["dependencies"]
    assert set(dependencies) == set(DEPENDENCIES)
    too_low = {
        name: (declared_floor(spec), needed_floors[name])
        for name, spec in dependencies.items()
        if name in needed_floors and LooseVersion(declared_floor(spec)) < LooseVersion(needed_floors[name][0])
    }
    assert too_low == {}, "galaxy.yml floor below what the roles use: (declared, (needed, by))"
    assert needed_floors["community.general"][0] == "10.4.0", needed_floors["community.general"]


def test_ansible_builtin_options_exist_in_the_core_floor(needed_floors):
    runtime = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    core_floor = runtime["requires_ansible"].removeprefix(">=")
    assert core_floor == "2.18.0"
    needed = needed_floors.get("ansible.builtin", ("0", ""))
    assert LooseVersion(needed[0]) <= LooseVersion(core_floor), needed


def test_requirements_yml_has_the_galaxy_ranges():
    requirements = yaml.safe_load((REPO / "requirements.yml").read_text(encoding="utf-8"))["collections"]
    assert {entry["name"]: entry["version"] for entry in requirements} == galaxy()["dependencies"]


@pytest.mark.skipif(not os.environ.get("LVMKUBE_FLOOR_VENV"), reason="only in CI's floor step (scripts/test/floor.sh)")
def test_the_floor_run_has_exactly_the_floors():
    from ansible.release import __version__ as core_version  # noqa: PLC0415

    assert core_version.startswith("2.18."), core_version
    result = ansible_tool("ansible-galaxy", "collection", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    installed = {}
    for collections in json.loads(result.stdout).values():
        for name, info in collections.items():
            installed.setdefault(name, info["version"])
    wanted = {name: declared_floor(spec) for name, spec in galaxy()["dependencies"].items()}
    assert {name: installed.get(name) for name in wanted} == wanted
