"""The build cache: faster, never different. Output with the cache equals output without it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import NOW, SAMPLE_SITE, inodes, run_build, snapshot, write_files

NOTICE = "notices/2016/hongeun-support-team.ko.md"
OTHER_PAGE = "ko/notices/2021/01/daejeon-social-service-briefing/index.html"
EDITED_PAGE = "ko/notices/2016/05/hongeun-support-team/index.html"


@pytest.fixture
def work(tmp_path):
    shutil.copytree(SAMPLE_SITE, tmp_path / "content")
    return tmp_path


def build(work: Path, output: str = "out", *extra: str) -> Path:
    result = run_build("--content", "content", "--output", output, "--now", NOW.isoformat(),
                       *extra, cwd=work)
    assert result.returncode == 0, result.stderr
    return work / output


def uncached(work: Path) -> dict[str, bytes]:
    """The same content built from scratch, without any cache."""
    return snapshot(build(work, "fresh", "--no-cache"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_without_changes_rewrites_nothing_and_equals_a_fresh_build(work):
    first = inodes(build(work))
    out = build(work)
    assert inodes(out) == first  # every file hard-linked from the previous site
    assert snapshot(out) == uncached(work)


def test_a_notice_edit_updates_that_notice_and_the_lists_and_nothing_else(work):
    before = inodes(build(work))
    edit(work / "content" / NOTICE, "개최했다.", "개최했다고 밝혔다.")
    out = build(work)
    after = inodes(out)
    changed = {path for path in after if after[path] != before.get(path)}
    assert EDITED_PAGE in changed
    assert OTHER_PAGE not in changed
    assert "ko/feed.xml" in changed  # the feed carries the full text
    assert "en/notices/2016/05/hongeun-support-team/index.html" not in changed
    assert snapshot(out) == uncached(work)


def test_a_template_edit_rerenders_the_pages_that_use_it(work, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", templates)
    before = inodes(build(work, "out", "--templates", str(templates)))
    edit(templates / "partials" / "press_header.html", "<dl class=\"press-header\">",
         "<dl class=\"press-header\" data-edited>")
    out = build(work, "out", "--templates", str(templates))
    after = inodes(out)
    changed = {path for path in after if after[path] != before.get(path)}
    assert EDITED_PAGE in changed and OTHER_PAGE in changed
    assert "ko/departments/index.html" not in changed
    assert "data-edited" in (out / EDITED_PAGE).read_text(encoding="utf-8")
    fresh = build(work, "fresh", "--no-cache", "--templates", str(templates))
    assert snapshot(out) == snapshot(fresh)


def test_builds_one_after_another_each_equal_a_fresh_build(work):
    """From the third build on, each brings the site before the last (the spare beside
    the output) up to date and swaps it in: it must come out as a fresh build does."""
    notice, other = work / "content" / NOTICE, work / "content" / "notices" / "2021"
    build(work)
    steps = [lambda: edit(notice, "개최했다.", "개최했다고 밝혔다."),
             lambda: edit(notice, "개최했다고 밝혔다.", "개최했다."),  # back as two builds ago
             lambda: [p.unlink() for p in other.glob("daejeon-social-service-briefing*")],
             lambda: edit(notice, "개최했다.", "열었다.")]
    for step in steps:
        step()
        out = build(work)
        assert (work / ".out.spare").is_dir()
        assert snapshot(out) == uncached(work)
    assert OTHER_PAGE not in snapshot(out)


def test_tampered_records_of_the_output_or_its_spare_are_not_trusted(work):
    build(work)
    edit(work / "content" / NOTICE, "개최했다.", "개최했다고 밝혔다.")
    build(work)
    db = sqlite3.connect(work / ".cache" / "build.sqlite")
    assert db.execute("SELECT count(*) FROM sums").fetchone()[0] == 2  # the output, its spare
    # Say that the spare's copy of the edited page is the page as the output has it now.
    page = db.execute("SELECT recipe, data, search, size, mtime_ns, ino FROM files "
                      "WHERE site NOT LIKE 'spare:%' AND path = ?", (EDITED_PAGE,)).fetchone()
    db.execute("UPDATE files SET recipe = ?, data = ?, search = ? WHERE site LIKE 'spare:%' "
               "AND path = ?", (*page[:3], EDITED_PAGE))
    db.commit()
    db.close()
    another = next((work / "content" / "notices" / "2021").glob("*.ko.md"))
    another.write_text(another.read_text(encoding="utf-8") + "\n덧붙인 문단.\n", "utf-8")
    out = build(work)  # the edited page is as the last build made it, not the spare's
    assert "개최했다고 밝혔다." in (out / EDITED_PAGE).read_text(encoding="utf-8")
    assert snapshot(out) == uncached(work)


def test_a_tampered_cache_is_not_trusted(work):
    build(work)
    db = sqlite3.connect(work / ".cache" / "build.sqlite")
    db.execute("UPDATE bodies SET html = '<p>tampered</p>'")
    db.commit()
    db.close()
    edit(work / "content" / NOTICE, "개최했다.", "개최했다!")  # force a re-render
    out = build(work)
    assert not any(b"tampered" in data for data in snapshot(out).values())
    assert snapshot(out) == uncached(work)


@pytest.mark.parametrize("garbage", [b"not a database at all", b"SQLite format 3\x00" + b"\xff" * 200, b""])
def test_a_damaged_cache_of_ours_is_replaced(work, garbage):
    build(work)
    (work / ".cache" / "build.sqlite").write_bytes(garbage)
    out = build(work)
    assert snapshot(out) == uncached(work)
    assert build(work) == out  # and the rebuilt cache works


@pytest.mark.parametrize("garbage", [b"a user's notes", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_file_that_is_not_our_cache_is_refused_not_replaced(work, garbage):
    (work / "mine").mkdir()
    (work / "mine" / "build.sqlite").write_bytes(garbage)
    result = run_build("--content", "content", "--output", "out", "--cache", "mine",
                       "--now", NOW.isoformat(), cwd=work)
    assert result.returncode == 2
    assert "mine/build.sqlite is not a cache made by build.py" in result.stderr
    assert (work / "mine" / "build.sqlite").read_bytes() == garbage
    assert sorted(p.name for p in (work / "mine").iterdir()) == ["build.sqlite"]
    assert not (work / "out").exists()


def test_another_programs_sqlite_database_is_refused(work):
    db = sqlite3.connect(work / "users.sqlite")
    db.execute("CREATE TABLE users (name TEXT)")
    db.commit()
    db.close()
    (work / "data").mkdir()
    (work / "users.sqlite").rename(work / "data" / "build.sqlite")
    result = run_build("--content", "content", "--output", "out", "--cache", "data",
                       "--now", NOW.isoformat(), cwd=work)
    assert result.returncode == 2 and "is not a cache made by build.py" in result.stderr
    db = sqlite3.connect(work / "data" / "build.sqlite")
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name='users'").fetchone() == (1,)


def test_cached_html_edited_with_its_checksum_recomputed_is_not_trusted(work):
    """The checksum of a row is keyed: an unkeyed hash recomputed by whoever edits
    the database does not make the row trusted."""
    from site_builder.cache import digest
    build(work)
    db = sqlite3.connect(work / ".cache" / "build.sqlite")
    rows = db.execute("SELECT key, html, summary FROM bodies").fetchall()
    for key, html, summary in rows:
        html = html.replace("<p>", '<p><img src="x" onerror="alert(1)">', 1)
        db.execute("UPDATE bodies SET html = ?, checksum = ? WHERE key = ?",
                   (html, digest(key, html, summary), key))
    db.commit()
    db.close()
    (work / "content" / NOTICE).touch()  # not the no-change short cut
    out = build(work)
    assert not any(b"onerror" in data for data in snapshot(out).values())


def test_an_output_file_edited_by_hand_is_written_again(work):
    out = build(work)
    page = out / OTHER_PAGE
    original = page.read_bytes()
    page.write_bytes(b"defaced")
    build(work)
    assert page.read_bytes() == original


def test_an_output_file_replaced_by_a_link_is_written_again(work):
    """Even a link to the very file the last build wrote (moved out of the site, where
    it may change): the new site holds a file, not a link leading out of it."""
    out = build(work)
    page = out / OTHER_PAGE
    moved = work / "moved.html"
    page.rename(moved)
    page.symlink_to(moved)
    (work / "content" / NOTICE).touch()  # not the no-change short cut
    out = build(work)
    assert not (out / OTHER_PAGE).is_symlink()
    assert snapshot(out) == uncached(work)


def test_a_stale_search_index_is_not_reused(work):
    build(work)
    edit(work / "content" / NOTICE, "개최했다.", "개최했다 (검색시험낱말).")
    out = build(work)
    assert snapshot(out) == uncached(work)


def test_a_build_with_nothing_changed_does_nothing_and_says_so(work):
    out = build(work)
    before = inodes(out)
    result = run_build("--content", "content", "--output", "out", "--now", NOW.isoformat(),
                       cwd=work)
    assert "nothing had changed" in result.stdout
    assert "Built 5 notices" in result.stdout
    assert inodes(out) == before


def test_a_build_killed_after_its_swap_is_not_taken_for_done(work, monkeypatch):
    """Killed after the new site is in place but before the cache records it: the next
    build of the older content must not take the new site for its own (found by
    test_interrupt's random kills)."""
    from site_builder import engine
    from site_builder.cache import Cache
    shutil.copytree(work / "content", work / "new")
    edit(work / "new" / NOTICE, "title: ", "title: (수정) ")

    def build_from(folder: str) -> None:
        cache = Cache(work / ".cache" / "build.sqlite")
        try:
            engine.build(work / folder, work / "out", NOW, cache=cache)
        finally:
            cache.close()

    build_from("content")
    old = snapshot(work / "out")
    build_from("new")
    build_from("content")
    with monkeypatch.context() as patched:
        def killed(*args):
            raise KeyboardInterrupt  # as a SIGKILL would stop it: nothing more written
        patched.setattr(Cache, "store_build", killed)
        with pytest.raises(KeyboardInterrupt):
            build_from("new")
    assert snapshot(work / "out") != old  # the new site is in place
    build_from("content")
    assert snapshot(work / "out") == old


def test_a_release_time_passing_rebuilds_even_if_no_file_changed(work):
    (work / "content/notices/2026").mkdir(parents=True)
    (work / "content/notices/2026/soon.ko.md").write_text(
        "---\ntitle: 곧 공개될 보도자료\ndepartment: welfare-policy\n"
        "release: 2026-11-23T12:30:00+09:00\n---\n본문.\n", encoding="utf-8")
    page = "ko/notices/2026/11/soon/index.html"
    first = run_build("--content", "content", "--output", "out", "--now",
                      "2026-11-23T12:00:00+09:00", cwd=work)
    assert "1 embargoed" in first.stdout and not (work / "out" / page).exists()
    later = run_build("--content", "content", "--output", "out", "--now",
                      "2026-11-23T12:31:00+09:00", cwd=work)
    assert "nothing had changed" not in later.stdout
    assert (work / "out" / page).exists()
    earlier = run_build("--content", "content", "--output", "out", "--now",
                        "2026-11-23T12:10:00+09:00", cwd=work)
    assert "nothing had changed" not in earlier.stdout
    assert not (work / "out" / page).exists()


# -- what is rendered again -----------------------------------------------------------
# In-process builds of the sample site (too small to fork); the build reports the pages
# and feeds it made: an unchanged page is not rendered, only kept.

@pytest.fixture
def rendered():
    """The addresses of the pages and feeds the last build made."""
    return []


def build_in_process(work: Path, templates: Path | None = None):
    from site_builder.cache import Cache
    from site_builder.engine import build
    from site_builder.pipeline import TEMPLATES
    cache = Cache(work / ".cache" / "build.sqlite")
    try:
        return build(work / "content", work / "out", NOW, templates=templates or TEMPLATES,
                     cache=cache)
    finally:
        cache.close()


def renders(calls: list[str], work: Path, templates: Path | None = None) -> set[str]:
    calls[:] = ["/" + (path.removesuffix("index.html") if "/" in path else path)
                for path in build_in_process(work, templates).made]
    return set(calls)


def test_pages_whose_inputs_did_not_change_are_not_rendered_again(work, rendered):
    everything = renders(rendered, work)
    assert len(everything) > 30
    (work / "content" / NOTICE).touch()  # a newer file time, the same text
    assert renders(rendered, work) == set()
    assert snapshot(work / "out") == uncached(work)


def test_a_notice_edit_renders_that_notice_and_the_pages_listing_it(work, rendered):
    everything = renders(rendered, work)
    edit(work / "content" / NOTICE, "개최했다.", "개최했다고 밝혔다.")
    assert {url for url in renders(rendered, work) if not url.endswith(".xml")} == {
        "/ko/notices/2016/05/hongeun-support-team/"}
    assert "/en/feed.xml" not in rendered and "/ko/feed.xml" in rendered  # full text
    edit(work / "content" / NOTICE, "title: 찾아가는", "title: 새 제목, 찾아가는")
    again = renders(rendered, work)
    assert {"/ko/notices/2016/05/hongeun-support-team/", "/ko/", "/ko/notices/",
            "/ko/departments/welfare-policy/", "/ko/programs/visiting-community-center/"
            } <= again
    assert "/ko/notices/2021/01/daejeon-social-service-briefing/" not in again
    assert "/en/notices/2016/05/hongeun-support-team/" not in again  # its own text unchanged
    assert len(again) < len(everything) / 2
    assert snapshot(work / "out") == uncached(work)


def test_a_template_edit_renders_only_the_pages_using_that_template(work, rendered, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", templates)
    everything = renders(rendered, work, templates)
    edit(templates / "partials" / "press_header.html", "<dl class=\"press-header\">",
         "<dl class=\"press-header\" data-edited>")
    notices = {url for url in everything if "/notices/20" in url}
    assert renders(rendered, work, templates) == notices  # and no feed
    edit(templates / "strings" / "en.yaml", "\n", "\n# a comment changes nothing shown\n")
    assert renders(rendered, work, templates) == set()
    edit(templates / "base.html", "<body", "<body data-edited")
    assert renders(rendered, work, templates) == {
        url for url in everything if not url.endswith(".xml")} - {"/index.html"}


def test_front_matter_from_the_cache_gives_the_same_errors_and_lines(work):
    edit(work / "content" / NOTICE, "department: welfare-policy", "department: no-such-office")
    runs = [run_build("--content", "content", "--output", "out", "--now", NOW.isoformat(),
                      cwd=work) for _ in range(2)]
    db = sqlite3.connect(work / ".cache" / "build.sqlite")
    assert db.execute("SELECT count(*) FROM fronts").fetchone()[0] >= 9  # kept after the first
    db.close()
    assert runs[0].returncode == runs[1].returncode == 1
    assert f"content/{NOTICE}:6:" in runs[0].stderr
    assert runs[1].stderr == runs[0].stderr


def test_a_tampered_front_matter_entry_is_not_trusted(work):
    build(work)
    db = sqlite3.connect(work / ".cache" / "build.sqlite")
    db.execute("UPDATE fronts SET value = replace(value, '서대문', '조작된')")
    db.commit()
    db.close()
    (work / "content" / NOTICE).touch()  # not the no-change short cut
    out = build(work)
    assert not any("조작된".encode() in data for data in snapshot(out).values())
    assert snapshot(out) == uncached(work)


def test_a_template_edit_outside_the_notice_text_does_not_re_index(work, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", templates)
    before = inodes(build(work, "out", "--templates", str(templates)))
    edit(templates / "partials" / "footer.html", "</footer>", "<!-- edited -->\n</footer>")
    out = build(work, "out", "--templates", str(templates))
    after = inodes(out)
    index = [path for path in after if path.startswith("pagefind/")]
    assert index and all(after[path] == before[path] for path in index)  # linked, not rebuilt
    assert after[EDITED_PAGE] != before[EDITED_PAGE]  # the page itself is new
    fresh = build(work, "fresh", "--no-cache", "--templates", str(templates))
    assert snapshot(out) == snapshot(fresh)
    edit(templates / "notice.html", "data-pagefind-body>", "data-pagefind-body>\n<p>새 문단</p>")
    again = inodes(build(work, "out", "--templates", str(templates)))
    assert any(again[path] != after.get(path) for path in again if path.startswith("pagefind/"))


def test_what_the_search_index_reads_is_told_apart_from_the_rest_of_a_page():
    from site_builder.search import indexed_digest
    page = ('<html lang="ko"><head><title>제목</title></head><body><nav>메뉴</nav>'
            '<article data-pagefind-body><h1 data-pagefind-meta="title">제목</h1>'
            '<article>안쪽</article><p>본문</p></article><footer>꼬리</footer></body></html>')
    same = indexed_digest(page.encode())
    assert same and indexed_digest(page.replace("꼬리", "새 꼬리").replace("메뉴", "새 메뉴")
                                   .encode()) == same
    for changed in (page.replace("본문", "새 본문"), page.replace("안쪽", "새 안쪽"),
                    page.replace('lang="ko"', 'lang="en"'),
                    page.replace("<nav>", '<nav data-pagefind-filter="x">'),
                    page.replace("<nav>메뉴", "<nav><h1>다른 제목</h1>메뉴")):
        assert indexed_digest(changed.encode()) != same, changed
    assert indexed_digest(b"<html><body>no index here</body></html>") == ""


def test_the_sitemap_is_made_again_only_when_what_it_says_changed(work):
    assert build_in_process(work).bodies > 1
    edit(work / "content" / NOTICE, "개최했다.", "개최했다고 밝혔다.")
    report = build_in_process(work)
    assert "sitemap.xml" not in report.made
    assert report.bodies == 1  # the edited notice's: the others' came from the cache
    edit(work / "content" / NOTICE, "release: 2016-05-03\n", "release: 2016-05-03\n"
         "updated: 2016-05-09T10:00:00+09:00\n")
    assert "sitemap.xml" in build_in_process(work).made
    assert "<lastmod>2016-05-09T10:00:00+09:00</lastmod>" in \
        (work / "out" / "sitemap.xml").read_text(encoding="utf-8")
    assert snapshot(work / "out") == uncached(work)


# -- reading only what changed --------------------------------------------------------
# The plan reads and checks again only the notices whose files changed since the last
# build; the others come from the cache. `Plan.read` names the files it read.

PROGRAMS = {"content/programs/" + name for name in (
    "public-private-partnership.en.md", "public-private-partnership.ko.md",
    "silppuri-welfare.en.md", "silppuri-welfare.ko.md",
    "visiting-community-center.en.md", "visiting-community-center.ko.md")}
"""Programs are always read (there are few)."""


def plan_in_process(work: Path, cache: bool = True):
    from site_builder.cache import Cache
    from site_builder.engine import Session
    opened = Cache(work / ".cache" / "build.sqlite" if cache else None)
    try:
        return Session(work / "content", cache=opened).plan(NOW)
    finally:
        opened.close()


def problems_of(work: Path, cache: bool = True) -> list[str]:
    from site_builder.errors import ContentError
    with pytest.raises(ContentError) as failed:
        plan_in_process(work, cache)
    return [problem.format() for problem in failed.value.problems]


def notice_files(work: Path) -> set[str]:
    return {f"content/{p.relative_to(work / 'content').as_posix()}"
            for p in (work / "content" / "notices").rglob("*.md")}


def test_an_unchanged_notice_is_not_read_again_and_an_edited_one_is(work):
    assert set(plan_in_process(work).read) == notice_files(work) | PROGRAMS
    assert set(plan_in_process(work).read) == PROGRAMS
    edit(work / "content" / NOTICE, "department: welfare-policy", "department: no-such-office")
    assert problems_of(work) == problems_of(work, cache=False)
    assert any(f"content/{NOTICE}:6:" in line for line in problems_of(work))
    edit(work / "content" / NOTICE, "department: no-such-office", "department: welfare-policy")
    assert set(plan_in_process(work).read) == PROGRAMS | {  # the notice, its translation too
        f"content/{NOTICE}", f"content/{NOTICE}".replace(".ko.", ".en.")}
    out = build(work)
    assert snapshot(out) == uncached(work)


def test_a_deleted_and_a_renamed_notice_are_seen(work):
    build(work)
    (work / "content" / "notices/2016/hongeun-support-team.en.md").unlink()
    moved = work / "content" / "notices/2021/daejeon-social-service-briefing.ko.md"
    moved.rename(moved.with_name("daejeon-briefing.ko.md"))
    (moved.with_suffix(".md").parent / "daejeon-social-service-briefing.en.md").rename(
        moved.with_name("daejeon-briefing.en.md"))
    assert set(plan_in_process(work).read) == PROGRAMS | {
        "content/notices/2016/hongeun-support-team.ko.md",
        "content/notices/2021/daejeon-briefing.ko.md",
        "content/notices/2021/daejeon-briefing.en.md"}
    out = build(work)
    assert not (out / "en/notices/2016/05/hongeun-support-team").exists()
    assert not (out / "ko/notices/2021/01/daejeon-social-service-briefing").exists()
    assert snapshot(out) == uncached(work)


def test_a_department_edit_shows_on_unchanged_notices(work):
    build(work)
    edit(work / "content" / "departments.yaml", "en: Mapo-gu Office", "en: Mapo District Office")
    assert set(plan_in_process(work).read) == PROGRAMS
    out = build(work)
    assert any(b"Mapo District Office" in data for name, data in snapshot(out).items()
               if name.startswith("en/notices/2024/"))
    assert snapshot(out) == uncached(work)


def test_a_department_removed_or_named_as_a_contact_under_an_unchanged_notice(work):
    build(work)
    departments = work / "content" / "departments.yaml"
    text = departments.read_text("utf-8")
    edit(departments, "welfare-policy:", "welfare-policy-division:")
    cached = problems_of(work)
    assert cached == problems_of(work, cache=False)
    assert any(f"content/{NOTICE}:6:" in line for line in cached)
    departments.write_text(text.replace("서대문구 복지정책과", "박정숙"), "utf-8")
    cached = problems_of(work)  # the contact is now "still the placeholder"
    assert cached == problems_of(work, cache=False)
    assert any(f"content/{NOTICE}:" in line for line in cached)
    departments.write_text(text, "utf-8")
    assert set(plan_in_process(work).read) == PROGRAMS
    assert snapshot(build(work)) == uncached(work)


def test_a_settings_edit_checks_every_notice_again(work):
    build(work)
    edit(work / "content" / "site.yaml", "\n", "\n# a note\n")
    assert set(plan_in_process(work).read) == notice_files(work) | PROGRAMS
    assert set(plan_in_process(work).read) == PROGRAMS


def test_a_slug_taken_from_an_unchanged_notice_is_reported_as_a_cold_build_does(work):
    build(work)
    write_files(work / "content", {"notices/2016/a-second-release.ko.md": (
        "---\ntitle: 같은 주소\ndepartment: welfare-policy\nrelease: 2016-05-20\n"
        "slug: hongeun-support-team\n---\n본문.\n")})
    from site_builder.errors import ContentError
    with pytest.raises(ContentError):
        plan_in_process(work)
    cached = problems_of(work)
    assert cached == problems_of(work, cache=False)
    assert len(cached) == 1 and "hongeun-support-team" in cached[0]
    assert cached[0].startswith("content/notices/2016/hongeun-support-team.ko.md") or \
        cached[0].startswith("content/notices/2016/a-second-release.ko.md:5:")
    edit(work / "content" / "notices/2016/a-second-release.ko.md", "slug: hongeun-support-team",
         "slug: a-second-release")
    assert set(plan_in_process(work).read) == PROGRAMS | {
        "content/notices/2016/a-second-release.ko.md"}


def test_a_program_removed_under_an_unchanged_notice_is_reported(work):
    build(work)
    programs = {lang: work / "content" / f"programs/visiting-community-center.{lang}.md"
                for lang in ("ko", "en")}
    texts = {lang: path.read_bytes() for lang, path in programs.items()}
    for path in programs.values():
        path.unlink()
    cached = problems_of(work)
    assert cached == problems_of(work, cache=False)
    assert any(f"content/{NOTICE}:" in line and "visiting-community-center" in line
               for line in cached)
    for lang, path in programs.items():
        path.write_bytes(texts[lang])
    assert set(plan_in_process(work).read) == PROGRAMS  # the notice is as it was
    assert snapshot(build(work)) == uncached(work)


def test_an_attachment_replaced_under_an_unchanged_notice_shows_its_new_size(work):
    build(work)
    attachment = work / "content" / "static/attachments/2016/hongeun-support-team-summary.txt"
    attachment.write_bytes(attachment.read_bytes() * 3)
    assert f"content/{NOTICE}" in plan_in_process(work).read
    assert snapshot(build(work)) == uncached(work)


def test_a_tampered_checked_notice_is_not_trusted(work):
    build(work)
    db = sqlite3.connect(work / ".cache" / "build.sqlite")
    rows = db.execute("SELECT grp, value FROM checked").fetchall()
    assert rows
    for group, value in rows:
        db.execute("UPDATE checked SET value = ? WHERE grp = ?",
                   (value.replace("서대문".encode(), "조작된".encode()), group))
    db.commit()
    db.close()
    assert f"content/{NOTICE}" in plan_in_process(work).read  # its row was changed
    out = build(work)
    assert not any("조작된".encode() in data for data in snapshot(out).values())
    assert snapshot(out) == uncached(work)


def test_a_file_that_may_change_unseen_is_read_again(work):
    """A file whose time is that of the build itself (or later) could be written again
    within the same tick of the file system's clock, keeping its size and time: what
    checking it gave is not kept, so the next build reads it again."""
    path = work / "content" / NOTICE
    later = path.stat().st_mtime_ns + 3600 * 10 ** 9  # an hour ahead of now at least
    os.utime(path, ns=(later, max(later, time.time_ns() + 3600 * 10 ** 9)))
    stamp = path.stat()
    assert f"content/{NOTICE}" in plan_in_process(work).read
    text = path.read_text("utf-8")
    path.write_text(text.replace("개최했다.", "개최했음.", 1), "utf-8")  # the same size
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.stat().st_size == stamp.st_size and path.stat().st_ino == stamp.st_ino
    planned = plan_in_process(work)
    assert set(planned.read) == PROGRAMS | {  # not the other notices
        f"content/{NOTICE}", f"content/{NOTICE}".replace(".ko.", ".en.")}
    assert any("개최했음." in notice.texts["ko"].body for notice in planned.graph.site.notices)


# -- a build that reads only the notices changed since the last build of its output ----

def edit_before(path: Path, old: str, new: str) -> None:
    """An edit made a minute ago: a file changed just before a build is read again by
    the next one too (see the test above), which these tests do not look at."""
    edit(path, old, new)
    earlier = time.time_ns() - 60 * 10 ** 9
    os.utime(path, ns=(earlier, earlier))


def both(notice: str) -> set[str]:
    return {f"content/{notice}", f"content/{notice}".replace(".ko.", ".en.")}


def test_a_build_after_a_notice_edit_reads_that_notice_only_and_equals_a_fresh_build(work):
    build(work)
    edit_before(work / "content" / NOTICE, "개최했다.", "개최했다. 덧붙인 문장.")
    assert set(build_in_process(work).read) == both(NOTICE)  # not the programs either
    assert b"\xeb\x8d\xa7\xeb\xb6\x99\xec\x9d\xb8" in (work / "out" / EDITED_PAGE).read_bytes()
    assert snapshot(work / "out") == uncached(work)
    # Added, deleted and edited again on top of the notices read since the last full reading.
    added = "notices/2021/a-new-release.ko.md"
    write_files(work / "content", {added: (
        "---\ntitle: 새 보도자료\ndepartment: welfare-policy\nrelease: 2021-02-01\n---\n본문.\n")})
    earlier = time.time_ns() - 60 * 10 ** 9
    os.utime(work / "content" / added, ns=(earlier, earlier))
    (work / "content" / "notices/2016/seongbuk-welfare-award.en.md").unlink()
    edit_before(work / "content" / NOTICE, "덧붙인 문장.", "고친 문장.")
    assert set(build_in_process(work).read) == both(NOTICE) | {
        f"content/{added}", "content/notices/2016/seongbuk-welfare-award.ko.md"}
    assert snapshot(work / "out") == uncached(work)
    (work / "content" / added).unlink()
    assert build_in_process(work).read == ()
    assert not (work / "out" / "ko/notices/2021/02/a-new-release").exists()
    assert snapshot(work / "out") == uncached(work)


@pytest.mark.parametrize("line", [
    "release: 2016-05-20T12:00:00+09:00\nslug: hongeun-support-team",  # its month, its slug
    "release: 2016-12-07T12:50:00+09:00\n"
    "aliases: [/ko/notices/2021/01/daejeon-social-service-briefing/]"])
def test_an_edit_that_clashes_with_an_unchanged_notice_fails_as_a_cold_build_does(work, line):
    build(work)
    edit_before(work / "content" / "notices/2016/seongbuk-welfare-award.ko.md",
                "release: 2016-12-07T12:50:00+09:00", line)
    cached = run_build("--content", "content", "--output", "out", "--now", NOW.isoformat(),
                       cwd=work)
    cold = run_build("--content", "content", "--output", "cold", "--no-cache", "--now",
                     NOW.isoformat(), cwd=work)
    assert cached.returncode == cold.returncode == 1
    assert "seongbuk-welfare-award" in cached.stderr
    assert cached.stderr.replace("out/", "cold/") == cold.stderr


def test_a_warning_an_edit_brings_is_given_as_a_cold_build_gives_it(work):
    build(work)
    edit_before(work / "content" / NOTICE, "phone: 02-330-8632", "phone: 330-8632")
    for _ in range(2):  # and again by the build after it, as long as it holds
        cached = run_build("--content", "content", "--output", "out", "--now", NOW.isoformat(),
                           cwd=work)
        assert cached.returncode == 0 and "330-8632" in cached.stderr
        cold = run_build("--content", "content", "--output", "cold", "--no-cache", "--now",
                         NOW.isoformat(), cwd=work)
        assert cached.stderr.replace("out/", "cold/") == cold.stderr
    edit_before(work / "content" / NOTICE, "phone: 330-8632", "phone: 02-330-8632")
    assert "330-8632" not in build_in_process(work).warnings.__repr__()
    assert snapshot(work / "out") == uncached(work)


def test_a_tampered_record_of_the_notices_read_is_not_trusted(work):
    build(work)
    db = sqlite3.connect(work / ".cache" / "build.sqlite")
    rows = db.execute("SELECT site, value FROM sketches").fetchall()
    assert any("서대문".encode() in value for _, value in rows)
    for site, value in rows:
        db.execute("UPDATE sketches SET value = ? WHERE site = ?",
                   (value.replace("서대문".encode(), "조작된".encode()), site))
    db.commit()
    db.close()
    edit_before(work / "content" / NOTICE, "개최했다.", "개최했다. 덧붙인 문장.")
    assert set(build_in_process(work).read) > both(NOTICE)  # everything read again
    assert not any("조작된".encode() in data for data in snapshot(work / "out").values())
    assert snapshot(work / "out") == uncached(work)


def test_notices_under_a_link_are_read_every_time(work):
    """A link's target may change while the link does not."""
    build(work)
    year = work / "content" / "notices" / "2021"
    (work / "content" / "kept").mkdir()
    shutil.move(year, work / "content" / "kept" / "2021")
    year.symlink_to(work / "content" / "kept" / "2021")
    build(work)
    edit_before(work / "content" / "kept" / "2021" / "daejeon-social-service-briefing.ko.md", "\n---\n",
                "\nsubtitle: 링크 너머에서 고친 부제\n---\n")
    assert both("notices/2021/daejeon-social-service-briefing.ko.md") <= set(
        build_in_process(work).read)
    assert snapshot(work / "out") == uncached(work)
