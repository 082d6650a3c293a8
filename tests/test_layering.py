"""The pipeline runs one way: each module's imports are the ones its docstring allows.

Every module of site_builder/ names its stage ("Stage: graph.") and what it may import
("May import: stdlib, errors, model."); this reads both lines and the module's import
statements (those under `if TYPE_CHECKING:` and inside functions too) and checks that
- every module of the package it imports is named on its line (or the line says
  "every stage"), and every third-party library is named there too;
- no module imports a module of a later stage (STAGES, left to right); modules
  "shared by" several stages import only other shared modules.
New modules need no change here: only a new stage does (add it to STAGES).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "site_builder"
STAGES = ["model", "load", "validate", "markdown", "urls", "graph", "render", "feeds",
          "sitemap", "write", "pipeline", "engine", "check", "serve", "import", "cli"]
"""The stages in pipeline order: a module may import only from its own stage or earlier."""
EVERYTHING = ("every stage", "every stage above")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py")


def _docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text("utf-8"))) or ""


def declared(path: Path) -> tuple[str, list[str]]:
    """(stage, names on the May import line) as the module's docstring states them."""
    text = " ".join(_docstring(path).split())
    stage = re.search(r"Stage: ([^.(]+?)\s*(?:\(|\.|$)", text)
    allowed = re.search(r"May import: (.+?)(?:\.(?:\s|$)|$)", text)
    assert stage and allowed, f"{path.name}: the docstring needs a 'Stage:' and a 'May import:' line"
    names = [n.strip() for n in re.split(r",|\band\b", allowed.group(1)) if n.strip()]
    return stage.group(1).strip(), names


def imports(path: Path) -> tuple[set[str], set[str]]:
    """(modules of the package, third-party top-level names) the module imports."""
    ours, theirs = set(), set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                if node.module:
                    ours.add(node.module.split(".")[0])
                else:
                    ours.update(a.name for a in node.names if a.name != "__version__")
            elif node.module and node.module != "__future__":
                theirs.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            theirs.update(a.name.split(".")[0] for a in node.names)
    theirs = {n for n in theirs if n not in sys.stdlib_module_names}
    if "site_builder" in theirs:
        theirs.discard("site_builder")
        ours.add("site_builder")
    return ours, theirs


def rank(stage: str) -> int | None:
    """The stage's place in STAGES; None for a module shared by several stages."""
    if stage.startswith("shared"):
        return None
    word = stage.split()[0]
    assert word in STAGES, f"unknown stage {stage!r}: add it to STAGES in {__file__}"
    return STAGES.index(word)


MODULES = {p.stem: p for p in _modules()}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_imports_only_what_its_docstring_allows(name):
    path = MODULES[name]
    stage, allowed = declared(path)
    ours, theirs = imports(path)
    assert "site_builder" not in ours, f"{name}: import the package's modules relatively"
    everything = any(a in EVERYTHING for a in allowed)
    unlisted = sorted(m for m in ours if m not in allowed and not everything)
    assert not unlisted, f"{name}.py imports {unlisted}, not on its 'May import:' line {allowed}"
    foreign = sorted(t for t in theirs if t not in allowed)
    assert not foreign, f"{name}.py imports {foreign}, not on its 'May import:' line {allowed}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_a_later_stage(name):
    mine = rank(declared(MODULES[name])[0])
    for other in sorted(imports(MODULES[name])[0]):
        assert other in MODULES, f"{name}.py imports {other}, which is not a module of the package"
        theirs = rank(declared(MODULES[other])[0])
        if mine is None:
            assert theirs is None, (f"{name}.py is shared by several stages, so it may import "
                                    f"only shared modules, not {other}")
        elif theirs is not None:
            assert theirs <= mine, (f"{name}.py (stage {STAGES[mine]}) imports {other}.py, of the "
                                    f"later stage {STAGES[theirs]}")


def test_the_rules_catch_a_drifted_line(tmp_path):
    """The checks above read the line as written (a guard against a test that passes
    because it reads nothing)."""
    module = tmp_path / "sample.py"
    module.write_text('"""Sample.\n\nStage: graph. May import: stdlib, errors, model,\n'
                      'urls and jinja2.\n"""\nfrom .errors import say\nfrom .render import x\n'
                      'import jinja2, yaml\n', "utf-8")
    assert declared(module) == ("graph", ["stdlib", "errors", "model", "urls", "jinja2"])
    assert imports(module) == ({"errors", "render"}, {"jinja2", "yaml"})
    assert rank("graph") < rank("render") and rank("shared by the commands") is None
