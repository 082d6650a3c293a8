"""site.yaml and departments.yaml: good settings, defaults, and every bad setting's message."""

from __future__ import annotations

import pytest

from site_builder.config import validate_config, validate_departments
from site_builder.load import parse_yaml

NAME = "content/site.yaml"
DEPTS = "content/departments.yaml"
GOOD = """\
title: {ko: 서대문구 보도자료, en: Seodaemun-gu Press Releases}
base_url: https://news.example.go.kr/
languages: [ko, en]
timezone: Asia/Seoul
per_page: 20
feed_items: 50
untranslated: show
press_office: {name: {ko: 홍보과 언론팀, en: Press Team}, phone: 02-330-8708}
"""
MINIMAL = """\
title: {ko: 보도자료, en: Press Releases}
base_url: https://news.example.go.kr/
languages: [ko, en]
"""


def config(text: str):
    """(SiteConfig or None, formatted problems)."""
    data, problems = parse_yaml(text, NAME)
    problems = list(problems)
    result = validate_config(data, NAME, problems)
    return result, [p.format() for p in problems]


def departments(text: str, languages=("ko", "en")):
    data, problems = parse_yaml(text, DEPTS)
    problems = list(problems)
    result = validate_departments(data, DEPTS, languages, problems)
    return result, [p.format() for p in problems]


def replace(text: str, key: str, line: str | None) -> str:
    """`text` with the line of `key` replaced by `line` (or removed)."""
    out = [line if row.startswith(f"{key}:") else row for row in text.splitlines()]
    return "".join(row + "\n" for row in out if row is not None)


def test_the_contract_example_is_a_good_config():
    site, problems = config(GOOD)
    assert problems == []
    assert dict(site.title) == {"ko": "서대문구 보도자료", "en": "Seodaemun-gu Press Releases"}
    assert site.base_url == "https://news.example.go.kr/"
    assert site.languages == ("ko", "en")
    assert site.primary == "ko"
    assert (site.timezone, site.per_page, site.feed_items, site.untranslated) == (
        "Asia/Seoul", 20, 50, "show")
    assert dict(site.press_office.name) == {"ko": "홍보과 언론팀", "en": "Press Team"}
    assert site.press_office.phone == "02-330-8708"


def test_defaults_for_everything_but_title_base_url_and_languages():
    site, problems = config(MINIMAL)
    assert problems == []
    assert (site.timezone, site.per_page, site.feed_items, site.untranslated) == (
        "Asia/Seoul", 20, 50, "show")
    assert site.press_office is None


def test_settings_other_than_the_defaults_are_used():
    site, problems = config(MINIMAL + "timezone: Europe/London\nper_page: 5\nfeed_items: 10\n"
                                      "untranslated: hide\n")
    assert problems == []
    assert (site.timezone, site.per_page, site.feed_items, site.untranslated) == (
        "Europe/London", 5, 10, "hide")


@pytest.mark.parametrize("written, expected", [
    ("https://news.example.go.kr", "https://news.example.go.kr/"),
    ("https://news.example.go.kr/", "https://news.example.go.kr/"),
    ("https://example.go.kr/press", "https://example.go.kr/press/"),
    ("http://localhost:8000", "http://localhost:8000/"),
])
def test_base_url_gets_a_trailing_slash(written, expected):
    site, problems = config(replace(MINIMAL, "base_url", f"base_url: {written}"))
    assert problems == []
    assert site.base_url == expected


def test_english_first_makes_english_the_primary_language():
    site, problems = config(replace(MINIMAL, "languages", "languages: [en, ko]"))
    assert problems == []
    assert site.primary == "en"


def test_a_plain_title_counts_for_every_language():
    site, problems = config(replace(MINIMAL, "title", "title: 보도자료"))
    assert problems == []
    assert dict(site.title) == {"ko": "보도자료", "en": "보도자료"}


BAD = [
    ("base_url", "base_url: news.example.go.kr",
     "content/site.yaml:2: 'base_url: news.example.go.kr' must be an absolute address like "
     "https://news.example.go.kr/."),
    ("base_url", "base_url: /press/",
     "content/site.yaml:2: 'base_url: /press/' must be an absolute address like "
     "https://news.example.go.kr/."),
    ("base_url", "base_url: ftp://news.example.go.kr/",
     "content/site.yaml:2: 'base_url: ftp://news.example.go.kr/' must be an absolute address "
     "like https://news.example.go.kr/."),
    ("base_url", None, "content/site.yaml:1: 'base_url' is missing; it is required."),
    ("title", None, "content/site.yaml:1: 'title' is missing; it is required."),
    ("title", "title: {ko: 보도자료}",
     "content/site.yaml:1: 'title' has no text for en; give one per language, "
     "e.g. {ko: ..., en: ...}."),
    ("title", "title: {ko: 보도자료, en: Press, fr: Presse}",
     "content/site.yaml:1: 'fr' is not a known language. Known languages: ko, en."),
    ("languages", None, "content/site.yaml:1: 'languages' is missing; it is required."),
    ("languages", "languages: [ko, fr]",
     "content/site.yaml:3: language 'fr' is not supported; the generator has UI text for: ko, en."),
    ("languages", "languages: [ko, ko]",
     "content/site.yaml:3: a language is listed twice in 'languages'."),
    ("timezone", "timezone: Asia/Busan",
     "content/site.yaml:4: 'timezone: Asia/Busan' is not a known time zone; "
     "use a name like Asia/Seoul."),
    ("per_page", "per_page: 0", "content/site.yaml:5: 'per_page' should be a whole number of "
                                "at least 1."),
    ("per_page", "per_page: twenty", "content/site.yaml:5: 'per_page' should be a whole number "
                                     "of at least 1."),
    ("per_page", "per_page: 2.5", "content/site.yaml:5: 'per_page' should be a whole number "
                                  "of at least 1."),
    ("feed_items", "feed_items: -1", "content/site.yaml:6: 'feed_items' should be a whole number "
                                     "of at least 1."),
    ("untranslated", "untranslated: maybe",
     "content/site.yaml:7: 'untranslated: maybe' is not allowed; use one of: show, hide."),
    ("press_office", "press_office: {phone: 02-330-8708}",
     "content/site.yaml:8: 'name' is missing; it is required."),
    ("press_office", "press_office: {name: 홍보과, phnoe: 02-330-8708}",
     "content/site.yaml:8: 'phnoe' is not a known field. Did you mean 'phone'? "
     "Known fields: name, phone."),
]
@pytest.mark.parametrize("key, line, expected", [
    pytest.param(key, line, expected, id=f"{key}:{line}") for key, line, expected in BAD])
def test_each_bad_setting_has_its_own_message(key, line, expected):
    site, problems = config(replace(GOOD, key, line))
    assert problems == [expected]


@pytest.mark.parametrize("line", ["languages: ko", "languages: []"])
def test_languages_that_is_not_a_list_of_codes_is_reported_on_its_line(line):
    site, problems = config(replace(GOOD, "languages", line))
    assert site is None
    assert len(problems) == 1 and problems[0].startswith("content/site.yaml:3: ")


def test_a_bad_setting_leaves_the_others_checked_too():
    site, problems = config(replace(replace(GOOD, "per_page", "per_page: 0"),
                                    "untranslated", "untranslated: never"))
    assert problems == [
        "content/site.yaml:5: 'per_page' should be a whole number of at least 1.",
        "content/site.yaml:7: 'untranslated: never' is not allowed; use one of: show, hide."]


def test_an_unknown_setting_suggests_the_nearest():
    site, problems = config(GOOD + "per_pgae: 10\n")
    assert problems == [
        "content/site.yaml:9: 'per_pgae' is not a known setting. Did you mean 'per_page'? "
        "Known settings: title, description, base_url, languages, timezone, per_page, "
        "feed_items, untranslated, press_office, official, address, phone, privacy_policy, "
        "copyright_policy, license, logo."]


def test_site_yaml_that_is_not_a_mapping_is_an_error():
    site, problems = config("- title\n- base_url\n")
    assert site is None
    assert "content/site.yaml:1: site.yaml should be a group of 'key: value' lines, " \
           "not a list." in problems


@pytest.mark.parametrize("missing", ["title", "base_url", "languages"])
def test_a_config_missing_a_required_setting_cannot_be_built_with(missing):
    site, problems = config(replace(MINIMAL, missing, None))
    assert site is None
    assert problems == [f"content/site.yaml:1: '{missing}' is missing; it is required."]


# --- departments.yaml -----------------------------------------------------------------

def test_departments_by_id_with_names_per_language_and_an_optional_phone():
    result, problems = departments(
        "welfare-policy:\n  name: {ko: 복지정책과, en: Welfare Policy Division}\n"
        "  phone: 02-330-1280\nculture-sports:\n  name: 문화체육과\n")
    assert problems == []
    assert list(result) == ["welfare-policy", "culture-sports"]
    assert dict(result["welfare-policy"].name) == {"ko": "복지정책과", "en": "Welfare Policy Division"}
    assert result["welfare-policy"].phone == "02-330-1280"
    assert dict(result["culture-sports"].name) == {"ko": "문화체육과", "en": "문화체육과"}
    assert result["culture-sports"].phone is None


@pytest.mark.parametrize("text, expected", [
    ("Welfare_Policy:\n  name: 복지정책과\n",
     "content/departments.yaml:1: 'Welfare_Policy' is not a valid department id: use lowercase "
     "letters a-z, digits and single hyphens."),
    ("welfare-policy:\n  phone: 02-330-1280\n",
     "content/departments.yaml:2: 'name' is missing; it is required."),
    ("welfare-policy:\n  name: {ko: 복지정책과}\n",
     "content/departments.yaml:2: 'name' has no text for en; give one per language, "
     "e.g. {ko: ..., en: ...}."),
    ("welfare-policy:\n  name: 복지정책과\n  fax: 02-330-1281\n",
     "content/departments.yaml:3: 'fax' is not a known field. Known fields: name, phone."),
    ("", "content/departments.yaml: no departments are defined; add at least one."),
], ids=["bad-id", "no-name", "name-missing-en", "unknown-field", "empty"])
def test_each_bad_department_has_its_own_message(text, expected):
    result, problems = departments(text)
    assert problems == [expected]
