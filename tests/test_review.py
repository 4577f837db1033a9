"""`mktogether review REV`: which public pages a revision changes, and how.

Each test makes a git repository of the fixture project (its data, content and templates, and the
generator itself, so that every revision builds with its own code), changes it, and reviews the
working tree against a revision of its history.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_fixture
from generator import review
from generator.review import PageChange, SiteDiff, cmd_review

WORKFLOW = ROOT / ".github" / "workflows" / "review.yml"
RISK = "data/handbook/2023-10/boards/risk.yml"
INTRODUCTION = "content/handbook/2023-10/introduction.md"


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), "-c", "commit.gpgsign=false", *args],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def make_repo(dest: Path) -> Path:
    """The fixture project with the generator beside it, committed once on the branch main."""
    repo = copy_fixture(dest)
    shutil.copytree(ROOT / "generator", repo / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "review-test@example.org")
    git(repo, "config", "user.name", "Review Test")
    commit(repo, "the fixture project")
    return repo


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def worktrees(repo: Path) -> list[str]:
    return [line for line in git(repo, "worktree", "list", "--porcelain").splitlines() if line.startswith("worktree ")]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


# Whole reviews: two builds each ----------------------------------------------------------------

def test_a_board_sentence_and_a_prose_sentence_list_exactly_the_pages_that_show_them(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, RISK, "Overseeing the work of the case panels.", "Overseeing the work of the case panels and the MASH.")
    edit(repo, INTRODUCTION, "Every school has a DSL", "Every school and college has a DSL")

    assert cmd_review(repo, "HEAD", "json") == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["rev"] == "HEAD"
    assert data["pages"]["added"] == [] and data["pages"]["removed"] == []
    changed = {c["url"]: c for c in data["pages"]["changed"]}
    # The board's page and the introduction show the sentences; the board's history page and the
    # edition's What changed page show that 2023-10 now differs from 2023-04 there. /handbook/
    # (the latest edition's front page) shows neither, and no other page shows them: the
    # navigation and the footer every page shares are not the page's text.
    assert list(changed) == [
        "/boards/risk/",
        "/handbook/2023-10/boards/risk/",
        "/handbook/2023-10/introduction/",
        "/handbook/2023-10/what-changed/",
    ]
    assert changed["/handbook/2023-10/boards/risk/"] == {
        "url": "/handbook/2023-10/boards/risk/",
        "removed": ["Overseeing the work of the case panels."],
        "added": ["Overseeing the work of the case panels and the MASH."],
    }
    assert changed["/handbook/2023-10/introduction/"]["removed"] == [
        "Every school has a DSL who can raise a concern with the MASH."]
    assert changed["/handbook/2023-10/introduction/"]["added"] == [
        "Every school and college has a DSL who can raise a concern with the MASH."]
    assert changed["/boards/risk/"] == {"url": "/boards/risk/", "removed": [], "added": [
        "Function reworded:", "Overseeing the work of the case removed: panels. added: panels and the MASH."]}
    what_changed = changed["/handbook/2023-10/what-changed/"]  # its count of changes, and the two changes
    assert what_changed["removed"] and any("college" in s for s in what_changed["added"])
    assert any("MASH" in s for s in what_changed["added"])
    assert data["drafts"] == []
    assert worktrees(repo) == [f"worktree {repo.resolve()}"], "the temporary worktree is removed"
    assert git(repo, "status", "--porcelain").split("\n")[:2] == [f" M {INTRODUCTION}", f" M {RISK}"]


def test_a_new_board_committed_lists_its_pages_as_added(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board = (repo / RISK).read_text(encoding="utf-8")
    board = board.replace("id: risk", "id: audit").replace("name: Risk", "name: Audit")
    (repo / "data/handbook/2023-10/boards/audit.yml").write_text(board, encoding="utf-8")
    edit(repo, "data/handbook/2023-10/edition.yml", "  - review\n", "  - review\n  - audit\n")
    commit(repo, "an Audit board")

    assert cmd_review(repo, "HEAD~1", "json") == 0  # what the last commit did; the working tree is HEAD
    data = json.loads(capsys.readouterr().out)
    assert data["pages"]["added"] == ["/boards/audit/", "/handbook/2023-10/boards/audit/"]
    assert data["pages"]["removed"] == []
    changed = {c["url"]: c for c in data["pages"]["changed"]}
    assert "/handbook/2023-10/what-changed/" in changed
    assert any("The Audit board was added." in s for s in changed["/handbook/2023-10/what-changed/"]["added"])
    assert "/handbook/2023-10/boards/risk/" not in changed, "a page that reads the same is not listed"


def test_markdown_for_a_pull_request_with_a_draft_edition(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = subprocess.run([sys.executable, "-m", "generator", "new-edition", "handbook/2024-04", "--from", "handbook/2023-10"],
                          cwd=repo, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(repo)})
    assert made.returncode == 0, made.stderr
    edit(repo, "data/handbook/2024-04/boards/risk.yml", "Overseeing the work of the case panels.",
         "Overseeing the work of the case panels and the MASH.")
    edit(repo, INTRODUCTION, "Every school has a DSL", "Every school and college has a DSL")
    capsys.readouterr()

    assert cmd_review(repo, "main", "markdown") == 0
    out = capsys.readouterr().out
    assert out.startswith("## What this change does to the public site\n")
    summary = re.search(r"\*\*(\d+) (pages?) changed, (\d+) added, 0 removed\*\*", out)
    assert summary, out[:500]
    assert (summary.group(2) == "page") == (summary.group(1) == "1"), "plural agrees with the count"
    assert int(summary.group(3)) > 10, "every page of the draft edition is added"
    assert "- `/handbook/2024-04/boards/risk/`" in out
    assert out.count("<details>") == out.count("</details>") == int(summary.group(1))
    assert ("<details>\n<summary><code>/handbook/2023-10/introduction/</code> (1 sentence removed, 1 added)</summary>\n\n"
            "```diff\n"
            "- Every school has a DSL who can raise a concern with the MASH.\n"
            "+ Every school and college has a DSL who can raise a concern with the MASH.\n"
            "```\n\n</details>\n") in out
    drafts_part = out.split("\n### Draft editions: what their data changes\n")[1]
    assert "handbook/2023-10" in drafts_part and "handbook/2024-04" in drafts_part
    assert "Function reworded" in drafts_part and "MASH" in drafts_part
    assert not re.search(r"^#{1,3} ", drafts_part, flags=re.M), "the draft's headings sit under the section's"

    drafts, shared = review.draft_diffs(repo)
    assert [(d.old, d.new) for d in drafts] == [("handbook/2023-10", "handbook/2024-04")] and shared == []


def test_a_side_that_fails_to_build_prints_its_diagnostics_and_one_line(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, RISK, "name: Risk", "name Risk")
    assert cmd_review(repo, "HEAD", "json") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "data/handbook/2023-10/boards/risk.yml:" in captured.err
    assert captured.err.rstrip().splitlines()[-1] == (
        "error: the site of the working tree failed to build (the diagnostics are above)")
    assert worktrees(repo) == [f"worktree {repo.resolve()}"]


# Reviews that stop before building -------------------------------------------------------------

def test_a_bad_revision_is_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for rev in ("no-such-branch", "HEAD~5", "--all"):
        assert cmd_review(repo, rev, "text") == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == f"error: no git revision '{rev}'; give a commit, branch or tag, e.g. main or HEAD~1\n"
    assert worktrees(repo) == [f"worktree {repo.resolve()}"]


def test_outside_a_git_repository_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_fixture(tmp_path / "project")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert cmd_review(project, "HEAD", "text") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "not in a git repository" in err


# The parts, without building ------------------------------------------------------------------

PAGE = """<html><body><nav class="md-nav">Home Handbook</nav>
<div class="md-content"><article class="md-content__inner md-typeset">
<h1 id="risk">Risk<a class="headerlink" href="#risk" title="Link to this section">&para;</a></h1>
<!-- generated from data/x.yml -->
<p>The board meets in May. It reports to the <abbr title="Management Board">MB</abbr>, e.g. in writing.</p>
<ul><li>One</li><li>Two</li></ul><script>var x = "not text.";</script>
</article></div><footer>Published 1 October 2023.</footer></body></html>"""


def test_the_text_of_a_page_is_its_article_in_sentences() -> None:
    assert review.page_sentences(PAGE) == [
        "Risk", "The board meets in May.", "It reports to the MB, e.g. in writing.", "One", "Two"]
    assert review.page_sentences("<html><body><p>No article.</p></body></html>") == []


def test_long_sentences_are_shortened_around_the_change() -> None:
    words = " ".join(f"word{i}" for i in range(80))
    assert review.shorten("Short.") == "Short."
    cut = review.shorten(words)
    assert len(cut) <= review.MAX_SENTENCE and cut.endswith("…") and cut.startswith("word0 ")
    old, new = words + " old ending.", words + " new ending."
    found = review.compare_sentences(["Same.", old], ["Same.", new])
    removed, added = found.removed, found.added
    assert len(removed[0]) <= review.MAX_SENTENCE and len(added[0]) <= review.MAX_SENTENCE
    assert removed[0].startswith("…") and removed[0].endswith("old ending.")
    assert added[0].endswith("new ending.")


def test_text_and_markdown_say_counts_in_plain_english() -> None:
    one = SiteDiff(added=["/new/"], changed=[PageChange("/a/", ["Old ```fenced``` one."], ["New one."])])
    assert review.summary(one) == "1 page changed, 1 added, 0 removed"
    assert review.summary(SiteDiff(changed=[PageChange("/a/"), PageChange("/b/")])) == "2 pages changed, 0 added, 0 removed"
    assert review.as_text("main", one, []).split("\n") == [
        "Compared with main: 1 page changed, 1 added, 0 removed", "", "Added:", "  /new/", "",
        "/a/", "  - Old ```fenced``` one.", "  + New one."]
    markdown = review.as_markdown("main", one, [])
    assert "<summary><code>/a/</code> (1 sentence removed, 1 added)</summary>\n\n````diff\n- Old ```fenced``` one.\n+ New one.\n````\n" in markdown
    assert json.loads(review.as_json("main", one, [])) == {"rev": "main", "pages": {
        "added": ["/new/"], "removed": [], "changed": [{"url": "/a/", "removed": ["Old ```fenced``` one."], "added": ["New one."]}]},
        "drafts": [], "published_changed_without_correction": []}


# The workflow ----------------------------------------------------------------------------------

def test_the_workflow_writes_the_review_of_each_pull_request_to_its_summary() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "make .venv/bin/mktogether" in runs
    review_step = next(s for s in steps if "mktogether review" in s.get("run", ""))
    assert "--format markdown" in review_step["run"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in review_step["run"]
    assert "origin/" in review_step["run"] and "github.base_ref" in str(review_step)
