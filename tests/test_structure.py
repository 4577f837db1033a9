"""Structure charts, boards across editions and organisation pages, all computed from the data."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import PROJECT
from generator.load import load_project
from generator.pipeline import published
from generator.plan import edition_label
from linkcheck import broken_links


@pytest.fixture(scope="module")
def project():
    project, report = load_project(PROJECT)
    assert report.errors == []
    return published(project)  # as the built site has it: a draft in the project is no page of it


def chart_boxes(page: str, variant: str) -> list[tuple[str, str, bool]]:
    """(href, title, suspended) of every box in one variant of the chart."""
    svg = re.search(rf'mkt-structure--{variant}".*?</svg>', page, re.S).group(0)
    boxes = re.findall(r'<a href="([^"]+)" class="mkt-box( mkt-box--suspended)?">.*?class="mkt-box__title">([^<]+)</text>', svg, re.S)
    return [(href, html.unescape(title), bool(suspended)) for href, suspended, title in boxes]


@pytest.mark.parametrize("edition, affiliated, suspended", [
    ("handbook/2021-04", ["Voice", "Workforce", "Risk", "Tasking", "Assurance", "Review", "Child Death"], ["Voice", "Workforce"]),
    ("handbook/2021-11", ["Risk", "Tasking", "Assurance", "Review", "Child Death"], []),
])
def test_chart_holds_exactly_the_editions_boards(built_site: Path, edition: str, affiliated: list[str], suspended: list[str]) -> None:
    page = (built_site / edition / "structure-chart/index.html").read_text()
    for variant in ("wide", "narrow"):
        boxes = chart_boxes(page, variant)
        titles = [title for _, title, _ in boxes]
        assert titles == ["Health and Wellbeing Board", "Community Safety Partnership", "MK Together Management Board"] + affiliated
        assert [title for _, title, is_suspended in boxes if is_suspended] == suspended
        for href, title, _ in boxes:
            target = (built_site / edition / "structure-chart" / href / "index.html").resolve()
            assert target.is_file() and "<h1" in target.read_text(), f"{title} links to {href}"
    svg = re.search(r'mkt-structure--wide".*?</svg>', page, re.S).group(0)
    assert "<title id=\"structure-wide-title\">" in svg and "<desc id=\"structure-wide-desc\">" in svg
    for name in suspended:
        assert re.search(rf"{name}</text>\s*<text[^>]*>Suspended</text>", svg), "suspended is said in words"
    assert "The structure as text" in page


def test_organisation_pages_agree_with_every_membership(built_site: Path, project) -> None:
    checked = 0
    for edition in project.editions.values():
        for board_id, board in edition.boards.items():
            for member in board.members:
                for org in member.organisations:
                    page = html.unescape((built_site / "organisations" / org / "index.html").read_text())
                    article = page.split("<article", 1)[1].split("</article>", 1)[0]
                    sections = [s for s in article.split("<h2")[1:] 
                                if f"{edition.edition.title}, {edition_label(edition)}" in re.sub(r"<[^>]+>", "", "<h2" + s.split("</h2>")[0])]
                    assert len(sections) == 1, (org, edition.id)
                    assert f'href="../../{edition.id}/boards/{board_id}/"' in sections[0], (org, edition.id, board_id)
                    plain = re.sub(r"<[^>]+>", "", sections[0])
                    assert re.sub(r"[*\\]", "", member.label) in re.sub(r"[*\\]", "", plain), (org, member.label)
                    checked += 1
    assert checked > 80


def test_organisation_page_lists_seats_roles_budget_attendance_and_reports(built_site: Path) -> None:
    text = re.sub(r"<[^>]+>", "", html.unescape((built_site / "organisations/thames-valley-police/index.html").read_text()))
    assert "Risk: core member, sponsor, chair, needed for quorum" in text
    assert "Community Safety Partnership: core member, vice-chair, responsible authority" in text
    assert "TV Police, children's -18,595, adults none, total -18,595" in text
    assert "Supt, Thames Valley Police, 4 of 4 meetings (100%)" in text
    assert "Thames Valley Police, MK Together Safeguarding Annual Report 2021-2022" in text


def test_an_organisation_renamed_between_editions_keeps_its_page(built_site: Path) -> None:
    text = re.sub(r"<[^>]+>", "", html.unescape((built_site / "organisations/clinical-commissioning-group/index.html").read_text()))
    assert "Named in this edition as Milton Keynes Clinical Commissioning Group." in text  # April 2021
    assert "Named in this edition as Bedfordshire, Luton and Milton Keynes Clinical Commissioning Group." in text


def test_board_across_editions(built_site: Path) -> None:
    voice = re.sub(r"<[^>]+>", "", html.unescape((built_site / "boards/voice/index.html").read_text()))
    assert "April 2021: suspended" in voice and "November 2021: removed" in voice
    assessment = re.sub(r"<[^>]+>", "", html.unescape((built_site / "boards/assurance/index.html").read_text()))
    assert "chair changed from TBC to Independent safeguarding scrutineer" in assessment
    assert "Assurance Board, MK Together Safeguarding Annual Report 2021-2022" in assessment
    index = (built_site / "boards/index.html").read_text()
    assert index.count("<tr>") == 11  # a header and ten boards


def test_all_new_pages_link_cleanly(built_site: Path) -> None:
    assert broken_links(built_site) == []
