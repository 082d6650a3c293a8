#!/usr/bin/env python3
"""Generate a contract-valid content tree of N press releases, the same for the same seed.

    python bench/generate.py --notices 5000 --out /tmp/content --seed 1

What it writes is what a district's archive looks like, at any size:

- site.yaml (Korean and English) and departments.yaml with 20 departments;
- 15 programs, most with an English page;
- N notices with release dates over ten years (2016-2025), each a Korean body of
  2-4 KB with headings, a list and a table, contacts, tags and sometimes a subtitle,
  corrections, program links and an attachment; about 60% with an English translation.

Only the standard library is used, and no clock: the tree depends on N and the seed
alone. Build it with a --now after 2025, e.g. `--now 2026-01-01T00:00:00+09:00`, and
every notice is published. `generate()` and `write_large_notice()` are for other scripts
(bench/large.py, the tests).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

FIRST_DAY, DAYS = date(2016, 1, 1), 3653
"""Release dates: ten years from 2016-01-01."""
NOW = "2026-01-01T00:00:00+09:00"
"""A build time at which every generated notice is released."""

DEPARTMENTS = [
    ("welfare-policy", "복지정책과", "Welfare Policy Division"),
    ("elderly-welfare", "어르신복지과", "Senior Welfare Division"),
    ("child-youth", "아동청소년과", "Children and Youth Division"),
    ("women-family", "여성가족과", "Women and Family Division"),
    ("health-promotion", "건강증진과", "Health Promotion Division"),
    ("public-health", "보건행정과", "Public Health Administration Division"),
    ("culture-sports", "문화체육과", "Culture and Sports Division"),
    ("education-support", "교육지원과", "Education Support Division"),
    ("jobs-economy", "일자리경제과", "Jobs and Economy Division"),
    ("urban-planning", "도시계획과", "Urban Planning Division"),
    ("housing", "주택과", "Housing Division"),
    ("roads-transport", "교통행정과", "Transport Administration Division"),
    ("parks-green", "공원녹지과", "Parks and Green Spaces Division"),
    ("clean-environment", "청소행정과", "Sanitation Division"),
    ("disaster-safety", "안전재난과", "Safety and Disaster Division"),
    ("tax", "세무1과", "Tax Division"),
    ("civil-affairs", "민원여권과", "Civil Affairs and Passports Division"),
    ("communication", "홍보과", "Public Relations Division"),
    ("planning-budget", "기획예산과", "Planning and Budget Division"),
    ("smart-info", "스마트정보과", "Smart Information Division"),
]
PROGRAMS = [
    ("visiting-community-center", "찾아가는 동주민센터", "Visiting Community Service Centers"),
    ("small-libraries", "우리 동네 작은도서관", "Neighbourhood Small Libraries"),
    ("senior-lunch", "어르신 점심 나눔", "Lunch for Older Residents"),
    ("youth-dream", "청소년 꿈 키움", "Youth Dreams"),
    ("green-alleys", "푸른 골목 가꾸기", "Green Alleys"),
    ("safe-school-routes", "안전한 통학로", "Safe Routes to School"),
    ("kimjang-sharing", "김장 나눔", "Kimchi Sharing"),
    ("job-fair", "구민 일자리 박람회", "Residents' Job Fair"),
    ("care-network", "돌봄 안전망", "Care Safety Net"),
    ("village-community", "마을공동체 지원", "Village Community Support"),
    ("clean-streets", "깨끗한 거리 만들기", "Clean Streets"),
    ("smart-city", "스마트 도시 서비스", "Smart City Services"),
    ("local-festival", "구민 축제", "District Festival"),
    ("disaster-ready", "재난 대비 훈련", "Disaster Readiness Drills"),
    ("health-checkup", "찾아가는 건강검진", "Mobile Health Check-ups"),
]
PLACES = ["홍은동", "홍제동", "남가좌동", "북가좌동", "연희동", "신촌동", "천연동", "충현동",
          "북아현동", "대신동", "신촌 문화광장", "구청 대강당", "안산 자락길", "독립문 공원"]
EVENTS = ["주민 설명회", "협약식", "합동 점검", "나눔 행사", "체험 교실", "기념식", "공개 토론회",
          "현장 방문", "교육 과정", "자원봉사 활동", "문화 공연", "안전 훈련"]
GROUPS = ["어르신", "청소년", "1인 가구", "장애인", "다문화 가족", "소상공인", "아동", "주민"]
VERBS = ["개최했다", "운영한다", "추진한다", "확대한다", "마련했다", "지원한다", "실시한다"]
TAGS = ["복지", "민관협력", "돌봄", "안전", "문화", "교육", "일자리", "환경", "보건", "주거",
        "교통", "청년", "어르신", "아동", "축제", "행정"]
ROMAN = ["hongeun", "hongje", "yeonhui", "sinchon", "bugahyeon", "daesin", "welfare", "care",
         "safety", "culture", "library", "youth", "senior", "green", "festival", "jobs",
         "health", "housing", "school", "village", "clean", "smart", "lunch", "kimjang"]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "지훈", "수빈", "현우", "지민", "예준", "하은", "도윤", "서윤",
         "정숙", "지현", "윤경", "영호", "미영"]


def q(text: str) -> str:
    """A YAML scalar for any text: JSON's string syntax is YAML's double-quoted style."""
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Stats:
    notices: int = 0
    translations: int = 0
    attachments: int = 0
    bytes: int = 0
    """Of every file written."""


class _Writer:
    def __init__(self, out: Path, stats: Stats):
        self.out, self.stats = out, stats

    def __call__(self, relative: str, data: str | bytes) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path.write_bytes(raw)
        self.stats.bytes += len(raw)


def _particle(word: str, with_final: str, without: str) -> str:
    """The particle for a word: 을/를, 이/가 by whether its last syllable ends in a consonant."""
    last = word[-1]
    final = "\uac00" <= last <= "\ud7a3" and (ord(last) - 0xAC00) % 28 != 0
    return word + (with_final if final else without)


def _sentence(rng: random.Random) -> str:
    place, event, group = rng.choice(PLACES), rng.choice(EVENTS), rng.choice(GROUPS)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([
        f"서대문구는 {month}월 {day}일 {place}에서 {_particle(group, '을', '를')} "
        f"위한 {_particle(event, '을', '를')} {rng.choice(VERBS)}.",
        f"이번 {event}에는 {group} {rng.randint(20, 400)}명과 관계자들이 참여해 의견을 나눴다.",
        f"구는 {place} 일대의 {group} 지원을 위해 예산 {rng.randint(1, 90)}억 원을 투입한다.",
        f"구청장은 “{_particle(group, '이', '가')} 체감할 수 있는 변화를 만들겠다”며 "
        f"**'{event}'**의 의미를 강조했다.",
        f"자세한 내용은 구 누리집이나 담당 부서(☎ 02-330-{rng.randint(1000, 9999)})로 문의하면 된다.",
    ])


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))


def korean_body(rng: random.Random, size: int) -> str:
    """Markdown of about `size` bytes: paragraphs, ## headings, a list and a table."""
    parts = [_paragraph(rng), _paragraph(rng), "## 주요 내용",
             "\n".join(f"- {rng.choice(GROUPS)} 대상 {rng.choice(EVENTS)} "
                       f"({rng.randint(1, 12)}월 중)" for _ in range(rng.randint(3, 6))),
             "| 구분 | 대상 | 인원 | 장소 |\n|---|---|---:|---|\n" + "\n".join(
                 f"| {i} | {rng.choice(GROUPS)} | {rng.randint(5, 300)}명 | {rng.choice(PLACES)} |"
                 for i in range(1, rng.randint(3, 6))),
             "## 향후 계획"]
    while len("\n\n".join(parts).encode("utf-8")) < size:
        parts.append(_paragraph(rng))
    return "\n\n".join(parts) + "\n"


def english_body(rng: random.Random) -> str:
    group = rng.choice(["older residents", "young people", "families", "small businesses"])
    return (f"Seodaemun-gu will run a new programme for {group} this year.\n\n"
            "## Highlights\n\n- Sessions every month\n- Free of charge\n\n"
            "| Item | Detail |\n|---|---|\n| Place | District office |\n"
            f"| Places | {rng.randint(10, 300)} |\n\n"
            "For details, contact the department in charge.\n")


def _site(write: _Writer) -> None:
    write("site.yaml",
          "title: {ko: 서대문구 보도자료 (생성), en: Seodaemun-gu Press Releases (generated)}\n"
          "description:\n  ko: bench/generate.py가 만든 시험용 보도자료입니다.\n"
          "  en: Press releases generated by bench/generate.py for tests and benchmarks.\n"
          "base_url: https://news.example.go.kr/\nlanguages: [ko, en]\ntimezone: Asia/Seoul\n"
          "per_page: 20\nfeed_items: 50\nuntranslated: show\n"
          "press_office: {name: {ko: 홍보과 언론팀, en: Press Team}, phone: 02-330-8708}\n")
    write("departments.yaml", "".join(
        f"{dept_id}:\n  name: {{ko: {q(ko)}, en: {q(en)}}}\n  phone: 02-330-{1200 + i:04d}\n"
        for i, (dept_id, ko, en) in enumerate(DEPARTMENTS)))


def _programs(write: _Writer, rng: random.Random) -> None:
    for i, (program_id, ko, en) in enumerate(PROGRAMS):
        started = FIRST_DAY + timedelta(days=rng.randint(0, DAYS // 2))
        ended = (f"ended: {started + timedelta(days=rng.randint(180, 2000))}\n"
                 if i % 3 == 0 else "")
        write(f"programs/{program_id}.ko.md",
              f"---\ntitle: {q(ko)}\nsummary: {q(ko + ' 사업을 소개합니다.')}\n"
              f"department: {DEPARTMENTS[i % len(DEPARTMENTS)][0]}\nstarted: {started}\n{ended}"
              f"---\n{korean_body(rng, 1200)}")
        if i % 5 != 4:
            write(f"programs/{program_id}.en.md",
                  f"---\ntitle: {q(en)}\nsummary: {q('About ' + en + '.')}\n---\n"
                  f"{english_body(rng)}")


def _notice(write: _Writer, rng: random.Random, index: int, stats: Stats) -> None:
    release = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    slug = f"{rng.choice(ROMAN)}-{rng.choice(ROMAN)}-{index + 1}"
    dept = rng.choice(DEPARTMENTS)[0]
    contacts = "".join(
        f"  - {{role: {role}, name: {rng.choice(SURNAMES)}{rng.choice(GIVEN)}, "
        f"phone: 02-330-{rng.randint(1000, 9999)}}}\n"
        for role in ("director", "team_lead", "officer")[: rng.randint(1, 3)])
    lines = [f"title: {q(f'{rng.choice(PLACES)} {rng.choice(GROUPS)} {rng.choice(EVENTS)} 추진')}"]
    if rng.random() < 0.3:
        lines.append(f"subtitle: [{q(_sentence(rng))}]")
    if rng.random() < 0.5:
        lines.append(f"summary: {q(_sentence(rng))}")
    lines += [f"department: {dept}", f"contacts:\n{contacts.rstrip()}",
              f"provided: {release}",
              f"release: {release}T{rng.choice(['06:00', '09:00', '14:00'])}:00+09:00"]
    if rng.random() < 0.1:
        fixed = release + timedelta(days=rng.randint(1, 5))
        lines += [f"updated: {fixed}T10:00:00+09:00",
                  f"corrections:\n  - {{date: {fixed}, note: 담당자 연락처 정정}}"]
    if rng.random() < 0.4:
        lines.append(f"programs: [{rng.choice(PROGRAMS)[0]}]")
    lines.append(f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]")
    if rng.random() < 0.1:
        attachment = f"attachments/{release.year}/{slug}.pdf"
        write(f"static/{attachment}", b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(2048)))
        lines.append(f"attachments:\n  - {{file: {attachment}, title: 보도자료 원문}}")
        stats.attachments += 1
    body = korean_body(rng, rng.randint(2048, 4096))
    write(f"notices/{release.year}/{slug}.ko.md", "---\n" + "\n".join(lines) + "\n---\n" + body)
    stats.notices += 1
    if rng.random() < 0.6:
        write(f"notices/{release.year}/{slug}.en.md",
              f"---\ntitle: {q(f'Seodaemun-gu news no. {index + 1}')}\n"
              f"summary: {q('A press release of Seodaemun-gu, in English.')}\n"
              f"translation: {rng.choice(['human', 'machine'])}\n---\n{english_body(rng)}")
        stats.translations += 1


def generate(out: Path, notices: int, seed: int = 1) -> Stats:
    """Write the content tree into `out` (which should be empty or missing)."""
    rng, stats = random.Random(seed), Stats()
    write = _Writer(out, stats)
    _site(write)
    _programs(write, rng)
    for index in range(notices):
        _notice(write, rng, index, stats)
    return stats


def write_large_notice(out: Path, size: int, seed: int = 1,
                       slug: str = "large-notice") -> Path:
    """One notice with a Korean body of `size` bytes, in a content tree made by `generate`."""
    rng = random.Random(seed)
    path = out / f"notices/2025/{slug}.ko.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    chunk = korean_body(rng, 64 * 1024)
    body = "\n".join([chunk] * -(-size // len(chunk.encode("utf-8"))))  # at least `size`
    path.write_text(f"---\ntitle: 대용량 보도자료 ({size // 1024} KB)\ndepartment: welfare-policy\n"
                    f"release: 2025-06-30\ntags: [대용량]\n---\n{body}", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notices", type=int, required=True, help="how many notices")
    parser.add_argument("--out", type=Path, required=True, help="the content directory to write")
    parser.add_argument("--seed", type=int, default=1, help="the same seed, the same tree")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    stats = generate(args.out, args.notices, args.seed)
    print(f"{stats.notices} notices ({stats.translations} in English too, "
          f"{stats.attachments} with an attachment), {len(DEPARTMENTS)} departments, "
          f"{len(PROGRAMS)} programs: {stats.bytes / 1e6:.1f} MB in {args.out}/; "
          f"build with --now {NOW}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
