# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for the kube_scheduler integration tests: run ansible-playbook on localhost, start the health double."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import playbook_helpers
import pytest

ROOT = Path(__file__).resolve().parents[3]
DOUBLE = ROOT / "tests" / "doubles" / "kube_scheduler_health_double.py"


def run_playbook(tmp_path, play_text, *extra, name="play.yml"):
    """Run ansible-playbook against localhost; return (rc, output, recap dict)."""
    playbook = tmp_path / name
    playbook.write_text(play_text)
    proc = playbook_helpers.run_playbook(playbook, *extra)
    output = proc.stdout + proc.stderr
    return proc.returncode, output, playbook_helpers.recap(output)


def assert_second_run_unchanged(tmp_path, play_text, *extra):
    """Run the play again after a converging run: it must succeed with changed=0 (the role's idempotence)."""
    rc, out, recap = run_playbook(tmp_path, play_text, *extra)
    assert rc == 0, out
    assert recap["changed"] == 0, out


def removed(tmp_path, play_text, double, *extra):
    """Run the play with state=absent while the health double accepts a scheduler without our --config: the run
    must succeed. Returns the output and the recap."""
    double["mode_file"].write_text("any\n")
    rc, out, recap = run_playbook(tmp_path, play_text, "-e", "state=absent", *extra)
    assert rc == 0, out
    return out, recap


def rolled_back(tmp_path, play_text, double, *extra):
    """Run the play with the health double never answering ok: the run must fail and say it restored the
    original files (the caller then asserts the files). Returns the output and the recap."""
    double["mode_file"].write_text("never\n")
    rc, out, recap = run_playbook(tmp_path, play_text, *extra)
    assert rc != 0, out
    assert "The original files were restored" in out
    return out, recap


@pytest.fixture
def health_double_factory(tmp_path):
    """Start health doubles on free ports watching the given file; stop them after the test."""
    procs = []

    def start(watch_file):
        state = tmp_path / f"double{len(procs)}"
        state.mkdir()
        info = {
            "mode_file": state / "mode",
            "log_file": tmp_path / "pods" / "kube-system_kube-scheduler-double_0" / "kube-scheduler" / "0.log",
            "port_file": state / "port",
            "watch_file": watch_file,
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                str(DOUBLE),
                "--port",
                "0",
                "--watch-file",
                str(watch_file),
                "--mode-file",
                str(info["mode_file"]),
                "--log-file",
                str(info["log_file"]),
                "--cert",
                str(state / "tls.crt"),
                "--key",
                str(state / "tls.key"),
                "--port-file",
                str(info["port_file"]),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        procs.append(proc)
        deadline = time.monotonic() + 60
        while not info["port_file"].exists() or not info["port_file"].read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("health double did not start: " + proc.stdout.read().decode())
            time.sleep(0.1)
        info["url"] = f"https://127.0.0.1:{info['port_file'].read_text()}/healthz"
        return info

    try:
        yield start
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture
def health_double(tmp_path, health_double_factory):
    """A health double watching <tmp>/manifests/kube-scheduler.yaml."""
    return health_double_factory(tmp_path / "manifests" / "kube-scheduler.yaml")
