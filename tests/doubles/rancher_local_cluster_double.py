# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEST DOUBLE of the Kubernetes API of Rancher's local cluster, on 127.0.0.1. Not Rancher.

Keeps objects (a provisioning.cattle.io/v1 Cluster, Secrets) in memory by URL path and records every request:
GET, POST of Secrets, PUT with a resourceVersion check (409 on a stale one), DELETE; a wrong bearer token gets 401.
``faults[(method, path)]``: a list of HTTP statuses answered (without acting) to the next such requests; 409 first
bumps the object's resourceVersion, as Rancher's controllers do when they update a Cluster's status in between.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalClusterApiDouble:
    """TEST DOUBLE: GET/PUT of the Cluster, GET/POST/PUT/DELETE of Secrets, bearer token checked."""

    def __init__(self, objects, token, prefix=""):
        self.objects = objects
        self.requests = []
        self.faults = {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                owner.requests.append((self.command, self.path, body))
                if self.headers.get("Authorization") != f"Bearer {token}":
                    return self._send(401, {"kind": "Status", "code": 401})
                pending = owner.faults.get((self.command, self.path))
                if pending:
                    status = pending.pop(0)
                    stored = owner.objects.get(self.path)
                    if status == 409 and stored:
                        meta = stored["metadata"]
                        meta["resourceVersion"] = str(int(meta.get("resourceVersion") or 0) + 1)
                    return self._send(status, {"kind": "Status", "code": status})
                if self.command == "GET":
                    obj = owner.objects.get(self.path)
                    return self._send(200, obj) if obj else self._send(404, {"kind": "Status", "code": 404})
                if self.command == "POST" and self.path == prefix + "/api/v1/namespaces/fleet-default/secrets":
                    body["metadata"]["resourceVersion"] = "1"
                    owner.objects[f"{self.path}/{body['metadata']['name']}"] = body
                    return self._send(201, body)
                if self.command == "PUT" and self.path in owner.objects:
                    current = owner.objects[self.path]["metadata"].get("resourceVersion")
                    if body["metadata"].get("resourceVersion") != current:
                        return self._send(409, {"kind": "Status", "code": 409})
                    body["metadata"]["resourceVersion"] = str(int(current) + 1)
                    owner.objects[self.path] = body
                    return self._send(200, body)
                if self.command == "DELETE" and self.path in owner.objects:
                    del owner.objects[self.path]
                    return self._send(200, {"kind": "Status", "status": "Success"})
                return self._send(404, {"kind": "Status", "code": 404})

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def writes(self):
        return [(m, p) for m, p, _b in self.requests if m != "GET"]
