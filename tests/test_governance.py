"""The partnership's governance record: which board approved an edition, on which day, under which
minute (publish --approved-by); who owns each document and when the edition in force is next due for
review (data/<document>/document.yml, publish --review-by, check --today)."""
from __future__ import annotations

import datetime as dt
import hashlib
import html
from pathlib import Path

import yaml
from pypdf import PdfReader

from conftest import fill_in, run_cli

NEW = "handbook/2024-04"
MEETINGS = "data/meetings/fixture-partnership"


def _draft(project: Path) -> None:
    assert run_cli(project, "new-edition", NEW, "--from", "handbook/2023-10").returncode == 0
    fill_in(project, NEW)


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _text(path: Path) -> str:
    return html.unescape(path.read_text())


def test_publish_records_the_approval_and_the_front_page_and_feed_say_so(project: Path, tmp_path: Path) -> None:
    minutes = (project / MEETINGS / "2019-01-15.yml").read_text()
    (project / MEETINGS / "2024-03-15.yml").write_text(minutes.replace("date: 2019-01-15", "date: 2024-03-15")
                                                       .replace("Tuesday 15 January 2019", "Friday 15 March 2024")
                                                       .replace("next_meeting: 2019-04-16", "next_meeting: 2024-06-18"))
    _draft(project)
    done = run_cli(project, "publish", NEW, "--date", "2024-04-01", "--approved-by", "management-board",
                   "--minute", "FX2", "--approved-on", "2024-03-15")
    assert done.returncode == 0, done.stderr
    assert "approved by the Fixture Management Board on 15 March 2024 (minute FX2)" in done.stderr
    edition = yaml.safe_load((project / f"data/{NEW}/edition.yml").read_text())
    assert edition["approval"] == {"board": "management-board", "date": dt.date(2024, 3, 15), "minute": "FX2"}

    site = tmp_path / "site"
    built = run_cli(project, "build", "--site-dir", str(site))
    assert built.returncode == 0, built.stderr
    said = "Approved by the Fixture Management Board on 15 March 2024 (minute FX2)."
    front = _text(site / NEW / "index.html")
    assert '<p class="mkt-meta mkt-approval">Approved by the Fixture Management Board on 15 March 2024 (<a href="../../archive/' \
           'meetings/fixture-partnership/2024-03-15/#fx2">minute FX2</a>).</p>' in front
    assert 'Approved by the Fixture Management Board on 15 March 2024 (<a href="../archive/meetings/fixture-partnership/' \
           '2024-03-15/#fx2">minute FX2</a>).' in _text(site / "handbook/index.html")  # /handbook/: the edition in force
    cover = PdfReader(site / NEW / "mktogether-handbook-2024-04.pdf").pages[0].extract_text()
    assert said in cover.replace("\n", " ")
    feed = _text(site / "feed.xml")
    assert f"6 changes to the edition. {said}</summary>" in feed
    assert '(<a href="https://www.mktogether.co.uk/archive/meetings/fixture-partnership/2024-03-15/#fx2">minute FX2</a>)' in feed
    for older in ("handbook/2023-10", "handbook/2023-04", "annual-report/2023-24"):  # published before: nothing invented
        assert "Approved by" not in _text(site / older / "index.html"), older
    assert feed.count("Approved by") == 2  # the summary and the content of the one entry


def test_an_approval_defaults_to_the_day_published_and_a_wrong_one_is_refused(project: Path) -> None:
    _draft(project)
    before = tree(project)
    for options, said in (
        (["--approved-by", "tasking", "--minute", "6"],
         "'tasking' is not a board of the Partnership Handbook in force on 1 April 2024 (handbook/2023-10); its boards "
         "are: health-and-wellbeing, management-board, risk, review"),
        (["--approved-by", "management-board", "--minute", "6", "--approved-on", "2024-04-02"],
         "the approval, on 2 April 2024, is after the edition was published on 1 April 2024; write the day the board "
         "approved it, on or before that"),
        (["--approved-by", "management-board"], "an approval needs the board and the minute"),
        (["--approved-by", "management-board", "--minute", "..."], "--minute \"...\" says nothing"),
    ):
        refused = run_cli(project, "publish", NEW, "--date", "2024-04-01", *options)
        assert refused.returncode == 1 and said in refused.stderr, refused.stderr
        assert refused.stderr.count(": error: ") <= 1, refused.stderr
        assert tree(project) == before, "nothing written"
    done = run_cli(project, "publish", NEW, "--date", "2024-04-01", "--approved-by", "management-board", "--minute", "6")
    assert done.returncode == 0, done.stderr
    edition = yaml.safe_load((project / f"data/{NEW}/edition.yml").read_text())
    assert edition["approval"] == {"board": "management-board", "date": dt.date(2024, 4, 1), "minute": "6"}


def test_publish_sets_the_review_date_from_the_documents_interval_or_review_by(project: Path) -> None:
    _draft(project)
    assert run_cli(project, "publish", NEW, "--date", "2024-02-29").returncode == 0
    assert yaml.safe_load((project / f"data/{NEW}/edition.yml").read_text())["review_by"] == dt.date(2025, 2, 28)
    assert run_cli(project, "new-edition", "annual-report/2024-25", "--from", "annual-report/2023-24").returncode == 0
    chosen = run_cli(project, "new-edition", "handbook/2024-10", "--from", NEW)
    assert chosen.returncode == 0, chosen.stderr
    fill_in(project, "handbook/2024-10")
    done = run_cli(project, "publish", "handbook/2024-10", "--date", "2024-10-01", "--review-by", "2025-06-30")
    assert done.returncode == 0 and "next review due by 30 June 2025" in done.stderr, done.stderr
    assert yaml.safe_load((project / "data/handbook/2024-10/edition.yml").read_text())["review_by"] == dt.date(2025, 6, 30)


def test_check_warns_of_a_review_due_in_60_days_and_overdue_never_in_the_build(project: Path, tmp_path: Path) -> None:
    _draft(project)
    assert run_cli(project, "publish", NEW, "--date", "2024-04-01").returncode == 0  # due 1 April 2025
    line = next(i for i, text in enumerate((project / f"data/{NEW}/edition.yml").read_text().splitlines(), 1)
                if text.startswith("review_by:"))
    where = f"data/{NEW}/edition.yml:{line}:12: warning: the Partnership Handbook in force ({NEW}) "

    def review_warnings(*today: str) -> list[str]:
        checked = run_cli(project, "check", *(["--today", *today] if today else []))
        assert checked.returncode == 0, checked.stderr
        return [w for w in checked.stderr.splitlines() if "for review" in w]

    assert review_warnings("2025-01-30") == []  # 61 days before
    assert review_warnings("2025-01-31") == [where + "is due for review on 1 April 2025, in 60 days; start its successor: "
                                             "mktogether new-edition handbook/2025-01 --from handbook/2024-04"]
    assert run_cli(project, "new-edition", "handbook/2025-05", "--from", NEW).returncode == 0
    assert review_warnings("2025-04-03") == [where + "was due for review on 1 April 2025, 2 days ago; publish "
                                             "handbook/2025-05 once it is approved"]
    assert len(review_warnings()) == (dt.date.today() >= dt.date(2025, 1, 31))  # against the real date by default
    built = run_cli(project, "build", "--site-dir", str(tmp_path / "site"))
    assert built.returncode == 0 and "for review" not in built.stderr, built.stderr
    strict = run_cli(project, "build", "--strict", "--site-dir", str(tmp_path / "strict"))
    assert "for review" not in strict.stderr  # a day passing never stops the publish workflow's build


def test_the_front_page_names_the_owner_and_the_next_review(project: Path, tmp_path: Path) -> None:
    _draft(project)
    assert run_cli(project, "publish", NEW, "--date", "2024-04-01").returncode == 0
    built = run_cli(project, "build", "--drafts", "--site-dir", str(tmp_path / "site"))
    assert built.returncode == 0, built.stderr
    front = _text(tmp_path / "site" / NEW / "index.html")
    assert '<p class="mkt-meta mkt-review">Owner: Fixture Management Board. Next review due: 1 April 2025.</p>' in front
    superseded = _text(tmp_path / "site/handbook/2023-10/index.html")
    assert '<p class="mkt-meta mkt-review">Owner: Fixture Management Board.</p>' in superseded  # no review: superseded
    assert '<p class="mkt-meta mkt-review">Owner: Fixture Management Board.</p>' in \
        _text(tmp_path / "site/annual-report/2023-24/index.html")  # a year's report has no review interval


def test_a_revision_comes_into_force_on_its_day_and_handbook_switches_then(project: Path, tmp_path: Path) -> None:
    _draft(project)
    done = run_cli(project, "publish", NEW, "--date", "2024-04-01", "--in-force-from", "2024-05-01",
                   "--approved-by", "management-board", "--minute", "3")
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load((project / f"data/{NEW}/edition.yml").read_text())["review_by"] == dt.date(2025, 5, 1)
    sites = {}
    for day in ("2024-04-30", "2024-05-01"):
        sites[day] = tmp_path / day
        built = run_cli(project, "build", "--as-of", day, "--site-dir", str(sites[day]))
        assert built.returncode == 0, built.stderr
    before, after = sites["2024-04-30"], sites["2024-05-01"]

    # the day before: the edition in force stays in force; the new one says when it comes into force
    assert 'rel="canonical" href="https://www.mktogether.co.uk/handbook/2023-10/"' in _text(before / "handbook/index.html")
    front = _text(before / NEW / "index.html")
    assert '<p class="mkt-meta">Published 1 April 2024. Comes into force on 1 May 2024.</p>' in front
    assert "<strong>Comes into force on 1 May 2024.</strong>" in front
    in_force = _text(before / "handbook/2023-10/index.html")  # the switcher
    assert '<a href="../2024-04/">April 2024</a> (comes into force on 1 May 2024)' in in_force
    assert 'aria-current="page">October 2023</a> (in force)' in in_force and "superseded on" not in in_force
    assert "Published 1 April 2024; comes into force on 1 May 2024." in _text(before / "handbook/editions/index.html")
    for page in (front, in_force):  # the document was last published on the day the revision was
        assert "This document was last updated 1 April 2024." in page
    assert 'data-pagefind-weight="0.5"' in front and "data-pagefind-weight" not in in_force  # search: in force first

    # the day it takes effect: /handbook/ shows it, and the one before is superseded that day
    assert 'rel="canonical" href="https://www.mktogether.co.uk/handbook/2024-04/"' in _text(after / "handbook/index.html")
    front = _text(after / NEW / "index.html")
    assert '<p class="mkt-meta">Published 1 April 2024. In force from 1 May 2024.</p>' in front
    assert "Comes into force" not in front
    assert "It was superseded on 1 May 2024." in _text(after / "handbook/2023-10/index.html")

    again = tmp_path / "again"
    assert run_cli(project, "build", "--as-of", "2024-04-30", "--site-dir", str(again)).returncode == 0
    assert tree(again) == tree(before), "the same inputs and the same day build the same bytes"

    # the next revision, begun from it while it is still to come into force, takes none of its governance
    begun = run_cli(project, "new-edition", "handbook/2024-10", "--from", NEW)
    assert begun.returncode == 0, begun.stderr
    draft = yaml.safe_load((project / "data/handbook/2024-10/edition.yml").read_text())
    assert not {"approval", "in_force_from", "review_by"} & set(draft)
    fill_in(project, "handbook/2024-10")
    assert run_cli(project, "publish", "handbook/2024-10", "--date", "2024-10-01").returncode == 0


def test_in_force_from_before_publication_or_on_a_years_report_is_refused(project: Path) -> None:
    _draft(project)
    refused = run_cli(project, "publish", NEW, "--date", "2024-04-01", "--in-force-from", "2024-03-31")
    assert refused.returncode == 1 and "it comes into force on 31 March 2024, before it was published on 1 April 2024; " \
        "write the day it takes effect, on or after that" in refused.stderr, refused.stderr
    bad = run_cli(project, "build", "--as-of", "2024-02-30")
    assert bad.returncode == 2 and "'2024-02-30' is not a date; write it as YYYY-MM-DD" in bad.stderr
