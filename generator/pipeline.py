"""The whole pipeline in one call: load, derive, check, plan, render.

    data/**.yml, content/**.md -> load -> derive -> checks -> plan -> render -> Markdown pages + navigation

Every stage reports into one Report; nothing is rendered while any file has an error.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import check_project
from .derive import Facts, derive
from .diagnostics import Report
from .load import Project, load_project
from .plan import Plan, plan_site
from .prose import check_prose, prose_markdown
from .render import Renderer


@dataclass
class Site:
    project: Project
    facts: Facts
    plan: Plan
    pages: dict[str, str]  # Markdown by src_uri, in plan order
    nav: list[Any]


def check(root: Path) -> tuple[Project, Facts, Report]:
    """Load every file, drafts included, derive the facts and cross-check them, and check every
    file of prose against the pages of the plan: every problem of every file, at once."""
    project, report = load_project(root)
    facts = derive(project)
    check_project(project, facts, report)
    plan = plan_site(project, facts)
    linkable = plan.linkable(project)
    markdown = prose_markdown(root)  # prose is checked as MkDocs will render it
    for page in plan.pages:
        for prose in page.prose:
            check_prose(prose.text, prose.path, page.uri, linkable, report, markdown=markdown)  # type: ignore[arg-type]
    for prose in project.unplaced_prose:  # an edition whose edition.yml is broken: its links can't be told
        check_prose(prose.text, prose.path, prose.path.removeprefix("content/"), linkable, report,  # type: ignore[arg-type]
                    markdown=markdown)
    return project, facts, report


def generate(root: Path, drafts: bool = False) -> tuple[Site | None, Report]:
    """Everything up to the Markdown MkDocs needs; None when any error was found.

    Draft editions are always checked, but built only when `drafts` is asked for."""
    project, facts, report = check(root)
    if report.errors:
        return None, report
    if not drafts and any(e.edition.status == "draft" for e in project.editions.values()):
        project.editions = {k: e for k, e in project.editions.items() if e.edition.status != "draft"}
        facts = derive(project)
    plan = plan_site(project, facts)
    pages = Renderer(project, facts, plan, report).render()
    if report.errors:
        return None, report
    return Site(project, facts, plan, pages, plan.navigation()), report
