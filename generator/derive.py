"""Every fact computed from the data, worked out once a build into typed objects.

Which edition of a document is in force and which superseded; attendance rates and the quorum of
each meeting; budget totals and where the printed figures disagree with their lines; each board's
history across editions; who sits where; what changed between editions. Templates, the diff and
the checks only read these. Printed figures stay as printed; what is computed sits beside them.

`derive` runs on whatever loaded, broken files left out, so that the checks can read the facts
too; nothing here reports a diagnostic.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import json
import re

from .compare import Change, EditionDiff, compare_boards, compare_editions
from .diagnostics import Location
from .documents import DOCUMENTS, reporting_year
from .load import EditionData, Project
from .memo import Memo, digest
from .models import Attendance, Board, Budget, DocumentPolicy, HighlightReport, Meeting, Member, Person, references
from .text import is_abbreviation, long_date, normalise


def month_key(value: str) -> tuple[int, int]:
    year, month = value.split("-")[:2]
    return int(year), int(month)


# editions over time ---------------------------------------------------------------------------

class Timeline:
    """Every document's published editions in order: which is latest, and, for a document of
    revisions, which is superseded by which (documents.py declares each kind's lifecycle), as of a
    day (`as_of`, by default today): a revision published to come into force on a later day
    (`in_force_from`) is pending until then, and the edition before it stays in force."""

    def __init__(self, project: Project, as_of: dt.date | None = None):
        self.as_of = as_of or dt.date.today()
        self.published: dict[str, list[EditionData]] = {
            d: sorted((e for e in project.editions.values() if e.document == d and e.edition.status == "published"),
                      key=lambda e: e.edition.published)
            for d in DOCUMENTS
        }
        self.pending = {e.id for editions in self.published.values() for e in editions
                        if e.edition.in_force_from and e.edition.in_force_from > self.as_of}
        self.successor: dict[str, EditionData] = {}
        for document, editions in self.published.items():
            if DOCUMENTS[document].revisions:  # a year's report is never superseded by the next year's
                effective = [e for e in editions if e.id not in self.pending]
                for earlier, later in zip(effective, effective[1:]):
                    self.successor[earlier.id] = later

    def superseded_by(self, edition: EditionData) -> EditionData | None:
        """The next published edition of the same document: 'superseded' is computed, never typed."""
        return self.successor.get(edition.id)

    def status(self, edition: EditionData) -> str:
        if edition.edition.status == "draft":
            return "draft"
        if edition.id in self.pending:
            return "pending"
        return "superseded" if edition.id in self.successor else "published"

    @staticmethod
    def in_force_on(edition: EditionData) -> dt.date:
        """The day a published edition comes (or came) into force: the day given, or the day published."""
        return edition.edition.in_force_from or edition.edition.published  # type: ignore[return-value]

    def latest(self, document: str) -> EditionData | None:
        """The edition in force (a year's report: the latest year's), as of the timeline's day."""
        editions = [e for e in self.published.get(document, []) if e.id not in self.pending]
        return editions[-1] if editions else None

    def handbook_in_force(self, month: str) -> EditionData | None:
        """The latest published Handbook edition in force in or before the month 'YYYY-MM'."""
        candidates = [e for e in self.published["handbook"]
                      if (self.in_force_on(e).year, self.in_force_on(e).month) <= month_key(month)]
        return candidates[-1] if candidates else None

    def handbook_on(self, day: dt.date, besides: EditionData | None = None) -> EditionData | None:
        """The Handbook edition in force on a day: the latest published on or before it (`besides`
        left out: an edition is approved under the Handbook before it)."""
        candidates = [e for e in self.published["handbook"] if self.in_force_on(e) <= day and e is not besides]
        return candidates[-1] if candidates else None


# governance: who approved an edition, who owns a document, when it is reviewed --------------------

def board_called(name: str) -> str:
    """'the MK Together Management Board', 'the Risk board': a board named in a sentence."""
    return f"the {name}" if name.lower().endswith("board") else f"the {name} board"


@dataclass
class Approved:
    """An edition's approval, with the board as the Handbook in force that day names it, and that
    board's minutes of that day where the site has them."""

    edition: EditionData
    handbook: EditionData | None  # in force on the day of the approval
    board: Board | None  # None: not a board of that Handbook (checks.py says so)
    meeting: Meeting | None

    def said(self, minute_link: str | None = None) -> str:
        """'Approved by the MK Together Management Board on 15 March 2022 (minute 6)'; given the
        address of the minutes, 'minute 6' as a Markdown link to them."""
        approval = self.edition.edition.approval
        assert approval is not None
        name = board_called(self.board.name) if self.board else approval.board
        minute = f"minute {approval.minute}"
        return (f"Approved by {name} on {long_date(approval.date)} "
                f"({f'[{minute}]({minute_link})' if minute_link else minute})")

    def minute_anchor(self) -> str | None:
        """The place of the minute on the meeting's page ('smk29'), where its minutes number it so."""
        approval = self.edition.edition.approval
        refs = [item.ref for item in self.meeting.items] if self.meeting else []
        return next((ref.lower() for ref in refs if approval and ref.lower() == approval.minute.lower()), None)


def approvals(project: Project, timeline: Timeline) -> dict[str, Approved]:
    found = {}
    for edition in project.editions.values():
        approval = edition.edition.approval
        if approval is None:
            continue
        handbook = timeline.handbook_on(approval.date, besides=edition)
        board = handbook.boards.get(approval.board) if handbook else None
        meeting = next((s.model for s in project.meetings if s.model.body.board == approval.board  # type: ignore[attr-defined]
                        and s.model.date == approval.date), None)  # type: ignore[attr-defined]
        found[edition.id] = Approved(edition, handbook, board, meeting)  # type: ignore[arg-type]
    return found


@dataclass
class Ownership:
    """Who owns a document (data/<document>/document.yml), named as the Handbook in force names the board."""

    policy: DocumentPolicy
    board: Board | None  # None: not a board of the latest Handbook (checks.py says so)

    def owner(self) -> str:
        return self.board.name if self.board else self.policy.owner


def ownerships(project: Project, timeline: Timeline) -> dict[str, Ownership]:
    handbook = timeline.latest("handbook")
    return {document: Ownership(source.model, handbook.boards.get(source.model.owner) if handbook else None)  # type: ignore[attr-defined]
            for document, source in project.documents.items()}


# attendance -------------------------------------------------------------------------------------

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
    recorded: bool = True  # every member's mark for the meeting is there (a draft's may not be yet)

    @property
    def known(self) -> bool:
        return (self.recorded and self.board is not None and self.board.quorum is not None
                and bool(self.board.quorum.organisations))

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


def _rate(marks: list[str]) -> Rate:
    return Rate(sum(m == "present" for m in marks), sum(m != "n/a" for m in marks))


def attendance_figures(attendance: Attendance, timeline: Timeline) -> AttendanceFigures:
    by_member = [_rate(row.marks) for row in attendance.members]
    by_meeting, quorum = [], []
    for i, meeting in enumerate(attendance.meetings):
        by_meeting.append(_rate([row.marks[i] for row in attendance.members if i < len(row.marks)]))
        handbook = timeline.handbook_in_force(meeting.month)
        board = handbook.boards.get(attendance.board) if handbook else None
        check = QuorumCheck(handbook, board, recorded=all(i < len(row.marks) for row in attendance.members))
        if board and board.quorum:
            for org in board.quorum.organisations:
                present = [row.label for row in attendance.members
                           if org in row.organisations and i < len(row.marks) and row.marks[i] == "present"]
                check.required.append((org, present))
        quorum.append(check)
    overall = Rate(sum(r.present for r in by_member), sum(r.expected for r in by_member))
    return AttendanceFigures(by_member, by_meeting, quorum, overall)


# budget -----------------------------------------------------------------------------------------

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
    rows = [(c.childrens or 0) + (c.adults or 0) for c in budget.contributions]  # a figure not yet filled in counts 0
    disagreements = []
    for i, (contribution, computed) in enumerate(zip(budget.contributions, rows)):
        if contribution.total is not None and contribution.total != computed:
            disagreements.append(Disagreement(("contributions", i, "total"), f"total for {contribution.label}",
                                              contribution.total, computed))
    contributions_total = sum(rows)
    if budget.contributions_line.amount is not None and budget.contributions_line.amount != contributions_total:
        disagreements.append(Disagreement(("contributions_line", "amount"),
                                          f"'{budget.contributions_line.label}' in the budget position",
                                          budget.contributions_line.amount, contributions_total))
    expenditure = sum(line.amount or 0 for line in budget.expenditure)
    carried = (budget.brought_forward.amount or 0) + (budget.contributions_line.amount or 0) + expenditure
    if budget.carried_forward.amount is not None and budget.carried_forward.amount != carried:
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


@dataclass
class ReportFacts:
    """What is computed for one annual report."""

    handbook: EditionData | None  # in force at the end of the period the report covers
    attendance: AttendanceFigures | None
    budget: BudgetFigures | None


# boards across editions, and who sits where -----------------------------------------------------

@dataclass
class BoardInEdition:
    edition: EditionData
    status: str  # active, suspended, removed
    board: Board | None
    changes: list[Change] = field(default_factory=list)  # since the edition before
    chair: Place | None = None  # who chaired it, as this edition printed it


@dataclass
class Place:
    """One place on a board as printed: a member, or the chair or sponsor named apart from the members;
    and the organisations it belongs to: those it names, or else the one whose `posts` list its title."""

    kind: str  # member, chair, sponsor
    label: str
    organisations: list[str]
    member: Member | None = None

    @property
    def described(self) -> str:
        """'chair: MKC Cabinet Member', 'sponsor: TVP', 'MKC Chief Executive'."""
        role = self.kind if self.member is None else "chair" if self.member.chair else "vice-chair" if self.member.vice_chair else ""
        return f"{role}: {self.label}" if role else self.label


def board_places(board: Board, posts: dict[str, str]) -> list[Place]:
    """Every place on the board, members first, then the sponsor and the chair named apart."""
    def held(label: str, named: list[str]) -> list[str]:
        return list(named) or ([posts[normalise(label)]] if normalise(label) in posts else [])
    places = [Place("member", m.label, held(m.label, list(m.organisations)), m) for m in board.members]
    places += [Place(kind, post.label, held(post.label, [post.organisation] if post.organisation else []))
               for kind, post in (("sponsor", board.sponsor), ("chair", board.chair)) if post]
    return places


def board_chair(places: list[Place]) -> Place | None:
    """The chair named apart from the members, or else the member marked chair."""
    return (next((p for p in places if p.kind == "chair"), None)
            or next((p for p in places if p.member is not None and p.member.chair), None))


@dataclass
class Seat:
    """Everything an organisation holds on one board in one edition."""

    edition: EditionData
    board_id: str
    board: Board
    roles: list[str]  # "core member", "2 places", "chair", "sponsor", "responsible authority", "needed for quorum"
    labels: list[str] = field(default_factory=list)  # each place it holds as printed, with its role: Place.described


@dataclass
class Contribution:
    edition: EditionData
    label: str
    childrens: int | None
    adults: int | None
    total: int


@dataclass
class AttendanceOf:
    edition: EditionData
    label: str
    rate: Rate


@dataclass
class MinutedPerson:
    meeting: Meeting
    person: Person
    attended_as: str  # present, co-opted, observers, officers, apologies


@dataclass
class OrganisationFacts:
    seats: list[Seat] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    attendance: list[AttendanceOf] = field(default_factory=list)
    reports: list[tuple[EditionData, str, HighlightReport]] = field(default_factory=list)
    minutes: list[MinutedPerson] = field(default_factory=list)


def _seat(edition: EditionData, board_id: str, board: Board, org_id: str, places: list[Place]) -> Seat | None:
    roles: list[str] = []
    labels: list[str] = []
    for place in places:
        if org_id not in place.organisations:
            continue
        labels.append(place.described)
        member = place.member
        if member is None:
            roles.append(place.kind)
            continue
        roles.append(f"{member.places} places" if member.places and member.places > 1 else "core member")
        roles += [name for flag, name in [(member.chair, "chair"), (member.vice_chair, "vice-chair"),
                                          (member.responsible_authority, "responsible authority")] if flag]
    if board.quorum and org_id in board.quorum.organisations:
        roles.append("needed for quorum")
    return Seat(edition, board_id, board, list(dict.fromkeys(roles)), labels) if roles else None


# what an edition's pages show of the files every edition shares -------------------------------

@dataclass(frozen=True)
class Shown:
    """One thing an edition's pages show of a shared file, and where it is typed."""

    value: str
    where: Location


@dataclass(frozen=True)
class SharedChange:
    """Something a published edition's pages show of a shared file that changed since it was published."""

    key: str  # 'glossary: MASH', 'contacts: Children: Out of hours', 'organisation: police'
    before: str | None  # as recorded when the edition was published (or last corrected)
    after: str | None  # as it is now
    where: Location

    def describe(self) -> str:
        """In a sentence, for the editor, the reviewer and the edition's own pages."""
        kind, _, name = self.key.partition(": ")
        if kind == "organisation":
            if self.before is None or self.after is None:
                return f"The organisation '{self.after or self.before}' is {'new' if self.before is None else 'gone'}"
            return f"The organisation named '{self.before}' is now named '{self.after}'"
        what = f"The glossary's meaning of '{name}'" if kind == "glossary" else f"The contact '{name}'"
        if self.before is None:
            return f"{what} is new: '{self.after}'"
        if self.after is None:
            return f"{what} is gone (it was '{self.before}')"
        return f"{what} was '{self.before}' and is now '{self.after}'"


_shown: Memo[dict[str, Shown]] = Memo("shared files shown")


def shared_view(project: Project, edition: EditionData) -> dict[str, Shown]:
    """What the edition's pages show of the glossary, the contacts and the organisations: every
    meaning of a term its text uses as an abbreviation (every term, where it prints the glossary),
    every contact (where it prints the contacts), and each organisation it names, by the name it prints."""
    shared = [s for s in [project.singles.get("glossary"), project.singles.get("contacts"),
                          *project.organisation_sources.values()] if s]
    key = (edition.digest(), *(s.path + s.digest for s in shared))
    return _shown.get(key, lambda: _shared_view(project, edition))


def _shared_view(project: Project, edition: EditionData) -> dict[str, Shown]:
    kinds = {s.kind for s in edition.edition.sections}
    sources = [edition.source, *edition.singles.values(), *(s for listed in edition.listed.values() for s in listed.sources.values())]
    sources = [s for s in sources if not s.path.endswith("/record.yml")]
    view: dict[str, Shown] = {}
    glossary = project.singles.get("glossary")
    if glossary:
        terms = glossary.model.terms  # type: ignore[attr-defined]
        if "glossary" in kinds:
            used = {t.term for t in terms}
        else:
            text = "\n".join([*(json.dumps(s.model.model_dump(mode="json"), ensure_ascii=False) for s in sources),
                              *(p.text for p in [*edition.prose.values(), *edition.report_prose.values()])])
            abbreviations = sorted((t.term for t in terms if is_abbreviation(t.term)), key=len, reverse=True)
            pattern = re.compile(r"\b(" + "|".join(map(re.escape, abbreviations)) + r")\b") if abbreviations else None
            used = set(pattern.findall(text)) if pattern else set()
        for i, term in enumerate(terms):
            if term.term in used:
                view[f"glossary: {term.term}"] = Shown(normalise(term.meaning), glossary.doc.where(("terms", i, "meaning")))
    contacts = project.singles.get("contacts")
    if contacts and "contacts" in kinds:
        model = contacts.model
        for name in ("in_danger", "not_in_danger"):
            view[f"contacts: {name.replace('_', ' ')}"] = Shown(normalise(getattr(model, name)), contacts.doc.where((name,)))
        for g, group in enumerate(model.groups):  # type: ignore[attr-defined]
            for i, line in enumerate(group.lines):
                shown = "; ".join(normalise(v) for v in (line.phone, line.email, line.address) if v)
                name = f"contacts: {normalise(group.title)}: {normalise(line.label or '').rstrip(':') or i + 1}"
                view[name if name not in view else f"{name} ({i + 1})"] = Shown(shown, contacts.doc.where(("groups", g, "lines", i)))
    named = sorted({ident for s in sources for _, kind, ident in references(s.model) if kind == "organisation"})
    for org_id in named:
        source = project.organisation_sources.get(org_id)
        if source:
            org = source.model
            printed = org.edition_names.get(edition.id)  # type: ignore[attr-defined]
            where = source.doc.where(("edition_names", edition.id) if printed else ("name",))
            view[f"organisation: {org_id}"] = Shown(normalise(printed or org.name), where)  # type: ignore[attr-defined]
    return view


def shared_changes(project: Project, edition: EditionData) -> list[SharedChange]:
    """What the published edition's pages show of the shared files that changed since its record was
    written: said by `check`, `review` and the edition's own pages, until recorded as a correction."""
    record = edition.singles.get("record")
    recorded = dict(record.model.shared) if record and edition.edition.status == "published" else {}  # type: ignore[attr-defined]
    if not recorded:
        return []  # a draft, or recorded before shared files were kept
    loaded = {s.path for s in [edition.source, *edition.singles.values(),
                               *(s for listed in edition.listed.values() for s in listed.sources.values())]}
    if any(rel.startswith("data/") and rel not in loaded and rel in project.digests for rel in record.model.files):  # type: ignore[union-attr]
        return []  # one of its files is there but broken: what it shows can't be told, and its own error says so
    now = shared_view(project, edition)
    broken = {f"organisation: {stem}" for stem in project.organisation_files if stem not in project.organisation_sources}
    broken |= {name for name in ("glossary", "contacts")
               if any(rel.startswith(f"data/{name}.") for rel in project.digests) and name not in project.singles}
    changes = []
    for key in sorted({*recorded, *now}):
        before, after = recorded.get(key), now[key].value if key in now else None
        if after is None and (key in broken or key.partition(":")[0] in broken):
            continue  # its file is there, but broken or misnamed: its own error says so
        if before != after:
            kind, _, name = key.partition(": ")
            where = now[key].where if key in now else _shared_file(project, kind, name)
            changes.append(SharedChange(key, before, after, where))
    return changes


def _shared_file(project: Project, kind: str, name: str) -> Location:
    """Where a shared thing that is gone was kept: its list, or its file."""
    if kind == "organisation":
        return Location(f"data/organisations/{name}.yml")
    source = project.singles.get("glossary" if kind == "glossary" else "contacts")
    return source.doc.where(("terms" if kind == "glossary" else "groups",)) if source else Location(f"data/{kind}.yml")


@dataclass
class Facts:
    timeline: Timeline
    reports: dict[str, ReportFacts]  # by annual report edition id
    changes: dict[str, EditionDiff]  # by edition id, from the edition it follows
    histories: dict[str, list[BoardInEdition]]  # by board id, in order of first appearance
    organisations: dict[str, OrganisationFacts]  # by organisation id
    places: dict[tuple[str, str], list[Place]] = field(default_factory=dict)  # by (Handbook edition id, board id)
    # by published edition id: what its pages show of the shared files that changed since it was recorded
    shared_changes: dict[str, list[SharedChange]] = field(default_factory=dict)
    approvals: dict[str, Approved] = field(default_factory=dict)  # by edition id, of those with an approval
    owners: dict[str, Ownership] = field(default_factory=dict)  # by document, of those with a document.yml

    def board_name(self, board_id: str) -> str | None:
        """The board's name in the latest edition that has it."""
        named = [h.board.name for h in self.histories.get(board_id, []) if h.board]
        return named[-1] if named else None

    def unattributed(self, editions: list[EditionData]) -> list[tuple[EditionData, str, Place]]:
        """The places on the editions' boards that belong to no organisation."""
        return [(e, board_id, place) for e in editions for board_id in e.boards
                for place in self.places.get((e.id, board_id), []) if not place.organisations]


def _histories(handbooks: list[EditionData], changes: dict[str, EditionDiff],
               places: dict[tuple[str, str], list[Place]]) -> dict[str, list[BoardInEdition]]:
    """Each board in every Handbook edition from its first: active, suspended, or removed."""
    ids = list(dict.fromkeys(b for e in handbooks for b in e.boards))
    histories = {}
    for board_id in ids:
        history: list[BoardInEdition] = []
        previous: tuple[EditionData, Board] | None = None
        for edition in handbooks:
            board = edition.boards.get(board_id)
            if board is None:
                if history and history[-1].status != "removed":
                    history.append(BoardInEdition(edition, "removed", None,
                                                  [Change("board-removed", "Removed from the partnership's boards.")]))
                previous = None
                continue
            entry = BoardInEdition(edition, board.status, board, chair=board_chair(places[edition.id, board_id]))
            if previous is not None:
                diff = changes.get(edition.id)
                if diff is not None and diff.old == previous[0].id:  # the What changed page's own comparison
                    entry.changes = next((g.changes for g in diff.groups if g.board == board_id), [])
                    entry.changes = entry.changes + [  # a member who moved from this board to another
                        Change("member-moved-away", f"Member moved to {g.title}: {c.subject}.", subject=c.subject)
                        for g in diff.groups for c in g.changes if c.moved_from == board_id]
                else:
                    before, after = previous[0].board_sources[board_id], edition.board_sources[board_id]
                    entry.changes = _board_changes.get((before.digest, after.digest), lambda a=previous[1], b=board: compare_boards(a, b))
            elif history:
                entry.changes = [Change("board-re-established", "Re-established.")]
            history.append(entry)
            previous = (edition, board)
        if history:
            histories[board_id] = history
    return histories


def edition_changes(project: Project, old: EditionData, new: EditionData) -> EditionDiff:
    """What changed from one edition to another: the What changed page, `mktogether diff` and
    `mktogether review` all read this one computation."""
    organisations = digest(*(s.path + s.digest for s in project.organisation_sources.values()))
    return _changes.get((old.digest(), new.digest(), organisations),
                        lambda: compare_editions(old, new, organisations=project.organisations))


_changes: Memo[EditionDiff] = Memo("edition changes")
_board_changes: Memo[list[Change]] = Memo("board changes")


def derive(project: Project, as_of: dt.date | None = None) -> Facts:
    """Every fact, as of a day (by default today): which edition is in force depends on it."""
    timeline = Timeline(project, as_of)
    editions = list(project.editions.values())
    reports = {}
    for e in editions:
        if e.document == "annual-report":
            end = (e.edition.covers_to or reporting_year(e.id)[1]).strftime("%Y-%m")
            reports[e.id] = ReportFacts(
                timeline.handbook_in_force(end),
                attendance_figures(e.attendance, timeline) if e.attendance else None,
                budget_figures(e.budget) if e.budget else None,
            )
    changes = {e.id: edition_changes(project, project.editions[e.edition.follows], e)
               for e in editions if e.edition.follows in project.editions}
    handbooks = [e for e in editions if e.document == "handbook"]
    orgs = {org_id: OrganisationFacts() for org_id in project.organisations}
    posts = {normalise(post): org_id for org_id, org in sorted(project.organisations.items()) for post in org.posts}
    places = {(e.id, board_id): board_places(board, posts) for e in handbooks for board_id, board in e.boards.items()}
    for edition in handbooks:
        for board_id, board in edition.boards.items():
            for org_id, facts in orgs.items():
                seat = _seat(edition, board_id, board, org_id, places[edition.id, board_id])
                if seat:
                    facts.seats.append(seat)
    for edition in editions:
        for c in edition.budget.contributions if edition.budget else []:
            for org_id in c.organisations:
                if org_id in orgs:
                    orgs[org_id].contributions.append(
                        Contribution(edition, c.label, c.childrens, c.adults, (c.childrens or 0) + (c.adults or 0)))
        figures = reports[edition.id].attendance if edition.id in reports else None
        if edition.attendance and figures:
            for row, rate in zip(edition.attendance.members, figures.by_member):
                for org_id in row.organisations:
                    if org_id in orgs:
                        orgs[org_id].attendance.append(AttendanceOf(edition, row.label, rate))
        for report_id, report in edition.reports.items():
            for org_id in report.organisations:
                if org_id in orgs:
                    orgs[org_id].reports.append((edition, report_id, report))
    for source in project.meetings:
        meeting: Meeting = source.model  # type: ignore[assignment]
        for key, people in meeting.people():
            for person in people:
                if person.organisation in orgs:
                    orgs[person.organisation].minutes.append(MinutedPerson(meeting, person, key.replace("_", "-")))
    shared = {e.id: found for e in editions if (found := shared_changes(project, e))}
    return Facts(timeline, reports, changes, _histories(handbooks, changes, places), orgs, places, shared,
                 approvals(project, timeline), ownerships(project, timeline))
