"""Render the page plan into Markdown pages: one template per kind of page.

Each page's template gets the context its plan entry gives, plus the common helpers below: links
between pages, the addresses of pages, names. Every page is headed by front matter: its
`sources`, which the theme links to the repository, and on pages of an edition `mkt`, from which
the theme draws the switcher, the banners and the published dates.
"""
from __future__ import annotations

import json
import traceback
from pathlib import Path
from typing import Any

import jinja2

from .charts import budget_charts
from .derive import Facts
from .diagnostics import Diagnostic, Location, Report
from .feed import followed
from .head import description, head
from .documents import DOCUMENTS
from .load import EditionData, Project
from .models import Board
from .memo import Memo, digest
from .plan import (
    ADDRESSES,
    HOME,
    Page,
    Plan,
    edition_label,
    edition_uri,
    editions_uri,
    relative,
    served_url,
)
from .structure_chart import structure_chart
from .templating import make_environment
from .text import inline, is_abbreviation, long_date


def same_page_in(page_uri: str, source: EditionData, target: EditionData, plan: Plan) -> str | None:
    """The page of `target` that stands where `page_uri` stands in `source`, if there is one."""
    if not page_uri.startswith(source.id + "/"):
        return None
    candidate = target.id + page_uri[len(source.id):]
    return candidate if candidate in plan.by_uri else None


def edition_bar(page: Page, plan: Plan, facts: Facts, notes: list[Diagnostic] | None = None) -> dict[str, Any]:
    """What the theme shows on every page of an edition: switcher, banners, dates and history; on a
    draft's pages, what is still to do there (`notes`: the draft's warnings; all of them on its front
    page and What changed)."""
    edition = page.edition
    assert edition is not None
    timeline = facts.timeline
    newest = timeline.latest(edition.document)
    successor = timeline.superseded_by(edition)
    published = timeline.published[edition.document]
    others = published if edition in published else [*published, edition]  # a draft, previewed among the published
    # this edition, its neighbours and the one in force: a constant number, however many there are
    at = others.index(edition)
    shown = [e for n, e in enumerate(others) if abs(n - at) <= 1 or e is newest]
    in_force = "in force" if DOCUMENTS[edition.document].revisions else "latest"
    switcher = []
    for other in reversed(shown):
        target = same_page_in(page.uri, edition, other, plan) or edition_uri(other)
        status = timeline.status(other)
        note = in_force if other is newest else None if status == "published" else \
            f"comes into force on {long_date(timeline.in_force_on(other))}" if status == "pending" else status
        switcher.append({"label": edition_label(other), "url": served_url(target, page.uri), "current": other is edition,
                         "note": note})
    bar: dict[str, Any] = {
        "document": DOCUMENTS[edition.document].title,
        "label": edition_label(edition),
        "status": timeline.status(edition),
        "published": long_date(edition.edition.published) if edition.edition.published else None,
        "front": served_url(edition_uri(edition), page.uri),
        "editions": switcher,
        "all": {"url": served_url(editions_uri(edition.document), page.uri), "count": len(others)},
    }
    if published and edition.edition.status != "draft":  # a draft has no date yet, nor takes another's
        # the day the document was last published, a revision not yet in force included
        bar["last_updated"] = long_date(published[-1].edition.published)
    whole = page.kind in ("edition", "what-changed")
    own = set(page.sources) - {edition.source.path}  # edition.yml titles every page: its notes are the front page's
    todo = [d for d in notes or [] if whole or d.location.path in own]
    if todo:
        bar["todo"] = [{"where": str(d.location), "what": d.message.removeprefix("not yet written: ")} for d in todo]
        bar["todo_count"] = len(notes or [])
    if successor is not None and newest is not None:
        same = same_page_in(page.uri, edition, newest, plan)
        bar["superseded_on"] = long_date(timeline.in_force_on(successor))
        bar["latest"] = {"label": edition_label(newest), "url": served_url(same or edition_uri(newest), page.uri),
                         "same_page": same is not None}
        # what a printout says of it: the edition that superseded it, by its public address (from the site's root)
        instead = same_page_in(page.uri, edition, successor, plan) or edition_uri(successor)
        bar["superseded_by"] = {"name": f"{DOCUMENTS[successor.document].title}, {edition_label(successor)}",
                                "address": served_url(instead, HOME).removeprefix("./")}
    if timeline.status(edition) == "pending" and newest is not None:  # published, not yet in force
        same = same_page_in(page.uri, edition, newest, plan)
        bar["comes_into_force"] = long_date(timeline.in_force_on(edition))
        bar["in_force"] = {"label": edition_label(newest), "url": served_url(same or edition_uri(newest), page.uri),
                           "same_page": same is not None}
    corrections = [c for c in edition.edition.corrections if set(c.files) & set(page.sources)]
    if corrections:  # shown on the page it corrects, as legislation.gov.uk shows amendments
        bar["corrections"] = [{"date": long_date(c.date), "said": c.said()} for c in corrections]
    if page.alias_of:
        bar["canonical"] = page.alias_of[: -len("index.md")]
        bar["alias"] = True
    return bar


_rendered: Memo[str | None] = Memo("pages rendered")


def abbreviations(project: Project) -> dict[str, str]:
    """Glossary abbreviations, explained as tooltips wherever they appear in a page's text: the abbr
    extension's glossary (the plugin and the export give it), not definitions on every page, which
    Python-Markdown would parse on each of them one block at a time."""
    terms = project.glossary.terms if project.glossary else []
    return {t.term: inline(t.meaning) for t in terms if is_abbreviation(t.term)}


class Renderer:
    def __init__(self, project: Project, facts: Facts, plan: Plan, report: Report,
                 notes: dict[str, list[Diagnostic]] | None = None):
        self.project, self.facts, self.plan, self.report = project, facts, plan, report
        self.notes = notes or {}  # each draft edition's warnings, by edition id
        self.env = make_environment(project.root / "templates", cache=True)
        self.env.filters["org_name"] = self.org_name
        self.env.globals.update(
            ADDRESSES, contacts=project.contacts, glossary=project.glossary, edition_label=edition_label,
            boards_of_kind=boards_of_kind, budget_charts=lambda budget, figures: budget_charts(self.env, budget, figures),
            structure_chart=lambda edition, uri, title, description: structure_chart(self.env, edition, uri, title, description),
        )
        self.template_errors: set[tuple[Location, str]] = set()

    def render(self) -> dict[str, str]:
        """Every page of the plan as Markdown, by src_uri; errors go to the report."""
        digests = self.project.digests
        folder = self.project.root / "templates"
        templates = digest(*(part for f in sorted(folder.rglob("*")) if f.is_file()
                             for part in (f.relative_to(folder).as_posix(), f.read_bytes())))
        rendered = {}
        for page in self.plan.pages:
            # a page is what its template makes of what it depends on: the same, the same page
            notes = tuple(self.notes.get(page.edition.id, [])) if page.edition else ()  # read from other editions too
            key = (page.uri, page.kind, page.title, page.alias_of, templates, notes, self.facts.timeline.as_of,
                   tuple((p, digests.get(p)) for p in page.depends))
            markdown = _rendered.get(key, lambda page=page: self.render_page(page))  # type: ignore[misc]
            if markdown is None:
                _rendered.forget(key)  # its error is reported once, now; never a page that quietly goes missing
            else:
                rendered[page.uri] = markdown
        return rendered

    def render_page(self, page: Page) -> str | None:
        context = {
            **page.context, "page_uri": page.uri, "title": page.title, "sources": page.sources,
            "link": lambda target: relative(target, page.uri),
        }
        if page.edition is not None:
            context |= {"edition": page.edition, "label": edition_label(page.edition)}
        try:
            markdown = self.env.get_template(f"pages/{page.kind}.md.j2").render(context)
        except jinja2.TemplateNotFound as exc:
            self.report.error(Location(page.sources[0] if page.sources else "templates/pages"), f"no template '{exc.name}' in templates/")
            return None
        except jinja2.TemplateError as exc:  # a mistake in a template: say where, never a traceback
            where = self._template_location(exc, page.kind)
            if (where, exc.message or "") not in self.template_errors:  # once, not once per page
                self.template_errors.add((where, exc.message or ""))
                self.report.error(where, f"template error: {exc.message} (first seen rendering {page.uri})")
            return None
        meta: dict[str, Any] = {"sources": page.sources}  # the files an editor changes: the theme links each to the repository
        meta["head"] = head(page, self.plan, self.facts, markdown) | {"feeds": followed(page, self.plan)}
        meta["description"] = description(page, self.plan, markdown)  # the theme's name for it
        if page.kind == "search":
            meta["search_page"] = True  # the theme loads Pagefind's interface here, and nowhere else
        if page.edition is not None:
            meta["mkt"] = edition_bar(page, self.plan, self.facts, self.notes.get(page.edition.id))
        return "---\n" + json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n---\n" + markdown

    def _template_location(self, exc: jinja2.TemplateError, kind: str) -> Location:
        if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
            return Location(self._rel(exc.filename), exc.lineno or 1)
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        if frames:
            return Location(self._rel(frames[-1].filename), frames[-1].lineno or 1)
        return Location(f"templates/pages/{kind}.md.j2")

    def _rel(self, filename: str) -> str:
        try:
            return Path(filename).resolve().relative_to(self.project.root.resolve()).as_posix()
        except ValueError:
            return filename

    def org_name(self, org_id: str, edition: EditionData | None = None) -> str:
        """The organisation's name as the edition printed it."""
        org = self.project.organisations[org_id]
        if edition and edition.id in org.edition_names:
            return org.edition_names[edition.id]
        return org.name


def boards_of_kind(edition: EditionData, *kinds: str) -> list[tuple[str, Board]]:
    return [(i, b) for i, b in edition.boards.items() if b.kind in kinds]
