"""The engine every command goes through: what a plan knows, and that check and the
preview make the bytes a build writes."""

from __future__ import annotations

from pathlib import Path

from conftest import NOW, SAMPLE_SITE
from site_builder.engine import Session, plan

NOTICE = "notices/2016/hongeun-support-team.ko.md"


def test_a_plan_knows_which_files_each_notice_department_and_program_feeds():
    planned = plan(SAMPLE_SITE, NOW)
    paths = {target.path for target in planned.targets}
    uses = planned.uses
    notice = next(key for key in uses if key.endswith(NOTICE))
    own = {"ko/notices/2016/05/hongeun-support-team/index.html", "ko/notices/index.html",
           "ko/departments/welfare-policy/index.html", "ko/feed.xml"}
    assert own <= uses[notice] <= paths
    assert "ko/notices/2016/05/hongeun-support-team/index.html" in \
        uses["department:welfare-policy"]
    assert not any("hongeun" in path for path in uses["department:mapo-gu-office"])
    assert all(uses[f"program:{p}"] for p in ("silppuri-welfare", "visiting-community-center"))
    indexed = {t.path for t in planned.targets if t.indexed}
    assert "ko/notices/2016/05/hongeun-support-team/index.html" in indexed
    assert "ko/notices/index.html" not in indexed


def test_check_renders_in_memory_the_bytes_a_build_writes(tmp_path):
    out = tmp_path / "out"
    Session(SAMPLE_SITE).build(out, NOW)
    checked = Session(SAMPLE_SITE).check(NOW)
    assert checked.files and not list(tmp_path.glob("*cache*"))
    for path, data in checked.files.items():
        assert (out / path).read_bytes() == data, path


def _previewed(tmp_path: Path):
    """A copy of the sample site, a preview session and its first refresh."""
    import shutil
    from datetime import datetime
    from zoneinfo import ZoneInfo
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_SITE, content)
    now = datetime.now(ZoneInfo("UTC"))
    session, preview = Session(content, include_drafts=True), tmp_path / "preview"
    assert session.refresh(preview, now).memory is not None
    return content, session, preview, now


def test_the_preview_page_of_an_edit_is_the_page_its_refresh_makes(tmp_path):
    content, session, preview, now = _previewed(tmp_path)
    path = content / NOTICE
    path.write_text(path.read_text(encoding="utf-8") + "\n곧바로 보이는 문단.\n", "utf-8")
    written = session.update(preview, [path], now)
    page = "ko/notices/2016/05/hongeun-support-team/index.html"
    assert page in written and all("hongeun-support-team" in p for p in written)
    quick = (preview / page).read_bytes()
    assert "곧바로 보이는 문단." in quick.decode()
    assert session.refresh(preview, now).memory is not None
    assert (preview / page).read_bytes() == quick


def _indexed_texts(part: Path) -> str:
    import gzip
    return "".join(gzip.decompress(f.read_bytes()).decode("utf-8", "replace")
                   for f in sorted(part.glob("fragment/*.pf_fragment")))


def test_an_edit_shown_at_once_is_searchable_before_the_refresh_which_agrees(tmp_path):
    content, session, preview, now = _previewed(tmp_path)
    part = next((preview / "pagefind").glob("ko-2016*"))  # small years share a part
    other = {p.name: p.stat().st_ino for p in (preview / "pagefind").iterdir()
             if p.name != part.name}
    path = content / NOTICE
    path.write_text(path.read_text(encoding="utf-8") + "\n무지개다리축제 안내.\n", "utf-8")
    written = session.update(preview, [path], now)
    assert "무지개다리축제" not in _indexed_texts(part)
    assert session.index_update(preview, written) == (part.name,)
    assert "무지개다리축제" in _indexed_texts(part)
    # The other parts were left as they were, and nothing was left beside them.
    assert {p.name: p.stat().st_ino for p in (preview / "pagefind").iterdir()
            if p.name != part.name} == other
    assert session.index_update(preview, written) == ()  # nothing new to index
    # The refresh then leaves the index a fresh preview of the same content has.
    assert session.refresh(preview, now).memory is not None
    fresh = tmp_path / "fresh"
    assert Session(content, include_drafts=True).refresh(fresh, now).memory is not None
    for built in sorted((fresh / "pagefind").rglob("*")):
        if built.is_file():
            relative = built.relative_to(fresh)
            assert (preview / relative).read_bytes() == built.read_bytes(), relative
    assert sorted(p.relative_to(preview) for p in (preview / "pagefind").rglob("*")) == \
        sorted(p.relative_to(fresh) for p in (fresh / "pagefind").rglob("*"))
