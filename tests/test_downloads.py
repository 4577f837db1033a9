"""Data downloads: each attendance and budget table as CSV, linked from its page, one row per member
or line with derive's figures beside the printed ones; each edition's whole data as one JSON file
that validates against the JSON Schema the site publishes and reads back as the edition's data."""
from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import PROJECT, SITE_URL
from generator.downloads import EDITION_SCHEMA, edition_data_uri, table_csv_uri
from generator.load import EditionData
from generator.models import EditionDownload, json_schema
from generator.pipeline import Site, generate



@pytest.fixture(scope="module", params=["fixture", "real"])
def built(request: pytest.FixtureRequest) -> tuple[Site, Path]:
    """A project's generation (its data and derive's figures) and its site as `mktogether build` built it."""
    root, out = ((request.getfixturevalue("fixture_root"), request.getfixturevalue("built_fixture"))
                 if request.param == "fixture" else (PROJECT, request.getfixturevalue("built_site")))
    site, report = generate(root)
    assert site is not None, [str(d) for d in report.errors]
    return site, out


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n"), "\\n line ends, chosen explicitly"
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


def links_of(out: Path, page: str) -> set[str]:
    """Every file a built page links to, from the site's root."""
    html = (out / page).read_text(encoding="utf-8")
    return {posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            for href in re.findall(r'<a href="([^"#:]+)"', html)}


def page_of(uri: str) -> str:
    """The built page of a src_uri: attendance.md is attendance/index.html."""
    stem = uri[: -len(".md")]
    return f"{stem[: -len('index')]}index.html" if stem.endswith("index") else f"{stem}/index.html"


def section(edition: EditionData, kind: str) -> str:
    return next(s.id for s in edition.edition.sections if s.kind == kind)


def strings(value: object) -> set[str]:
    """Every string held anywhere in parsed JSON."""
    if isinstance(value, dict):
        return {s for v in value.values() for s in strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in strings(v)}
    return {value} if isinstance(value, str) else set()


def number(cell: str) -> int | None:
    return int(cell) if cell else None


def test_attendance_csv_is_one_row_per_member_with_derive_figures(built: tuple[Site, Path]) -> None:
    site, out = built
    reports = [e for e in site.project.editions.values() if e.attendance]
    assert reports, "the project has an attendance table"
    for edition in reports:
        uri = table_csv_uri(edition, section(edition, "attendance"))
        assert uri in links_of(out, page_of(f"{edition.id}/{section(edition, 'attendance')}.md")), "linked from its page"
        attendance, figures = edition.attendance, site.facts.reports[edition.id].attendance
        assert attendance and figures
        header, *rows = read_csv(out / uri)
        assert header == ["Member (role and organisation)", "Organisations",
                          *(f"{m.label} ({m.month})" for m in attendance.meetings),
                          "Meetings attended", "Meetings expected", "Attendance (%)"]
        assert len(rows) == len(attendance.members)
        for row, member, rate in zip(rows, attendance.members, figures.by_member):
            n = len(attendance.meetings)
            assert row[0] == member.label and row[1].split("; ") == (member.organisations or [""])
            assert row[2:2 + n] == list(member.marks)
            assert (int(row[2 + n]), int(row[3 + n])) == (rate.present, rate.expected)
            assert row[4 + n] == ("" if rate.percent is None else f"{rate.percent:.1f}")
            assert int(row[2 + n]) == row[2:2 + n].count("present"), "the computed column agrees with its own row"


def test_budget_csvs_are_one_row_per_line_with_printed_and_computed_figures(built: tuple[Site, Path]) -> None:
    site, out = built
    reports = [e for e in site.project.editions.values() if e.budget]
    assert reports, "the project has a budget"
    for edition in reports:
        budget, figures = edition.budget, site.facts.reports[edition.id].budget
        assert budget and figures
        links = links_of(out, page_of(f"{edition.id}/{section(edition, 'budget')}.md"))
        contributions_uri = table_csv_uri(edition, section(edition, "budget"), "contributions")
        position_uri = table_csv_uri(edition, section(edition, "budget"), "position")
        assert {contributions_uri, position_uri} <= links, "each table links its CSV"

        header, *rows = read_csv(out / contributions_uri)
        assert header == ["Agency", "Organisations", "Children's", "Adults", "Total as printed", "Total computed"]
        assert [(r[0], number(r[2]), number(r[3]), number(r[4]), int(r[5])) for r in rows] == [
            (c.label, c.childrens, c.adults, c.total, total) for c, total in zip(budget.contributions, figures.row_totals)]

        header, *rows = read_csv(out / position_uri)
        assert header == ["Part", "Line", f"{budget.actuals_label} as printed", "Computed from its lines"]
        assert [(r[0], r[1], number(r[2]), number(r[3])) for r in rows] == [
            ("Income", budget.brought_forward.label, budget.brought_forward.amount, None),
            ("Income", budget.contributions_line.label, budget.contributions_line.amount, figures.contributions_total),
            *(("Expenditure", line.label, line.amount, None) for line in budget.expenditure),
            ("Expenditure", "Total expenditure", None, figures.expenditure_total),
            ("Carried forward", budget.carried_forward.label, budget.carried_forward.amount, figures.carried_forward),
        ]
        disagreeing = {(r[1], int(r[2]), int(r[3])) for r in rows if r[2] and r[3] and r[2] != r[3]}
        assert disagreeing == {(budget.contributions_line.label if d.path[0] == "contributions_line" else
                                budget.carried_forward.label, d.printed, d.computed)
                               for d in figures.disagreements if d.path[0] != "contributions"}, \
            "the printed figures that disagree with their lines stay as printed, beside the computed ones"


def test_real_budget_csv_keeps_the_published_disagreements(built_site: Path) -> None:
    rows = read_csv(built_site / "annual-report/2021-22/budget/budget-position-2021-22.csv")
    assert ["Income", "Contributions", "-257880", "-258792"] in rows
    assert ["Carried forward", "Total (c/f to 22/23)", "-133944", "-133945"] in rows


def test_each_edition_json_validates_against_the_published_schema_and_reads_back(built: tuple[Site, Path]) -> None:
    site, out = built
    schema = json.loads((out / EDITION_SCHEMA).read_text(encoding="utf-8"))
    assert schema == json_schema(EditionDownload, SITE_URL + EDITION_SCHEMA), "the models' own schema, published"
    validator = jsonschema.Draft202012Validator(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    for edition in site.project.editions.values():
        uri = edition_data_uri(edition)
        assert uri in links_of(out, page_of(f"{edition.id}/index.md")), "linked from the edition's front page"
        assert EDITION_SCHEMA in links_of(out, page_of(f"{edition.id}/index.md")), "and so is its schema"
        data = json.loads((out / uri).read_text(encoding="utf-8"))
        assert data["$schema"] == schema["$id"] == SITE_URL + EDITION_SCHEMA
        assert list(validator.iter_errors(data)) == []
        back = EditionDownload.model_validate(data)
        assert back.edition == edition.edition
        assert back.boards == list(edition.boards.values()) and back.reports == list(edition.reports.values())
        assert (back.attendance, back.budget) == (edition.attendance, edition.budget)
        named = {o for b in edition.boards.values() for m in b.members for o in m.organisations}
        named |= {o for r in edition.reports.values() for o in r.organisations}
        named |= {o for c in (edition.budget.contributions if edition.budget else []) for o in c.organisations}
        held = {o.id for o in back.organisations}
        rest = strings({k: v for k, v in data.items() if k != "organisations"})
        assert named <= held <= rest & set(site.project.organisations), "the organisations it names, no others"
        assert all(o == site.project.organisations[o.id] for o in back.organisations)


def test_the_schema_refuses_what_the_models_refuse(built_fixture: Path) -> None:
    schema = json.loads((built_fixture / EDITION_SCHEMA).read_text(encoding="utf-8"))
    data = json.loads((built_fixture / "annual-report/2023-24/annual-report-2023-24.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for broken in ({**data, "edition": {**data["edition"], "status": "retracted"}},
                   {**data, "budget": {**data["budget"], "surplus": 1}},
                   {k: v for k, v in data.items() if k != "boards"}):
        assert list(validator.iter_errors(broken)), broken.keys()


def test_the_downloads_are_the_same_bytes_every_time(fixture_root: Path) -> None:
    first, _ = generate(fixture_root)
    second, _ = generate(fixture_root)
    assert first and second and first.files == second.files
    assert all(name.endswith((".csv", ".json", ".xml")) for name in first.files)
