# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEST DOUBLE of kube-scheduler's health endpoint. Not a scheduler.

There is no kubelet or kube-scheduler in the test machines, so this double stands in for the
one thing the kube_scheduler role talks to: https://127.0.0.1:10259/healthz. It reads the
static pod manifest (or another file) on every request and answers like a scheduler would:

  mode require-config  "ok" only when the watched file carries --config=<path> (or config=<path>)
                       and <path> exists; otherwise HTTP 500 with the reason
  mode any             "ok" unless the watched file names a --config file that does not exist
  mode never           never "ok" (HTTP 500), to exercise the role's rollback
  A watched file that does not exist (an RKE2 drop-in that was removed) counts as one without --config.

The mode is read from --mode-file on every request (default require-config), so a test can
switch it without restarting the double. Every answer is also appended to --log-file, shaped
like a pod log, so the role's "last log lines" have something real to show.
Standard library only; a self-signed certificate is made with openssl when none exists.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.server
import os
import re
import ssl
import subprocess
import sys

CONFIG_RE = re.compile(r"(?:--config=|^\s*-?\s*[\"']?config=)([^\s\"']+)", re.MULTILINE)
MODES = ("require-config", "any", "never")


def read_mode(mode_file):
    try:
        with open(mode_file, encoding="utf-8") as handle:
            mode = handle.read().strip()
    except OSError:
        return "require-config"
    return mode if mode in MODES else "require-config"


def judge(watch_file, mode):
    """Return (healthy, reason) for the current state of watch_file."""
    if mode == "never":
        return False, "double in never-ok mode: scheduler failed to start"
    try:
        with open(watch_file, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        text = ""  # a removed drop-in (RKE2): the scheduler runs without our flags
    except OSError as exc:
        return False, f"cannot read {watch_file}: {exc}"
    match = CONFIG_RE.search(text)
    if match is None:
        if mode == "require-config":
            return False, f"no --config in {watch_file}"
        return True, "running without --config"
    path = match.group(1)
    if not os.path.isfile(path):
        return False, f"open {path}: no such file or directory (failed to load scheduler config)"
    return True, f"running with --config={path}"


def make_certificate(cert, key):
    if os.path.isfile(cert) and os.path.isfile(key):
        return
    os.makedirs(os.path.dirname(os.path.abspath(cert)), exist_ok=True)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "30",
            "-subj",
            "/CN=kube-scheduler-health-double",
            "-keyout",
            key,
            "-out",
            cert,
        ],
        check=True,
        capture_output=True,
    )


def make_handler(args):
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "kube-scheduler-health-double"

        def do_GET(self):
            if self.path.split("?", 1)[0] not in ("/healthz", "/livez", "/readyz"):
                self._answer(404, "not found")
                return
            healthy, reason = judge(args.watch_file, read_mode(args.mode_file))
            log(args.log_file, ("I" if healthy else "E"), reason)
            self._answer(200 if healthy else 500, "ok" if healthy else f"[-]double failed: {reason}")

        def _answer(self, status, body):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):
            return

    return Handler


def log(log_file, level, message):
    if not log_file:
        return
    os.makedirs(os.path.dirname(os.path.abspath(log_file)), exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    stream = "stdout" if level == "I" else "stderr"
    with open(log_file, "a", encoding="utf-8") as handle:
        handle.write(
            f"{now.isoformat()} {stream} F {level}{now:%m%d %H:%M:%S} kube-scheduler-health-double] {message}\n"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=10259)
    parser.add_argument("--watch-file", default="/etc/kubernetes/manifests/kube-scheduler.yaml")
    parser.add_argument("--mode-file", default="/etc/kube-scheduler-health-double/mode")
    parser.add_argument("--log-file", default="")
    parser.add_argument("--cert", default="/etc/kube-scheduler-health-double/tls.crt")
    parser.add_argument("--key", default="/etc/kube-scheduler-health-double/tls.key")
    parser.add_argument("--port-file", default="", help="write the bound port here (useful with --port 0)")
    args = parser.parse_args(argv)
    make_certificate(args.cert, args.key)
    server = http.server.ThreadingHTTPServer((args.bind, args.port), make_handler(args))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    if args.port_file:
        with open(args.port_file, "w", encoding="utf-8") as handle:
            handle.write(str(server.server_address[1]))
    print(f"kube-scheduler health double on https://{args.bind}:{server.server_address[1]}/healthz", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
