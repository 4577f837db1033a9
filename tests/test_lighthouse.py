"""Lighthouse scores of six kinds of page, mobile with simulated throttling, in Debian's Chromium:
performance at least 95; accessibility, best practices and SEO 100. Each page's JSON report is
kept in test-artifacts/lighthouse/ (open one in the Lighthouse viewer to see it as a report)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from browser import CHROMIUM, require_browser, serve
from conftest import PROJECT, ROOT
from generator.derive import Timeline
from generator.load import load_project

pytestmark = pytest.mark.browser

TOOL = ROOT / "tests" / "lighthouse"
REPORTS = ROOT / "test-artifacts" / "lighthouse"
MINIMUM = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


def pages() -> dict[str, str]:
    """The pages to score, by name: those of the editions in force (the latest published)."""
    project, report = load_project(PROJECT)
    assert report.errors == []
    timeline = Timeline(project)
    handbook, annual_report = timeline.latest("handbook"), timeline.latest("annual-report")
    assert handbook is not None and annual_report is not None
    return {
        "home": "",
        "board": f"{handbook.id}/boards/community-safety-partnership/",
        "attendance": f"{annual_report.id}/attendance/",
        "budget": f"{annual_report.id}/budget/",
        "structure-chart": f"{handbook.id}/structure-chart/",
        "what-changed": f"{handbook.id}/what-changed/",
    }


NAMES = ["home", "board", "attendance", "budget", "structure-chart", "what-changed"]


@pytest.fixture(scope="session")
def lighthouse_reports(built_site: Path) -> dict[str, dict[str, Any]]:
    """One Lighthouse process and one Chromium for all six pages (tests/lighthouse/run.mjs)."""
    require_browser()
    if not (TOOL / "node_modules" / "lighthouse").is_dir():
        pytest.fail("Lighthouse is not installed: run `make lighthouse` (npm ci in tests/lighthouse)")
    paths = pages()
    assert list(paths) == NAMES
    for name in NAMES:
        (REPORTS / f"{name}.json").unlink(missing_ok=True)
    with serve(built_site) as base:
        result = subprocess.run(
            ["node", str(TOOL / "run.mjs"), base + "/", str(REPORTS), *(f"{n}={p}" for n, p in paths.items())],
            capture_output=True, text=True, timeout=600, check=False, env={**os.environ, "CHROME_PATH": CHROMIUM},
        )
    assert result.returncode == 0, result.stderr[-4000:]
    return {name: json.loads((REPORTS / f"{name}.json").read_text()) for name in NAMES}


def _element(item: Any) -> str:
    """The element or resource a row of an audit's table names, if any."""
    if not isinstance(item, dict):
        return ""
    node = item.get("node") or {}
    if node.get("type") == "node":
        return f"{node.get('selector', '')} {node.get('snippet', '')}".strip()
    source = item.get("source") or {}
    return str(item.get("url") or (source.get("url") if isinstance(source, dict) else "") or "")


def failing_audits(report: dict[str, Any], category: str) -> list[str]:
    """The audits that cost the category points, each with the elements Lighthouse names."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        # performance: the weighted metrics, and its opportunities and diagnostics (weight 0) that fail
        threshold = 1 if ref["weight"] > 0 else 0.9 if category == "performance" else None
        if threshold is None or audit["score"] is None or audit["score"] >= threshold:
            continue
        lines.append(f"  {audit['id']} ({audit['score']}): {audit['title']} {audit.get('displayValue', '')}".rstrip())
        items = (audit.get("details") or {}).get("items")
        if isinstance(items, list):  # a table or a list; a few audits give a tree instead
            lines += [f"    {element[:300]}" for element in map(_element, items[:10]) if element]
    return lines


@pytest.mark.parametrize("category", list(MINIMUM))
@pytest.mark.parametrize("name", NAMES)
def test_lighthouse_scores(lighthouse_reports: dict[str, dict[str, Any]], name: str, category: str) -> None:
    report = lighthouse_reports[name]
    score = report["categories"][category]["score"]
    message = "\n".join([
        (f"{report['requestedUrl']}: Lighthouse {category} {score}, at least {MINIMUM[category]} wanted "
         f"(report: test-artifacts/lighthouse/{name}.json)"),
        *([f"  Lighthouse could not run: {report['runtimeError']}"] if report.get("runtimeError") else []),
        *failing_audits(report, category),
    ])
    assert score is not None and score >= MINIMUM[category], message
