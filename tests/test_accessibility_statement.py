"""The accessibility statement says what regulation 8 of the Public Sector Bodies Accessibility
Regulations 2018 asks for: the content that is not accessible and why, its alternatives, how to
report a problem or ask for another format, the enforcement procedure and the date of the last
review, from the data; and `check` warns when that review is more than a year old."""
from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from conftest import PROJECT, run_cli, warnings_in
from generator import load
from generator.documents import DOCUMENTS
from generator.plan import edition_label
from generator.text import long_date

STATEMENT = "data/accessibility.yml"
PARTS = ["Feedback and contact information", "Reporting accessibility problems with this website", "Enforcement procedure",
         "Compliance status", "Non-accessible content", "Preparation of this accessibility statement"]


def statement_text(site: Path) -> tuple[str, str]:
    """The statement's page as text, and as HTML."""
    page = (site / "accessibility" / "index.html").read_text()
    article = re.search(r"<article\b.*?</article>", page, re.S).group(0)  # type: ignore[union-attr]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split()), article


def holds_each_part(site: Path, root: Path) -> None:
    project, report = load.load_project(root)
    assert not report.errors
    statement, contacts = project.accessibility, project.contacts
    assert statement is not None and contacts is not None
    text, article = statement_text(site)
    headings = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", h)).replace("¶", "").split())
                for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", article, re.S)]
    assert [h for h in PARTS if h not in headings] == []
    group = next(g for g in contacts.groups if g.id == statement.contact)
    email = next(line.email for line in group.lines if line.email)
    assert article.count(f'href="mailto:{email}"') == 2, "to ask for another format, and to report a problem"
    assert "in a different format, such as accessible PDF, large print, easy read, audio recording or braille" in text
    assert "Equality Advisory and Support Service (EASS)" in text and 'href="https://www.equalityadvisoryservice.com/"' in article
    assert "Equality and Human Rights Commission (EHRC) is responsible for enforcing" in text
    assert f"It was last reviewed on {long_date(statement.reviewed)}." in text
    assert f"This statement was prepared on {long_date(statement.prepared)}." in text
    assert f"This website was last tested on {long_date(statement.tested)}" in text
    # what is published as printed, and in forms harder to use, each with its alternative
    for source in project.archive.values():
        assert source.model.title in text, "each archived document, a historical record"  # type: ignore[attr-defined]
    for source in project.meetings:
        assert f"Minutes: {source.model.body.name}: {long_date(source.model.date)}" in text  # type: ignore[attr-defined]
    published = [e for e in project.editions.values() if e.edition.status == "published"]
    assert published
    for edition in published:
        assert f"{DOCUMENTS[edition.document].title}, {edition_label(edition)}" in text, "each edition's PDF"
    assert "The web pages of each edition are its accessible version" in text


def test_the_fixture_statement_holds_each_part_from_its_data(built_fixture: Path, fixture_root: Path) -> None:
    holds_each_part(built_fixture, fixture_root)
    text, _ = statement_text(built_fixture)
    assert "This accessibility statement applies to the Fixture Partnership test site." in text, "the prose first"
    assert text.index("Reporting problems") < text.index("Feedback and contact information")


def test_the_real_statement_holds_each_part(built_site: Path) -> None:
    holds_each_part(built_site, PROJECT)
    text, _ = statement_text(built_site)
    assert "mktogether@milton-keynes.gov.uk" in text and "1 Saxon Gate East" in text, "MK Together's own contact"


def test_check_warns_once_the_review_is_more_than_a_year_old(project: Path) -> None:
    statement = load.load_project(project)[0].accessibility
    assert statement is not None and project.joinpath(STATEMENT).is_file()
    line = next(n for n, text in enumerate(project.joinpath(STATEMENT).read_text().splitlines(), 1) if text.startswith("reviewed:"))
    warning = (f"{STATEMENT}:{line}:11: warning: the accessibility statement was last reviewed on {long_date(statement.reviewed)}, "
               "more than a year ago: review content/accessibility.md and this file, then set reviewed: to the day of the review")
    on_time = run_cli(project, "check", "--today", (statement.reviewed + dt.timedelta(days=365)).isoformat())
    assert on_time.returncode == 0 and [w for w in warnings_in(on_time.stderr) if STATEMENT in w] == []
    late = run_cli(project, "check", "--today", (statement.reviewed + dt.timedelta(days=366)).isoformat())
    assert late.returncode == 0 and [w for w in warnings_in(late.stderr) if STATEMENT in w] == [warning]
    strict = run_cli(project, "check", "--strict", "--today", (statement.reviewed + dt.timedelta(days=366)).isoformat())
    assert strict.returncode == 1
    built = run_cli(project, "build", "--site-dir", str(project / "out"), MKTOGETHER_TODAY="2099-01-01")
    assert built.returncode == 0 and STATEMENT not in built.stderr, "what is built never depends on the day"


def test_a_bad_today_is_one_line(project: Path) -> None:
    result = run_cli(project, "check", "--today", "22/11/2026")
    assert result.returncode == 2 and result.stderr.strip().splitlines()[-1].endswith(
        "argument --today: '22/11/2026' is not a date; write it as YYYY-MM-DD")

