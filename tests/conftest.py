"""Shared fixtures: the small fixture project the rule tests build, and the real project the
fidelity tests read, each copied or built once per run where a test needs it."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import load
from generator.prose import read_config

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).resolve().parent / "seeds"
# The small invented project the rule tests run on: data/ and content/, built with our templates.
FIXTURE = Path(__file__).resolve().parent / "fixture"
# The real project the fidelity tests read. test_next_edition.py points this at a copy with the
# next editions published and runs those tests again: publishing must not break a test.
PROJECT = Path(os.environ.get("MKTOGETHER_TEST_PROJECT") or ROOT)
# the public address in mkdocs.yml, which the tests' builds keep
SITE_URL: str = read_config(ROOT / "mkdocs.yml")["site_url"]  # type: ignore[index]


def copy_project(dest: Path, source: Path = PROJECT) -> Path:
    """A private copy of a project (the real one by default) to change; what the fixture lacks
    (mkdocs.yml, templates) comes from the repository."""
    return load.copy_project(source, dest, fallback=ROOT)


def copy_fixture(dest: Path) -> Path:
    """A private copy of the fixture project, with the real mkdocs.yml and templates."""
    return copy_project(dest, FIXTURE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that read the real project (PROJECT: through the built site, or in their
    module): test_next_edition.py runs these again on a copy with the next editions published. The
    rest read the fixture or the repository, the same in either run."""
    for item in items:
        names = getattr(getattr(item, "module", None), "__dict__", {})  # what the test's module imports
        if "built_site" in getattr(item, "fixturenames", ()) or "PROJECT" in names or "copy_project" in names:
            item.add_marker(pytest.mark.real_project)


# The day `check` takes as today in the tests (cli._today): the accessibility statements of the real
# data and the fixture were reviewed within a year before it, so no test depends on the day it runs.
TODAY = "2026-12-01"


def run_cli(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `mktogether` as the comms team would, in the project's folder."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=root, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT), "MKTOGETHER_TODAY": TODAY, **env},
    )


def fill_in(root: Path, edition: str, summary: str = "The edition as revised.") -> None:
    """What new-edition leaves a Handbook revision to write before it is published: its summary and
    its change notes."""
    path = root / "data" / edition / "edition.yml"
    text = re.sub(r"(?m)^summary: .*$", f"summary: {summary}", path.read_text())
    text = re.sub(r"(?m)^change_notes: \[\].*$", "change_notes:\n  - The terms of reference were reviewed.", text)
    path.write_text(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the fixture project to change."""
    return copy_fixture(tmp_path / "project")


# The published Safeguarding Annual Report 2021-22 disagrees with itself in two places. The
# figures stay as printed, and the checks say so every time: these are the only warnings the real
# data may give (any other warning, ours or MkDocs's own validation, fails the tests).
PUBLISHED_DISAGREEMENTS = [
    "data/annual-report/2021-22/budget.yml:67:11: warning: 'Contributions' in the budget position: printed -257,880, "
    "computed -258,792 from its lines, difference 912; the printed figure is kept and the page notes the computed one",
    "data/annual-report/2021-22/budget.yml:81:11: warning: 'Total (c/f to 22/23)': printed -133,944, "
    "computed -133,945 from its lines, difference 1; the printed figure is kept and the page notes the computed one",
]
# The fixture's budget disagrees with itself once, on purpose.
FIXTURE_DISAGREEMENT = (
    "data/annual-report/2023-24/budget.yml:38:11: warning: 'Total (c/f to 24/25)': printed -23,001, computed -23,000 "
    "from its lines, difference -1; the printed figure is kept and the page notes the computed one"
)


def warnings_in(output: str, project: Path | None = None) -> list[str]:
    """The warnings a command printed; given the project, but those of its draft editions' own files,
    which say what a draft has still to do (a draft in the repository breaks no test)."""
    found = [line for line in output.splitlines() if (": warning: " in line or line.startswith("WARNING"))
             and " due for review on " not in line]  # a review falls due as days pass: no test may fail by the date
    if project is None:
        return found
    from generator.pipeline import draft_of

    loaded, _ = load.load_project(project)
    return [line for line in found if draft_of(loaded, line.split(":")[0]) is None]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once by `mktogether build` into a temporary folder."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_cli(PROJECT, "build", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert warnings_in(result.stderr) == PUBLISHED_DISAGREEMENTS
    return out


@pytest.fixture(scope="session")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project, copied once for tests that only read it."""
    return copy_fixture(tmp_path_factory.mktemp("fixture") / "project")


@pytest.fixture(scope="session")
def built_fixture(fixture_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project's site, built once."""
    out = tmp_path_factory.mktemp("fixture-built") / "site"
    result = run_cli(fixture_root, "build", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert warnings_in(result.stderr) == [FIXTURE_DISAGREEMENT]
    return out


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Headless Chromium, one for the whole run: Playwright's sync API runs once in a process."""
    from browser import CHROMIUM, CHROMIUM_ARGS, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
