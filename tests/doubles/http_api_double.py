# Copyright: (c) 2026, lvmkube.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base of the cloud API TEST DOUBLES (Sakura Cloud, NIFCLOUD): the HTTP part, served on 127.0.0.1.

A subclass says what the API answers in :meth:`HttpApiDouble.respond`; this class runs the threaded server,
reads request bodies, delays answers on request, keeps the request log and the per-key fault queues the tests
inject (a zone, a region), and starts and stops the server (also as a context manager). Standard library only.

It can also MISBEHAVE as a flaky network does, when :meth:`respond` puts one of these keys in its extra headers
(they are taken out, never sent): ``TRICKLE`` (seconds between the bytes of a body sent one byte at a time, until
the client hangs up), ``RESET`` (close the connection with a TCP reset instead of answering).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: Extra-header key: send the body one byte every that many seconds.
TRICKLE = "_trickle"
#: Extra-header key: answer with a TCP reset (SO_LINGER 0, then close) instead of a response.
RESET = "_reset"


class HttpApiDouble:
    """Threaded HTTP server on 127.0.0.1 answering through :meth:`respond`."""

    #: Content-Type of every answer.
    content_type = "application/json; charset=UTF-8"
    #: Name of the server thread.
    thread_name = "http-api-double"

    def __init__(self, delay=0.0):
        self.delay = delay
        self.faults = {}
        self.requests = []
        self._lock = threading.Lock()
        self._httpd = None

    # -- what a subclass implements -------------------------------------------------------
    def respond(self, method, path, headers, body):
        """Answer one request (body: bytes) with ``(status, body bytes, {extra header: value})``."""
        raise NotImplementedError

    # -- request log and faults ---------------------------------------------------------------
    def inject(self, key, *faults):
        """Queue failures for a key (zone, region): each answers one request, in order."""
        with self._lock:
            self.faults.setdefault(key, []).extend(faults)

    def next_fault(self, key):
        """The next queued failure of key, taken off its queue, or None."""
        with self._lock:
            queue = self.faults.get(key)
            return queue.pop(0) if queue else None

    def log(self, record):
        """Append record (a dict) to the request log; return it for the caller to fill in."""
        with self._lock:
            self.requests.append(record)
        return record

    def reset_counts(self):
        with self._lock:
            self.requests = []

    @property
    def request_count(self):
        with self._lock:
            return len(self.requests)

    @property
    def base_url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- server -----------------------------------------------------------------------------
    def start(self):
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):
                return

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload, extra = double.respond(self.command, self.path, self.headers, body)
                extra = dict(extra)
                trickle = extra.pop(TRICKLE, None)
                if extra.pop(RESET, None):
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                if double.delay:
                    time.sleep(double.delay)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", double.content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if trickle is None:
                    self.wfile.write(payload)
                    return
                self.close_connection = True
                try:
                    for index in range(len(payload)):
                        self.wfile.write(payload[index : index + 1])
                        self.wfile.flush()
                        time.sleep(trickle)
                except OSError:  # the client hung up: what a trickle test expects
                    return

            do_GET = do_POST = _handle

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                return  # a reset or a client that hung up on a trickle is the point of the test

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, name=self.thread_name, daemon=True).start()
        return self

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
