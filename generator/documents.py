"""The kinds of document the site publishes, and the lifecycle of each: declared here once.

- The Partnership Handbook is a series of revisions. The newest published edition is in force;
  each earlier one is superseded by the next (worked out, never typed). A revision starts as a
  copy of the terms of reference and sections of the edition it revises, and its subtitle
  ("Revised April 2022") comes from the date it is published.
- The Safeguarding Annual Report is one per reporting year, 1 April to 31 March. No year
  supersedes another: each stays the report for its year, and the site lists every year, newest
  first. A new year starts empty, its period, title and dates taken from its id (2022-23).

An edition's id is <kind>/<yyyy-mm> for a revision (handbook/2021-11) and <kind>/<yyyy>-<yy>
for a year (annual-report/2021-22). A published edition is a record: it changes only by a new
edition or by a recorded correction (lifecycle.py).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .text import MONTHS


@dataclass(frozen=True)
class Document:
    kind: str
    title: str  # as the site names the document: "Partnership Handbook"
    revisions: bool  # True: each edition revises the last and supersedes it; False: one per year

    def label(self, edition_id: str) -> str:
        """'November 2021' for a revision; '2021-22' for a year."""
        first, second = edition_id.split("/")[1].split("-")
        return f"{MONTHS[int(second) - 1]} {first}" if self.revisions else f"{first}-{second}"

    def check_id(self, edition_id: str) -> str | None:
        """What is wrong with an edition id of this document, or None."""
        example = "handbook/2022-04" if self.revisions else "annual-report/2022-23"
        match = re.fullmatch(rf"{self.kind}/([0-9]{{4}})-([0-9]{{2}})", edition_id)
        if not match:
            return f"'{edition_id}' is not an edition id of the {self.title}; write it like '{example}'"
        year, second = int(match.group(1)), int(match.group(2))
        if self.revisions and not 1 <= second <= 12:
            return f"'{edition_id}' names no month; write the year and month it is published, like '{example}'"
        if not self.revisions and second != (year + 1) % 100:
            return f"'{edition_id}' is not a reporting year; write the year it starts and the next, like '{example}'"
        if not 2000 <= year <= 2099:
            return f"'{edition_id}' is not a year this site can publish; use a year from 2000 to 2099"
        return None


DOCUMENTS = {
    "handbook": Document("handbook", "Partnership Handbook", revisions=True),
    "annual-report": Document("annual-report", "Safeguarding Annual Report", revisions=False),
}


# the first words of the one-line prompt new-edition writes where a page's text is still to write
PROMPT = "*To be written:"


def next_edition_id(document: str, taken: set[str], today: dt.date | None = None) -> str:
    """An id for the next edition of a document, free and after every edition it has: a revision of
    this month, or the reporting year after the last."""
    today = today or dt.date.today()
    ids = sorted(t for t in taken if t.startswith(document + "/"))
    last = ids[-1].split("/")[1] if ids else f"{today.year - 1}-{today.month:02d}"
    year, second = int(last[:4]), int(last[5:])
    if not DOCUMENTS[document].revisions:
        return f"{document}/{year + 1}-{(year + 2) % 100:02d}"
    candidate = (today.year, today.month)
    if candidate <= (year, second):
        candidate = (year + (second == 12), second % 12 + 1)
    return f"{document}/{candidate[0]}-{candidate[1]:02d}"


def document_of(edition_id: str) -> Document | None:
    return DOCUMENTS.get(edition_id.split("/")[0])


def reporting_year(edition_id: str) -> tuple[dt.date, dt.date]:
    """The period a year's report covers: 1 April to 31 March."""
    year = int(edition_id.split("/")[1][:4])
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def revision_subtitle(published: dt.date) -> str:
    """A revision's subtitle, from the date it is published: 'Revised April 2022'."""
    return f"Revised {MONTHS[published.month - 1]} {published.year}"
