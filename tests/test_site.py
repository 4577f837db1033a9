"""The real site, built whole: every section and board of every edition, and every word of the seeds."""
from __future__ import annotations

import html
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, PUBLISHED_DISAGREEMENTS, ROOT, SEEDS, copy_fixture, fill_in, run_cli, warnings_in
from fidelity import corrections, fidelity

ARTIFACTS = ROOT / "test-artifacts"

# seed -> (folder of its pages, {unit: why it is deliberately left out})
SEED_EDITIONS = {
    "000_7cd8d84cb768ba26.txt": ("handbook/2021-04", {}),
    "001_870da19744861ca6.txt": ("handbook/2021-11", {}),
    "002_b62cf7fa7043e107.txt": ("annual-report/2021-22", {
        **{n: "a page number of the printed contents list; the site has no page numbers"
           for n in ("6", "7", "10", "16", "24", "26-27")},
        "Appendix A – Partnership representation MKTMB meetings 2021 - 2022":
            "the printed contents list's wording; the appendix is titled as its own heading prints it",
        "01908 253169/70": "two numbers, each written whole as its own tel: link: 01908 253169 or 01908 253170",
    }),
    "003_bb3634b6dd95392d.txt": ("archive/children-and-families-partnership-vision", {}),
    "004_727737e6b3b23bd2.txt": ("archive/meetings", {}),
}


def editions() -> list[dict]:
    """The published editions (a draft is not on the public site)."""
    found = [yaml.safe_load(p.read_text()) for p in sorted((PROJECT / "data").glob("*/*/edition.yml"))]
    return [e for e in found if e["status"] == "published"]


def built_page(site: Path, uri: str) -> Path:
    """The built file of a page, by its src_uri, with directory URLs."""
    stem = uri[: -len(".md")]
    return site / (stem[: -len("index")] if stem.endswith("index") else stem + "/") / "index.html"


def heading(page: Path) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(), re.S)
    assert match, f"no h1 in {page}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).replace("¶", "").strip()


def text_of(page: Path) -> str:
    """A built page's text without markup (abbreviations wrap words in <abbr>)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


def test_both_handbook_editions_are_in_the_data() -> None:
    assert {e["id"] for e in editions()} >= {"handbook/2021-04", "handbook/2021-11"}


@pytest.mark.parametrize("edition", editions(), ids=lambda e: e["id"])
def test_every_section_and_board_of_an_edition_is_a_page(built_site: Path, edition: dict) -> None:
    front = built_page(built_site, f"{edition['id']}/index.md")
    assert heading(front) == edition["title"]
    for section in edition["sections"]:
        page = built_page(built_site, f"{edition['id']}/{section['id']}.md")
        assert heading(page) == section["title"]
        assert f"{section['id']}/" in front.read_text(), "the front page lists every section"
    for board_id in edition["boards"]:
        board = yaml.safe_load((PROJECT / "data" / edition["id"] / "boards" / f"{board_id}.yml").read_text())
        page = built_page(built_site, f"{edition['id']}/boards/{board_id}.md")
        assert heading(page).startswith(board["name"])


def test_april_2021_has_seven_affiliated_boards_two_suspended(built_site: Path) -> None:
    page = built_page(built_site, "handbook/2021-04/affiliated-boards.md").read_text()
    names = re.findall(r"<h3[^>]*>\d\) ([^<:]+)", page)
    assert names == ["Voice", "Workforce", "Risk", "Tasking", "Assurance", "Review", "Child Death"]
    assert re.findall(r"<h3[^>]*>\d\) (\w+): suspended", page) == ["Voice", "Workforce"]
    assert "Suspended" in built_page(built_site, "handbook/2021-04/boards/voice.md").read_text()


def test_november_2021_has_five_affiliated_boards(built_site: Path) -> None:
    page = built_page(built_site, "handbook/2021-11/affiliated-boards.md").read_text()
    names = re.findall(r"<h3[^>]*>\d\) ([^<:]+)", page)
    assert names == ["Risk", "Tasking", "Assurance", "Review", "Child Death"]


def test_computed_parts_of_terms_of_reference(built_site: Path) -> None:
    page = text_of(built_page(built_site, "handbook/2021-11/boards/management-board.md"))
    assert "Milton Keynes Council (five places to include the Director of Adult Services" in page
    assert "BLMK CCG (two places)" in page
    assert ("Needed for quorum: one representative of each of Milton Keynes Council, Bedfordshire, Luton and Milton "
            "Keynes Clinical Commissioning Group, Thames Valley Police") in page
    april = text_of(built_page(built_site, "handbook/2021-04/boards/management-board.md"))
    assert "Milton Keynes Clinical Commissioning Group, Thames Valley Police" in april, "the name printed in April 2021"
    csp = text_of(built_page(built_site, "handbook/2021-04/boards/community-safety-partnership.md"))
    assert "TVP Area Commander (Vice Chair)*" in csp
    assert "MKC Cabinet Member (Chair)\n" in csp, "the chair is not a responsible authority"


@pytest.mark.parametrize("seed", sorted(SEED_EDITIONS))
def test_fidelity_every_sentence_of_the_seed_is_on_the_site(built_site: Path, seed: str) -> None:
    edition, left_out = SEED_EDITIONS[seed]
    pages = sorted((built_site / edition).rglob("*.html"))
    assert pages, f"no pages in {edition}"
    result = fidelity(SEEDS / seed, pages, corrections(PROJECT, edition))
    missing = [unit for unit in result.missing if unit not in left_out]
    ARTIFACTS.mkdir(exist_ok=True)
    line = (f"{seed} ({edition}): {result.total - len(result.missing)} of {result.total} units on the site "
            f"({result.percent:.1f}%); {len(result.missing) - len(missing)} left out deliberately; {len(missing)} missing")
    (ARTIFACTS / f"fidelity-{seed}").write_text(
        line + "\n" + "".join(f"  left out ({why}): {unit}\n" for unit, why in left_out.items())
        + "".join(f"  missing: {m}\n" for m in missing))
    print(line)
    assert missing == [], f"{line}:\n" + "\n".join(missing)


def test_every_page_is_in_the_navigation_or_under_its_editions_front_page(built_site: Path) -> None:
    """The navigation lists every page but those of older editions, whose front page it lists or
    its document's page of every edition (in the navigation) links, and the search page, which the
    header and footer of every page link."""
    from generator.pipeline import generate
    from generator.plan import editions_uri

    site, _ = generate(PROJECT)
    assert site is not None
    in_nav = {p.uri for p in site.plan.pages if p.nav is not None}
    for page in site.plan.pages:
        if page.uri not in in_nav and page.kind != "search":
            assert page.edition is not None, page.uri
            every = site.plan.by_uri.get(editions_uri(page.edition.document))
            listed = every is not None and every.uri in in_nav and any(
                e["edition"] is page.edition for e in every.context["editions"])
            assert f"{page.edition.id}/index.md" in in_nav or listed, page.uri
    # the navigation is pruned to the reader's part of the site: each page finds itself in its own
    for uri in in_nav:
        stem = uri[: -len(".md")]
        rel = stem[: -len("index")] if stem.endswith("index") else stem + "/"
        page = (built_site / rel / "index.html").read_text()
        assert re.search(r'<a href="\./?" class="md-nav__link md-nav__link--active"', page), f"{rel or 'home'} is not in the navigation"


def test_every_page_is_reachable_by_following_links_from_home(built_site: Path) -> None:
    pages = {p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")}
    seen, queue = {"."}, ["."]
    while queue:
        here = queue.pop()
        text = (built_site / here / "index.html").read_text()
        for href in re.findall(r'href="([^"#:]*)/(?:#[^"]*)?"', text):
            target = posixpath.normpath(posixpath.join(here, href))
            if target in pages and target not in seen:
                seen.add(target)
                queue.append(target)
    assert pages - seen == set()


def test_older_editions_leave_the_navigation_but_not_the_site(tmp_path: Path) -> None:
    from generator.pipeline import generate
    from generator.plan import FULL_NAV_EDITIONS

    root = copy_fixture(tmp_path / "project")
    for n in range(FULL_NAV_EDITIONS):  # newer copies of the October 2023 handbook
        new = f"handbook/{2024 + n}-10"
        assert run_cli(root, "new-edition", new, "--from", "handbook/2023-10" if n == 0 else f"handbook/{2023 + n}-10").returncode == 0
        fill_in(root, new, "A revision.")
        assert run_cli(root, "publish", new, "--date", f"{2024 + n}-10-01").returncode == 0
    site, report = generate(root)
    assert site is not None, [str(d) for d in report.errors]
    handbook = next(entry["Partnership Handbook"] for entry in site.nav if "Partnership Handbook" in entry)
    editions = [e for e in handbook if isinstance(e, dict)]
    assert [list(e) for e in editions] == [["October 2026"], ["October 2025"], ["October 2024"], ["All editions"]]
    assert isinstance(editions[2]["October 2024"], list) and editions[3]["All editions"] == "handbook/editions.md"
    assert all(f"handbook/2023-04/boards/{b}.md" in site.pages for b in ("risk", "voice")), "still on the site"
    every = site.pages["handbook/editions.md"]
    assert [m for m in re.findall(r"^## \[(\w+ \d{4})\]", every, re.M)] == \
        ["October 2026", "October 2025", "October 2024", "October 2023", "April 2023"], "every edition, newest first"
    # what a page carries of other editions stays the same however many there are: the one in
    # force, this edition's neighbours, and a link to the page of every edition
    old = site.pages["handbook/2023-04/boards/risk.md"]
    assert re.findall(r'"label": "(\w+ \d{4})"', old.split('"editions": ')[1].split("]")[0]) == \
        ["October 2026", "October 2023", "April 2023"]
    assert '"count": 5' in old


def test_generated_pages_say_what_to_edit(built_site: Path) -> None:
    page = built_page(built_site, "handbook/2021-11/boards/risk.md").read_text()
    assert "<!-- generated from data/handbook/2021-11/boards/risk.yml: edit that file, not this page -->" in page


def test_check_finds_no_error_and_only_the_published_disagreements() -> None:
    result = run_cli(PROJECT, "check")
    assert result.returncode == 0, result.stderr
    assert ": error:" not in result.stderr
    assert warnings_in(result.stderr, PROJECT) == PUBLISHED_DISAGREEMENTS, "and what a draft has still to do"


def test_plain_mkdocs_build_warns_of_nothing_else(tmp_path: Path) -> None:
    """MkDocs's own validation (links, anchors, nav) is as strict as --strict: no warning of its own."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")],
        cwd=PROJECT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert [w.removeprefix("WARNING -  ") for w in warnings_in(result.stderr)] == PUBLISHED_DISAGREEMENTS
    assert (tmp_path / "site/handbook/2021-11/boards/risk/index.html").is_file()


def test_plain_mkdocs_build_strict_passes_on_the_handbooks(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "project")
    shutil.rmtree(root / "data/annual-report")
    shutil.rmtree(root / "content/annual-report")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=root, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr


def test_plain_mkdocs_build_stops_on_a_data_error(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "project")
    board = root / "data/handbook/2023-10/boards/risk.yml"
    board.write_text(board.read_text().replace("summary:", "sumary:"))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")],
        cwd=root, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 1
    assert "data/handbook/2023-10/boards/risk.yml:" in result.stderr
    assert "unknown key 'sumary'; did you mean 'summary'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_build_replaces_the_previous_site_whole(project: Path) -> None:
    (project / "site").mkdir()
    (project / "site" / "stale.html").write_text("from an older build")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    assert not (project / "site" / "stale.html").exists()
    assert (project / "site" / "index.html").is_file()
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == [], "no staging folder left behind"
