"""Cross-checks once every file is loaded: references resolve, editions hang together, figures agree."""
from __future__ import annotations

import difflib
import functools
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .diagnostics import Report
from .models import RefTo
from .project import EditionData, Project, Source


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


def check_project(project: Project, report: Report) -> None:
    for source in project.organisation_sources.values():
        _check_refs(source, project, None, report)
    for edition in project.editions.values():
        _check_edition(edition, project, report)


def _check_edition(edition: EditionData, project: Project, report: Report) -> None:
    doc = edition.source.doc
    _check_refs(edition.source, project, edition, report)
    for source in edition.board_sources.values():
        _check_refs(source, project, edition, report)
        _check_board(source, report)

    folder = edition.id
    for i, board_id in enumerate(edition.edition.boards):
        if board_id not in edition.boards and board_id not in edition.board_files:  # a broken file has its own error
            report.error(
                doc.where(("boards", i)),
                f"unknown board '{board_id}': there is no data/{folder}/boards/{board_id}.yml"
                f"{_suggest(board_id, edition.board_sources)}",
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

    follows = edition.edition.follows
    if follows and follows in project.editions:
        earlier = project.editions[follows]
        if earlier.document != edition.document:
            report.error(doc.where(("follows",)), f"'{follows}' is another document; an edition follows an edition of the same document")
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
