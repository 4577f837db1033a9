"""Cross-checks once every file is loaded and the facts derived: references resolve, editions hang
together, minutes agree with themselves, and printed figures agree with their lines."""
from __future__ import annotations

import difflib
import functools
import re
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .derive import Facts
from .diagnostics import Location, Report
from .load import EditionData, Project, Source
from .models import ArchiveDocument, Meeting, RefTo
from .prose import check_archive_prose
from .text import money


def _ref_kind(annotation: Any) -> str | None:
    """The RefTo kind inside an annotation such as list[Annotated[str, RefTo(...)]] | None."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, RefTo):
                return meta.kind
    for arg in typing.get_args(annotation):
        kind = _ref_kind(arg)
        if kind:
            return kind
    return None


@functools.cache
def _field_ref_kinds(model_class: type[BaseModel]) -> list[tuple[str, str | None]]:
    return [(name, _ref_kind(field.annotation)) for name, field in model_class.model_fields.items()]


def references(model: BaseModel, at: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """Every (path, kind, id) reference held anywhere in a model."""
    for name, kind in _field_ref_kinds(type(model)):
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            path = at + ((name,) if index is None else (name, index))
            if isinstance(item, BaseModel):
                yield from references(item, path)
            elif kind and isinstance(item, str):
                yield path, kind, item


def _suggest(name: str, known: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _check_refs(source: Source, project: Project, edition: EditionData | None, report: Report) -> None:
    for path, kind, ident in references(source.model):
        if kind == "organisation":
            known: typing.Iterable[str] = project.organisations
            hint = "add data/organisations/{}.yml if it is new".format(ident)
        elif kind == "board":
            known = edition.edition.boards if edition else []
            hint = f"the boards of this edition are: {', '.join(known) or 'none'}"
        else:
            known = project.editions
            hint = "editions are folders such as data/handbook/2021-11"
            if ident in project.edition_folders:
                continue  # it exists but is broken, and has its own error
        if ident not in known:
            suggestion = _suggest(ident, known)
            report.error(source.doc.where(path), f"unknown {kind} '{ident}'{suggestion or '; ' + hint}")


def check_project(project: Project, facts: Facts, report: Report) -> None:
    for source in project.organisation_sources.values():
        _check_refs(source, project, None, report)
    for source in project.singles.values():
        _check_refs(source, project, None, report)
    glossary = project.glossary
    if glossary:
        seen_terms: dict[str, int] = {}
        for i, term in enumerate(glossary.terms):
            if term.term in seen_terms:
                report.warning(project.singles["glossary"].doc.where(("terms", i, "term")),
                               f"'{term.term}' is already defined as term {seen_terms[term.term] + 1}; keep one")
            seen_terms.setdefault(term.term, i)
    for edition in project.editions.values():
        _check_edition(edition, project, facts, report)
    known_boards = {b for e in project.editions.values() if e.document == "handbook" for b in e.boards}
    for source in [*project.meetings, *project.archive.values()]:
        _check_refs(source, project, None, report)
    for source in project.meetings:
        _check_meeting(source, report)
    for source in project.archive.values():
        _check_archive_document(source, report)
    for prose in project.archive_prose.values():
        check_archive_prose(prose.text, prose.path, report)
    for source in project.meetings:
        board = source.model.body.board  # type: ignore[attr-defined]
        if board and board not in known_boards and all(f in project.editions for f in project.edition_folders):
            report.error(source.doc.where(("body", "board")),
                         f"unknown board '{board}' in every Handbook edition{_suggest(board, known_boards)}")


def _check_edition(edition: EditionData, project: Project, facts: Facts, report: Report) -> None:
    doc = edition.source.doc
    _check_refs(edition.source, project, edition, report)
    for source in edition.board_sources.values():
        _check_refs(source, project, edition, report)
        _check_board(source, report)

    folder = edition.id
    for what, listed in edition.listed.items():
        for i, ident in enumerate(getattr(edition.edition, what)):
            if ident not in listed.models and ident not in listed.files:  # a broken file has its own error
                report.error(
                    doc.where((what, i)),
                    f"unknown {what[:-1]} '{ident}': there is no data/{folder}/{what}/{ident}.yml"
                    f"{_suggest(ident, listed.files)}",
                )
    seen: set[str] = set()
    for i, section in enumerate(edition.edition.sections):
        if section.id in seen:
            report.error(doc.where(("sections", i, "id")), f"duplicate section id '{section.id}'; each section needs its own id")
        seen.add(section.id)
        if section.kind == "prose" and section.id not in edition.prose:
            report.error(
                doc.where(("sections", i, "id")),
                f"section '{section.id}' has no prose: create content/{folder}/{section.id}.md",
            )

    if edition.id in facts.reports:
        _check_annual_report(edition, project, facts, report)

    follows = edition.edition.follows
    if follows and follows in project.editions:
        earlier = project.editions[follows]
        if earlier.document != edition.document:
            report.error(doc.where(("follows",)), f"'{follows}' is another document; an edition follows an edition of the same document")
        elif earlier.edition.status == "draft" and edition.edition.status == "published":
            report.error(doc.where(("follows",)), f"'{follows}' is a draft; a published edition follows a published one")
        elif earlier.edition.published >= edition.edition.published:
            report.error(doc.where(("follows",)), f"'{follows}' was published on {earlier.edition.published}, not before this edition")


def _check_board(source: Source, report: Report) -> None:
    board = source.model
    doc = source.doc
    meetings = board.meetings  # type: ignore[attr-defined]
    if meetings and meetings.months and len(meetings.months) != meetings.per_year:
        report.warning(
            doc.where(("meetings", "months")),
            f"{len(meetings.months)} meeting months are listed but per_year is {meetings.per_year}; make them agree",
        )
    if meetings and meetings.months and len(set(meetings.months)) != len(meetings.months):
        report.warning(doc.where(("meetings", "months")), "a month is listed twice; list each meeting month once")
    if sum(m.chair for m in board.members) > 1:  # type: ignore[attr-defined]
        report.warning(doc.where(("members",)), "more than one member is marked chair; mark one")
    if board.status == "suspended" and not board.status_note:  # type: ignore[attr-defined]
        report.warning(doc.where(("status",)), "a suspended board needs a status_note saying until when and what happens to its work")


def _check_annual_report(edition: EditionData, project: Project, facts: Facts, report: Report) -> None:
    """Reports, attendance and budget: their references, their shape and their printed figures."""
    # which Handbook was in force can't be told while one of them is broken (it has its own error)
    handbooks_known = all(f in project.editions for f in project.edition_folders if f.startswith("handbook/"))
    for ident, source in edition.listed["reports"].sources.items():
        _check_refs(source, project, edition, report)
        board_id = source.model.board  # type: ignore[attr-defined]
        if board_id and handbooks_known:
            handbook = facts.reports[edition.id].handbook
            known = handbook.boards if handbook else {}
            present = handbook.listed["boards"].files if handbook else set()  # a broken file has its own error
            if board_id not in known and board_id not in present:
                where = handbook.id if handbook else "no Handbook edition"
                report.error(source.doc.where(("board",)),
                             f"unknown board '{board_id}' in {where}, the Handbook in force{_suggest(board_id, known)}")
        if ident not in edition.report_prose:
            report.error(source.doc.where(("id",)), f"report '{ident}' has no prose: create content/{edition.id}/reports/{ident}.md")

    attendance_source = edition.singles.get("attendance")
    if attendance_source:
        _check_refs(attendance_source, project, edition, report)
        attendance = attendance_source.model
        doc = attendance_source.doc
        for i, meeting in enumerate(attendance.meetings if handbooks_known else []):  # type: ignore[attr-defined]
            handbook = facts.timeline.handbook_in_force(meeting.month)
            board = attendance.board  # type: ignore[attr-defined]
            if handbook is None or (board not in handbook.boards and board not in handbook.listed["boards"].files):
                report.error(doc.where(("meetings", i, "month")),
                             f"no Handbook edition in force in {meeting.month} has a board '{attendance.board}' "  # type: ignore[attr-defined]
                             "whose quorum rule applies; check the month and the board id")
        count = len(attendance.meetings)  # type: ignore[attr-defined]
        for i, row in enumerate(attendance.members):  # type: ignore[attr-defined]
            if len(row.marks) != count:
                report.error(doc.where(("members", i, "marks")),
                             f"{len(row.marks)} marks for '{row.label}', but there are {count} meetings; give one mark a meeting")

    budget_source = edition.singles.get("budget")
    figures = facts.reports[edition.id].budget
    if budget_source and figures:
        _check_refs(budget_source, project, edition, report)
        for d in figures.disagreements:
            report.warning(budget_source.doc.where(d.path),
                           f"{d.what}: printed {money(d.printed)}, computed {money(d.computed)} from its lines, "
                           f"difference {money(d.difference)}; the printed figure is kept and the page notes the computed one")


# minutes and archived documents ---------------------------------------------------------

MEETING_FILE = re.compile(r"^data/meetings/([a-z0-9]+(?:-[a-z0-9]+)*)/([0-9]{4}-[0-9]{2}-[0-9]{2})\.yml$")


def _check_meeting(source: Source, report: Report) -> None:
    """What the model alone cannot see: the file's place, and facts that must agree."""
    path, doc = source.path, source.doc
    meeting: Meeting = source.model  # type: ignore[assignment]
    match = MEETING_FILE.match(path)
    if match is None:
        report.error(Location(path), "minutes go in data/meetings/<body-id>/<yyyy-mm-dd>.yml")
    else:
        folder, stem = match.groups()
        if folder != meeting.body.id:
            report.error(doc.where(("body", "id")), f"the body id '{meeting.body.id}' must match its folder, '{folder}'")
        if stem != meeting.date.isoformat():
            report.error(doc.where(("date",)), f"the date {meeting.date.isoformat()} must match the file's name, '{stem}.yml'")
    seen: dict[str, int] = {}
    for i, item in enumerate(meeting.items):
        if item.ref.lower() in seen:
            report.error(doc.where(("items", i, "ref")), f"minute '{item.ref}' is given twice (first as item {seen[item.ref.lower()] + 1})")
        seen[item.ref.lower()] = i
    if meeting.close_time and meeting.close_time <= meeting.start_time:
        report.error(doc.where(("close_time",)), f"the meeting closes at {meeting.close_time:%H:%M}, not after it began at {meeting.start_time:%H:%M}")
    if meeting.next_meeting and meeting.next_meeting <= meeting.date:
        report.error(doc.where(("next_meeting",)), "the next meeting must come after this one")
    absent = {p.name for p in meeting.apologies}
    for key, people in meeting.people():
        for i, person in enumerate(people):
            named = person.deputy_for_name
            if named and named not in absent and named not in (person.deputy_for or ""):
                report.warning(
                    doc.where((key, i, "deputy_for_name")),
                    f"'{named}' is neither among the apologies nor in 'deputy_for'; write the name as the minutes print it",
                )
            if person.deputy_for_name and not person.deputy_for:
                report.warning(doc.where((key, i, "deputy_for_name")), "a deputy needs 'deputy_for' as printed, too")


def _check_archive_document(source: Source, report: Report) -> None:
    doc = source.doc
    document: ArchiveDocument = source.model  # type: ignore[assignment]
    stem = source.path.rsplit("/", 1)[-1].removesuffix(".yml")
    if document.id != stem:
        report.error(doc.where(("id",)), f"the id '{document.id}' must match the file's name, '{stem}.yml'")
