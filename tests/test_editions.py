"""Versioned editions. Fidelity: the changes between the two published Handbooks, worked out from
the documents. Rules, on the fixture: latest alias, banners, switcher, What changed, drafts,
new-edition, and one comparison for every page that says what changed."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import PROJECT, copy_fixture, run_cli
from generator.compare import compare_boards, compare_editions
from generator.derive import derive
from generator.load import load_project

OLD, NEW = "handbook/2021-04", "handbook/2021-11"


@pytest.fixture(scope="module")
def changes() -> dict[str, list[str]]:
    project, report = load_project(PROJECT)
    assert report.errors == []
    diff = compare_editions(project.editions[OLD], project.editions[NEW])
    return {group.title: [c.text for c in group.changes] for group in diff.groups}


def test_voice_and_workforce_were_removed(changes) -> None:
    # seed 001: "we will move forward with five affiliated boards: risk, assurance, review, tasking and child death"
    assert changes["Voice"] == ["The Voice board was removed."]
    assert changes["Workforce"] == ["The Workforce board was removed."]


def test_management_board_changes_worked_out_from_the_seeds(changes) -> None:
    board = changes["MK Together Management Board"]
    # "four places" (000) became "five places" (001)
    assert "Milton Keynes Council: places changed from 4 to 5." in board
    # April, July, November, February (000) became April, July, October, January (001)
    assert "Meeting months changed from April, July, November and February to April, July, October and January." in board
    # 001: "Although no longer a regular member of the management board, Healthwatch ..."; the VSA chair is invited
    assert "Member removed: Healthwatch." in board and "Member removed: GP representation." in board
    assert "Member added: MK Voluntary Sector Alliance." in board
    assert "Milton Keynes CCG: now printed as \u201cBLMK CCG\u201d." in board
    assert 'Function added: \u201cCommissioning any multi-agency training and co-ordinating a response to any workforce issues.\u201d' in board


def test_strategic_boards_meeting_months_and_members(changes) -> None:
    # June 2021, September 2021, February 2022 (000) against June, October, and February (001)
    assert changes["Health and Wellbeing Board"][0] == \
        "Meeting months changed from June, September and February to June, October and February."
    assert "Member added: Bucks Fire and Rescue representative." in changes["Health and Wellbeing Board"]
    csp = changes["Community Safety Partnership"]
    assert "Meeting months changed from July, October and March to July, November and March." in csp
    assert "National Probation Service/Community Rehabilitation Company: now printed as \u201cNational Probation Service\u201d." in csp


def test_assurance_is_chaired_by_the_scrutineer(changes) -> None:
    # 001: "Assurance ... will now be chaired by the independent Safeguarding Scrutineer"; 000: "Chair: TBC"
    assert "The chair changed from TBC to Independent safeguarding scrutineer." in changes["Assurance"]


def test_prose_changes_are_word_level(changes) -> None:
    affiliated = changes["Affiliated boards"]
    assert affiliated and affiliated[0].startswith("The text changed")
    project, _ = load_project(PROJECT)
    diff = compare_editions(project.editions[OLD], project.editions[NEW])
    words = next(c.words for g in diff.groups if g.title == "Affiliated boards" for c in g.changes)
    assert ("removed", "had seven") in words and ("added", "has five") in words


def test_diff_command_text_and_json_agree() -> None:
    text = run_cli(PROJECT, "diff", OLD, NEW)
    data = run_cli(PROJECT, "diff", OLD, NEW, "--format", "json")
    assert text.returncode == 0 and data.returncode == 0
    parsed = json.loads(data.stdout)
    sentences = [c["text"] for g in parsed["groups"] for c in g["changes"]]
    assert all(f"  - {s}" in text.stdout for s in sentences)
    assert "Voice\n  - The Voice board was removed." in text.stdout


def test_diff_of_an_unknown_edition_is_an_error() -> None:
    result = run_cli(PROJECT, "diff", OLD, "handbook/2021-12")
    assert result.returncode == 1 and "no edition 'handbook/2021-12'" in result.stderr and "Traceback" not in result.stderr


# rules, on the fixture: handbook/2023-04 superseded by handbook/2023-10 ----------------------

F_OLD, F_NEW = "handbook/2023-04", "handbook/2023-10"


def test_latest_alias_is_a_real_page_with_canonical_link(built_fixture: Path) -> None:
    page = (built_fixture / "handbook/index.html").read_text()
    assert "<h1" in page and "Fixture Partnership Handbook" in page and 'http-equiv="refresh"' not in page
    assert re.search(rf'<link rel="canonical" href="[^"]*/{F_NEW}/"', page)
    report = (built_fixture / "annual-report/index.html").read_text()
    assert re.search(r'<link rel="canonical" href="[^"]*/annual-report/2023-24/"', report)


def test_every_superseded_page_links_to_the_latest(built_fixture: Path) -> None:
    pages = list((built_fixture / F_OLD).rglob("index.html"))
    assert len(pages) > 8
    for page in pages:
        assert "It was superseded on 1 October 2023." in page.read_text(), page
    risk = (built_fixture / F_OLD / "boards/risk/index.html").read_text()
    assert '<a href="../../../2023-10/boards/risk/">Read this page in the latest edition, October 2023</a>' in risk
    voice = (built_fixture / F_OLD / "boards/voice/index.html").read_text()
    assert '<a href="../../../2023-10/">Go to the latest edition, October 2023</a>' in voice
    assert "superseded" not in (built_fixture / F_NEW / "boards/risk/index.html").read_text().split("mkt-editions")[0]


def test_switcher_and_published_dates_on_every_edition_page(built_fixture: Path) -> None:
    for page in (built_fixture / "handbook").rglob("index.html"):
        if page.parent.name == "editions":  # the page of every edition is no edition's page
            continue
        text = page.read_text()
        assert 'aria-label="Editions of the Partnership Handbook"' in text, page
        assert ">October 2023</a>" in text and ">April 2023</a>" in text
        assert "All 2 editions</a>" in text
    risk = (built_fixture / F_NEW / "boards/risk/index.html").read_text()
    assert '<a href="./" aria-current="page">October 2023</a> (in force)' in risk
    assert '<a href="../../../2023-04/boards/risk/">April 2023</a> (superseded)' in risk


def test_what_changed_page_follows_the_earlier_edition(built_fixture: Path) -> None:
    page = (built_fixture / F_NEW / "what-changed/index.html").read_text()
    assert "The Voice board was removed." in page and "<del>" in page and "<ins>" in page
    assert not (built_fixture / F_OLD / "what-changed").exists()


def test_a_typographic_apostrophe_is_no_change(fixture_root: Path) -> None:
    """“Children’s” and “Children's” are the same words: no page says they changed."""
    project, report = load_project(fixture_root)
    old, new = project.editions[F_OLD].boards["risk"], project.editions[F_NEW].boards["risk"]
    assert "Children\u2019s Services lead" in [m.label for m in old.members]
    assert "Children's Services lead" in [m.label for m in new.members]
    changes = [c.text for c in compare_boards(old, new)]
    assert changes == ["The chair changed from Detective Superintendent, Fixture Police to Head of Community Safety, Fixture Council."]


def test_board_history_what_changed_and_diff_agree(fixture_root: Path, built_fixture: Path) -> None:
    """The three places that say what changed in a board read one comparison."""
    project, _ = load_project(fixture_root)
    facts = derive(project)
    command = json.loads(run_cli(fixture_root, "diff", F_OLD, F_NEW, "--format", "json").stdout)
    for group in command["groups"]:
        if not group["board"] or group["board"] not in project.editions[F_NEW].boards:
            continue
        sentences = [c["text"] for c in group["changes"]]
        history = next(h for h in facts.histories[group["board"]] if h.edition.id == F_NEW)
        assert [c.text for c in history.changes] == sentences
        assert [c.text for c in next(g for g in facts.changes[F_NEW].groups if g.board == group["board"]).changes] == sentences
        page = html.unescape((built_fixture / "boards" / group["board"] / "index.html").read_text())
        assert all(s in page for s in sentences), group["board"]
    risk = html.unescape((built_fixture / "boards/risk/index.html").read_text())
    assert "Children" not in risk.split("October 2023")[-1], "no apostrophe change on the history page"


def test_drafts_are_built_only_when_asked(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "project")
    made = run_cli(root, "new-edition", "handbook/2024-04", "--from", F_NEW)
    assert made.returncode == 0, made.stderr
    edition = (root / "data/handbook/2024-04/edition.yml").read_text()
    assert f"status: draft\nfollows: {F_NEW}\n" in edition and "change_notes: []" in edition
    assert (root / "data/handbook/2024-04/boards/risk.yml").read_text() == (root / f"data/{F_NEW}/boards/risk.yml").read_text()
    assert run_cli(root, "new-edition", "handbook/2024-04", "--from", F_NEW).returncode == 1, "never overwritten"

    public = run_cli(root, "build", "--site-dir", str(tmp_path / "public"))
    assert public.returncode == 0, public.stderr
    assert not (tmp_path / "public/handbook/2024-04").exists()
    assert all("2024-04" not in p.read_text() and "<strong>DRAFT.</strong>" not in p.read_text()
               for p in (tmp_path / "public").rglob("*.html"))

    drafts = run_cli(root, "build", "--drafts", "--site-dir", str(tmp_path / "drafts"))
    assert drafts.returncode == 0, drafts.stderr
    draft_pages = list((tmp_path / "drafts/handbook/2024-04").rglob("index.html"))
    assert len(draft_pages) > 8
    assert all("<strong>DRAFT.</strong>" in p.read_text() for p in draft_pages)
    assert "<strong>DRAFT.</strong>" not in (tmp_path / f"drafts/{F_NEW}/index.html").read_text()
