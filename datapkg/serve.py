"""`datapkg serve`: the site and the package it links to, over HTTP on this machine.

The site's downloads are links to ``../data/``: beside ``site/`` in a checkout or on a web
server. An installed package holds both (``datapkg/_site`` and ``datapkg/_data``), under
other names, so the server lays them out the same way: ``/site/…`` from the site directory,
``/data/…`` from the package. Every file is read through ``datapkg.files``; nothing else is
served, and nothing is listed.
"""

from __future__ import annotations

import mimetypes
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from datapkg.errors import DatapkgError
from datapkg.files import MAX_TABLE_BYTES, read_inside
from datapkg.paths import SHIPPED_SITE, SITE

HOME = "/site/index.html"
TYPES = {".parquet": "application/vnd.apache.parquet", ".cff": "text/plain",
         ".md": "text/markdown"}


def default_site_dir() -> Path:
    """The site: shipped inside the wheel, or ``site/`` in a checkout."""
    return SHIPPED_SITE if SHIPPED_SITE.is_dir() else SITE


def content_type(name: str) -> str:
    suffix = Path(name).suffix
    guessed = TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") or suffix in (
        ".js", ".json") else guessed


def lookup(roots: dict[str, Path], url: str) -> tuple[bytes, str] | None:
    """The bytes and content type of the file a URL path names, or None: the first segment
    picks a root, the rest must stay inside it."""
    path = unquote(urlsplit(url).path)
    root, _, relative = path.lstrip("/").partition("/")
    if root not in roots or not relative:
        return None
    try:
        return read_inside(roots[root], relative, MAX_TABLE_BYTES), content_type(relative)
    except (DatapkgError, OSError):
        return None


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD of the files under the roots; ``/`` leads to the site's index."""

    def __init__(self, *args, roots: dict[str, Path], **kwargs):
        self.roots = roots
        super().__init__(*args, **kwargs)

    def answer(self, body: bool) -> None:
        if urlsplit(self.path).path == "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", HOME)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        found = lookup(self.roots, self.path)
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        data, kind = found
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
        self.answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.answer(body=False)

    def log_message(self, format: str, *args) -> None:
        pass


def server(site: Path, data: Path, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server of ``site`` at /site/ and ``data`` at /data/ (port 0: any free port)."""
    return ThreadingHTTPServer((host, port), partial(Handler, roots={"site": site, "data": data}))
