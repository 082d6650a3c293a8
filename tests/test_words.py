"""The words inside Korean compound nouns that the search index gets (words.py): how
words are split, that each is split once across builds, and that the pages stay the same
with the cache or without it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, NOW, write_files
from site_builder import words
from site_builder.cache import open_cache
from site_builder.engine import build
from site_builder.errors import ContentError

HELPERS = re.compile(r'<div class="search-words" hidden data-pagefind-meta="helpers:(\d+)">'
                     r'(.*?)</div>', re.S)


def helpers_of(page: str) -> list[str]:
    found = HELPERS.search(page)
    return re.sub(r"<[^>]*>", " ", found.group(2)).split() if found else []


def test_a_compound_gives_the_suffixes_that_start_at_a_morpheme():
    cuts = words.split_words(["홍은종합사회복지관에서", "찾아가는동주민센터", "한빛구보건소가",
                              "동주민센터", "체육센터에서", "지원단을", "실뿌리복지동행센터"],
                             names=["마포", "실뿌리복지", "동행센터"])
    assert words.suffixes("홍은종합사회복지관에서", cuts["홍은종합사회복지관에서"]) == [
        "종합사회복지관", "사회복지관", "복지관"]
    assert words.suffixes("찾아가는동주민센터", cuts["찾아가는동주민센터"]) == [
        "동주민센터", "주민센터", "센터"]
    assert "보건소" in words.suffixes("한빛구보건소가", cuts["한빛구보건소가"])
    # Kiwi keeps 동주민센터 whole in its best reading: the close second one splits it.
    assert words.suffixes("동주민센터", cuts["동주민센터"]) == ["주민센터", "센터"]
    # Never a particle, nor a one-syllable noun alone (단 of 지원단을).
    assert words.suffixes("체육센터에서", cuts["체육센터에서"]) == ["센터"]
    assert words.suffixes("지원단을", cuts["지원단을"]) == []
    # Kiwi does not know 실뿌리복지동행센터; the program's name (마포 실뿌리복지 동행센터) splits it.
    assert "동행센터" in words.suffixes("실뿌리복지동행센터", cuts["실뿌리복지동행센터"])


def _page(out, slug: str, lang: str = "ko") -> str:
    return next(out.glob(f"{lang}/notices/*/*/{slug}/index.html")).read_text("utf-8")


def test_each_word_is_split_once_and_the_cache_keeps_it(tmp_path, monkeypatch):
    monkeypatch.delenv(words.STORE)  # the tests' shared words: only the cache here
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    cache = open_cache(tmp_path / "cache")
    words.forget()  # what earlier tests' builds left in this process
    before = len(words.runs)
    build(content, tmp_path / "out", NOW, cache=cache)
    assert len(words.runs) == before + 1  # one start of the analyzer for the whole site
    first = words.runs[-1]
    page = _page(tmp_path / "out", "support-team-agreement")
    assert "주민센터" in helpers_of(page) and "사회복지관" in helpers_of(page)
    count, block = HELPERS.search(page).groups()
    assert int(count) == len(helpers_of(page))  # search.js leaves that many words out
    assert '<p data-pagefind-weight="7">주민센터 센터 지원단</p>' in block  # the title's
    assert not helpers_of(_page(tmp_path / "out", "support-team-agreement", "en"))

    # An edit whose words were all split before does not start the analyzer, in a new
    # process too (only the cache knows them).
    words.forget()
    notice = content / "notices/2026/senior-lunch-service.ko.md"
    notice.write_text(notice.read_text("utf-8") + "\n홍은종합사회복지관과 협약.\n", "utf-8")
    build(content, tmp_path / "out", NOW, cache=cache)
    assert len(words.runs) == before + 1
    assert "종합사회복지관" in helpers_of(_page(tmp_path / "out", "senior-lunch-service"))

    # A new word starts it for that word only.
    words.forget()
    write_files(content, {"notices/2026/senior-lunch-service.ko.md":
                          notice.read_text("utf-8") + "\n무더위쉼터에서 쉬어 간다.\n\n" +
                          "가나다" * 2000 + "\n"})  # no word: not split, no helper words
    build(content, tmp_path / "out", NOW, cache=cache)
    assert len(words.runs) == before + 2 and words.runs[-1].words == 1 < first.words
    edited = helpers_of(_page(tmp_path / "out", "senior-lunch-service"))
    assert "쉼터" in edited and max(map(len, edited)) < 30
    cache.close()

    # Without a cache (and nothing known in the process) the pages are the same.
    words.forget()
    build(content, tmp_path / "fresh", NOW)
    assert len(words.runs) == before + 3
    for path in sorted((tmp_path / "out").rglob("*.html")):
        assert (tmp_path / "fresh" / path.relative_to(tmp_path / "out")).read_bytes() == \
            path.read_bytes(), path


def test_builds_given_a_word_folder_share_the_words_they_split(tmp_path, monkeypatch):
    monkeypatch.setenv(words.STORE, str(tmp_path / "words"))
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    words.forget()
    build(content, tmp_path / "one", NOW)  # no cache: the analyzer, once
    before = len(words.runs)
    words.forget()
    build(content, tmp_path / "two", NOW)  # another process would know them as well
    assert len(words.runs) == before
    page = "ko/notices/2026/05/support-team-agreement/index.html"
    assert (tmp_path / "one" / page).read_bytes() == (tmp_path / "two" / page).read_bytes()


def test_an_edit_gathers_the_words_of_the_pages_it_makes_only(tmp_path, monkeypatch):
    """At 10,000 notices, gathering every page's words took longer than the edited
    notice's pages take to make: an edit looks at the words of the pages it renders."""
    monkeypatch.delenv(words.STORE)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    cache = open_cache(tmp_path / "cache")
    words.forget()
    build(content, tmp_path / "out", NOW, cache=cache)
    everything = words.runs[-1].words
    # Nothing known any more, in the process or the cache: what the next build asks
    # the analyzer for is every word it looked at.
    words.forget()
    with cache.db:
        cache.db.execute("DELETE FROM words")
    notice = content / "notices/2026/senior-lunch-service.ko.md"
    notice.write_text(notice.read_text("utf-8") + "\n무더위쉼터에서 쉬어 간다.\n", "utf-8")
    before = len(words.runs)
    build(content, tmp_path / "out", NOW, cache=cache)
    assert len(words.runs) == before + 1
    page = _page(tmp_path / "out", "senior-lunch-service")
    assert "쉼터" in helpers_of(page)
    asked = words.runs[-1].words
    # At most the long Hangul words the page shows (its notice's and a few of the UI's).
    assert asked <= len(set(re.findall("(?<![가-힣])[가-힣]{3,30}(?![가-힣])", re.sub(
        r"<[^>]*>", " ", page.split('class="search-words"')[0]))))
    assert asked < everything
    cache.close()


def _analyzers() -> list[int]:
    """This process's children that run the word analyzer."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            parent = re.search(r"PPid:\s+(\d+)", status.read_text())[1]
            command = (status.parent / "cmdline").read_bytes()
        except (OSError, TypeError):
            continue
        if int(parent) == os.getpid() and b"site_builder.words" in command:
            found.append(int(status.parent.name))
    return found


def test_the_analyzer_starts_while_the_content_is_read_and_never_outlives_a_build(
        tmp_path, monkeypatch):
    """A build that knows no word starts the analyzer before reading (loading Kiwi
    takes longer than reading a small site); it is stopped whatever the build's end."""
    monkeypatch.delenv(words.STORE)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    started: list[words.Analyzer] = []
    real = words.Analyzer.__init__

    def counting(self, *args, **kwargs):
        real(self, *args, **kwargs)
        started.append(self)
    monkeypatch.setattr(words.Analyzer, "__init__", counting)
    from site_builder import pipeline
    read = pipeline.read_site
    running: list[bool] = []  # at each reading, whether an analyzer was running
    monkeypatch.setattr(pipeline, "read_site", lambda *a, **k: running.append(
        bool(started) and started[-1].process.poll() is None) or read(*a, **k))
    from site_builder import engine
    monkeypatch.setattr(engine, "read_site", pipeline.read_site)
    words.forget()
    build(content, tmp_path / "out", NOW, cache=open_cache(tmp_path / "cache"))
    assert len(started) == 1 and running == [True] and not _analyzers()
    assert "주민센터" in helpers_of(_page(tmp_path / "out", "support-team-agreement"))

    # Content with an error: the analyzer started early is stopped with the build.
    write_files(content, {"notices/2026/senior-lunch-service.ko.md": "---\ntitle: [\n---\n"})
    with pytest.raises(ContentError):
        build(content, tmp_path / "bad", NOW)
    assert len(started) == 2 and running == [True, True]
    assert started[1].process.poll() is not None and not _analyzers()

    # Every word known to the cache: not started at all.
    words.forget()
    shutil.rmtree(content)
    shutil.copytree(FIXTURE_SITE, content)
    build(content, tmp_path / "again", NOW, cache=open_cache(tmp_path / "cache"))
    assert len(started) == 2 and running == [True, True, False]
