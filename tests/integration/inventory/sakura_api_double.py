# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A test double of the Sakura Cloud server list API, served on 127.0.0.1.

It answers ``GET /cloud/zone/<zone>/api/cloud/1.1/server?<url-encoded JSON>`` the
way the real API does for the fields the inventory plugin reads: Basic
authentication, ``From``/``Count`` paging with a server-side page cap (like the
real API, it may return fewer servers than asked for), ``Include`` of top-level
fields, ``Total``/``From``/``Count``/``Servers`` in the body and errors as
``{is_fatal, serial, status, error_code, error_msg}``.

``Filter`` on ``Tags.Name`` is applied as the API and the SDK's own fake driver
(iaas-api-go ``fake``) apply it: the condition is a list whose list elements are
ANDed exact tag matches, ``{"Tags.Name": [["@cluster=a", "etcd"]]}``; ``Total``
counts the servers that match. Any other filter key or shape is answered with
HTTP 400, so a test proves the exact request the plugin sends.

For tests it counts requests and the bytes of the bodies it sent, can delay every response and can inject failures
per zone (``503``, ``423``, ``429`` with ``Retry-After``, ``401``, ``malformed``, ``500``, ``502``, ``reset`` (a TCP
reset instead of an answer), ``trickle`` (the page sent one byte every :attr:`trickle_seconds`), ``echo`` (an HTTP 400
whose error message echoes the request headers, ``Authorization`` included, as some proxies and APIs do)), each used
once, in order. It can also MISBEHAVE on every request: :attr:`ignore_from` (every page starts at the first server,
as an API that ignores ``From``), :attr:`total_offset` (``Total`` lies by that many servers).

Service principal keys: ``add_service_principal`` registers a principal ID, a key KID and the RSA
public key; ``POST <TOKEN_PATH>`` then answers the RFC 7523 ``jwt-bearer`` grant as the IAM token
endpoint does (the assertion's RS256 signature, ``kid``, ``iss``/``sub``, ``aud`` = the endpoint URL,
``nbf``/``exp`` checked; HTTP 401 ``invalid_client`` otherwise) with a fresh bearer token, which the
server list then accepts instead of Basic authentication.
"""

from __future__ import annotations

import base64
import json
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

if str(Path(__file__).resolve().parents[2] / "doubles") not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "doubles"))

from http_api_double import RESET, TRICKLE, HttpApiDouble

TOKEN_PATH = "/cloud/api/iam/1.0/service-principals/oauth2/token"

API_PREFIX = "/cloud/zone/"
API_SUFFIX = "/api/cloud/1.1/server"
ALL_ZONES = ("tk1a", "tk1b", "is1a", "is1b", "is1c", "tk1v")
ZONE_IDS = {"is1a": 31001, "is1b": 31002, "is1c": 31003, "tk1a": 21001, "tk1b": 21002, "tk1v": 29001}


def server(server_id, name, zone, tags=(), nics=(), *, status="up", cpu=2, memory_mb=4096):
    """Return one server as the API lists it.

    ``nics`` entries: None (a null entry), ``("shared", "203.0.113.10")`` or
    ``("user", "192.168.0.11")`` or ``("user", None)`` (user switch, no address
    recorded) or ``("none", None)`` (NIC not connected to any switch).
    """
    interfaces = []
    for index, nic in enumerate(nics):
        if nic is None:
            interfaces.append(None)
            continue
        scope, address = nic
        mac = f"9c:a3:ba:{(server_id >> 16) & 0xFF:02x}:{(server_id >> 8) & 0xFF:02x}:{(server_id + index) & 0xFF:02x}"
        entry = {
            "ID": server_id * 10 + index,
            "MACAddress": mac,
            "IPAddress": None,
            "UserIPAddress": None,
            "HostName": None,
            "Switch": None,
            "PacketFilter": None,
        }
        if scope == "shared":
            entry["IPAddress"] = address
            entry["Switch"] = {
                "ID": ZONE_IDS[zone] * 1000 + 1,
                "Name": None,
                "Scope": "shared",
                "Subnet": {"DefaultRoute": address.rsplit(".", 1)[0] + ".1", "NetworkMaskLen": 24},
                "UserSubnet": None,
            }
        elif scope == "user":
            entry["UserIPAddress"] = address
            entry["Switch"] = {
                "ID": ZONE_IDS[zone] * 1000 + 500 + index,
                "Name": "sw-private",
                "Scope": "user",
                "Subnet": None,
                "UserSubnet": {"DefaultRoute": None, "NetworkMaskLen": 24},
            }
        interfaces.append(entry)
    return {
        "Index": 0,
        "ID": server_id,
        "Name": name,
        "HostName": name,
        "Description": "",
        "Tags": list(tags),
        "Availability": "available",
        "ServiceClass": f"cloud/plan/core/{cpu}core-{memory_mb // 1024}gb",
        "CreatedAt": "2026-01-01T00:00:00+09:00",
        "Icon": None,
        "ServerPlan": {
            "ID": 100000000000 + cpu * 1000 + memory_mb // 1024,
            "Name": f"{cpu}core {memory_mb // 1024}GB",
            "CPU": cpu,
            "MemoryMB": memory_mb,
            "Commitment": "standard",
            "Generation": 200,
        },
        "Zone": {"ID": ZONE_IDS[zone], "Name": zone, "Region": {"ID": ZONE_IDS[zone] // 1000, "Name": zone[:2]}},
        "Instance": {"Status": status, "BeforeStatus": "down", "StatusChangedAt": "2026-01-01T00:00:00+09:00"},
        "Disks": [{"ID": server_id * 10 + 9, "Name": name + "-disk", "Connection": "virtio", "SizeMB": 20480}],
        "Interfaces": interfaces,
        "ConnectedSwitches": [],
    }


def generate_servers(count, zones, seed_tags=True):
    """Return ``{zone: [server, ...]}`` with ``count`` servers spread round-robin over ``zones``.

    A realistic mix: a shared NIC plus a user switch on most servers, a null first
    entry or no NIC on a few, the tag scheme of a kubespray cluster.
    """
    result = {zone: [] for zone in zones}
    for number in range(count):
        zone = zones[number % len(zones)]
        server_id = 113000000000 + number
        role = number % 10
        tags = ["@cluster=bench", "@with_kubespray_inventory", "@ssh_user=ubuntu"]
        if seed_tags:
            if role < 1:
                tags += ["kube-master", "etcd", "k8s-cluster", "@instance-type=large"]
            else:
                tags += ["kube-node", "k8s-cluster", "@instance-type=" + ("large" if role < 4 else "small")]
            tags.append("@auto-reboot")
        third = (number // 250) % 250
        fourth = number % 250 + 2
        if number % 97 == 0:
            nics = []
        elif number % 89 == 0:
            nics = [None, ("user", f"192.168.{third}.{fourth}")]
        else:
            nics = [("shared", f"203.0.{third}.{fourth}"), ("user", f"192.168.{third}.{fourth}")]
        result[zone].append(
            server(
                server_id,
                f"node-{number:05d}",
                zone,
                tags=tags,
                nics=nics,
                status="up" if number % 50 else "down",
                cpu=4,
                memory_mb=16384,
            )
        )
    return result


def _error_body(status, code, message):
    return json.dumps(
        {
            "is_fatal": True,
            "serial": "0123456789abcdef0123456789abcdef",
            "status": str(status),
            "error_code": code,
            "error_msg": message,
        }
    ).encode()


def _tags_filter(find_filter):
    """Return the frozenset of tags a ``Filter`` requires; ValueError for anything but ``Tags.Name`` lists."""
    if not find_filter:
        return frozenset()
    if not isinstance(find_filter, dict):
        raise ValueError("Filter is not an object")
    unknown = set(find_filter) - {"Tags.Name"}
    if unknown:
        raise ValueError(f"the double supports no filter on {sorted(unknown)}")
    required = set()
    for condition in find_filter["Tags.Name"]:
        if not isinstance(condition, list) or not all(isinstance(tag, str) for tag in condition):
            raise ValueError("Tags.Name conditions must be lists of tags")
        required.update(condition)
    return frozenset(required)


class SakuraApiDouble(HttpApiDouble):
    """Threaded HTTP server answering like the Sakura Cloud server list API."""

    thread_name = "sakura-api-double"

    def __init__(self, servers_by_zone, token="test-token", secret="test-secret", page_cap=1000, delay=0.0):
        super().__init__(delay=delay)
        self.servers_by_zone = {zone: sorted(items, key=lambda s: s["ID"]) for zone, items in servers_by_zone.items()}
        self.token = token
        self.secret = secret
        self.page_cap = page_cap
        # False: validate the Filter but list every server, as an API that ignored it would.
        self.honour_filter = True
        # Seconds in the Retry-After header of a 429 answer.
        self.retry_after = 1
        # (principal ID, key KID) -> RSA public key; bearer tokens issued by the token endpoint.
        self.principals = {}
        self.issued_tokens = set()
        self.token_requests = []
        self._page_cache = {}
        # Misbehaviour on every request (see the module docstring).
        self.ignore_from = False
        self.total_offset = 0
        self.trickle_seconds = 0.5
        # Faults the token endpoint answers with, in order (``503``, ``reset``), each once.
        self.token_faults = []

    # -- control ------------------------------------------------------------
    # inject(zone, *faults): each of ``503``, ``423``, ``429``, ``401``, ``malformed`` answers one request.
    def add_service_principal(self, principal_id, key_kid, public_key):
        """Accept JWTs of this principal and key KID, signed by the private half of ``public_key``."""
        self.principals[(principal_id, key_kid)] = public_key

    @property
    def token_url(self):
        return self.base_url + TOKEN_PATH

    @property
    def bytes_sent(self):
        with self._lock:
            return sum(r.get("bytes", 0) for r in self.requests)

    @property
    def url(self):
        return self.base_url + "/cloud/zone"

    def respond(self, method, path, headers, body):
        if method == "POST":
            fault = self.token_faults.pop(0) if self.token_faults else None
            if fault == "reset":
                return 0, b"", {RESET: True}
            if fault == "503":
                return 503, _error_body(503, "service_unavailable", "maintenance"), {}
            status, payload = self.issue_token(path, headers, body.decode("utf-8"))
            return status, payload, {}
        if method != "GET":
            return 405, _error_body(405, "method_not_allowed", "method not allowed"), {}
        return self.answer(path, headers)

    # -- protocol -----------------------------------------------------------
    def issue_token(self, path, headers, form):
        """Answer the token endpoint: ``(status, body)``; every request is logged in ``token_requests``."""
        fields = {key: values[0] for key, values in parse_qs(form).items()}
        with self._lock:
            self.token_requests.append({"path": path, "content_type": headers.get("Content-Type"), "form": fields})

        def refuse(description):
            return 401, json.dumps({"error": "invalid_client", "error_description": description}).encode()

        if path != TOKEN_PATH:
            return 404, _error_body(404, "not_found", "not found")
        if fields.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return 400, json.dumps({"error": "unsupported_grant_type"}).encode()
        try:
            header_b64, claims_b64, signature_b64 = fields.get("assertion", "").split(".")

            def decode(part):
                return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

            header = json.loads(decode(header_b64))
            claims = json.loads(decode(claims_b64))
            signature = decode(signature_b64)
        except ValueError:
            return refuse("malformed assertion")
        key = self.principals.get((claims.get("sub"), header.get("kid")))
        if header.get("alg") != "RS256" or key is None or claims.get("iss") != claims.get("sub"):
            return refuse("unknown service principal or key")
        try:
            key.verify(signature, f"{header_b64}.{claims_b64}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return refuse("bad signature")
        now = time.time()
        if claims.get("aud") != self.token_url or not claims.get("nbf", now) <= now < claims.get("exp", 0):
            return refuse("wrong audience or outside the validity window")
        token = secrets.token_urlsafe(24)
        with self._lock:
            self.issued_tokens.add(token)
        return 200, json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": 3600}).encode()

    def answer(self, raw_path, headers):
        """Answer one request with ``(status, body, extra headers)``.

        The request log records when the request came (``time``, monotonic) and the
        body size of the answer (``bytes``).
        """
        path, _sep, query = raw_path.partition("?")
        record = {
            "path": path,
            "query": query,
            "bigint": headers.get("X-Sakura-Bigint-As-Int"),
            "zone": None,
            "time": time.monotonic(),
        }
        self.log(record)
        status, body = self._answer(path, query, headers, record)
        record["bytes"] = len(body)
        extra = {"Retry-After": str(self.retry_after)} if status == 429 else {}
        fault = record.get("fault")
        if fault == "reset":
            extra[RESET] = True
        elif fault == "trickle":
            extra[TRICKLE] = self.trickle_seconds
        return status, body, extra

    def _answer(self, path, query, headers, record):
        if not (path.startswith(API_PREFIX) and path.endswith(API_SUFFIX)):
            return 404, _error_body(404, "not_found", "not found")
        zone = path[len(API_PREFIX) : -len(API_SUFFIX)]
        record["zone"] = zone
        if zone not in ALL_ZONES:
            return 404, _error_body(404, "not_found", "zone not found")
        expected = "Basic " + base64.b64encode((f"{self.token}:{self.secret}").encode()).decode()
        fault = record["fault"] = self.next_fault(zone)
        authorization = headers.get("Authorization") or ""
        if fault == "echo":
            echoed = "".join(f"{name}: {value}\n" for name, value in headers.items())
            return 400, _error_body(400, "bad_request", "invalid request:\n" + echoed)
        bearer = authorization.startswith("Bearer ") and authorization[7:] in self.issued_tokens
        if fault == "401" or (authorization != expected and not bearer):
            return 401, _error_body(401, "unauthorized", "認証に失敗しました。")
        if fault == "503":
            return 503, _error_body(503, "service_unavailable", "サービスが一時的に利用できません。")
        if fault == "423":
            return 423, _error_body(423, "still_creating", "リソースは現在ロックされています。")
        if fault == "429":
            return 429, _error_body(429, "too_many_requests", "リクエストが多すぎます。")
        if fault in ("500", "502"):
            return int(fault), _error_body(int(fault), "internal_server_error", "内部エラー")
        if fault == "malformed":
            return 200, b'{"From": 0, "Count": 1, "Total": 1, "Servers": [{"ID": 1, "Name": '
        try:
            params = json.loads(unquote(query)) if query else {}
        except ValueError:
            return 400, _error_body(400, "bad_request", "invalid query")
        offset = 0 if self.ignore_from else int(params.get("From") or 0)
        count = int(params.get("Count") or 20)
        count = min(count, self.page_cap)
        include = tuple(params.get("Include") or ())
        try:
            required = _tags_filter(params.get("Filter"))
        except ValueError as exc:
            return 400, _error_body(400, "bad_request", str(exc))
        key = (zone, offset, count, include, required, self.honour_filter, self.total_offset)
        cached = self._page_cache.get(key)
        if cached is None:
            items = self.servers_by_zone.get(zone, [])
            if required and self.honour_filter:
                items = [item for item in items if required.issubset(item.get("Tags") or ())]
            page = items[offset : offset + count]
            if include:
                page = [{field: item.get(field) for field in include if field in item} for item in page]
            body = json.dumps(
                {
                    "From": offset,
                    "Count": len(page),
                    "Total": len(items) + self.total_offset,
                    "Servers": page,
                    "is_ok": True,
                },
                ensure_ascii=False,
            ).encode("utf-8")
            cached = self._page_cache[key] = (body, len(page))
        body, record["servers"] = cached
        return 200, body
