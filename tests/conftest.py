# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pytest set-up: tests import this checkout as ``ansible_collections.lvmkube.cluster``.

``make setup`` links the checkout as build/collections/ansible_collections/lvmkube/cluster and
pyproject.toml puts build/collections on sys.path (``pythonpath``). This file makes that work
also when pytest is started from another directory, points subprocesses (ansible-playbook,
ansible-inventory, ansible-doc) at the root ansible.cfg, and stops the run with a clear message
when the link is missing instead of failing later with confusing import errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests run beside the VM scenarios in CI (QEMU under TCG takes both cores): an example may take seconds
# there, so no test has hypothesis' per-example deadline (200 ms) or the too_slow health check, which fail on load,
# not on behaviour. The example database stays out of the checkout. A test's own @settings still applies on top.
settings.register_profile("lvmkube", deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("lvmkube")

REPO_ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS_ROOT = REPO_ROOT / "build" / "collections"
INTEGRATION_ROOT = REPO_ROOT / "tests" / "integration"
COLLECTION_LINK = COLLECTIONS_ROOT / "ansible_collections" / "lvmkube" / "cluster"


def _check_collection_link() -> str | None:
    """Return an error message when the in-place collection link is missing or wrong."""
    if not COLLECTION_LINK.exists():
        return f"{COLLECTION_LINK} does not exist: run `make setup`"
    if COLLECTION_LINK.resolve() != REPO_ROOT:
        return f"{COLLECTION_LINK} points to {COLLECTION_LINK.resolve()}, not to {REPO_ROOT}: run `make setup`"
    return None


def pytest_configure(config: pytest.Config) -> None:
    problem = _check_collection_link()
    if problem:
        raise pytest.UsageError(problem)
    if str(COLLECTIONS_ROOT) not in sys.path:
        sys.path.insert(0, str(COLLECTIONS_ROOT))
    # Helpers shared by several integration test folders (k8s_schema_helpers: offline schema validation,
    # playbook_helpers: running ansible) and by all tests (the package tests/helpers).
    for shared in (INTEGRATION_ROOT, REPO_ROOT / "tests"):
        if str(shared) not in sys.path:
            sys.path.append(str(shared))
    os.environ.setdefault("ANSIBLE_CONFIG", str(REPO_ROOT / "ansible.cfg"))
    # The bin directory of the interpreter running pytest: .venv's, or the floor venv's in CI's floor step
    # (ansible-core 2.18), whose ansible-playbook must be the one subprocesses run.
    venv_bin = Path(sys.executable).parent
    if venv_bin.is_dir() and str(venv_bin) not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"
