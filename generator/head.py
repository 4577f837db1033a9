"""What a page says of itself to a browser tab, a search engine, a link preview and the site's
search: its full title, its description, its canonical address, its breadcrumbs, the date its
content last changed, and how much search should weigh it.

One owner: render.py puts the result in each page's front matter (`head`, and `description`,
which the theme reads too), the theme's main.html writes it into <head>, the breadcrumbs and
Pagefind's attributes, and the sitemap template lists canonical addresses with their dates.
"""
from __future__ import annotations

import html
import re
from typing import Any

from .derive import Facts
from .documents import DOCUMENTS
from .plan import HOME, Page, Plan, edition_label, served_url

SITE = "MK Together"
# pages that gather what others say (an organisation's seats, a board's editions): in search they
# come after the page that says it
GATHERED = {"organisation", "organisations-index", "board-history", "boards-index"}
DESCRIPTION_LENGTH = 155  # what search engines show of a description
# names the Handbook prints without the word "Board" (its affiliated boards: "Risk")
_BOARDISH = re.compile(r"\b(Board|Partnership|Panel|Group|Forum|Committee)\b")


def edition_name(page: Page) -> str:
    """'Partnership Handbook, November 2021'."""
    assert page.edition is not None
    return f"{DOCUMENTS[page.edition.document].title}, {edition_label(page.edition)}"


def page_name(page: Page) -> str:
    """The page's own name, out of its context: 'Risk Board' for the Handbook's 'Risk'."""
    if page.kind in ("board", "board-history") and not _BOARDISH.search(page.title):
        return f"{page.title} Board"
    return page.title


def context_name(page: Page, plan: Plan) -> str | None:
    """Where the page sits, for its title: its document and edition, or its part of the site."""
    if page.edition is not None:
        return edition_name(page)
    parents = _parents(page, plan)
    if not parents or parents[-1].uri == HOME or crumb(parents[-1]) in page.title:
        return None  # at the top of the site, or its title says it ("Every edition of the Partnership Handbook")
    return crumb(parents[-1])


def full_title(page: Page, plan: Plan) -> str:
    """'Risk Board – Partnership Handbook, November 2021 – MK Together': unique, and it says
    what the page is in a list of tabs, bookmarks or search results."""
    if page.uri == HOME:
        return f"{SITE}: the Partnership Handbook and Safeguarding Annual Reports of Milton Keynes"
    if page.kind == "edition":
        where = "the edition in force" if DOCUMENTS[page.edition.document].revisions else "the latest edition"
        name = f"{DOCUMENTS[page.edition.document].title}, {where}" if page.alias_of else edition_name(page)
        return f"{name} – {SITE}"
    where = context_name(page, plan)
    return " – ".join(part for part in (page_name(page), where, SITE) if part)


def crumb(page: Page) -> str:
    """A page's name in breadcrumbs: short, since its parents are named before it."""
    if page.kind == "edition" and not page.alias_of:
        return edition_label(page.edition)
    if page.kind == "edition":
        return DOCUMENTS[page.edition.document].title
    return page.nav_title or page.title


def _parents(page: Page, plan: Plan) -> list[Page]:
    """The planned pages above this one in the site's addresses, from home down."""
    folders = page.uri[: -len(".md")].split("/")
    if folders[-1] == "index":
        folders.pop()
    candidates = [HOME] + [f"{'/'.join(folders[:n])}/index.md" for n in range(1, len(folders))]
    return [plan.by_uri[uri] for uri in candidates if uri in plan.by_uri and uri != page.uri]


def breadcrumbs(page: Page, plan: Plan) -> list[dict[str, str]]:
    return [{"title": crumb(p), "url": served_url(p.uri, page.uri)} for p in _parents(page, plan)]


def description(page: Page, plan: Plan, markdown: str) -> str:
    """Where the page sits, then the first sentences of its own text (a board's summary, the
    opening of a report): no two pages say the same."""
    where = context_name(page, plan)
    lead = "" if page.uri == HOME else edition_name(page) if page.kind == "edition" \
        else f"{page_name(page)}, {where}" if where else page_name(page)
    text = _first_paragraph(markdown)
    if not text:
        return lead + "."
    room = DESCRIPTION_LENGTH - len(lead) - 2
    if len(text) > room:
        text = text[: room - 1].rsplit(" ", 1)[0].rstrip(",;:–") + "…"
    return f"{lead}: {text}" if lead else text


_MARKUP = [(re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"), (re.compile(r"<[^>]+>"), ""),
           (re.compile(r"[*_`]+"), ""), (re.compile(r"\{[:#.][^}]*\}"), ""), (re.compile(r"\s+"), " ")]


def _first_paragraph(markdown: str) -> str:
    """The text of the first paragraph of prose, without its markup; a note's text where the page
    has no other (the archive's index)."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", markdown)]
    notes = [block.split("\n", 1)[1].strip() for block in blocks if block.startswith("!!!") and "\n" in block]
    for block in blocks + notes:
        if not block or block[0] in "#<|-*:{!>[0123456789" or "\n:" in block or block.startswith(("---", "Download")) \
                or "{: .mkt-meta" in block:
            continue  # headings, HTML, tables, lists, definitions; the lines of dates, approval and owner
        for pattern, replacement in _MARKUP:
            block = pattern.sub(replacement, block)
        block = html.unescape(block).strip()
        if len(block) > 30 and block[-1] in ".:?!":
            return block
    return ""


def head(page: Page, plan: Plan, facts: Facts, markdown: str) -> dict[str, Any]:
    """The page's `head` front matter. `search` is what Pagefind is told: the result's title,
    and a lower weight for a superseded edition's page and a pending one's, so that the edition in
    force comes first."""
    address = served_url(page.alias_of or page.uri, HOME)  # from the site's root: "handbook/2021-11/", "./"
    if page.edition is not None and page.edition.edition.published:  # the edition, or its latest correction
        lastmod: str | None = max([page.edition.edition.published, *(c.date for c in page.edition.edition.corrections)]).isoformat()
    else:  # a page across editions changes when any edition is published
        published = [e.edition.published for editions in facts.timeline.published.values() for e in editions]
        lastmod = max(published).isoformat() if published else None
    status = facts.timeline.status(page.edition) if page.edition is not None else "published"
    title = full_title(page, plan)
    return {
        "title": title,
        "canonical": "" if address == "./" else address,
        "breadcrumbs": breadcrumbs(page, plan) if page.uri != HOME else [],
        "lastmod": lastmod,
        "listed": not page.alias_of and page.kind != "search",  # in the sitemap
        # not an alias, which shows another page; the glossary is indexed term by term (search.py)
        "search": None if page.alias_of or page.kind in ("search", "glossary-page") else {
            "title": f"{page_name(page)} – {edition_name(page)}" if page.edition is not None and page.kind != "edition"
            else title.removesuffix(f" – {SITE}"),
            # below the edition in force: a superseded edition's page, and a revision's not yet in force
            "weight": "0.3" if status == "superseded" else "0.5" if status == "pending" else
            "0.6" if page.kind in GATHERED else None,
        },
    }
