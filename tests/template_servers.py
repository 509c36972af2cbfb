"""Small loopback HTTP servers for a template download: one that sends its body a byte at a time,
one that redirects, one that counts what it was asked. Each listens on 127.0.0.1 only, in daemon
threads, and stops when its ``with`` block ends (a trickle stops sending then too)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Server:
    """Answers every GET with ``answer(path)``: (status, headers, body); a subclass says how."""

    every = 0.0  # seconds between the bytes of a body; 0 sends it at once

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.stopped = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                server.paths.append(self.path)
                status, headers, body = server.answer(self.path)
                self.send_response(status)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                server.send(self.wfile, body)

            def log_message(self, *args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        raise NotImplementedError

    def send(self, stream: Any, body: bytes) -> None:
        if not self.every:
            stream.write(body)
            return
        for i in range(len(body)):  # bounded by the body, and stops when the server does
            if self.stopped.is_set():
                return
            stream.write(body[i : i + 1])
            stream.flush()
            time.sleep(self.every)

    def __enter__(self) -> Server:
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self._http.shutdown()
        self._http.server_close()


class Trickle(Server):
    """Sends ``body`` one byte every ``every`` seconds."""

    def __init__(self, body: bytes, every: float) -> None:
        super().__init__()
        self.body, self.every = body, every

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return 200, {}, self.body


class Body(Server):
    """Sends ``body`` at once."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return 200, {}, self.body


class Redirect(Server):
    """Redirects every request to ``location`` (a callable of the path, or a URL) with ``status``."""

    def __init__(self, location: Any, status: int = 302) -> None:
        super().__init__()
        self.location, self.status = location, status

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        where = self.location(path) if callable(self.location) else self.location
        return self.status, {"Location": where}, b""


class Raw:
    """A loopback socket that answers each connection with ``data`` as it is, then closes it."""

    def __init__(self, data: bytes) -> None:
        import socket

        self.data = data
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self._socket.settimeout(0.2)
        self.stopped = threading.Event()

    @property
    def url(self) -> str:
        host, port = self._socket.getsockname()[:2]
        return f"http://{host}:{port}"

    def _serve(self) -> None:
        while not self.stopped.is_set():  # bounded: ends when the server does
            try:
                connection, _ = self._socket.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    connection.recv(65536)
                    connection.sendall(self.data)
                except OSError:
                    pass

    def __enter__(self) -> Raw:
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self._socket.close()
