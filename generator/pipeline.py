"""The whole pipeline in one call: load, derive, check, plan, render.

    data/**.yml, content/**.md -> load -> derive -> checks -> plan -> render -> Markdown pages + navigation

Every stage reports into one Report; nothing is planned or rendered while any file has an error.
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
from .render import Renderer


@dataclass
class Site:
    project: Project
    facts: Facts
    plan: Plan
    pages: dict[str, str]  # Markdown by src_uri, in plan order
    nav: list[Any]


def check(root: Path) -> tuple[Project, Facts, Report]:
    """Load every file, drafts included, derive the facts and cross-check them."""
    project, report = load_project(root)
    facts = derive(project)
    check_project(project, facts, report)
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
