"""The words inside Korean compound nouns, for the search index.

Stage: graph (it adds to the notice pages before they are rendered). May import: stdlib,
errors, graph, model, kiwipiepy.

Pagefind splits Korean only at spaces and finds a word by its start, so 복지관 would not
find 홍은종합사회복지관에서. For each long Hangul word of a Korean notice page (title,
subtitles, summary, body, department and program names) this gives the suffixes that
start at a morpheme boundary, less the particle at the end (종합사회복지관, 사회복지관,
복지관), which Pagefind finds by their start as it finds any other word: the notice
template puts them where the index reads them and nobody sees or hears them, and the
search page builds its excerpts from the notice's own text only.

The morphemes come from Kiwi (kiwipiepy), which is slow to load and large in memory, so
it runs in a process of its own (`python -m site_builder.words`: words on stdin, their
boundaries on stdout), never in the builder or its forked render workers, and only for
the words the cache has not split before: each distinct word is split once. The parts of
the site's department and program names are its dictionary: each starts a suffix wherever
it is written inside a word, and those Kiwi cannot split become words of its own (the
program 마포 실뿌리복지 동행센터 makes 실뿌리복지동행센터 findable as 동행센터; Kiwi
alone keeps it one word).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Protocol

from .errors import BuildError, say
from .model import frozen_map

if TYPE_CHECKING:
    from .graph import Page
    from .model import Site

KOREAN = "ko"
"""The language whose pages get the helper words."""
SPLITTER = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
"""The rules below, as written: a change to them splits every word again."""
_WORD = re.compile("(?<![\uac00-\ud7a3])[\uac00-\ud7a3]{3,30}(?![\uac00-\ud7a3])")
"""A run of 3 to 30 Hangul syllables: shorter ones hold no compound worth finding, and
longer ones are no word (their suffixes would grow with the square of their length)."""
_PART = re.compile("[\uac00-\ud7a3]{2,}")
_TAG = re.compile(r"<[^>]*>")
SHORTEST = 2
"""Syllables of the shortest suffix given (one syllable finds too much)."""
STARTS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "XR", "XPN", "SL", "SH"})
"""Morphemes a suffix may start with: nouns, roots and prefixes, never a particle or an
ending."""
TRAILING = ("J", "E", "VCP", "VCN", "XSV", "XSA")
"""Particles, endings and the like at the end of a word, left out of its suffixes: one
suffix 보건소 for 보건소가, 보건소에서 and 보건소는, as a resident types it (a
search finds a word by its start, so 보건소 finds the words that go on)."""
MANY = 2000
"""Words from which the analyzer runs on several threads."""
MARGIN = 3.0
"""How close to the best reading's score another reading of a word must be to count."""


class WordCache(Protocol):
    def word_cuts(self, version: str) -> dict[str, tuple[int, ...]]: ...

    def store_word_cuts(self, version: str, cuts: Mapping[str, tuple[int, ...]]) -> None: ...

    def knows_words(self, analyzer: str) -> bool: ...


@dataclass(frozen=True)
class Run:
    """One start of the analyzer, as the build saw it."""

    words: int
    seconds: float
    max_rss_kb: int
    """The analyzer process's peak memory."""


runs: list[Run] = []
"""Every start of the analyzer in this process (the tests and the benchmark read it)."""
_seen: dict[str, dict[str, tuple[int, ...]]] = {}
"""The boundaries this process knows, by analyzer version: a process that builds again
and again (`serve`'s, the tests') splits a word once even without a cache."""
KEPT = 10_000
"""Words the cache keeps beyond the current site's."""
STORE = "SITE_BUILDER_WORDS"
"""An environment variable that may name a folder where the boundaries found are kept
too, for every build that is given it, with a cache or without (the tests: hundreds of
builds of a few sites split the same words)."""


def forget() -> None:
    """Forget the boundaries this process knows (the cache keeps its own)."""
    _seen.clear()


def analyzer_version() -> str:
    """What the boundaries of a word depend on, besides the dictionary."""
    found = []
    for name in ("kiwipiepy", "kiwipiepy_model"):
        try:
            found.append(metadata.version(name))
        except metadata.PackageNotFoundError:
            found.append("none")
    return f"{SPLITTER}:kiwipiepy {found[0]}:model {found[1]}"


def dictionary(site: Site) -> tuple[str, ...]:
    """The Korean parts of the department and program names (the user dictionary)."""
    names = [d.name.get(KOREAN, "") for d in site.departments.values()]
    names += [t.title for p in site.programs.values() for l, t in p.texts.items()
              if l == KOREAN]
    return tuple(sorted({part for name in names for part in _PART.findall(name)}))


def page_words(page: Page) -> tuple[list[str], list[str]]:
    """The long Hangul words of a notice page: (the title's, all the others')."""
    view = page.context["notice"]
    texts = [*view.subtitles, view.summary, _TAG.sub(" ", view.body_html),
             view.department.title, *(p.title for p in view.programs)]
    return _WORD.findall(view.title), _WORD.findall(" ".join(texts))


def suffixes(word: str, cuts: tuple[int, ...]) -> list[str]:
    """The word's suffixes that start at its boundaries, longest first, without the
    particles and endings after the last noun (`cuts`: where those start, then the
    boundaries, as `analyze` gives them)."""
    end = cuts[0] if cuts else len(word)
    return [word[c:end] for c in cuts[1:] if 0 < c <= end - SHORTEST]


class SearchWords:
    """The helper words of the Korean notice pages (`search_words` in a page's context:
    the title's and the others', each a tuple of distinct words in the order they first
    occur), worked out only for the pages a build makes: an edit at 10,000 notices
    renders a few pages, and gathering every page's words would cost more than that.

    `prepare` is given the pages about to be made, in the builder's process before the
    render workers are forked: their words never split before go to the analyzer at
    once, and the workers find every boundary known. Without `analyze` (the preview's
    page shown at once), words never split before get none, until the rebuild that
    follows."""

    def __init__(self, site: Site, cache: WordCache, analyze: bool = True,
                 pages: int | None = None, early: "Analyzer | None" = None):
        self.cache, self.analyze, self.early = cache, analyze, early
        self.names = dictionary(site)
        self.version = f"{analyzer_version()}:{json.dumps(self.names, ensure_ascii=False)}"
        self.pages = pages
        """How many Korean notice pages the site has: a build that makes them all may let
        go of the words no notice uses any more."""
        self.found: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        """A prepared page's address -> its distinct words (the title's, the others')."""
        self.parts: dict[str, list[str]] = {}
        """A word -> its suffixes."""
        self.canon: dict[str, str] = {}
        """Each word one string for the whole site: the words of 10,000 notices as found
        would take hundreds of megabytes at once."""

    @staticmethod
    def wanted(page: Page) -> bool:
        return page.kind == "notice" and page.lang == KOREAN

    def prepare(self, pages: Iterable[Page], store: bool = True) -> None:
        """Gather the words of these pages and split those never split before."""
        fresh = [page for page in pages if self.wanted(page) and page.url not in self.found]
        if not fresh:
            return
        canon = self.canon
        for page in fresh:
            self.found[page.url] = tuple(tuple(canon.setdefault(w, w)
                                               for w in dict.fromkeys(found))
                                         for found in page_words(page))
        new = {w for title, other in (self.found[p.url] for p in fresh)
               for w in (*title, *other) if w not in self.parts}
        if not new:
            return
        version = self.version
        seen = _seen.setdefault(version, {})
        known = self.cache.word_cuts(version)
        shared = _shared(version)
        seen.update({w: cuts for w, cuts in shared.items() if w not in seen})
        seen.update({w: known[w] for w in new if w in known and w not in seen})
        unseen = sorted(new - seen.keys())
        if unseen and not self.analyze:
            seen = {**seen, **{w: () for w in unseen}}  # this build's only
        elif unseen:
            cuts = split_words(unseen, self.names, self.early)
            self.early = None
            _share(version, {**shared, **cuts})
            seen.update(cuts)
        everything = self.pages is not None and len(self.found) >= self.pages
        if store and self.analyze and (not known.keys() >= new or
                                       everything and len(known) >= len(canon) + KEPT):
            # Words of other sites that share the cache (the same names) are kept, unless
            # they outnumber this site's: words no notice uses any more are then let go
            # (known only to a build that gathers every page's words).
            mine = {w: seen[w] for w in canon}
            kept = {**known, **mine} if not everything or len(known) < len(canon) + KEPT \
                else mine
            self.cache.store_word_cuts(version, kept)
        for word in new:
            self.parts[word] = suffixes(word, seen[word])
        self.close()

    def close(self) -> None:
        """Stop the analyzer started early, if no word needed it."""
        if self.early is not None:
            self.early.stop()
            self.early = None

    def helped(self, page: Page) -> Page:
        """The page with its helper words in its context (only a Korean notice page)."""
        if not self.wanted(page):
            return page
        if page.url not in self.found:  # made without being prepared: no cache written
            self.prepare([page], store=False)
        title, other = self.found[page.url]
        first = self._helpers(title)
        return replace(page, context=frozen_map(
            {**page.context, "search_words": (first, self._helpers(other, frozenset(first)))}))

    def _helpers(self, found: tuple[str, ...], skip: frozenset[str] = frozenset()
                 ) -> tuple[str, ...]:
        given: dict[str, None] = {}
        for word in found:
            for suffix in self.parts[word]:
                if suffix not in skip:
                    given.setdefault(suffix)
        return tuple(given)


def _shared(version: str) -> dict[str, tuple[int, ...]]:
    """The boundaries kept in the STORE folder, if there is one (else, or damaged: none)."""
    folder = os.environ.get(STORE)
    if not folder:
        return {}
    try:
        found = json.loads((Path(folder) / _store_name(version)).read_text("utf-8"))
        return {w: tuple(cuts) for w, cuts in found.items() if isinstance(w, str) and
                all(isinstance(c, int) and 0 <= c <= len(w) for c in cuts)}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def _share(version: str, cuts: Mapping[str, tuple[int, ...]]) -> None:
    folder = os.environ.get(STORE)
    if not folder:
        return
    path = Path(folder) / _store_name(version)
    fresh = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh.write_text(json.dumps({w: list(cuts[w]) for w in sorted(cuts)},
                                    ensure_ascii=False), "utf-8")
        os.replace(fresh, path)  # whole or not at all, for builds running side by side
    except OSError:
        fresh.unlink(missing_ok=True)


def _store_name(version: str) -> str:
    return hashlib.sha256(version.encode("utf-8")).hexdigest()[:32] + ".json"


class Analyzer:
    """The analyzer's process, started before the words are known: loading Kiwi takes
    longer than reading a small site, so a build that will split many words (no word
    known yet) starts it while it reads the content, on the core the reading leaves
    idle."""

    def __init__(self, timeout: float = 120):
        root = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
        self.started = time.monotonic()
        self.timeout = timeout
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "site_builder.words"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        except OSError as exc:
            raise _failed(str(exc)) from exc

    def split(self, words: list[str], names: Iterable[str]) -> dict[str, tuple[int, ...]]:
        request = json.dumps({"dictionary": list(names), "words": words}, ensure_ascii=False)
        try:
            out, err = self.process.communicate(request.encode("utf-8"),
                                                timeout=self.timeout + 0.01 * len(words))
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.stop()
            raise _failed(str(exc)) from exc
        if self.process.returncode != 0:
            raise _failed(err.decode("utf-8", "replace").strip()[-500:])
        try:
            answer = json.loads(out)
            cuts = {w: tuple(int(c) for c in answer["cuts"][w]) for w in words}
        except (ValueError, KeyError, TypeError) as exc:
            raise _failed(repr(exc)) from exc
        runs.append(Run(len(words), time.monotonic() - self.started,
                        int(answer.get("max_rss_kb", 0))))
        return cuts

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


def _failed(reason: str) -> BuildError:
    return BuildError(say("the Korean words of the search index could not be split: "
                          "{reason}", reason=reason))


def start_early(cache: WordCache) -> Analyzer | None:
    """The analyzer, started now if the build is likely to need it: neither the cache
    nor the shared word folder (`STORE`) knows a word this analyzer split."""
    folder = os.environ.get(STORE)
    try:
        if folder and any(Path(folder).glob("*.json")):
            return None
    except OSError:
        pass
    if cache.knows_words(analyzer_version() + ":"):
        return None
    try:
        return Analyzer()
    except BuildError:
        return None  # started again when the words are known, and its failure reported


def split_words(words: list[str], names: Iterable[str] = (),
                analyzer: Analyzer | None = None) -> dict[str, tuple[int, ...]]:
    """Each word's boundaries (see `suffixes`), from the analyzer in a process of its own
    (the one given, started early, or a new one)."""
    return (analyzer or Analyzer()).split(words, names)


def load_kiwi(threads: int):
    """Kiwi (in the analyzer's process only), without the dictionaries of multi-word
    expressions and of typos, which a word read alone does not use: the same readings,
    in less time and memory."""
    import warnings

    from kiwipiepy import Kiwi

    with warnings.catch_warnings():  # that 0 means one thread since 0.21: as wanted
        warnings.simplefilter("ignore", DeprecationWarning)
        return Kiwi(num_workers=threads, load_multi_dict=False, load_typo_dict=False)


def analyze(words: Iterable[str], names: Iterable[str], kiwi=None) -> dict[str, list[int]]:
    """Each word's boundaries, by Kiwi (in the analyzer's process only): where the
    particles and endings at its end start, then where each suffix starts."""
    words = list(words)
    # Many words (a first build): on every core; each word's reading is its own, so the
    # result does not depend on the threads.
    threads = min(_cores(), 4) if len(words) >= MANY else 0
    kiwi = kiwi or load_kiwi(threads)
    # A name part that Kiwi cannot split in any close reading becomes a word of its own,
    # so that the rest of a compound is read apart from it; one that Kiwi can split
    # (동주민센터) stays splittable. Every name part starts a suffix anyway.
    names = list(names)
    unknown = [name for name in names
               if all(len(tokens) == 1 for tokens, score in kiwi.analyze(name, top_n=3)
                      if score >= kiwi.analyze(name)[0][1] - MARGIN)]
    for name in unknown:
        kiwi.add_user_word(name, "NNP")
    found: dict[str, list[int]] = {}
    every = kiwi.analyze(words, top_n=3) if threads else (kiwi.analyze(w, top_n=3) for w in words)
    for word, readings in zip(words, every):
        best, score = readings[0]
        cuts = _starts(best)
        # Kiwi's best reading often keeps a known compound whole (동주민센터); a close
        # second reading may split such a long noun, and only it.
        whole = [(t.start, t.start + t.len) for t in best if t.tag in STARTS and t.len >= 4]
        for tokens, other in readings[1:]:
            if other >= score - MARGIN:
                cuts |= {c for c in _starts(tokens) if any(a < c < b for a, b in whole)}
        for name in names:  # a name part starts at a boundary
            at = word.find(name)
            while at >= 0:
                cuts.add(at)
                at = word.find(name, at + 1)
        end = len(word)
        for token in reversed(best):
            if not token.tag.startswith(TRAILING):
                break
            end = token.start
        found[word] = [end, *sorted(c for c in cuts if 0 < c <= end - SHORTEST)]
    return found


def _starts(tokens) -> set[int]:
    """Where a suffix may start in one reading: at a noun (root, prefix) of two syllables
    or more, or of one followed by another (동 in 동주민센터, not 단 in 지원단을)."""
    found = set()
    for i, token in enumerate(tokens):
        if token.tag in STARTS and (token.len >= 2 or i + 1 < len(tokens) and
                                    tokens[i + 1].tag in STARTS):
            found.add(token.start)
    return found


def _cores() -> int:
    return (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
            else os.cpu_count()) or 1


def main() -> None:
    # Kiwi is loaded before the words come: the builder may start this process early.
    kiwi = load_kiwi(min(_cores(), 4))
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    cuts = analyze(request["words"], request.get("dictionary", ()), kiwi)
    sys.stdout.write(json.dumps({"cuts": cuts, "max_rss_kb": _peak_kb()}, ensure_ascii=False))


def _peak_kb() -> int:
    """This process's peak memory since it started the analyzer's program (the rusage
    figure would count the builder it was forked from)."""
    try:
        return int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())[1])
    except (OSError, TypeError):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
