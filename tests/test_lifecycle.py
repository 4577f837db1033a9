"""Editions' lifecycle, on the fixture: a Handbook is a series of revisions, an annual report one a
year; new-edition starts each as its kind needs; publish records what was published, after which
the edition changes only by a recorded correction; board meetings make sense."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from conftest import FIXTURE_DISAGREEMENT, fill_in, run_cli
from generator.derive import Timeline
from generator.documents import next_edition_id
from generator.load import load_project

HANDBOOK, YEAR = "handbook/2023-10", "annual-report/2023-24"


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def lines_of(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]


def test_a_handbook_revision_starts_as_a_draft_copy_with_no_date(project: Path) -> None:
    made = run_cli(project, "new-edition", "handbook/2024-04", "--from", HANDBOOK)
    assert made.returncode == 0, made.stderr
    assert "a draft revision of handbook/2023-10" in made.stderr and "mktogether publish handbook/2024-04" in made.stderr
    edition = yaml.safe_load((project / "data/handbook/2024-04/edition.yml").read_text())
    assert edition["status"] == "draft" and edition["follows"] == HANDBOOK
    assert "published" not in edition and "subtitle" not in edition, "the date and subtitle come when it is published"
    assert edition["summary"] is None and edition["change_notes"] == []
    assert "# one or two sentences" in (project / "data/handbook/2024-04/edition.yml").read_text()
    assert [s["id"] for s in edition["sections"]] == [s["id"] for s in yaml.safe_load(
        (project / f"data/{HANDBOOK}/edition.yml").read_text())["sections"]]
    assert (project / "data/handbook/2024-04/boards/risk.yml").read_text() == (project / f"data/{HANDBOOK}/boards/risk.yml").read_text()
    assert (project / "content/handbook/2024-04/introduction.md").is_file()
    assert "DRAFT" not in run_cli(project, "build", "--site-dir", str(project / "public")).stderr


def test_a_new_year_starts_empty_with_its_period_from_its_id(project: Path) -> None:
    made = run_cli(project, "new-edition", "annual-report/2024-25", "--from", YEAR)
    assert made.returncode == 0, made.stderr
    assert "1 April 2024 to 31 March 2025" in made.stderr and "figures in budget.yml" in made.stderr
    data = project / "data/annual-report/2024-25"
    edition = yaml.safe_load((data / "edition.yml").read_text())
    assert edition["title"] == "Fixture Safeguarding Annual Report 2024-2025"
    assert edition["period"] == "1 April 2024 to 31 March 2025"
    assert (str(edition["covers_from"]), str(edition["covers_to"])) == ("2024-04-01", "2025-03-31")
    assert "follows" not in edition and "published" not in edition and edition["summary"] is None
    attendance = yaml.safe_load((data / "attendance.yml").read_text())
    assert attendance["meetings"] == [] and all(row["marks"] == [] for row in attendance["members"])
    board = yaml.safe_load((project / f"data/{HANDBOOK}/boards/management-board.yml").read_text())
    assert [row["label"] for row in attendance["members"]] == [m["label"] for m in board["members"]], \
        "the members of the Handbook in force on 1 April 2024"
    budget = yaml.safe_load((data / "budget.yml").read_text())
    assert budget["contributions_title"] == "Agency contributions for 2024/25"
    assert all(set(row) <= {"label", "organisations"} for row in budget["contributions"]), "no figures"
    assert budget["brought_forward"] == {"label": "Brought forward from 23/24"}
    prose = (project / "content/annual-report/2024-25/introduction.md").read_text()
    assert prose.startswith("*To be written:") and prose.count("\n") == 1, "a heading-free one-line prompt"
    assert sorted(p.stem for p in (data / "reports").glob("*.yml")) == ["police", "risk"]
    assert (project / "content/annual-report/2024-25/reports/police.md").read_text().startswith("*To be written:")
    checked = run_cli(project, "check")
    assert checked.returncode == 0, "a draft just started is unfinished, not wrong"
    unwritten = [line for line in lines_of(checked) if ": warning: not yet written: " in line]
    assert [line for line in lines_of(checked) if line not in unwritten] == [FIXTURE_DISAGREEMENT]
    assert {line.split(":")[0] for line in unwritten} == {
        "data/annual-report/2024-25/edition.yml", "data/annual-report/2024-25/budget.yml",
        *(f"content/annual-report/2024-25/{name}.md" for name in ("introduction", "reports/police", "reports/risk"))}, \
        "the summary, the figures (once), and each page still holding its prompt"


def test_new_edition_refuses_in_one_line_and_writes_nothing(project: Path) -> None:
    before = tree(project)
    for args, said in [
        (["handbook/2024-13", "--from", HANDBOOK], "error: 'handbook/2024-13' names no month"),
        (["annual-report/2024-26", "--from", YEAR], "error: 'annual-report/2024-26' is not a reporting year"),
        (["handbook/2023-04", "--from", HANDBOOK], "error: data/handbook/2023-04/ exists already"),
        (["handbook/2024-04", "--from", YEAR], "error: 'annual-report/2023-24' is an edition of another document"),
        (["handbook/2024-04", "--from", "handbook/2020-01"], "error: there is no edition 'handbook/2020-01'"),
    ]:
        result = run_cli(project, "new-edition", *args)
        assert result.returncode == 1 and result.stderr.startswith(said) and len(result.stderr.splitlines()) == 1, result.stderr
    assert tree(project) == before


def test_publish_sets_date_subtitle_and_record_and_supersedes_the_last(project: Path) -> None:
    assert run_cli(project, "new-edition", "handbook/2024-04", "--from", HANDBOOK).returncode == 0
    refused = run_cli(project, "publish", "handbook/2024-04", "--date", "2024-04-01")
    assert refused.returncode == 1 and "a published edition needs a summary" in refused.stderr
    assert not (project / "data/handbook/2024-04/record.yml").exists(), "nothing written"
    fill_in(project, "handbook/2024-04")
    done = run_cli(project, "publish", "handbook/2024-04", "--date", "2024-04-01")
    assert done.returncode == 0, done.stderr
    assert "subtitled 'Revised April 2024'" in done.stderr and "handbook/2023-10 is now superseded" in done.stderr
    edition = yaml.safe_load((project / "data/handbook/2024-04/edition.yml").read_text())
    assert (edition["status"], str(edition["published"]), edition["subtitle"]) == ("published", "2024-04-01", "Revised April 2024")
    record = yaml.safe_load((project / "data/handbook/2024-04/record.yml").read_text())
    assert "data/handbook/2024-04/boards/risk.yml" in record["files"]
    project_data, _ = load_project(project)
    timeline = Timeline(project_data)
    assert timeline.status(project_data.editions[HANDBOOK]) == "superseded"
    again = run_cli(project, "publish", "handbook/2024-04", "--date", "2024-05-01")
    assert again.returncode == 1 and "a published edition is a record" in again.stderr


def test_a_years_report_is_never_superseded_by_the_next(project: Path) -> None:
    assert run_cli(project, "new-edition", "annual-report/2024-25", "--from", YEAR).returncode == 0
    edition = project / "data/annual-report/2024-25/edition.yml"
    edition.write_text(edition.read_text().replace("status: draft", "status: published\npublished: 2025-07-01")
                       .replace("summary: null", "summary: The next year."))
    for prose in (project / "content/annual-report/2024-25").rglob("*.md"):  # each page's text written
        prose.write_text(prose.read_text().replace("*To be written:", "Written:", 1))
    budget = project / "data/annual-report/2024-25/budget.yml"  # this year's figures, which agree with their lines
    figures = yaml.safe_load(budget.read_text())
    for row in figures["contributions"]:
        row["childrens"] = -100
    figures["brought_forward"]["amount"] = -50
    figures["contributions_line"]["amount"] = -100 * len(figures["contributions"])
    for line in figures["expenditure"]:
        line["amount"] = 10
    figures["carried_forward"]["amount"] = -50 - 100 * len(figures["contributions"]) + 10 * len(figures["expenditure"])
    budget.write_text(budget.read_text().split("\ncontributions_title")[0] + "\n" + yaml.safe_dump(figures, sort_keys=False))
    project_data, report = load_project(project)
    timeline = Timeline(project_data)
    assert timeline.status(project_data.editions[YEAR]) == "published"
    assert timeline.latest("annual-report").id == "annual-report/2024-25"
    site = project / "site"
    built = run_cli(project, "build", "--site-dir", str(site))
    assert built.returncode == 0, built.stderr
    page = (site / YEAR / "index.html").read_text()
    assert "superseded" not in page.split('class="mkt-editions"')[0]
    assert re.search(r'<a href="\.\./2024-25/">2024-25</a>.*<a href="\./" aria-current="page">2023-24</a>', page, re.S), \
        "every year listed, newest first"


def test_a_published_edition_is_locked_until_a_correction_is_recorded(project: Path) -> None:
    assert run_cli(project, "publish", HANDBOOK, "--date", "2023-10-01").returncode == 0  # records it
    board = project / f"data/{HANDBOOK}/boards/risk.yml"
    board.write_text(board.read_text().replace("Reviewing data", "Reviewing the data"))
    line = next(i for i, text in enumerate(board.read_text().splitlines(), 1) if "Reviewing the data" in text)
    locked = run_cli(project, "check")
    assert locked.returncode == 1
    next_id = next_edition_id("handbook", {"handbook/2023-04", HANDBOOK})
    assert [e for e in lines_of(locked) if ": error: " in e] == [
        f"data/{HANDBOOK}/boards/risk.yml:{line}:1: error: handbook/2023-10 was published on 1 October 2023 and this file "
        "has changed since; a published edition is a record: record this as a correction (mktogether correct "
        "handbook/2023-10 --what \"...\" --why \"...\"); or put it back and start a new edition (mktogether new-edition "
        f"{next_id} --from handbook/2023-10)"]
    board.write_text(board.read_text().replace("name: Risk\n", "nme: Risk\n"))
    both = [e for e in lines_of(run_cli(project, "check")) if ": error: " in e]
    assert len(both) == 2 and all(e.startswith(f"data/{HANDBOOK}/boards/risk.yml:") for e in both), \
        "the lock error comes besides the file's own diagnostic, never instead of it"
    board.write_text(board.read_text().replace("nme: Risk\n", "name: Risk\n"))
    corrected = run_cli(project, "correct", HANDBOOK, "--what", "The Risk Board reviews the data.",
                        "--why", "A word was missing in the published edition.", "--date", "2024-01-15")
    assert corrected.returncode == 0, corrected.stderr
    assert run_cli(project, "check").returncode == 0
    built = run_cli(project, "build", "--site-dir", str(project / "out"))
    assert built.returncode == 0, built.stderr
    risk = (project / "out" / HANDBOOK / "boards/risk/index.html").read_text()
    assert "Corrected on 15 January 2024:</strong> The Risk Board reviews the data. A word was missing" in risk
    assert "Corrected on" not in (project / "out" / HANDBOOK / "boards/review/index.html").read_text()
    assert "Corrected on 15 January 2024: The Risk Board reviews the data." in \
        (project / "out" / HANDBOOK / "what-changed/index.html").read_text()


def test_drafts_and_files_outside_editions_are_not_locked(project: Path) -> None:
    assert run_cli(project, "publish", HANDBOOK, "--date", "2023-10-01").returncode == 0
    glossary = project / "data/glossary.yml"
    glossary.write_text(glossary.read_text().replace("meaning: ", "meaning: The ", 1))
    assert run_cli(project, "new-edition", "handbook/2024-04", "--from", HANDBOOK).returncode == 0
    board = project / "data/handbook/2024-04/boards/risk.yml"
    board.write_text(board.read_text().replace("Reviewing data", "Reviewing the data"))
    assert [e for e in lines_of(run_cli(project, "check")) if ": error: " in e] == []


def test_a_board_page_shows_its_months_and_the_frequency_must_agree(project: Path, built_fixture: Path) -> None:
    page = (built_fixture / HANDBOOK / "boards/management-board/index.html").read_text()
    assert re.search(r"<dt>Meets in</dt>\s*<dd>May, August, November and February</dd>", page)
    board = project / f"data/{HANDBOOK}/boards/management-board.yml"
    board.write_text(board.read_text().replace("    - 2\n", "    - 3\n"))
    line = next(i for i, text in enumerate(board.read_text().splitlines(), 1) if "frequency:" in text)
    assert f"data/{HANDBOOK}/boards/management-board.yml:{line}:14: warning: the frequency names May, August, November and " \
           "February but months lists May, August, November and March; make them agree" in run_cli(project, "check").stderr
    board.write_text(board.read_text().replace("    - 3\n", "    - 2\n").replace("Four times", "Three times"))
    assert "warning: the frequency says three times a year but per_year is 4; make them agree" in run_cli(project, "check").stderr


def test_a_meeting_outside_the_reports_year_is_an_error(project: Path) -> None:
    attendance = project / f"data/{YEAR}/attendance.yml"
    attendance.write_text(attendance.read_text().replace("month: '2024-02'", "month: '2024-05'"))
    line = next(i for i, text in enumerate(attendance.read_text().splitlines(), 1) if "2024-05" in text)
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert f"data/{YEAR}/attendance.yml:{line}:12: error: the meeting of 2024-05 is outside the period this report " \
           "covers, 1 April 2023 to 31 March 2024; check the month" in result.stderr


def test_a_command_run_in_a_folder_deleted_meanwhile_says_so_in_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT

    gone = tmp_path / "gone"
    gone.mkdir()
    script = f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); from generator.cli import main; sys.exit(main(['check']))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == "error: the folder you are in no longer exists; cd into the project's folder again\n"
