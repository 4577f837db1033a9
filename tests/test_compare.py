"""The comparison of each kind of data (generator/compare.py), on the fixture project: every field
of every kind is compared, text is compared normalised and shown sentence by sentence, the
sentences and counts are plain English, and the diff has its text, Markdown and data forms."""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from generator import compare
from generator.compare import (
    Change, EditionDiff, Group, as_markdown, as_text, compare_boards, compare_contacts, compare_editions,
    compare_organisations, compare_prose, excerpts, word_diff,
)
from generator.load import EditionData, Listed, Project, Prose, load_project
from generator.models import (
    Attendance, AttendanceMeeting, AttendanceRow, Board, Budget, BudgetLine, Contacts, Contribution, Edition,
    HighlightReport, LegalBasis, Organisation, Post, Section, Signatory,
)

H_OLD, H_NEW, REPORT = "handbook/2023-04", "handbook/2023-10", "annual-report/2023-24"


@pytest.fixture(scope="module")
def project(fixture_root: Path) -> Project:
    loaded, report = load_project(fixture_root)
    assert report.errors == []
    return loaded


def texts(changes: list[Change]) -> list[str]:
    return [c.text for c in changes]


def all_texts(diff: EditionDiff) -> dict[str, list[str]]:
    return {g.title: texts(g.changes) for g in diff.groups}


def revised(edition: EditionData, *, edition_update: dict[str, Any] | None = None, boards: dict[str, Board] | None = None,
            reports: dict[str, HighlightReport] | None = None, attendance: Attendance | None = None,
            budget: Budget | None = None, prose: dict[str, str] | None = None,
            report_prose: dict[str, str] | None = None) -> EditionData:
    """A copy of an edition with some of its parts changed, as the next revision of its files would be."""
    listed = {kind: dataclasses.replace(part, models=dict(part.models)) for kind, part in edition.listed.items()}
    listed["boards"].models.update(boards or {})
    listed["reports"].models.update(reports or {})
    singles = dict(edition.singles)
    for kind, model in (("attendance", attendance), ("budget", budget)):
        if model is not None:
            singles[kind] = dataclasses.replace(singles[kind], model=model)
    return dataclasses.replace(
        edition, edition=edition.edition.model_copy(update=edition_update or {}), listed=listed, singles=singles,
        prose={**edition.prose, **{k: Prose(f"{k}.md", v) for k, v in (prose or {}).items()}},
        report_prose={**edition.report_prose, **{k: Prose(f"reports/{k}.md", v) for k, v in (report_prose or {}).items()}},
    )


# every field of every kind: a sample value for any field, worked out from its type ----------------

def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def sample(annotation: Any, current: Any) -> Any:
    """A value of the annotation's type that differs from `current`."""
    annotation = _unwrap(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return sample(options[0], current)
    if origin is typing.Literal:
        return next(a for a in args if a != current)
    if origin is list:
        item = sample(args[0], None)
        return [*(current or []), item]
    if origin is dict:
        return {**(current or {}), "handbook/2030-01": sample(args[1], None)}
    if annotation is bool:
        return not current
    if annotation is int:
        return (current or 0) + 1
    if annotation is dt.date:
        return (current or dt.date(2024, 1, 1)) + dt.timedelta(days=1)
    if annotation is str:
        return "https://example.org/sample" if current and str(current).startswith("http") else \
            f"{current or 'A'} sample text, written for the test."
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if current is None:
            return annotation.model_construct(**{name: sample(info.annotation, None)
                                                 for name, info in annotation.model_fields.items() if info.is_required()})
        name, info = next(iter(annotation.model_fields.items()))
        return current.model_copy(update={name: sample(info.annotation, getattr(current, name))})
    raise AssertionError(f"no sample for {annotation!r}: teach sample() this type")


def changed(model: BaseModel, name: str) -> BaseModel:
    info = type(model).model_fields[name]
    value = sample(info.annotation, getattr(model, name))
    assert compare._plain(value) != compare._plain(getattr(model, name)), name
    return model.model_copy(update={name: value})


@pytest.mark.parametrize("name", list(Board.model_fields))
def test_every_board_field_is_compared(project: Project, name: str) -> None:
    """Changing any field of a board, one at a time, says at least one thing, both ways round:
    a field added to models.Board later is compared without anyone remembering to."""
    for board_id in ("management-board", "risk"):
        board = project.editions[H_NEW].boards[board_id]
        other = changed(board, name)
        for a, b in ((board, other), (other, board)):
            found = compare_boards(a, b)
            assert found, f"{board_id}: {name} changed but no change was found"
            assert all(c.text and c.text[0].isupper() for c in found)


def _edition_models(project: Project) -> list[tuple[str, BaseModel, Any]]:
    report = project.editions[REPORT]
    handbook = project.editions[H_NEW]
    return [
        ("report", report.reports["risk"], lambda m: revised(report, reports={"risk": m})),
        ("attendance", report.attendance, lambda m: revised(report, attendance=m)),
        ("budget", report.budget, lambda m: revised(report, budget=m)),
        ("handbook edition", handbook.edition, lambda m: revised(handbook, edition_update=dict(m))),
        ("report edition", report.edition, lambda m: revised(report, edition_update=dict(m))),
    ]


@pytest.mark.parametrize("kind", ["report", "attendance", "budget", "handbook edition", "report edition"])
def test_every_field_of_reports_attendance_budget_and_editions_is_compared(project: Project, kind: str) -> None:
    _, model, revise = next(t for t in _edition_models(project) if t[0] == kind)
    edition = revise(model)
    for name in type(model).model_fields:
        if isinstance(model, Edition) and name in compare.EDITION_NOT_COMPARED:
            continue
        if isinstance(model, Edition) and name in ("boards", "reports"):
            other = model.model_copy(update={name: list(reversed(getattr(model, name)))})  # added and removed in groups
            if other == model:
                continue
        else:
            other = changed(model, name)
        diff = compare_editions(edition, revise(other))
        assert diff.count(), f"{kind}: {name} changed but no change was found"
        assert compare_editions(revise(other), edition).count(), f"{kind}: {name} changed back but no change was found"


def test_every_field_of_contacts_and_organisations_is_compared(project: Project) -> None:
    contacts = project.contacts
    assert contacts is not None
    for name in Contacts.model_fields:
        assert compare_contacts(contacts, changed(contacts, name)), name
    group = contacts.groups[0]
    for name in type(group).model_fields:
        other = contacts.model_copy(update={"groups": [changed(group, name), *contacts.groups[1:]]})
        assert compare_contacts(contacts, other), f"contact group {name}"
    line = group.lines[0]
    for name in type(line).model_fields:
        other_group = group.model_copy(update={"lines": [changed(line, name), *group.lines[1:]]})
        other = contacts.model_copy(update={"groups": [other_group, *contacts.groups[1:]]})
        assert compare_contacts(contacts, other), f"contact line {name}"
    council = project.organisations["council"]
    for name in Organisation.model_fields:
        if name == "id":
            continue
        assert compare_organisations(project.organisations, {**project.organisations, "council": changed(council, name)}), name


# boards --------------------------------------------------------------------------------------------

def test_board_fields_in_plain_english(project: Project) -> None:
    board = project.editions[H_NEW].boards["management-board"]
    basis = LegalBasis(act="Children Act 2004", url="https://www.legislation.gov.uk/ukpga/2004/31")
    with_basis = board.model_copy(update={"legal_basis": basis})
    assert texts(compare_boards(board, with_basis)) == [
        "Legal basis added: Children Act 2004 (https://www.legislation.gov.uk/ukpga/2004/31)."]
    assert texts(compare_boards(with_basis, board.model_copy(update={"legal_basis": basis.model_copy(
        update={"act": "Children and Social Work Act 2017"})}))) == [
        "The legal basis changed from Children Act 2004 to Children and Social Work Act 2017."]
    assert texts(compare_boards(with_basis, board.model_copy(update={"legal_basis": basis.model_copy(
        update={"url": "https://www.legislation.gov.uk/ukpga/2004/31/contents"})}))) == [
        "The link to Children Act 2004 changed from https://www.legislation.gov.uk/ukpga/2004/31 to "
        "https://www.legislation.gov.uk/ukpga/2004/31/contents."]

    cases = {
        "summary": ("The board leads the partnership.", ["Summary added: \u201cThe board leads the partnership.\u201d"]),
        "workplan_note": ("This board will review its workplan.", ["Workplan note added: \u201cThis board will review its workplan.\u201d"]),
        "status_note": ("It meets again in 2024.", ["Note on the board's status added: \u201cIt meets again in 2024.\u201d"]),
        "scrutineer_attends": (True, ["The independent scrutineer now attends."]),
        "functions_lettered": (False, ["The functions are no longer lettered."]),
        "functions_intro": ("The board will:", ["The introduction to the functions changed from \u201cThe board will do "
                                                "this by:\u201d to \u201cThe board will:\u201d."]),
        "membership_intro": (None, ["Introduction to the membership removed: \u201cThe core membership of the board "
                                    "will be made up of:\u201d"]),
        "agenda_intro": ("The main agenda items will be:", ["Introduction to the agenda added: \u201cThe main agenda items will be:\u201d"]),
        "kind": ("strategic", ["The board is now a strategic board (was a management board)."]),
        "name": ("Fixture Executive Board", ["The board was renamed from Fixture Management Board to Fixture Executive Board."]),
        "status": ("suspended", ["The board was suspended."]),
    }
    for name, (value, expected) in cases.items():
        assert texts(compare_boards(board, board.model_copy(update={name: value}))) == expected, name
    assert texts(compare_boards(board, board.model_copy(update={"accountable_to": ["risk"]}),
                                board_names={"health-and-wellbeing": "Health and Wellbeing Board", "risk": "Risk"})) == [
        "The board is now accountable to Risk (was Health and Wellbeing Board)."]


def test_sponsor_and_chair_printed_differently_for_the_same_organisation(project: Project) -> None:
    risk = project.editions[H_NEW].boards["risk"]
    assert risk.chair is not None and risk.sponsor is not None
    relabelled = risk.model_copy(update={"chair": risk.chair.model_copy(update={"label": "Head of Community Safety, FC"})})
    assert texts(compare_boards(risk, relabelled)) == [
        "The chair is now printed as \u201cHead of Community Safety, FC\u201d (was \u201cHead of Community Safety, Fixture Council\u201d)."]
    moved = risk.model_copy(update={"sponsor": Post(label="Fixture Police", organisation="council")})
    assert texts(compare_boards(risk, moved, organisations=project_organisations(project))) == [
        "The sponsor's organisation changed from Fixture Police to Fixture Council."]
    typographic = risk.model_copy(update={"chair": risk.chair.model_copy(update={"label": "Head of Community  Safety, Fixture Council"})})
    assert compare_boards(risk, typographic) == []


def project_organisations(project: Project) -> dict[str, Organisation]:
    return project.organisations


def test_members_meetings_and_quorum_fields(project: Project) -> None:
    board = project.editions[H_NEW].boards["management-board"]
    council, police = board.members[0], board.members[1]
    members = [council.model_copy(update={"places_note": "to include the Director of Adult Services"}),
               police.model_copy(update={"councillor": True}), *board.members[2:]]
    assert texts(compare_boards(board, board.model_copy(update={"members": members}))) == [
        "Fixture Council: the note on its places now reads \u201cto include the Director of Adult Services\u201d.",
        "Fixture Police: now a councillor's seat.",
    ]
    reordered = board.model_copy(update={"members": [board.members[1], board.members[0], *board.members[2:]]})
    assert texts(compare_boards(board, reordered)) == ["Fixture Police moved in the list of members: it now comes first."]
    assert board.meetings and board.quorum
    at_least = board.model_copy(update={"meetings": board.meetings.model_copy(update={"at_least": True})})
    assert texts(compare_boards(board, at_least)) == ["Meetings a year changed from 4 to at least 4."]
    quorum = board.quorum.model_copy(update={"minimum_members": 4, "councillors_at_most_half": True,
                                             "organisations": ["council", "police"]})
    assert texts(compare_boards(board, board.model_copy(update={"quorum": quorum}), organisations=project.organisations)) == [
        "The organisations that must be present for a quorum changed from Fixture Council, Fixture Police and "
        "Fixture Health Board to Fixture Council and Fixture Police.",
        "The minimum number of members for a quorum changed from none to 4.",
        "Councillors may now make up at most half of a quorum.",
    ]


def test_a_board_without_terms_of_reference_compares_what_both_print(project: Project) -> None:
    """An edition that prints only a board's summary says nothing of the terms it does not print,
    but still compares the summary, the sponsor and the chair."""
    risk = project.editions[H_NEW].boards["risk"]
    summary_only = Board(id="risk", name="Risk", kind="affiliated", summary=risk.summary, accountable_to=risk.accountable_to,
                         sponsor=Post(label="FP", organisation="police"), workplan_note="Non-essential work is deferred.")
    assert texts(compare_boards(risk, summary_only)) == [
        "This edition does not print the board's terms of reference, so its membership, quorum and functions are not compared.",
        "Workplan note added: \u201cNon-essential work is deferred.\u201d",
        "The sponsor is now printed as \u201cFP\u201d (was \u201cFixture Police\u201d).",
    ]
    assert texts(compare_boards(summary_only, risk))[0] == (
        "The edition before did not print the board's terms of reference, so its membership, quorum and functions are not compared.")


# editions ------------------------------------------------------------------------------------------

def test_edition_fields_in_plain_english(project: Project) -> None:
    old, new = project.editions[H_OLD], project.editions[H_NEW]
    edition = all_texts(compare_editions(old, new))["The edition as a whole"]
    assert edition[0] == "The subtitle changed from \u201cApril 2023\u201d to \u201cRevised October 2023\u201d."
    assert edition[1] == "The summary was reworded."
    assert "Change note added: \u201cThe Risk board is now chaired by Fixture Council.\u201d" in edition

    report = project.editions[REPORT]
    sections = report.edition.sections
    update = {
        "title": "Fixture Safeguarding Annual Report 2023/24",
        "period": "April 2023 to April 2024",
        "covers_to": dt.date(2024, 4, 30),
        "signatories": [Signatory(name="Sam Sample", role="Chair, Fixture Partnership")],
        "sections": [sections[0], sections[2], sections[1].model_copy(update={"title": "Board highlight reports"}),
                     *sections[3:-1], Section(id="next-steps", title="Next steps")],
        "reports": ["police", "risk"],
    }
    diff = compare_editions(report, revised(report, edition_update=update, prose={"next-steps": "We will meet again."}))
    found = all_texts(diff)
    assert found["The edition as a whole"] == [
        "The title changed from \u201cFixture Safeguarding Annual Report 2023-2024\u201d to "
        "\u201cFixture Safeguarding Annual Report 2023/24\u201d.",
        "The period covered changed from \u201cApril 2023 to March 2024\u201d to \u201cApril 2023 to April 2024\u201d.",
        "The last day of the period covered changed from 31 March 2024 to 30 April 2024.",
        "Fixture Police moved in the list of highlight reports: it now comes first.",
        "Signatory added: Sam Sample, Chair, Fixture Partnership.",
    ]
    assert found["Board highlight reports"] == [
        "The section was retitled from \u201cSponsors' highlight reports\u201d to \u201cBoard highlight reports\u201d."]
    assert found["Agency highlight reports"] == [
        "The section moved in the contents: it now comes after \u201cIntroduction\u201d."]
    assert found["Next steps"] == ["New section: Next steps."]
    assert found["Contacts"] == ["Section removed: Contacts."]
    kind = revised(report, edition_update={"sections": [*sections[:-1], sections[-1].model_copy(update={"kind": "prose", "signed": True})]})
    assert all_texts(compare_editions(report, kind))["Contacts"] == [
        "The kind of section changed from contacts to prose.", "The section is now signed by the edition's signatories."]


def test_statutory_duties_and_board_order(project: Project) -> None:
    new = project.editions[H_NEW]
    duties = new.edition.statutory_duties
    update = {
        "statutory_duties": [duties[0].model_copy(update={"duties": duties[0].duties[:1], "board": "management-board"})],
        "boards": ["management-board", "health-and-wellbeing", "risk", "review"],
    }
    found = all_texts(compare_editions(new, revised(new, edition_update=update)))
    assert found["The edition as a whole"] == ["Fixture Management Board moved in the list of boards: it now comes first."]
    assert found["Our statutory duties"] == [
        "Statutory duties removed: Safeguarding Partnership.",
        "Health and Wellbeing Board: the board that carries these duties changed from Health and Wellbeing Board to "
        "Fixture Management Board.",
        "Health and Wellbeing Board: Duty removed: \u201cTo prepare and publish a joint strategic needs assessment.\u201d",
    ]


def test_highlight_reports(project: Project) -> None:
    report = project.editions[REPORT]
    risk = report.reports["risk"]
    new_risk = risk.model_copy(update={"title": "Risk Board report", "sponsor": Post(label="FP", organisation="police")})
    text = report.report_prose["risk"].text.replace("Reviewed the referrals the MASH received.",
                                                   "Reviewed every referral the MASH received.")
    found = all_texts(compare_editions(report, revised(report, reports={"risk": new_risk}, report_prose={"risk": text})))
    assert found["Risk Board report"] == [
        "The title changed from \u201cRisk Board\u201d to \u201cRisk Board report\u201d.",
        "The sponsor is now printed as \u201cFP\u201d (was \u201cFixture Police\u201d).",
        "The text changed in 1 place (4 words).",
    ]
    diff = compare_editions(report, revised(report, reports={"risk": new_risk}, report_prose={"risk": text}))
    words = next(c.words for g in diff.groups if g.report == "risk" for c in g.changes if c.kind == "prose-changed")
    assert words == [("same", "What has the board done? Reviewed"), ("removed", "the referrals"), ("added", "every referral"),
                     ("same", "the MASH received. Agreed a new pathway for adults at risk.")]
    without = dataclasses.replace(report, listed={**report.listed, "reports": Listed(models={"risk": risk})})
    assert all_texts(compare_editions(report, without))["Fixture Police"] == ["Highlight report removed: Fixture Police."]


def test_attendance(project: Project) -> None:
    report = project.editions[REPORT]
    attendance = report.attendance
    assert attendance is not None
    rows = list(attendance.members)
    rows[0] = rows[0].model_copy(update={"marks": ["present", "absent", "present"]})
    rows[2] = rows[2].model_copy(update={"label": "Chief Nurse, Fixture Health Board"})
    new = attendance.model_copy(update={
        "meetings": [attendance.meetings[0], attendance.meetings[1].model_copy(update={"label": "November 23"}),
                     attendance.meetings[2]],
        "members": [*rows[:3], AttendanceRow(label="Head of Education, Fixture Council", organisations=["council"],
                                            marks=["n/a", "present", "absent"])],
    })
    found = all_texts(compare_editions(report, revised(report, attendance=new)))
    assert found["Appendix A \u2013 Attendance at Management Board meetings 2023/24"] == [
        "Meeting Nov 23: now printed as \u201cNovember 23\u201d.",
        "Member removed: Chief Officer, Fixture Charity.",
        "Member added: Head of Education, Fixture Council (June 23 n/a, November 23 present, Feb 24 absent).",
        "Chief Executive, Fixture Council: November 23 changed from present to absent.",
        "Director of Nursing, Fixture Health Board: now printed as \u201cChief Nurse, Fixture Health Board\u201d.",
    ]
    fewer = attendance.model_copy(update={
        "meetings": attendance.meetings[:2] + [AttendanceMeeting(label="Mar 24", month="2024-03")],
        "members": [r.model_copy(update={"marks": r.marks[:2] + ["present"]}) for r in attendance.members],
    })
    assert texts(compare.compare_attendance(attendance, fewer)) == [
        "Meeting removed: Feb 24.", "Meeting added: Mar 24 (4 present)."]


def test_budget(project: Project) -> None:
    report = project.editions[REPORT]
    budget = report.budget
    assert budget is not None
    rows = list(budget.contributions)
    rows[1] = rows[1].model_copy(update={"childrens": -15500, "adults": -100})
    new = budget.model_copy(update={
        "contributions": [*rows[:2], Contribution(label="Fixture Charity", organisations=["charity"], childrens=-500)],
        "brought_forward": BudgetLine(label="Brought forward from 22/23", amount=-31000),
        "expenditure": [budget.expenditure[0].model_copy(update={"amount": 91000}), *budget.expenditure[1:]],
        "actuals_label": "23/24 Outturn",
    })
    found = all_texts(compare_editions(report, revised(report, budget=new)))
    assert found["Appendix B \u2013 Contributions and summary of 2023/24 budget"] == [
        "The heading of the figures column changed from \u201c23/24 Actuals\u201d to \u201c23/24 Outturn\u201d.",
        "Contribution removed: Fixture Health Board.",
        "Contribution added: Fixture Charity (children's -500).",
        "Contributions, Fixture Police, children's: -15,000 \u2192 -15,500.",
        "Contributions, Fixture Police, adults: none \u2192 -100.",
        "Budget position, Brought forward from 22/23: -30,000 \u2192 -31,000.",
        "Expenditure, Employee costs: 90,000 \u2192 91,000.",
    ]


def test_organisation_names_printed_by_the_editions(project: Project) -> None:
    old, new = project.editions[H_OLD], project.editions[H_NEW]
    assert "Organisation names" not in all_texts(compare_editions(old, new))
    found = all_texts(compare_editions(old, new, organisations=project.organisations))
    assert found["Organisation names"] == ["Fixture Clinical Commissioning Group is now printed as \u201cFixture Health Board\u201d."]


# the top-level files -------------------------------------------------------------------------------

def test_contacts(project: Project) -> None:
    contacts = project.contacts
    assert contacts is not None
    adults, children = contacts.groups
    new = contacts.model_copy(update={
        "not_in_danger": contacts.not_in_danger.replace("Fixture Council.", "Fixture Council's front door."),
        "groups": [adults.model_copy(update={"lines": [adults.lines[0].model_copy(update={"phone": "0113 496 0199"}),
                                                       adults.lines[1]]}),
                   children.model_copy(update={"title": "Safeguarding Children and Young People",
                                               "lines": children.lines[:1]})],
    })
    found = compare_contacts(contacts, new)
    assert texts(found) == [
        "The advice for someone not in immediate danger was reworded.",
        "Safeguarding Adults, Monday to Friday from 9:00am-5:00pm: the phone changed from \u201c0113 496 0101\u201d "
        "to \u201c0113 496 0199\u201d.",
        "Contact group Safeguarding Children: now titled \u201cSafeguarding Children and Young People\u201d.",
        "Safeguarding Children and Young People: line removed: children@fixture-council.example.",
    ]
    assert found[0].words[1:] == [("removed", "Council."), ("added", "Council's front door.")]


def test_organisations(project: Project) -> None:
    old = project.organisations
    new = dict(old)
    new["council"] = old["council"].model_copy(update={"name": "Fixture Borough Council", "short_names": ["FC", "FBC"]})
    new["health"] = old["health"].model_copy(update={"edition_names": {"handbook/2023-04": "Fixture CCG"}})
    del new["charity"]
    new["school"] = Organisation(id="school", name="Fixture School")
    assert texts(compare_organisations(old, new)) == [
        "Organisation removed: Fixture Charity (charity).",
        "Organisation added: Fixture School (school).",
        "Fixture Council: the name changed to \u201cFixture Borough Council\u201d.",
        "Fixture Council: short name removed: \u201cthe Council\u201d",
        "Fixture Council: short name added: \u201cFBC\u201d",
        "Fixture Health Board: the name printed in handbook/2023-04 changed from \u201cFixture Clinical Commissioning "
        "Group\u201d to \u201cFixture CCG\u201d.",
    ]


# text: normalised, sentence by sentence --------------------------------------------------------

PARAGRAPH = ("The board meets four times a year. It reports to the management board. Its chair is the scrutineer. "
             "It agrees a plan each spring. The plan is published on the website.")


def test_prose_shows_the_changed_sentence_with_a_sentence_either_side() -> None:
    found = compare_prose(PARAGRAPH, PARAGRAPH.replace("the scrutineer", "the independent scrutineer"))
    assert texts(found) == ["The text changed in 1 place (1 word)."]
    assert found[0].words == [("same", "It reports to the management board. Its chair is the"), ("added", "independent"),
                              ("same", "scrutineer. It agrees a plan each spring.")]
    two = compare_prose(PARAGRAPH, PARAGRAPH.replace("four", "five").replace("website", "intranet"))
    assert texts(two) == ["The text changed in 2 places (4 words)."]
    assert [[t for _, t in run] for run in excerpts(two[0].words)] == [
        ["The board meets", "four", "five", "times a year. It reports to the management board."],
        ["It agrees a plan each spring. The plan is published on the", "website.", "intranet."],
    ]
    assert compare_prose("", "New words.")[0].text == "Text added."
    assert compare_prose("Old words.", "")[0].text == "The text was removed."


def test_a_rewritten_sentence_is_shown_whole_not_interleaved() -> None:
    old = "We met. The partnership was praised by inspectors in 2020. We will meet again."
    new = "We met. Healthwatch joins the assurance board as a key member. We will meet again."
    assert compare_prose(old, new)[0].words == [
        ("same", "We met."), ("removed", "The partnership was praised by inspectors in 2020."),
        ("added", "Healthwatch joins the assurance board as a key member."), ("same", "We will meet again.")]


def test_quotes_apostrophes_white_space_and_markup_make_no_change(project: Project) -> None:
    assert compare_prose("The council\u2019s  \u201cplan\u201d.\n\n- **One** item.", "The council's \"plan\".\n\n* One item.") == []
    board = project.editions[H_NEW].boards["risk"]
    assert board.summary
    same = board.model_copy(update={"summary": board.summary.replace("'", "\u2019").replace(" ", "  ")})
    assert compare_boards(board, same) == []


def test_word_diff_is_unchanged() -> None:
    assert word_diff("a b c", "a x c") == [("same", "a"), ("removed", "b"), ("added", "x"), ("same", "c")]


# counts, and the forms of the diff ------------------------------------------------------------------

def test_counts_are_plain_english(project: Project) -> None:
    new = project.editions[H_NEW]
    risk, review = new.boards["risk"], new.boards["review"]
    one = compare_editions(new, revised(new, boards={"risk": risk.model_copy(update={"workplan_note": "Deferred."})}))
    assert one.summary() == "1 change to 1 board"
    assert as_text(one).startswith(f"Changes from {H_NEW} to {H_NEW}: 1 change to 1 board\n")
    three = compare_editions(new, revised(
        new, boards={"risk": risk.model_copy(update={"workplan_note": "Deferred."}),
                     "review": review.model_copy(update={"scrutineer_attends": True})},
        prose={"introduction": new.prose["introduction"].text + "\n\nA new paragraph."}))
    assert three.summary() == "3 changes to 2 boards and 1 section"
    assert compare_editions(new, new).summary() == "no changes"
    assert compare_editions(new, new).groups == []
    both = compare_editions(project.editions[H_OLD], new)
    assert both.summary() == (f"{both.count()} changes to the edition and "
                              f"{len([g for g in both.groups if g.board])} boards")


def test_markdown_text_and_data_forms(project: Project) -> None:
    diff = compare_editions(project.editions[H_OLD], project.editions[H_NEW])
    markdown = as_markdown(diff)
    assert markdown.startswith(f"## Changes from {H_OLD} to {H_NEW}\n\n{diff.summary()[0].upper()}{diff.summary()[1:]}.\n")
    assert "\n### Fixture Management Board\n\n- Meeting months changed from June, September, December and March to May, " \
           "August, November and February.\n" in markdown
    assert "  - Agreeing the partnership's safeguarding priorities and reporting on progress ~~annually.~~ **twice a year.**" \
        in markdown
    assert as_markdown(diff, level=4).startswith("#### Changes from")
    data = json.loads(json.dumps(diff.as_data()))
    assert data["summary"] == diff.summary() and data["count"] == diff.count()
    assert [g["title"] for g in data["groups"]] == [g.title for g in diff.groups]
    text = as_text(diff)
    assert all(f"  - {c.text}" in text for g in diff.groups for c in g.changes)
    assert "      Agreeing the partnership's safeguarding priorities and reporting on progress [-annually.-] {+twice a year.+}" in text
    assert isinstance(diff.groups[0], Group) and diff.groups[0].kind == "edition"


def test_what_changed_page_counts_and_marks(project: Project, built_fixture: Path) -> None:
    from generator.derive import edition_changes

    diff = edition_changes(project, project.editions[H_OLD], project.editions[H_NEW])  # the page's own computation
    page = html.unescape((built_fixture / H_NEW / "what-changed/index.html").read_text())
    assert f"worked out from the two editions\u2019 data: {diff.summary()}." in page.replace("'", "\u2019") or \
        f"worked out from the two editions' data: {diff.summary()}." in page
    assert '<del><span class="mkt-hidden">removed: </span>annually.</del>' in page
    assert '<ins><span class="mkt-hidden">added: </span>twice a year.</ins>' in page
    assert "The subtitle changed from" in page
