"""The page plan: every page of the site once, with its URL, title, template, sources and data.

Rendering, the navigation, the prose link check, the sitemap and the benchmark all read the plan.
A page kind is a template, templates/pages/<kind>.md.j2; adding one is that template and one
entry below. Where every page lives is decided by the functions under "Addresses", nowhere else.
"""
from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from .derive import Facts
from .documents import DOCUMENTS
from .load import EditionData, Project, Prose
from .models import ArchiveDocument, Meeting
from .prose import split_at_marker
from .text import long_date

# Material renders the whole navigation into every page, so a navigation listing every page of
# every edition would make each page cost more as editions accumulate. The newest editions are
# listed in full; older ones from each document's page of every edition.
FULL_NAV_EDITIONS = 3
# a section of an edition is a page of the kind its `kind` names, but for these
SECTION_KINDS = {"board-reports": "reports-list", "agency-reports": "reports-list"}

# Addresses ------------------------------------------------------------------------------------
# Pages are named by their src_uri, the Markdown path MkDocs serves them from (directory URLs).

HOME = "index.md"
CONCERN = "report-a-concern.md"
GLOSSARY = "glossary.md"
SEARCH = "search.md"
BOARDS_INDEX = "boards/index.md"
ORGANISATIONS_INDEX = "organisations/index.md"
ARCHIVE_INDEX = "archive/index.md"
MEETINGS_INDEX = "archive/meetings/index.md"


def document_uri(document: str) -> str:
    """The latest edition of a document, at /handbook/ or /annual-report/."""
    return f"{document}/index.md"


def editions_uri(document: str) -> str:
    """Every edition of a document, with its dates and notes: /handbook/editions/."""
    return f"{document}/editions.md"


def edition_uri(edition: EditionData) -> str:
    return f"{edition.id}/index.md"


def section_uri(edition: EditionData, section_id: str) -> str:
    return f"{edition.id}/{section_id}.md"


def board_uri(edition: EditionData, board_id: str) -> str:
    return f"{edition.id}/boards/{board_id}.md"


def report_uri(edition: EditionData, report_id: str) -> str:
    return f"{edition.id}/reports/{report_id}.md"


def changes_uri(edition: EditionData) -> str:
    return f"{edition.id}/what-changed.md"


def chart_uri(edition: EditionData) -> str:
    # an index.md, so that the file stands where the page is served: engines that resolve raw-HTML
    # links against the source file (Zensical) and those that resolve them as served agree
    return f"{edition.id}/structure-chart/index.md"


def board_history_uri(board_id: str) -> str:
    return f"boards/{board_id}.md"


def document_feed_uri(document: str) -> str:
    """The Atom feed of one document's editions and corrections: /handbook/feed.xml."""
    return f"{document}/feed.xml"


def board_feed_uri(board_id: str) -> str:
    """The Atom feed of one board's changes across Handbook editions: /boards/risk/feed.xml."""
    return f"boards/{board_id}/feed.xml"


def organisation_uri(org_id: str) -> str:
    return f"organisations/{org_id}.md"


def meeting_uri(meeting: Meeting) -> str:
    return f"archive/meetings/{meeting.body.id}/{meeting.date.isoformat()}.md"


def archive_document_uri(document: ArchiveDocument) -> str:
    return f"archive/{document.id}.md"


@functools.lru_cache(maxsize=1 << 16)  # posixpath.relpath is slow, and every page links dozens of others
def relative(target: str, current: str) -> str:
    """A Markdown link from the page `current` to the page `target` (both src_uris)."""
    return posixpath.relpath(target, posixpath.dirname(current) or ".")


@functools.lru_cache(maxsize=1 << 16)
def served_url(target: str, current: str) -> str:
    """The URL of page `target` relative to page `current`, as the built site serves them.

    Links inside raw HTML and SVG are not rewritten by MkDocs, so they are written as served."""

    def directory(uri: str) -> str:
        stem = uri[: -len(".md")]
        return stem[: -len("index")] if stem.endswith("index") else stem + "/"

    rel = posixpath.relpath(directory(target) or ".", directory(current) or ".")
    return "./" if rel == "." else rel + "/"


# Names ----------------------------------------------------------------------------------------

def edition_label(edition: EditionData) -> str:
    """'November 2021' for handbook/2021-11; '2021-22' for annual-report/2021-22."""
    return DOCUMENTS[edition.document].label(edition.id)


def meeting_title(meeting: Meeting) -> str:
    """e.g. 'SaferMK Partnership: 26 January 2017'."""
    return f"{meeting.body.name}: {long_date(meeting.date)}"


def archive_document_title(document: ArchiveDocument) -> str:
    """e.g. 'The Milton Keynes Children and Families Partnership: Vision and principles'."""
    return f"{document.title}: {document.subtitle}" if document.subtitle else document.title


# the addresses (and titles) templates may call, by name
ADDRESSES = {f.__name__: f for f in (
    document_uri, editions_uri, edition_uri, section_uri, board_uri, report_uri, changes_uri, chart_uri, board_history_uri,
    organisation_uri, meeting_uri, archive_document_uri, meeting_title,
)} | {"concern_uri": CONCERN, "glossary_uri": GLOSSARY}


def _split_title(text: str, fallback: str) -> tuple[str, str]:
    """A top-level page's title is its first '# ' heading."""
    match = re.match(r"\s*# (.+)\n", text)
    if match:
        return match.group(1).strip(), text[match.end():]
    return fallback.replace("-", " ").capitalize(), text


# The plan -------------------------------------------------------------------------------------

@dataclass
class Page:
    uri: str  # src_uri, e.g. "handbook/2021-11/boards/risk.md"
    kind: str  # its template: templates/pages/<kind>.md.j2
    title: str
    sources: list[str]  # the data and content files it is made from: what an editor edits to change it
    context: dict[str, Any] = field(default_factory=dict)  # what its template reads, besides the common helpers;
    # prose in it is Markup: Markdown placed as it is, where data is escaped
    edition: EditionData | None = None  # the edition it belongs to, for the switcher and banners
    alias_of: str | None = None  # the page whose content it shows at another address (/handbook/)
    prose: list[Prose] = field(default_factory=list)  # Markdown placed on it; its links are checked from here
    nav: tuple[str, ...] | None = ()  # the navigation groups it sits in; None: not in the navigation
    nav_title: str | None = None  # its title in the navigation, where not its own
    nav_index: bool = False  # the index page of its navigation group
    # every file whose change can change the page: its sources, and what it shows of others
    # (the glossary's tooltips, its document's editions in the switcher, the boards it tabulates)
    depends: list[str] = field(default_factory=list)


@dataclass
class Plan:
    pages: list[Page]

    def __post_init__(self) -> None:
        self.by_uri = {p.uri: p for p in self.pages}

    @property
    def uris(self) -> set[str]:
        return set(self.by_uri)

    def linkable(self, project: Project) -> "Linkable":
        """The pages a link may go to: every planned page, and any page a file that failed to
        load would make (its own error says so; a link to it is not a second mistake)."""
        uncertain = [f"{folder}/" for folder in project.edition_folders if folder not in project.editions]
        for edition in project.editions.values():
            for what, uri in (("boards", board_uri), ("reports", report_uri)):
                listed = edition.listed[what]
                uncertain += [uri(edition, stem) for stem in listed.files if stem not in listed.models]
        uncertain += [organisation_uri(stem) for stem in project.organisation_files if stem not in project.organisations]
        for name, uri in (("glossary", GLOSSARY), ("contacts", CONCERN)):  # data/glossary.yml read, but broken
            if f"data/{name}.yml" in project.digests and name not in project.singles:
                uncertain.append(uri)
        return Linkable(self.uris, tuple(uncertain))


    def navigation(self) -> list[Any]:
        """The MkDocs nav: pages in plan order, nested by their groups."""
        nav: list[Any] = []
        for page in self.pages:
            if page.nav is None:
                continue
            entries = nav
            for group in page.nav:
                found = next((e[group] for e in entries if isinstance(e, dict) and isinstance(e.get(group), list)), None)
                if found is None:
                    found = []
                    entries.append({group: found})
                entries = found
            entries.append(page.uri if page.nav_index else {page.nav_title or page.title: page.uri})
        return nav


@dataclass(frozen=True)
class Linkable:
    uris: set[str]
    uncertain: tuple[str, ...]  # pages, or folders of pages ending in '/', that can't be told yet

    def __contains__(self, uri: object) -> bool:
        return uri in self.uris or (isinstance(uri, str) and uri.startswith(self.uncertain))


def plan_site(project: Project, facts: Facts) -> Plan:
    pages: list[Page] = []
    add = pages.append
    home = project.pages.get("index")
    add(Page(HOME, "home", "MK Together", [home.path] if home else [], nav_title="Home", prose=[home] if home else [],
             context={"prose": Markup(home.text if home else ""), "editions": list(project.editions.values())}))
    if project.contacts:
        add(Page(CONCERN, "report-a-concern", "Report a concern", [project.singles["contacts"].path]))
    for document in DOCUMENTS.values():
        pages += _document_pages(project, facts, document.kind, document.title)
    handbooks = [e for e in project.editions.values() if e.document == "handbook"]
    if facts.histories:
        add(Page(BOARDS_INDEX, "boards-index", "Boards across editions", [e.source.path for e in handbooks], nav_index=True,
                 nav=("Boards across editions",), context={"histories": facts.histories, "handbooks": handbooks}))
    for board_id, history in facts.histories.items():
        reports = [(e, i, r) for e in project.editions.values() for i, r in e.reports.items() if r.board == board_id]
        add(Page(board_history_uri(board_id), "board-history", facts.board_name(board_id) or board_id,
                 [h.edition.board_sources[board_id].path for h in history if h.board], nav=("Boards across editions",),
                 context={"board_id": board_id, "history": history, "reports": reports}))
    if project.organisations:
        add(Page(ORGANISATIONS_INDEX, "organisations-index", "Organisations",
                 [s.path for s in project.organisation_sources.values()], nav=("Organisations",), nav_index=True,
                 context={"organisations": [(i, o, facts.organisations[i]) for i, o in project.organisations.items()],
                          "unattributed": facts.unattributed(handbooks)}))
    for org_id, org in project.organisations.items():
        add(Page(organisation_uri(org_id), "organisation", org.name, [project.organisation_sources[org_id].path],
                 nav=("Organisations",), context={"org_id": org_id, "org": org, "facts": facts.organisations[org_id]}))
    pages += _archive_pages(project, facts)
    add(Page(SEARCH, "search", "Search", [], nav=None))  # Pagefind's interface: the header and footer link it
    if project.glossary:
        add(Page(GLOSSARY, "glossary-page", "Glossary", [project.singles["glossary"].path]))
    for name, prose in project.pages.items():
        if name == "accessibility":
            add(_statement_page(project, prose))
        elif name != "index":
            title, body = _split_title(prose.text, name)
            add(Page(f"{name}.md", "page", title, [prose.path], context={"prose": Markup(body)}, prose=[prose]))
    _add_dependencies(project, facts, pages)
    return Plan(pages)


def _statement_page(project: Project, prose: Prose) -> Page:
    """The accessibility statement: its prose, then what the regulations ask for, from
    data/accessibility.yml, the contacts and what the site publishes as printed (the archive, the PDFs)."""
    title, body = _split_title(prose.text, "accessibility")
    statement = project.singles.get("accessibility")
    contacts = project.contacts
    group = next((g for g in contacts.groups if statement and g.id == statement.model.contact), None) if contacts else None
    records = [(meeting_uri(s.model), f"Minutes: {meeting_title(s.model)}") for s in project.meetings]  # type: ignore[arg-type]
    records += [(archive_document_uri(s.model), archive_document_title(s.model)  # type: ignore[arg-type]
                 + (f", {long_date(s.model.date)}" if s.model.date else ", undated")) for s in project.archive.values()]  # type: ignore[attr-defined]
    editions = [(edition_uri(e), f"{DOCUMENTS[e.document].title}, {edition_label(e)}", e.document)
                for e in project.editions.values() if e.edition.status == "published"]
    sources = [prose.path] + [s.path for name, s in project.singles.items() if name in ("accessibility", "contacts")]
    return Page("accessibility.md", "page", title, sources, prose=[prose],
                context={"prose": Markup(body), "statement": statement.model if statement else None, "contact": group,
                         "records": records, "editions": editions})


def _files_of(edition: EditionData) -> list[str]:
    """Every file an edition is made of."""
    return [edition.source.path, *(s.path for s in edition.singles.values()),
            *(s.path for listed in edition.listed.values() for s in listed.sources.values()),
            *(p.path for p in [*edition.prose.values(), *edition.report_prose.values()])]


def _add_dependencies(project: Project, facts: Facts, pages: list[Page]) -> None:
    # the glossary's tooltips are on every page, and organisations are named by the names they print
    organisations = [s.path for s in project.organisation_sources.values()]
    everywhere = [s.path for name, s in project.singles.items() if name == "glossary"] + organisations
    editions_of = {d: [e.source.path for e in project.editions.values() if e.document == d] for d in DOCUMENTS}
    handbook_files = [s.path for e in project.editions.values() if e.document == "handbook"
                      for s in [e.source, *e.board_sources.values()]]
    # an organisation's page gathers its seats, contributions, attendance, reports and minutes
    everything = [s.path for s in project.sources()]
    reports = [p for e in project.editions.values() if e.reports for p in _files_of(e)]  # a board's highlight reports
    contacts = [s.path for name, s in project.singles.items() if name == "contacts"]
    across = {"home": [p for paths in editions_of.values() for p in paths] + contacts, "boards-index": handbook_files,
              "board-history": handbook_files + reports, "organisation": everything,
              "organisations-index": handbook_files, "meetings-index": handbook_files, "meeting": handbook_files,
              "statement": [s.path for s in [*project.meetings, *project.archive.values()]]
              + [p for paths in editions_of.values() for p in paths]}
    for page in pages:
        found = [*page.sources, *everywhere, *across.get("statement" if "statement" in page.context else page.kind, [])]
        edition = page.edition
        if edition is not None:
            found += editions_of[edition.document]  # its switcher
            if page.kind not in ("prose", "contacts", "glossary", "budget", "attendance", "report", "reports-list"):
                found += [s.path for s in edition.board_sources.values()]  # the boards it lists or draws
            if page.kind in ("edition", "what-changed"):  # what changed since publication in the shared files
                found += contacts + [s.path for name, s in edition.singles.items() if name == "record"]
            if page.kind == "edition":
                found += _governance_files(project, facts, edition) + editions_of["handbook"]
            if page.kind in ("edition", "what-changed") and edition.edition.follows in project.editions:
                # the two editions, compared whole: What changed, and what the contents mark updated
                found += _files_of(edition) + _files_of(project.editions[edition.edition.follows])  # type: ignore[index]
            in_force = edition.id in facts.reports and page.kind in ("report", "reports-list", "attendance")
            handbook = facts.reports[edition.id].handbook if in_force else None
            if handbook is not None:  # a report's pages name the boards of the Handbook in force in its year
                found += editions_of["handbook"] + [s.path for s in handbook.board_sources.values()]
            figures = facts.reports[edition.id].attendance if page.kind == "attendance" else None
            for check in figures.quorum if figures else []:  # each meeting's quorum, by the Handbook of its month
                found += [s.path for s in check.handbook.board_sources.values()] if check.handbook else []
        page.depends = sorted(set(found))


def _governance_files(project: Project, facts: Facts, edition: EditionData) -> list[str]:
    """What an edition's front page reads to say who owns and who approved it: its document's
    document.yml, the owner's file in the latest Handbook, the approving board's in the Handbook of
    the day, and the minutes."""
    found = [s.path for name, s in project.documents.items() if name == edition.document]
    owner, latest = facts.owners.get(edition.document), facts.timeline.latest("handbook")
    if owner and latest and owner.policy.owner in latest.board_sources:
        found.append(latest.board_sources[owner.policy.owner].path)
    approved = facts.approvals.get(edition.id)
    if approved and approved.handbook:
        board = approved.handbook.board_sources.get(edition.edition.approval.board)  # type: ignore[union-attr]
        found += [s.path for s in project.meetings] + ([board.path] if board else [])
    return found


def _document_pages(project: Project, facts: Facts, document: str, document_title: str) -> list[Page]:
    """Every edition of one document, newest first, and its latest at the document's own address."""
    pages = []
    latest = facts.timeline.latest(document)
    if latest is not None:  # the latest edition at /<document>/, a real page, canonical at its own address
        pages.append(Page(document_uri(document), "edition", latest.edition.title, [latest.source.path], edition=latest,
                          alias_of=edition_uri(latest), nav=(document_title,), nav_index=True,
                          context={"shared_changes": facts.shared_changes.get(latest.id, []), **_updated(project, facts, latest),
                                   **_governance(facts, latest)}))
    editions = [e for e in reversed(project.editions.values()) if e.document == document]
    for n, edition in enumerate(editions):
        # the newest editions in full; older ones from the page of every edition, so that what
        # each page carries of the navigation stays the same however many editions there are
        pages += _edition_pages(project, facts, edition, (document_title, edition_label(edition)) if n < FULL_NAV_EDITIONS else None)
    if editions:
        timeline = facts.timeline
        pages.append(Page(editions_uri(document), "editions", f"Every edition of the {document_title}",
                          [e.source.path for e in editions], nav=(document_title,), nav_title="All editions",
                          context={"editions": [{"edition": e, "status": timeline.status(e), "successor": timeline.superseded_by(e),
                                                 "in_force_on": timeline.in_force_on(e) if e.edition.published else None,
                                                 "changes": changes_uri(e) if e.edition.follows in project.editions else None}
                                                for e in editions],
                                   "latest": latest, "revisions": DOCUMENTS[document].revisions}))
    return pages


def _updated(project: Project, facts: Facts, edition: EditionData) -> dict[str, Any]:
    """What an edition's contents mark "updated in this edition": the boards and sections that
    changed since the edition it follows (its What changed page); none in a first edition."""
    diff = facts.changes.get(edition.id)
    return {"earlier": project.editions[diff.old], "updated_boards": diff.changed_boards(),
            "updated_sections": diff.changed_sections()} if diff else \
        {"earlier": None, "updated_boards": set(), "updated_sections": set()}


def _governance(facts: Facts, edition: EditionData) -> dict[str, Any]:
    """What an edition's front page says of who approved it, who owns it and when it is next reviewed
    (the review only while it is not superseded)."""
    review = edition.edition.review_by if facts.timeline.superseded_by(edition) is None else None
    pending = facts.timeline.status(edition) == "pending"
    return {"approved": facts.approvals.get(edition.id), "ownership": facts.owners.get(edition.document),
            "review_by": review, "comes_into_force": edition.edition.in_force_from if pending else None}


def _edition_pages(project: Project, facts: Facts, edition: EditionData, nav: tuple[str, ...] | None) -> list[Page]:
    shared = facts.shared_changes.get(edition.id, [])  # its front page and What changed say what changed since
    pages = [Page(edition_uri(edition), "edition", edition.edition.title, [edition.source.path], edition=edition, nav=nav,
                  context={"shared_changes": shared, **_updated(project, facts, edition), **_governance(facts, edition)})]
    earlier = project.editions.get(edition.edition.follows or "")
    if earlier is not None:
        pages.append(Page(changes_uri(edition), "what-changed", "What changed", [earlier.source.path, edition.source.path],
                          edition=edition, nav=nav, context={"earlier": earlier, "diff": facts.changes[edition.id],
                                                             "shared_changes": shared}))
    for section in edition.edition.sections:
        prose = edition.prose.get(section.id)
        before, after = split_at_marker(prose.text) if prose else ("", "")
        sources = [edition.source.path] + ([prose.path] if prose else [])
        context: dict[str, Any] = {"section": section, "prose": Markup(before), "prose_after": Markup(after)}
        if section.kind in ("strategic-boards", "affiliated-boards"):
            sources += [edition.board_sources[b].path for b in edition.boards]
        elif section.kind in ("attendance", "budget") and section.kind in edition.singles:
            sources.append(edition.singles[section.kind].path)
            report = facts.reports[edition.id]
            context |= {section.kind: edition.singles[section.kind].model,
                        "figures": report.attendance if section.kind == "attendance" else report.budget}
        elif section.kind in ("board-reports", "agency-reports"):
            sources += [s.path for s in edition.listed["reports"].sources.values()]
            context |= {"reports": [(i, r) for i, r in edition.reports.items() if r.kind == section.kind.split("-")[0]],
                        "handbook": facts.reports[edition.id].handbook}
        elif section.kind in ("contacts", "glossary") and section.kind in project.singles:
            sources.append(project.singles[section.kind].path)
        pages.append(Page(section_uri(edition, section.id), SECTION_KINDS.get(section.kind, section.kind), section.title,
                          sources, edition=edition, nav=nav, context=context, prose=[prose] if prose else []))
    if edition.document == "handbook":
        pages.append(Page(chart_uri(edition), "structure-chart", "Structure chart",
                          [edition.source.path] + [s.path for s in edition.board_sources.values()], edition=edition, nav=nav))
    in_boards = nav + ("Boards",) if nav else None
    for board_id, board in edition.boards.items():
        pages.append(Page(board_uri(edition, board_id), "board", board.name, [edition.board_sources[board_id].path],
                          edition=edition, nav=in_boards, context={"board": board}))
    in_reports = nav + ("Highlight reports",) if nav else None
    for report_id, report in edition.reports.items():
        prose = edition.report_prose.get(report_id)
        pages.append(Page(report_uri(edition, report_id), "report", report.title,
                          [edition.listed["reports"].sources[report_id].path] + ([prose.path] if prose else []),
                          edition=edition, nav=in_reports, prose=[prose] if prose else [],
                          context={"report": report, "prose": Markup(prose.text if prose else ""),
                                   "handbook": facts.reports[edition.id].handbook}))
    return pages


def _archive_pages(project: Project, facts: Facts) -> list[Page]:
    """Minutes of meetings and documents of earlier partnerships: historical records."""
    pages = []
    boards = {}  # the board each body that met is now: its name and page
    for source in project.meetings:
        board_id = source.model.body.board  # type: ignore[attr-defined]
        name = facts.board_name(board_id) if board_id else None
        if name:
            boards[board_id] = (name, board_history_uri(board_id))
    meetings = [(meeting_uri(s.model), s.model) for s in project.meetings]  # type: ignore[arg-type]
    documents = [(archive_document_uri(s.model), s.model) for s in project.archive.values()]  # type: ignore[arg-type]
    if meetings or documents:
        pages.append(Page(ARCHIVE_INDEX, "archive-index", "Archive", [s.path for s in [*project.meetings, *project.archive.values()]],
                          nav=("Archive",), nav_index=True,
                          context={"documents": documents, "meetings": meetings, "meetings_index": MEETINGS_INDEX if meetings else None}))
    for ident, source in project.archive.items():
        prose = project.archive_prose.get(ident)
        document: ArchiveDocument = source.model  # type: ignore[assignment]
        pages.append(Page(archive_document_uri(document), "archive-document", archive_document_title(document),
                          [source.path] + ([prose.path] if prose else []), nav=("Archive",), prose=[prose] if prose else [],
                          context={"document": document, "prose": Markup(prose.text if prose else "")}))
    if meetings:
        pages.append(Page(MEETINGS_INDEX, "meetings-index", "Meetings", [s.path for s in project.meetings],
                          nav=("Archive", "Meetings"), nav_index=True, context={"meetings": meetings, "boards": boards}))
    for source, (uri, meeting) in zip(project.meetings, meetings):
        board = boards.get(meeting.body.board or "")
        pages.append(Page(uri, "meeting", meeting_title(meeting), [source.path], nav=("Archive", "Meetings"),
                          context={"meeting": meeting, "board_name": board[0] if board else None,
                                   "board_page": board[1] if board else None}))
    return pages
