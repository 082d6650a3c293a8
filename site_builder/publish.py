"""`python build.py publish`: build, and deploy when the published site changed; with
`--wait`, keep doing so, so that an embargoed notice goes live on its release minute
without anyone awake.

Stage: cli (a command that builds with the build's own options and summary). May
import: stdlib, every stage.

The build is `build.py`'s own (same checks, build lock, atomic swap). Whether the site
changed is decided from what the build recorded of every file's bytes, against what
was last deployed successfully (kept in the cache folder): a deploy that failed, or
was killed, is therefore made again by the next run, and a run with nothing new
deploys nothing. With --wait the build runs once a wall-clock minute (a build with
nothing to do is cheap), so a release minute, a content edit, a failed deploy or a
clock that jumped are all picked up by the next minute's build.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from .cache import digest, open_cache
from .cli import _plural, add_site_options, summary, waiting_line
from .errors import ContentError, SiteError, UsageError, say
from .lock import hold
from .options import (CommandParser, add_lang_option, add_now_option,
                      separate_folders)
from .engine import Session
from .write import real_output, remove_later

DEPLOYED = "deployed.json"
"""In the cache folder: output + deploy command -> the site last deployed from there."""
TAIL = 15
"""Lines of a failed deploy's output that are shown."""


class Stopped(BaseException):
    """SIGTERM or Ctrl+C: stop where we are."""


def _parser(argv: list[str]) -> CommandParser:
    parser = CommandParser("build.py publish", say(
        "Build the site and, when the published site changed, run the deploy command. "
        "With --wait, keep running: every embargoed notice is published on its release "
        "minute and content edits within a minute."), argv)
    add_site_options(parser)
    parser.add_argument("--deploy", metavar="COMMAND", default=None,
                        help=say("a shell command that copies the site to the web server, "
                                 "run when the site changed; the output folder is in "
                                 "$SITE_OUTPUT"))
    parser.add_argument("--deploy-timeout", metavar="SECONDS", type=float, default=600.0,
                        help=say("stop a deploy that has not finished after this many "
                                 "seconds (default: 600)"))
    parser.add_argument("--wait", action="store_true",
                        help=say("keep running and publish again every minute something "
                                 "changed or a notice is released (stop with Ctrl+C or "
                                 "SIGTERM)"))
    add_now_option(parser, say("the build time, ISO 8601, for tests (default: now); not "
                               "with --wait"))
    add_lang_option(parser)
    return parser


def run_publish(argv: list[str]) -> int:
    parser = _parser(argv)
    args = parser.parse_args(argv)
    if args.wait and args.now is not None:
        parser.error_text(say("--now cannot be used with --wait, which follows the clock."))
    if not args.deploy_timeout > 0:
        parser.error_text(say("--deploy-timeout must be a number of seconds above 0."))
    cache_folder = None if args.no_cache else args.cache
    problem = separate_folders(args.content, args.templates, output=args.output,
                               cache=cache_folder)
    if problem is not None:
        parser.error_text(problem)
    publisher = Publisher(args, cache_folder)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def stop(signum, frame):
        raise Stopped(signum)
    for sig in previous:
        signal.signal(sig, stop)
    try:
        if not args.wait:
            return publisher.once(args.now or datetime.now(timezone.utc))
        return publisher.forever()
    except UsageError as exc:
        parser.error_text(exc.text or str(exc))
    except Stopped:
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        print(say("Stopped during a publish. The output is as it was, or complete if the new "
                  "site was already in place; the next publish deploys it.").render(args.lang),
              file=sys.stderr, flush=True)
        return 130
    finally:
        for sig, handler in previous.items():
            if signal.getsignal(sig) is stop:
                signal.signal(sig, handler)


class Publisher:
    def __init__(self, args, cache_folder: Path | None):
        self.args, self.lang, self.cache_folder = args, args.lang, cache_folder
        self.shown: tuple[str, ...] = ()
        """The errors or warnings printed last (--wait prints the same ones once)."""
        self.next_release: datetime | None = None
        self.memory: dict[str, str] = {}
        """What was deployed, without a cache folder to keep it in."""

    def _print(self, text: str, stream=sys.stdout) -> None:
        print(text, file=stream, flush=True)

    def _once_only(self, lines: list[str]) -> bool:
        """Whether these lines differ from the ones printed last (and are to be printed)."""
        if not self.args.wait:
            return True
        fresh, self.shown = tuple(lines) != self.shown, tuple(lines)
        return fresh

    def once(self, now: datetime) -> int:
        """One build and, if the site changed, one deploy: the exit status."""
        args, lang = self.args, self.lang
        started = time.monotonic()
        cache = open_cache(self.cache_folder)
        try:
            report = Session(args.content, args.templates, cache).build(
                args.output, now, discard=remove_later, wait=True, waiting=waiting_line(lang))
            site = self._fingerprint(cache)
        except ContentError as exc:
            lines = [p.format(lang) for p in exc.problems]
            if self._once_only(lines):
                count = len(exc.problems)
                self._print("\n".join(lines + [self._stamp() + _plural(
                    count, "{count} error; nothing was published and {output}/ is unchanged.",
                    "{count} errors; nothing was published and {output}/ is unchanged.",
                    output=args.output).render(lang)]), sys.stderr)
            return 1
        except UsageError:
            raise
        except SiteError as exc:
            self._print(self._stamp() + say("error: {message}", message=exc.say(lang))
                        .render(lang), sys.stderr)
            self.shown = ()
            return 1
        finally:
            cache.close()
        self.next_release = report.next_release
        if not report.warnings:
            self.shown = ()
        warnings = [say("warning: {message}", message=w.format(lang)).render(lang)
                    for w in report.warnings]
        if warnings and self._once_only(warnings):
            self._print("\n".join(warnings), sys.stderr)
        key = digest(str(real_output(args.output)), args.deploy or "")
        deployed = self._deployed()
        line = summary(report, args.output, time.monotonic() - started, False).render(lang)
        if site is not None and deployed.get(key) == site:
            if not args.wait:
                self._print(line + " " + say("The published site has not changed; nothing "
                                             "was deployed.").render(lang))
            return 0
        if args.deploy is None:
            self._print(self._stamp() + line)
            self._remember(key, site)
            return 0
        ok, result = self.deploy()
        self._print(self._stamp() + line + " " + result.render(lang),
                    sys.stdout if ok else sys.stderr)
        if ok:
            self._remember(key, site)
        return 0 if ok else 1

    def _stamp(self) -> str:
        """The time at the start of a --wait log line."""
        if not self.args.wait:
            return ""
        return datetime.now().astimezone().isoformat(sep=" ", timespec="seconds") + " "

    def _fingerprint(self, cache) -> str | None:
        """The bytes of the site just built, as the build recorded them (every file's
        digest and the search index's), or read from the output without a cache."""
        output = real_output(self.args.output)
        files = cache.files(str(output))
        if files:
            # Named as the records were before they were typed, so that a site deployed
            # then is not taken for changed.
            contents = {path: record.content for path, record in files.items()}
            contents.update({f"<search index>{shard}": part.fingerprint
                             for shard, part in cache.parts(str(output)).items()})
            return digest(*(f"{path}\0{content}" for path, content in sorted(contents.items())))
        h = hashlib.sha256()
        for folder, folders, files in os.walk(output):
            folders.sort()
            for name in sorted(files):
                path = Path(folder, name)
                h.update(os.fsencode(path.relative_to(output)) + b"\0")
                with open(path, "rb") as stream:
                    while chunk := stream.read(1 << 20):
                        h.update(chunk)
                h.update(b"\0")
        return h.hexdigest()

    def _deployed(self) -> dict[str, str]:
        if self.cache_folder is None:
            return self.memory
        try:
            value = json.loads((self.cache_folder / DEPLOYED).read_text("utf-8"))
            return value if isinstance(value, dict) else {}
        except (OSError, ValueError):
            return {}

    def _remember(self, key: str, site: str | None) -> None:
        if site is None:
            return
        if self.cache_folder is None:
            self.memory[key] = site
            return
        # Only the last few outputs and commands: the file must not grow without end.
        known = {k: v for k, v in self._deployed().items() if k != key}
        known = dict(list(known.items())[-20:])
        known[key] = site
        path = self.cache_folder / DEPLOYED
        fresh = path.with_name(f".{DEPLOYED}.{os.getpid()}")
        try:
            fresh.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
            os.replace(fresh, path)
        except OSError:
            fresh.unlink(missing_ok=True)  # the next run deploys again: harmless

    def deploy(self):
        """Run --deploy on the whole site (the output's lock held, so no build swaps it
        meanwhile): (succeeded, what to say)."""
        args = self.args
        output = real_output(args.output)
        env = {**os.environ, "SITE_OUTPUT": str(output)}
        started = time.monotonic()
        with hold(output, True, waiting_line(self.lang)), \
                tempfile.TemporaryFile() as log:
            process = subprocess.Popen(args.deploy, shell=True, env=env, stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
            try:
                status = process.wait(timeout=args.deploy_timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                _end(process)
                status, timed_out = process.returncode, True
            except BaseException:
                _end(process)
                raise
            seconds = f"{time.monotonic() - started:.1f}"
            if status == 0 and not timed_out:
                return True, say("Deployed in {seconds} s.", seconds=seconds)
            log.seek(0)
            tail = collections.deque(log.read().decode("utf-8", "replace").splitlines(), TAIL)
        last = "\n".join(f"  | {line}" for line in tail) or say("(it printed nothing)")
        if timed_out:
            return False, say("The deploy command did not finish in {timeout} s and was "
                              "stopped; the site is built in {output}/ and will be deployed "
                              "by the next publish. Its last lines:\n{lines}",
                              timeout=f"{args.deploy_timeout:g}", output=args.output,
                              lines=last)
        return False, say("The deploy command failed with exit status {status}; the site is "
                          "built in {output}/ and will be deployed by the next publish. Its "
                          "last lines:\n{lines}", status=status, output=args.output, lines=last)

    def forever(self) -> int:
        """Publish once a wall-clock minute, and at each release time; until stopped."""
        lang = self.lang
        self._print(say("Publishing {content}/ to {output}/ every minute; stop with Ctrl+C.",
                        content=self.args.content, output=self.args.output).render(lang))
        while True:
            built_at = datetime.now(timezone.utc)
            try:
                self.once(built_at)
            except (UsageError, Stopped):
                raise
            except Exception as exc:  # e.g. the cache folder unwritable: tried again
                self._print(self._stamp() + say("error: {message}", message=str(exc))
                            .render(lang), sys.stderr)
            try:
                _sleep_until_next_minute(built_at, self.next_release)
            except Stopped:
                self._print(say("Stopped; the site is as last published.").render(lang))
                return 0


def _sleep_until_next_minute(built_at: datetime, release: datetime | None) -> None:
    """In steps of at most a second against the wall clock, until its minute is not the
    one of `built_at` (a clock set back or forward ends the wait too), or `release`."""
    minute = built_at.replace(second=0, microsecond=0)
    while True:
        now = datetime.now(timezone.utc)
        if now.replace(second=0, microsecond=0) != minute or \
                (release is not None and built_at < release <= now):
            return
        time.sleep(min(1.0, max(0.05, 60 - now.second - now.microsecond / 1e6)))


def _end(process: subprocess.Popen) -> None:
    """Stop a deploy and whatever it started (its own process group)."""
    for sig, grace in ((signal.SIGTERM, 3), (signal.SIGKILL, 3)):
        try:
            os.killpg(process.pid, sig)
        except OSError:
            pass
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
