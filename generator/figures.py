"""Figures computed from the data: attendance, quorum per meeting, budget totals and their checks.

Printed figures are kept as printed; what is computed here sits beside them, and where the two
disagree the checks say so.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .models import Attendance, Board, Budget
from .project import EditionData, Project


def month_key(value: str) -> tuple[int, int]:
    year, month = value.split("-")[:2]
    return int(year), int(month)


def handbook_in_force(project: Project, month: str) -> EditionData | None:
    """The latest published Handbook edition published in or before the month 'YYYY-MM'."""
    candidates = [
        e for e in project.editions.values()
        if e.document == "handbook" and e.edition.status == "published"
        and (e.edition.published.year, e.edition.published.month) <= month_key(month)
    ]
    return max(candidates, key=lambda e: e.edition.published, default=None)


def handbook_for_report(project: Project, report: EditionData) -> EditionData | None:
    """The Handbook in force at the end of the period an annual report covers."""
    return handbook_in_force(project, (report.edition.covers_to or report.edition.published).strftime("%Y-%m"))


# attendance ----------------------------------------------------------------------------

@dataclass
class Rate:
    present: int
    expected: int  # meetings or members where attendance applied (not n/a)

    @property
    def percent(self) -> float | None:
        return 100.0 * self.present / self.expected if self.expected else None


@dataclass
class QuorumCheck:
    """Whether one meeting was quorate under the quorum rule of the Handbook edition then in force."""

    handbook: EditionData | None
    board: Board | None
    required: list[tuple[str, list[str]]] = field(default_factory=list)  # (organisation id, labels present for it)

    @property
    def known(self) -> bool:
        return self.board is not None and self.board.quorum is not None and bool(self.board.quorum.organisations)

    @property
    def quorate(self) -> bool | None:
        return all(present for _, present in self.required) if self.known else None

    @property
    def missing(self) -> list[str]:
        return [org for org, present in self.required if not present]


@dataclass
class AttendanceFigures:
    by_member: list[Rate]
    by_meeting: list[Rate]
    quorum: list[QuorumCheck]
    overall: Rate


def attendance_figures(attendance: Attendance, project: Project) -> AttendanceFigures:
    by_member = [
        Rate(sum(m == "present" for m in row.marks), sum(m != "n/a" for m in row.marks)) for row in attendance.members
    ]
    by_meeting = []
    quorum = []
    for i, meeting in enumerate(attendance.meetings):
        marks = [row.marks[i] for row in attendance.members if i < len(row.marks)]
        by_meeting.append(Rate(sum(m == "present" for m in marks), sum(m != "n/a" for m in marks)))
        handbook = handbook_in_force(project, meeting.month)
        board = handbook.boards.get(attendance.board) if handbook else None
        check = QuorumCheck(handbook, board)
        if board and board.quorum:
            for org in board.quorum.organisations:
                present = [row.label for row in attendance.members
                           if org in row.organisations and i < len(row.marks) and row.marks[i] == "present"]
                check.required.append((org, present))
        quorum.append(check)
    overall = Rate(sum(r.present for r in by_member), sum(r.expected for r in by_member))
    return AttendanceFigures(by_member, by_meeting, quorum, overall)


# budget --------------------------------------------------------------------------------

@dataclass
class Disagreement:
    """A printed figure that is not the sum of its own lines."""

    path: tuple[str | int, ...]  # where the printed figure is in budget.yml
    what: str
    printed: int
    computed: int

    @property
    def difference(self) -> int:
        return self.printed - self.computed

    def message(self) -> str:
        return (f"{self.what}: printed {money(self.printed)}, computed {money(self.computed)} from its lines, "
                f"difference {money(self.difference)}; the printed figure is kept and the page notes the computed one")


@dataclass
class BudgetFigures:
    row_totals: list[int]  # computed, per contribution row
    childrens_total: int
    adults_total: int
    contributions_total: int  # computed from the rows
    expenditure_total: int
    carried_forward: int  # computed from brought forward, contributions as printed, and expenditure
    disagreements: list[Disagreement]

    def disagreement_at(self, *path: str | int) -> Disagreement | None:
        return next((d for d in self.disagreements if d.path == path), None)


def budget_figures(budget: Budget) -> BudgetFigures:
    rows = [(c.childrens or 0) + (c.adults or 0) for c in budget.contributions]
    disagreements = []
    for i, (contribution, computed) in enumerate(zip(budget.contributions, rows)):
        if contribution.total is not None and contribution.total != computed:
            disagreements.append(Disagreement(("contributions", i, "total"), f"total for {contribution.label}",
                                              contribution.total, computed))
    contributions_total = sum(rows)
    if budget.contributions_line.amount != contributions_total:
        disagreements.append(Disagreement(("contributions_line", "amount"),
                                          f"'{budget.contributions_line.label}' in the budget position",
                                          budget.contributions_line.amount, contributions_total))
    expenditure = sum(line.amount for line in budget.expenditure)
    carried = budget.brought_forward.amount + budget.contributions_line.amount + expenditure
    if budget.carried_forward.amount != carried:
        disagreements.append(Disagreement(("carried_forward", "amount"), f"'{budget.carried_forward.label}'",
                                          budget.carried_forward.amount, carried))
    return BudgetFigures(
        row_totals=rows,
        childrens_total=sum(c.childrens or 0 for c in budget.contributions),
        adults_total=sum(c.adults or 0 for c in budget.contributions),
        contributions_total=contributions_total,
        expenditure_total=expenditure,
        carried_forward=carried,
        disagreements=disagreements,
    )


def money(amount: int | None) -> str:
    """Whole pounds as published: thousands separators, credits with a minus sign."""
    if amount is None:
        return ""
    return f"-{abs(amount):,}" if amount < 0 else f"{amount:,}"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"
