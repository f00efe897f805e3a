# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The release: galaxy.yml's version is a release of changelogs/changelog.yaml, every ``version_added`` names a
release that exists and is not newer than galaxy.yml's, and CHANGELOG.md is what antsibull-changelog generates.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from ansible.module_utils.compat.version import LooseVersion

REPO = Path(__file__).resolve().parents[3]


def galaxy_version() -> str:
    return yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))["version"]


def releases() -> set[str]:
    return set(yaml.safe_load((REPO / "changelogs" / "changelog.yaml").read_text(encoding="utf-8"))["releases"])


def version_added_everywhere() -> dict[str, str]:
    """{where: version} for every version_added of the plugins' documentation, options included."""
    found = {}

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "version_added":
                    found[where] = str(value)
                else:
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    for path in sorted((REPO / "plugins").rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = {getattr(t, "id", "") for t in node.targets} if isinstance(node, ast.Assign) else set()
            if targets & {"DOCUMENTATION", "RETURN"} and isinstance(node.value, ast.Constant):
                walk(yaml.safe_load(node.value.value), str(path.relative_to(REPO)))
    for path in sorted((REPO / "plugins").rglob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(REPO)))
    return found


def test_galaxy_version_is_released():
    assert galaxy_version() in releases()
    assert LooseVersion(galaxy_version()) >= LooseVersion("1.0.0")


def test_every_version_added_is_a_release_not_newer_than_galaxy():
    found = version_added_everywhere()
    assert len(found) >= 30, "the plugins' version_added were not found"
    wrong = {where: version for where, version in found.items() if version not in releases()}
    assert wrong == {}, "version_added that is no release of changelogs/changelog.yaml"
    newer = {w: v for w, v in found.items() if LooseVersion(v) > LooseVersion(galaxy_version())}
    assert newer == {}


def test_changelog_md_is_generated_from_changelog_yaml(tmp_path):
    for name in ("galaxy.yml", "CHANGELOG.md"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "changelogs", tmp_path / "changelogs", ignore=shutil.ignore_patterns(".plugin-cache.yaml"))
    (tmp_path / "CHANGELOG.md").write_text("stale\n")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "antsibull-changelog"), "generate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    generated = (tmp_path / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## v{galaxy_version().replace('.', chr(92) + '.')}" in generated
    assert (REPO / "CHANGELOG.md").read_text(encoding="utf-8") == generated, "run antsibull-changelog generate"
