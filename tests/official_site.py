"""The fixture site as a district office's own site would set it up: the official
masthead, address and main phone, policy links, a 공공누리 licence, an emblem, English
tag labels, and contacts and attachment titles given in both languages."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURE_SITE, write_files

SETTINGS = """
official: true
address: {ko: "(03718) 서울특별시 서대문구 연희로 248", en: "248 Yeonhui-ro, Seodaemun-gu, Seoul 03718"}
phone: 02-330-1114
privacy_policy: https://www.example.go.kr/privacy/
copyright_policy: /copyright/
license: kogl-1
logo: static/emblem.svg
"""
EMBLEM = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40">'
          '<circle cx="20" cy="20" r="18" fill="#0b50a8"/></svg>\n')
TAGS = "복지: Welfare\n민관협력: {en: Public-private partnership}\n"
AGREEMENT = "notices/2026/support-team-agreement.ko.md"
FESTIVAL = "notices/2026/library-reading-festival.ko.md"


def official_content(target: Path) -> Path:
    """A copy of the fixture site at `target` with the settings above."""
    shutil.copytree(FIXTURE_SITE, target)
    site = (target / "site.yaml").read_text(encoding="utf-8")
    agreement = (target / AGREEMENT).read_text(encoding="utf-8")
    agreement = agreement.replace(
        "name: 정지현,", "name: {ko: 정지현, en: Jung Ji-hyun},").replace(
        "title: 협약서 요약}", "title: {ko: 협약서 요약, en: Summary of the agreement}}")
    festival = (target / FESTIVAL).read_text(encoding="utf-8")
    festival = festival.replace("tags: [문화, 독서]", "tags: [문화, 독서]\nlicense: kogl-3")
    return write_files(target, {"site.yaml": site + SETTINGS, "static/emblem.svg": EMBLEM,
                                "tags.yaml": TAGS, AGREEMENT: agreement, FESTIVAL: festival})
