"""`python build.py serve`: a live preview for the people who write the notices.

Stage: serve. May import: stdlib, livereload, tornado, watchfiles, every
stage.

The preview is built into its own directory (never output/) with drafts and
embargoed notices included, each under a banner, by the engine (`Session.refresh`,
with its search index, so that the search page works; `Session.update` for the
edited notice's pages at once). Editing a file in content/ or
templates/ rebuilds it and the open browser tab reloads. When an edit breaks the
content, the last good pages stay served with the errors across the top of every
page, and the terminal prints them too; fixing the file clears them.
Only 127.0.0.1 is listened on, and only requests addressed to it by name are answered
(`Host: 127.0.0.1:<port>` or `localhost:<port>`; a socket only from those pages): the
preview is for the person at this computer, and a web page elsewhere that has its name
point at 127.0.0.1 (DNS rebinding) must not read the drafts and embargoed notices.
"""

from __future__ import annotations

import contextlib
import copyreg
import errno
import html
import logging
import os
import pickle
import signal
import socket
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Callable, TypeVar
from zoneinfo import ZoneInfo

from .cache import Cache
from .engine import Refreshed, Session
from .errors import SiteError, Text, say
from .model import frozen_map
from .options import CommandParser, add_content_option, add_lang_option, inside
from .pipeline import TEMPLATES
from .render import shown_path
from .lock import hold
from .write import MARKER, write_site

HOST = "127.0.0.1"
REBUILD_NICENESS = 10
INDEX_FIRST = 10.0
"""Seconds a full rebuild of the preview waits at most for the search index of the
notice just shown."""
T = TypeVar("T")


class Updates:
    """Keeps the preview up to date with two threads: one hears of edits and shows an
    edited notice at once; the other runs the full rebuilds (each in a process of its
    own, see `Preview.rebuild`), one at a time, each covering every edit made before
    it started."""

    def __init__(self, preview: "Preview", say_line: Callable[[object, bool], None],
                 reload: Callable[[], None]):
        self.preview, self.say_line, self.reload = preview, say_line, reload
        self.lock = threading.Lock()
        self.pending: list[Path] = []
        """Files changed since the running (or last) rebuild started."""
        self.wanted = threading.Event()
        self.to_index: tuple[str, ...] = ()
        """The pages shown at once whose search index is yet to be made again."""
        self.index_wanted = threading.Event()
        self.indexed = threading.Event()
        """Set while no page shown at once waits for its search index."""
        self.indexed.set()
        self.stop = threading.Event()

    def start(self, folders: list[Path]) -> None:
        threading.Thread(target=self._watch, args=(folders,), daemon=True).start()
        threading.Thread(target=self._rebuild_loop, daemon=True).start()
        threading.Thread(target=self._index_loop, daemon=True).start()

    def changed(self, paths: list[Path]) -> None:
        started = time.perf_counter()
        shown = self.preview.show_edit(paths)
        if shown:
            self.say_line(say("The edited notice is shown ({seconds} s); updating the lists "
                              "and feeds.", seconds=f"{time.perf_counter() - started:.2f}"),
                          False)
            self.reload()
        with self.lock:
            self.pending += paths
            self._index_soon(shown)
        self.wanted.set()

    def _index_soon(self, shown: tuple[str, ...]) -> None:
        """(With the lock held.) Pages shown at once, for the index loop."""
        if shown:
            self.to_index = tuple(dict.fromkeys(self.to_index + shown))
            self.indexed.clear()
            self.index_wanted.set()

    def _index_loop(self) -> None:
        """The search index of each notice shown at once, made again beside the full
        rebuild (which starts with the lists and feeds), so that the edit can be searched
        for seconds sooner; edits made meanwhile are indexed together, once."""
        while not self.stop.is_set():
            if not self.index_wanted.wait(timeout=0.5):
                continue
            with self.lock:
                self.index_wanted.clear()
                paths, self.to_index = self.to_index, ()
            try:
                self.preview.index_edit(paths)
            except Exception as exc:  # noqa: BLE001 - the rebuild indexes it anyway
                self.say_line(say("The search index could not be updated at once ({error}); "
                                  "the full rebuild updates it.",
                                  error=f"{type(exc).__name__}: {exc}"), True)
            finally:
                with self.lock:
                    if not self.index_wanted.is_set():
                        self.indexed.set()

    def rebuild_now(self) -> None:
        started = time.perf_counter()
        try:
            problems = self.preview.rebuild()
        except Exception as exc:  # noqa: BLE001 - a fault of ours must not stop the updates
            self.say_line(say("The preview could not be updated ({error}); it is tried again "
                              "at the next save.", error=f"{type(exc).__name__}: {exc}"), True)
            return
        for line in problems:
            self.say_line(line, True)
        self.say_line(say("Preview has errors; showing the last good pages.") if problems
                      else say("Preview updated in {seconds} s.",
                               seconds=f"{time.perf_counter() - started:.2f}"), False)

    def _watch(self, folders: list[Path]) -> None:
        import watchfiles
        for changes in watchfiles.watch(*folders, debounce=50, step=10, stop_event=self.stop,
                                        raise_interrupt=False):
            self.changed(sorted(Path(path) for _, path in changes))

    def _rebuild_loop(self) -> None:
        while not self.stop.is_set():
            if not self.wanted.wait(timeout=0.5):
                continue
            # The edited notice's search index first: on two cores a rebuild beside it
            # would make it wait seconds longer, for lists and feeds that can wait.
            self.indexed.wait(timeout=INDEX_FIRST)
            with self.lock:
                self.wanted.clear()
                self.pending = []
            self.rebuild_now()
            with self.lock:
                edited_meanwhile = list(dict.fromkeys(self.pending))
            # This rebuild read the content before those edits: show them again over it
            # (the next rebuild, already wanted, then makes everything agree).
            for path in edited_meanwhile:
                shown = self.preview.show_edit([path])
                with self.lock:
                    self._index_soon(shown)
            self.reload()


class Preview:
    """Builds the preview on the engine and remembers the last good one."""

    def __init__(self, content: Path, target: Path, templates: Path = TEMPLATES,
                 lang: str = "en", own_process: bool = True):
        self.content, self.target, self.templates = content, target, templates
        self.lang = lang
        self.own_process = own_process and hasattr(os, "fork")
        """Whether full rebuilds run in a forked process of their own (see `rebuild`)."""
        self.last_good: list[tuple[str, bytes]] | None = None
        """The last good pages while the preview shows errors (else they are in target)."""
        self.last_static: list[tuple[str, Path]] = []
        self.cache_path = target.parent / f".{target.name}.cache.sqlite"
        self.session = Session(content, templates, Cache(self.cache_path), include_drafts=True)

    def rebuild(self) -> list[str]:
        """Build the preview; the problems as text lines (empty when it built).

        The build runs in a forked process of its own: in a thread of this one it would
        share the interpreter with the quick updates and slow them several times over
        (a second or two at 10,000 notices). It sends back only what the next builds
        and quick updates need (the engine's `Memory`)."""
        outcome = None
        if self.own_process:
            outcome = in_child(self._build_in_child)
        if outcome is None:  # no fork, or the child failed: here, to report it
            outcome = self._build()
        if outcome.memory is None:
            lines = [p.format(self.lang) for p in outcome.problems]
            if outcome.error is not None:
                lines.append(outcome.error if isinstance(outcome.error, str)
                             else outcome.error.render(self.lang))
            return self._show_errors(lines)
        self.session.adopt(outcome.memory)
        self.last_static = list(outcome.memory.static)
        self.last_good = None
        return []

    def _build_in_child(self) -> Refreshed:
        self.session.cache = Cache(self.cache_path)  # SQLite connections do not survive a fork
        # Behind the quick updates (an edited notice's pages, then its search index) for
        # the cores, as those are what the person editing waits for.
        with contextlib.suppress(OSError):
            os.nice(REBUILD_NICENESS)
        return self._build()

    def _build(self) -> Refreshed:
        return self.session.refresh(self.target, datetime.now(ZoneInfo("UTC")))

    def show_edit(self, changed: list[Path]) -> tuple[str, ...]:
        """The edited notice's own pages at once, before the full rebuild (which updates
        the lists and feeds, and checks the notice against all the others): the paths
        written; () when the edit is not that simple: then only the full rebuild runs."""
        if self.last_good is not None:
            return ()
        return self.session.update(self.target, changed, datetime.now(ZoneInfo("UTC")))

    def index_edit(self, written: tuple[str, ...]) -> tuple[str, ...]:
        """The search index parts of pages `show_edit` wrote, made again at once."""
        if self.last_good is not None:
            return ()
        return self.session.index_update(self.target, written)

    def _show_errors(self, lines: list[str]) -> list[str]:
        """The last good pages again, each with the errors on top."""
        if self.last_good is None:
            copied = {path for path, _ in self.last_static} | {MARKER}
            self.last_good = []
            files = self.session.memory.files if self.session.memory is not None else {}
            for path in sorted(set(files) - copied):
                try:
                    self.last_good.append((path, (self.target / path).read_bytes()))
                except OSError:
                    pass  # a page removed by hand is left out
        banner = error_banner(lines).encode()
        pages = [(path, _inject(data, banner) if path.endswith(".html") else data)
                 for path, data in self.last_good]
        if not pages:
            pages = [("index.html", b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                      b"<title>Build error</title></head><body>" + banner + b"</body></html>")]
        try:
            write_site(self.target, pages, self.last_static)
        except SiteError:
            pass
        self.session.adopt(None)
        return lines


def in_child(work: Callable[[], T]) -> T | None:
    """work() in a forked process, its result sent back pickled; None if it failed.

    The child writes nothing but its result: it leaves at once with os._exit, so that
    nothing this process holds (the server, its threads, its files) is closed twice."""
    reader, writer = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        status = 1
        try:
            _stop_with(parent)
            os.close(reader)
            with os.fdopen(writer, "wb") as pipe:
                _Pickler(pipe, protocol=pickle.HIGHEST_PROTOCOL).dump(work())
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not data:
        return None
    return pickle.loads(data)


def _stop_with(parent: int) -> None:
    """Have the kernel stop this child when the process that forked it ends, however
    it ends (Linux's PR_SET_PDEATHSIG), so that a stopped preview leaves no rebuild
    writing on behind it."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it ended before that was set
        os._exit(1)


class _Pickler(pickle.Pickler):
    """The model's read-only mappings (`frozen_map`) travel as what they are."""

    dispatch_table = {**copyreg.dispatch_table,
                      MappingProxyType: lambda mapping: (frozen_map, (dict(mapping),))}


def error_banner(lines: list[str]) -> str:
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return ('<div role="alert" class="banner build-error" style="background:#7a0010;color:#fff;'
            'padding:1rem;font:16px/1.5 sans-serif"><strong>The preview could not be updated. '
            'Fix these problems and save; the pages below are the last good build. '
            '/ 미리보기를 갱신하지 못했습니다. 아래 문제를 고친 뒤 저장하세요.</strong>'
            f'<ul>{items}</ul></div>')


def _inject(page: bytes, banner: bytes) -> bytes:
    head, sep, tail = page.partition(b"<body>")
    return head + sep + banner + tail if sep else banner + page


def preview_files() -> type:
    """livereload's file handler, with two mendings: a path holding a NUL is not found
    (tornado's file lookup would fail on it with a 500), and a page that is not found
    gets the site's own 404 page, as on the real site, not tornado's bare English one."""
    from livereload.handlers import StaticFileHandler
    from tornado.web import HTTPError

    class PreviewFiles(StaticFileHandler):
        def parse_url_path(self, url_path: str) -> str:
            if "\x00" in url_path:
                raise HTTPError(404)
            return super().parse_url_path(url_path)

        def write_error(self, status_code: int, **kwargs) -> None:
            page = Path(self.root) / "404.html"
            if status_code != 404 or not page.is_file():
                super().write_error(status_code, **kwargs)
                return
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.finish(page.read_bytes())

    return PreviewFiles


LIVE_SCRIPT = (b'<script type="text/javascript">(function(){'
               b'var s=document.createElement("script");'
               b"var port=(window.location.port || "
               b"(window.location.protocol == 'https:' ? 443: 80));"
               b's.src="//"+window.location.hostname+":"+port'
               b'+ "/livereload.js?port=" + port;'
               b'document.head.appendChild(s);'
               b'})();</script>')
"""What livereload puts before each page's </head> (its own snippet): it loads
livereload.js, whose socket then reloads the page after a rebuild."""


def local_hosts(port: int) -> set[str]:
    """The Host headers the preview answers: this computer, by address or by name."""
    hosts = {f"{HOST}:{port}", f"localhost:{port}"}
    return hosts | {HOST, "localhost"} if port == 80 else hosts


def refusal_page(port: int) -> bytes:
    """The page for a request addressed to another name: where the preview is."""
    url = f"http://{HOST}:{port}/"
    text = say("This preview is only for this computer. Open it at")
    link = f'<a href="{url}">{url}</a>'
    return ('<!doctype html><html lang="ko"><meta charset="utf-8"><title>403</title>'
            f'<p>{html.escape(text.render("ko"))} {link}</p>'
            f'<p lang="en">{html.escape(text.render("en"))} {link}</p></html>').encode()


def preview_server(port: int, sockets: list | None = None, verbose: bool = False):
    """livereload's server, answering only requests addressed to this computer, on
    `sockets` when they are given (bound already, so a port in use is known before).
    Tornado's and livereload's own log lines are shown only when `verbose`.

    DNS rebinding lets a web page elsewhere send requests to 127.0.0.1 under its own
    name (`Host: attacker.example`) and read the answers; so a request whose Host is not
    in `local_hosts` gets 403, whatever it asks for (pages, livereload.js, the socket),
    and the reload socket takes only pages of the preview (the Origin header). A browser
    always sends Origin on a socket, so a socket without one (no browser) is refused too:
    only the preview's own pages use it. livereload's /forcereload is left out."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from livereload.server import LiveScriptInjector
    from tornado import web
    from tornado.httpserver import HTTPServer

    hosts = local_hosts(port)
    origins = {f"http://{host}" for host in hosts}
    refusal = refusal_page(port)

    class Refused(web.RequestHandler):
        def prepare(self) -> None:
            self.set_status(403)
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.finish(refusal)

    class Socket(LiveReloadHandler):
        def prepare(self) -> None:  # tornado's own check lets a missing Origin through
            if self.request.headers.get("Origin") not in origins:
                raise web.HTTPError(403)

        def check_origin(self, origin: str) -> bool:
            return origin in origins

    class Application(web.Application):
        def find_handler(self, request, **kwargs):
            if request.host.lower() not in hosts:
                return self.get_handler_delegate(request, Refused)
            return super().find_handler(request, **kwargs)

    class Transform(LiveScriptInjector):
        script = LIVE_SCRIPT

    class PreviewServer(Server):
        def application(self, port, host, liveport=None, debug=None, live_css=True):
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css
            handlers = [(r"/livereload", Socket), (r"/livereload.js", LiveReloadJSHandler)]
            app = Application(handlers + self.get_web_handlers(LIVE_SCRIPT),
                              transforms=[Transform])
            if sockets is None:
                app.listen(port, address=host)
            else:
                for sock in sockets:
                    sock.listen(128)
                HTTPServer(app).add_sockets(sockets)

        def _setup_logging(self) -> None:
            if verbose:
                return super()._setup_logging()
            for name in ("livereload", "tornado"):
                logger = logging.getLogger(name)
                logger.addHandler(logging.NullHandler())
                logger.propagate = False

    return PreviewServer()


def overlapping(a: Path, b: Path) -> bool:
    """Whether one folder is, or is inside, the other (after following symlinks)."""
    return inside(a, b) or inside(b, a)


def run_serve(argv: list[str]) -> int:
    parser = CommandParser("build.py serve", say("Preview the site while you edit it."), argv)
    add_content_option(parser)
    parser.add_argument("--port", type=int, default=8000,
                        help=say("the port the preview listens on, on this computer only "
                                 "(default: 8000)"))
    parser.add_argument("--preview-dir", type=Path, default=Path(".cache/preview"),
                        help=say("where the preview is built (default: .cache/preview)"))
    parser.add_argument("--verbose", action="store_true",
                        help=say("also show the web server's own log lines"))
    add_lang_option(parser)
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        parser.error_text(say("--port {port} is not a port; use a number from 1 to 65535, "
                              "e.g. --port 8001.", port=args.port))
    # Drafts and embargoed bodies must not land where a site is published from, nor be
    # taken for content (or have the preview's clean-up delete it).
    for folder in (Path("output"), args.content, TEMPLATES):
        if overlapping(args.preview_dir, folder):
            parser.error(say("--preview-dir {preview} and {folder} overlap: the preview "
                             "holds drafts and embargoed notices, so it must be a folder of "
                             "its own, away from the site's output, content and templates "
                             "(the default is .cache/preview).", preview=args.preview_dir,
                             folder=shown_path(folder)).render(parser.lang))
    # One preview per folder: a second one on the same folder would rebuild over the
    # first one's pages (the builds' own lock, which dies with this process).
    try:
        with hold(args.preview_dir, wait=False):
            return _run_preview(args)
    except SiteError as exc:
        print(say("error: {message}", message=exc.say(args.lang)).render(args.lang),
              file=sys.stderr)
        return 1


def listening(port: int) -> list | Text:
    """The preview's socket, bound on `port` before anything says it is there; or what
    to do when it cannot be (a port in use, e.g. by another preview or by `python -m
    http.server`, whose default is 8000 too). It listens only when the server starts:
    a browser that comes earlier is refused and tries again, and does not get a page
    before the watcher hears of edits."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.setblocking(False)
        return [sock]
    except (OSError, OverflowError) as exc:
        sock.close()
        if getattr(exc, "errno", None) == errno.EADDRINUSE:
            return say("port {port} is already in use by another program (another preview, "
                       "or a web server such as python -m http.server); stop it, or choose "
                       "another port with --port, e.g. --port {other}.", port=port,
                       other=8001 if port == 8000 else 8000)
        return say("the preview cannot listen on port {port} ({reason}); choose another "
                   "port with --port, e.g. --port 8001.", port=port,
                   reason=getattr(exc, "strerror", None) or exc)


def _run_preview(args) -> int:
    from livereload.handlers import LiveReloadHandler  # only the preview needs it
    from tornado.ioloop import IOLoop

    sockets = listening(args.port)
    if isinstance(sockets, Text):
        print(say("error: {message}", message=sockets).render(args.lang), file=sys.stderr)
        return 1
    preview = Preview(args.content, args.preview_dir, lang=args.lang)
    loop = IOLoop.current()  # the loop livereload's server will run in (this thread's)

    def say_line(line, error: bool) -> None:
        text = line if isinstance(line, str) else line.render(args.lang)
        print(text, file=sys.stderr if error else sys.stdout, flush=True)

    updates = Updates(preview, say_line,
                      lambda: loop.add_callback(LiveReloadHandler.reload_waiters))
    updates.rebuild_now()
    server = preview_server(args.port, sockets, args.verbose)
    server.SFH = preview_files()
    # livereload finds changes by walking the watched folders every 0.8 s, which at
    # 10,000 notices is slow in itself; watchfiles hears of them from the kernel
    # (inotify) at once. livereload serves the preview and reloads the open pages.
    server.watch(str(args.preview_dir / MARKER), None)
    updates.start([args.content, TEMPLATES])
    print(say("Preview at {url} (drafts and embargoed notices included). Press Ctrl+C to "
              "stop.", url=f"http://{HOST}:{args.port}/").render(args.lang), flush=True)
    try:
        server.serve(host=HOST, port=args.port, root=str(args.preview_dir),
                     open_url_delay=None, restart_delay=0)
    finally:
        updates.stop.set()
    return 0
