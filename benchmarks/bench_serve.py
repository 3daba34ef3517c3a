"""Peak memory of the server behind `datapkg serve` under clients that stall, and how long
it keeps them.

    .venv/bin/python benchmarks/bench_serve.py [--megabytes 100] [--clients 8] [--wait 30]

A copy of the published package gets one more resource: a file of the given size, named by
the descriptor with its bytes and sha256. A child process serves it (``datapkg.serve.server``)
and is sent, by as many clients, a HEAD of that file and then a GET that is never read. The
script prints the child's resident memory before, its peak (VmHWM) once every GET is sent,
and how many seconds pass before the child's threads are back to what they were before the
clients came (at most ``--wait``: a server that never drops them shows the ceiling).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from datapkg.loader import default_data_dir
from datapkg.serve import default_site_dir

CHILD = """
import sys
from pathlib import Path
from datapkg.serve import server
httpd = server(Path(sys.argv[1]), Path(sys.argv[2]))
print(httpd.server_address[1], flush=True)
httpd.serve_forever()
"""
NAME = "big.csv"


def big_package(directory: Path, megabytes: int) -> None:
    """The published package with one more resource of ``megabytes`` MiB (zeros)."""
    shutil.copytree(default_data_dir(), directory)
    size = megabytes * 2**20
    with open(directory / NAME, "wb") as out:
        out.truncate(size)
    sha = hashlib.sha256()
    with open(directory / NAME, "rb") as file:
        while block := file.read(2**20):
            sha.update(block)
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "big", "path": NAME, "bytes": size,
                                    "hash": f"sha256:{sha.hexdigest()}"})
    (directory / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def status(pid: int, key: str) -> int:
    """A number from /proc/PID/status (kB for memory)."""
    text = Path(f"/proc/{pid}/status").read_text()
    return int(text.split(f"{key}:")[1].split()[0])


def request(port: int, method: str) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port))
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.sendall(f"{method} /data/{NAME} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--wait", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        big_package(data, args.megabytes)
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(default_site_dir()),
                                  str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        try:
            port = int(child.stdout.readline())
            threads, before = status(child.pid, "Threads"), status(child.pid, "VmRSS")
            for _ in range(args.clients):
                head = request(port, "HEAD")
                head.recv(65536)
                head.close()
            stalled = [request(port, "GET") for _ in range(args.clients)]
            time.sleep(2)  # every GET has been read, and its answer begun
            peak = status(child.pid, "VmHWM")
            start = time.monotonic()
            while (status(child.pid, "Threads") > threads
                   and time.monotonic() - start < args.wait):
                time.sleep(0.1)
            kept = time.monotonic() - start + 2
            print(f"{args.clients} clients, {args.megabytes} MiB file: RSS before "
                  f"{before >> 10} MiB, peak {peak >> 10} MiB; stalled clients kept "
                  f"{kept:.1f} s{' (or more)' if kept >= args.wait else ''}")
            for client in stalled:
                client.close()
        finally:
            child.terminate()
            child.wait(timeout=10)


if __name__ == "__main__":
    main()
