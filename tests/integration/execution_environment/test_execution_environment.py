# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment definition: ``ansible-builder create`` writes the build context.

Building the image needs podman or docker, which this machine lacks; the test runs what can run
without them: ``ansible-builder create`` on execution-environment.yml with the tarball of this
checkout, checks the Containerfile and the copied files, and runs the context's own
introspection script (the step the image build runs) on the collection installed from that
tarball, so the Python and system packages of meta/execution-environment.yml are the ones the
image would get.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def run(*args, cwd):
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    if shutil.which("ansible-builder", path=str(BIN)) is None:
        pytest.fail("ansible-builder is not installed: run make setup (requirements.txt)")
    work = tmp_path_factory.mktemp("ee")
    shutil.copy(REPO / "execution-environment.yml", work / "execution-environment.yml")
    # What the definition's comment says to run first (`make build`), into this directory's build/.
    run("bash", str(REPO / "scripts" / "test" / "build.sh"), "--no-test", "--output", str(work / "build"), cwd=REPO)
    run(
        str(BIN / "ansible-builder"),
        "create",
        "--file",
        "execution-environment.yml",
        "--context",
        "context",
        "--output-filename",
        "Containerfile",
        cwd=work,
    )
    return work


def test_definition_matches_the_collection():
    text = (REPO / "execution-environment.yml").read_text()
    definition = yaml.safe_load(text)
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    assert definition["version"] == 3
    # No version in the file: it would go stale with every release.
    assert galaxy["version"] not in text
    assert definition["additional_build_files"] == [{"src": "build/ee/lvmkube-cluster.tar.gz", "dest": "collections"}]
    assert definition["dependencies"]["galaxy"]["collections"] == [
        {"name": "/build/collections/lvmkube-cluster.tar.gz", "type": "file"}
    ]
    # ansible-builder copies _build/ to /build itself (containerfile.py, _prepare_build_context): no COPY of ours.
    assert "additional_build_steps" not in definition
    # It builds from the checkout and is no part of the collection (galaxy.yml build_ignore).
    assert "execution-environment.yml" in galaxy["build_ignore"]
    # The same ansible-core range as the development toolchain.
    core = next(
        line for line in (REPO / "requirements.txt").read_text().splitlines() if line.startswith("ansible-core")
    )
    assert definition["dependencies"]["ansible_core"]["package_pip"] == core


def test_create_writes_the_build_context(context):
    ctx = context / "context"
    containerfile = (ctx / "Containerfile").read_text()
    assert 'ARG EE_BASE_IMAGE="quay.io/fedora/fedora:42"' in containerfile
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core>=2.20,<2.22 ansible-runner>=2.4,<3"' in containerfile
    # Exactly one copy of the build context, before the collection is installed from it.
    assert containerfile.count("COPY _build /build") == 1 and "COPY _build/collections" not in containerfile
    assert containerfile.index("COPY _build /build") < containerfile.index("ansible-galaxy collection install")
    assert containerfile.index("ansible-galaxy collection install") < containerfile.index("introspect.py introspect")
    requirements = yaml.safe_load((ctx / "_build" / "requirements.yml").read_text())
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    tarball = ctx / "_build" / "collections" / "lvmkube-cluster.tar.gz"
    assert requirements["collections"][0]["name"] == f"/build/collections/{tarball.name}"
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
        manifest = json.load(archive.extractfile("MANIFEST.json"))["collection_info"]
    # The copy is the tarball of this checkout's version.
    assert (manifest["namespace"], manifest["name"], manifest["version"]) == ("lvmkube", "cluster", galaxy["version"])
    assert "execution-environment.yml" not in names
    assert {"meta/execution-environment.yml", "meta/ee-requirements.txt", "meta/ee-bindep.txt"} <= names
    assert {"plugins/inventory/sakuracloud.py", "plugins/inventory/nifcloud.py"} <= names


def test_introspection_of_the_installed_collection(context, tmp_path):
    tarball = context / "build" / "ee" / "lvmkube-cluster.tar.gz"
    collections = tmp_path / "collections"
    run(
        str(BIN / "ansible-galaxy"),
        "collection",
        "install",
        "--no-deps",
        "--force",
        "-p",
        str(collections),
        str(tarball),
        cwd=tmp_path,
    )
    script = context / "context" / "_build" / "scripts" / "introspect.py"
    pip, bindep = tmp_path / "requirements.txt", tmp_path / "bindep.txt"
    run(
        sys.executable,
        str(script),
        "introspect",
        str(collections),
        "--write-pip",
        str(pip),
        "--write-bindep",
        str(bindep),
        cwd=tmp_path,
    )
    assert (collections / "ansible_collections" / "lvmkube" / "cluster" / "MANIFEST.json").is_file()
    python = [line.split("#")[0].strip() for line in pip.read_text().splitlines()]
    system = [line.split("#")[0].strip() for line in bindep.read_text().splitlines()]
    # From meta/execution-environment.yml, not the development requirements.txt (no molecule, no pytest).
    assert {"requests>=2.20", "kubernetes>=24.2", "jsonpatch", "cryptography>=3.3"} <= set(python)
    assert not any(line.startswith(("molecule", "pytest", "ansible-lint")) for line in python)
    assert "openssh-clients [platform:rpm]" in system and "openssh-client [platform:dpkg]" in system
    # helm (helm mode) on every RPM-based base image, RHEL-based ones included - not only Fedora.
    assert "helm [platform:rpm]" in system
    # bindep itself parses the file (it lists what this host lacks; exit 1 only means something is missing).
    check = subprocess.run(
        [str(BIN / "bindep"), "--file", str(REPO / "meta" / "ee-bindep.txt"), "--brief"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode in (0, 1), check.stderr
    assert "Traceback" not in check.stderr and "error" not in check.stderr.lower()


@pytest.mark.parametrize(
    ("definition", "plugin", "secret_field"),
    [
        ("credential-type-sakuracloud.yml", "sakuracloud", "access_token_secret"),
        ("credential-type-sakuracloud-service-principal.yml", "sakuracloud", "private_key"),
        ("credential-type-nifcloud.yml", "nifcloud", "secret_access_key"),
    ],
)
def test_awx_credential_types_inject_what_the_plugins_read(definition, plugin, secret_field):
    credential = yaml.safe_load((REPO / "docs" / "awx" / definition).read_text())
    source = (REPO / "plugins" / "inventory" / f"{plugin}.py").read_text()
    documentation = yaml.safe_load(source.split('DOCUMENTATION = r"""', 1)[1].split('"""', 1)[0])
    plugin_env = {entry["name"] for option in documentation["options"].values() for entry in option.get("env", [])}
    injected = set(credential["injectors"]["env"])
    assert injected <= plugin_env | {"NIFCLOUD_DEFAULT_REGION"}
    fields = {field["id"]: field for field in credential["inputs"]["fields"]}
    assert fields[secret_field].get("secret") is True
    assert set(credential["inputs"]["required"]) <= set(fields)
    # Every injected template names a field of the credential.
    for template in credential["injectors"]["env"].values():
        assert template.strip("{} ") in fields
