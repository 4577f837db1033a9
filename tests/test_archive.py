"""The historical records: SaferMK Partnership minutes (seed 004) and the Children and Families
Partnership's vision and principles (seed 003), their models, data and templates.

These tests load and render the files themselves, without the site's loader or renderer.
Counts are worked out by hand from the seeds.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown
import pytest
from markupsafe import Markup

from conftest import ROOT, SEEDS
from fidelity import fidelity
from generator import archive
from generator.archive import ArchiveDocument, Meeting
from generator.diagnostics import Report
from generator.render import make_environment, relative
from generator.resolve import references
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
    doc = load_yaml((ROOT / rel).read_text(encoding="utf-8"), rel, report)
    assert doc is not None, [str(d) for d in report.items]
    value = validate(doc, model, report)
    return value, doc, report


@pytest.fixture(scope="module")
def meeting() -> Meeting:
    value, doc, report = load(MEETING_FILE, Meeting)
    assert isinstance(value, Meeting)
    archive.check_meeting(MEETING_FILE, value, doc, report)  # type: ignore[arg-type]
    assert [str(d) for d in report.items] == []
    return value


@pytest.fixture(scope="module")
def document() -> ArchiveDocument:
    value, doc, report = load(DOCUMENT_FILE, ArchiveDocument)
    assert isinstance(value, ArchiveDocument)
    archive.check_archive_document(DOCUMENT_FILE, value, doc, report)  # type: ignore[arg-type]
    archive.check_archive_prose((ROOT / PROSE_FILE).read_text(encoding="utf-8"), PROSE_FILE, report)
    assert [str(d) for d in report.items] == []
    return value


# (a) the files load without a diagnostic, and every organisation they name exists ----------

def test_both_files_load_without_diagnostics(meeting: Meeting, document: ArchiveDocument) -> None:
    for model in (meeting, document):
        for path, kind, ident in references(model):
            assert kind == "organisation"
            assert (ROOT / "data" / "organisations" / f"{ident}.yml").is_file(), f"{path}: unknown organisation {ident}"


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


# (c) the templates render, read like the sources, and hold every word of them --------------

def context(uri: str, **values: object) -> dict[str, object]:
    return {"page_uri": uri, "link": lambda target: relative(target, uri), **values}


def render_all(meeting: Meeting, document: ArchiveDocument, root: Path = ROOT / "templates",
               prefix: str = "pages/") -> dict[str, str]:
    env = make_environment(root)
    meeting_uri, document_uri = archive.meeting_uri(meeting), archive.document_uri(document)
    meetings = [(meeting_uri, meeting)]
    documents = [(document_uri, document)]
    prose = Markup((ROOT / PROSE_FILE).read_text(encoding="utf-8"))
    return {
        meeting_uri: env.get_template(f"{prefix}meeting.md.j2").render(
            context(meeting_uri, title=archive.meeting_title(meeting), sources=[MEETING_FILE], meeting=meeting)),
        document_uri: env.get_template(f"{prefix}archive-document.md.j2").render(
            context(document_uri, title=archive.document_title(document), sources=[DOCUMENT_FILE, PROSE_FILE],
                    document=document, prose=prose)),
        archive.MEETINGS_INDEX_URI: env.get_template(f"{prefix}meetings-index.md.j2").render(
            context(archive.MEETINGS_INDEX_URI, title="Minutes of meetings", sources=[MEETING_FILE], meetings=meetings)),
        archive.ARCHIVE_INDEX_URI: env.get_template(f"{prefix}archive-index.md.j2").render(
            context(archive.ARCHIVE_INDEX_URI, title="Archive", sources=[DOCUMENT_FILE, MEETING_FILE],
                    documents=documents, meetings=meetings)),
    }


@pytest.fixture(scope="module")
def pages(meeting: Meeting, document: ArchiveDocument) -> dict[str, str]:
    return render_all(meeting, document)


def html_of(page: str) -> str:
    return "<article>" + markdown.markdown(page, extensions=EXTENSIONS) + "</article>"


def test_the_minutes_read_like_minutes(pages: dict[str, str], meeting: Meeting) -> None:
    page = pages[archive.meeting_uri(meeting)]
    assert page.startswith("<!-- generated from data/meetings/safermk-partnership/2017-01-26.yml")
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


def test_the_board_it_became_is_named_when_given(meeting: Meeting) -> None:
    env = make_environment(ROOT / "templates")
    uri = archive.meeting_uri(meeting)
    page = env.get_template("pages/meeting.md.j2").render(context(
        uri, title="t", sources=[], meeting=meeting, board_name="Community Safety Partnership",
        board_page="handbook/2021-11/boards/community-safety-partnership.md"))
    assert ("SaferMK Partnership, the earlier name of the [Community Safety Partnership]"
            "(../../../handbook/2021-11/boards/community-safety-partnership.md)") in page


def test_the_vision_document_page(pages: dict[str, str], document: ArchiveDocument) -> None:
    page = pages[archive.document_uri(document)]
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
    index = pages[archive.ARCHIVE_INDEX_URI]
    assert "historical record" in index
    assert ("| [The Milton Keynes Children and Families Partnership: Vision and principles]"
            "(children-and-families-partnership-vision.md) | Undated | Draft |") in index
    assert "| [SaferMK Partnership](meetings/safermk-partnership/2017-01-26.md) | 26 January 2017 | SMK26 to SMK37 |" in index
    meetings = pages[archive.MEETINGS_INDEX_URI]
    assert "## SaferMK Partnership\n\n### 2017\n" in meetings
    assert "[Thursday 26 January 2017](safermk-partnership/2017-01-26.md)" in meetings


def test_templates_also_render_from_the_templates_folder(meeting: Meeting, document: ArchiveDocument,
                                                         pages: dict[str, str]) -> None:
    """The renderer may load templates as pages/<name> from templates/; the output is the same."""
    assert render_all(meeting, document) == pages


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
    text = (ROOT / MEETING_FILE).read_text(encoding="utf-8").replace("start_time: '14:03'", "start_time: 14:03")
    doc = load_yaml(text, MEETING_FILE, report)
    assert doc is not None and validate(doc, Meeting, report) is None
    assert any(re.search(r"write the time in quotes", str(d)) for d in report.items)


def test_a_mistyped_list_in_the_narrative_gets_one_diagnostic() -> None:
    report = Report()
    text = (ROOT / MEETING_FILE).read_text(encoding="utf-8").replace("      - bullets:\n", "      - bulets:\n", 1)
    doc = load_yaml(text, MEETING_FILE, report)
    assert doc is not None and validate(doc, Meeting, report) is None
    assert [d.message for d in report.items] == ["unknown key 'bulets'"]


def test_the_loader_helpers_know_the_archive_paths() -> None:
    assert archive.data_model_for(("meetings", "safermk-partnership", "2017-01-26.yml")) is Meeting
    assert archive.data_model_for(("archive", "children-and-families-partnership-vision.yml")) is ArchiveDocument
    assert archive.data_model_for(("organisations", "cnwl.yml")) is None
    assert archive.is_archive_prose(("archive", "children-and-families-partnership-vision.md"))
    report = Report()
    archive.check_meeting("data/meetings/saferMK/2017-01-27.yml", Meeting.model_validate(
        {"body": {"id": "safermk-partnership", "name": "x"}, "date": "2017-01-26", "venue": "v", "start_time": "14:00",
         "opening": "o", "items": [{"ref": "SMK1", "title": "t"}]}), load_yaml("a: 1", "x", report), report)  # type: ignore[arg-type]
    assert [d.message for d in report.items] == ["minutes go in data/meetings/<body-id>/<yyyy-mm-dd>.yml"]
