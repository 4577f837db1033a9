"""Who sits where, and what each board was in each edition: computed from the terms of reference."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .figures import AttendanceFigures, Rate
from .models import Board, HighlightReport
from .project import EditionData, Project


@dataclass
class Seat:
    """One thing an organisation holds on one board in one edition."""

    edition: EditionData
    board_id: str
    board: Board
    roles: list[str]  # "core member", "2 places", "chair", "sponsor", "responsible authority", "needed for quorum"
    labels: list[str] = field(default_factory=list)  # the seats as printed


def handbooks(project: Project) -> list[EditionData]:
    return [e for e in project.editions.values() if e.document == "handbook"]


def seats_of(project: Project, org_id: str) -> list[Seat]:
    seats = []
    for edition in handbooks(project):
        for board_id, board in edition.boards.items():
            roles: list[str] = []
            labels: list[str] = []
            for member in board.members:
                if org_id in member.organisations:
                    labels.append(member.label)
                    roles.append(f"{member.places} places" if member.places and member.places > 1 else "core member")
                    roles += [name for flag, name in [(member.chair, "chair"), (member.vice_chair, "vice-chair"),
                                                      (member.responsible_authority, "responsible authority")] if flag]
            if board.sponsor and board.sponsor.organisation == org_id:
                roles.append("sponsor")
            if board.chair and board.chair.organisation == org_id:
                roles.append("chair")
            if board.quorum and org_id in board.quorum.organisations:
                roles.append("needed for quorum")
            if roles:
                unique = list(dict.fromkeys(roles))
                seats.append(Seat(edition, board_id, board, unique, labels))
    return seats


@dataclass
class Contribution:
    edition: EditionData
    label: str
    childrens: int | None
    adults: int | None
    total: int


@dataclass
class Attendance:
    edition: EditionData
    label: str
    rate: Rate


def contributions_of(project: Project, org_id: str) -> list[Contribution]:
    found = []
    for edition in project.editions.values():
        if edition.budget:
            for c in edition.budget.contributions:
                if org_id in c.organisations:
                    found.append(Contribution(edition, c.label, c.childrens, c.adults, (c.childrens or 0) + (c.adults or 0)))
    return found


def attendance_of(project: Project, org_id: str, figures_of: Callable[[EditionData], AttendanceFigures]) -> list[Attendance]:
    found = []
    for edition in project.editions.values():
        if edition.attendance:
            figures = figures_of(edition)
            for row, rate in zip(edition.attendance.members, figures.by_member):
                if org_id in row.organisations:
                    found.append(Attendance(edition, row.label, rate))
    return found


def reports_of(project: Project, org_id: str) -> list[tuple[EditionData, str, HighlightReport]]:
    return [(e, i, r) for e in project.editions.values() for i, r in e.reports.items() if org_id in r.organisations]


@dataclass
class BoardInEdition:
    edition: EditionData
    status: str  # active, suspended, removed
    board: Board | None
    changes: list[str] = field(default_factory=list)  # since the edition before


def board_ids(project: Project) -> list[str]:
    seen: dict[str, None] = {}
    for edition in handbooks(project):
        for board_id in edition.boards:
            seen.setdefault(board_id)
    return list(seen)


def board_history(project: Project, board_id: str) -> list[BoardInEdition]:
    """The board in every Handbook edition from its first: active, suspended, or removed."""
    history: list[BoardInEdition] = []
    previous: Board | None = None
    for edition in handbooks(project):
        board = edition.boards.get(board_id)
        if board is None and not history:
            continue
        if board is None:
            if history[-1].status != "removed":
                history.append(BoardInEdition(edition, "removed", None, ["removed from the partnership's boards"]))
            previous = None
            continue
        entry = BoardInEdition(edition, board.status, board)
        if previous is not None:
            entry.changes = board_changes(previous, board)
        elif history:
            entry.changes = ["re-established"]
        history.append(entry)
        previous = board
    return history


def _post(post) -> str:  # type: ignore[no-untyped-def]
    return post.label if post else "none"


def board_changes(old: Board, new: Board) -> list[str]:
    """What changed in a board between two editions, in plain words."""
    changes = []
    if old.status != new.status:
        changes.append("reinstated" if new.status == "active" else "suspended")
    if _post(old.sponsor) != _post(new.sponsor):
        changes.append(f"sponsor changed from {_post(old.sponsor)} to {_post(new.sponsor)}")
    if _post(old.chair) != _post(new.chair):
        changes.append(f"chair changed from {_post(old.chair)} to {_post(new.chair)}")
    if (old.meetings and new.meetings) and old.meetings.frequency != new.meetings.frequency:
        changes.append(f"meetings changed from \u201c{old.meetings.frequency}\u201d to \u201c{new.meetings.frequency}\u201d")
    old_members = [m.label for m in old.members]
    new_members = [m.label for m in new.members]
    added = [m for m in new_members if m not in old_members]
    removed = [m for m in old_members if m not in new_members]
    if added:
        changes.append("members added: " + "; ".join(added))
    if removed:
        changes.append("members removed: " + "; ".join(removed))
    if (old.quorum.rule if old.quorum else None) != (new.quorum.rule if new.quorum else None):
        changes.append("quorum rule changed")
    return changes


@dataclass
class MinutedPerson:
    meeting_uri: str
    meeting_title: str
    name: str
    role: str | None
    attended_as: str  # present, co-opted, observer, officer, apologies


def people_in_minutes(project: Project, org_id: str) -> list[MinutedPerson]:
    """Everyone the minutes record for an organisation, with their role at that meeting."""
    from . import archive

    found = []
    for source in project.meetings:
        meeting = source.model
        for key, people in meeting.people():  # type: ignore[attr-defined]
            for person in people:
                if person.organisation == org_id:
                    found.append(MinutedPerson(archive.meeting_uri(meeting), archive.meeting_title(meeting),  # type: ignore[arg-type]
                                               person.name, person.role, key.replace("_", "-")))
    return found
