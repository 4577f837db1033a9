"""The preview's rebuilds are clean builds.

What generator/memo.py keeps from one generation to the next must never change a page: for every
file of the fixture project, an edit (and its undoing) gives, generated after the project as it
was, the same pages, files and diagnostics as generated from nothing. An incomplete `Page.depends`
fails here, with the page and the file it missed.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_fixture
from generator import memo
from generator.pipeline import generate

# values that name other things: editing them makes a different project, not a changed one
REFERENCES = {"id", "board", "boards", "organisation", "organisations", "kind", "status", "follows", "reports",
              "sections", "body", "published", "date", "month", "covers_from", "covers_to", "chair_organisation"}
TEXT = re.compile(r"^(\s*(?:- )?)([a-z_]+): (?!\[|\{|&|\*|!|\||>)(['\"]?)([A-Za-z][^\n]*?)(\3)$", re.M)
NUMBER = re.compile(r"^(\s*(?:- )?)([a-z_]+): (-?\d+)$", re.M)


def edits(path: Path) -> list[str]:
    """A text edit and a number edit of a YAML file; a sentence added to Markdown."""
    text = path.read_text()
    if path.suffix == ".md":
        return [text.rstrip("\n") + "\n\nA sentence added in the preview.\n"]
    found = []
    text_match = next((m for m in TEXT.finditer(text) if m.group(2) not in REFERENCES), None)
    if text_match:
        found.append(text[: text_match.end(4)] + " (edited)" + text[text_match.end(4):])
    number = next((m for m in NUMBER.finditer(text) if m.group(2) not in REFERENCES), None)
    if number:
        found.append(text[: number.start(3)] + str(int(number.group(3)) + 7) + text[number.end(3):])
    return found


def outcome(root: Path) -> tuple[dict[str, str] | None, dict[str, str] | None, list[str]]:
    site, report = generate(root)
    return (site.pages if site else None, site.files if site else None, [str(d) for d in report.sorted()])


def assert_clean(root: Path, what: str) -> bool:
    """Generated after the last generation, as from nothing; True if the project built."""
    kept = outcome(root)
    memo.clear()
    fresh = outcome(root)
    assert kept[2] == fresh[2], f"{what}: the diagnostics differ"
    if fresh[0] is not None:
        assert kept[0] is not None
        stale = [uri for uri in fresh[0] if kept[0].get(uri) != fresh[0][uri]]
        assert not stale, f"{what}: pages kept from before that a clean build makes otherwise: {stale[:5]}"
        assert kept[0].keys() == fresh[0].keys() and kept[1] == fresh[1], what
    return fresh[0] is not None


def test_every_edit_of_every_file_gives_the_pages_of_a_clean_build(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "project")
    memo.clear()
    assert assert_clean(root, "the fixture as it is")
    files = sorted(p for folder in ("data", "content") for p in (root / folder).rglob("*") if p.suffix in (".yml", ".md"))
    tried = built = 0
    for path in files:
        original = path.read_text()
        for edited in edits(path):
            tried += 1
            path.write_text(edited)
            built += assert_clean(root, f"after an edit of {path.relative_to(root)}")
            path.write_text(original)
            assert assert_clean(root, f"after undoing the edit of {path.relative_to(root)}")
    assert tried >= len(files) and built >= tried * 3 // 4, (tried, built)


def test_a_page_is_rendered_again_only_when_what_it_depends_on_changes(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "project")
    memo.clear()
    site, _ = generate(root)
    assert site is not None
    board = root / "data/handbook/2023-10/boards/risk.yml"
    board.write_text(board.read_text().replace("name: Risk", "name: Risks", 1))
    site, _ = generate(root)
    assert site is not None
    rendered = {key[0] for key in _memo("pages rendered").computed}
    assert "handbook/2023-10/boards/risk.md" in rendered and "boards/risk.md" in rendered
    assert not any(uri.startswith("handbook/2023-04/") for uri in rendered), "another edition's pages stay as they were"
    assert not rendered & {"index.md", "report-a-concern.md", "glossary.md", "handbook/2023-10/introduction.md"}, rendered
    assert [key[0] for key in _memo("load").computed] == ["data/handbook/2023-10/boards/risk.yml"]


def test_memory_stays_flat_however_long_the_preview_runs(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "project")
    memo.clear()
    board = root / "data/handbook/2023-10/boards/risk.yml"
    original = board.read_text()
    for n in range(20):
        board.write_text(original.replace("name: Risk", f"name: Risk {n}", 1))
        generate(root)
    kept = {m.name: len(m.now) + len(m.before) for m in memo.MEMOS}
    for n in range(20, 40):
        board.write_text(original.replace("name: Risk", f"name: Risk {n}", 1))
        generate(root)
    assert {m.name: len(m.now) + len(m.before) for m in memo.MEMOS} == kept, "no more kept after 40 edits than after 20"


def _memo(name: str) -> memo.Memo:  # type: ignore[type-arg]
    found = [m for m in memo.MEMOS if m.name == name]
    if not found:
        pytest.fail(f"no memo named {name!r}")
    return found[0]
