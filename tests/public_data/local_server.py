"""A local HTTP server on 127.0.0.1 (port 0) serving recorded files, for the fetch tests.

Files are served with an ETag (sha256) and Last-Modified; conditional requests get 304.
``behave[path]`` scripts the broken cases: a list of steps used one per request (the last
one repeats): ``{"status": 429}``, ``{"status": 404}``, ``{"delay": 2.0}``,
``{"body": b"<html>..."}``, ``{"cut": n}`` (Content-Length of the whole file, n bytes
sent, connection closed), or ``None`` for the normal file. ``body_bytes`` counts every
body byte sent, so a test can prove a no-change update moved no archive.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


class RecordedServer:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = dict(files)  # "/cftc/fut_fin_txt_2024.zip" -> bytes
        self.behave: dict[str, list] = {}
        self.requests: list[tuple[str, dict]] = []
        self.body_bytes = 0
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> RecordedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.body_bytes = 0

    def _step(self, path: str):
        steps = self.behave.get(path)
        if not steps:
            return None
        return steps.pop(0) if len(steps) > 1 else steps[0]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                # As an HTTP proxy it is asked for absolute URLs: serve their path alike.
                if self.path.startswith("http://"):
                    self.path = "/" + self.path.split("/", 3)[3]
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server.requests.append((self.path, dict(self.headers)))
                    step = server._step(path)
                if step and step.get("delay"):
                    time.sleep(step["delay"])
                if step and step.get("status"):
                    return self._send(step["status"], b"", {"Retry-After": "0"})
                body = step.get("body") if step else None
                if body is None:
                    body = server.files.get(path)
                    if body is None:
                        return self._send(404, b"not found", {})
                etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                if step and step.get("cut"):  # promise the whole body, send a part, hang up
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: step["cut"]])
                    with server._lock:
                        server.body_bytes += step["cut"]
                    self.close_connection = True
                    return None
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", {"ETag": etag})
                self._send(200, body, {"ETag": etag, "Last-Modified": LAST_MODIFIED,
                                       "Content-Type": "application/octet-stream"})

            def _send(self, code: int, body: bytes, headers: dict):
                self.send_response(code)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        return
                    with server._lock:
                        server.body_bytes += len(body)

        return Handler
