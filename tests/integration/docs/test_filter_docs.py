# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter documentation has one style: a sidecar ``<filter name>.yml`` beside the code, never inline.

Sidecar files are the form ansible-core documents for files that hold several filters (the
"Adjacent YAML documentation files" page of the developer guide); one-filter files use it too, so a
reader finds every filter's documentation the same way. ansible-doc must answer for every filter.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
FILTER_DIR = REPO / "plugins" / "filter"


def registered_filters():
    """{filter name: python file} from every FilterModule.filters() of plugins/filter/."""
    names = {}
    for path in sorted(FILTER_DIR.glob("*.py")):
        module = importlib.import_module(f"ansible_collections.lvmkube.cluster.plugins.filter.{path.stem}")
        for name in module.FilterModule().filters():
            names[name] = path
    return names


def test_every_filter_has_a_sidecar_and_no_file_documents_inline():
    names = registered_filters()
    assert names
    missing = sorted(name for name in names if not (FILTER_DIR / f"{name}.yml").is_file())
    assert not missing, f"filters without plugins/filter/<name>.yml: {missing}"
    for path in set(names.values()):
        assigned = {
            target.id
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        inline = assigned & {"DOCUMENTATION", "EXAMPLES", "RETURN"}
        assert not inline, f"{path.name} documents inline ({sorted(inline)}): move it to the sidecar .yml"
    for doc in FILTER_DIR.glob("*.yml"):
        data = yaml.safe_load(doc.read_text(encoding="utf-8"))
        assert data["DOCUMENTATION"]["name"] == doc.stem and doc.stem in names, f"{doc.name} names no filter"
        assert data.get("EXAMPLES") and data.get("RETURN"), f"{doc.name} lacks EXAMPLES or RETURN"


def test_ansible_doc_answers_for_every_filter():
    fqcns = sorted(f"lvmkube.cluster.{name}" for name in registered_filters())
    result = subprocess.run(
        ["ansible-doc", "-t", "filter", "--json", *fqcns], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    docs = json.loads(result.stdout)
    for fqcn in fqcns:
        doc = docs[fqcn]["doc"]
        assert doc["filename"].endswith(f"/plugins/filter/{fqcn.rsplit('.', 1)[1]}.yml"), doc["filename"]
        assert doc["short_description"]
