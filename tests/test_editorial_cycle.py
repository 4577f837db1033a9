"""Where one command hands over to the next, on the fixture: a correction reaches every later draft
and is never published again; a draft is a workspace, unfinished for days, whose unwritten parts
are warnings until it is published; a new year starts as that year; a hint runs as printed; a
change to a shared file that alters a published edition is said; the preview lists errors first."""
from __future__ import annotations

import datetime as dt
import re
import shlex
import subprocess
from pathlib import Path

from conftest import FIXTURE_DISAGREEMENT, fill_in, run_cli
from generator.diagnostics import Location, Report
from generator.preview import error_page

HANDBOOK, YEAR = "handbook/2023-10", "annual-report/2023-24"
DRAFT = "handbook/2024-04"
RISK = "boards/risk.yml"


def diagnostics(result, severity: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in result.stderr.splitlines() if f": {severity}" in line and re.search(r":\d+:\d+: (error|warning): ", line)]


def recorded_with_a_draft(project: Path) -> None:
    """The Handbook in force, recorded as published, and the next revision begun from it."""
    assert run_cli(project, "publish", HANDBOOK, "--date", "2023-10-01").returncode == 0  # records it
    assert run_cli(project, "new-edition", DRAFT, "--from", HANDBOOK).returncode == 0


def test_a_correction_is_made_in_every_later_draft_that_holds_the_words(project: Path) -> None:
    recorded_with_a_draft(project)
    published, draft = project / "data" / HANDBOOK / RISK, project / "data" / DRAFT / RISK
    published.write_text(published.read_text().replace("Reviewing data and intelligence", "Reviewing the data and intelligence"))
    done = run_cli(project, "correct", HANDBOOK, "--what", "The Risk Board reviews the data.", "--why", "A word was missing.")
    assert done.returncode == 0, done.stderr
    assert f"made the same correction in the draft {DRAFT}: data/{DRAFT}/{RISK}." in done.stderr
    assert "Reviewing the data and intelligence" in draft.read_text() and "Reviewing data" not in draft.read_text()
    assert f"date: {dt.date.today().isoformat()}" in (project / "data" / HANDBOOK / "edition.yml").read_text(), \
        "the correction is dated today when --date is not given"
    diff = run_cli(project, "diff", HANDBOOK, DRAFT)
    assert diff.returncode == 0 and "Reviewing" not in diff.stdout, "the draft re-adds nothing that was corrected"
    assert diagnostics(run_cli(project, "check"), "error") == []


def test_a_correction_says_where_a_draft_has_changed_the_words_since(project: Path) -> None:
    recorded_with_a_draft(project)
    for command in (["init", "-q"], ["add", "."], ["-c", "user.name=Comms", "-c", "user.email=comms@example.org",
                                                   "commit", "-q", "-m", "as published"]):
        subprocess.run(["git", "-C", str(project), *command], check=True, capture_output=True)
    # the words as published are in the git history alone: the record keeps a hash of each line
    published, draft = project / "data" / HANDBOOK / RISK, project / "data" / DRAFT / RISK
    draft.write_text(draft.read_text().replace("Reviewing data and intelligence", "Reviewing evidence and intelligence"))
    published.write_text(published.read_text().replace("Reviewing data and intelligence", "Reviewing the data and intelligence"))
    done = run_cli(project, "correct", HANDBOOK, "--what", "The Risk Board reviews the data.", "--why", "A word was missing.")
    assert done.returncode == 0, done.stderr
    assert f"data/{DRAFT}/{RISK} (where it read 'Reviewing data and') has changed there since: read it, and correct it " \
           "there too if it still needs it." in done.stderr
    assert "Reviewing evidence and intelligence" in draft.read_text(), "the draft's own words are the editor's"


def test_a_draft_that_brings_corrected_words_back_is_warned_and_cannot_be_published(project: Path) -> None:
    recorded_with_a_draft(project)
    published, draft = project / "data" / HANDBOOK / RISK, project / "data" / DRAFT / RISK
    before = draft.read_text()
    published.write_text(published.read_text().replace("Reviewing data and intelligence", "Reviewing the data and intelligence"))
    assert run_cli(project, "correct", HANDBOOK, "--what", "The Risk Board reviews the data.", "--why", "A word was missing.",
                   "--date", "2024-01-15").returncode == 0
    draft.write_text(before)  # as a branch begun before the correction brings it back when merged
    line = next(i for i, text in enumerate(before.splitlines(), 1) if "Reviewing data" in text)
    col = before.splitlines()[line - 1].index("Reviewing data") + 1
    checked = run_cli(project, "check")
    assert checked.returncode == 0
    assert f"data/{DRAFT}/{RISK}:{line}:{col}: warning: 'Reviewing data and' was corrected in {HANDBOOK} on 15 January " \
           "2024 (The Risk Board reviews the data.); write 'Reviewing the data and' here too, as the correction did" \
           in checked.stderr
    fill_in(project, DRAFT)
    refused = run_cli(project, "publish", DRAFT, "--date", "2024-04-01")
    assert refused.returncode == 1 and f"data/{DRAFT}/{RISK}:{line}:{col}: error: 'Reviewing data and' was corrected" \
        in refused.stderr
    assert "status: draft" in (project / "data" / DRAFT / "edition.yml").read_text(), "nothing written"


def test_the_lock_hints_run_as_printed(project: Path) -> None:
    assert run_cli(project, "publish", HANDBOOK, "--date", "2023-10-01").returncode == 0
    board = project / "data" / HANDBOOK / RISK
    board.write_text(board.read_text().replace("Reviewing data", "Reviewing the data"))
    message = diagnostics(run_cli(project, "check"), "error")[0]
    commands = re.findall(r"\((mktogether [^()]+)\)", message)
    assert [c.split()[1] for c in commands] == ["correct", "new-edition"], message
    placeholder = run_cli(project, *shlex.split(commands[0])[1:])
    assert placeholder.returncode == 1 and placeholder.stderr.startswith('error: --what "..." says nothing; say it in a '
                                                                          "sentence"), placeholder.stderr
    assert len(placeholder.stderr.splitlines()) == 1
    said = shlex.split(commands[0].replace('"..."', '"Words as corrected."'))
    corrected = run_cli(project, *said[1:])
    assert corrected.returncode == 0, corrected.stderr
    assert "so does its What changed page" in corrected.stderr
    started = run_cli(project, *shlex.split(commands[1])[1:])  # the other way: a new edition
    assert started.returncode == 0, started.stderr


def test_a_correction_to_a_report_speaks_of_what_a_report_has(project: Path) -> None:
    assert run_cli(project, "publish", YEAR, "--date", "2024-07-01").returncode == 0
    prose = next((project / "content" / YEAR).glob("*.md"))
    prose.write_text(prose.read_text() + "\nA sentence left out.\n")
    done = run_cli(project, "correct", YEAR, "--what", "A sentence was restored.", "--why", "It was left out.")
    assert done.returncode == 0 and "What changed" not in done.stderr and "so does its front page" in done.stderr


def test_a_draft_year_half_written_previews_every_page_and_publishing_lists_what_is_left(project: Path, tmp_path: Path) -> None:
    assert run_cli(project, "new-edition", "annual-report/2024-25", "--from", YEAR).returncode == 0
    attendance = project / "data/annual-report/2024-25/attendance.yml"
    text = attendance.read_text().replace("meetings: []", "meetings:\n- label: May 24\n  month: '2024-05'", 1)
    attendance.write_text(text.replace("marks: []", "marks:\n  - present", 1))
    checked = run_cli(project, "check")
    assert checked.returncode == 0, checked.stderr
    unwritten = diagnostics(checked, "warning: not yet written")
    marks = [line for line in unwritten if "attendance.yml" in line]
    assert marks and all("(0 of 1 meeting marked); give one mark a meeting" in line for line in marks)
    built = run_cli(project, "build", "--drafts", "--strict", "--site-dir", str(tmp_path / "drafts"))
    assert built.returncode == 1, "a draft's unwritten parts are warnings, which --strict counts in a build of drafts"
    built = run_cli(project, "build", "--drafts", "--site-dir", str(tmp_path / "drafts"))
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "drafts/annual-report/2024-25/attendance/index.html").read_text()
    assert f"Still to do on this page: {len(marks)} of the {len(unwritten)} in this edition" in page
    assert page.count("(not yet recorded)") == len(marks) and "marks still to record" in page
    front = (tmp_path / "drafts/annual-report/2024-25/index.html").read_text()
    assert f"Still to do before it is published: {len(unwritten)}" in front and "last updated" not in front
    public = run_cli(project, "build", "--strict", "--site-dir", str(tmp_path / "public"))
    assert public.returncode == 1 and diagnostics(public, "warning") == [FIXTURE_DISAGREEMENT], \
        "a public build says nothing of a draft it does not build"
    refused = run_cli(project, "publish", "annual-report/2024-25", "--date", "2025-07-01")
    assert refused.returncode == 1
    errors = diagnostics(refused, "error")
    assert len(errors) >= len(unwritten) and f"cannot be published while the project has {len(errors)} errors" in refused.stderr


def test_a_draft_says_what_it_is_and_its_what_changed_only_the_editors_changes(project: Path, tmp_path: Path) -> None:
    assert run_cli(project, "new-edition", DRAFT, "--from", HANDBOOK).returncode == 0
    diff = run_cli(project, "diff", HANDBOOK, DRAFT)
    assert diff.stdout.startswith(f"Changes from {HANDBOOK} to {DRAFT}: no changes"), diff.stdout
    assert run_cli(project, "build", "--drafts", "--site-dir", str(tmp_path / "site")).returncode == 0
    page = (tmp_path / "site" / DRAFT / "what-changed/index.html").read_text()
    assert "last updated" not in page and "Not yet published" in page
    assert "Still to do before it is published: 2" in page, "the summary and the change notes, said once"
    assert not re.search(r"Subtitle removed|Summary removed|change notes? no longer", page)


def test_a_new_year_starts_as_that_year_and_last_years_text_is_warned(project: Path) -> None:
    assert run_cli(project, "new-edition", "annual-report/2024-25", "--from", YEAR).returncode == 0
    titles = re.findall(r"(?m)^  title: (.*)$", (project / "data/annual-report/2024-25/edition.yml").read_text())
    old = re.findall(r"(?m)^    title: (.*)$", (project / "data" / YEAR / "edition.yml").read_text())
    assert any("23/24" in t or "2023" in t for t in old), "the fixture names its year in a title"
    assert not any("23/24" in t or "2023-24" in t for t in titles) and any("24/25" in t or "2024" in t for t in titles)
    last = (project / "content" / YEAR / "introduction.md").read_text()
    (project / "content/annual-report/2024-25/introduction.md").write_text(last)
    warned = [line for line in diagnostics(run_cli(project, "check"), "warning") if "last year's period" in line]
    lines = [n for n, text in enumerate(last.splitlines(), 1) if re.search(r"2023.{0,4}(24|2024)\b", text)]
    assert lines and [int(w.split(":")[1]) for w in warned] == lines
    assert all(w.startswith("content/annual-report/2024-25/introduction.md:") for w in warned)


def test_an_unknown_organisation_names_the_file_to_create_and_suggests_only_near_spellings(project: Path) -> None:
    board = project / "data" / HANDBOOK / RISK
    text = board.read_text()
    for typed, said in [("fixture-college", "unknown organisation 'fixture-college'; if it is a new organisation, create "
                         "data/organisations/fixture-college.yml with its id and name (id: fixture-college, name: ...); "
                         "see the README, 'A new organisation'"),
                        ("polise", "unknown organisation 'polise'; did you mean 'police'?")]:
        board.write_text(re.sub(r"(?m)^(\s+- )police$", rf"\g<1>{typed}", text, count=1))
        errors = diagnostics(run_cli(project, "check"), "error")
        assert len(errors) == 1 and errors[0].endswith(said), errors


def test_a_shared_change_that_alters_a_published_edition_is_said_until_recorded(project: Path, tmp_path: Path) -> None:
    assert run_cli(project, "publish", HANDBOOK, "--date", "2023-10-01").returncode == 0
    glossary = project / "data/glossary.yml"
    glossary.write_text(glossary.read_text().replace("meaning: Multi-Agency Safeguarding Hub",
                                                     "meaning: Multi-Agency Safeguarding Hub (the front door)"))
    line = next(i for i, t in enumerate(glossary.read_text().splitlines(), 1) if "(the front door)" in t)
    warned = [w for w in diagnostics(run_cli(project, "check"), "warning") if w != FIXTURE_DISAGREEMENT]
    assert warned == [f"data/glossary.yml:{line}:14: warning: The glossary's meaning of 'MASH' was 'Multi-Agency "
                      "Safeguarding Hub' and is now 'Multi-Agency Safeguarding Hub (the front door)': this changes the "
                      f"pages of the published {HANDBOOK}; record it as a correction, dated, as the pages show it now: "
                      f"mktogether correct {HANDBOOK} --what \"...\" --why \"...\""]
    assert run_cli(project, "build", "--site-dir", str(tmp_path / "before")).returncode == 0
    for page in ("index.html", "what-changed/index.html"):
        shown = (tmp_path / "before" / HANDBOOK / page).read_text()
        assert "Changed since publication" in shown and "(the front door)" in shown, page
    police = project / "data/organisations/police.yml"
    police.write_text(police.read_text().replace("name: Fixture Police", "name: Fixture Constabulary"))
    renamed = [w for w in diagnostics(run_cli(project, "check"), "warning") if "named 'Fixture Police'" in w]
    assert len(renamed) == 1 and f"edition_names: {{{HANDBOOK}: Fixture Police}}" in renamed[0]
    police.write_text(police.read_text() + f"edition_names:\n  {HANDBOOK}: Fixture Police\n")
    assert not [w for w in diagnostics(run_cli(project, "check"), "warning") if "named 'Fixture Police'" in w]
    done = run_cli(project, "correct", HANDBOOK, "--what", "MASH is explained as the front door.", "--why", "Readers asked.")
    assert done.returncode == 0 and "data/glossary.yml" in done.stderr
    assert [w for w in diagnostics(run_cli(project, "check"), "warning") if w != FIXTURE_DISAGREEMENT] == []
    assert run_cli(project, "build", "--site-dir", str(tmp_path / "after")).returncode == 0
    front = re.sub(r"<[^>]+>", "", (tmp_path / "after" / HANDBOOK / "index.html").read_text())
    assert "Changed since publication" not in front and "MASH is explained as the front door." in front


def test_the_problem_page_lists_errors_before_warnings() -> None:
    report = Report()
    report.warning(Location("data/a.yml", 1, 1), "a warning first by place")
    report.error(Location("data/z.yml", 9, 1), "an error later by place")
    page = error_page(report).decode()
    assert page.index("an error later by place") < page.index("a warning first by place")
