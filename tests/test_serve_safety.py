"""The preview server serves only its preview folder, and only to this computer.

test_serve.py asks for /etc/passwd through a normal HTTP client; here the requests go
out byte for byte over a socket (no client tidies a path up first), in every spelling of
'..' we know, after a file placed right beside the preview folder; and the listening
socket is read from the kernel's table, so the loopback check needs no second network.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_SITE

SECRET = "secret-beside-the-preview"
TRAVERSALS = [
    "/../secret.txt", "/../../secret.txt", "/ko/../../secret.txt", "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/..%2fsecret.txt",
    "/..%2Fsecret.txt", "/%252e%252e/secret.txt", "/..%5csecret.txt", "/..\\secret.txt",
    "/%5c..%5csecret.txt", "/ko/%2e%2e/%2e%2e/secret.txt", "/..;/secret.txt",
    "/%c0%ae%c0%ae/secret.txt", "/..%00/secret.txt", "//..//secret.txt", "/./../secret.txt",
    "/" + str(Path("/etc/passwd")), "//etc/passwd", "/%2fetc%2fpasswd",
    "/../../../../../../../../etc/passwd", "/livereload.js/../../secret.txt",
]


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """GET `target` exactly as written; the status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .encode("latin-1"))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    (root / "secret.txt").write_text(SECRET)
    shutil.copytree(SAMPLE_SITE, root / "content")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
         "--content", str(root / "content"), "--preview-dir", str(root / "preview")],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            if raw_get(port, "/ko/")[0] == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "the preview did not start"
        time.sleep(0.2)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_preview_serves_its_own_pages(preview):
    status, body = raw_get(preview, "/ko/")
    assert status == 200 and b"<html" in body


def test_a_missing_page_gets_the_sites_own_not_found_page(preview):
    status, body = raw_get(preview, "/ko/notices/2099/01/no-such-notice/")
    assert status == 404
    assert "페이지를 찾을 수 없습니다".encode() in body  # templates/strings/ko.yaml


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_spelling_of_dot_dot_reaches_a_file_outside_the_preview(preview, target):
    status, body = raw_get(preview, target)
    assert status in (400, 403, 404), (status, body[:200])
    assert SECRET.encode() not in body and b"root:" not in body


def listening(port: int) -> set[str]:
    """Local addresses listening on `port`, from /proc/net/tcp and tcp6."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                addresses.add(address)
    return addresses


def test_the_preview_listens_on_the_loopback_address_only(preview):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp on this system")
    # 0100007F is 127.0.0.1 in the kernel's byte order; 00000000 or :: would be everyone.
    assert listening(preview) == {"0100007F"}
