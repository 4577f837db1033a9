"""The whole pipeline in one call: load, validate, resolve, render, navigation."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Report
from . import archive
from .project import Project, load_project
from .relations import board_ids
from .render import CONCERN_URI, DOCUMENT_TITLES, GLOSSARY_URI, Page, SiteRenderer, edition_label
from .resolve import check_project


@dataclass
class Site:
    project: Project
    pages: list[Page]
    nav: list[Any]


def generate(root: Path, drafts: bool = False) -> tuple[Site | None, Report]:
    """Everything up to the Markdown MkDocs needs; None when any error was found.

    Draft editions are always checked, but built only when `drafts` is asked for."""
    project, report = load_project(root)
    check_project(project, report)
    if report.errors:
        return None, report
    if not drafts:
        project.editions = {k: e for k, e in project.editions.items() if e.edition.status != "draft"}
    renderer = SiteRenderer(project, report)
    pages = renderer.render()
    if report.errors:
        return None, report
    return Site(project, pages, navigation(project, pages, renderer.site_pages())), report


# Material renders the whole navigation into every page, so a navigation listing every page of
# every edition would make each page cost more as editions accumulate. The newest editions are
# listed in full; older ones by their front page, whose contents lead to every page of them.
FULL_NAV_EDITIONS = 3


def navigation(project: Project, pages: list[Page], site_pages: dict[str, str]) -> list[Any]:
    """Navigation by document, newest edition first, then the site's own pages (uri -> title)."""
    titles = {p.src_uri: p.title for p in pages}
    nav: list[Any] = [{"Home": "index.md"}]
    site_pages = dict(site_pages)
    if CONCERN_URI in site_pages:
        nav.append({site_pages.pop(CONCERN_URI): CONCERN_URI})
    for document, document_title in DOCUMENT_TITLES.items():
        editions = [e for e in reversed(project.editions.values()) if e.document == document]
        if not editions:
            continue
        entries = []
        for n, edition in enumerate(editions):
            if n >= FULL_NAV_EDITIONS:  # older editions by their front page, so the nav stays small
                entries.append({edition_label(edition): SiteRenderer.edition_uri(edition)})
                continue
            items: list[Any] = [{edition.edition.title: SiteRenderer.edition_uri(edition)}]
            if edition.edition.follows in project.editions:
                items.append({"What changed": SiteRenderer.changes_uri(edition)})
            for section in edition.edition.sections:
                uri = SiteRenderer.section_uri(edition, section.id)
                items.append({titles[uri]: uri})
            if document == "handbook":
                items.append({"Structure chart": SiteRenderer.chart_uri(edition)})
            boards = [{b.name: SiteRenderer.board_uri(edition, i)} for i, b in edition.boards.items()]
            if boards:
                items.append({"Boards": boards})
            reports = [{r.title: SiteRenderer.report_uri(edition, i)} for i, r in edition.reports.items()]
            if reports:
                items.append({"Highlight reports": reports})
            entries.append({edition_label(edition): items})
        nav.append({document_title: [f"{document}/index.md", *entries]})
    glossary = site_pages.pop(GLOSSARY_URI, None)
    for uri, title in site_pages.items():
        if uri == "boards/index.md":
            nav.append({title: [uri] + [{titles[SiteRenderer.board_history_uri(b)]: SiteRenderer.board_history_uri(b)}
                                        for b in board_ids(project)]})
        elif uri == archive.ARCHIVE_INDEX_URI:
            entries = [{titles[archive.document_uri(s.model)]: archive.document_uri(s.model)} for s in project.archive.values()]
            if archive.MEETINGS_INDEX_URI in site_pages:
                meetings = [{titles[archive.meeting_uri(s.model)]: archive.meeting_uri(s.model)} for s in project.meetings]
                entries.append({site_pages[archive.MEETINGS_INDEX_URI]: [archive.MEETINGS_INDEX_URI, *meetings]})
            nav.append({title: [uri, *entries]})
        elif uri == archive.MEETINGS_INDEX_URI:
            continue  # inside the Archive entry
        elif uri == "organisations/index.md":
            nav.append({title: [uri] + [{o.name: SiteRenderer.organisation_uri(i)} for i, o in project.organisations.items()]})
        else:
            nav.append({title: uri})
    if glossary:
        nav.append({glossary: GLOSSARY_URI})
    for name in project.pages:
        if name != "index":
            nav.append({titles[f"{name}.md"]: f"{name}.md"})
    return nav
