"""Every address of the site, in one place.

Stage: urls. May import: stdlib, model.

URLs are root-relative and start with the base path of `base_url` (usually "/");
`output_path` turns one into the file that serves it. These are the contract's
URLs: links and feed readers depend on them, so change them only compatibly.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .model import Notice, SiteConfig


class Urls:
    def __init__(self, config: SiteConfig):
        parts = urlsplit(config.base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.tz = ZoneInfo(config.timezone)

    def home(self, lang: str) -> str:
        return f"{self.base}{lang}/"

    def chooser(self) -> str:
        return f"{self.base}index.html"

    def notices(self, lang: str, page: int = 1) -> str:
        return f"{self.base}{lang}/notices/" + (f"page/{page}/" if page > 1 else "")

    def notice(self, lang: str, notice: Notice) -> str:
        local = notice.release.astimezone(self.tz)
        return f"{self.base}{lang}/notices/{local.year:04d}/{local.month:02d}/{notice.slug}/"

    def departments(self, lang: str) -> str:
        return f"{self.base}{lang}/departments/"

    def department(self, lang: str, dept_id: str) -> str:
        return f"{self.base}{lang}/departments/{dept_id}/"

    def programs(self, lang: str) -> str:
        return f"{self.base}{lang}/programs/"

    def program(self, lang: str, program_id: str) -> str:
        return f"{self.base}{lang}/programs/{program_id}/"

    def search(self, lang: str) -> str:
        return f"{self.base}{lang}/search/"

    def rss(self, lang: str, scope: str = "") -> str:
        """scope: '' for the whole language, or 'departments/<id>/' / 'programs/<id>/'."""
        return f"{self.base}{lang}/{scope}feed.xml"

    def atom(self, lang: str) -> str:
        return f"{self.base}{lang}/atom.xml"

    def static(self, path: str) -> str:
        return f"{self.base}static/{path}"

    def root_file(self, name: str) -> str:
        return f"{self.base}{name}"

    def absolute(self, url: str) -> str:
        return self.origin + url

    def output_path(self, url: str) -> str:
        """'/ko/notices/' -> 'ko/notices/index.html' (relative to the output directory)."""
        path = url[len(self.base):] if url.startswith(self.base) else url.lstrip("/")
        return path + "index.html" if path.endswith("/") or not path else path


def search_shard(lang: str, first: int, last: int) -> str:
    """A part of the search index: one language's notices released in the years
    first..last ('ko-2016', 'ko-2016-2019')."""
    return f"{lang}-{first}" if first == last else f"{lang}-{first}-{last}"


def search_shard_pages(shard: str) -> list[str]:
    """Where a search index part's pages are written, under the output folder: one
    folder per year."""
    lang, _, years = shard.partition("-")
    first, _, last = years.partition("-")
    return [f"{lang}/notices/{year}/" for year in range(int(first), int(last or first) + 1)]
