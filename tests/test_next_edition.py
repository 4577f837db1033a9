"""Publishing the next editions breaks no test, and neither does a correction or a draft left in the
repository: the tests of the real project (those conftest marks real_project; the rest read only the
fixture or the repository, the same either way) pass again on a copy where the Handbook in force was
corrected, the next Handbook published and, beside it, a draft revision and next year's report
started and left unpublished, as the README walks them. The next editions' ids are worked out from
the data, so that this holds once they are really published."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_project, fill_in, run_cli
from generator.documents import next_edition_id
from generator.load import load_project

TESTS = Path(__file__).resolve().parent


def latest(root: Path, document: str) -> tuple[str, dt.date]:
    project, _ = load_project(root)
    published = sorted((e.edition.published, e.id) for e in project.editions.values()
                       if e.document == document and e.edition.published)
    return published[-1][1], published[-1][0]


def test_the_suite_passes_with_the_next_editions_published_and_drafts_begun(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    taken = {p.parent.relative_to(root / "data").as_posix() for p in (root / "data").glob("*/*/edition.yml")}

    # the next Handbook revision, five months after the one in force: started, filled in, published
    handbook, published = latest(root, "handbook")
    day = published + dt.timedelta(days=152)
    revision = next_edition_id("handbook", taken, today=day)
    assert run_cli(root, "new-edition", revision, "--from", handbook).returncode == 0
    # a correction to the Handbook in force meanwhile, which the revision takes
    prose = sorted((root / "content" / handbook).glob("*.md"))[0]
    text = prose.read_text()
    prose.write_text(text.replace(" and ", " and also ", 1))
    corrected = run_cli(root, "correct", handbook, "--what", "A word was added.", "--why", "To test the cycle.")
    assert corrected.returncode == 0 and f"made the same correction in the draft {revision}" in corrected.stderr, \
        corrected.stderr
    fill_in(root, revision, "The Partnership Handbook as revised.")
    done = run_cli(root, "publish", revision, "--date", f"{revision.split('/')[1]}-01")
    assert done.returncode == 0, done.stderr

    # and, left as drafts: the revision after it, and next year's report, each just begun
    draft = next_edition_id("handbook", taken | {revision}, today=day + dt.timedelta(days=150))
    report, _ = latest(root, "annual-report")
    year = next_edition_id("annual-report", taken)
    for new, source in ((draft, revision), (year, report)):
        made = run_cli(root, "new-edition", new, "--from", source)
        assert made.returncode == 0, made.stderr
    checked = run_cli(root, "check")
    assert checked.returncode == 0, checked.stderr
    assert re.search(rf"data/{re.escape(year)}/\S+: warning: not yet written: ", checked.stderr), "a draft is unfinished"

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-n", "2", "-m", "real_project", str(TESTS),
         "--ignore", str(TESTS / "test_next_edition.py"), "--ignore", str(TESTS / "test_browser.py"),
         "--ignore", str(TESTS / "test_lighthouse.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=1500,
        env={**os.environ, "MKTOGETHER_TEST_PROJECT": str(root), "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)
