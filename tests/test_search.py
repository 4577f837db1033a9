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
from conftest import ROOT

SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"

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


# a result Pagefind has not yet loaded is a grey placeholder: it has no link
_RESULTS = """() => [...document.querySelectorAll('pagefind-results li.pf-result')].map(li => {
    const link = li.querySelector('.pf-result-link');
    return link && {title: link.textContent.trim(), href: link.getAttribute('href'),
                    anchors: [...li.querySelectorAll('.pf-heading-link')].map(a => a.getAttribute('href'))};
})"""


def query(page, text: str) -> int:  # type: ignore[no-untyped-def]
    """Type a query as a reader does and wait for its results: how many Pagefind says it found."""
    field = page.locator("pagefind-input input")
    field.fill("")
    field.fill(text)
    page.wait_for_function(
        "q => (document.querySelector('pagefind-summary')?.textContent || '').includes(q)", arg=text)
    page.wait_for_function("() => document.querySelector('pagefind-results ul')?.getAttribute('aria-busy') !== 'true'")
    summary = page.locator("pagefind-summary").inner_text()
    found = re.match(r"(\d+) results? for ", summary)
    assert found or summary.startswith("No results"), summary
    return int(found.group(1)) if found else 0


def scroll_through(page, keys: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Scroll down the results as a reader does, with the mouse wheel (or Page Down), a part of a
    screen at a time, until the page's end stays put: results load as they come into view."""
    page.evaluate("() => window.scrollTo(0, 0)")
    if keys:
        page.locator("h1").click()  # out of the search box, as a reader who scrolls by keyboard
    else:
        page.mouse.move(page.viewport_size["width"] / 2, page.viewport_size["height"] / 2)
    still = 0
    for _ in range(200):
        before = page.evaluate("() => [window.scrollY, document.documentElement.scrollHeight]")
        if keys:
            page.keyboard.press("PageDown")
        else:
            page.mouse.wheel(0, page.viewport_size["height"] * 0.6)
        page.wait_for_timeout(80)
        after = page.evaluate("() => [window.scrollY, document.documentElement.scrollHeight]")
        still = still + 1 if after == before else 0
        if still == 4:
            return
    raise AssertionError("the page kept growing")


def results_as_read(page, found: int) -> list[Result]:  # type: ignore[no-untyped-def]
    """Every result of the query, after a reader has scrolled to the end of them: each must have
    loaded (a title and a link), none left a placeholder."""
    scroll_through(page)
    items = page.evaluate(_RESULTS)
    assert len(items) == found and None not in items, \
        f"{sum(i is not None for i in items)} of {found} results loaded; {items.count(None)} left as placeholders"
    return [Result(i["title"], i["href"].lstrip("/"), [a.lstrip("/") for a in i["anchors"]]) for i in items]


@pytest.fixture(scope="module")
def search(browser, built_site: Path) -> Iterator:  # type: ignore[no-untyped-def]
    with serve(built_site) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(10000)
        page.goto(f"{url}/search/", wait_until="networkidle")

        def run(text: str) -> list[Result]:
            return results_as_read(page, query(page, text))

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
    # an earlier edition's pages: a later one's is a revision not yet in force, a page of its own news
    superseded = [p for p in paths if re.match(r"handbook/\d{4}-\d{2}/", p) and p[:len(handbook)] < handbook]
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
                                      "Every edition of the Partnership Handbook, with what changed in each",
                                      "check there for the edition in force"])
def test_text_every_page_repeats_is_not_indexed(search, built_site: Path, repeated: str) -> None:
    """The header, footer, navigation, banners and heading links are outside what is indexed:
    such text, searched as an exact phrase (every word of it, in order), finds only the few pages
    whose own content says it."""
    pages = len(list(built_site.rglob("index.html")))
    assert len(search(f'"{repeated}"')) <= 5 < pages


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


MANY = "Milton Keynes University Hospital"  # 18 results: three screens of them and more


@pytest.mark.parametrize("width,keys", [(375, False), (1280, False), (1280, True)], ids=["375-wheel", "1280-wheel", "1280-keys"])
def test_every_result_loads_as_the_reader_scrolls(browser, built_site: Path, width: int, keys: bool) -> None:  # type: ignore[no-untyped-def]
    """Pagefind loads each result as it comes into view: all of them, however many screens long
    the list, whether the reader turns the mouse wheel or presses Page Down."""
    with serve(built_site) as url:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.set_default_timeout(10000)
        page.goto(f"{url}/search/", wait_until="networkidle")
        found = query(page, MANY)
        assert found > 10, found  # more than a screen holds
        scroll_through(page, keys=keys)
        items = page.evaluate(_RESULTS)
        placeholders = page.locator("pagefind-results .pf-skeleton").count()
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"search-scrolled-{width}{'-keys' if keys else ''}.png"))  # the end of the list, as the reader sees it
        loaded = [i for i in items if i]
        assert (len(loaded), placeholders) == (found, 0), f"{len(loaded)} of {found} results loaded at {width} px"
        assert all(i["title"] and i["href"] for i in loaded)
        page.close()


# a question in plain words -> the page that answers it, among the first `within` results
QUESTIONS = {
    "when does the health and wellbeing board meet": ("({handbook}/|)boards/health-and-wellbeing-board/", 3),
    "who is on the management board": ("({handbook}/|)boards/management-board/", 2),
    "What is the quorum of the Management Board?": ("{handbook}/boards/management-board/", 1),
    "how do I report a concern about a child": ("report-a-concern/", 1),
    "when did the Wood Review happen": ("{handbook}/.*", 3),  # no page says "happen": all the words but one
}


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_question_in_plain_words_finds_the_page_that_answers_it(browser, built_site: Path, question: str) -> None:  # type: ignore[no-untyped-def]
    """Pagefind finds only pages with every word searched: the search page leaves out the words of
    the question ("when", "does", "who", "is" ...), which the answer's page need not say, and where
    no page has every word left, finds the pages with all but one. The box keeps the words as typed."""
    handbook = in_force(built_site)
    with serve(built_site) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(10000)
        page.goto(f"{url}/search/", wait_until="networkidle")
        paths = [r.path for r in results_as_read(page, query(page, question))]
        assert page.locator("pagefind-input input").input_value() == question
        pattern, within = QUESTIONS[question]
        assert any(re.fullmatch(pattern.format(handbook=handbook), p) for p in paths[:within]), f"{question!r}: {paths[:5]}"
        page.close()


def test_the_search_pages_own_script_is_on_no_other_page(built_site: Path) -> None:
    """The search page's script of our own (beside Pagefind's) loads there and on no other page."""
    script = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"')
    own = {src.rsplit("/", 1)[-1] for src in script.findall((built_site / "search/index.html").read_text())
           if "pagefind/" not in src}
    assert own, "the search page has a script of its own"
    elsewhere = [(str(page.relative_to(built_site)), src) for page in built_site.rglob("*.html")
                 if page != built_site / "search/index.html"
                 for src in script.findall(page.read_text(encoding="utf-8")) if src.rsplit("/", 1)[-1] in own]
    assert elsewhere == []
