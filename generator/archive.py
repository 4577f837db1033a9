"""Historical records: minutes of meetings and archived documents of earlier partnerships.

Two kinds of data file, each with its own model:

- `Meeting`: the minutes of one meeting, data/meetings/<body-id>/<yyyy-mm-dd>.yml
  (e.g. data/meetings/safermk-partnership/2017-01-26.yml).
- `ArchiveDocument`: a document of an earlier partnership, data/archive/<id>.yml, with its
  prose in content/archive/<id>.md.

Text fields hold inline Markdown as printed, like every other data file (see models.py).
The checks that need a whole file (its name, its folder) are `check_meeting` and
`check_archive_document`; `check_archive_prose` checks the markers of an archive document's prose.
Nothing here imports project.py, so the loader can import this module.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BeforeValidator, Discriminator, Field, Tag, model_validator

from .dates import long_date
from .diagnostics import Location, Report
from .models import Id, Model, OrgRef, Text
from .yamlload import YamlDocument


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


ARCHIVE_PARTS = ("signatory", "principles", "meeting-arrangements", "membership")
MARKER = re.compile(r"<!-- generated: ([a-z-]+) -->")  # exactly so: the template splits the prose at it
NEAR_MARKER = re.compile(r"<!--\s*generated\s*:")


# where pages live, and their titles: for the renderer ---------------------------------------

ARCHIVE_INDEX_URI = "archive/index.md"
MEETINGS_INDEX_URI = "archive/meetings/index.md"


def meeting_uri(meeting: Meeting) -> str:
    return f"archive/meetings/{meeting.body.id}/{meeting.date.isoformat()}.md"


def document_uri(document: ArchiveDocument) -> str:
    return f"archive/{document.id}.md"


def meeting_title(meeting: Meeting) -> str:
    """e.g. 'SaferMK Partnership: 26 January 2017'."""
    return f"{meeting.body.name}: {long_date(meeting.date)}"


def document_title(document: ArchiveDocument) -> str:
    """e.g. 'The Milton Keynes Children and Families Partnership: Vision and principles'."""
    return f"{document.title}: {document.subtitle}" if document.subtitle else document.title


# for the loader -------------------------------------------------------------------------------


def data_model_for(parts: tuple[str, ...]) -> type[Model] | None:
    """The model of a data file, by its path's parts under data/, if it is one of the archive's."""
    if len(parts) == 3 and parts[0] == "meetings" and parts[2].endswith(".yml"):
        return Meeting  # data/meetings/<body-id>/<yyyy-mm-dd>.yml
    if len(parts) == 2 and parts[0] == "archive" and parts[1].endswith(".yml"):
        return ArchiveDocument  # data/archive/<id>.yml
    return None


def is_archive_prose(parts: tuple[str, ...]) -> bool:
    """content/archive/<id>.md, the prose of data/archive/<id>.yml."""
    return len(parts) == 2 and parts[0] == "archive" and parts[1].endswith(".md")


# checks that need the file ------------------------------------------------------------------

SCHEMAS: dict[str, type[Model]] = {"meeting": Meeting, "archive-document": ArchiveDocument}
MEETING_FILE = re.compile(r"^data/meetings/([a-z0-9]+(?:-[a-z0-9]+)*)/([0-9]{4}-[0-9]{2}-[0-9]{2})\.yml$")


def check_meeting(path: str, meeting: Meeting, doc: YamlDocument, report: Report) -> None:
    """What the model alone cannot see: the file's place, and facts that must agree."""
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


def check_archive_document(path: str, document: ArchiveDocument, doc: YamlDocument, report: Report) -> None:
    stem = path.rsplit("/", 1)[-1].removesuffix(".yml")
    if document.id != stem:
        report.error(doc.where(("id",)), f"the id '{document.id}' must match the file's name, '{stem}.yml'")


def check_archive_prose(text: str, path: str, report: Report) -> None:
    """Every `<!-- generated: ... -->` marker names a part, once."""
    seen: set[str] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        if NEAR_MARKER.search(line) and not MARKER.search(line):
            report.error(Location(path, number, NEAR_MARKER.search(line).start() + 1),  # type: ignore[union-attr]
                         "write the marker exactly as '<!-- generated: <part> -->', with one space each side")
        for match in MARKER.finditer(line):
            name = match.group(1)
            if name not in ARCHIVE_PARTS:
                report.error(Location(path, number, match.start() + 1),
                             f"unknown part '{name}'; the parts are: {', '.join(ARCHIVE_PARTS)}")
            elif name in seen:
                report.error(Location(path, number, match.start() + 1), f"the part '{name}' is placed twice; keep one marker")
            seen.add(name)
