"""The data model: the one place the schema lives. It also emits the JSON Schema.

Text fields hold inline Markdown (bold, italics, links) as printed; HTML in them is shown
literally, never run. References to other things are ids, checked in resolve.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


@dataclass(frozen=True)
class RefTo:
    """Marks a field as the id of another thing, so resolve.py can check it exists."""

    kind: Literal["organisation", "board", "edition"]


ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
EditionId = Annotated[str, StringConstraints(pattern=r"^(handbook|annual-report)/[0-9]{4}-[0-9]{2}$")]
OrgRef = Annotated[str, RefTo("organisation")]
BoardRef = Annotated[str, RefTo("board")]
EditionRef = Annotated[str, RefTo("edition")]
Text = Annotated[str, StringConstraints(min_length=1)]
Month = Annotated[int, Field(ge=1, le=12)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(Model):
    """A partner agency. Lives once, in data/organisations/<id>.yml."""

    id: Id
    name: Text = Field(description="Full name as the organisation uses it now")
    short_names: list[Text] = Field(default=[], description="Other names and abbreviations used in the documents")
    edition_names: dict[EditionId, Text] = Field(
        default={}, description="The name an edition printed, where it differs from `name` (a renamed body keeps its id)"
    )


class Section(Model):
    """A page of an edition. Its prose is content/<edition>/<id>.md."""

    id: Id
    title: Text
    kind: Literal[
        "prose", "statutory-duties", "strategic-boards", "affiliated-boards",
        "contacts", "board-reports", "agency-reports", "attendance", "budget", "glossary",
    ] = Field(default="prose", description="prose: the Markdown alone; the others add a part computed from the data")
    signed: bool = Field(default=False, description="The edition's signatories sign this section, after its prose")


class StatutoryDuties(Model):
    body: Text = Field(description="Heading as printed, e.g. 'Health and Wellbeing Board'")
    board: BoardRef | None = Field(default=None, description="The board that carries these duties, to link to")
    duties: list[Text]


class Signatory(Model):
    name: Text
    role: Text = Field(description="As printed, e.g. 'Chief Executive, MKC'")
    organisation: OrgRef | None = None


class Edition(Model):
    """One published document: data/<document>/<yyyy-mm>/edition.yml."""

    id: EditionId
    title: Text
    subtitle: Text | None = None
    published: dt.date
    status: Literal["draft", "published"]
    follows: EditionRef | None = Field(default=None, description="The edition this one revises")
    period: Text | None = Field(default=None, description="The period the document covers, e.g. 'April 2021 to March 2022'")
    covers_from: dt.date | None = Field(default=None, description="First day of the period an annual report covers")
    covers_to: dt.date | None = Field(default=None, description="Last day of the period an annual report covers")
    summary: Text = Field(description="One or two sentences for the home page and the edition's front page")
    change_notes: list[Text] = []
    sections: list[Section]
    boards: list[BoardRef] = Field(default=[], description="The edition's boards in the order it prints them; each is boards/<id>.yml")
    statutory_duties: list[StatutoryDuties] = []
    reports: list[Id] = Field(default=[], description="Highlight reports in printed order; each is reports/<id>.yml")
    signatories: list[Signatory] = Field(default=[], description="Who signed the introduction, as printed")


class Post(Model):
    """A sponsor, chair or vice-chair as printed, and the organisation that holds it."""

    label: Text = Field(description="As printed, e.g. 'Deputy Chief Executive, Healthwatch Milton Keynes' or 'TBC'")
    organisation: OrgRef | None = None


class Member(Model):
    label: Text = Field(description="As printed, without the (Chair), places and * markers, which are computed")
    organisations: list[OrgRef] = Field(default=[], description="The organisations this seat belongs to, if any")
    places: int | None = Field(default=None, ge=1, description="Number of places, where printed")
    places_note: Text | None = Field(default=None, description="e.g. 'to include the Director of Adult Services'")
    chair: bool = False
    vice_chair: bool = False
    responsible_authority: bool = False
    councillor: bool = False


class Quorum(Model):
    rule: Text = Field(description="The quorum rule as printed")
    organisations: list[OrgRef] = Field(default=[], description="Each must have a representative present")
    minimum_members: int | None = Field(default=None, ge=1)
    councillors_at_most_half: bool = False
    minimum_responsible_authorities: int | None = Field(default=None, ge=1)


class Meetings(Model):
    frequency: Text = Field(description="As printed, e.g. 'Three times annually (June, October, and February)'")
    per_year: int = Field(ge=1)
    at_least: bool = False
    months: list[Month] = Field(default=[], description="Months of the year the board meets in, 1 to 12")
    arrangements: list[Text] = Field(default=[], description="How it meets: in person, video conferencing ...")


class AgendaMeeting(Model):
    meeting: Text = Field(description="As printed, e.g. 'June 2021'")
    items: list[Text]


class LegalBasis(Model):
    act: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://")]


class Board(Model):
    """A board's summary and terms of reference in one edition: data/<edition>/boards/<id>.yml."""

    id: Id
    name: Text = Field(description="e.g. 'Risk' or 'Health and Wellbeing Board'")
    kind: Literal["strategic", "management", "affiliated"]
    status: Literal["active", "suspended"] = "active"
    status_note: Text | None = Field(default=None, description="For a suspended board: what the edition says of it")
    summary: Text | None = Field(default=None, description="The short description in the list of affiliated boards")
    workplan_note: Text | None = Field(default=None, description="A note on the board's work in this edition")
    accountable_to: list[BoardRef] = []
    legal_basis: LegalBasis | None = None
    sponsor: Post | None = None
    chair: Post | None = None
    scrutineer_attends: bool = False
    meetings: Meetings | None = None
    introduction: list[Text] = Field(default=[], description="Paragraphs that open the terms of reference")
    purpose: list[Text] = []
    functions_intro: Text | None = None
    functions: list[Text] = []
    functions_lettered: bool = Field(default=False, description="Printed as a), b), c)")
    chair_arrangements: list[Text] = []
    membership_intro: Text | None = None
    members: list[Member] = []
    membership_notes: list[Text] = []
    voting: list[Text] = Field(default=[], description="Who votes, deputies and substitutes, as printed")
    quorum: Quorum | None = None
    public_meetings: list[Text] = []
    procedure: list[Text] = []
    agenda_intro: Text | None = Field(default=None, description="e.g. 'The main agenda items for the meetings will be as follows:'")
    agenda: list[AgendaMeeting] = []
    reporting: list[Text] = []
    financial_responsibility: list[Text] = []
    financial_responsibility_items: list[Text] = []


class HighlightReport(Model):
    """A sponsor's board report or an agency's report in an annual report: data/<edition>/reports/<id>.yml.

    Its prose is content/<edition>/reports/<id>.md."""

    id: Id
    kind: Literal["board", "agency"]
    title: Text = Field(description="As printed, e.g. 'Assurance Board' or 'MKC Children's Social Care'")
    heading: Text | None = Field(
        default=None, description="The heading printed at the top of the report, where it differs from the title"
    )
    board: Id | None = Field(default=None, description="For a board report: the board's id in the Handbook edition in force")
    organisations: list[OrgRef] = Field(default=[], description="For an agency report: the agency")
    sponsor: Post | None = None


Amount = int  # whole pounds; a credit is negative, as printed


class Contribution(Model):
    label: Text = Field(description="The agency as printed, e.g. 'MK CCG'")
    organisations: list[OrgRef] = []
    childrens: Amount | None = None
    adults: Amount | None = None
    total: Amount | None = Field(default=None, description="The total as printed; the site computes its own and compares")


class BudgetLine(Model):
    label: Text
    amount: Amount


class ExpenditureLine(Model):
    label: Text
    amount: Annotated[int, Field(ge=0, description="Spending is positive; a credit belongs in income")]


class Budget(Model):
    """Appendix B: contributions and the end-of-year position: data/<edition>/budget.yml."""

    contributions_title: Text
    contributions: list[Contribution]
    position_title: Text
    actuals_label: Text = Field(description="Heading of the figures column, e.g. '21/22 Actuals'")
    brought_forward: BudgetLine
    contributions_line: BudgetLine = Field(description="Contributions as printed in the position; checked against the table")
    expenditure: list[ExpenditureLine]
    carried_forward: BudgetLine = Field(description="As printed; the site computes its own and compares")


Mark = Literal["present", "absent", "n/a"]


class AttendanceMeeting(Model):
    label: Text = Field(description="As printed, e.g. 'April 21'")
    month: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")] = Field(description="YYYY-MM")


class AttendanceRow(Model):
    label: Text = Field(description="Role and organisation as printed")
    organisations: list[OrgRef] = []
    marks: list[Mark] = Field(description="One per meeting, in order: present, absent or n/a")


class Attendance(Model):
    """Appendix A: who came to each meeting of a board: data/<edition>/attendance.yml."""

    title: Text
    board: Id = Field(description="The board's id in the Handbook editions in force at the meetings")
    meetings: list[AttendanceMeeting]
    members: list[AttendanceRow]


class ContactLine(Model):
    label: Text | None = Field(default=None, description="e.g. 'Out of hours' or opening hours")
    phone: Text | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    address: Text | None = None


class ContactGroup(Model):
    id: Id
    title: Text
    lines: list[ContactLine]


class Contacts(Model):
    """How to report a concern: data/contacts.yml, shown on the home page and linked from every page."""

    in_danger: Text
    not_in_danger: Text
    groups: list[ContactGroup]


class GlossaryTerm(Model):
    term: Text
    meaning: Text


class Glossary(Model):
    """Abbreviations and terms: data/glossary.yml. Each is explained wherever it appears."""

    terms: list[GlossaryTerm]


SCHEMAS: dict[str, type[Model]] = {
    "organisation": Organisation,
    "edition": Edition,
    "board": Board,
    "report": HighlightReport,
    "budget": Budget,
    "attendance": Attendance,
    "contacts": Contacts,
    "glossary": Glossary,
}
