# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection as users get it: the tarball of ``ansible-galaxy collection build``.

The tarball is installed into a temporary collections path and everything in it is exercised
from there, with an empty ansible.cfg and the temporary directory as working directory, so the
checkout itself (build/collections, the root ansible.cfg) cannot stand in for a missing file.
Plugins, roles and playbooks are discovered in the tarball, never listed here.

``make build`` builds the tarball into build/ and passes it in LVMKUBE_COLLECTION_TARBALL; when
that is unset (plain ``pytest tests/integration/build``), the test builds its own copy.
"""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path, PurePosixPath

import pytest
import yaml

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[3]
NAMESPACE = "lvmkube"
NAME = "cluster"
FQCN_PREFIX = f"{NAMESPACE}.{NAME}."
VENV_BIN = Path(sys.executable).parent

# Development and test files that must never reach users (top-level names or glob patterns).
FORBIDDEN_TOP_LEVEL = {
    ".ci",
    ".git",
    ".gitignore",
    ".venv",
    ".ansible",
    ".ansible-lint",
    ".yamllint",
    ".pytest_cache",
    ".ruff_cache",
    "ansible.cfg",
    "build",
    "extensions",
    "Makefile",
    "execution-environment.yml",
    "pyproject.toml",
    "requirements.txt",
    "scripts",
    "tests",
}
FORBIDDEN_PATTERNS = (
    "*.tar.gz",
    "*.pyc",
    "*/__pycache__/*",
    "__pycache__/*",
    "changelogs/fragments/*",
    "inventories/lab/*",  # the lab's inventory names this checkout's test doubles
)
REQUIRED_FILES = ("MANIFEST.json", "FILES.json", "README.md", "COPYING", "meta/runtime.yml")

# plugins/<directory> -> ansible-doc type, for plugin types with one plugin per file.
ONE_PER_FILE_TYPES = {
    "modules": "module",
    "inventory": "inventory",
    "lookup": "lookup",
    "callback": "callback",
    "connection": "connection",
    "become": "become",
    "cache": "cache",
    "vars": "vars",
    "strategy": "strategy",
}
# Plugin types where one file may hold several plugins: names come from ansible-doc --list.
MANY_PER_FILE_TYPES = {"filter": "filter", "test": "test"}
# plugins/ directories that hold no documented plugins of their own.
NOT_DOCUMENTED_DIRS = {"module_utils", "doc_fragments", "plugin_utils", "action"}


def run(args: list[str], env: dict[str, str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def galaxy_metadata() -> dict:
    return yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("LVMKUBE_COLLECTION_TARBALL")
    if given:
        path = Path(given).resolve()
        assert path.is_file(), f"LVMKUBE_COLLECTION_TARBALL={given} does not exist"
        return path
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [str(VENV_BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(out), str(REPO_ROOT)],
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    built = sorted(out.glob(f"{NAMESPACE}-{NAME}-*.tar.gz"))
    assert len(built) == 1, f"expected one tarball in {out}, found {built}"
    return built[0]


@pytest.fixture(scope="module")
def members(tarball: Path) -> list[str]:
    with tarfile.open(tarball) as archive:
        return [member.name.rstrip("/") for member in archive.getmembers()]


@pytest.fixture(scope="module")
def installed(tarball: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Install the tarball into a temporary collections path; return the environment to use it."""
    work = tmp_path_factory.mktemp("installed")
    collections = work / "collections"
    config = work / "ansible.cfg"
    config.write_text("[defaults]\n", encoding="utf-8")

    import ansible_collections.ansible.posix  # noqa: PLC0415 - where the `ansible` package keeps collections

    bundled = Path(ansible_collections.ansible.posix.__file__ or ansible_collections.ansible.posix.__path__[0])
    bundled_root = next(parent for parent in bundled.parents if parent.name == "ansible_collections").parent

    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_") and key != "PYTHONPATH"}
    env.update(
        ANSIBLE_CONFIG=str(config),
        ANSIBLE_COLLECTIONS_PATH=f"{collections}{os.pathsep}{bundled_root}",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCAL_TEMP=str(work / "tmp"),
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    result = run(
        ["ansible-galaxy", "collection", "install", "--offline", "--no-deps", "-p", str(collections), str(tarball)],
        env,
        work,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    path = collections / "ansible_collections" / NAMESPACE / NAME
    assert (path / "MANIFEST.json").is_file(), f"nothing installed at {path}"
    return {"env": env, "cwd": work, "path": path}


def plugin_files(members: list[str]) -> dict[str, list[PurePosixPath]]:
    """Group the tarball's files under plugins/ by directory."""
    found: dict[str, list[PurePosixPath]] = {}
    for name in members:
        path = PurePosixPath(name)
        if len(path.parts) == 3 and path.parts[0] == "plugins" and path.suffix in (".py", ".yml", ".yaml"):
            found.setdefault(path.parts[1], []).append(path)
    return found


def ansible_doc_list(doc_type: str, installed: dict) -> dict[str, str]:
    args = ["ansible-doc", "-t", doc_type, "--list", "--json", f"{NAMESPACE}.{NAME}"]
    result = run(args, installed["env"], installed["cwd"])
    assert result.returncode == 0, f"ansible-doc --list -t {doc_type} failed:\n{result.stderr}"
    return json.loads(result.stdout or "{}")


def expected_plugins(members: list[str], installed: dict) -> dict[str, set[str]]:
    """ansible-doc type -> FQCNs of every documented plugin the tarball ships."""
    expected: dict[str, set[str]] = {}
    for directory, paths in sorted(plugin_files(members).items()):
        if directory in NOT_DOCUMENTED_DIRS:
            continue
        if directory in ONE_PER_FILE_TYPES:
            names = {FQCN_PREFIX + path.stem for path in paths if path.suffix == ".py" and path.stem != "__init__"}
            expected[ONE_PER_FILE_TYPES[directory]] = names
        elif directory in MANY_PER_FILE_TYPES:
            doc_type = MANY_PER_FILE_TYPES[directory]
            listed = set(ansible_doc_list(doc_type, installed))
            # A YAML documentation file names its plugin: it has to be among the listed ones.
            documented = {FQCN_PREFIX + path.stem for path in paths if path.suffix in (".yml", ".yaml")}
            assert documented <= listed, f"{doc_type} docs without a plugin: {sorted(documented - listed)}"
            expected[doc_type] = listed
        else:
            pytest.fail(f"plugins/{directory}/ is not a plugin type this test knows: add it to the test")
    return expected


def check_docs(doc_type: str, names: list[str], installed: dict) -> list[str]:
    """Run ansible-doc on every name; return one message per problem."""
    env, cwd, path = installed["env"], installed["cwd"], installed["path"]
    result = run(["ansible-doc", "-t", doc_type, "--json", *names], env, cwd)
    if result.returncode != 0:
        # ansible-doc stops at the first failing name: ask one by one to report all of them.
        problems = []
        for name in names:
            one = run(["ansible-doc", "-t", doc_type, "--json", name], env, cwd)
            if one.returncode != 0:
                problems.append(f"ansible-doc -t {doc_type} {name}: exit {one.returncode}: {one.stderr.strip()}")
        return problems or [f"ansible-doc -t {doc_type} {' '.join(names)}: exit {result.returncode}: {result.stderr}"]
    docs = json.loads(result.stdout)
    problems = []
    for name in names:
        entry = docs.get(name) or {}
        if doc_type == "role":
            # Role documentation comes from meta/argument_specs.yml: one entry per entry point.
            if not entry.get("entry_points", {}).get("main"):
                problems.append(f"ansible-doc -t role {name}: no documented 'main' entry point")
            continue
        if not entry.get("doc"):
            problems.append(f"ansible-doc -t {doc_type} {name}: no documentation returned")
            continue
        filename = entry["doc"].get("filename", "")
        if not filename.startswith(str(path)):
            problems.append(f"{name} documented from {filename}, not from the installed tarball at {path}")
    return problems


def test_tarball_leaves_out_dev_and_test_files(members: list[str]) -> None:
    leaked = sorted(
        name
        for name in members
        if name.split("/", 1)[0] in FORBIDDEN_TOP_LEVEL
        or any(fnmatch.fnmatch(name, pattern) for pattern in FORBIDDEN_PATTERNS)
    )
    assert not leaked, f"development/test files in the tarball: {leaked}"


def test_tarball_has_collection_metadata(tarball: Path, members: list[str]) -> None:
    missing = [name for name in REQUIRED_FILES if name not in members]
    assert not missing, f"missing from the tarball: {missing}"
    galaxy = galaxy_metadata()
    with tarfile.open(tarball) as archive:
        manifest_file = archive.extractfile("MANIFEST.json")
        assert manifest_file is not None
        info = json.load(manifest_file)["collection_info"]
    assert (info["namespace"], info["name"], info["version"]) == (NAMESPACE, NAME, galaxy["version"])
    assert tarball.name == f"{NAMESPACE}-{NAME}-{galaxy['version']}.tar.gz"
    assert info["license"] == galaxy["license"]
    assert info["dependencies"] == galaxy["dependencies"]


def test_installed_collection_comes_from_the_tarball(installed: dict) -> None:
    env, cwd = installed["env"], installed["cwd"]
    result = run(["ansible-galaxy", "collection", "list", f"{NAMESPACE}.{NAME}", "--format", "json"], env, cwd)
    assert result.returncode == 0, result.stderr
    locations = json.loads(result.stdout)
    assert [Path(location) for location in locations] == [installed["path"].parent.parent], locations
    # The dependencies declared in galaxy.yml resolve (from the `ansible` package here).
    for dependency in galaxy_metadata()["dependencies"]:
        found = run(["ansible-galaxy", "collection", "list", dependency, "--format", "json"], env, cwd)
        assert found.returncode == 0 and json.loads(found.stdout), f"dependency {dependency} not found: {found.stderr}"


def test_ansible_doc_on_every_plugin(members: list[str], installed: dict) -> None:
    expected = expected_plugins(members, installed)
    if not any(expected.values()):
        pytest.skip("the tarball contains no plugins or modules yet: nothing for ansible-doc to show")
    problems = []
    for doc_type, names in sorted(expected.items()):
        if doc_type in ONE_PER_FILE_TYPES.values():
            listed = set(ansible_doc_list(doc_type, installed))
            if names - listed:
                problems.append(f"ansible-doc --list -t {doc_type} misses {sorted(names - listed)}")
        problems += check_docs(doc_type, sorted(names), installed)
    assert not problems, "\n".join(problems)


def test_ansible_doc_on_every_role(members: list[str], installed: dict) -> None:
    roles = sorted({name.split("/")[1] for name in members if name.startswith("roles/") and name.count("/") >= 2})
    if not roles:
        pytest.skip("the tarball contains no roles yet")
    missing_specs = [role for role in roles if f"roles/{role}/meta/argument_specs.yml" not in members]
    assert not missing_specs, f"roles without meta/argument_specs.yml: {missing_specs}"
    # galaxy-importer refuses the tarball without it: "No role readme found" (galaxy_importer/loaders/content.py,
    # RoleLoader._get_readme).
    missing_readmes = [role for role in roles if f"roles/{role}/README.md" not in members]
    assert not missing_readmes, f"roles without README.md: {missing_readmes}"
    problems = check_docs("role", [FQCN_PREFIX + role for role in roles], installed)
    assert not problems, "\n".join(problems)


def test_syntax_check_every_playbook_by_fqcn(members: list[str], installed: dict) -> None:
    playbooks = sorted(
        PurePosixPath(name).stem
        for name in members
        if PurePosixPath(name).parent == PurePosixPath("playbooks") and PurePosixPath(name).suffix in (".yml", ".yaml")
    )
    if not playbooks:
        pytest.skip("the tarball contains no playbooks yet")
    problems = []
    for playbook in playbooks:
        result = run(
            ["ansible-playbook", "--syntax-check", "-i", "localhost,", FQCN_PREFIX + playbook],
            installed["env"],
            installed["cwd"],
        )
        if result.returncode != 0:
            output = result.stdout + result.stderr
            problems.append(f"--syntax-check {FQCN_PREFIX + playbook}: exit {result.returncode}\n{output}")
    assert not problems, "\n".join(problems)
