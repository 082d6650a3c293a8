"""A site residents trust as their district's own: the KRDS masthead and identifier, the
legal footer, 공공누리 (KOGL) on notices and feeds, icons, the 404 page, and English pages
in English (romanized names, names and titles per language, tags.yaml), as a resident
and a communications officer meet them."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, NOW, SAMPLE_SITE, run_build, site_copy, write_files  # noqa: F401
from official_site import official_content
from site_builder.romanize import romanize_name

AGREEMENT = "/{lang}/notices/2026/05/support-team-agreement/index.html"
FESTIVAL = "/{lang}/notices/2026/06/library-reading-festival/index.html"
ATOM = "{http://www.w3.org/2005/Atom}"


def build(content: Path, out: Path, *args: str) -> Path:
    result = run_build("--content", str(content), "--output", str(out), "--now",
                       NOW.isoformat(), "--no-cache", *args)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def official(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("official")
    return build(official_content(root / "content"), root / "out")


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    """The fixture site as it is: none of the new settings."""
    return build(FIXTURE_SITE, tmp_path_factory.mktemp("plain") / "out")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build(SAMPLE_SITE, tmp_path_factory.mktemp("sample") / "out")


def page(out: Path, path: str, lang: str = "ko") -> str:
    return (out / path.format(lang=lang).lstrip("/")).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """The page's words, tags removed, spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split()).replace(" )", ")").replace("( ", "(")


def footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">'):]


def failed(content: Path) -> list[str]:
    result = run_build("--content", str(content), "--output", str(content.parent / "out"),
                       "--now", NOW.isoformat())
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("content/")]


# -- site.yaml: the new settings, checked -------------------------------------------------

def test_wrong_identity_settings_are_each_named_at_their_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    site = (content / "site.yaml").read_text(encoding="utf-8")
    lines = len(site.splitlines())
    write_files(content, {"site.yaml": site + "official: yes please\nlicense: cc-by\n"
                          "privacy_policy: javascript:alert(1)\ncopyright_policy: copyright.html\n"
                          "logo: static/emblem.svg\n"})
    problems = failed(content)
    assert problems == [
        f"content/site.yaml:{lines + 1}: 'official' should be true or false.",
        f"content/site.yaml:{lines + 2}: 'license: cc-by' is not a 공공누리 type; use one of: "
        "kogl-1, kogl-2, kogl-3, kogl-4, none (none: no licence is shown).",
        f"content/site.yaml:{lines + 3}: 'privacy_policy: javascript:alert(1)' must be the "
        "address of the page, like https://www.example.go.kr/privacy/ or /privacy/.",
        f"content/site.yaml:{lines + 4}: 'copyright_policy: copyright.html' must be the "
        "address of the page, like https://www.example.go.kr/privacy/ or /privacy/.",
        f"content/site.yaml:{lines + 5}: the logo 'static/emblem.svg' does not exist; put the "
        "file in content/static/ or fix the path."]


def test_a_logo_that_is_not_a_picture_and_a_wrong_notice_license_are_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    site = (content / "site.yaml").read_text(encoding="utf-8")
    notice = (content / "notices/2026/senior-lunch-service.ko.md").read_text(encoding="utf-8")
    write_files(content, {
        "site.yaml": site + "logo: attachments/2026/kimjang-volunteers.pdf\n",
        "notices/2026/senior-lunch-service.ko.md": notice.replace("---\n", "---\nlicense: kogl-5\n", 1)})
    problems = failed(content)
    assert any("'logo: attachments/2026/kimjang-volunteers.pdf' should be a picture" in p
               for p in problems), problems
    assert "content/notices/2026/senior-lunch-service.ko.md:2: 'license: kogl-5' is not a " \
           "공공누리 type; use one of: kogl-1, kogl-2, kogl-3, kogl-4, none (none: no licence " \
           "is shown)." in problems


def test_a_translation_may_not_state_another_license(tmp_path):
    content = official_content(tmp_path / "content")
    english = content / "notices/2026/library-reading-festival.en.md"
    english.write_text(english.read_text(encoding="utf-8").replace("---\n", "---\nlicense: kogl-1\n", 1),
                       encoding="utf-8")
    assert "content/notices/2026/library-reading-festival.en.md:2: 'license' is taken from " \
           "library-reading-festival.ko.md and must not differ in a translation; remove this " \
           "line." in failed(content)


def test_the_main_phone_is_checked_like_every_phone(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    site = (content / "site.yaml").read_text(encoding="utf-8")
    (content / "site.yaml").write_text(site + "phone: 330-1114\n", encoding="utf-8")
    result = run_build("--content", str(content), "--output", str(tmp_path / "out"), "--now",
                       NOW.isoformat())
    assert result.returncode == 0
    assert f"warning: content/site.yaml:{len(site.splitlines()) + 1}: the phone number " \
           "'330-1114' has no area code" in result.stderr


# -- masthead and identifier ----------------------------------------------------------------

def test_an_official_site_says_so_on_every_page_in_its_language(official):
    pages = sorted(official.rglob("*.html"))
    assert len(pages) > 25
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue  # an old address, sending the reader on at once
        english = html.startswith('<!doctype html>\n<html lang="en"')
        if path.name == "index.html" and path.parent == official:  # the chooser: both
            assert "이 누리집은 대한민국 공식 전자정부 누리집입니다." in html
            assert "An official website of the Republic of Korea" in html
        elif english:
            assert "An official website of the Republic of Korea" in html, path
        else:
            assert "이 누리집은 대한민국 공식 전자정부 누리집입니다." in html, path


def test_the_header_shows_the_emblem_beside_the_site_title(official, plain):
    html = page(official, AGREEMENT, "en")
    title = re.search(r'<a class="site-title" href="/en/">(.*?)</a>', html).group(1)
    assert title == '<img class="logo" src="/static/emblem.svg" alt="">' \
                    "Seodaemun-gu Press Releases (test)"
    assert (official / "static/emblem.svg").is_file()
    assert 'class="logo"' not in page(plain, AGREEMENT)


def test_the_identifier_names_the_site_at_the_foot_of_an_official_site(official, plain):
    assert "이 누리집은 서대문구 보도자료 (시험용) 누리집입니다." in page(official, AGREEMENT)
    assert "This is the website of Seodaemun-gu Press Releases (test)." in \
        page(official, AGREEMENT, "en")
    assert 'class="identifier"' not in page(plain, AGREEMENT)


def test_the_sample_site_never_claims_to_be_a_government_site(sample):
    for path in sample.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "공식 전자정부" not in html and "official website" not in html.lower(), path
        assert 'class="masthead"' not in html and 'class="identifier"' not in html, path
        assert "개인정보처리방침" not in html and "Privacy policy" not in html, path


# -- footer --------------------------------------------------------------------------------

def test_the_footer_gives_address_phone_policies_press_office_and_feeds(official):
    ko, en = footer(page(official, AGREEMENT)), footer(page(official, AGREEMENT, "en"))
    words = text_of(ko)
    assert "주소: (03718) 서울특별시 서대문구 연희로 248" in words
    assert "대표전화: 02-330-1114" in words and 'href="tel:023301114"' in ko
    assert "홍보과 언론팀 · 02-330-8708" in words
    assert 'href="/ko/feed.xml"' in ko and 'href="/ko/atom.xml"' in ko
    assert "Address: 248 Yeonhui-ro, Seodaemun-gu, Seoul 03718" in text_of(en)
    assert "Main phone: 02-330-1114" in text_of(en)
    # The privacy policy first among the policy links, and set apart (KRDS: .point).
    privacy = '<a class="privacy" href="https://www.example.go.kr/privacy/"><strong>개인정보처리방침</strong></a>'
    assert privacy in ko
    assert ko.index(privacy) < ko.index('<a href="/copyright/">저작권 정책</a>')
    assert '<strong>Privacy policy</strong>' in en and "Copyright policy" in en


def test_a_site_without_the_settings_keeps_its_footer(plain):
    html = footer(page(plain, AGREEMENT))
    assert "footer-policies" not in html and "<address>" not in html
    assert "홍보과 언론팀" in html and 'href="/ko/feed.xml"' in html


# -- 공공누리 ---------------------------------------------------------------------------------

def test_each_notice_page_shows_its_kogl_type_with_mark_words_and_link(official):
    ko = page(official, AGREEMENT)
    block = re.search(r'<p class="license".*?</p>', ko).group(0)
    assert 'href="https://www.kogl.or.kr/info/licenseType1.do"' in block
    assert 'src="/assets/kogl/type1.svg"' in block
    assert "공공누리 제1유형: 출처표시" in text_of(block)
    assert "KOGL Type 1: Source Indication" in text_of(page(official, AGREEMENT, "en"))
    mark = (official / "assets/kogl/type1.svg").read_text(encoding="utf-8")
    assert mark.startswith("<svg") and "kogl.or.kr" in mark and len(mark) < 4096
    # The notice's own license: overrides the site's.
    festival = page(official, FESTIVAL)
    assert "공공누리 제3유형: 출처표시+변경금지" in text_of(festival)
    assert 'src="/assets/kogl/type3.svg"' in festival and (official / "assets/kogl/type3.svg").is_file()


def test_the_license_is_in_the_json_ld_of_each_notice(official, plain):
    def article(html):
        return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                    html).group(1))
    assert article(page(official, AGREEMENT))["license"] == \
        "https://www.kogl.or.kr/info/licenseType1.do"
    assert article(page(official, FESTIVAL, "en"))["license"] == \
        "https://www.kogl.or.kr/info/licenseType3.do"
    assert "license" not in article(page(plain, AGREEMENT))
    assert 'class="license"' not in page(plain, AGREEMENT)


def test_every_feed_states_the_site_license_and_atom_the_notices_own(official, plain):
    rss = ET.parse(official / "ko/feed.xml").getroot()
    assert rss.findtext("channel/copyright") == \
        "공공누리 제1유형: 출처표시 (https://www.kogl.or.kr/info/licenseType1.do)"
    assert ET.parse(official / "en/departments/welfare-policy/feed.xml").getroot().findtext(
        "channel/copyright").startswith("KOGL Type 1: Source Indication")
    atom = ET.parse(official / "en/atom.xml").getroot()
    assert atom.findtext(f"{ATOM}rights") == \
        "KOGL Type 1: Source Indication (https://www.kogl.or.kr/info/licenseType1.do)"
    rights = {entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}rights")
              for entry in atom.iter(f"{ATOM}entry")}
    assert [r for r in rights.values() if r] == [
        "KOGL Type 3: Source Indication + Change Prohibition "
        "(https://www.kogl.or.kr/info/licenseType3.do)"]
    assert b"<copyright>" not in (plain / "ko/feed.xml").read_bytes()
    assert b"<rights>" not in (plain / "ko/atom.xml").read_bytes()


# -- icons and the 404 page ----------------------------------------------------------------

def test_every_page_names_an_icon_that_exists(official, plain):
    for out, icon in ((official, "/static/emblem.svg"), (plain, "/assets/icon.svg")):
        for path in out.rglob("*.html"):
            html = path.read_text(encoding="utf-8")
            assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in html, path
            touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', html).group(1)
            assert (out / touch.lstrip("/")).is_file(), path
    png = (plain / "assets/apple-touch-icon.png").read_bytes()
    assert png.startswith(b"\x89PNG") and png[16:24] == (180).to_bytes(4, "big") * 2


def test_the_404_page_has_the_header_and_a_way_on_in_every_language(official):
    html = page(official, "/404.html")
    assert '<header class="site-header">' in html and 'class="main-nav' in html
    assert '<meta name="robots" content="noindex">' in html and 'rel="canonical"' not in html
    for lang, search in (("ko", "보도자료 검색"), ("en", "Search press releases")):
        section = re.search(rf'<section lang="{lang}">.*?</section>', html, re.S).group(0)
        assert f'<a href="/{lang}/search/">{search}</a>' in section
        assert f'<a href="/{lang}/notices/">' in section and f'<a href="/{lang}/">' in section
    # The language switch leads to the other language's home, not to the 404 again.
    assert '<a href="/en/" lang="en" hreflang="en">English</a>' in html


# -- English pages in English --------------------------------------------------------------

@pytest.mark.parametrize("korean, english", [
    ("송미란", "Song Mi-ran"), ("박정숙", "Park Jeong-suk"), ("김수진", "Kim Su-jin"),
    ("이하늘", "Lee Ha-neul"), ("최민호", "Choi Min-ho"), ("정지현", "Jeong Ji-hyeon"),
    ("남궁민수", "Namgung Min-su"), ("오세영", "Oh Se-yeong")])
def test_korean_names_are_romanized_surname_first(korean, english):
    assert romanize_name(korean) == english


@pytest.mark.parametrize("name", ["홍보과 언론팀", "Kim Su-jin", "김", "김 수진"])
def test_what_is_not_a_korean_name_is_left_as_written(name):
    assert romanize_name(name) is None


def test_english_pages_show_contacts_in_latin_letters_with_the_hangul_beside(official):
    en = page(official, AGREEMENT, "en")
    assert 'Park Jeong-suk (<span lang="ko">박정숙</span>)' in en
    # A name given per language is used as given.
    assert 'Jung Ji-hyun (<span lang="ko">정지현</span>)' in en
    ko = page(official, AGREEMENT)
    assert "팀장</span> 정지현 <a" in ko and "Jung Ji-hyun" not in ko


def test_attachment_titles_and_tags_are_in_english_where_given(official):
    en = page(official, AGREEMENT, "en")
    assert ">Summary of the agreement (PDF, 1.5 KB)</a>" in en
    assert "<li>Welfare</li><li>Public-private partnership</li>" in en
    assert ">협약서 요약 (PDF, 1.5 KB)</a>" in page(official, AGREEMENT)
    # A tag tags.yaml does not name stays in Korean, marked as Korean.
    assert '<li lang="ko">문화</li><li lang="ko">독서</li>' in page(official, FESTIVAL, "en")


def test_check_lists_the_tags_without_an_english_label(tmp_path):
    content = official_content(tmp_path / "content")
    result = run_build("check", "--content", str(content), "--now", NOW.isoformat())
    lines = result.stdout + result.stderr
    for tag in ("문화", "독서", "나눔", "어르신", "청년"):
        assert f"note: the tag '{tag}' has no English label in tags.yaml" in lines, tag
    assert "the tag '복지'" not in lines and "the tag '민관협력'" not in lines


def test_a_wrong_tags_yaml_is_named_at_its_line(tmp_path):
    content = official_content(tmp_path / "content")
    (content / "tags.yaml").write_text("복지: Welfare\n문화: {fr: Culture}\n독서: [a, b]\n",
                                       encoding="utf-8")
    problems = failed(content)
    assert "content/tags.yaml:2: 'fr' is not a known language. Known languages: en." in problems
    assert any(p.startswith("content/tags.yaml:3: ") for p in problems), problems


def test_a_name_and_a_title_per_language_may_be_written_on_their_own_lines(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    notice = content / "notices/2026/support-team-agreement.ko.md"
    text = notice.read_text(encoding="utf-8").replace(
        "  - {role: officer, name: 신윤경, phone: 02-330-1629, email: welfare@example.go.kr}\n",
        "  - role: officer\n    name: {ko: 신윤경, en: Shin Yoon-kyung}\n    phone: 02-330-1629\n"
    ).replace("  - {file: attachments/2026/support-team-agreement.pdf, title: 협약서 요약}\n",
              "  - file: attachments/2026/support-team-agreement.pdf\n"
              "    title: {ko: 협약서 요약, en: Agreement summary}\n")
    notice.write_text(text, encoding="utf-8")
    out = build(content, tmp_path / "out")
    en = page(out, AGREEMENT, "en")
    assert 'Shin Yoon-kyung (<span lang="ko">신윤경</span>)' in en
    assert ">Agreement summary (PDF, 1.5 KB)</a>" in en
    ko = page(out, AGREEMENT)
    assert "담당자</span> 신윤경 <a" in ko and ">협약서 요약 (PDF, 1.5 KB)</a>" in ko
