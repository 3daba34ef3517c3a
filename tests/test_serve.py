"""`datapkg serve`, attacked over the network: a real server in a child process on a free
port, sent raw requests. It serves only the files the package's descriptor and the site name,
as data, to requests addressed to this machine; it streams, drops a stalled connection, holds
a bounded number at once, and answers every bad request with a 4xx and never a traceback."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import struct
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

import datapkg
from datapkg.publish import MANIFEST
from datapkg.render import site_files

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
DATA = ROOT / "data"
TIMEOUT = 1.0  # the server's, in these tests: how long a stalled connection is kept
CONNECTIONS = 4
BIG = 100 * 2**20
CHILD = """
import sys
from pathlib import Path
from datapkg.serve import server
httpd = server(Path(sys.argv[1]), Path(sys.argv[2]), timeout=float(sys.argv[3]),
               connections=int(sys.argv[4]))
print(httpd.server_address[1], flush=True)
httpd.serve_forever()
"""
ACTIVE = ("html", "xml", "svg", "javascript", "ecmascript")


def add_resource(package: Path, path: str, mediatype: str | None = None) -> None:
    """Name the file ``path`` of ``package`` in its descriptor, with its bytes and sha256."""
    sha, size = hashlib.sha256(), 0
    with open(package / path, "rb") as file:
        while block := file.read(2**20):
            sha.update(block)
            size += len(block)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": path.replace(".", "-"), "path": path, "bytes": size,
                                    "hash": f"sha256:{sha.hexdigest()}",
                                    **({"mediatype": mediatype} if mediatype else {})})
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> tuple[Path, Path]:
    """The site and the package, with files beside them that nothing names (evil.html), and
    resources the descriptor names with active types and a 100 MiB one."""
    root = tmp_path_factory.mktemp("served")
    site, data = root / "site", root / "data"
    shutil.copytree(SITE, site)
    shutil.copytree(DATA, data)
    script = "<script>alert(document.domain)</script>\n"
    for folder in (site, data, data / "seeds", data / "schemas"):
        (folder / "evil.html").write_text(script)
    (root / "secret.txt").write_text("secret\n")
    (data / "page.html").write_text(script)
    (data / "drawing.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{script}</svg>')
    with open(data / "big.csv", "wb") as big:
        big.truncate(BIG)
    add_resource(data, "page.html", "text/html")
    add_resource(data, "drawing.svg", "image/svg+xml")
    add_resource(data, "big.csv")
    return site, data


@dataclass
class Child:
    port: int
    pid: int
    stderr: Path

    def status(self, key: str) -> int:
        """A number (kB for memory) from the child's /proc status."""
        return int(Path(f"/proc/{self.pid}/status").read_text().split(f"{key}:")[1].split()[0])

    def errors(self) -> str:
        return self.stderr.read_text(errors="replace")


@contextmanager
def serving(site: Path, data: Path, tmp_path: Path, connections: int = CONNECTIONS):
    stderr = tmp_path / "stderr.txt"
    with open(stderr, "wb") as err:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(site), str(data),
                                  str(TIMEOUT), str(connections)],
                                 stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        line = child.stdout.readline()
        assert line.strip().isdigit(), stderr.read_text()
        yield Child(int(line), child.pid, stderr)
    finally:
        child.terminate()
        child.wait(timeout=10)


@pytest.fixture(scope="module")
def server(copies, tmp_path_factory):
    """One server for the tests that leave it as it was."""
    with serving(*copies, tmp_path_factory.mktemp("server")) as child:
        yield child


@pytest.fixture
def own_server(copies, tmp_path):
    """A server of one test's own, whose log it reads."""
    with serving(*copies, tmp_path) as child:
        yield child


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=30)


def ask(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (names in lower case) and body of the answer to a raw request."""
    with connect(port) as client:
        client.sendall(request)
        answer = b""
        while block := client.recv(2**16):
            answer += block
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip()
               for name, _, value in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def request(port: int, target: str, method: str = "GET", host: str | None = None) -> bytes:
    host = f"127.0.0.1:{port}" if host is None else host
    return f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode("latin-1")


def get(port: int, target: str, method: str = "GET", host: str | None = None):
    return ask(port, request(port, target, method, host))


def secure(headers: dict[str, str]) -> bool:
    policy = headers.get("content-security-policy", "")
    return (headers.get("x-content-type-options") == "nosniff" and "default-src 'none'" in policy
            and "unsafe" not in policy)


# --- what is served ----------------------------------------------------------------------

def test_the_site_files_are_the_rendered_ones():
    ids = datapkg.load_table("sources")["source_id"]
    # every file of the site but its manifest, which lists them for render and is not served
    assert sorted(site_files(ids)) == sorted(p.name for p in SITE.iterdir() if p.name != MANIFEST)


def test_every_named_file_is_served_whole_and_as_data(server, copies):
    site, data = copies
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    named = [r["path"] for r in descriptor["resources"] if r["path"] != "big.csv"]
    for path in [*named, "datapackage.json", "croissant.json", "schemas/actors.json"]:
        status, headers, body = get(server.port, f"/data/{path}")
        assert status == 200 and body == (data / path).read_bytes(), path
        assert secure(headers) and "sandbox" in headers["content-security-policy"], path
        assert not any(word in headers["content-type"] for word in ACTIVE), (path, headers)
    for name in site_files(datapkg.load_table("sources")["source_id"]):
        status, headers, body = get(server.port, f"/site/{name}")
        assert status == 200 and body == (site / name).read_bytes() and secure(headers), name
    status, headers, _ = get(server.port, "/data/page.html")
    assert headers["content-type"] == "application/octet-stream"


@pytest.mark.parametrize("target", [
    "/site/evil.html", "/data/evil.html", "/data/seeds/evil.html", "/data/schemas/evil.html",
    "/data/../secret.txt", "/site/../data/evil.html", "/site/%2e%2e/secret.txt",
    "/data/%2E%2E/secret.txt", "/site/..%2fsecret.txt", "/data/seeds/%2e%2e/evil.html",
    "/data/./sources.csv", "/data//sources.csv", "//data/evil.html", "/data/SOURCES.CSV",
    "/data/sources.csv/", "/data/sources.csv%00", "/data/", "/site/", "/data/seeds",
    "/data/schemas/", "/secret.txt", "/other/x", "/site/index.html/..",
])
def test_a_file_nothing_names_is_not_found(server, target):
    status, headers, body = get(server.port, target)
    assert status == 404 and secure(headers), target
    assert b"alert" not in body and b"secret" not in body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1",
                                  "localhost", "127.0.0.2:{port}", "localhost.:{port}",
                                  "[::1]", "127.0.0.1:{port}@evil.example", ""])
def test_a_request_for_another_host_is_refused(server, host):
    status, headers, body = get(server.port, "/site/index.html", host=host.format(port=server.port))
    assert status in (400, 421) and secure(headers) and b"<" not in body, host


def test_this_machine_is_named_three_ways_and_only_once(server):
    for host in ("127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"):
        assert get(server.port, "/site/index.html", host=host.format(port=server.port))[0] == 200
    twice = (f"GET /site/index.html HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
             f"Host: evil.example\r\n\r\n").encode()
    none = b"GET /site/index.html HTTP/1.0\r\n\r\n"
    for raw in (twice, none):
        status, headers, _ = ask(server.port, raw)
        assert status in (400, 421) and secure(headers)


@pytest.mark.parametrize("raw", [
    b"GET http://[::1 HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET http://{host}/site/index.html HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET * HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1 extra\r\nHost: {host}\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: {host}\r\n\r\n",
    b"GET / HTTP/2.0\r\nHost: {host}\r\n\r\n",
    b"GET / FTP/1.0\r\nHost: {host}\r\n\r\n",
    b"POST /site/index.html HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n",
    b"DELETE /data/sources.csv HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"PROPFIND / HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: {host}\r\nX: " + b"a" * 70000 + b"\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: {host}\r\n" + b"X: 1\r\n" * 200 + b"\r\n",
    b"GET /\xff\xfe HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET /site/index.html\r\nHost: {host}\r\n\r\n",
])
def test_a_malformed_request_gets_a_4xx_and_no_traceback(server, raw):
    status, headers, body = ask(server.port, raw.replace(b"{host}",
                                                         b"127.0.0.1:%d" % server.port))
    assert 400 <= status < 500, raw[:80]
    assert secure(headers) and headers["content-type"].startswith("text/plain"), headers
    assert b"<" not in body
    assert "Traceback" not in server.errors()


def test_the_root_leads_to_the_site(server):
    status, headers, body = get(server.port, "/")
    assert status == 302 and headers["location"] == "/site/index.html" and secure(headers)
    assert "script-src 'self'" in get(server.port, "/site/index.html")[1][
        "content-security-policy"]


# --- a file that is not the one the descriptor states ----------------------------------

def test_a_file_changed_since_the_descriptor_never_arrives_whole(copies, tmp_path):
    site, data = copies
    changed = tmp_path / "data"
    shutil.copytree(data, changed, ignore=shutil.ignore_patterns("big.csv"))
    sources = (changed / "sources.csv").read_bytes()
    (changed / "sources.csv").write_bytes(sources[:-2] + b"X\n")  # same size, other bytes
    (changed / "actors.csv").write_bytes((changed / "actors.csv").read_bytes() + b"x,y\n")
    with serving(site, changed, tmp_path) as child:
        status, headers, body = get(child.port, "/data/sources.csv")
        assert status == 200 and len(body) < int(headers["content-length"]) == len(sources)
        assert get(child.port, "/data/actors.csv")[0] == 404
        time.sleep(0.2)
        lines = child.errors().splitlines()
    assert len(lines) == 2 and "Traceback" not in child.errors(), lines
    assert "sources.csv: not the published file (sha256" in lines[0]
    assert "actors.csv: not the published file" in lines[1]


# --- memory, stalled clients, early disconnects ------------------------------------------

def stalled(port: int, target: str = "/data/big.csv") -> socket.socket:
    """A client that asks for a file and never reads the answer."""
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.settimeout(30)
    client.connect(("127.0.0.1", port))
    client.sendall(request(port, target))
    return client


def test_a_head_reads_nothing_and_stalled_clients_cost_chunks(copies, tmp_path):
    with serving(*copies, tmp_path, connections=16) as child:
        base = child.status("VmHWM")
        for _ in range(8):
            status, headers, body = get(child.port, "/data/big.csv", "HEAD")
            assert status == 200 and int(headers["content-length"]) == BIG and body == b""
        assert child.status("VmHWM") - base < 8 * 1024, "a HEAD read the file"
        clients = [stalled(child.port) for _ in range(8)]
        time.sleep(0.5)
        peak = child.status("VmHWM") - base
        for client in clients:
            client.close()
    assert peak < 64 * 1024, f"8 stalled clients of a 100 MiB file: +{peak >> 10} MiB"


def test_a_stalled_client_is_dropped_and_frees_its_place(own_server):
    server = own_server
    clients = [stalled(server.port) for _ in range(CONNECTIONS)]
    start = time.monotonic()
    status, _, body = get(server.port, "/site/index.html")  # waits for a free place
    waited = time.monotonic() - start
    assert status == 200 and body == (SITE / "index.html").read_bytes()
    assert TIMEOUT / 2 < waited < 10 * TIMEOUT, waited
    idle = connect(server.port)
    start = time.monotonic()
    assert idle.recv(100) == b""  # asked nothing: closed after the timeout
    assert TIMEOUT / 2 < time.monotonic() - start < 10 * TIMEOUT
    for client in clients + [idle]:
        client.close()
    time.sleep(0.2)
    errors = server.errors()
    # the stalled clients and the idle one, a line each
    assert errors.count(f"no progress for {TIMEOUT:g} s; connection dropped") == CONNECTIONS + 1
    assert "Traceback" not in errors


def test_an_early_disconnect_is_one_line_and_no_traceback(own_server):
    server = own_server
    client = stalled(server.port)
    assert client.recv(2**16).startswith(b"HTTP/1.0 200")
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()  # a reset, mid-file
    deadline = time.monotonic() + 10
    while "closed the connection early" not in server.errors() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.errors().count("\n") == 1 and "closed the connection early" in server.errors()
    assert "Traceback" not in server.errors()
    assert get(server.port, "/data/sources.csv")[0] == 200
