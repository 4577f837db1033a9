"""Publishing the next editions breaks no test: the tests of the real project pass again on a
copy with the next Handbook published and the next annual report added, as the README says."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_project, run_cli

TESTS = Path(__file__).resolve().parent


def publish(root: Path, edition: str, date: str) -> None:
    path = root / "data" / edition / "edition.yml"
    text = path.read_text()
    text = re.sub(r"published: .*", f"published: {date}", text).replace("status: draft", "status: published")
    path.write_text(text)


def test_the_suite_passes_with_the_next_editions_published(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    made = run_cli(root, "new-edition", "handbook/2022-04", "--from", "handbook/2021-11")
    assert made.returncode == 0, made.stderr
    publish(root, "handbook/2022-04", "2022-04-01")
    made = run_cli(root, "new-edition", "annual-report/2022-23", "--from", "annual-report/2021-22")
    assert made.returncode == 0, made.stderr
    publish(root, "annual-report/2022-23", "2023-07-01")
    edition = root / "data/annual-report/2022-23/edition.yml"
    edition.write_text(edition.read_text().replace("covers_from: 2021-04-01", "covers_from: 2022-04-01")
                       .replace("covers_to: 2022-03-31", "covers_to: 2023-03-31"))
    budget = root / "data/annual-report/2022-23/budget.yml"  # this year's figures agree with their lines
    budget.write_text(budget.read_text().replace("amount: -257880", "amount: -258792").replace("amount: -133944", "amount: -134857"))
    checked = run_cli(root, "check")
    assert checked.returncode == 0, checked.stderr

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-n", "2", str(TESTS),
         "--ignore", str(TESTS / "test_next_edition.py"), "--ignore", str(TESTS / "test_browser.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
        env={**os.environ, "MKTOGETHER_TEST_PROJECT": str(root), "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)
