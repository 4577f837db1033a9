"""The site's Atom feeds (RFC 4287): the feed of publications, /feed.xml, with an entry for every
published edition and every correction recorded on one, newest first; a feed for each document
(/handbook/feed.xml), of that document's entries; and a feed for each board (/boards/risk/feed.xml),
with an entry for each published Handbook edition in which the board was added, changed or removed,
and each correction to its page.

Each entry's date is the data's (the day published, the day corrected) and its words the What
changed page's (the one comparison, derive.Facts.changes, and the board's share of it,
derive.Facts.histories) or the correction's own. A feed's `updated` is the newest of its dates,
never the clock. Ids and links are the pages' canonical addresses under the site's URL
(config.site_url): a correction's id is its edition's address and its number among the edition's
corrections, which are only ever added to, and is the same entry in every feed that has it.
"""
from __future__ import annotations

import datetime as dt
import html
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .derive import Facts
from .documents import DOCUMENTS
from .head import page_name
from .load import EditionData, Project
from .plan import (
    HOME, Page, Plan, board_feed_uri, board_history_uri, board_uri, changes_uri, document_feed_uri, edition_label,
    edition_uri, editions_uri, meeting_uri, served_url,
)
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


def document_feed_title(document: str) -> str:
    return f"{DOCUMENTS[document].title}: new editions and corrections"


def board_feed_title(name: str) -> str:
    return f"{name}: what changed in each edition of the Partnership Handbook"


def followed(page: Page, plan: Plan) -> list[dict[str, str]]:
    """The feeds a page's reader may follow, besides the site's: its board's, then its document's.
    `url` is relative to the page as served; `follow` is the visible link's text."""
    found = []
    board = page.context.get("board_id") if page.kind == "board-history" else \
        page.context["board"].id if page.kind == "board" else None
    if board is not None:
        found.append((board_feed_uri(board), board_feed_title(page_name(page)), f"Follow changes to the {page_name(page)}"))
    document = page.edition.document if page.edition is not None else page.uri.split("/")[0] if page.kind == "editions" else None
    if document is not None:
        found.append((document_feed_uri(document), document_feed_title(document),
                      f"Follow new editions of the {DOCUMENTS[document].title}"))
    root = served_url(HOME, page.uri)
    return [{"url": (root if root != "./" else "") + uri, "title": title, "follow": f"{follow} (Atom feed)"}
            for uri, title, follow in found]


def feeds(project: Project, facts: Facts, plan: Plan, site_url: str) -> dict[str, str]:
    """Every feed by its uri: the site's, each document's and each board's."""
    def address(uri: str) -> str:
        """The canonical address of a page."""
        return site_url + served_url(uri, HOME).removeprefix("./")

    site = plan.by_uri[HOME].title
    by_document: dict[str, list[Entry]] = {}
    for document, editions in facts.timeline.published.items():
        by_document[document] = [entry for edition in editions for entry in
                                 [_edition_entry(project, facts, edition, address), *_correction_entries(plan, edition, address)]]
    files = {FEED_URI: _atom(
        site_url + FEED_URI, f"{site}: new editions and corrections",
        "Each new edition of the Partnership Handbook and the Safeguarding Annual Report, and each correction to one, "
        "with what changed.", address(HOME), site, [e for entries in by_document.values() for e in entries])}
    for document in dict.fromkeys(e.document for e in project.editions.values()):  # those with pages, drafts' too
        files[document_feed_uri(document)] = _atom(
            site_url + document_feed_uri(document), document_feed_title(document),
            f"Each new edition of the {DOCUMENTS[document].title}, and each correction to one, with what changed.",
            address(editions_uri(document)), site, by_document.get(document, []))
    for board_id in facts.histories:
        name = page_name(plan.by_uri[board_history_uri(board_id)])
        files[board_feed_uri(board_id)] = _atom(
            site_url + board_feed_uri(board_id), board_feed_title(name),
            f"Each edition of the Partnership Handbook in which the {name} was added, changed or removed, with what "
            "changed, and each correction to its page.",
            address(board_history_uri(board_id)), site, _board_entries(project, facts, plan, board_id, name, address))
    return files


def _atom(feed_id: str, title: str, subtitle: str, alternate: str, author: str, entries: list[Entry]) -> str:
    entries = sorted(entries, key=lambda e: (e.date, e.id), reverse=True)
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    _text(root, "id", feed_id)
    _text(root, "title", title)
    _text(root, "subtitle", subtitle)
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": feed_id})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": alternate})
    _text(root, "updated", _timestamp(entries[0].date if entries else dt.date(2000, 1, 1)))  # none yet: still no clock
    ET.SubElement(ET.SubElement(root, "author"), "name").text = author
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


def _correction_entries(plan: Plan, edition: EditionData, address: Callable[[str], str],
                        touching: str | None = None) -> list[Entry]:
    """One entry a correction (those `touching` a file, given one), linking the pages that say so
    (as render.edition_bar finds them)."""
    entries = []
    title = f"{DOCUMENTS[edition.document].title}, {edition_label(edition)}"
    for n, correction in enumerate(edition.edition.corrections, 1):
        if touching is not None and touching not in correction.files:
            continue
        corrected = [p.uri for p in plan.pages
                     if p.edition is edition and not p.alias_of and set(correction.files) & set(p.sources)]
        what = f"Corrected on {long_date(correction.date)}: {correction.said()}"
        pages = "".join(f'<li><a href="{html.escape(address(uri))}">{_html(plan.by_uri[uri].title)}</a></li>'
                        for uri in corrected)
        entries.append(Entry(f"{address(edition_uri(edition))}#correction-{n}", f"Correction to the {title}",
                             correction.date, address(corrected[0] if corrected else edition_uri(edition)), what,
                             f"<p>{_html(what)}</p>" + (f"<p>The pages it corrects:</p><ul>{pages}</ul>" if pages else "")))
    return entries


def _board_entries(project: Project, facts: Facts, plan: Plan, board_id: str, name: str,
                   address: Callable[[str], str]) -> list[Entry]:
    """An entry for each published Handbook edition in which the board first stands, or was added,
    changed or removed, in the words of its history (the What changed page's own sentences); and
    each correction to its page."""
    entries = []
    document = DOCUMENTS["handbook"].title
    history = facts.histories[board_id]
    for n, h in enumerate(history):
        edition = h.edition
        if edition.edition.status != "published":
            continue
        if h.board is not None:
            entries += _correction_entries(plan, edition, address, edition.board_sources[board_id].path)
        label = edition_label(edition)
        earlier = history[n - 1].edition if n else project.editions.get(edition.edition.follows or "")
        diff = facts.changes.get(edition.id)
        changes: list[Any] = h.changes
        if (not n or h.board is None) and diff is not None:  # added or removed: as What changed says it
            changes = next((g.changes for g in diff.groups if g.board == board_id), changes)
        if earlier is None:
            title, said = f"{name} in the {document}, {label}", f"The {name} is in the first edition of the {document} on this site."
        elif changes:
            done = {"board-added": "added in", "board-removed": "removed from",
                    "board-re-established": "re-established in"}.get(changes[0].kind, "changed in")
            title, said = f"{name} {done} the {document}, {label}", f"Since the {edition_label(earlier)} edition:"
        else:
            continue
        sentences = [inline(c.text) for c in changes]
        page = address(board_uri(edition, board_id)) if h.board else None
        whole = address(changes_uri(edition)) if changes_uri(edition) in plan.by_uri else None
        content = f"<p>{_html(said)}</p>" + ("<ul>" + "".join(f"<li>{_html(s)}</li>" for s in sentences) + "</ul>" if sentences else "")
        links = [f'<a href="{html.escape(page)}">The {_html(name)} in the {_html(label)} edition</a>'] if page else []
        links += [f'<a href="{html.escape(whole)}">Every change in the {_html(label)} edition</a>'] if whole else []
        content += "".join(f"<p>{link}</p>" for link in links)
        entries.append(Entry(f"{address(board_history_uri(board_id))}#{edition.id}", title, edition.edition.published,  # type: ignore[arg-type]
                             page or whole or address(edition_uri(edition)), " ".join([said, *sentences]), content))
    return entries
