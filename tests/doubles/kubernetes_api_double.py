# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TEST DOUBLE of a Kubernetes API server. Not Kubernetes.

No kube-apiserver can run on the test machines, so this double stands in for the few calls the
topolvm role makes through kubernetes.core: discovery (/version, /api, /apis and each group's resource
list), GET of cluster-scoped objects (Nodes, CustomResourceDefinitions) and PATCH of Nodes (strategic or
JSON merge patch of metadata.labels, ``dryRun=All`` answered without storing, as the real server does for
check mode). Objects live in memory, seeded from a JSON file: ``{"nodes": {name: {labels}}, "crds": [names],
"version": "v1.33.2"}``. Every request is appended to the request log (JSON lines) so tests can assert on
what the role sent. Plain HTTP on 127.0.0.1; standard library only.
"""

from __future__ import annotations

import argparse
import http.server
import json
import sys
import threading
from urllib.parse import parse_qs, urlsplit

CORE_RESOURCES = [
    {"name": "nodes", "singularName": "node", "namespaced": False, "kind": "Node", "verbs": ["get", "list", "patch"]},
    {
        "name": "namespaces",
        "singularName": "namespace",
        "namespaced": False,
        "kind": "Namespace",
        "verbs": ["get", "list", "patch"],
    },
]
GROUPS = {
    "apiextensions.k8s.io": {
        "version": "v1",
        "resources": [
            {
                "name": "customresourcedefinitions",
                "singularName": "customresourcedefinition",
                "namespaced": False,
                "kind": "CustomResourceDefinition",
                "verbs": ["get", "list"],
            }
        ],
    },
}


class State:
    def __init__(self, seed, log_path):
        self.version = seed.get("version", "v1.33.2")
        self.nodes = {name: {"labels": dict(data.get("labels", {}))} for name, data in seed.get("nodes", {}).items()}
        self.crds = list(seed.get("crds", []))
        self.log_path = log_path
        self.lock = threading.Lock()

    def log(self, entry):
        if self.log_path:
            with self.lock, open(self.log_path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry) + "\n")


def node_object(name, data):
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "uid": f"uid-{name}", "resourceVersion": "1", "labels": dict(data["labels"])},
        "spec": {},
        "status": {},
    }


def crd_object(name):
    group = name.split(".", 1)[1]
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": name, "uid": f"uid-{name}", "resourceVersion": "1"},
        "spec": {"group": group, "names": {"plural": name.split(".", 1)[0]}, "scope": "Namespaced", "versions": []},
    }


def make_handler(state):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, code, body):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _not_found(self, what):
            self._send(
                404,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "status": "Failure",
                    "message": f"{what} not found",
                    "reason": "NotFound",
                    "code": 404,
                },
            )

        def do_GET(self):
            url = urlsplit(self.path)
            path = url.path.rstrip("/")
            state.log({"method": "GET", "path": path, "query": url.query})
            if path == "/version":
                major, minor = state.version.lstrip("v").split(".")[:2]
                return self._send(200, {"major": major, "minor": minor, "gitVersion": state.version})
            if path == "/api":
                return self._send(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []})
            if path == "/apis":
                groups = [
                    {
                        "name": name,
                        "versions": [{"groupVersion": f"{name}/{g['version']}", "version": g["version"]}],
                        "preferredVersion": {"groupVersion": f"{name}/{g['version']}", "version": g["version"]},
                    }
                    for name, g in GROUPS.items()
                ]
                return self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
            if path == "/api/v1":
                return self._send(200, {"kind": "APIResourceList", "groupVersion": "v1", "resources": CORE_RESOURCES})
            for name, group in GROUPS.items():
                if path == f"/apis/{name}/{group['version']}":
                    return self._send(
                        200,
                        {
                            "kind": "APIResourceList",
                            "groupVersion": f"{name}/{group['version']}",
                            "resources": group["resources"],
                        },
                    )
            if path.startswith("/api/v1/nodes/"):
                name = path.rsplit("/", 1)[1]
                if name not in state.nodes:
                    return self._not_found(f'nodes "{name}"')
                return self._send(200, node_object(name, state.nodes[name]))
            if path == "/api/v1/nodes":
                items = [node_object(n, d) for n, d in state.nodes.items()]
                return self._send(200, {"kind": "NodeList", "apiVersion": "v1", "metadata": {}, "items": items})
            prefix = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
            if path.startswith(prefix + "/"):
                name = path.rsplit("/", 1)[1]
                if name not in state.crds:
                    return self._not_found(f'customresourcedefinitions.apiextensions.k8s.io "{name}"')
                return self._send(200, crd_object(name))
            if path == prefix:
                items = [crd_object(n) for n in state.crds]
                return self._send(200, {"kind": "CustomResourceDefinitionList", "metadata": {}, "items": items})
            return self._not_found(path)

        def do_PATCH(self):
            url = urlsplit(self.path)
            path = url.path.rstrip("/")
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            dry_run = "All" in parse_qs(url.query).get("dryRun", [])
            state.log(
                {
                    "method": "PATCH",
                    "path": path,
                    "dry_run": dry_run,
                    "content_type": self.headers.get("Content-Type"),
                    "body": body,
                }
            )
            if not path.startswith("/api/v1/nodes/"):
                return self._not_found(path)
            name = path.rsplit("/", 1)[1]
            if name not in state.nodes:
                return self._not_found(f'nodes "{name}"')
            labels = dict(state.nodes[name]["labels"])
            for key, value in ((body.get("metadata") or {}).get("labels") or {}).items():
                if value is None:
                    labels.pop(key, None)
                else:
                    labels[key] = value
            if not dry_run:
                state.nodes[name]["labels"] = labels
            return self._send(200, node_object(name, {"labels": labels}))

    return Handler


def serve(seed, log_path, port=0):
    """Start the double in a thread; return (server, state). server.server_address[1] is the port."""
    state = State(seed, log_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", required=True, help="JSON file with nodes, crds and version")
    parser.add_argument("--log", default="", help="request log (JSON lines)")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    with open(args.seed, encoding="utf-8") as handle:
        seed = json.load(handle)
    server, _state = serve(seed, args.log, args.port)
    print(server.server_address[1], flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
