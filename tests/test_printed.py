"""Printed copies say where the current one is: every sheet a browser prints of a page ends with the
page's public address and "check there", clear of the page's text; a superseded edition's sheets
also name the edition that superseded it, at its address."""
from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import serve
from conftest import PROJECT, ROOT, SITE_URL
from pypdf import PdfReader

from generator.documents import DOCUMENTS
from generator.pipeline import Site, generate
from generator.plan import edition_label, served_url
from generator.text import long_date

pytestmark = pytest.mark.browser
PRINT_DIR = ROOT / "test-artifacts" / "print"


@pytest.fixture(scope="module")
def site() -> Site:
    generated, _ = generate(PROJECT)
    assert generated is not None
    return generated


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


def address(uri: str) -> str:
    return SITE_URL + served_url(uri, "index.md").removeprefix("./")


def squeezed(text: str) -> str:
    """Text without white space: a long address may wrap anywhere on paper."""
    return re.sub(r"\s+", "", text)


def sheets(browser, base_url: str, uri: str) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    """Each sheet Chromium prints of a page on A4: its text, the top of the address line, and the
    bottom of the lowest text above it, in points from the foot of the sheet."""
    page = browser.new_page()
    page.goto(f"{base_url}/{served_url(uri, 'index.md').removeprefix('./')}")
    PRINT_DIR.mkdir(parents=True, exist_ok=True)
    path = PRINT_DIR / f"printed-{uri.removesuffix('.md').replace('/', '-')}.pdf"
    page.pdf(path=str(path), format="A4")
    page.close()
    found = []
    for sheet in PdfReader(path).pages:
        lines: list[tuple[float, float, str]] = []

        def text(chunk: str, cm: list, tm: list, font: object, size: float) -> None:  # type: ignore[type-arg]
            if chunk.strip():
                lines.append((tm[5] * cm[3] + tm[4] * cm[1] + cm[5], size * abs(cm[3] * tm[3]), chunk))

        sheet.extract_text(visitor_text=text)
        at = [(y, size) for y, size, chunk in lines if "Printed from" in chunk]
        assert at, f"{path.name}: a sheet without the address line"
        (y, size), = at
        above = [y - size * 0.25 for y, size, _ in lines if y > at[0][0] + 1]  # the descenders of the lines above it
        found.append((sheet.extract_text(), y + size, min(above, default=math.inf)))
    return found


def test_every_printed_sheet_names_the_page_address_and_check_there(browser, base_url: str, site: Site) -> None:
    timeline = site.facts.timeline
    latest = timeline.latest("handbook")
    assert latest is not None
    # the longest What changed page of any Handbook edition: a page of several sheets
    longest = max((p for p in site.plan.pages if p.kind == "what-changed" and p.edition.document == "handbook"),
                  key=lambda p: len(site.pages[p.uri]))
    front, what_changed = f"{latest.id}/index.md", longest.uri
    for uri in (front, what_changed, "glossary.md"):
        printed = sheets(browser, base_url, uri)
        where = "the edition in force" if uri != "glossary.md" else "the latest version"
        line = squeezed(f"Printed from {address(uri)} – check there for {where}.")
        current = uri != what_changed or timeline.superseded_by(longest.edition) is None
        for n, (text, top, above) in enumerate(printed, 1):
            assert line in squeezed(text), f"{uri}, sheet {n}"
            assert ("superseded on" not in text) == current, f"{uri}, sheet {n}"
            assert above > top, f"{uri}, sheet {n}: the page's text runs into the address line"
        if uri == what_changed:
            assert len(printed) > 2, "a page of several sheets: the line is on each"


def test_a_superseded_edition_says_on_every_sheet_which_edition_superseded_it(browser, base_url: str, site: Site) -> None:
    timeline = site.facts.timeline
    editions = timeline.published["handbook"]
    assert len(editions) > 1
    old = next(e for e in reversed(editions) if timeline.superseded_by(e))  # the newest superseded, whatever is pending
    successor = timeline.superseded_by(old)
    assert successor is not None
    board = next(p.uri for p in site.plan.pages if p.edition is old and p.kind == "board")
    instead = successor.id + board.removeprefix(old.id)
    assert instead in site.plan.by_uri, "the board is in the edition that superseded it"
    said = squeezed(f"This edition was superseded on {long_date(successor.edition.published)} by the "
                    f"{DOCUMENTS['handbook'].title}, {edition_label(successor)}: {address(instead)}")
    for n, (text, top, above) in enumerate(sheets(browser, base_url, board), 1):
        assert squeezed(f"Printed from {address(board)} – check there for the edition in force.") in squeezed(text)
        assert said in squeezed(text), f"{board}, sheet {n}"
        assert above > top, f"{board}, sheet {n}: the page's text runs into the address lines"
