"""The feed of publications, /feed.xml: an Atom feed (RFC 4287) with an entry for every published
edition and every correction recorded on one, newest first.

Each entry's date is the data's (the day published, the day corrected) and its summary the What
changed page's (the one comparison, derive.Facts.changes) or the correction's own words. The feed's
`updated` is the newest of those dates, never the clock. Ids and links are the pages' canonical
addresses under the site's URL (config.site_url): a correction's id is its edition's address and
its number among the edition's corrections, which are only ever added to.
"""
from __future__ import annotations

import datetime as dt
import html
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from .derive import Facts
from .documents import DOCUMENTS
from .load import EditionData, Project
from .plan import HOME, Plan, changes_uri, edition_label, edition_uri, meeting_uri, served_url
from .text import inline, long_date

FEED_URI = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"


@dataclass
class Entry:
    id: str
    title: str
    date: dt.date
    url: str
    summary: str
    content: str  # HTML


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def feed(project: Project, facts: Facts, plan: Plan, site_url: str) -> str:
    def address(uri: str) -> str:
        """The canonical address of a page."""
        return site_url + served_url(uri, HOME).removeprefix("./")

    entries: list[Entry] = []
    for edition in (e for editions in facts.timeline.published.values() for e in editions):
        entries.append(_edition_entry(project, facts, edition, address))
        entries += _correction_entries(plan, edition, address)
    entries.sort(key=lambda e: (e.date, e.id), reverse=True)

    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    _text(root, "id", site_url + FEED_URI)
    _text(root, "title", f"{plan.by_uri[HOME].title}: new editions and corrections")
    _text(root, "subtitle", "Each new edition of the Partnership Handbook and the Safeguarding Annual Report, "
                            "and each correction to one, with what changed.")
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": site_url + FEED_URI})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": address(HOME)})
    _text(root, "updated", _timestamp(entries[0].date if entries else dt.date(2000, 1, 1)))  # none yet: still no clock
    ET.SubElement(ET.SubElement(root, "author"), "name").text = plan.by_uri[HOME].title
    for entry in entries:
        element = ET.SubElement(root, "entry")
        _text(element, "id", entry.id)
        _text(element, "title", entry.title)
        _text(element, "published", _timestamp(entry.date))
        _text(element, "updated", _timestamp(entry.date))
        ET.SubElement(element, "link", {"rel": "alternate", "type": "text/html", "href": entry.url})
        _text(element, "summary", entry.summary)
        ET.SubElement(element, "content", {"type": "html"}).text = entry.content
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _html(text: str) -> str:
    return html.escape(text, quote=False)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def _edition_entry(project: Project, facts: Facts, edition: EditionData, address: Callable[[str], str]) -> Entry:
    e = edition.edition
    document = DOCUMENTS[edition.document]
    diff = facts.changes.get(edition.id)
    earlier = project.editions.get(e.follows or "")
    if diff is not None and earlier is not None:
        summary = f"What changed since the {edition_label(earlier)} edition: {diff.summary()}."
    elif document.revisions:
        summary = f"The first edition of the {document.title} on this site."
    else:
        summary = f"The {document.title} for {inline(e.period) if e.period else edition_label(edition)}."
    content = [f"<p>{_html(inline(e.summary))}</p>"] if e.summary else []
    if e.in_force_from and e.published and e.in_force_from > e.published:  # said whatever day the site is built for
        summary += f" It comes into force on {long_date(e.in_force_from)}."
        content.append(f"<p>It comes into force on {_html(long_date(e.in_force_from))}.</p>")
    approved = facts.approvals.get(edition.id)
    if approved is not None:  # as the front page says it, the minute linked where the site has the minutes
        summary += f" {approved.said()}."
        said = _html(approved.said())
        if approved.meeting is not None:
            minute = f"minute {_html(e.approval.minute)}"  # type: ignore[union-attr]
            anchor = approved.minute_anchor()
            href = html.escape(address(meeting_uri(approved.meeting)) + (f"#{anchor}" if anchor else ""))
            said = said.removesuffix(f"({minute})") + f'(<a href="{href}">{minute}</a>)'
        content.append(f"<p>{said}.</p>")
    if e.change_notes:
        content.append("<p>What changed in this edition:</p><ul>"
                       + "".join(f"<li>{_html(inline(note))}</li>" for note in e.change_notes) + "</ul>")
    if diff is not None and earlier is not None:
        content.append(f'<p><a href="{html.escape(address(changes_uri(edition)))}">Every change since the '
                       f"{_html(edition_label(earlier))} edition</a>: {_html(diff.summary())}.</p>")
    url = address(edition_uri(edition))
    return Entry(url, f"{document.title}, {edition_label(edition)}", e.published, url, summary,  # type: ignore[arg-type]
                 "".join(content))


def _correction_entries(plan: Plan, edition: EditionData, address: Callable[[str], str]) -> list[Entry]:
    """One entry a correction, linking the pages that say so (as render.edition_bar finds them)."""
    entries = []
    title = f"{DOCUMENTS[edition.document].title}, {edition_label(edition)}"
    for n, correction in enumerate(edition.edition.corrections, 1):
        corrected = [p.uri for p in plan.pages
                     if p.edition is edition and not p.alias_of and set(correction.files) & set(p.sources)]
        what = f"Corrected on {long_date(correction.date)}: {correction.said()}"
        pages = "".join(f'<li><a href="{html.escape(address(uri))}">{_html(plan.by_uri[uri].title)}</a></li>'
                        for uri in corrected)
        entries.append(Entry(f"{address(edition_uri(edition))}#correction-{n}", f"Correction to the {title}",
                             correction.date, address(corrected[0] if corrected else edition_uri(edition)), what,
                             f"<p>{_html(what)}</p>" + (f"<p>The pages it corrects:</p><ul>{pages}</ul>" if pages else "")))
    return entries
