"""The historical records: SaferMK Partnership minutes (seed 004) and the Children and Families
Partnership's vision and principles (seed 003), their models, data and templates.

Counts are worked out by hand from the seeds; the pages are the Markdown the pipeline generates.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown
import pytest

from conftest import PROJECT, SEEDS, run_cli
from fidelity import fidelity
from generator import plan
from generator.checks import references
from generator.diagnostics import Report
from generator.load import data_kind
from generator.models import ArchiveDocument, Meeting
from generator.pipeline import generate
from generator.validate import validate
from generator.yamlload import load_yaml

MEETING_FILE = "data/meetings/safermk-partnership/2017-01-26.yml"
DOCUMENT_FILE = "data/archive/children-and-families-partnership-vision.yml"
PROSE_FILE = "content/archive/children-and-families-partnership-vision.md"
MINUTES_SEED = "004_727737e6b3b23bd2.txt"
VISION_SEED = "003_bb3634b6dd95392d.txt"
# as mkdocs.yml configures them
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc"]


def load(rel: str, model: type) -> tuple[object, object, Report]:
    report = Report()
    doc = load_yaml((PROJECT / rel).read_text(encoding="utf-8"), rel, report)
    assert doc is not None, [str(d) for d in report.items]
    value = validate(doc, model, report)
    return value, doc, report


@pytest.fixture(scope="module")
def meeting() -> Meeting:
    value, doc, report = load(MEETING_FILE, Meeting)
    assert isinstance(value, Meeting)
    assert [str(d) for d in report.items] == []
    return value


@pytest.fixture(scope="module")
def document() -> ArchiveDocument:
    value, doc, report = load(DOCUMENT_FILE, ArchiveDocument)
    assert isinstance(value, ArchiveDocument)
    assert [str(d) for d in report.items] == []
    return value


# (a) the files load without a diagnostic, and every organisation they name exists ----------

def test_both_files_load_without_diagnostics(meeting: Meeting, document: ArchiveDocument) -> None:
    for model in (meeting, document):
        for path, kind, ident in references(model):
            assert kind == "organisation"
            assert (PROJECT / "data" / "organisations" / f"{ident}.yml").is_file(), f"{path}: unknown organisation {ident}"


def test_the_new_organisation_file_is_valid() -> None:
    from generator.models import Organisation

    value, _, report = load("data/organisations/milton-keynes-safeguarding-children-board.yml", Organisation)
    assert report.items == [] and value is not None


# (b) what the minutes hold, counted by hand from the seed -----------------------------------

def test_meeting_facts(meeting: Meeting) -> None:
    assert meeting.body.id == "safermk-partnership"
    assert meeting.body.name == "SaferMK Partnership"
    assert meeting.body.board == "community-safety-partnership"
    assert meeting.date == dt.date(2017, 1, 26)
    assert (meeting.start_time, meeting.close_time) == (dt.time(14, 3), dt.time(15, 46))
    assert meeting.next_meeting == dt.date(2017, 4, 20)
    assert meeting.next_meeting_moved_from == dt.date(2017, 4, 13)
    assert "26 January 2017" in meeting.opening and "@ 2.03pm" in meeting.opening


def test_twelve_minute_items_smk26_to_smk37(meeting: Meeting) -> None:
    assert [i.ref for i in meeting.items] == [f"SMK{n}" for n in range(26, 38)]


def test_resolutions_per_item(meeting: Meeting) -> None:
    counts = {i.ref: len(i.resolutions) for i in meeting.items}
    assert counts == {
        "SMK26": 0, "SMK27": 1, "SMK28": 4, "SMK29": 6, "SMK30": 3, "SMK31": 4,
        "SMK32": 3, "SMK33": 2, "SMK34": 3, "SMK35": 1, "SMK36": 1, "SMK37": 0,
    }
    smk28 = next(i for i in meeting.items if i.ref == "SMK28")
    assert [len(r.sub_items) for r in smk28.resolutions] == [0, 0, 0, 4]


def test_narrative_paragraphs_and_bullets(meeting: Meeting) -> None:
    paragraphs = {i.ref: sum(isinstance(b, str) for b in i.narrative) for i in meeting.items}
    assert paragraphs == {
        "SMK26": 1, "SMK27": 0, "SMK28": 8, "SMK29": 6, "SMK30": 2, "SMK31": 4,
        "SMK32": 5, "SMK33": 5, "SMK34": 6, "SMK35": 4, "SMK36": 1, "SMK37": 1,
    }
    bullets = {i.ref: [len(b.bullets) for b in i.narrative if not isinstance(b, str)] for i in meeting.items}
    assert bullets["SMK28"] == [2] and bullets["SMK33"] == [4]
    assert sum(map(len, bullets.values())) == 2


def test_people(meeting: Meeting) -> None:
    assert len(meeting.present) == 7
    assert len(meeting.co_opted) == 3
    assert len(meeting.observers) == 2
    assert len(meeting.officers) == 8
    assert len(meeting.apologies) == 4
    chair = [p for p in meeting.present if p.chair]
    assert [(p.name, p.role) for p in chair] == [("Councillor O'Neill", "Non-Voting Chair")]
    deputies = {p.name: p.deputy_for_name for _, people in meeting.people() for p in people if p.deputy_for}
    assert deputies == {
        "Duncan Sharkey": "Carole Mills",
        "Graham Freer": "Calum Bell",
        "M Potter": "Nicola Webb",
        "D Pragnell": "Muriel Scott",
    }
    freer = next(p for p in meeting.present if p.name == "Graham Freer")
    assert freer.deputy_for == "Service Delivery Manager North and Milton Keynes, Buckinghamshire Fire and Rescue Service"
    assert freer.organisation == "bucks-fire-and-rescue"


def test_community_safety_fund_table_keeps_its_blank_amounts(meeting: Meeting) -> None:
    smk33 = next(i for i in meeting.items if i.ref == "SMK33")
    table = smk33.resolutions[1].table
    assert table is not None
    assert table.columns == ["Proposal 2017/18 Activity", "Contribution"]
    assert len(table.rows) == 7
    assert [row[1] for row in table.rows] == ["£40,000"] + ["£"] * 6


def test_the_vision_document(document: ArchiveDocument) -> None:
    assert document.status == "draft"
    assert document.date is None, "no date is printed"
    assert document.signatory and document.signatory.name == "Gail E Tolley"
    assert [len(p.aims) for p in document.principles] == [4, 4, 4]
    assert len(document.meeting_arrangements) == 4
    assert document.membership is not None
    assert [m.label for m in document.membership.duty_to_cooperate] == ["Local Authority", "Primary Care Trust", "Police", "Probation"]
    assert len(document.membership.other_partners) == 9


# (c) the pages read like the sources, and hold every word of them ---------------------------

@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """The Markdown of every page, as the pipeline generates it."""
    site, report = generate(PROJECT)
    assert site is not None, [str(d) for d in report.errors]
    return site.pages


def html_of(page: str) -> str:
    return "<article>" + markdown.markdown(page, extensions=EXTENSIONS) + "</article>"


def test_the_minutes_read_like_minutes(pages: dict[str, str], meeting: Meeting) -> None:
    page = pages[plan.meeting_uri(meeting)]
    assert page.split("\n---\n", 1)[1].startswith("<!-- generated from data/meetings/safermk-partnership/2017-01-26.yml")
    assert "# SaferMK Partnership: 26 January 2017\n" in page
    assert "## SMK29 REDUCING REOFFENDING UPDATE { #smk29 }" in page
    assert "**RESOLVED –**\n\n1. That the report be noted.\n2. That the oral update from the Community Rehabilitation" in page
    assert "\n    - (c) That the National Probation Service and the Community Rehabilitation Company (MTC Novo)" in page
    assert "| Graham Freer | Station Commander | Buckinghamshire Fire and Rescue Service (Deputy for Service Delivery" in page
    assert "| Duncan Sharkey | Corporate Director - Place (Deputy for Carole Mills [Chief Executive – Milton Keynes Council]) |  |" in page
    assert "That oral update on Domestic Homicide Reviews be noted." in page
    assert "THE CHAIR CLOSED THE MEETING AT 3.46 PM" in page
    html = html_of(page)
    for n in range(26, 38):
        assert f'id="smk{n}"' in html
    assert html.count("<table>") == 6, "five lists of people and the Community Safety Fund table"
    assert html.count("<th>Name</th>") == 5
    assert "<th>Proposal 2017/18 Activity</th>" in html and "<td>£</td>" in html
    assert "<li>(a) That the Director of Public Health" in html


def test_the_board_it_became_is_named(pages: dict[str, str], meeting: Meeting) -> None:
    page = pages[plan.meeting_uri(meeting)]
    assert ("SaferMK Partnership, the earlier name of the [Community Safety Partnership]"
            "(../../../boards/community-safety-partnership.md)") in page


def test_the_vision_document_page(pages: dict[str, str], document: ArchiveDocument) -> None:
    page = pages[plan.archive_document_uri(document)]
    assert "# The Milton Keynes Children and Families Partnership: Vision and principles\n" in page
    assert "**DRAFT**" in page
    assert "Undated" in page
    assert "## Principle 2: Ensure child and family centred service delivery across organisational boundaries" in page
    assert "- Challenge partners to join up service delivery and prevent organisational boundaries and Established practice" in page
    assert "## How the partnership meets" in page
    # the parts come where the prose places them: signatory in the foreword, membership last
    order = [page.index(s) for s in ("## Foreword", "**Gail E Tolley**", "## Our vision", "## Principle 1", "## Participation",
                                     "## How the partnership meets", "## Nolan", "## Membership", "- Special schools and academies")]
    assert order == sorted(order)
    assert "generated: " not in page.replace("<!-- generated from", "")
    assert "<br />\nCorporate Director<br />" in html_of(page)


def test_the_index_pages(pages: dict[str, str]) -> None:
    index = pages[plan.ARCHIVE_INDEX]
    assert "historical record" in index
    assert ("| [The Milton Keynes Children and Families Partnership: Vision and principles]"
            "(children-and-families-partnership-vision.md) | Undated | Draft |") in index
    assert "| [SaferMK Partnership](meetings/safermk-partnership/2017-01-26.md) | 26 January 2017 | SMK26 to SMK37 |" in index
    meetings = pages[plan.MEETINGS_INDEX]
    assert ("## SaferMK Partnership\n\nThe SaferMK Partnership was the earlier name of the [Community Safety Partnership]"
            "(../../boards/community-safety-partnership.md).\n\n### 2017\n") in meetings
    assert "[Thursday 26 January 2017](safermk-partnership/2017-01-26.md)" in meetings


@pytest.mark.parametrize("seed,uris", [
    (MINUTES_SEED, ["archive/meetings/safermk-partnership/2017-01-26.md"]),
    (VISION_SEED, ["archive/children-and-families-partnership-vision.md"]),
])
def test_every_sentence_of_the_seed_is_on_its_page(pages: dict[str, str], tmp_path: Path, seed: str, uris: list[str]) -> None:
    files = []
    for i, uri in enumerate(uris):
        path = tmp_path / f"{i}.html"
        path.write_text(html_of(pages[uri]), encoding="utf-8")
        files.append(path)
    result = fidelity(SEEDS / seed, files)
    assert result.missing == [], "\n".join(result.missing)
    assert result.total > 0


def test_a_time_typed_without_quotes_is_refused() -> None:
    report = Report()
    text = (PROJECT / MEETING_FILE).read_text(encoding="utf-8").replace("start_time: '14:03'", "start_time: 14:03")
    doc = load_yaml(text, MEETING_FILE, report)
    assert doc is not None and validate(doc, Meeting, report) is None
    assert any(re.search(r"write the time in quotes", str(d)) for d in report.items)


def test_a_mistyped_list_in_the_narrative_gets_one_diagnostic() -> None:
    report = Report()
    text = (PROJECT / MEETING_FILE).read_text(encoding="utf-8").replace("      - bullets:\n", "      - bulets:\n", 1)
    doc = load_yaml(text, MEETING_FILE, report)
    assert doc is not None and validate(doc, Meeting, report) is None
    assert [d.message for d in report.items] == ["unknown key 'bulets'"]


def test_the_loader_knows_the_archive_paths() -> None:
    assert data_kind(("meetings", "safermk-partnership", "2017-01-26.yml")) == "meeting"
    assert data_kind(("archive", "children-and-families-partnership-vision.yml")) == "archive-document"
    assert data_kind(("organisations", "cnwl.yml")) == "organisation"
    assert data_kind(("archive", "notes", "x.yml")) is None


def test_minutes_in_a_misnamed_file_are_refused(project: Path) -> None:
    source = project / "data/meetings/fixture-partnership/2019-01-15.yml"
    source.rename(source.with_name("2019-01-16.yml"))
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert ("data/meetings/fixture-partnership/2019-01-16.yml:") in result.stderr
    assert "must match the file's name, '2019-01-16.yml'" in result.stderr
