"""The Safeguarding Annual Report 2021-22: computed appendices against figures worked out by hand."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import PROJECT, run_cli
from generator.derive import Timeline, attendance_figures, budget_figures, derive
from generator.load import load_project

EDITION = "annual-report/2021-22"


@pytest.fixture(scope="module")
def real():
    project, report = load_project(PROJECT)
    assert report.errors == []
    return project


def test_attendance_per_meeting_worked_out_by_hand(real) -> None:
    # Appendix A, counting ✓ against ✓ and x (NA is not counted) down each column
    figures = attendance_figures(real.editions[EDITION].attendance, Timeline(real))
    assert [(r.present, r.expected) for r in figures.by_meeting] == [(15, 18), (13, 17), (14, 17), (13, 18)]
    assert (figures.overall.present, figures.overall.expected) == (55, 70)


def test_attendance_per_member_worked_out_by_hand(real) -> None:
    attendance = real.editions[EDITION].attendance
    figures = attendance_figures(attendance, Timeline(real))
    by_label = {row.label: (rate.present, rate.expected) for row, rate in zip(attendance.members, figures.by_member)}
    assert by_label["Chief Executive, MK Council"] == (3, 4)
    assert by_label["Chief Operating Officer, MK CCG"] == (0, 4)
    assert by_label["Healthwatch MK"] == (1, 1)
    assert by_label["DCI, TVP"] == (1, 4)
    assert by_label["Chair of VSA/Community Action MK"] == (1, 1)
    assert round(figures.by_member[0].percent) == 75


def test_quorum_per_meeting_under_the_handbook_then_in_force(real) -> None:
    figures = attendance_figures(real.editions[EDITION].attendance, Timeline(real))
    # April and July 2021 fall under the April 2021 handbook, November and February under November 2021's
    assert [q.handbook.id for q in figures.quorum] == ["handbook/2021-04", "handbook/2021-04", "handbook/2021-11", "handbook/2021-11"]
    assert [q.quorate for q in figures.quorum] == [True, True, True, True]
    required = [org for org, _ in figures.quorum[0].required]
    assert required == ["milton-keynes-council", "clinical-commissioning-group", "thames-valley-police",
                        "milton-keynes-university-hospital", "cnwl"]
    # in February the Head of Quality and Safeguarding was absent; the Chief Nurse of MKUHFT kept it quorate
    february = dict(figures.quorum[3].required)
    assert february["milton-keynes-university-hospital"] == ["Director Of Patient Care/Chief Nurse, MK UHFT"]


def test_quorum_fails_when_a_required_organisation_is_absent(real) -> None:
    attendance = real.editions[EDITION].attendance
    members = [row.model_copy(update={"marks": ["absent"] * 4}) if "thames-valley-police" in row.organisations else row
               for row in attendance.members]
    figures = attendance_figures(attendance.model_copy(update={"members": members}), Timeline(real))
    assert [q.quorate for q in figures.quorum] == [False] * 4
    assert figures.quorum[0].missing == ["thames-valley-police"]


def test_budget_totals_worked_out_by_hand(real) -> None:
    figures = budget_figures(real.editions[EDITION].budget)
    # children's: 51,482 + 18,595 + 891 + 2,673 + 1,974 * 3 + 107,504
    assert figures.childrens_total == -187_067
    # adults': 14,300 + 975 + 3,250 * 2 + 7,800 + 650 + 41,500
    assert figures.adults_total == -71_725
    assert figures.contributions_total == -258_792
    assert figures.row_totals[0] == -65_782 and figures.row_totals[-1] == -149_004
    # 185,190 + 7,537 + 34,484 + 5,298 + 1,564
    assert figures.expenditure_total == 234_073
    # -110,138 - 257,880 (as printed) + 234,073
    assert figures.carried_forward == -133_945
    assert [(d.printed, d.computed, d.difference) for d in figures.disagreements] == [
        (-257_880, -258_792, 912), (-133_944, -133_945, 1)]


def test_budget_page_shows_printed_figures_with_notes(built_site: Path) -> None:
    page = (built_site / EDITION / "budget/index.html").read_text()
    text = re.sub(r"<[^>]+>", " ", page)
    assert "-257,880" in text and "-133,944" in text, "printed figures are kept"
    assert "in the budget position is printed as -257,880. Its lines add up to -258,792, a difference of 912." in " ".join(text.split())
    assert 'id="budget-note-1"' in page and 'href="#budget-note-1"' in page
    assert "<caption>Agency contributions for 2021/22</caption>" in page
    assert page.count('role="img"') == 2 and "<title id=\"chart-contributions-title\">" in page


def test_attendance_page_is_an_accessible_table(built_site: Path) -> None:
    page = (built_site / EDITION / "attendance/index.html").read_text()
    assert "<caption>Agency attendance – MKTMB meetings 2021 - 2022</caption>" in page
    assert page.count('<th scope="col">') == 6 and page.count('<th scope="row">') == 20
    assert "55 of 70 (79%)" in page
    assert "April 21: quorate" in page


def test_a_wrong_total_is_a_warning_and_fails_strict(project: Path) -> None:
    budget = project / "data/annual-report/2023-24/budget.yml"
    budget.write_text(budget.read_text().replace("    total: -60000\n", "    total: -60600\n"))
    line = next(i for i, text in enumerate(budget.read_text().splitlines(), 1) if "total: -60600" in text)
    expected = (f"data/annual-report/2023-24/budget.yml:{line}:12: warning: total for Fixture Council: printed -60,600, "
                "computed -60,000 from its lines, difference -600; the printed figure is kept and the page notes the computed one")
    relaxed = run_cli(project, "check")
    assert relaxed.returncode == 0 and expected in relaxed.stderr
    strict = run_cli(project, "build", "--strict")
    assert strict.returncode == 1 and expected in strict.stderr
    assert not (project / "site").exists()


def test_quorum_of_each_meeting_follows_the_handbook_in_force(fixture_root: Path) -> None:
    """A meeting is judged under the Handbook edition published in or before its month."""
    project, report = load_project(fixture_root)
    figures = derive(project).reports["annual-report/2023-24"].attendance
    assert figures is not None
    assert [q.handbook.id for q in figures.quorum] == ["handbook/2023-04", "handbook/2023-10", "handbook/2023-10"]
    assert [q.quorate for q in figures.quorum] == [True, False, True]
    assert figures.quorum[1].missing == ["health"]
    assert [(r.present, r.expected) for r in figures.by_meeting] == [(4, 4), (2, 3), (3, 3)]
    assert (figures.overall.present, figures.overall.expected) == (9, 10)


def test_every_report_links_to_its_board_in_the_handbook_in_force(built_site: Path, real) -> None:
    edition = real.editions[EDITION]
    for ident, report in edition.reports.items():
        page = (built_site / EDITION / "reports" / ident / "index.html").read_text()
        if report.kind == "board":
            assert f'href="../../../../handbook/2021-11/boards/{report.board}/"' in page
    assert len([r for r in edition.reports.values() if r.kind == "board"]) == 5
    assert len([r for r in edition.reports.values() if r.kind == "agency"]) == 9


def test_glossary_abbreviations_are_tooltips_on_every_edition(built_site: Path) -> None:
    handbook = (built_site / "handbook/2021-04/boards/health-and-wellbeing-board/index.html").read_text()
    assert '<abbr title="Milton Keynes University Hospital NHS Foundation Trust">MKUHFT</abbr>' in handbook
    report = (built_site / EDITION / "reports/thames-valley-police/index.html").read_text()
    assert '<abbr title="Violence Against Women and Girls">VAWG</abbr>' in report
    assert '<abbr title="Ofsted' not in handbook + report, "only abbreviations are explained"


def test_report_a_concern_is_one_click_from_every_page(built_site: Path) -> None:
    for page in built_site.rglob("index.html"):
        if "assets" in page.parts:
            continue
        target = "./" if page.parent.name == "report-a-concern" else "[./]*report-a-concern/"
        assert re.search(rf'<a [^>]*href="{target}"[^>]*>Report a concern', page.read_text()), page
    home = (built_site / "index.html").read_text()
    assert "01908 253772" in home and "children@milton-keynes.gov.uk" in home
