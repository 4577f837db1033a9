"""The README's "A new edition" walked step by step on the fixture, as a comms editor would:
start, fill in, check, review, publish, correct, and start the next."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import yaml

from conftest import copy_fixture, run_cli


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_the_readme_walk(tmp_path: Path) -> None:
    repo = copy_fixture(tmp_path / "project")
    (repo / ".gitignore").write_text("site/\n")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "comms@example.org")
    git(repo, "config", "user.name", "Comms")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "as published")

    # 1. start it
    started = run_cli(repo, "new-edition", "handbook/2024-04", "--from", "handbook/2023-10")
    assert started.returncode == 0 and "Next: write the summary and change_notes" in started.stderr, started.stderr

    # 2. fill it in, and check
    edition = repo / "data/handbook/2024-04/edition.yml"
    edition.write_text(re.sub(r"^summary: .*$", "summary: The handbook as revised in April 2024.", edition.read_text(), flags=re.M)
                       .replace("change_notes: []  # what this revision changes, in plain English, one '- ' line each",
                                "change_notes:\n  - The Risk Board now also oversees the MASH."))
    board = repo / "data/handbook/2024-04/boards/risk.yml"
    board.write_text(board.read_text().replace("Overseeing the work of the case panels.",
                                               "Overseeing the work of the case panels and the MASH."))
    assert run_cli(repo, "check").returncode == 0

    # 3. review it: in plain English; a draft is no public page until it is published
    diff = run_cli(repo, "diff", "handbook/2023-10", "handbook/2024-04")
    assert diff.returncode == 0 and "Overseeing the work of the case [-panels.-] {+panels and the MASH.+}" in diff.stdout
    review = run_cli(repo, "review", "HEAD", "--format", "json")
    assert review.returncode == 0, review.stderr
    data = json.loads(review.stdout)
    assert data["pages"] == {"added": [], "removed": [], "changed": []}, "merging a draft changes no public page"
    [draft] = data["drafts"]
    assert (draft["edition"], draft["new"], draft["follows"]) == ("handbook/2024-04", True, "handbook/2023-10")
    assert draft["pages"] > 10 and "panels and the MASH." in json.dumps(draft["changes"])

    # 4. publish it
    published = run_cli(repo, "publish", "handbook/2024-04", "--date", "2024-04-01", "--approved-by", "management-board",
                        "--minute", "6", "--approved-on", "2024-03-15")
    assert published.returncode == 0 and "subtitled 'Revised April 2024'" in published.stderr, published.stderr
    assert yaml.safe_load(edition.read_text())["subtitle"] == "Revised April 2024"
    assert yaml.safe_load(edition.read_text())["review_by"].isoformat() == "2025-04-01"
    built = run_cli(repo, "build")
    assert built.returncode == 0, built.stderr
    assert "superseded on 1 April 2024" in (repo / "site/handbook/2023-10/index.html").read_text()
    assert "Approved by the Fixture Management Board on 15 March 2024 (minute 6)." in \
        (repo / "site/handbook/2024-04/index.html").read_text()
    assert 'href="../handbook/2024-04/"' in (repo / "site/handbook/index.html").read_text() or \
        "/handbook/2024-04/" in (repo / "site/handbook/index.html").read_text()

    # 5. a typo in the published edition: refused, then recorded as a correction
    board.write_text(board.read_text().replace("the MASH.", "the MASH (Multi-Agency Safeguarding Hub)."))
    refused = run_cli(repo, "check")
    assert refused.returncode == 1 and "handbook/2024-04 was published on 1 April 2024" in refused.stderr
    corrected = run_cli(repo, "correct", "handbook/2024-04", "--what", "The MASH is named in full.",
                        "--why", "For readers who do not know the abbreviation.", "--date", "2024-05-03")
    assert corrected.returncode == 0, corrected.stderr
    assert run_cli(repo, "build").returncode == 0
    assert "Corrected on 3 May 2024:" in (repo / "site/handbook/2024-04/boards/risk/index.html").read_text()

    # then the next edition, from the one now in force
    nxt = run_cli(repo, "new-edition", "handbook/2024-10", "--from", "handbook/2024-04")
    assert nxt.returncode == 0, nxt.stderr
    assert not (repo / "data/handbook/2024-10/record.yml").exists()
    assert "corrections" not in yaml.safe_load((repo / "data/handbook/2024-10/edition.yml").read_text())
