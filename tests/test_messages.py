"""Every message exists in Korean as well as English, with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from site_builder.errors import Problem, catalog, say

PACKAGE = Path(__file__).resolve().parent.parent / "site_builder"


def _templates() -> dict[str, str]:
    """English template -> 'file:line' for every say("...") in the package."""
    found = {}
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("say", "_plural"):
                for arg in node.args:  # say(template, ...), _plural(count, one, many, ...)
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, f"{path.name}:{node.lineno}")
            elif isinstance(node, ast.Dict) and all(isinstance(v, ast.Constant) for v in node.values) \
                    and path.name == "config.py" and node.values and \
                    all("{key}" in str(v.value) for v in node.values):
                for v in node.values:  # the _UNKNOWN table of templates
                    found.setdefault(v.value, f"{path.name}:{v.lineno}")
    return found


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


TEMPLATES = _templates()


def test_the_package_has_translatable_messages():
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("template", sorted(TEMPLATES), ids=lambda t: TEMPLATES[t])
def test_each_message_has_a_korean_translation_with_the_same_placeholders(template):
    korean = catalog("ko").get(template)
    assert korean, f"no Korean for {template!r} ({TEMPLATES[template]}): add it to " \
                   "site_builder/messages/ko/"
    assert _fields(korean) == _fields(template)
    assert any("\uac00" <= ch <= "\ud7a3" for ch in korean), "the translation has no Hangul"


def test_no_translation_is_left_for_a_message_that_is_gone():
    assert sorted(set(catalog("ko")) - set(TEMPLATES)) == []


def test_a_problem_reads_in_either_language_and_nested_parts_follow():
    problem = Problem("content/x.ko.md", 5, say("'{key}' should be text, not {kind}.",
                                                 key="title", kind=say("a list")))
    assert problem.format() == "content/x.ko.md:5: 'title' should be text, not a list."
    korean = problem.format("ko")
    assert korean.startswith("content/x.ko.md:5: ") and "title" in korean
    assert "a list" not in korean and "목록" in korean
