"""Render the project into Markdown pages with Jinja: one template per kind of page."""
from __future__ import annotations

import json
import posixpath
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import archive
from .charts import Series, hbar_chart
from .content import check_prose, split_at_marker
from .dates import MONTHS, long_date
from .diagnostics import Location, Report
from .diff import diff_editions, excerpts
from .figures import AttendanceFigures, BudgetFigures, attendance_figures, budget_figures, handbook_for_report, money, percent
from .models import Board
from .project import EditionData, Project
from .relations import (
    attendance_of, board_history, board_ids, contributions_of, handbooks, people_in_minutes, reports_of, seats_of,
)
from .structure import structure_chart
from .versions import Timeline

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve"]
DOCUMENT_TITLES = {"handbook": "Partnership Handbook", "annual-report": "Safeguarding Annual Report"}
CONCERN_URI = "report-a-concern.md"
GLOSSARY_URI = "glossary.md"
SECTION_TEMPLATES = {"board-reports": "reports-list.md.j2", "agency-reports": "reports-list.md.j2"}



@dataclass
class Page:
    src_uri: str  # where MkDocs thinks the page lives, e.g. "handbook/2021-11/boards/risk.md"
    title: str
    markdown: str
    sources: list[str] = field(default_factory=list)


def edition_label(edition: EditionData) -> str:
    """'November 2021' for handbook/2021-11; '2021-22' style ids are annual reports' years."""
    year, month = edition.id.split("/")[1].split("-")
    if edition.document == "handbook":
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{year}-{month}"


def relative(target: str, current: str) -> str:
    """A Markdown link from the page `current` to the page `target` (both src_uris)."""
    return posixpath.relpath(target, posixpath.dirname(current) or ".")


def is_abbreviation(term: str) -> bool:
    """AAFDA, CSPRs, eCDOP, MK ACT, DSM-5: every word has two capitals or is a number. Not 'Ofsted'."""
    return all(sum(c.isupper() for c in word) >= 2 or word.isdigit() for word in term.split())


def _inline(text: str) -> str:
    """Data text on one line, so it cannot break the Markdown block it is placed in."""
    return re.sub(r"\s+", " ", text).strip()


def _join_and(items: list[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def make_environment(templates: Path, cache: bool = False) -> jinja2.Environment:
    """Jinja for our templates. With `cache`, compiled templates are kept between builds in
    Jinja's private per-user temporary folder, checked against each template's checksum:
    compiling them is most of the generator's fixed cost, and serve rebuilds often."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=jinja2.FileSystemBytecodeCache() if cache else None,
        autoescape=True,  # every template's output ends up as HTML or SVG
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline"] = lambda text: _inline(str(text))
    env.filters["words"] = lambda n: NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)
    env.filters["month"] = lambda n: MONTHS[n - 1]
    env.filters["join_and"] = _join_and
    env.filters["long_date"] = long_date
    env.filters["money"] = money
    env.filters["excerpts"] = excerpts
    env.filters["percent"] = percent
    env.filters["tel"] = lambda number: "+44" + re.sub(r"\D", "", str(number).split("/")[0])[1:]
    env.filters["slug"] = lambda text: re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return env


class SiteRenderer:
    """Knows the site's page layout and renders each page from its template."""

    def __init__(self, project: Project, report: Report):
        self.project = project
        self.report = report
        self.env = make_environment(project.root / "templates", cache=True)
        self.env.filters["org_name"] = self.org_name
        self.pages: list[Page] = []
        self.template_errors: set[tuple[Location, str | None]] = set()
        self.timeline = Timeline(project)
        self._attendance: dict[str, AttendanceFigures] = {}

    # where pages live -------------------------------------------------------------
    @staticmethod
    def edition_uri(edition: EditionData) -> str:
        return f"{edition.id}/index.md"

    @staticmethod
    def section_uri(edition: EditionData, section_id: str) -> str:
        return f"{edition.id}/{section_id}.md"

    @staticmethod
    def board_uri(edition: EditionData, board_id: str) -> str:
        return f"{edition.id}/boards/{board_id}.md"

    @staticmethod
    def report_uri(edition: EditionData, report_id: str) -> str:
        return f"{edition.id}/reports/{report_id}.md"

    @staticmethod
    def changes_uri(edition: EditionData) -> str:
        return f"{edition.id}/what-changed.md"

    def _follows(self, edition: EditionData) -> EditionData | None:
        follows = edition.edition.follows
        return self.project.editions.get(follows) if follows else None

    @staticmethod
    def chart_uri(edition: EditionData) -> str:
        return f"{edition.id}/structure-chart.md"

    @staticmethod
    def board_history_uri(board_id: str) -> str:
        return f"boards/{board_id}.md"

    @staticmethod
    def organisation_uri(org_id: str) -> str:
        return f"organisations/{org_id}.md"

    def site_pages(self) -> dict[str, str]:
        """Pages of the site itself, computed from top-level data: uri -> title."""
        pages = {}
        if self.project.contacts:
            pages[CONCERN_URI] = "Report a concern"
        if board_ids(self.project):
            pages["boards/index.md"] = "Boards across editions"
        if self.project.organisations:
            pages["organisations/index.md"] = "Organisations"
        if self.project.meetings or self.project.archive:
            pages[archive.ARCHIVE_INDEX_URI] = "Archive"
        if self.project.meetings:
            pages[archive.MEETINGS_INDEX_URI] = "Meetings"
        if self.project.glossary:
            pages[GLOSSARY_URI] = "Glossary"
        return pages

    def planned_uris(self) -> set[str]:
        uris = {"index.md"} | {f"{name}.md" for name in self.project.pages}
        for edition in self.project.editions.values():
            uris.add(self.edition_uri(edition))
            uris |= {self.section_uri(edition, s.id) for s in edition.edition.sections}
            uris |= {self.board_uri(edition, b) for b in edition.boards}
            uris |= {self.report_uri(edition, r) for r in edition.reports}
            if edition.document == "handbook":
                uris.add(self.chart_uri(edition))
            if self._follows(edition):
                uris.add(self.changes_uri(edition))
        uris |= {f"{document}/index.md" for document in DOCUMENT_TITLES if self.timeline.latest(document)}
        uris |= {self.board_history_uri(b) for b in board_ids(self.project)}
        uris |= {self.organisation_uri(o) for o in self.project.organisations}
        uris |= {archive.meeting_uri(m.model) for m in self.project.meetings}  # type: ignore[arg-type]
        uris |= {archive.document_uri(d.model) for d in self.project.archive.values()}  # type: ignore[arg-type]
        return uris | set(self.site_pages())

    # rendering ----------------------------------------------------------------------
    def render(self) -> list[Page]:
        uris = self.planned_uris()
        self.uris = uris
        self._check_prose(uris)
        editions = list(self.project.editions.values())
        home = self.project.pages.get("index")
        self._page("index.md", "MK Together", "home.md.j2", [home.path] if home else [],
                   prose=Markup(home.text) if home else "", editions=editions)
        for name, prose in self.project.pages.items():
            if name != "index":
                title, body = _split_title(prose.text, name)
                self._page(f"{name}.md", title, "page.md.j2", [prose.path], prose=Markup(body))
        if self.project.contacts:
            self._page(CONCERN_URI, "Report a concern", "report-a-concern.md.j2", [self.project.singles["contacts"].path])
        if self.project.glossary:
            self._page(GLOSSARY_URI, "Glossary", "glossary-page.md.j2", [self.project.singles["glossary"].path])
        self._relation_pages()
        self._archive_pages()
        for document in DOCUMENT_TITLES:
            newest = self.timeline.latest(document)
            if newest is not None:  # the latest edition at /<document>/, a real page, canonical at its own address
                self._page(f"{document}/index.md", newest.edition.title, "edition.md.j2", [newest.source.path],
                           edition=newest, label=edition_label(newest), alias_of=self.edition_uri(newest))
        for edition in editions:
            self._edition_pages(edition)
        abbreviations = self._abbreviations()
        for page in self.pages:
            page.markdown += abbreviations
        return self.pages

    def _abbreviations(self) -> str:
        """Glossary abbreviations, explained as tooltips wherever they appear in a page's text."""
        if not self.project.glossary:
            return ""
        lines = [f"*[{t.term}]: {_inline(t.meaning)}" for t in self.project.glossary.terms if is_abbreviation(t.term)]
        return "\n\n" + "\n".join(lines) + "\n"

    def _check_prose(self, uris: set[str]) -> None:
        for name, prose in self.project.pages.items():
            check_prose(prose.text, prose.path, f"{name}.md", uris, self.report)
        for edition in self.project.editions.values():
            for section_id, prose in edition.prose.items():
                check_prose(prose.text, prose.path, self.section_uri(edition, section_id), uris, self.report)
            for report_id, prose in edition.report_prose.items():
                check_prose(prose.text, prose.path, self.report_uri(edition, report_id), uris, self.report)
        for ident, prose in self.project.archive_prose.items():
            uri = archive.document_uri(self.project.archive[ident].model)  # type: ignore[arg-type]
            check_prose(prose.text, prose.path, uri, uris, self.report)

    def _edition_pages(self, edition: EditionData) -> None:
        common = {"edition": edition, "label": edition_label(edition)}
        self._page(self.edition_uri(edition), edition.edition.title, "edition.md.j2", [edition.source.path], **common)
        earlier = self._follows(edition)
        if earlier is not None:
            self._page(self.changes_uri(edition), "What changed", "what-changed.md.j2",
                       [earlier.source.path, edition.source.path], earlier=earlier,
                       diff=diff_editions(self.project, earlier.id, edition.id), **common)
        for section in edition.edition.sections:
            prose = edition.prose.get(section.id)
            before, after = split_at_marker(prose.text) if prose else ("", "")
            sources = [edition.source.path] + ([prose.path] if prose else [])
            if section.kind in ("strategic-boards", "affiliated-boards"):
                sources += [edition.board_sources[b].path for b in edition.boards]
            for what in ("attendance", "budget"):
                if section.kind == what and what in edition.singles:
                    sources.append(edition.singles[what].path)
            if section.kind in ("board-reports", "agency-reports"):
                sources += [s.path for s in edition.listed["reports"].sources.values()]
            if section.kind == "contacts" and self.project.contacts:
                sources.append(self.project.singles["contacts"].path)
            if section.kind == "glossary" and self.project.glossary:
                sources.append(self.project.singles["glossary"].path)
            template = SECTION_TEMPLATES.get(section.kind, f"{section.kind}.md.j2")
            self._page(
                self.section_uri(edition, section.id), section.title, template, sources,
                section=section, prose=Markup(before), prose_after=Markup(after),
                **self._section_context(edition, section.kind), **common,
            )
        for board_id, board in edition.boards.items():
            self._page(self.board_uri(edition, board_id), board.name, "board.md.j2",
                       [edition.board_sources[board_id].path], board=board, **common)
        if edition.document == "handbook":
            uri = self.chart_uri(edition)
            title = f"Structure chart: {edition.edition.title}, {edition_label(edition)}"
            description = (
                "The statutory Health and Wellbeing Board and Community Safety Partnership; the MK Together "
                "Management Board, accountable to both; and the affiliated boards, accountable to the Management "
                "Board. Drawn from this edition's terms of reference; the list below gives the same structure as text."
            )
            self._page(uri, "Structure chart", "structure-chart.md.j2",
                       [edition.source.path] + [s.path for s in edition.board_sources.values()],
                       chart=structure_chart(self.env, edition, uri, title, description), **common)
        for report_id, report in edition.reports.items():
            prose = edition.report_prose.get(report_id)
            self._page(self.report_uri(edition, report_id), report.title, "report.md.j2",
                       [edition.listed["reports"].sources[report_id].path] + ([prose.path] if prose else []),
                       report=report, prose=Markup(prose.text) if prose else "",
                       handbook=handbook_for_report(self.project, edition), **common)

    def _archive_pages(self) -> None:
        """Minutes of meetings and documents of earlier partnerships: historical records."""
        project = self.project
        boards = {}
        for source in project.meetings:
            board_id = source.model.body.board  # type: ignore[attr-defined]
            history = board_history(project, board_id) if board_id else []
            named = [h.board.name for h in history if h.board]
            if named:
                boards[board_id] = (named[-1], self.board_history_uri(board_id))
        meetings = [(archive.meeting_uri(s.model), s.model) for s in project.meetings]  # type: ignore[arg-type]
        documents = [(archive.document_uri(s.model), s.model) for s in project.archive.values()]  # type: ignore[arg-type]
        if meetings or documents:
            self._page(archive.ARCHIVE_INDEX_URI, "Archive", "archive-index.md.j2",
                       [s.path for s in [*project.meetings, *project.archive.values()]],
                       documents=documents, meetings=meetings,
                       meetings_index=archive.MEETINGS_INDEX_URI if meetings else None)
        if meetings:
            self._page(archive.MEETINGS_INDEX_URI, "Meetings", "meetings-index.md.j2",
                       [s.path for s in project.meetings], meetings=meetings, boards=boards)
        for source, (uri, meeting) in zip(project.meetings, meetings):
            board = boards.get(meeting.body.board or "")
            self._page(uri, archive.meeting_title(meeting), "meeting.md.j2", [source.path], meeting=meeting,
                       board_name=board[0] if board else None, board_page=board[1] if board else None)
        for ident, source in project.archive.items():
            prose = project.archive_prose.get(ident)
            self._page(archive.document_uri(source.model), archive.document_title(source.model),  # type: ignore[arg-type]
                       "archive-document.md.j2", [source.path] + ([prose.path] if prose else []),
                       document=source.model, prose=Markup(prose.text) if prose else Markup(""))

    def _relation_pages(self) -> None:
        """Boards across editions, and who sits where, computed from every edition."""
        project = self.project
        handbook_sources = [e.source.path for e in handbooks(project)]
        ids = board_ids(project)
        if ids:
            self._page("boards/index.md", "Boards across editions", "boards-index.md.j2", handbook_sources,
                       histories=[(b, board_history(project, b)) for b in ids])
        for board_id in ids:
            history = board_history(project, board_id)
            name = next(h.board.name for h in reversed(history) if h.board)
            reports = [(e, i, r) for e in project.editions.values() for i, r in e.reports.items() if r.board == board_id]
            sources = [h.edition.board_sources[board_id].path for h in history if h.board]
            self._page(self.board_history_uri(board_id), name, "board-history.md.j2", sources,
                       board_id=board_id, history=history, reports=reports)
        org_seats = {o: seats_of(project, o) for o in project.organisations}
        org_reports = {o: reports_of(project, o) for o in project.organisations}
        if project.organisations:
            summary = [(o, len(org_seats[o]), len(org_reports[o])) for o in project.organisations]
            self._page("organisations/index.md", "Organisations", "organisations-index.md.j2",
                       [s.path for s in project.organisation_sources.values()], summary=summary)
        for org_id, org in project.organisations.items():
            self._page(self.organisation_uri(org_id), org.name, "organisation.md.j2",
                       [project.organisation_sources[org_id].path], org_id=org_id, org=org,
                       minutes=people_in_minutes(project, org_id), seats=org_seats[org_id],
                       contributions=contributions_of(project, org_id), reports=org_reports[org_id],
                       attendance=attendance_of(project, org_id, self.attendance_figures))

    def attendance_figures(self, edition: EditionData) -> AttendanceFigures:
        """An annual report's attendance figures, worked out once however many pages show them."""
        if edition.id not in self._attendance:
            assert edition.attendance is not None
            self._attendance[edition.id] = attendance_figures(edition.attendance, self.project)
        return self._attendance[edition.id]

    def _section_context(self, edition: EditionData, kind: str) -> dict[str, Any]:
        """What the computed part of a section needs, by kind."""
        if kind == "attendance" and edition.attendance:
            return {"attendance": edition.attendance, "figures": self.attendance_figures(edition)}
        if kind == "budget" and edition.budget:
            figures = budget_figures(edition.budget)
            return {"budget": edition.budget, "figures": figures, "charts": self._budget_charts(edition, figures)}
        if kind in ("board-reports", "agency-reports"):
            return {"reports": [(i, r) for i, r in edition.reports.items() if r.kind == kind.split("-")[0]],
                    "handbook": handbook_for_report(self.project, edition)}
        return {}

    def _budget_charts(self, edition: EditionData, figures: BudgetFigures) -> dict[str, Markup]:
        budget = edition.budget
        assert budget is not None
        contributions = hbar_chart(
            self.env, "chart-contributions", f"{budget.contributions_title}, by agency",
            "Contribution of each agency in pounds, split into children's and adults' safeguarding. "
            f"In all, £{money(abs(figures.contributions_total))}. The table above gives every figure.",
            [(c.label, [c.childrens, c.adults]) for c in budget.contributions],
            [Series("Children's", "mkt-series-1"), Series("Adults", "mkt-series-2")],
        )
        expenditure = hbar_chart(
            self.env, "chart-expenditure", f"Expenditure, {budget.actuals_label}",
            f"Spending on each line in pounds; £{money(figures.expenditure_total)} in all. The table above gives every figure.",
            [(line.label, [line.amount]) for line in budget.expenditure],
            [Series("Expenditure", "mkt-series-1")],
        )
        return {"contributions": contributions, "expenditure": expenditure}

    def _page(self, uri: str, title: str, template: str, sources: list[str], **context: Any) -> None:
        context.update(
            page_uri=uri, title=title, sources=sources, project=self.project,
            link=lambda target: relative(target, uri), org_name=self.org_name,
            board_uri=self.board_uri, section_uri=self.section_uri, edition_uri=self.edition_uri,
            report_uri=self.report_uri, concern_uri=CONCERN_URI, glossary_uri=GLOSSARY_URI,
            changes_uri=self.changes_uri, follows=self._follows,
            chart_uri=self.chart_uri, board_history_uri=self.board_history_uri, organisation_uri=self.organisation_uri,
            contacts=self.project.contacts, glossary=self.project.glossary,
            edition_label=edition_label, boards_of_kind=_boards_of_kind,
        )
        try:
            markdown = self.env.get_template(f"pages/{template}").render(**context)
        except jinja2.TemplateNotFound as exc:
            self.report.error(Location(sources[0] if sources else "templates/pages"), f"no template '{exc.name}' in templates/")
            return
        except jinja2.TemplateError as exc:  # a mistake in a template: say where, never a traceback
            where = self._template_location(exc, template)
            if (where, exc.message) not in self.template_errors:  # once, not once per page
                self.template_errors.add((where, exc.message))
                self.report.error(where, f"template error: {exc.message} (first seen rendering {uri})")
            return
        edition = context.get("edition")
        if isinstance(edition, EditionData):
            bar = self.timeline.bar(edition, uri, getattr(self, "uris", set()))
            if "alias_of" in context:
                bar["canonical"] = context["alias_of"][: -len("index.md")]
                bar["alias"] = True
            markdown = "---\n" + json.dumps({"mkt": bar}, ensure_ascii=False, sort_keys=True) + "\n---\n" + markdown
        self.pages.append(Page(uri, title, markdown, sources))

    def _template_location(self, exc: jinja2.TemplateError, template: str) -> Location:
        if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
            return Location(self._rel(exc.filename), exc.lineno or 1)
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        if frames:
            return Location(self._rel(frames[-1].filename), frames[-1].lineno or 1)
        return Location(f"templates/pages/{template}")

    def _rel(self, filename: str) -> str:
        path = Path(filename)
        try:
            return path.resolve().relative_to(self.project.root.resolve()).as_posix()
        except ValueError:
            return filename

    def org_name(self, org_id: str, edition: EditionData | None = None) -> str:
        org = self.project.organisations[org_id]
        if edition and edition.id in org.edition_names:
            return org.edition_names[edition.id]
        return org.name


def _boards_of_kind(edition: EditionData, *kinds: str) -> list[tuple[str, Board]]:
    return [(i, b) for i, b in edition.boards.items() if b.kind in kinds]


def _split_title(text: str, fallback: str) -> tuple[str, str]:
    """A top-level page's title is its first '# ' heading."""
    match = re.match(r"\s*# (.+)\n", text)
    if match:
        return match.group(1).strip(), text[match.end():]
    return fallback.replace("-", " ").capitalize(), text


def render_site(project: Project, report: Report) -> list[Page]:
    return SiteRenderer(project, report).render()
