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
    kind: Literal["prose", "statutory-duties", "strategic-boards", "affiliated-boards"] = Field(
        default="prose", description="prose: the Markdown alone; the others add a part computed from the data"
    )


class StatutoryDuties(Model):
    body: Text = Field(description="Heading as printed, e.g. 'Health and Wellbeing Board'")
    board: BoardRef | None = Field(default=None, description="The board that carries these duties, to link to")
    duties: list[Text]


class Edition(Model):
    """One published document: data/<document>/<yyyy-mm>/edition.yml."""

    id: EditionId
    title: Text
    subtitle: Text | None = None
    published: dt.date
    status: Literal["draft", "published"]
    follows: EditionRef | None = Field(default=None, description="The edition this one revises")
    period: Text | None = Field(default=None, description="The period the document covers, e.g. 'April 2021 to March 2022'")
    summary: Text = Field(description="One or two sentences for the home page and the edition's front page")
    change_notes: list[Text] = []
    sections: list[Section]
    boards: list[BoardRef] = Field(default=[], description="The edition's boards in the order it prints them; each is boards/<id>.yml")
    statutory_duties: list[StatutoryDuties] = []


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


SCHEMAS: dict[str, type[Model]] = {
    "organisation": Organisation,
    "edition": Edition,
    "board": Board,
}
