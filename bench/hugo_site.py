#!/usr/bin/env python3
"""Turn one of our content trees into an equivalent Hugo site (for bench/run.py).

    python bench/hugo_site.py --content DIR --site DIR [--now ISO]

Hugo reads `<slug>.ko.md` / `<slug>.en.md` as translations by itself once the languages
ko and en are configured; what it does not understand is our front matter. So the
notices are copied with front matter Hugo knows (`date` from `release`, the taxonomies
`departments` and `programs`, the rest under `params`), translations get the
language-neutral fields of their primary file, as our builder gives them; drafts and
notices embargoed at `--now` are left out (Hugo has no `--now`). Departments and programs
become taxonomy term pages with their names and texts. The layouts and configuration
come from bench/hugo/; baseURL, titles and press office come from site.yaml.

This runs before the timing: only `hugo` itself is timed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

HERE = Path(__file__).resolve().parent
HUGO_DIR = HERE / "hugo"
REPO = HERE.parent
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def split_front_matter(text: str) -> tuple[dict, str]:
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    meta = yaml.load(text[3:end], Loader=Loader) or {}
    rest = text[end + 4:]
    return meta, rest[rest.find("\n") + 1:] if "\n" in rest else ""


def as_datetime(value, tz: ZoneInfo) -> datetime:
    """Our rule: a date means 00:00 in the site's time zone; a datetime without offset too."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tz)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def write_page(path: Path, meta: dict, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.dump(meta, Dumper=Dumper, allow_unicode=True, sort_keys=True)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def plain(value):
    """YAML-safe copies of front matter values (dates to ISO strings)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


NEUTRAL = ("contacts", "provided", "updated", "corrections", "tags", "attachments")
"""Language-neutral fields kept as params (department, programs, release, slug are mapped)."""


def convert(content: Path, site_dir: Path, now: datetime) -> dict:
    """Write the Hugo site for `content` into `site_dir` (replaced). Returns counts."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    shutil.copytree(HUGO_DIR, site_dir)
    config = yaml.load((content / "site.yaml").read_text(encoding="utf-8"), Loader=Loader)
    tz = ZoneInfo(config.get("timezone", "Asia/Seoul"))
    languages = config["languages"]
    primary = languages[0]

    hugo_config = yaml.load((site_dir / "hugo.yaml").read_text(encoding="utf-8"), Loader=Loader)
    hugo_config["baseURL"] = config["base_url"]
    hugo_config["timeZone"] = str(tz)
    hugo_config["defaultContentLanguage"] = primary
    hugo_config["pagination"]["pagerSize"] = int(config.get("per_page", 20))
    hugo_config["services"]["rss"]["limit"] = int(config.get("feed_items", 50))
    titles = config["title"] if isinstance(config["title"], dict) else {primary: config["title"]}
    for lang in languages:
        hugo_config["languages"].setdefault(lang, {"weight": languages.index(lang) + 1})
        hugo_config["languages"][lang]["title"] = titles.get(lang, titles[primary])
    hugo_config["params"] = {"press_office": config.get("press_office"),
                             "descriptions": config.get("description") or {}}
    (site_dir / "hugo.yaml").write_text(
        yaml.dump(hugo_config, Dumper=Dumper, allow_unicode=True, sort_keys=False),
        encoding="utf-8")

    out = site_dir / "content"
    counts = {"notices": 0, "translations": 0, "skipped": 0}
    section_titles = {"ko": ("보도자료", "부서", "사업"),
                      "en": ("Press releases", "Departments", "Programs")}
    for lang in languages:
        titles_ = section_titles.get(lang, section_titles["en"])
        write_page(out / f"_index.{lang}.md", {"title": titles.get(lang, titles[primary])}, "")
        for name, title in zip(("notices", "departments", "programs"), titles_):
            write_page(out / name / f"_index.{lang}.md", {"title": title}, "")

    # Notices: primary files first, then their translations.
    notices = content / "notices"
    published: dict[Path, dict] = {}
    for path in sorted(notices.glob(f"*/*.{primary}.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        release = as_datetime(meta["release"], tz).astimezone(tz)
        if meta.get("draft") or release > now:
            counts["skipped"] += 1
            continue
        stem = path.name[: -len(f".{primary}.md")]
        common = {"date": release.isoformat(), "slug": meta.get("slug") or stem,
                  "departments": [meta["department"]],
                  "programs": list(meta.get("programs") or []),
                  "params": {k: plain(meta[k]) for k in NEUTRAL if k in meta}}
        published[path.with_name(stem)] = common
        page = dict(common, title=meta["title"])
        for key in ("subtitle", "summary"):
            if key in meta:
                page[key if key != "subtitle" else "subtitle"] = plain(meta[key])
        if isinstance(page.get("subtitle"), str):
            page["subtitle"] = [page["subtitle"]]
        write_page(out / path.relative_to(content), page, body)
        counts["notices"] += 1
    for lang in languages[1:]:
        for path in sorted(notices.glob(f"*/*.{lang}.md")):
            common = published.get(path.with_name(path.name[: -len(f".{lang}.md")]))
            if common is None:
                continue
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
            page = dict(common, title=meta["title"])
            page["params"] = dict(common["params"], translation=meta.get("translation", "human"))
            for key in ("subtitle", "summary"):
                if key in meta:
                    page[key] = plain(meta[key])
            if isinstance(page.get("subtitle"), str):
                page["subtitle"] = [page["subtitle"]]
            write_page(out / path.relative_to(content), page, body)
            counts["translations"] += 1

    # Departments and programs: taxonomy term pages with their names and texts.
    departments = yaml.load((content / "departments.yaml").read_text(encoding="utf-8"),
                            Loader=Loader) or {}
    for ident, dept in departments.items():
        for lang in languages:
            meta = {"title": dept["name"].get(lang, dept["name"][primary])}
            if dept.get("phone"):
                meta["params"] = {"phone": dept["phone"]}
            write_page(out / "departments" / ident / f"_index.{lang}.md", meta, "")
    for path in sorted((content / "programs").glob("*.md")) if (content / "programs").is_dir() else []:
        ident, lang = path.name[:-3].rsplit(".", 1)
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        page = {"title": meta["title"]}
        if meta.get("summary"):
            page["summary"] = meta["summary"]
        page["params"] = {k: plain(meta[k]) for k in ("department", "started", "ended") if k in meta}
        write_page(out / "programs" / ident / f"_index.{lang}.md", page, body)

    # Static files: ours serves content/static/ at /static/, and ships a stylesheet.
    if (content / "static").is_dir():
        shutil.copytree(content / "static", site_dir / "static" / "static")
    css = REPO / "templates" / "assets" / "site.css"
    if css.is_file():
        (site_dir / "static" / "assets").mkdir(parents=True, exist_ok=True)
        shutil.copy2(css, site_dir / "static" / "assets" / "site.css")
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--site", type=Path, required=True, help="the Hugo site to write")
    parser.add_argument("--now", default=None, help="ISO datetime deciding embargoes")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(ZoneInfo("UTC"))
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("Asia/Seoul"))
    counts = convert(args.content, args.site, now)
    print(f"Hugo site in {args.site}: {counts['notices']} notices, "
          f"{counts['translations']} translations, {counts['skipped']} drafts/embargoed left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
