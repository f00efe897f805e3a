# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the lvmd integration tests: the lvmd double, fake LVM report commands, a local HTTP server."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from playbook_helpers import json_output
from playbook_helpers import run_playbook as _run_playbook

REPO = pathlib.Path(__file__).resolve().parents[2]
DOUBLE = REPO / "tests" / "doubles" / "lvmd" / "lvmd_double.py"


def fake_lvm(directory, vgs=(), pools=()):
    """Write ``vgs`` and ``lvs`` that print an LVM json report of the given volume groups and thin pools."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    vg_report = {"report": [{"vg": [{"vg_name": vg} for vg in vgs]}]}
    lv_rows = [
        {"lv_name": pool.split("/")[1], "vg_name": pool.split("/")[0], "lv_attr": "twi-a-tz--"} for pool in pools
    ]
    lv_rows.append({"lv_name": "plain", "vg_name": "myvg1", "lv_attr": "-wi-a-----"})
    lv_report = {"report": [{"lv": lv_rows}]}
    for name, report in (("vgs", vg_report), ("lvs", lv_report)):
        script = directory / name
        script.write_text(f"#!/bin/sh\ncat <<'JSON'\n{json.dumps(report)}\nJSON\n", encoding="utf-8")
        script.chmod(0o755)
    return directory


def short_tmpdir():
    """A directory with a short path: unix socket paths are limited to 107 bytes."""
    return pathlib.Path(tempfile.mkdtemp(prefix="lvmd-", dir="/tmp"))


@contextlib.contextmanager
def play_dir(playbook):
    """A short temporary directory holding the playbook as play.yml; removed afterwards."""
    path = short_tmpdir()
    (path / "play.yml").write_text(playbook, encoding="utf-8")
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def run_play(directory, variables, *args):
    """Run directory/play.yml on localhost with the variables as extra vars (through a JSON file)."""
    extra = directory / "vars.json"
    extra.write_text(json.dumps(variables), encoding="utf-8")
    return run_playbook(directory / "play.yml", "-e", f"@{extra}", *args)


def start_double(args, lvm_dir, pythonpath=None):
    env = dict(os.environ)
    env["PATH"] = f"{lvm_dir}{os.pathsep}{env.get('PATH', '')}"
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.Popen(
        [sys.executable, str(DOUBLE), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_socket(path, process, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def accepts_connection(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(5)
        client.connect(str(path))
        return client.recv(16) == b""


@contextlib.contextmanager
def http_server(directory):
    """Serve ``directory`` on 127.0.0.1 (random port); yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, *args):
        pass


def run_playbook(playbook, *args):
    """Run a playbook on implicit localhost; return (returncode, parsed json output, stderr)."""
    result = _run_playbook(playbook, *args, callback="ansible.builtin.json")
    return result.returncode, json_output(result), result.stdout + result.stderr
