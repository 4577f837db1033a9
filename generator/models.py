"""The data model: the one place the schema lives. It also emits the JSON Schema.

Text fields hold inline Markdown (bold, italics, links) as printed; HTML in them is shown
literally, never run. References to other things are ids, checked in checks.py.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StringConstraints, Tag, model_validator,
)

from .text import sentence


@dataclass(frozen=True)
class RefTo:
    """Marks a field as the id of another thing, so checks.py can check it exists."""

    kind: Literal["organisation", "board", "edition"]


def ref_kind(annotation: Any) -> str | None:
    """The RefTo kind inside an annotation such as list[Annotated[str, RefTo(...)]] | None."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, RefTo):
                return meta.kind
    for arg in typing.get_args(annotation):
        kind = ref_kind(arg)
        if kind:
            return kind
    return None


@functools.cache
def _field_ref_kinds(model_class: type[BaseModel]) -> list[tuple[str, str | None]]:
    return [(name, ref_kind(field.annotation)) for name, field in model_class.model_fields.items()]


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
    posts: list[Text] = Field(
        default=[], description="Seats a board names by title alone, without an organisation, that are this "
                                "organisation's: each exactly as printed, e.g. 'MKC Cabinet Member'"
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


def _publishable(date: dt.date) -> dt.date:
    if not 2000 <= date.year <= 2099:  # a gzip header, as in sitemap.xml.gz, holds dates to 2106
        raise ValueError(f"{date.isoformat()} is not a date this site can publish; use a year from 2000 to 2099")
    return date


PublishableDate = Annotated[dt.date, AfterValidator(_publishable)]


class Replacement(Model):
    """Words a correction replaced, with a few either side, in one file of the edition."""

    file: Text = Field(description="The file, from the project's root")
    before: Text = Field(description="The words as published")
    after: str = Field(description="The words as corrected")


class Correction(Model):
    """A change made to a published edition, recorded as legislation.gov.uk records amendments."""

    date: dt.date
    what: Text = Field(description="What was corrected, e.g. 'The Risk Board's quorum now names Thames Valley Police'")
    why: Text = Field(description="Why, e.g. 'A typing error in the published edition'")
    files: list[Text] = Field(default=[], description="The files the correction changed, from the project's root")
    replaced: list[Replacement] = Field(
        default=[], description="The words it replaced, so that no later edition publishes them again; written by "
                                "`mktogether correct`, which also carries the correction into every later draft")

    def said(self) -> str:
        """What was corrected and why, as two sentences: 'The total is 1,565, not 1,564. A typing error.'"""
        return f"{sentence(self.what)} {sentence(self.why)}"


class Approval(Model):
    """Which board approved an edition, on which day, under which minute: written by `mktogether publish`."""

    board: Id = Field(description="The approving board's id among the boards of the Handbook in force that day, "
                                  "e.g. 'management-board'")
    date: PublishableDate = Field(description="The day the board approved it; on or before the day it was published")
    minute: Text = Field(description="The minute that records it, as the board's minutes number it, e.g. '6' or 'SMK29'")


class Edition(Model):
    """One published document: data/<document>/<yyyy-mm>/edition.yml."""

    id: EditionId
    title: Text
    subtitle: Text | None = Field(default=None, description="As printed; a Handbook revision's is set by `mktogether publish`")
    published: PublishableDate | None = Field(default=None, description="The day it was published; a draft has none yet")
    status: Literal["draft", "published"]
    follows: EditionRef | None = Field(default=None, description="The edition this one revises")
    period: Text | None = Field(default=None, description="The period the document covers, e.g. 'April 2021 to March 2022'")
    covers_from: PublishableDate | None = Field(default=None, description="First day of the period an annual report covers")
    covers_to: PublishableDate | None = Field(default=None, description="Last day of the period an annual report covers")
    summary: Text | None = Field(default=None, description="One or two sentences for the home page and the edition's front page")
    approval: Approval | None = Field(default=None, description="Who approved it: written by `mktogether publish "
                                                                "--approved-by`; editions published before have none")
    in_force_from: PublishableDate | None = Field(
        default=None, description="A revision published ahead of the day it takes effect: that day (`mktogether publish "
                                  "--in-force-from`). Until then the edition before it stays in force")
    review_by: PublishableDate | None = Field(
        default=None, description="The day it is next due for review: set by `mktogether publish` from its document's "
                                  "review interval (data/<document>/document.yml), or by --review-by")
    change_notes: list[Text] = []
    corrections: list[Correction] = Field(
        default=[], description="Corrections made to it since it was published; written by `mktogether correct`")
    sections: list[Section]
    boards: list[BoardRef] = Field(default=[], description="The edition's boards in the order it prints them; each is boards/<id>.yml")
    statutory_duties: list[StatutoryDuties] = []
    reports: list[Id] = Field(default=[], description="Highlight reports in printed order; each is reports/<id>.yml")
    signatories: list[Signatory] = Field(default=[], description="Who signed the introduction, as printed")


class DocumentPolicy(Model):
    """Who owns a kind of document, and how often an edition in force is reviewed: data/<document>/document.yml."""

    owner: Id = Field(description="The board that owns it, by its id in the Handbook in force, e.g. 'management-board'")
    review_months: int | None = Field(
        default=None, ge=1, le=60, description="Months from publication to the next review; `mktogether publish` sets "
                                               "each edition's review_by from it. None: no review date")


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
    amount: Amount | None = Field(default=None, description="As printed; none yet in a new year's draft")


class ExpenditureLine(Model):
    label: Text
    amount: Annotated[int, Field(ge=0, description="Spending is positive; a credit belongs in income")] | None = None


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


class AccessibilityStatement(Model):
    """The accessibility statement's facts: data/accessibility.yml. Its page is content/accessibility.md
    followed by what the regulations ask for, from these and the other data; `check` warns when the
    last review is more than a year old."""

    reviewed: dt.date = Field(description="The day the statement was last reviewed, YYYY-MM-DD; review it at least once a year")
    prepared: dt.date = Field(description="The day the statement was first prepared, YYYY-MM-DD")
    tested: dt.date = Field(description="The day the website was last tested against WCAG 2.2 AA, YYYY-MM-DD")
    contact: Id = Field(description="The id of the group in data/contacts.yml whose email takes reports of accessibility "
                                    "problems and requests for another format")


# minutes and archived documents: historical records ------------------------------------


def _time_in_quotes(value: Any) -> Any:
    # YAML 1.1 reads an unquoted 14:03 as the number 843 (sexagesimal); refuse it rather than
    # let pydantic take it for 843 seconds past midnight
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("write the time in quotes, as '14:03' (24-hour clock)")
    return value


Time = Annotated[dt.time, BeforeValidator(_time_in_quotes)]
def _minute_ref(value: str) -> str:
    if not re.fullmatch(r"[A-Z]+[0-9]+[A-Za-z]?", value):
        raise ValueError("a minute reference is capitals then a number, as printed, e.g. 'SMK29'")
    return value


MinuteRef = Annotated[str, AfterValidator(_minute_ref)]


# meetings ------------------------------------------------------------------------------------


class MeetingBody(Model):
    """The body that met, as its minutes name it."""

    id: Id = Field(description="The body's id, which is also its folder: data/meetings/<id>/, e.g. 'safermk-partnership'")
    name: Text = Field(description="The body's name as printed in the minutes, e.g. 'SaferMK Partnership'")
    board: Id | None = Field(
        default=None,
        description="The board this body is now, by its id in the Handbook editions, e.g. 'community-safety-partnership' "
        "for the SaferMK Partnership (its earlier name)",
    )


class Person(Model):
    """Someone listed at a meeting (present, co-opted, observing, officer or sending apologies), as printed."""

    name: Text = Field(description="As printed, with any title: 'Councillor O'Neill', 'Supt. Gez Chiariello', 'M Potter'")
    role: Text | None = Field(default=None, description="The post as printed, e.g. 'LPA Commander' or 'Non-Voting Chair'")
    organisation: OrgRef | None = Field(
        default=None, description="The organisation's id, where the person represents one of data/organisations/"
    )
    organisation_as_printed: Text | None = Field(
        default=None, description="The organisation as the minutes print it, e.g. 'Milton Keynes, Clinical Commissioning Group'"
    )
    deputy_for: Text | None = Field(
        default=None,
        description="For a deputy: whom they stood in for, as printed inside '(Deputy for ...)'; the words 'Deputy for' "
        "and the brackets are added by the template",
    )
    deputy_for_name: Text | None = Field(
        default=None,
        description="For a deputy: the name of the person stood in for, as the minutes print it (in the entry or under "
        "apologies). Not shown on the page; checked against the apologies",
    )
    chair: bool = Field(default=False, description="Chaired the meeting (the role says so as printed)")


class Table(Model):
    """A table as printed: its header cells and its rows, every cell as printed."""

    columns: list[Text] = Field(min_length=1, description="The header cells, as printed")
    rows: list[list[Text | None]] = Field(
        description="One list of cells per row, as many as there are columns; an empty cell is null. "
        "A cell printed with a currency sign and no figure is written as printed: '£'"
    )

    @model_validator(mode="after")
    def _rows_fit_columns(self) -> "Table":
        for i, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(f"row {i} has {len(row)} cells but the table has {len(self.columns)} columns")
        return self


class Bullets(Model):
    """A bulleted list inside the narrative of a minute."""

    bullets: list[Text] = Field(min_length=1, description="The items, one per line, as printed")


def _block_kind(value: Any) -> str:
    return "bullets" if isinstance(value, (dict, Bullets)) else "paragraph"


# a paragraph is plain text; a mapping is a bulleted list (so a mistake in one gets one diagnostic)
Block = Annotated[
    Union[Annotated[Text, Tag("paragraph")], Annotated[Bullets, Tag("bullets")]],
    Discriminator(_block_kind),
]


class Resolution(Model):
    """One thing resolved. Several in an item are numbered 1., 2., ... by the template; one alone is not."""

    text: Text = Field(description="As printed, without its number")
    sub_items: list[Text] = Field(
        default=[], description="Lettered sub-items, without their letters: the template prints (a), (b), ..."
    )
    table: Table | None = Field(default=None, description="A table printed as part of this resolution")


class MinuteItem(Model):
    """One numbered minute: its reference, title, what was said, and what was resolved."""

    ref: MinuteRef = Field(description="The minute reference as printed, e.g. 'SMK29'; the page links to it as #smk29")
    title: Text = Field(description="As printed, e.g. 'REDUCING REOFFENDING UPDATE'")
    narrative: list[Block] = Field(
        default=[], description="Paragraphs, in order; a bulleted list is written as 'bullets:' with its items"
    )
    resolutions: list[Resolution] = Field(
        default=[], description="What was RESOLVED, in printed order; the template prints the 'RESOLVED' label"
    )


class Meeting(Model):
    """The minutes of one meeting: data/meetings/<body-id>/<yyyy-mm-dd>.yml."""

    body: MeetingBody
    date: dt.date = Field(description="The day of the meeting; also the file's name, YYYY-MM-DD")
    venue: Text = Field(description="Where it met, e.g. 'Council Chamber, Milton Keynes Council Civic Offices'")
    start_time: Time = Field(description="When it began, 24-hour clock in quotes: '14:03'")
    close_time: Time | None = Field(default=None, description="When the chair closed it, 24-hour clock in quotes: '15:46'")
    opening: Text = Field(
        description="The line under the body's name, as printed: 'Minutes of the Meeting held on ...'"
    )
    present: list[Person] = Field(default=[], description="Members present, in printed order")
    co_opted: list[Person] = Field(default=[], description="Co-opted members without voting rights, in printed order")
    observers: list[Person] = []
    officers: list[Person] = []
    apologies: list[Person] = Field(default=[], description="Those who sent apologies, in printed order")
    items: list[MinuteItem] = Field(min_length=1, description="The minutes, in printed order")
    next_meeting: dt.date | None = Field(default=None, description="The date of the next meeting, as the minutes give it")
    next_meeting_moved_from: dt.date | None = Field(
        default=None, description="Where the minutes say the next meeting was moved: the date it was moved from"
    )
    closing: Text | None = Field(default=None, description="The closing line as printed, e.g. 'THE CHAIR CLOSED THE MEETING AT 3.46 PM'")

    def people(self) -> list[tuple[str, list[Person]]]:
        """Every list of people, with its key, in printed order."""
        return [("present", self.present), ("co_opted", self.co_opted), ("observers", self.observers),
                ("officers", self.officers), ("apologies", self.apologies)]


# archived documents ------------------------------------------------------------------------


class ArchiveSignatory(Model):
    """Who signed or introduced a document, line by line as printed."""

    name: Text = Field(description="As printed, e.g. 'Gail E Tolley'")
    lines: list[Text] = Field(default=[], description="The lines printed under the name, e.g. 'Chair', 'Corporate Director'")
    organisation: OrgRef | None = None


class Principle(Model):
    """A numbered principle: the template prints 'Principle 1', 'Principle 2', ..."""

    title: Text = Field(description="As printed, without 'Principle 1'")
    aims_intro: Text | None = Field(default=None, description="e.g. 'The partnership will aim to:'")
    aims: list[Text] = []


class ArchiveMember(Model):
    label: Text = Field(description="As printed, e.g. 'Local Authority'")
    organisations: list[OrgRef] = Field(default=[], description="The organisations it means today, where one is certain")


class ArchiveMembership(Model):
    """Who the partnership was made up of."""

    intro: list[Text] = Field(default=[], description="Paragraphs before the lists")
    duty_to_cooperate_intro: Text | None = Field(
        default=None, description="e.g. 'Membership includes representation from those organisations with a duty to cooperate ...'"
    )
    duty_to_cooperate: list[ArchiveMember] = Field(default=[], description="Bodies with a statutory duty to cooperate")
    other_partners_intro: Text | None = Field(default=None, description="e.g. 'Extending to other local partners:'")
    other_partners: list[ArchiveMember] = []


class ArchiveDocument(Model):
    """A document of an earlier partnership: data/archive/<id>.yml; its prose is content/archive/<id>.md.

    The prose holds the document's own words, with `##` headings as printed. The parts kept here
    are placed where the prose has a line `<!-- generated: <part> -->` (parts: signatory,
    principles, meeting-arrangements, membership), or at the end, in that order, if it has none.
    """

    id: Id
    title: Text = Field(description="As printed, e.g. 'The Milton Keynes Children and Families Partnership'")
    subtitle: Text | None = Field(default=None, description="As printed, e.g. 'Vision and principles'")
    status: Literal["draft", "published"] = Field(description="draft: the original is marked DRAFT, and the page says so")
    date: dt.date | None = Field(
        default=None, description="The date printed on the document; leave it out when none is printed (the page says 'undated')"
    )
    signatory: ArchiveSignatory | None = Field(default=None, description="Who signed the foreword, as printed")
    principles: list[Principle] = []
    meeting_arrangements: list[Text] = Field(
        default=[], description="Paragraphs on how the partnership meets, shown under 'How the partnership meets'"
    )
    membership: ArchiveMembership | None = None


class FileRecord(Model):
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    lines: str = Field(description="The first 6 hex digits of the SHA-256 of each line, run together: to find a changed line")


class Record(Model):
    """What was published: data/<edition>/record.yml, written by `mktogether publish` and `correct`."""

    edition: EditionId
    published: dt.date
    checksum: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="SHA-256 of the rest of the record, so that a record edited by hand is noticed")
    files: dict[str, FileRecord] = Field(description="Every file of the edition, from the project's root")
    shared: dict[str, str] = Field(
        default={}, description="What the edition's pages show of the files every edition shares (glossary meanings, "
                                "contacts, organisations' names), by what it is: to say when one of those changes them")


# the JSON Schema name of each kind of data file; load.data_kind says which path holds which
SCHEMAS: dict[str, type[Model]] = {
    "organisation": Organisation,
    "edition": Edition,
    "document": DocumentPolicy,
    "board": Board,
    "report": HighlightReport,
    "budget": Budget,
    "attendance": Attendance,
    "contacts": Contacts,
    "glossary": Glossary,
    "accessibility": AccessibilityStatement,
    "meeting": Meeting,
    "archive-document": ArchiveDocument,
    "record": Record,
}


class EditionDownload(Model):
    """An edition's whole data in one file, as the site offers it for download from the edition's
    front page: the edition, its boards and reports, attendance and budget, and the organisations
    they name. Figures are as printed; the CSV downloads of the tables add the computed ones."""

    schema_address: str = Field(alias="$schema", description="The address of this file's JSON Schema")
    edition: Edition
    boards: list[Board] = Field(description="In the order the edition prints them")
    reports: list[HighlightReport] = Field(description="In the order the edition prints them")
    attendance: Attendance | None
    budget: Budget | None
    organisations: list[Organisation] = Field(description="Every organisation the edition names by id")


def json_schema(model: type[BaseModel], schema_id: str) -> dict[str, Any]:
    """A model's JSON Schema (draft 2020-12), named by its $id."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = schema_id
    return schema
