"""Every page in a real browser: WCAG 2.2 AA by axe-core, privacy, console, keyboard, screenshots."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser import serve
from conftest import ROOT

pytestmark = pytest.mark.browser  # the tests of a file share a worker (--dist loadfile), so pages are visited once

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Rules switched off, each with the reason. Keep this empty unless a rule is wrong for this site.
AXE_RULES_OFF: dict[str, str] = {}
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
# page kind -> path; screenshots of each at phone and desktop widths, for people to look at
SCREENSHOTS = {
    "home": "",
    "terms-of-reference": "handbook/2021-11/boards/community-safety-partnership/",
    "affiliated-boards": "handbook/2021-04/affiliated-boards/",
    "structure-chart": "handbook/2021-04/structure-chart/",
    "attendance-appendix": "annual-report/2021-22/attendance/",
    "budget-appendix": "annual-report/2021-22/budget/",
    "organisation": "organisations/thames-valley-police/",
}
KEYBOARD_SAMPLE = ["", "handbook/2021-11/", "handbook/2021-04/boards/voice/", "accessibility/"]
# Content-Security-Policy violations, recorded before any script of the page runs; read back as window.__mktCsp
RECORD_CSP_VIOLATIONS = (
    "window.__mktCsp = []; document.addEventListener('securitypolicyviolation', e => window.__mktCsp.push("
    "e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '') + ' ' + e.documentURI))")


@dataclass
class Visit:
    path: str
    violations: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    overflow_at_375: int = 0
    bytes_at_375: int = 0  # everything the page loaded, as a reader's first visit on a phone
    search_files: list[str] = field(default_factory=list)  # what it loaded of Pagefind


def site_pages(site: Path) -> list[str]:
    paths = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")]
    return sorted("" if p == "." else p + "/" for p in paths) + ["404.html"]



@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def visits(browser, base_url: str, built_site: Path) -> list[Visit]:
    """Every page loaded once, on a phone's width, in a fresh context, with its requests, bytes,
    cookies, console and axe results at 375 px and again at 1280 px."""
    axe = Axe()
    local = urlparse(base_url).netloc
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"],
               "rules": {rule: {"enabled": False} for rule in AXE_RULES_OFF}}
    results = []
    for path in site_pages(built_site):
        visit = Visit(path)
        context = browser.new_context(viewport={"width": 375, "height": 800})
        context.on("request", lambda r, v=visit: v.foreign_requests.append(r.url)
                   if urlparse(r.url).netloc != local and not r.url.startswith(("data:", "blob:")) else None)
        responses: list = []
        context.on("response", lambda r: responses.append(r))
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        page = context.new_page()
        page.on("console", lambda m, v=visit: v.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, v=visit: v.console_errors.append(str(e)))
        response = page.goto(f"{base_url}/{path}", wait_until="networkidle")
        assert response is not None and (response.ok or path == "404.html"), path
        visit.bytes_at_375 = sum(len(r.body()) for r in responses if r.status == 200 or r is response)
        visit.search_files = [r.url for r in responses if "/pagefind/" in r.url]
        visit.overflow_at_375 = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            for violation in axe.run(page, options=options).response["violations"]:
                targets = "; ".join(", ".join(n["target"]) for n in violation["nodes"][:3])
                visit.violations.append(f"at {width} px: {violation['id']} ({len(violation['nodes'])}x: {targets}): {violation['help']}")
        visit.cookies = [c["name"] for c in context.cookies()]
        visit.csp_violations = page.evaluate("window.__mktCsp")
        context.close()
        results.append(visit)
    return results


def test_every_page_meets_wcag_2_2_aa(visits: list[Visit]) -> None:
    failures = [f"{v.path or '/'}: {x}" for v in visits for x in v.violations]
    assert len(visits) > 30
    assert failures == [], "\n".join(failures)


# The most a page may load on a first visit (HTML, CSS, scripts, images, fonts), as served: the
# bytes a reader's phone receives from a host that does not compress
PAGE_BUDGET = 300 * 1024


def test_every_page_loads_at_most_300_kib_and_nothing_of_search(visits: list[Visit]) -> None:
    """The search page is where a reader searches: Pagefind's interface loads there (its figures
    are in tests/test_search.py), and on no other page."""
    heavy = [(v.path, v.bytes_at_375) for v in visits if v.bytes_at_375 > PAGE_BUDGET and v.path != "search/"]
    weights = sorted(v.bytes_at_375 for v in visits if v.path != "search/")
    print(f"page weight at 375 px: {len(weights)} pages, {weights[0] / 1024:.0f}–{weights[-1] / 1024:.0f} KiB, "
          f"median {weights[len(weights) // 2] / 1024:.0f} KiB")
    assert heavy == []
    assert all(v.bytes_at_375 > 100 * 1024 for v in visits), "the weights were measured"
    assert [(v.path, f) for v in visits if v.path != "search/" for f in v.search_files] == []
    assert [v.search_files for v in visits if v.path == "search/"] != [[]], "the search page's own loads are seen"


def test_no_request_to_any_other_host_and_no_cookies(visits: list[Visit]) -> None:
    assert [(v.path, r) for v in visits for r in v.foreign_requests] == []
    assert [(v.path, c) for v in visits for c in v.cookies] == []


def test_no_page_scrolls_sideways_on_a_phone(visits: list[Visit]) -> None:
    assert [(v.path, v.overflow_at_375) for v in visits if v.overflow_at_375 > 0] == []


def test_no_console_errors(visits: list[Visit]) -> None:
    assert [(v.path, e) for v in visits for e in v.console_errors] == []


def test_no_content_security_policy_violations(visits: list[Visit]) -> None:
    assert [(v.path, x) for v in visits for x in v.csp_violations] == []


def test_privacy_check_sees_a_third_party_request(browser, tmp_path: Path) -> None:
    """The request logging above is not blind: a page that asks another host for a font is caught."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><title>t</title>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"><p>x</p></html>'
    )
    seen: list[str] = []
    with serve(tmp_path) as url:
        context = browser.new_context()
        context.on("request", lambda r: seen.append(r.url) if "127.0.0.1" not in r.url else None)
        context.new_page().goto(url + "/", wait_until="load")
        context.close()
    assert seen == ["https://fonts.googleapis.com/css?family=Roboto"]


@pytest.mark.parametrize("path", KEYBOARD_SAMPLE)
def test_keyboard_skip_link_focus_visible_everything_reachable(browser, base_url: str, path: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}/{path}", wait_until="networkidle")
    page.keyboard.press("Tab")
    first = page.evaluate("() => ({text: document.activeElement.textContent.trim(), "
                          "href: document.activeElement.getAttribute('href'), "
                          "box: document.activeElement.getBoundingClientRect().toJSON()})")
    assert first["text"] == "Skip to content" and first["href"].startswith("#")
    assert first["box"]["width"] > 0 and first["box"]["height"] > 0 and first["box"]["top"] >= 0, "skip link shows on focus"

    wanted = page.evaluate("""() => [...document.querySelectorAll(
        'a[href], button, input, select, textarea, summary, [tabindex]')]
        .filter(e => e.checkVisibility({visibilityProperty: true}) && !e.disabled
                     && e.getAttribute('tabindex') !== '-1' && !e.closest('[hidden]'))
        .map((e, i) => { e.dataset.mktFocusId = String(i); return String(i); })""")
    reached: set[str] = set()
    unstyled: list[str] = []
    for _ in range(len(wanted) + 20):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            if (e === document.body) return {id: null, html: '', ring: true};  // Tab went past the last control
            return {id: e.dataset.mktFocusId || null, html: e.outerHTML.slice(0, 80),
                    ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'}; }""")
        if info["id"] is not None:
            reached.add(info["id"])
        if not info["ring"]:
            unstyled.append(info["html"])
    page.close()
    assert unstyled == [], "focus must be visible on every element"
    missed = set(wanted) - reached
    assert not missed, f"{len(missed)} of {len(wanted)} links and controls not reachable by Tab"


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_of_each_kind_of_page(browser, base_url: str, width: int) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for name, path in SCREENSHOTS.items():
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{base_url}/{path}", wait_until="networkidle")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        target = SCREENSHOT_DIR / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        page.close()
        assert target.stat().st_size > 5000
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
