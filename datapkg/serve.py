"""`datapkg serve`: the site and the package it links to, over HTTP on this machine.

The site's downloads are links to ``../data/``: beside ``site/`` in a checkout or on a web
server. An installed package holds both (``datapkg/_site`` and ``datapkg/_data``), under
other names, so the server lays them out the same way: ``/site/…`` from the site directory,
``/data/…`` from the package.

What it serves is a list made when it starts: the site's own files (``render.site_files``),
and the package's descriptor, Croissant metadata, Table Schemas and the resources the
descriptor names, each sent only if it has the size and sha256 the descriptor states. Nothing
else under either folder is served, and nothing is listed. Every file is opened through
``datapkg.files`` and sent in chunks; it listens on 127.0.0.1 only and answers only requests
addressed to this machine.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from datapkg.descriptor import schema_path
from datapkg.errors import DatapkgError
from datapkg.escape import terminal
from datapkg.files import MAX_METADATA_BYTES, MAX_TABLE_BYTES, chunks, inside, open_promised, verified
from datapkg.package import DESCRIPTOR, promises
from datapkg.paths import SHIPPED_SITE, SITE
from datapkg.registry import TABLES

HOME = "/site/index.html"
HOST = "127.0.0.1"
TIMEOUT = 10.0  # seconds a connection may make no progress before it is dropped
CONNECTIONS = 16  # connections served at once; one more waits for a free one
CROISSANT = "croissant.json"
# The site runs its own style sheet and scripts and nothing else (it has no inline script or
# style, and its JSON is data, which no policy blocks); a package's file runs nothing at all.
SITE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")
DATA_POLICY = "default-src 'none'; sandbox; base-uri 'none'; form-action 'none'; " \
              "frame-ancestors 'none'"
SITE_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
              ".js": "text/javascript; charset=utf-8"}
# A package's file is data whatever its name or declared media type: never a type that a
# browser runs (text/html, image/svg+xml...).
DATA_TYPES = {".csv": "text/csv; charset=utf-8", ".parquet": "application/vnd.apache.parquet",
              ".json": "application/json", ".txt": "text/plain; charset=utf-8"}
DATA_TYPE = "application/octet-stream"


def default_site_dir() -> Path:
    """The site: shipped inside the wheel, or ``site/`` in a checkout."""
    return SHIPPED_SITE if SHIPPED_SITE.is_dir() else SITE


@dataclass(frozen=True)
class Served:
    """One file the server sends: where it is, how it is labelled, and what the descriptor
    states about it (sha256 and bytes), where it states anything."""

    root: Path
    relative: str
    kind: str
    policy: str
    limit: int
    sha256: str | None = None
    size: int | None = None

    def open(self) -> tuple[int, int]:
        """An open descriptor of the file and its size (see ``files.open_promised``)."""
        return open_promised(inside(self.root, self.relative), self.size, self.limit)

    def blocks(self, fd: int, size: int) -> Iterator[bytes]:
        """Its bytes in chunks, never more than the ``size`` announced, the last held back
        until the sha256 is the descriptor's."""
        blocks = chunks(fd, size, size)
        return verified(self.root / self.relative, blocks, self.sha256) if self.sha256 \
            else blocks


def routes(site: Path, data: Path) -> dict[str, Served]:
    """Every URL path the server answers, and the file behind it. What is served is this list
    of names, made once: no path is ever built from a request."""
    from datapkg.loader import load_table
    from datapkg.render import site_files

    pages = site_files(load_table("sources", path=data)["source_id"])
    served = {f"/site/{name}": Served(site, name, SITE_TYPES[PurePosixPath(name).suffix],
                                      SITE_POLICY, MAX_TABLE_BYTES) for name in pages}
    served |= {f"/data/{path}": Served(data, path, data_type(path), DATA_POLICY,
                                       MAX_TABLE_BYTES, sha256, size)
               for path, (sha256, size) in promises(data).items()}
    metadata = (DESCRIPTOR, CROISSANT, *map(schema_path, TABLES))
    served |= {f"/data/{path}": Served(data, path, data_type(path), DATA_POLICY,
                                       MAX_METADATA_BYTES) for path in metadata}
    return served


def data_type(name: str) -> str:
    return DATA_TYPES.get(PurePosixPath(name).suffix.lower(), DATA_TYPE)


def loopback_host(values: list[str], port: int) -> bool:
    """Whether the request's one Host header names this machine on the server's port: a
    page of another site, its name pointed at 127.0.0.1 (DNS rebinding), is refused."""
    names = ("127.0.0.1", "localhost", "[::1]")
    allowed = {f"{name}:{port}" for name in names} | (set(names) if port == 80 else set())
    return len(values) == 1 and values[0].strip().lower() in allowed


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD of the files the server lists; ``/`` leads to the site's index. Anything
    else gets a short plain-text 4xx."""

    # Every answer carries its headers, even one to a request line that names no version.
    default_request_version = "HTTP/1.0"
    policy = DATA_POLICY

    def setup(self) -> None:
        self.timeout = self.server.client_timeout  # a socket timeout on every read and write
        super().setup()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if len(self.requestline.split()) != 3:  # HTTP/0.9: a line with no version
            self.send_error(HTTPStatus.BAD_REQUEST)
        elif self.command not in ("GET", "HEAD"):
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)
        elif not loopback_host(self.headers.get_all("Host") or [], self.server.server_port):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST)
        elif not self.path.startswith("/"):  # only a path: no absolute URL, no "*"
            self.send_error(HTTPStatus.BAD_REQUEST)
        else:
            return True
        return False

    def answer(self, body: bool) -> None:
        path = unquote(self.path.partition("?")[0])
        if path == "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", HOME)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        served = self.server.files.get(path)  # an exact name of the list: no "..", no links
        if served is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        try:
            fd, size = served.open()
        except (DatapkgError, OSError) as exc:
            self.server.say(self.client_address, str(exc))
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        try:
            self.policy = served.policy
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", served.kind)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            if body:  # in chunks, as the client takes them: a HEAD reads nothing
                for block in served.blocks(fd, size):
                    self.wfile.write(block)
        finally:
            os.close(fd)

    def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
        self.answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.answer(body=False)

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """A short plain-text answer for every refusal: no HTML, nothing of the request. Every
        refusal is a 4xx (http.server answers an HTTP version it does not speak with a 505:
        a bad request here, like any other it cannot read)."""
        status = HTTPStatus(code) if code < 500 else HTTPStatus.BAD_REQUEST
        text = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "GET, HEAD")
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.close_connection = True
        if self.command != "HEAD":
            self.wfile.write(text)

    def end_headers(self) -> None:
        # Every answer, refusals included: a policy that runs nothing but the site's own
        # files, and types taken as given.
        self.send_header("Content-Security-Policy", self.policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        pass  # no line per request

    def log_error(self, format: str, *args) -> None:
        # http.server's report of a connection whose request or answer timed out: one line.
        timed_out = any(isinstance(arg, TimeoutError) for arg in args)
        self.server.say(self.client_address, f"no progress for {self.timeout:g} s; connection "
                        f"dropped" if timed_out else format % args)


class Server(ThreadingHTTPServer):
    """At most ``connections`` connections at once, each dropped once it has made no progress
    for ``timeout`` seconds; a failure is one line on stderr, never a traceback."""

    daemon_threads = True
    block_on_close = False  # stopping does not wait for the connections still open

    def __init__(self, files: dict[str, Served], port: int, timeout: float, connections: int):
        self.files = files
        self.client_timeout = timeout
        self.slots = threading.BoundedSemaphore(connections)
        super().__init__((HOST, port), Handler)

    def process_request(self, request, client_address) -> None:
        # A bounded number of connections at once: one more waits, unread, until one ends
        # (each is dropped once it makes no progress for the timeout).
        self.slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError):
            reason = f"the client closed the connection early ({type(exc).__name__})"
        elif isinstance(exc, DatapkgError):
            reason = f"{exc}; connection dropped"
        else:
            reason = f"unexpected {type(exc).__name__}: {exc}"
        self.say(client_address, reason)

    def say(self, client_address, message: str) -> None:
        """One line on stderr, its control characters escaped."""
        line = f"datapkg serve: {client_address[0]}:{client_address[1]}: {message}"
        sys.stderr.write(terminal(line, one_line=True) + "\n")
        sys.stderr.flush()


def server(site: Path, data: Path, port: int = 0, timeout: float = TIMEOUT,
           connections: int = CONNECTIONS) -> Server:
    """A server of the site in ``site`` at /site/ and the package in ``data`` at /data/, on
    127.0.0.1 only (port 0: any free port)."""
    return Server(routes(Path(site), Path(data)), port, timeout, connections)
