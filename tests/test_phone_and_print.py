"""Phones and paper: at 375 px no page scrolls sideways, wide tables keep their row labels in view,
every scrolling region can be reached and is named, charts are legible and alike; in print only the
document, on A4 portrait, with every table whole and every chart legible."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser import serve
from conftest import ROOT
from pypdf import PdfReader

pytestmark = pytest.mark.browser  # the tests of a file share a worker (--dist loadfile), so pages are visited once

PHONE = 375
DESKTOP = 1280
A4_CONTENT = 703  # CSS px: A4's 210 mm less the print stylesheet's two 12 mm margins
SMALLEST_TEXT = 12  # CSS px at 375 px wide, and in print (9pt)
PRINT_DIR = ROOT / "test-artifacts" / "print"
# A page of each kind with a table, a diff, a chart or minutes (every page with a chart is added)
SAMPLE = [
    "", "annual-report/2021-22/attendance/", "annual-report/2021-22/budget/", "handbook/2021-11/what-changed/",
    "handbook/2021-11/boards/community-safety-partnership/", "archive/", "archive/meetings/safermk-partnership/2017-01-26/",
    "boards/", "organisations/", "organisations/thames-valley-police/", "glossary/",
]
# page -> the heading of its table's last column, which must be on paper
PRINTED = {"annual-report/2021-22/attendance/": "Attended", "annual-report/2021-22/budget/": "Total"}
BOARD_WITH_LINKS = "handbook/2021-11/boards/community-safety-partnership/"  # links to legislation.gov.uk
# Around the document, and not on paper
NOT_PRINTED = [".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-banner", ".md-search", "nav", ".mkt-editions"]

# Every element that scrolls sideways, with what a keyboard and a screen reader make of it.
SCROLLERS = """() => [...document.querySelectorAll('body *')].filter(el => {
  const style = getComputedStyle(el);
  return el.scrollWidth > el.clientWidth && ['auto', 'scroll'].includes(style.overflowX) && el.getClientRects().length;
}).map(el => ({what: el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''), tabindex: el.getAttribute('tabindex'),
  name: el.getAttribute('aria-label') || (el.getAttribute('aria-labelledby') || '').split(' ')
    .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim()}))"""
# Each table region scrolled to its end: cells of the first column out of view, and of the last column cut off.
TABLES_SCROLLED = """() => [...document.querySelectorAll('.mkt-table')].map(region => {
  region.scrollLeft = region.scrollWidth;
  const box = region.getBoundingClientRect();
  const rows = [...region.querySelectorAll('tr')].filter(tr => !tr.querySelector('[rowspan]'));
  const hidden = rows.map(tr => tr.firstElementChild.getBoundingClientRect())
    .filter(r => r.left < box.left - 0.5 || r.right > box.right + 0.5).length;
  const cut = rows.filter(tr => tr.children.length > 1)
    .map(tr => [tr.firstElementChild.getBoundingClientRect(), tr.lastElementChild.getBoundingClientRect()])
    .filter(([first, last]) => last.right > box.right + 0.5 || last.left < first.right - 0.5).length;
  const name = region.getAttribute('aria-label');
  region.scrollLeft = 0;
  return {name, scrolls: region.scrollWidth > region.clientWidth, hidden, cut};
})"""
# Each chart drawn: its kind, the scale it is drawn at, its smallest text in CSS px, and its visible title.
CHARTS = """() => [...document.querySelectorAll('svg.mkt-chart__svg, svg.mkt-structure__svg')]
  .filter(svg => svg.getBoundingClientRect().width > 0).map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    const caption = svg.closest('figure').querySelector('figcaption');
    return {kind: svg.getAttribute('class'), scale, smallest: Math.min(...sizes),
            caption: caption && getComputedStyle(caption).display !== 'none' && caption.getBoundingClientRect().height > 0
              ? caption.textContent.trim() : null,
            title: svg.querySelector('title').textContent.trim()};
  })"""


@dataclass
class Phone:
    overflow: int
    scrollers: list[dict[str, Any]]
    tables: list[dict[str, Any]]
    charts: list[dict[str, Any]]


def chart_pages(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
                  if 'class="mkt-chart__svg"' in (text := p.read_text()) or 'class="mkt-structure__svg"' in text)


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def on_phone(browser, base_url: str, built_site: Path) -> dict[str, Phone]:
    """The sample of page kinds and every page with a chart, each loaded once at 375 px."""
    page = browser.new_page(viewport={"width": PHONE, "height": 800})
    seen = {}
    for path in sorted(set(SAMPLE) | set(chart_pages(built_site))):
        response = page.goto(f"{base_url}/{path}")
        assert response is not None and response.ok, path
        seen[path] = Phone(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"),
                           page.evaluate(SCROLLERS), page.evaluate(TABLES_SCROLLED), page.evaluate(CHARTS))
    page.close()
    return seen


def test_no_page_scrolls_sideways_at_375_px(on_phone: dict[str, Phone]) -> None:
    assert {path: p.overflow for path, p in on_phone.items() if p.overflow > 0} == {}


def test_wide_tables_keep_their_row_labels_in_view_and_no_column_is_cut_off(on_phone: dict[str, Phone]) -> None:
    for path in PRINTED:
        assert on_phone[path].tables, f"{path} has its tables in scroll regions"
    assert any(t["scrolls"] for path in PRINTED for t in on_phone[path].tables), \
        "the attendance table is wider than a phone, so this test scrolls one"
    failures = [(path, t) for path, p in on_phone.items() for t in p.tables if t["hidden"] or t["cut"]]
    assert failures == [], "scrolled to its end, a table hides its row labels or cuts off its last column"


def test_every_scrolling_region_is_focusable_and_named(on_phone: dict[str, Phone]) -> None:
    failures = [(path, s) for path, p in on_phone.items() for s in p.scrollers if s["tabindex"] != "0" or not s["name"]]
    assert failures == []


def test_charts_have_a_visible_title_and_text_of_12_px_at_375_px(on_phone: dict[str, Phone]) -> None:
    charts = [(path, c) for path, p in on_phone.items() for c in p.charts]
    assert {c["kind"] for _, c in charts} == {"mkt-chart__svg", "mkt-structure__svg"}
    assert [(path, c["title"]) for path, c in charts if c["caption"] != c["title"]] == []
    assert [(path, c["kind"], round(c["smallest"], 1)) for path, c in charts if c["smallest"] < SMALLEST_TEXT] == []


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_one_scale_for_every_chart_of_a_kind(browser, base_url: str, built_site: Path, on_phone: dict[str, Phone],
                                              width: int) -> None:
    if width == PHONE:
        charts = [c for p in on_phone.values() for c in p.charts]
    else:
        page = browser.new_page(viewport={"width": width, "height": 800})
        charts = []
        for path in chart_pages(built_site):
            page.goto(f"{base_url}/{path}")
            charts += page.evaluate(CHARTS)
        page.close()
    scales: dict[str, set[float]] = {}
    for c in charts:
        scales.setdefault(c["kind"], set()).add(round(c["scale"], 3))
    assert scales and all(len(s) == 1 for s in scales.values()), scales


PRINT_CHECK = """([hidden]) => ({
  shown: hidden.flatMap(sel => [...document.querySelectorAll(sel)]).filter(el => getComputedStyle(el).display !== 'none')
    .map(el => el.tagName.toLowerCase() + '.' + el.className),
  around: hidden.flatMap(sel => [...document.querySelectorAll(sel)]).length,
  kept: ['h1', '.mkt-published'].filter(sel => [...document.querySelectorAll(sel)].some(el => el.getBoundingClientRect().height > 0)),
  tables: [...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().width),
  regions: [...document.querySelectorAll('.mkt-table')].filter(r => r.scrollWidth > r.clientWidth).length,
  outside: [...document.querySelectorAll('a[href^="http"]')].filter(a => a.closest('.md-content'))
    .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content]),
  inside: [...document.querySelectorAll('.md-content a[href]:not([href^="http"])')]
    .filter(a => a.getClientRects().length && getComputedStyle(a, '::after').content !== 'none').length,
})"""


def test_print_shows_the_document_alone_with_tables_on_a4_and_link_addresses(browser, base_url: str,
                                                                             built_site: Path) -> None:
    PRINT_DIR.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": A4_CONTENT, "height": 1000})
    page.emulate_media(media="print")
    printed_charts = []
    for path in [*PRINTED, BOARD_WITH_LINKS, *chart_pages(built_site)]:
        page.goto(f"{base_url}/{path}")
        found = page.evaluate(PRINT_CHECK, [NOT_PRINTED])
        assert found["around"] and found["shown"] == [], f"{path}: printed around the document"
        assert found["kept"] == ["h1", ".mkt-published"], f"{path}: its title and published dates are printed"
        assert [w for w in found["tables"] if w > A4_CONTENT + 0.5] == [] and found["regions"] == 0, \
            f"{path}: a table is wider than A4 portrait"
        assert all("attr(href)" in content or href in content for href, content in found["outside"]), \
            f"{path}: a link to another site prints its address: {found['outside']}"
        assert found["inside"] == 0, f"{path}: a link within the site prints nothing more"
        if path == BOARD_WITH_LINKS:
            assert found["outside"], f"{path} links to another site"
        printed_charts += page.evaluate(CHARTS)
        if path in PRINTED:
            pdf = PRINT_DIR / f"{path.strip('/').replace('/', '-')}.pdf"
            page.pdf(path=str(pdf), format="A4")
            text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
            assert PRINTED[path] in text, f"{pdf.name}: its table's last column is on the page"
    page.close()
    assert printed_charts
    assert [(c["kind"], round(c["smallest"], 1)) for c in printed_charts if c["smallest"] < SMALLEST_TEXT] == []
