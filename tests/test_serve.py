"""`build.py serve`: the live preview, tested over HTTP as staff use it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_SITE, run_build

NOTICE = "notices/2016/hongeun-support-team.ko.md"
NOTICE_URL = "/ko/notices/2016/05/hongeun-support-team/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""  # not listening yet


def _wait_for(predicate, seconds: float = 15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


@pytest.fixture
def preview(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_SITE, content)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
         "--content", str(content), "--preview-dir", str(tmp_path / "preview")],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(lambda: _get(base + "/ko/")[0] == 200), "the preview did not start"
        yield base, content, port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_edit_is_served_within_seconds_and_pages_carry_the_reload_script(preview):
    base, content, _ = preview
    status, page = _get(base + NOTICE_URL)
    assert status == 200 and "livereload.js" in page
    path = content / NOTICE
    path.write_text(path.read_text() + "\n새로 추가한 문단입니다.\n", encoding="utf-8")
    assert _wait_for(lambda: "새로 추가한 문단입니다." in _get(base + NOTICE_URL)[1])


def test_broken_front_matter_shows_the_error_and_keeps_the_last_good_page(preview):
    base, content, _ = preview
    path = content / NOTICE
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("department: welfare-policy", "department: welfare"),
                    encoding="utf-8")
    page = _wait_for(lambda: (lambda p: p if "build-error" in p else "")(_get(base + NOTICE_URL)[1]))
    assert "hongeun-support-team.ko.md:6" in page
    assert "is not a known department" in page
    assert "홍은종합사회복지관" in page  # the last good page is still there
    path.write_text(good, encoding="utf-8")
    assert _wait_for(lambda: "build-error" not in _get(base + NOTICE_URL)[1])


def test_a_draft_is_previewed_with_its_banner_but_never_built(preview, tmp_path):
    base, content, _ = preview
    draft = content / "notices/2026/draft-notice.ko.md"
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.write_text("---\ntitle: 아직 공개하지 않은 보도자료\ndepartment: welfare-policy\n"
                     "release: 2026-01-05\ndraft: true\n---\n초안 본문입니다.\n", encoding="utf-8")
    url = base + "/ko/notices/2026/01/draft-notice/"
    page = _wait_for(lambda: _get(url)[1])
    assert "아직 공개하지 않은 보도자료" in page and "banner-draft" in page
    out = tmp_path / "published"
    result = run_build("--content", str(content), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert not (out / "ko/notices/2026/01/draft-notice").exists()
    assert not any("아직 공개하지 않은" in p.read_text(errors="ignore")
                   for p in out.rglob("*") if p.is_file())


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent for UDP connect
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_the_preview_refuses_connections_on_other_addresses(preview):
    _, _, port = preview
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    with pytest.raises(OSError):
        socket.create_connection((address, port), timeout=3).close()


def test_paths_outside_the_preview_are_refused(preview):
    base, _, _ = preview
    for path in ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/ko/%2e%2e/%2e%2e/%2e%2e/etc/passwd"]:
        status, body = _get(base + path)
        assert status in (403, 404) and "root:" not in body


def test_an_open_page_reloads_by_itself_after_an_edit(preview):
    """What staff see: save the file, and the page in the browser changes."""
    from served_site import chromium
    base, content, _ = preview
    with chromium() as browser:
        page = browser.new_page()
        page.goto(base + NOTICE_URL)
        page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)
        time.sleep(0.5)  # the page's socket to the preview connects
        path = content / NOTICE
        path.write_text(path.read_text(encoding="utf-8") + "\n브라우저가 스스로 새로 고침.\n",
                        encoding="utf-8")
        page.wait_for_function(
            "() => document.body.innerText.includes('브라우저가 스스로 새로 고침.')",
            timeout=15_000)


def test_preview_updates_from_the_watcher_thread_use_the_cache(tmp_path):
    """serve builds first in its main thread, then on each edit in the watcher's."""
    import threading

    from site_builder.serve import Preview
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_SITE, content)
    preview = Preview(content, tmp_path / "preview", own_process=False)
    assert preview.rebuild() == []
    assert preview.session.memory.bodies > 1  # the first: every body
    path = content / NOTICE
    path.write_text(path.read_text(encoding="utf-8") + "\n스레드에서 고친 문단.\n",
                    encoding="utf-8")
    result: list = []
    thread = threading.Thread(target=lambda: result.append(preview.rebuild()))
    thread.start()
    thread.join()
    assert result == [[]]
    assert preview.session.memory.bodies == 1  # the edited one; the rest from the cache
    assert NOTICE_URL.strip("/") + "/index.html" in preview.session.memory.made
    page = tmp_path / "preview" / NOTICE_URL.strip("/") / "index.html"
    assert "스레드에서 고친 문단." in page.read_text(encoding="utf-8")


def test_an_edited_notice_is_shown_at_once_as_the_full_rebuild_then_makes_it(tmp_path):
    from site_builder.serve import Preview
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_SITE, content)
    preview = Preview(content, tmp_path / "preview")
    assert preview.rebuild() == []
    page = tmp_path / "preview" / NOTICE_URL.strip("/") / "index.html"
    listing = tmp_path / "preview" / "ko" / "notices" / "index.html"
    before = listing.read_bytes()
    path = content / NOTICE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 찾아가는", "title: 곧바로 보이는, 찾아가는"),
                    encoding="utf-8")
    assert preview.show_edit([path])
    quick = page.read_bytes()
    assert "곧바로 보이는" in quick.decode()
    assert listing.read_bytes() == before  # the lists wait for the full rebuild
    assert preview.rebuild() == []
    assert page.read_bytes() == quick  # the quick page is the page the full build makes
    assert "곧바로 보이는" in listing.read_text(encoding="utf-8")


def test_only_a_sound_edit_of_one_notice_is_shown_before_the_full_rebuild(tmp_path):
    from site_builder.serve import Preview
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_SITE, content)
    preview = Preview(content, tmp_path / "preview")
    assert not preview.show_edit([content / NOTICE])  # nothing built yet
    assert preview.rebuild() == []
    path = content / NOTICE
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("department: welfare-policy", "department: nowhere"),
                    encoding="utf-8")
    assert not preview.show_edit([path])  # an error: the full rebuild reports it
    path.write_text(good, encoding="utf-8")
    assert not preview.show_edit([content / "site.yaml"])
    assert not preview.show_edit([content / "programs" / "silppuri-welfare.ko.md"])
    assert not preview.show_edit([path, content / "notices/2021/daejeon-social-service-briefing.ko.md"])
    assert not preview.show_edit([path, content / "site.yaml"])
    assert preview.show_edit([path])
    # An editor's files beside the notice (vim writes these on every save) do not count.
    assert preview.show_edit([content / "notices/2016/.hongeun-support-team.ko.md.swp",
                              content / "notices/2016/4913", path,
                              content / "notices/2016/hongeun-support-team.ko.md~"])


def test_a_full_rebuild_runs_in_a_process_of_its_own_and_sends_back_what_is_needed(tmp_path):
    """The quick updates keep the interpreter to themselves; the rebuild's results (the
    stamps, the static files, the site without its notices) come back to this process."""
    import os

    from site_builder.serve import Preview, in_child
    assert in_child(os.getpid) not in (None, os.getpid())  # the work ran elsewhere
    assert in_child(lambda: 1 / 0) is None  # a child that fails says so
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_SITE, content)
    forked = Preview(content, tmp_path / "forked")
    here = Preview(content, tmp_path / "here", own_process=False)
    assert forked.rebuild() == [] and here.rebuild() == []
    forked_memory, here_memory = forked.session.memory, here.session.memory
    assert set(forked_memory.files) == set(here_memory.files)
    assert forked.last_static == here.last_static
    site, strings = forked_memory.site, forked_memory.strings
    assert site.notices == () and strings == here_memory.strings
    assert site.departments == here_memory.site.departments  # read-only mappings travel
    assert type(site.departments) is type(here_memory.site.departments)


def test_a_rebuild_in_progress_does_not_outlive_the_preview(tmp_path):
    """Stopped while a rebuild runs in its child process, serve leaves no child writing."""
    import os
    import signal
    script = ("import os, time\nfrom site_builder.serve import in_child\n"
              "print(os.getpid(), flush=True)\n"
              "in_child(lambda: (print(os.getpid(), flush=True), time.sleep(60)))\n")
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    assert int(process.stdout.readline()) == process.pid
    child = int(process.stdout.readline())
    assert child != process.pid
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            break  # gone
        if state == "Z":
            break  # ended, waiting for init to reap it
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the rebuild's child process outlived the preview")


TITLE = "<h1 data-pagefind-meta=\"title\">{{ notice.title }}</h1>"


def test_a_template_error_is_shown_like_a_content_error_and_the_next_save_recovers(tmp_path):
    """Before, the misspelt name ended the rebuild thread: no later save was shown."""
    from site_builder.serve import Preview, Updates
    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(SAMPLE_SITE, content)
    shutil.copytree(ROOT / "templates", theme)
    said: list[tuple[str, bool]] = []
    updates = Updates(Preview(content, tmp_path / "preview", templates=theme),
                      lambda line, error: said.append((str(line), error)), lambda: None)
    updates.rebuild_now()
    assert not any(error for _, error in said)
    notice = theme / "notice.html"
    good = notice.read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(good.splitlines(), 1) if TITLE in text)
    notice.write_text(good.replace(TITLE, TITLE.replace("notice.title", "notice.titel")),
                      encoding="utf-8")
    updates.rebuild_now()
    errors = [text for text, error in said if error]
    assert [text for text in errors if f"notice.html:{line}: template error: 'NoticeView "
            "object' has no attribute 'titel'" in text], errors
    page = (tmp_path / "preview" / NOTICE_URL.strip("/") / "index.html").read_text("utf-8")
    assert "build-error" in page and "template error" in page
    assert "홍은종합사회복지관" in page  # the last good page under the banner
    notice.write_text(good, encoding="utf-8")
    said.clear()
    updates.rebuild_now()
    assert not any(error for _, error in said) and "Preview updated" in said[-1][0]
    page = (tmp_path / "preview" / NOTICE_URL.strip("/") / "index.html").read_text("utf-8")
    assert "build-error" not in page and "홍은종합사회복지관" in page


def test_a_new_notice_reusing_a_slug_leaves_the_others_page_as_it_was(tmp_path):
    """The quick update must not write the rejected notice over the original's address:
    the full rebuild then refuses it, and shows the original as the last good page."""
    from site_builder.serve import Preview
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_SITE, content)
    preview = Preview(content, tmp_path / "preview")
    assert preview.rebuild() == []
    page = tmp_path / "preview" / NOTICE_URL.strip("/") / "index.html"
    before = page.read_bytes()
    copy = content / "notices/2016/another-team.ko.md"
    copy.write_text("---\ntitle: 같은 주소를 쓰려는 새 보도자료\ndepartment: welfare-policy\n"
                    "release: 2016-05-20\nslug: hongeun-support-team\n---\n새 본문.\n",
                    encoding="utf-8")
    assert not preview.show_edit([copy])
    assert page.read_bytes() == before
    errors = preview.rebuild()
    assert any("already used" in line for line in errors), errors
    shown = page.read_text(encoding="utf-8")
    assert "build-error" in shown and "홍은종합사회복지관" in shown
    assert "같은 주소를 쓰려는" not in shown


@pytest.mark.parametrize("preview_dir", ["output", "output/preview", "published/preview",
                                         "content", "content/.preview", "."])
def test_the_preview_is_never_built_into_the_output_or_the_content(tmp_path, preview_dir):
    """Drafts and embargoed bodies must not land in a folder that is published (a
    symlink to it counts too), nor in the content."""
    shutil.copytree(SAMPLE_SITE, tmp_path / "content")
    (tmp_path / "output").mkdir()
    (tmp_path / "published").symlink_to(tmp_path / "output")
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(_free_port()),
         "--content", "content", "--preview-dir", preview_dir, "--lang", "en"],
        cwd=tmp_path, capture_output=True, text=True, timeout=15)
    assert result.returncode == 2
    assert "overlap" in result.stderr and "Traceback" not in result.stderr
    assert list((tmp_path / "output").iterdir()) == []


def _serve(tmp_path, port, *extra):
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(SAMPLE_SITE, content)
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
         "--content", str(content), "--preview-dir", str(tmp_path / "preview"), *extra],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_port_in_use_is_one_clear_line_naming_it_and_port_before_any_preview(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _serve(tmp_path, port)
        try:
            out, err = process.communicate(timeout=60)
        finally:
            process.kill()
    assert process.returncode == 1
    assert "Preview at" not in out
    assert "Traceback" not in err and "Errno" not in err
    assert err.strip().splitlines() == [
        f"error: port {port} is already in use by another program (another preview, or a "
        f"web server such as python -m http.server); stop it, or choose another port with "
        f"--port, e.g. --port 8000."]


def test_a_port_out_of_range_is_a_usage_error(tmp_path):
    process = _serve(tmp_path, 99999)
    try:
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 2
    assert "--port 99999 is not a port" in err


@pytest.mark.parametrize("verbose", [False, True])
def test_the_preview_terminal_shows_only_our_own_lines_unless_verbose(tmp_path, verbose):
    port = _free_port()
    process = _serve(tmp_path, port, *(["--verbose"] if verbose else []))
    try:
        base = f"http://127.0.0.1:{port}"
        assert _wait_for(lambda: _get(base + "/ko/")[0] == 200), "the preview did not start"
        _get(base + "/no-such-page/")
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    lines = (out + err).strip().splitlines()
    assert any(line.startswith("Preview at") for line in lines)
    foreign = [line for line in lines if line.startswith(("[I ", "[W ", "[E "))]
    assert bool(foreign) is verbose, lines


def test_search_in_the_preview_finds_notices_and_an_edit_within_seconds(preview):
    """The preview's search page searches the preview: a notice is found, and a word
    just added to it is found once the preview has updated its year of the index."""
    from served_site import chromium
    base, content, _ = preview
    import re
    shards = re.search(r'data-shards="([^"]+)"', _get(base + "/ko/search/")[1]).group(1).split()
    assert all(_get(base + shard + "pagefind.js")[0] == 200 for shard in shards)

    def search(page, words: str) -> list[str]:
        try:
            page.goto(base + "/ko/search/?q=" + urllib.parse.quote(words))
            page.wait_for_function(
                "document.getElementById('search-status').textContent !== ''")
            return page.locator("#search-results .entry-title").all_inner_texts()
        except Exception:  # noqa: BLE001 - the preview reloaded the page meanwhile: again
            return []

    with chromium() as browser:
        page = browser.new_page()
        assert _wait_for(lambda: any("추진지원단" in title for title in search(page, "추진지원단")))
        path = content / NOTICE
        path.write_text(path.read_text(encoding="utf-8") + "\n무지개다리축제 안내.\n",
                        encoding="utf-8")
        assert _wait_for(lambda: any("추진지원단" in title
                                     for title in search(page, "무지개다리축제")), 30)
