"""The Content-Security-Policy: on every page as a <meta>, in the deploy's headers file, and kept by
the browser. Only the site's own scripts and any inline script by its hash may run; the search
page's Pagefind may compile its WebAssembly, and nothing may eval JavaScript."""
from __future__ import annotations

import http.server
import re
import shutil
from pathlib import Path

import pytest

from browser import serve
from generator.csp import HEADERS_FILE, SitePolicy, inline_hashes, policy, write_policies
from test_browser import RECORD_CSP_VIOLATIONS as RECORD_VIOLATIONS
from test_serve import fetch, free_port, start, wait_for

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"}  # 'wasm-unsafe-eval' compiles WebAssembly, no more
INJECTED = '<script>window.__injected = true</script><img src="x.png" alt="" onerror="window.__handler = true">'


def directives(text: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in text.split(";")) if d}


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# The policy -----------------------------------------------------------------------------------

def test_inline_scripts_are_hashed_and_data_blocks_and_external_scripts_are_not() -> None:
    page = ('<head><meta charset="utf-8"><script>run()</script><script id="__config" type="application/json">{"a": 1}</script>'
            '<script src="a.js"></script><style>p{color:red}</style></head><body><p style="color: blue">x</p></body>')
    scripts, styles = inline_hashes(page)
    assert scripts == {"'sha256-AvyuiL0SD1mVY3NNxR+V2uo+lhk6RMFrytWmRt6CrJQ='"}  # of 'run()', as `openssl dgst -sha256 -binary | base64` gives it
    assert len(styles) == 3 and "'unsafe-hashes'" in styles, "a style element, and a style attribute by its hash"
    with_meta = SitePolicy().add(page)
    assert with_meta.index("Content-Security-Policy") < with_meta.index("<script>"), "the policy comes before any script"
    assert with_meta.startswith('<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy"'), "right after the charset"


def test_the_policies_come_from_the_built_files_the_same_however_often_and_not_into_a_copied_page(tmp_path: Path) -> None:
    site, docs = tmp_path / "site", tmp_path / "docs"
    (site / "a").mkdir(parents=True)
    docs.mkdir()
    (site / "a/index.html").write_text('<head><meta charset="utf-8"><script>run()</script></head><body></body>')
    copied = '<head><meta charset="utf-8"><script>theirs()</script></head>'  # a file of docs/, published as it is
    (site / "copied.html").write_text(copied)
    (docs / "copied.html").write_text(copied)
    assert write_policies(site, docs) == 1
    first = {p.name: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    assert write_policies(site, docs) == 1
    assert {p.name: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()} == first, "no second policy"
    assert len(META.findall((site / "a/index.html").read_text())) == 1 and (site / "copied.html").read_text() == copied
    assert directives((site / HEADERS_FILE).read_text().splitlines()[1].split(": ", 1)[1])["script-src"] == \
        ["'self'", "'wasm-unsafe-eval'", "'sha256-AvyuiL0SD1mVY3NNxR+V2uo+lhk6RMFrytWmRt6CrJQ='"], "the copied page adds no hash"


def test_scripts_never_run_inline_or_from_strings() -> None:
    for header in (False, True):
        found = directives(policy({"'sha256-x'"}, set(), header=header))
        assert found["script-src"] == ["'self'", *(["'wasm-unsafe-eval'"] if header else []), "'sha256-x'"]
        assert found["object-src"] == ["'none'"] and found["base-uri"] == ["'self'"] and found["default-src"] == ["'self'"]
        assert ("frame-ancestors" in found) is header, "a <meta> cannot carry frame-ancestors; the header does"


def test_every_page_carries_a_policy_before_any_script_with_its_own_hashes(built_site: Path) -> None:
    pages = html_pages(built_site)
    assert len(pages) > 90 and built_site / "404.html" in pages
    problems = []
    union: set[str] = set()
    for path in pages:
        text = path.read_text(encoding="utf-8")
        metas = META.findall(text)
        if len(metas) != 1:
            problems.append(f"{path}: {len(metas)} policies")
            continue
        head = text[: text.index("</head>")]
        if head.index("Content-Security-Policy") > min((head.find(t) for t in ("<script", "<style", "<link") if t in head), default=len(head)):
            problems.append(f"{path}: the policy comes after a script or style")
        found = directives(metas[0])
        scripts, _ = inline_hashes(text)
        union |= scripts
        wasm = ["'wasm-unsafe-eval'"] if path.parent.name == "search" else []  # Pagefind, on the search page only
        if sorted(found["script-src"]) != sorted(["'self'", *wasm, *scripts]):
            problems.append(f"{path}: script-src {found['script-src']} is not the page's own inline scripts")
        if any(value in UNSAFE for values in found.values() for value in values):
            problems.append(f"{path}: {metas[0]}")
    assert problems == []
    headers = (built_site / HEADERS_FILE).read_text(encoding="utf-8").splitlines()
    assert headers[0] == "/*" and headers[1].startswith("  Content-Security-Policy: ")
    site_policy = directives(headers[1].split(": ", 1)[1])
    assert sorted(site_policy["script-src"]) == sorted(["'self'", "'wasm-unsafe-eval'", *union]), \
        "the headers allow every page's scripts, and no more"
    assert site_policy["frame-ancestors"] == ["'none'"]
    assert not any(value in UNSAFE for values in site_policy.values() for value in values)


# The browser ----------------------------------------------------------------------------------

class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as Netlify or Cloudflare Pages would: with the headers of its _headers file."""

    def end_headers(self) -> None:
        lines = (Path(self.directory) / HEADERS_FILE).read_text(encoding="utf-8").splitlines()
        for line in lines[1:]:
            name, value = line.strip().split(": ", 1)
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_with_headers(folder: Path):  # type: ignore[no-untyped-def]
    return serve(folder, _HeadersHandler)


def visit(browser, url: str) -> dict:  # type: ignore[no-untyped-def]
    """What ran on the page, and what the policy refused."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    found = page.evaluate("""() => ({violations: window.__mktCsp, injected: window.__injected === true,
        handler: window.__handler === true, search: !!customElements.get('pagefind-input')})""")
    context.close()
    return found


BOARD = "handbook/2021-11/boards/community-safety-partnership/index.html"


@pytest.fixture(scope="module")
def injected_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the site in which one page has had a script slipped into it, as an attacker would."""
    site = tmp_path_factory.mktemp("csp") / "site"
    shutil.copytree(built_site, site)
    page = site / BOARD
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", INJECTED + "</body>"), encoding="utf-8")
    return site


@pytest.mark.browser
def test_the_browser_blocks_a_script_slipped_into_a_page_and_runs_the_sites_own(browser, injected_site: Path) -> None:  # type: ignore[no-untyped-def]
    with serve(injected_site) as url:
        found = visit(browser, f"{url}/{BOARD.removesuffix('index.html')}")
    assert found["injected"] is False and found["handler"] is False, "neither the script nor the event handler ran"
    assert sorted(v.split()[0] for v in found["violations"]) == ["script-src-attr", "script-src-elem"]
    print("CSP test:", found["violations"])


@pytest.mark.browser
def test_the_headers_file_alone_blocks_it_too_and_blocks_nothing_of_the_site(browser, injected_site: Path) -> None:  # type: ignore[no-untyped-def]
    """As a host that sends _headers serves it, with the page's own <meta> taken out."""
    without_meta = BOARD.replace("index.html", "without-meta.html")
    (injected_site / without_meta).write_text(META.sub("", (injected_site / BOARD).read_text(encoding="utf-8")), encoding="utf-8")
    with serve_with_headers(injected_site) as url:
        found = visit(browser, f"{url}/{without_meta}")
        assert found["injected"] is False and found["handler"] is False
        assert len(found["violations"]) == 2
        for path in ("", "handbook/2021-04/structure-chart/", "annual-report/2021-22/budget/", "404.html", "search/"):
            clean = visit(browser, f"{url}/{path}")
            assert clean["violations"] == [] and clean["search"] == (path == "search/"), path


@pytest.mark.browser
def test_search_runs_in_its_worker_under_the_headers_policy(browser, built_site: Path) -> None:  # type: ignore[no-untyped-def]
    """Pagefind's worker script gets its policy from the headers (a <meta> reaches no worker): it
    must still compile its WebAssembly and fetch its index there."""
    with serve_with_headers(built_site) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.goto(f"{url}/search/", wait_until="networkidle")
        page.locator("pagefind-input input").press_sequentially("quorum")
        page.wait_for_selector("pagefind-results .pf-result-link", timeout=30000)
        violations = page.evaluate("window.__mktCsp")
        context.close()
    assert violations == []


# The preview ----------------------------------------------------------------------------------

@pytest.mark.browser
def test_the_preview_leaves_the_policy_out_and_still_reloads_by_itself(browser, project: Path) -> None:  # type: ignore[no-untyped-def]
    """The live-reload script the preview's server injects differs on every request: no hash could
    allow it, so the preview's pages carry no policy, and an edit reloads the open page."""
    port = free_port()
    server = start(project, port)
    try:
        url = f"http://127.0.0.1:{port}/handbook/2023-10/boards/risk/"
        assert wait_for(lambda: "<h1" in (fetch(url) or "")), "the preview never came up"
        context = browser.new_context()
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.goto(url, wait_until="load")
        assert "Content-Security-Policy" not in page.content() and "livereload" in page.content()
        board = project / "data/handbook/2023-10/boards/risk.yml"
        board.write_text(board.read_text().replace("name: Risk\n", "name: Risk and Exploitation\n"))
        page.wait_for_function("document.querySelector('h1').textContent.includes('Risk and Exploitation')", timeout=120000)
        assert page.evaluate("window.__mktCsp") == []
        context.close()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output

