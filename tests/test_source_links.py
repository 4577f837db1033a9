"""Source links: with a repository in mkdocs.yml, every page links "Edit this page" to the data and
content files it is made from (the page plan's sources); with none, no link. And documents an
editor saves under content/ (a PDF) can be linked from prose, and are published with the page."""
from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from conftest import FIXTURE_DISAGREEMENT, run_cli, warnings_in
from generator.diagnostics import Report
from generator.pipeline import generate
from generator.prose import check_prose, prose_markdown
from linkcheck import broken_links

REPOSITORY = "https://github.com/mk-together/site"
EDIT = REPOSITORY + "/edit/main/"
PROSE = "content/handbook/2023-10/introduction.md"
PDF = b"%PDF-1.4\n% the plan, as the partnership printed it\n"


def html_of(site: Path, uri: str) -> str:
    """The built page of a planned page (src_uri)."""
    stem = uri.removesuffix(".md")
    path = f"{stem.removesuffix('index')}index.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"
    return (site / path).read_text(encoding="utf-8")


def edit_links(page: str) -> list[str]:
    block = re.search(r'<div class="mkt-source">(.*?)</div>', page, re.S)
    return re.findall(r'<a href="([^"]*)"', block.group(1)) if block else []


@pytest.fixture(scope="module")
def with_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture project with a repository named in mkdocs.yml and a PDF linked from a section, built."""
    from conftest import copy_fixture

    root = copy_fixture(tmp_path_factory.mktemp("source-links") / "project")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("\ndocs_dir:", f"\nrepo_url: {REPOSITORY}\nedit_uri: edit/main/\ndocs_dir:", 1))
    (root / "content/handbook/2023-10/documents").mkdir()
    (root / "content/handbook/2023-10/documents/plan.pdf").write_bytes(PDF)
    prose = root / PROSE
    prose.write_text(prose.read_text() + "\nRead [the partnership's plan (PDF)](documents/plan.pdf).\n")
    site = root / "site"
    result = run_cli(root, "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert warnings_in(result.stderr) == [FIXTURE_DISAGREEMENT], "a link to a document is no warning of MkDocs's"
    return root, site


def test_every_page_links_each_file_it_is_made_from(with_repository: tuple[Path, Path]) -> None:
    root, site = with_repository
    planned, _ = generate(root)
    assert planned is not None
    wrong = []
    for page in planned.plan.pages:
        found = edit_links(html_of(site, page.uri))
        if found != [EDIT + source for source in page.sources]:
            wrong.append(f"{page.uri}: {found} for {page.sources}")
        wrong += [f"{page.uri}: {source} is not a file of the project" for source in page.sources if not (root / source).is_file()]
    assert wrong == []
    assert len(planned.plan.pages) > 40


def test_one_source_is_edit_this_page_and_more_a_list(with_repository: tuple[Path, Path]) -> None:
    _, site = with_repository
    board = html_of(site, "handbook/2023-10/boards/risk.md")
    assert f'<a href="{EDIT}data/handbook/2023-10/boards/risk.yml">Edit this page</a> (data/handbook/2023-10/boards/risk.yml)' in board
    section = html_of(site, "handbook/2023-10/introduction.md")
    assert "<summary>Edit this page: it is made from 2 files</summary>" in section
    assert edit_links(section) == [EDIT + "data/handbook/2023-10/edition.yml", EDIT + PROSE]


def test_materials_own_edit_button_and_repository_lookups_are_not_there(with_repository: tuple[Path, Path]) -> None:
    """Material's button would point at the generated page; its header widget would ask GitHub's API."""
    _, site = with_repository
    for path in sorted(site.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        assert 'rel="edit"' not in page and "md-content__button" not in page, path
        assert 'data-md-component="source"' not in page, path
    assert f'<a href="{REPOSITORY}" title="Go to repository" class="md-source">' in (site / "index.html").read_text()


def test_no_repository_no_link(built_fixture: Path) -> None:
    pages = [p.read_text(encoding="utf-8") for p in sorted(built_fixture.rglob("*.html"))]
    assert len(pages) > 40
    assert [p for p in pages if "Edit this page" in p or "mkt-source" in p or 'class="md-source"' in p] == []


# Documents under content/ ---------------------------------------------------------------------

def test_a_document_saved_under_content_is_published_with_the_page_and_linked(with_repository: tuple[Path, Path]) -> None:
    _, site = with_repository
    assert (site / "handbook/2023-10/documents/plan.pdf").read_bytes() == PDF
    assert '<a href="../documents/plan.pdf">the partnership\'s plan (PDF)</a>' in html_of(site, "handbook/2023-10/introduction.md")
    assert broken_links(site) == []


@pytest.fixture(scope="module")
def md(tmp_path_factory: pytest.TempPathFactory) -> tuple[markdown.Markdown, Path]:
    from conftest import copy_fixture

    root = copy_fixture(tmp_path_factory.mktemp("documents") / "project")
    (root / "content/handbook/2023-10/plan.pdf").write_bytes(PDF)
    return prose_markdown(root), root


@pytest.mark.parametrize(("written", "expected"), [
    ("[plan](plan.pdf)", []),
    ("[plan](plan.pdf#page=2)", []),
    ("[plan](nope.pdf)", ["1:8: error: link to 'nope.pdf', which is not a file of the site (there is no "
                          "content/handbook/2023-10/nope.pdf); save the file there and link it relatively"]),
    ("[data](../../../data/glossary.yml)", ["1:8: error: link to '../../../data/glossary.yml', which is not under content/; "
                                           "save the file under content/ and link it relatively"]),
    ("[plan](/plan.pdf)", ["1:8: error: link to '/plan.pdf', which is not under content/; "
                           "save the file under content/ and link it relatively"]),
    # a page, written as one: the page diagnostic stays
    ("[risk](boards/nope.md)", ["1:8: error: link to 'boards/nope.md', which is not a page of the site; "
                                "link to a .md page such as 'boards/risk.md'"]),
    ("[risk](boards/risk.html)", ["1:8: error: link to 'boards/risk.html', which is not a page of the site; "
                                  "link to a .md page such as 'boards/risk.md'"]),
])
def test_links_to_documents(md: tuple[markdown.Markdown, Path], written: str, expected: list[str]) -> None:
    parser, _ = md
    report = Report()
    check_prose(written + "\n", PROSE, "handbook/2023-10/introduction.md", {"handbook/2023-10/boards/risk.md"}, report,
                markdown=parser)
    assert [str(d) for d in report.sorted()] == [f"{PROSE}:{e}" for e in expected]


def test_a_missing_document_stops_the_build_with_one_diagnostic(project: Path) -> None:
    prose = project / PROSE
    prose.write_text(prose.read_text() + "\nRead [the plan](plan.pdf).\n")
    line = len(prose.read_text().splitlines())
    result = run_cli(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [x for x in result.stderr.splitlines() if ": error: " in x]
    assert errors == [f"{PROSE}:{line}:17: error: link to 'plan.pdf', which is not a file of the site (there is no "
                      "content/handbook/2023-10/plan.pdf); save the file there and link it relatively"]
    assert not (project / "site").exists()
