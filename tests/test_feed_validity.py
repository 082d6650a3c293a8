"""Every feed the generator writes passes the W3C Feed Validation Service, checked offline
with its own code (vendored in tests/vendor/feedvalidator), the way the service reports it:
no errors, and no warnings but those listed here with their reason."""

from __future__ import annotations

import contextlib
import html
import shutil
import socket
import sys
from pathlib import Path
from unittest import mock

import pytest

from conftest import FIXTURE_SITE, NOW, SAMPLE_SITE, run_build, write_files
from official_site import official_content

sys.path.insert(0, str(Path(__file__).resolve().parent / "vendor"))
_timeout = socket.getdefaulttimeout()
import feedvalidator  # noqa: E402
from feedvalidator import compatibility  # noqa: E402
from feedvalidator.formatter.text_plain import Formatter  # noqa: E402
from feedvalidator.logging import TYPE_ATOM, TYPE_RSS2, Error  # noqa: E402
from feedvalidator.logging import Warning as Advice  # noqa: E402
socket.setdefaulttimeout(_timeout)  # importing it sets 10 s for the whole process

KNOWN_WARNINGS: dict[str, str] = {}
"""Warning message -> why it is acceptable. None today: every warning was fixed."""

RELATIVE_LINKS = ("---\n"
                  "title: 상대 주소 시험\n"
                  "department: welfare-policy\n"
                  "release: 2026-05-03\n"
                  "tags: [시험]\n"
                  "---\n"
                  "![행사 사진](photo.jpg)\n\n"
                  "[안내문](guide.html), [지난 소식](../../04/older/), [아래 표](#table),\n"
                  "[첨부](/static/attachments/2026/plan.pdf), [문의](mailto:press@example.go.kr),\n"
                  "[전화](tel:02-330-1280), [구청](https://www.sdm.go.kr/)\n")
"""A body whose links are relative to its own page, as staff write them."""
RELATIVE_PAGE = "https://example.go.kr/press/{lang}/notices/2026/05/relative-links/"


@contextlib.contextmanager
def no_network():
    """Every name lookup and connection refused, and recorded: the validator must not need
    one (it looks up the host of an e-mail address, and swallows the failure)."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args))
        raise OSError("no network in the tests")

    with contextlib.ExitStack() as stack:
        for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection"):
            stack.enter_context(mock.patch.object(socket, name, refuse))
        stack.enter_context(mock.patch.object(socket.socket, "connect", refuse))
        yield attempts
    assert attempts == [], f"the validator tried the network: {attempts}"


def validate(feed: bytes, url: str) -> tuple[int, list[str], list[str]]:
    """(feed type, errors, warnings) as the service reports them, the feed fetched from
    `url` (its own address: relative references and rel="self" are judged against it)."""
    with no_network():
        result = feedvalidator.validateString(feed, firstOccurrenceOnly=1, base=url)
    events = compatibility.AA(result["loggedEvents"])
    errors = Formatter([e for e in events if isinstance(e, Error)])
    warnings = Formatter([e for e in events if isinstance(e, Advice)])
    return result.get("feedType"), list(errors), list(warnings)


def base_url(content: Path) -> str:
    line = next(line for line in (content / "site.yaml").read_text(encoding="utf-8").splitlines()
                if line.startswith("base_url:"))
    return line.split(":", 1)[1].strip().rstrip("/") + "/"


def relative_links_site(target: Path) -> Path:
    """The fixture site at a base path, with one notice (ko and en) of relative links."""
    shutil.copytree(FIXTURE_SITE, target)
    settings = target / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "base_url: https://example.go.kr/", "base_url: https://example.go.kr/press/"),
        encoding="utf-8")
    english = RELATIVE_LINKS.replace("상대 주소 시험", "Relative links")
    return write_files(target, {"notices/2026/relative-links.ko.md": RELATIVE_LINKS,
                                "notices/2026/relative-links.en.md": english})


SITES = {"sample": lambda tmp: shutil.copytree(SAMPLE_SITE, tmp / "content"),
         "fixture": lambda tmp: shutil.copytree(FIXTURE_SITE, tmp / "content"),
         "relative links": lambda tmp: relative_links_site(tmp / "content"),
         "official, with 공공누리": lambda tmp: official_content(tmp / "content")}


@pytest.fixture(scope="module", params=sorted(SITES))
def built(request, tmp_path_factory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("validity")
    content = Path(SITES[request.param](tmp))
    out = tmp / "output"
    result = run_build("--content", str(content), "--output", str(out), "--now", NOW.isoformat(),
                       "--no-cache")
    assert result.returncode == 0, result.stderr
    return out, base_url(content)


def feeds_of(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xml")
                  if p.name != "sitemap.xml")


def test_every_feed_is_valid_to_the_w3c_feed_validator(built):
    out, base = built
    names = feeds_of(out)
    assert len(names) >= 11
    found = {}
    for name in names:
        kind, errors, warnings = validate((out / name).read_bytes(), base + name)
        assert kind == (TYPE_ATOM if name.endswith("atom.xml") else TYPE_RSS2), name
        unexplained = [w for w in warnings if not any(k in w for k in KNOWN_WARNINGS)]
        if errors or unexplained:
            found[name] = errors + unexplained
    assert found == {}


def test_relative_links_in_a_body_point_where_they_do_on_its_page(tmp_path):
    out = tmp_path / "output"
    result = run_build("--content", str(relative_links_site(tmp_path / "content")), "--output",
                       str(out), "--now", NOW.isoformat())
    assert result.returncode == 0, result.stderr
    for lang in ("ko", "en"):
        page = RELATIVE_PAGE.format(lang=lang)
        for name in (f"{lang}/feed.xml", f"{lang}/atom.xml"):
            feed = (out / name).read_text(encoding="utf-8")
            if name.endswith("atom.xml"):
                feed = html.unescape(feed)  # Atom's content is escaped HTML, RSS's is CDATA
            for ref in (f'src="{page}photo.jpg"', f'href="{page}guide.html"',
                        f'href="https://example.go.kr/press/{lang}/notices/2026/04/older/"',
                        f'href="{page}#table"',
                        'href="https://example.go.kr/press/static/attachments/2026/plan.pdf"',
                        'href="mailto:press@example.go.kr"', 'href="tel:02-330-1280"',
                        'href="https://www.sdm.go.kr/"'):
                assert ref in feed, (name, ref)


FEED = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
        "<link>https://example.go.kr/</link><description>d</description>{channel}"
        "<item><title>i</title><link>https://example.go.kr/a/</link>"
        '<guid isPermaLink="true">https://example.go.kr/a/</guid>{item}</item></channel></rss>')


def test_the_validator_reports_a_relative_link_in_content():
    item = '<content:encoded><![CDATA[<p><img src="photo.jpg" alt="x"></p>]]></content:encoded>'
    kind, errors, warnings = validate(FEED.format(channel="", item=item).encode(),
                                      "https://example.go.kr/feed.xml")
    assert kind == TYPE_RSS2 and errors == []
    assert any(w.endswith("content:encoded should not contain relative URL references")
               for w in warnings), warnings


def test_the_validator_is_kept_off_the_network():
    """An address it cannot check by its form alone it looks up: refused and reported."""
    editor = "<managingEditor>press@ex_ample.kr (Press Team)</managingEditor>"
    with pytest.raises(AssertionError, match="the validator tried the network"):
        validate(FEED.format(channel=editor, item="").encode(), "https://example.go.kr/feed.xml")
