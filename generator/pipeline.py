"""The whole pipeline in one call: load, derive, check, plan, render.

    data/**.yml, content/**.md -> load -> derive -> checks -> plan -> render -> Markdown pages + navigation

Every stage reports into one Report; nothing is rendered while any file has an error.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import check_project
from .derive import Facts, derive
from .elsewhere import Later
from . import memo
from .diagnostics import Diagnostic, Location, Report
from .downloads import ADDRESSES as DOWNLOADS, downloads
from .feed import FEED_URI, feeds
from .load import Project, Prose, load_project
from .memo import Memo, digest
from .plan import Plan, plan_site
from .prose import check_anchors, check_prose, prose_markdown, read_config
from .render import Renderer, abbreviations


@dataclass
class Site:
    project: Project
    facts: Facts
    plan: Plan
    pages: dict[str, str]  # Markdown by src_uri, in plan order
    nav: list[Any]
    # the site's other generated files by uri (the data downloads and the feeds): text, not pages
    files: dict[str, str] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)  # the glossary's, for the abbr extension


_prose_checked: Memo[list[Diagnostic]] = Memo("prose checked")


def check(root: Path) -> tuple[Project, Facts, Report]:
    """Load every file, drafts included, derive the facts and cross-check them, and check every
    file of prose against the pages of the plan: every problem of every file, at once."""
    project, facts, report, plan = _check_data(root)
    report.items.extend(_check_prose(root, project, plan))
    return project, facts, report


def _check_data(root: Path, today: dt.date | None = None,
                as_of: dt.date | None = None) -> tuple[Project, Facts, Report, Plan]:
    memo.new_generation()
    project, report = load_project(root)
    facts = derive(project, as_of)
    check_project(project, facts, report, today)
    return project, facts, report, plan_site(project, facts)


def _check_prose(root: Path, project: Project, plan: Plan) -> list[Diagnostic]:
    linkable = plan.linkable(project)
    # prose is checked as MkDocs will render it (mkdocs.yml), against the pages there are and the
    # files beside it: with all of these the same, the same prose gives the same diagnostics
    config = root / "mkdocs.yml"
    setting = digest(config.read_bytes() if config.is_file() else b"", *sorted(linkable.uris), *linkable.uncertain,
                     *(p for p in project.digests if p.startswith("content/")))
    markdown = functools.cache(lambda: prose_markdown(root))
    found: list[Diagnostic] = []

    def check_one(prose: Prose, page_uri: str) -> None:
        def run() -> list[Diagnostic]:
            own = Report()
            check_prose(prose.text, prose.path, page_uri, linkable, own, markdown=markdown())  # type: ignore[arg-type]
            return own.items
        found.extend(_prose_checked.get((setting, prose.path, page_uri, prose.text), run))

    for page in plan.pages:
        for prose in page.prose:
            check_one(prose, page.uri)
    for prose in project.unplaced_prose:  # an edition whose edition.yml is broken: its links can't be told
        check_one(prose, prose.path.removeprefix("content/"))
    return found


def published(project: Project) -> Project:
    """The project as the public site has it: its published editions, no draft."""
    return dataclasses.replace(project, editions={k: e for k, e in project.editions.items() if e.edition.status != "draft"})


def draft_of(project: Project, path: str) -> str | None:
    """The draft edition a file belongs to, if it belongs to one."""
    parts = path.split("/")
    edition = project.editions.get("/".join(parts[1:3])) if len(parts) > 3 and parts[0] in ("data", "content") else None
    return edition.id if edition and edition.edition.status == "draft" else None


def drafts_notes(project: Project, report: Report) -> dict[str, list[Diagnostic]]:
    """The warnings of each draft edition's own files, in order: what its pages list as still to do."""
    notes: dict[str, list[Diagnostic]] = {}
    for diagnostic in report.sorted():
        draft = draft_of(project, diagnostic.location.path) if diagnostic.severity == "warning" else None
        if draft:
            notes.setdefault(draft, []).append(diagnostic)
    return notes


def generate(root: Path, drafts: bool = False, site_url: str | None = None, jobs: int = 1,
             today: dt.date | None = None, as_of: dt.date | None = None) -> tuple[Site | None, Report]:
    """Everything up to the Markdown MkDocs needs; None when any error was found.

    Draft editions are always checked, but built only when `drafts` is asked for. `site_url` is the
    address the site is published at (the plugin gives MkDocs's); by default mkdocs.yml's. With
    `jobs` over one, a forked process checks the prose while this one renders the pages. Given
    `today` (`mktogether check`), it also warns of reviews due (checks.check_reviews). `as_of` is
    the day the site is built for (by default `today`, else the clock's): which edition is in force
    (derive.Timeline)."""
    as_of = as_of or today
    project, facts, report, plan = _check_data(root, today, as_of)
    # against every edition, drafts included: the project below may be a new one without them
    prose = Later(functools.partial(_check_prose, root, project, plan), fork=jobs > 1)
    site_url = site_url or (read_config(root / "mkdocs.yml") or {}).get("site_url")
    if not site_url:
        report.error(Location("mkdocs.yml"), "no site_url: set site_url (or MKTOGETHER_SITE_URL) to the address the "
                                             "site is published at; the feed and the data downloads give it")
    if report.errors:
        report.items.extend(prose.result())
        return None, report
    notes = drafts_notes(project, report)
    if not drafts and notes:  # what a draft has still to write is for its own pages, not the public build's
        drafts_own = {d for found in notes.values() for d in found}
        report.items = [d for d in report.items if d not in drafts_own]
    if not drafts and any(e.edition.status == "draft" for e in project.editions.values()):
        project = published(project)
        facts = derive(project, as_of)
    built = plan_site(project, facts)
    rendering = Report()  # its errors count only where the prose has none, as if it came after
    renderer = Renderer(project, facts, built, rendering, notes)
    renderer.env.globals.update(DOWNLOADS, feed_uri=FEED_URI)
    pages = renderer.render()
    checked_prose = prose.result()
    report.items.extend(checked_prose if any(d.severity == "error" for d in checked_prose) else [*checked_prose, *rendering.items])
    if report.errors:
        return None, report
    # a link to a place on a page: against the pages as rendered (every heading and id each has)
    placed = [(text, page.uri) for page in built.pages for text in page.prose]
    report.items.extend(check_anchors(placed, pages, functools.cache(lambda: prose_markdown(root))))
    if report.errors:
        return None, report
    site_url = str(site_url).rstrip("/") + "/"
    files = downloads(project, built, site_url) | feeds(project, facts, built, site_url)
    return Site(project, facts, built, pages, built.navigation(), files, abbreviations(project)), report

