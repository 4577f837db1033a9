"""The site's search, as a reader uses it: Pagefind's interface on /search/, in Chromium.

Rules: the edition in force comes before a superseded edition's twin page, and first where it has
the answer; every result names its document and edition; text every page repeats is not indexed;
glossary terms are found one by one; and no page but the search page loads anything of search.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from browser import serve

pytestmark = pytest.mark.browser


@dataclass
class Result:
    title: str
    path: str  # the result's address, from the site's root: "handbook/2021-11/boards/risk/"
    anchors: list[str]  # its sub-results' addresses, with their #fragment


def in_force(site: Path) -> str:
    """The Handbook edition in force: the one /handbook/ shows (never assumed by its date)."""
    page = (site / "handbook/index.html").read_text()
    return re.search(r'<link rel="canonical" href="[^"]*/(handbook/[^/"]+)/"', page).group(1)


@pytest.fixture(scope="module")
def search(browser, built_site: Path) -> Iterator:  # type: ignore[no-untyped-def]
    with serve(built_site) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(10000)
        page.goto(f"{url}/search/", wait_until="networkidle")
        field = page.locator("pagefind-input input")

        def run(query: str) -> list[Result]:
            field.fill("")
            field.fill(query)
            page.wait_for_function(
                "q => (document.querySelector('pagefind-summary')?.textContent || '').includes(q)", arg=query)
            page.wait_for_function("() => document.querySelector('pagefind-results ul')?.getAttribute('aria-busy') !== 'true'")
            for _ in range(30):  # results load as they scroll into view: bring each into view, to the last
                if page.evaluate("""() => { const s = document.querySelector('pagefind-results .pf-skeleton');
                                            s?.scrollIntoView(); return !s; }"""):
                    break
                page.wait_for_timeout(100)
            items = page.evaluate("""() => [...document.querySelectorAll('pagefind-results li.pf-result')]
                .filter(li => li.querySelector('.pf-result-link')).map(li => ({
                title: li.querySelector('.pf-result-link').textContent.trim(),
                href: li.querySelector('.pf-result-link').getAttribute('href'),
                anchors: [...li.querySelectorAll('.pf-heading-link')].map(a => a.getAttribute('href'))}))""")
            return [Result(i["title"], i["href"].lstrip("/"), [a.lstrip("/") for a in i["anchors"]]) for i in items]

        yield run
        page.close()


# query -> the page that must come first, a pattern (with {handbook} for the edition in force)
QUERIES = {
    "quorum": "{handbook}/boards/management-board/",
    "risk board": "{handbook}/boards/risk/",
    "child death": "{handbook}/boards/child-death/",
    "budget": "annual-report/2021-22/budget/",
    "chair": "{handbook}/boards/community-safety-partnership/",
    "report a concern": "report-a-concern/",
    "channel panel": "{handbook}/boards/risk/",
    "Wood Review": "{handbook}/.*",  # the front page, introduction and what changed all tell of it
    "Thames Valley Police": "organisations/thames-valley-police/",
    "MARAC": "glossary/",
}


@pytest.mark.parametrize("query", QUERIES)
def test_the_right_page_first_and_never_a_superseded_page_above_its_current_twin(search, built_site: Path, query: str) -> None:
    handbook = in_force(built_site)
    results = search(query)
    paths = [r.path for r in results]
    assert paths, f"nothing found for {query!r}"
    assert re.fullmatch(QUERIES[query].format(handbook=handbook), paths[0]), f"{query!r}: {[r.title for r in results[:5]]}"
    superseded = [p for p in paths if re.match(r"handbook/\d{4}-\d{2}/", p) and not p.startswith(handbook + "/")]
    for old in superseded:
        twin = handbook + old[len("handbook/2021-04"):]
        if twin in paths:
            assert paths.index(twin) < paths.index(old), f"{query!r}: {old} ranks above {twin}"


def test_every_result_names_its_document_and_edition(search, built_site: Path) -> None:
    seen = 0
    for query in ("risk board", "introduction", "glossary", "assurance"):
        for result in search(query):
            edition = re.match(r"(handbook|annual-report)/(\d{4}-\d{2})/", result.path)
            if not edition:
                continue
            seen += 1
            title = html.unescape(re.search(r"<title>(.*?)</title>", (built_site / result.path / "index.html").read_text()).group(1))
            assert title == f"{result.title} – MK Together", result.path  # the page's full title, which names both
            assert re.search(r"(Partnership Handbook|Safeguarding Annual Report), ", result.title), result.title
    assert seen >= 10


@pytest.mark.parametrize("repeated", ["Accessibility statement", "Report a concern about a child or an adult",
                                      "Every edition of the Partnership Handbook, with what changed in each"])
def test_text_every_page_repeats_is_not_indexed(search, built_site: Path, repeated: str) -> None:
    """The header, footer, navigation, banners and heading links are outside what is indexed:
    such text finds only the few pages whose own content says it."""
    pages = len(list(built_site.rglob("index.html")))
    assert len(search(repeated)) <= 5 < pages


@pytest.mark.parametrize("term", ["MARAC", "MASH", "CSPR", "VAWG", "TRiM"])
def test_glossary_terms_are_found_one_by_one(search, term: str) -> None:
    results = search(term)
    glossary = [r for r in results if r.path == "glossary/"]
    assert glossary, f"{term}: {[r.title for r in results]}"
    assert f"glossary/#{term.lower()}" in glossary[0].anchors, glossary[0].anchors


def test_search_costs_nothing_until_a_reader_searches(browser, built_site: Path) -> None:  # type: ignore[no-untyped-def]
    handbook = in_force(built_site)
    with serve(built_site) as url:
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        for path in ("", f"{handbook}/boards/risk/", "glossary/"):
            page.goto(f"{url}/{path}", wait_until="networkidle")
        assert [r for r in requests if "pagefind" in r or "search" in r] == []
        page.goto(f"{url}/search/", wait_until="networkidle")
        loaded = {r.rsplit("/", 1)[-1] for r in requests if "/pagefind/" in r}
        assert loaded == {"pagefind-component-ui.js", "pagefind-component-ui.css"}, "the index waits for a query"
        page.close()
