"""Data downloads: each attendance and budget table as CSV beside its page, and each edition's whole
data as one JSON file in the shape of a JSON Schema the site publishes (models.EditionDownload).

    annual-report/2021-22/attendance/attendance-2021-22.csv           one row per member
    annual-report/2021-22/budget/budget-contributions-2021-22.csv     one row per agency
    annual-report/2021-22/budget/budget-position-2021-22.csv          one row per line
    handbook/2021-11/handbook-2021-11.json                            the edition's data files
    schema/edition-data.schema.json                                   the JSON files' schema

The computed columns are derive.py's figures, as the pages show them (the pages' plan context);
printed figures stay as printed, beside them. CSV is UTF-8 with a header row and \\n line ends.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from .checks import references
from .derive import AttendanceFigures, BudgetFigures
from .load import EditionData, Project
from .models import Attendance, Budget, EditionDownload, json_schema
from .plan import Plan

EDITION_SCHEMA = "schema/edition-data.schema.json"


def edition_data_uri(edition: EditionData) -> str:
    return f"{edition.id}/{edition.id.replace('/', '-')}.json"


def table_csv_uri(edition: EditionData, section_id: str, table: str | None = None) -> str:
    """A table's CSV, in the folder its page is served from, named so that downloads of two
    years do not collide: attendance/attendance-2021-22.csv."""
    name = f"{section_id}-{table}" if table else section_id
    return f"{edition.id}/{section_id}/{name}-{edition.id.split('/')[1]}.csv"


# the addresses templates may call, by name
ADDRESSES: dict[str, Any] = {"edition_data_uri": edition_data_uri, "table_csv_uri": table_csv_uri,
                             "edition_schema_uri": EDITION_SCHEMA}


def downloads(project: Project, plan: Plan, site_url: str) -> dict[str, str]:
    """Every download, by uri: the tables' CSV of each attendance and budget page, and the JSON of
    each edition with a front page, with the schema it names."""
    files: dict[str, str] = {}
    for page in plan.pages:
        edition, context = page.edition, page.context
        if edition is None or page.alias_of:
            continue
        if page.kind == "edition":
            files[edition_data_uri(edition)] = edition_json(project, edition, site_url + EDITION_SCHEMA)
        elif page.kind == "attendance" and "figures" in context:
            files[table_csv_uri(edition, context["section"].id)] = attendance_csv(context["attendance"], context["figures"])
        elif page.kind == "budget" and "figures" in context:
            section = context["section"].id
            contributions, position = budget_csv(context["budget"], context["figures"])
            files[table_csv_uri(edition, section, "contributions")] = contributions
            files[table_csv_uri(edition, section, "position")] = position
    schema = json_schema(EditionDownload, site_url + EDITION_SCHEMA)
    files[EDITION_SCHEMA] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return files


def _csv(rows: list[list[Any]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["" if value is None else value for value in row] for row in rows])
    return out.getvalue()


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def attendance_csv(attendance: Attendance, figures: AttendanceFigures) -> str:
    header = ["Member (role and organisation)", "Organisations", *(f"{m.label} ({m.month})" for m in attendance.meetings),
              "Meetings attended", "Meetings expected", "Attendance (%)"]
    return _csv([header] + [
        [row.label, "; ".join(row.organisations), *row.marks, *[""] * (len(attendance.meetings) - len(row.marks)), rate.present, rate.expected, _percent(rate.percent)]
        for row, rate in zip(attendance.members, figures.by_member)
    ])


def budget_csv(budget: Budget, figures: BudgetFigures) -> tuple[str, str]:
    """The contributions table, one row per agency, and the budget position, one row per line as the
    page shows it (its computed total of expenditure included)."""
    contributions = _csv([["Agency", "Organisations", "Children's", "Adults", "Total as printed", "Total computed"]] + [
        [c.label, "; ".join(c.organisations), c.childrens, c.adults, c.total, total]
        for c, total in zip(budget.contributions, figures.row_totals)
    ])
    position = _csv([
        ["Part", "Line", f"{budget.actuals_label} as printed", "Computed from its lines"],
        ["Income", budget.brought_forward.label, budget.brought_forward.amount, None],
        ["Income", budget.contributions_line.label, budget.contributions_line.amount, figures.contributions_total],
        *(["Expenditure", line.label, line.amount, None] for line in budget.expenditure),
        ["Expenditure", "Total expenditure", None, figures.expenditure_total],
        ["Carried forward", budget.carried_forward.label, budget.carried_forward.amount, figures.carried_forward],
    ])
    return contributions, position


def edition_json(project: Project, edition: EditionData, schema_url: str) -> str:
    """The edition's data files in one, with the organisations they name."""
    parts = [edition.edition, *edition.boards.values(), *edition.reports.values(), edition.attendance, edition.budget]
    named = {ident for part in parts if part is not None for _, kind, ident in references(part) if kind == "organisation"}
    data = EditionDownload.model_validate({
        "$schema": schema_url, "edition": edition.edition, "boards": list(edition.boards.values()),
        "reports": list(edition.reports.values()), "attendance": edition.attendance, "budget": edition.budget,
        "organisations": [org for ident, org in project.organisations.items() if ident in named],
    })
    return data.model_dump_json(by_alias=True, indent=2) + "\n"
