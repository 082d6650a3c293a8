"""`build.py publish`: build, then deploy only when the published site changed; a deploy
that fails, hangs or is killed is reported and made again; `--wait` publishes an
embargoed notice on its release minute by the real clock, and SIGTERM stops it.
Also the deployment examples in deploy/."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from conftest import KST, NOW, ROOT, run_build, write_files

SITE = {
    "site.yaml": "title: {ko: 보도자료}\nbase_url: https://news.example.go.kr/\n"
                 "languages: [ko]\ntimezone: Asia/Seoul\n",
    "departments.yaml": "welfare:\n  name: {ko: 복지정책과}\n",
    "notices/2026/plain.ko.md": "---\ntitle: 기준 보도자료\ndepartment: welfare\n"
                                "release: 2026-05-03\n---\n본문\n",
}
EMBARGOED = "---\ntitle: 새벽 공개 보도자료\ndepartment: welfare\nrelease: {release}\n---\n본문\n"
RECORD = 'echo "$(date +%s) $(grep -rl "새벽 공개" "$SITE_OUTPUT" >/dev/null && echo yes || ' \
         'echo no)" >> "{calls}"'
"""A deploy that records each call: its time and whether the embargoed notice was in it."""


def publish(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return run_build("publish", "--content", str(tmp_path / "content"), "--output",
                     str(tmp_path / "output"), "--cache", str(tmp_path / "cache"),
                     "--lang", "en", *args, cwd=tmp_path)


def site(tmp_path: Path, release: str | None = None) -> Path:
    files = dict(SITE)
    if release:
        files["notices/2026/dawn.ko.md"] = EMBARGOED.format(release=release)
    return write_files(tmp_path / "content", files)


def calls(path: Path) -> list[str]:
    return path.read_text().split("\n")[:-1] if path.exists() else []


def test_publish_deploys_a_changed_site_once_and_an_unchanged_one_never(tmp_path):
    site(tmp_path, "2026-11-23T12:01+09:00")
    deploy = ('cp -r "$SITE_OUTPUT" "dest-$(ls | grep -c dest)" && '
              'echo "$SITE_OUTPUT" >> calls.txt')
    first = publish(tmp_path, "--now", NOW.isoformat(), "--deploy", deploy)
    assert first.returncode == 0, first.stderr
    assert "Deployed" in first.stdout
    assert calls(tmp_path / "calls.txt") == [str(tmp_path / "output")]
    assert (tmp_path / "dest-0" / "index.html").is_file()
    again = publish(tmp_path, "--now", NOW.isoformat(), "--deploy", deploy)
    assert again.returncode == 0, again.stderr
    assert "nothing was deployed" in again.stdout
    assert len(calls(tmp_path / "calls.txt")) == 1
    # The release minute passed: the site changed, and is deployed again, with the notice.
    later = publish(tmp_path, "--now", (NOW + timedelta(minutes=2)).isoformat(),
                    "--deploy", deploy)
    assert later.returncode == 0, later.stderr
    assert len(calls(tmp_path / "calls.txt")) == 2
    assert "새벽 공개" in "".join(p.read_text() for p in (tmp_path / "dest-1").rglob("*.html"))


def test_a_failing_deploy_gives_its_status_and_last_lines_and_is_made_again(tmp_path):
    site(tmp_path)
    failing = "for i in $(seq 1 40); do echo line-$i; done; echo disk-gone >&2; exit 7"
    result = publish(tmp_path, "--now", NOW.isoformat(), "--deploy", failing)
    assert result.returncode == 1
    assert "exit status 7" in result.stderr
    assert "line-40" in result.stderr and "disk-gone" in result.stderr
    assert "line-1\n" not in result.stderr  # only the last lines
    assert (tmp_path / "output" / "index.html").is_file()  # the site stays built
    # Nothing changed since, but the last deploy failed: the next run deploys.
    retried = publish(tmp_path, "--now", NOW.isoformat(), "--deploy", "echo x >> calls.txt")
    assert retried.returncode == 0, retried.stderr
    assert calls(tmp_path / "calls.txt") == ["x"]


def test_a_hanging_deploy_is_stopped_at_its_timeout(tmp_path):
    site(tmp_path)
    started = time.monotonic()
    result = publish(tmp_path, "--now", NOW.isoformat(), "--deploy-timeout", "1",
                     "--deploy", "echo connecting; sleep 60; echo never")
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "did not finish in 1 s" in result.stderr and "connecting" in result.stderr
    assert (tmp_path / "output" / "index.html").is_file()


def test_a_publish_killed_during_its_deploy_is_completed_by_the_next(tmp_path):
    site(tmp_path)
    started = tmp_path / "started"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "publish", "--now", NOW.isoformat(),
         "--content", "content", "--output", "output", "--cache", "cache", "--deploy",
         f'echo $$ > "{started}"; sleep 60'], cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            if started.exists() and started.read_text().strip():
                break
            time.sleep(0.1)
        process.kill()
        process.wait(timeout=10)
    finally:
        if started.exists() and started.read_text().strip():
            os.killpg(int(started.read_text()), signal.SIGKILL)
    result = publish(tmp_path, "--now", NOW.isoformat(), "--deploy", "echo x >> calls.txt")
    assert result.returncode == 0, result.stderr
    assert calls(tmp_path / "calls.txt") == ["x"]
    assert not list(tmp_path.glob(".output*"))  # no lock or staging folder left


def test_publish_reports_content_errors_and_leaves_the_site(tmp_path):
    site(tmp_path)
    assert publish(tmp_path, "--now", NOW.isoformat()).returncode == 0
    write_files(tmp_path / "content", {"notices/2026/bad.ko.md": "---\ntitle: 제목\n---\n본문\n"})
    result = publish(tmp_path, "--now", NOW.isoformat(), "--deploy", "echo x >> calls.txt")
    assert result.returncode == 1
    assert "bad.ko.md" in result.stderr and "nothing was published" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "output" / "index.html").is_file()
    assert calls(tmp_path / "calls.txt") == []


def test_wait_and_now_together_are_a_usage_error(tmp_path):
    site(tmp_path)
    result = publish(tmp_path, "--wait", "--now", NOW.isoformat())
    assert result.returncode == 2
    assert "--now cannot be used with --wait" in result.stderr


def _release_ahead() -> datetime:
    """The next minute of the real clock, or the one after if it is under 20 s away."""
    now = datetime.now(KST)
    release = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    if (release - now).total_seconds() < 20:
        release += timedelta(minutes=1)
    return release


def test_wait_publishes_an_embargoed_notice_on_its_minute_and_stops_on_sigterm(tmp_path):
    release = _release_ahead()
    site(tmp_path, release.isoformat(timespec="minutes"))
    record = tmp_path / "calls.txt"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "publish", "--wait", "--lang", "en",
         "--content", "content", "--output", "output", "--cache", "cache",
         "--deploy", RECORD.format(calls=record)], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = release.timestamp() + 60
        while time.time() < deadline and len(calls(record)) < 2:
            assert process.poll() is None, process.communicate()
            time.sleep(0.5)
        made = calls(record)
        assert [c.split()[1] for c in made] == ["no", "yes"]
        assert release.timestamp() <= int(made[1].split()[0]) <= release.timestamp() + 30
        assert "새벽 공개" in "".join(p.read_text() for p in
                                  (tmp_path / "output").rglob("*.html"))
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    logged = [line for line in out.splitlines() if "Deployed" in line]
    assert len(logged) == 2 and "1 embargoed" in logged[0] and "embargoed" not in logged[1]
    assert "Stopped" in out


DEPLOY = ROOT / "deploy"


def test_the_deployment_examples_run_publish():
    service = (DEPLOY / "systemd" / "press-publish.service").read_text()
    assert "build.py publish --wait" in service and "Restart=always" in service
    timer = (DEPLOY / "systemd" / "press-publish-once.timer").read_text()
    assert "OnCalendar=*-*-* *:*:00" in timer
    assert "build.py publish " in (DEPLOY / "systemd" / "press-publish-once.service").read_text()
    assert "build.py publish" in (DEPLOY / "cron").read_text()
    ci = (DEPLOY / "github-actions.yml").read_text()
    assert "schedule:" in ci and "build.py publish" in ci
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "error_page 404 /404.html" in nginx and "charset utf-8" in nginx
    assert "/pagefind/" in nginx and "application/atom+xml" in nginx
    htaccess = (DEPLOY / "htaccess").read_text()
    assert "ErrorDocument 404 /404.html" in htaccess and "AddDefaultCharset utf-8" in htaccess


def test_the_nginx_example_is_valid_where_nginx_is_installed(tmp_path):
    nginx = shutil.which("nginx")
    if nginx is None:
        return  # nothing to check it with; the test above still reads it
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
                    f"events {{}}\nhttp {{\ninclude {DEPLOY / 'nginx.conf'};\n}}\n")
    result = subprocess.run([nginx, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
