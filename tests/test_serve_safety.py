"""The preview server serves only its preview folder, and only to this computer.

test_serve.py asks for /etc/passwd through a normal HTTP client; here the requests go
out byte for byte over a socket (no client tidies a path up first), in every spelling of
'..' we know, after a file placed right beside the preview folder; and the listening
socket is read from the kernel's table, so the loopback check needs no second network.
And it answers only requests addressed to it by its own name, so that a web page that
points its name at 127.0.0.1 (DNS rebinding) cannot read the drafts through it.
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
DRAFT_TEXT = "아직 공개하지 않은 초안 본문"
DRAFT_URL = "/ko/notices/2026/01/draft-notice/"
TRAVERSALS = [
    "/../secret.txt", "/../../secret.txt", "/ko/../../secret.txt", "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/..%2fsecret.txt",
    "/..%2Fsecret.txt", "/%252e%252e/secret.txt", "/..%5csecret.txt", "/..\\secret.txt",
    "/%5c..%5csecret.txt", "/ko/%2e%2e/%2e%2e/secret.txt", "/..;/secret.txt",
    "/%c0%ae%c0%ae/secret.txt", "/..%00/secret.txt", "//..//secret.txt", "/./../secret.txt",
    "/" + str(Path("/etc/passwd")), "//etc/passwd", "/%2fetc%2fpasswd",
    "/../../../../../../../../etc/passwd", "/livereload.js/../../secret.txt",
]


def raw_get(port: int, target: str, host: str | None = None) -> tuple[int, bytes]:
    """GET `target` exactly as written (Host: 127.0.0.1:<port> unless given); the status
    and body."""
    host = host or f"127.0.0.1:{port}"
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
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
    (root / "content/notices/2026").mkdir(parents=True, exist_ok=True)
    (root / "content/notices/2026/draft-notice.ko.md").write_text(
        "---\ntitle: 초안\ndepartment: welfare-policy\nrelease: 2026-01-05\ndraft: true\n---\n"
        f"{DRAFT_TEXT}입니다.\n", encoding="utf-8")
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


def test_the_preview_answers_to_its_own_names(preview):
    for host in (f"127.0.0.1:{preview}", f"localhost:{preview}", f"LocalHost:{preview}"):
        status, body = raw_get(preview, DRAFT_URL, host)
        assert status == 200 and DRAFT_TEXT.encode() in body, host


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:{port}", "127.0.0.1",
                                  "localhost", "127.0.0.1:{other}", "localhost.attacker.example:{port}",
                                  "127.0.0.1:{port}.attacker.example", "[::1]:{port}", ""])
@pytest.mark.parametrize("target", [DRAFT_URL, "/ko/", "/livereload.js", "/livereload",
                                    "/no-such-page/"])
def test_a_request_addressed_to_another_name_gets_403_and_no_preview(preview, host, target):
    """What a page using DNS rebinding would send: its own name in Host."""
    status, body = raw_get(preview, target, host.format(port=preview, other=preview + 1) or " ")
    assert status == 403, (status, body[:200])
    assert DRAFT_TEXT.encode() not in body and b"livereload" not in body
    assert f"http://127.0.0.1:{preview}/".encode() in body
    assert "이 컴퓨터에서만".encode() in body and b"only for this computer" in body


def handshake(port: int, origin: str | None, host: str | None = None) -> int:
    """The status of a WebSocket opening handshake to the reload socket."""
    lines = ["GET /livereload HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}",
             "Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        data = b""
        while b"\r\n\r\n" not in data and (chunk := s.recv(65536)):
            data += chunk
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0


def test_the_reload_socket_opens_only_for_the_previews_own_pages(preview):
    assert handshake(preview, f"http://127.0.0.1:{preview}") == 101
    assert handshake(preview, f"http://localhost:{preview}") == 101
    for origin in ["https://evil.example", f"http://evil.example:{preview}", "null",
                   f"http://127.0.0.1:{preview + 1}", f"https://127.0.0.1:{preview}",
                   f"http://127.0.0.1:{preview}.evil.example"]:
        assert handshake(preview, origin) == 403, origin
    # A browser always sends Origin on a socket: one without it is no page of the preview.
    assert handshake(preview, None) == 403
    assert handshake(preview, f"http://127.0.0.1:{preview}", "evil.example") == 403
