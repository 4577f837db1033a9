"""Shared fixtures: a scratch copy of the project, and the real site built once per run."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).resolve().parent / "seeds"
PROJECT_PARTS = ["mkdocs.yml", "data", "content", "templates"]


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    return dest


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `mktogether` as the comms team would, in the project's folder."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=root, capture_output=True, text=True, timeout=600,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the real project to break."""
    return copy_project(tmp_path / "project")


# The published Safeguarding Annual Report 2021-22 disagrees with itself in two places. The
# figures stay as printed, and the checks say so every time: these are the only warnings the real
# data may give (any other warning, ours or MkDocs's own validation, fails the tests).
PUBLISHED_DISAGREEMENTS = [
    "data/annual-report/2021-22/budget.yml:67:11: warning: 'Contributions' in the budget position: printed -257,880, "
    "computed -258,792 from its lines, difference 912; the printed figure is kept and the page notes the computed one",
    "data/annual-report/2021-22/budget.yml:81:11: warning: 'Total (c/f to 22/23)': printed -133,944, "
    "computed -133,945 from its lines, difference 1; the printed figure is kept and the page notes the computed one",
]


def warnings_in(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": warning: " in line or line.startswith("WARNING")]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once by `mktogether build` into a temporary folder."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_cli(ROOT, "build", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert warnings_in(result.stderr) == PUBLISHED_DISAGREEMENTS
    return out
