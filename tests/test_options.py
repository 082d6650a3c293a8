"""The command line's help speaks the reader's language: --lang, else the locale."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

import pytest

from conftest import ROOT
from site_builder.errors import catalog
from site_builder.options import requested_language

COMMANDS = [[], ["serve"], ["check"], ["new"]]


def help_text(command: list[str], *extra: str, lang_env: str = "C.UTF-8") -> str:
    env = {**os.environ, "LANG": lang_env, "LC_ALL": "", "LC_MESSAGES": "", "COLUMNS": "80"}
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), *command, "--help", *extra],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "build")
def test_help_is_in_korean_with_lang_ko_and_fits_the_terminal(command):
    text = help_text(command, "--lang", "ko")
    assert text.startswith("사용법: build.py")
    assert "\n옵션:\n" in text and "이 도움말을 보여 주고 끝냅니다" in text
    assert "내용(content) 폴더" in text  # --content, shared by every command
    assert "options:" not in text and "show this help" not in text
    # Every line fits 80 columns, a Hangul syllable taking two.
    assert max(columns(line) for line in text.splitlines()) <= 80, text


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "build")
def test_help_is_in_english_by_default_and_in_korean_under_a_korean_locale(command):
    english = help_text(command)
    assert english.startswith("usage: build.py") and "\noptions:\n" in english
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in english)
    assert help_text(command, lang_env="ko_KR.UTF-8") == help_text(command, "--lang", "ko")


def test_every_option_of_build_is_explained_in_korean():
    text = help_text([], "--lang=ko")
    for english in ("where the site is written (default: output)", "also publish drafts",
                    "build everything from scratch, without reading or writing the cache"):
        assert catalog("ko")[english] in text.replace("\n" + " " * 24, " ")


@pytest.mark.parametrize("argv, korean, english", [
    (["--bogus"], "build.py: 오류: 알 수 없는 인자입니다: --bogus",
     "build.py: error: unrecognized arguments: --bogus"),
    (["new", "제목"], "build.py new: 오류: 다음 인자를 꼭 써야 합니다: --department",
     "build.py new: error: the following arguments are required: --department"),
    (["--output"], "build.py: 오류: --output 뒤에 값을 하나 써야 합니다",
     "build.py: error: argument --output: expected one argument"),
    (["check", "--format", "xml"], "오류: --format: 'xml'은(는) 쓸 수 없는 값입니다",
     "error: argument --format: invalid choice: 'xml' (choose from 'text', 'json')"),
])
def test_a_usage_error_is_said_in_the_readers_language_and_exits_2(argv, korean, english):
    def run(*lang: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "build.py"), *argv, *lang],
                              capture_output=True, text=True, timeout=60)
    in_korean, in_english = run("--lang", "ko"), run("--lang", "en")
    assert in_korean.returncode == in_english.returncode == 2
    assert in_korean.stderr.startswith("사용법: build.py") and korean in in_korean.stderr
    assert in_english.stderr.startswith("usage: build.py") and english in in_english.stderr


@pytest.mark.parametrize("argv, expected", [
    (["--lang", "ko"], "ko"), (["--lang=en"], "en"), (["--content", "x", "--lang", "ko"], "ko"),
    (["--lang"], "en"), (["--lang", "fr"], "en"), ([], "en")])
def test_the_language_is_found_before_the_command_line_is_parsed(argv, expected, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert requested_language(argv) == expected
