# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module documents check_mode, diff_mode and platform through the attributes doc fragment, truthfully;
meta/runtime.yml's action_groups hold exactly the modules that share an option group, and module_defaults reach them.

The documentation is read with ansible-doc (the fragments merged as users see them), the code's claims from the
module source: check_mode full <=> AnsibleModule(supports_check_mode=True); diff_mode full => the module (or its
action plugin, or a module_utils it imports) returns a diff; N/A only for modules that only read.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml
from playbook_helpers import ansible_tool, run_playbook

REPO = Path(__file__).resolve().parents[3]
MODULES = sorted(p.stem for p in (REPO / "plugins" / "modules").glob("*.py"))
DOC_NAMES = {"DOCUMENTATION", "EXAMPLES", "RETURN"}


@pytest.fixture(scope="module")
def docs():
    fqcns = [f"lvmkube.cluster.{name}" for name in MODULES]
    result = ansible_tool("ansible-doc", "-t", "module", "--json", *fqcns)
    assert result.returncode == 0, result.stderr
    return {fqcn.rsplit(".", 1)[1]: entry["doc"] for fqcn, entry in json.loads(result.stdout).items()}


def fragments_of(name: str) -> list[str]:
    """extends_documentation_fragment of a module, from its source (ansible-doc returns the docs merged)."""
    tree = ast.parse((REPO / "plugins" / "modules" / f"{name}.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and {getattr(t, "id", "") for t in node.targets} == {"DOCUMENTATION"}:
            return yaml.safe_load(node.value.value).get("extends_documentation_fragment") or []
    raise AssertionError(f"{name}: no DOCUMENTATION")


def code_of(path: Path) -> str:
    """The module's source without its documentation strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tree.body = [
        node
        for node in tree.body
        if not (isinstance(node, ast.Assign) and {getattr(t, "id", "") for t in node.targets} & DOC_NAMES)
    ]
    return ast.unparse(tree)


def code_with_helpers(name: str) -> str:
    """The module's code, its action plugin's and that of the collection's module_utils it imports."""
    texts = [code_of(REPO / "plugins" / "modules" / f"{name}.py")]
    action = REPO / "plugins" / "action" / f"{name}.py"
    if action.exists():
        texts.append(code_of(action))
    base = REPO / "plugins" / "module_utils"
    for node in ast.walk(ast.parse(texts[0])):
        module = (node.module or "") if isinstance(node, ast.ImportFrom) else ""
        if ".cluster.plugins.module_utils" not in module:
            continue
        # module_utils/<name>.py, or a package's module (module_utils/kube_scheduler/<name>.py) named either way
        where = base.joinpath(*module.split(".cluster.plugins.module_utils", 1)[1].split(".")[1:])
        if where.with_suffix(".py").is_file():
            texts.append(code_of(where.with_suffix(".py")))
        else:
            files = [where / f"{alias.name}.py" for alias in node.names]
            texts += [code_of(file) for file in files if file.is_file()]
    return "\n".join(texts)


def test_modules_are_found():
    assert len(MODULES) >= 15 and "swap_info" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_attributes_come_from_the_fragment_and_say_what_the_code_does(docs, name):
    doc = docs[name]
    fragments = fragments_of(name)
    assert "lvmkube.cluster.attributes" in fragments, fragments
    attributes = doc["attributes"]
    assert set(attributes) >= {"check_mode", "diff_mode", "platform"}, sorted(attributes)
    for key in ("check_mode", "diff_mode", "platform"):
        assert attributes[key]["description"], key
        assert attributes[key]["support"] in ("full", "partial", "none", "N/A"), (key, attributes[key])
    assert attributes["platform"]["platforms"] == "posix"
    code = code_with_helpers(name)
    check_mode = "supports_check_mode=True" in code or (REPO / "plugins" / "action" / f"{name}.py").exists()
    assert (attributes["check_mode"]["support"] == "full") == check_mode, attributes["check_mode"]
    if attributes["diff_mode"]["support"] == "full":
        assert "_diff" in code or "'diff'" in code, f"{name} documents diff_mode full but returns no diff"
    else:
        assert attributes["diff_mode"]["support"] == "N/A", attributes["diff_mode"]
        assert "lvmkube.cluster.attributes.info_module" in fragments, "N/A is for the read-only modules"


def fragment_users(docs, fragment):
    return sorted(name for name in docs if fragment in fragments_of(name))


def test_action_groups_are_the_modules_sharing_an_option_group(docs):
    groups = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text(encoding="utf-8"))["action_groups"]
    assert groups == {
        "kube_scheduler_files": fragment_users(docs, "lvmkube.cluster.kube_scheduler_files"),
        "node_state": fragment_users(docs, "lvmkube.cluster.node_state"),
    }
    assert len(groups["kube_scheduler_files"]) >= 5 and len(groups["node_state"]) == 2


def test_module_defaults_of_a_group_reach_its_modules(tmp_path):
    # A wrong type set only through `group/lvmkube.cluster.node_state` must make node_state_info fail on it:
    # proof that ansible-core resolved the group from meta/runtime.yml and applied the default.
    playbook = tmp_path / "play.yml"
    playbook.write_text(
        yaml.safe_dump(
            [
                {
                    "hosts": "localhost",
                    "gather_facts": False,
                    "module_defaults": {"group/lvmkube.cluster.node_state": {"sysctls": "not-a-dict"}},
                    "tasks": [{"name": "read", "lvmkube.cluster.node_state_info": {}}],
                }
            ]
        )
    )
    result = run_playbook(playbook)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "sysctls" in output and "dict" in output, output
