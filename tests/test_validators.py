"""Checkers we did not write: the W3C's Nu Html Checker over every page, HTML_CodeSniffer
(WCAG 2 AA) in Chromium over every kind of page at a phone's width and a desktop's, and the
keyboard: every Tab stop named and in the window. Their versions are pinned in
tests/lighthouse/package-lock.json; the checker runs on Debian's Java (`make test` installs both).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from browser import serve
from conftest import ROOT, run_cli

TOOLS = ROOT / "tests/lighthouse/node_modules"
VNU = TOOLS / "vnu-jar/build/dist/vnu.jar"
HTMLCS = TOOLS / "html_codesniffer/build/HTMLCS.js"
WIDTHS = (375, 1280)


def nu_errors(*paths: Path) -> list[str]:
    """The Nu Html Checker's errors on every HTML file under `paths`, as `file:line: message`."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail("the Nu Html Checker needs Java and tests/lighthouse's vnu-jar: run `make test`, which installs both")
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                           *map(str, paths)], capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr)["messages"]
    assert all(m["type"] != "non-document-error" for m in messages), messages
    return [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine', 0)}: {m['message']}" for m in messages if m["type"] == "error"]


def sniff(page) -> list[str]:  # type: ignore[no-untyped-def]
    """HTML_CodeSniffer's WCAG2AA errors on a page loaded in a context that bypasses its CSP."""
    page.evaluate(HTMLCS.read_text(encoding="utf-8"))
    return page.evaluate("""() => new Promise(done => HTMLCS.process('WCAG2AA', document, () =>
        done(HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR)
             .map(m => m.code.split('.').slice(-2).join('.') + ' ' + (m.element.outerHTML || '').slice(0, 100)))))""")


@pytest.fixture(scope="module")
def page_kinds() -> dict[str, str]:
    """One page of each kind in the page plan, by the address it is served at, and the 404 page."""
    from generator.pipeline import generate

    site, report = generate(ROOT)
    assert site is not None, report
    kinds: dict[str, str] = {}
    for page in sorted(site.plan.pages, key=lambda p: p.uri):
        path = page.uri.removesuffix(".md")
        kinds.setdefault(page.kind, "" if path == "index" else path.removesuffix("index") if path.endswith("/index") else path + "/")
    return {**kinds, "404": "404.html"}


def test_the_nu_html_checker_finds_no_error_on_any_page(built_site: Path, tmp_path: Path) -> None:
    """Every page of the public site (the 404 and search pages included) and of a build with the
    fixture's drafts, whose banners list what is still to write."""
    drafts = tmp_path / "site"
    fixture = ROOT / "tests/fixture"
    assert run_cli(fixture, "build", "--drafts", "--site-dir", str(drafts)).returncode == 0
    assert len(list(built_site.rglob("*.html"))) > 100
    assert nu_errors(built_site, drafts) == []


def test_the_nu_html_checker_finds_no_error_on_the_previews_problem_page(project: Path, tmp_path: Path) -> None:
    """The page the preview shows while a file is broken, as the preview serves it."""
    from test_serve import fetch, free_port, start, wait_for

    board = project / "data/handbook/2023-10/boards/risk.yml"
    board.write_text(board.read_text().replace("name: Risk\n", "nme: Risk\n"))
    port = free_port()
    server = start(project, port)
    try:
        assert wait_for(lambda: "unknown key" in (fetch(f"http://127.0.0.1:{port}/") or ""))
        (tmp_path / "problems.html").write_text(fetch(f"http://127.0.0.1:{port}/") or "", encoding="utf-8")
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert nu_errors(tmp_path / "problems.html") == []


@pytest.fixture(scope="module")
def base_url(built_site: Path):  # type: ignore[no-untyped-def]
    with serve(built_site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_html_codesniffer_finds_no_wcag2aa_error_on_any_kind_of_page(browser, base_url: str, page_kinds: dict[str, str],
                                                                   width: int) -> None:
    errors = []
    for kind, path in page_kinds.items():
        page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)  # the sniffer is a script of its own
        page.goto(f"{base_url}/{path}", wait_until="networkidle")
        errors += [f"{kind} /{path}: {e}" for e in sniff(page)]
        page.close()
    assert len(page_kinds) > 20
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_every_tab_stop_has_a_name_and_is_in_the_window(browser, base_url: str, page_kinds: dict[str, str], width: int) -> None:
    """Tab from the top of each kind of page to its end: each control focused is named for a
    screen reader (Chromium's accessibility tree) and shows inside the window."""
    faults = []
    for kind, path in page_kinds.items():
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{base_url}/{path}", wait_until="networkidle")
        tree = page.context.new_cdp_session(page)
        stops = 0
        while True:
            page.keyboard.press("Tab")
            focused = tree.send("Runtime.evaluate", {"expression": "document.activeElement"})["result"]
            if focused.get("description", "").startswith("body") or stops > 500:
                break
            stops += 1
            box = page.evaluate("""() => { const r = document.activeElement.getBoundingClientRect();
                return {inside: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
                        html: document.activeElement.outerHTML.slice(0, 100)} }""")
            nodes = tree.send("Accessibility.getPartialAXTree", {"objectId": focused["objectId"], "fetchRelatives": False})["nodes"]
            name = (nodes[0].get("name") or {}).get("value", "").strip() if nodes else ""
            if not name:
                faults.append(f"{kind} /{path}: no name: {box['html']}")
            if not box["inside"]:
                faults.append(f"{kind} /{path}: focused outside the window: {box['html']}")
        page.close()
        assert 3 < stops <= 500, f"{kind} /{path}: {stops} Tab stops"
    assert faults == []


@pytest.mark.browser
def test_the_budget_tables_cells_are_read_with_their_headers(browser, base_url: str) -> None:
    """The budget position's row headers span rows (Income, Expenditure). In Chromium's
    accessibility tree each row reads as its group's header (the first of the group), its line's
    header and its figure, and each figure names its column's, its group's and its line's headers."""
    page = browser.new_page()
    page.goto(f"{base_url}/annual-report/2021-22/budget/", wait_until="networkidle")
    nodes = {n["nodeId"]: n for n in page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]}

    def role_name(node: dict) -> tuple[str, str]:
        return node["role"]["value"], (node.get("name") or {}).get("value", "")

    def rows_below(node: dict) -> list[list[tuple[str, str]]]:
        if role_name(node)[0] == "row":
            return [[role_name(nodes[c]) for c in node.get("childIds", []) if c in nodes]]
        return [row for c in node.get("childIds", []) if c in nodes for row in rows_below(nodes[c])]

    table = next(n for n in nodes.values() if role_name(n) == ("table", "Summary of 21/22 end of year budget position"))
    rows = rows_below(table)
    assert rows[0] == [("columnheader", "Income or expenditure"), ("columnheader", "Line"), ("columnheader", "21/22 Actuals")]
    assert rows[1] == [("rowheader", "Income"), ("rowheader", "Brought forward from 20/21"), ("cell", "-110,138")]
    assert rows[2][0] == ("rowheader", "Contributions") and rows[3][0] == ("rowheader", "Expenditure")
    assert all(len(row) in (2, 3) and row[-1][0] == "cell" for row in rows[1:]), rows
    named = page.evaluate("""caption => [...[...document.querySelectorAll('caption')].find(c => c.textContent.includes(caption))
        .closest('table').querySelectorAll('td:not(:empty)')]
        .map(td => td.getAttribute('headers').split(' ').map(id => document.getElementById(id).textContent.trim()))""",
                          "end of year budget position")
    page.close()
    assert named[0] == ["21/22 Actuals", "Income", "Brought forward from 20/21"]
    assert all(len(h) == 3 and h[1] in ("Income", "Expenditure") for h in named[:-1]) and named[-1][0] == "21/22 Actuals"
