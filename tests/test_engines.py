"""The same site from other engines: ProperDocs (MkDocs's fork) with our plugin and without MkDocs
installed, and the export built by ProperDocs and by Zensical (the Material team's successor),
which runs no MkDocs hooks: the export's after_build command follows its build.

Each engine is installed from the package index into its own environment, once a run.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from browser import serve
from conftest import FIXTURE_DISAGREEMENT, ROOT, SITE_URL, run_cli, warnings_in
from generator.csp import HEADERS_FILE
from generator.search import PAGEFIND
from linkcheck import broken_links
from test_export import data_epoch, without_pdfs

PROPERDOCS = "properdocs==1.6.7"
ZENSICAL = "zensical==0.0.73"
GENERATOR_TAG = re.compile(rb'<meta name="generator" content="[^"]*">')
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def venv(path: Path, *installs: list[str]) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, capture_output=True)
    for args in installs:
        done = subprocess.run([str(path / "bin/pip"), "install", "--quiet", *args], capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
    return path


@pytest.fixture(scope="module")
def properdocs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ProperDocs with Material and our package, and no MkDocs: Material's only requirement left out."""
    return venv(tmp_path_factory.mktemp("engines") / "properdocs", [PROPERDOCS], ["--no-deps", "mkdocs-material>=9.7,<10"],
                ["babel", "backrefs", "colorama", "jinja2", "markdown", "mkdocs-material-extensions", "paginate", "pygments",
                 "pymdown-extensions", "requests", "mergedeep", "pydantic>=2.6,<3", "PyYAML", "phonenumbers", "weasyprint>=70,<71",
                 PAGEFIND],
                ["--no-deps", "-e", str(ROOT)])


@pytest.fixture(scope="module")
def zensical(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Zensical, and what the export's README asks of the Python that runs its after_build command."""
    return venv(tmp_path_factory.mktemp("engines") / "zensical", [ZENSICAL, PAGEFIND])


def pages(site: Path) -> dict[str, bytes]:
    """Every page of a built site, the generator tag aside (it names the engine)."""
    return {p.relative_to(site).as_posix(): without_pdfs(GENERATOR_TAG.sub(b"", p.read_bytes())) for p in sorted(site.rglob("*.html"))}


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(set(a) ^ set(b)) + [n for n in a if n in b and hashlib.sha256(a[n]).digest() != hashlib.sha256(b[n]).digest()]


def test_mktogether_works_with_only_properdocs(properdocs: Path, fixture_root: Path, built_fixture: Path, tmp_path: Path) -> None:
    assert subprocess.run([str(properdocs / "bin/python"), "-c", "import mkdocs"], capture_output=True).returncode == 1, \
        "MkDocs itself is not installed"
    result = subprocess.run([str(properdocs / "bin/mktogether"), "build", "--site-dir", str(tmp_path / "site")],
                            cwd=fixture_root, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert warnings_in(result.stderr) == [FIXTURE_DISAGREEMENT], "its diagnostics print as with MkDocs"
    assert "Traceback" not in result.stderr
    assert differing(pages(built_fixture), pages(tmp_path / "site")) == []
    assert b"ProperDocs" in (tmp_path / "site/index.html").read_bytes()


def test_properdocs_builds_the_export(properdocs: Path, fixture_root: Path, built_fixture: Path, tmp_path: Path) -> None:
    assert run_cli(fixture_root, "export", str(tmp_path / "export")).returncode == 0
    result = subprocess.run([str(properdocs / "bin/properdocs"), "build", "-q", "-f", str(tmp_path / "export/mkdocs.yml"),
                             "-d", str(tmp_path / "site")], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "SOURCE_DATE_EPOCH": data_epoch(fixture_root)})
    assert result.returncode == 0, result.stderr
    assert differing(pages(built_fixture), pages(tmp_path / "site")) == []


@pytest.fixture(scope="module")
def zensical_site(zensical: Path, fixture_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    export = tmp_path_factory.mktemp("zensical") / "export"
    assert run_cli(fixture_root, "export", str(export)).returncode == 0
    result = subprocess.run([str(zensical / "bin/zensical"), "build", "-f", "mkdocs.yml"], cwd=export,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hooks/after_build.py site" in (export / "README.md").read_text(), "the README gives the command run next"
    after = subprocess.run([str(zensical / "bin/python"), "hooks/after_build.py", "site"], cwd=export,
                           capture_output=True, text=True, timeout=600)
    assert after.returncode == 0 and "Traceback" not in after.stderr, after.stderr
    return export / "site"


def test_zensical_builds_the_same_pages_with_no_broken_link(zensical_site: Path, built_fixture: Path) -> None:
    def paths(site: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}

    assert paths(zensical_site) == paths(built_fixture)
    assert (zensical_site / "pagefind/pagefind.js").is_file()
    assert broken_links(zensical_site) == [], "raw-HTML links in the charts and tables, and the search page's to Pagefind, included"
    alias = (zensical_site / "handbook/index.html").read_text()
    assert re.findall(r'<link rel="canonical" href="([^"]+)"', alias) == [SITE_URL + "handbook/2023-10/"]
    superseded = (zensical_site / "handbook/2023-04/boards/risk/index.html").read_text()
    assert "It was superseded on 1 October 2023." in superseded and "Editions of the Partnership Handbook" in superseded


def test_zensical_gives_every_page_the_same_policy_and_the_same_search_index(zensical_site: Path, built_fixture: Path) -> None:
    def policies(site: Path) -> dict[str, list[str]]:
        return {p.relative_to(site).as_posix(): POLICY.findall(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}

    def index(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}

    zensical, plugin = policies(zensical_site), policies(built_fixture)
    assert zensical == plugin and all(len(found) == 1 for found in zensical.values())
    assert (zensical_site / HEADERS_FILE).read_bytes() == (built_fixture / HEADERS_FILE).read_bytes()
    assert index(zensical_site) == index(built_fixture), "the index of the same text, byte for byte"


@pytest.mark.browser
def test_search_works_on_the_zensical_site_under_its_policy(zensical_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from test_browser import RECORD_CSP_VIOLATIONS

    with serve(zensical_site) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        page = context.new_page()
        page.goto(f"{url}/search/", wait_until="networkidle")
        page.locator("pagefind-input input").fill("risk board")
        page.wait_for_selector("pagefind-results .pf-result-link", timeout=30000)
        first = page.eval_on_selector("pagefind-results .pf-result-link", "a => a.getAttribute('href')")
        violations = page.evaluate("window.__mktCsp")
        context.close()
    assert first.endswith("/risk/") and (zensical_site / first.strip("/") / "index.html").is_file(), first
    assert violations == []


def test_zensical_pages_pass_the_nu_html_checker(zensical_site: Path) -> None:
    from test_validators import nu_errors

    assert nu_errors(zensical_site) == []


@pytest.mark.browser
def test_zensical_pages_meet_wcag_2_2_aa(zensical_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    """By axe and by HTML_CodeSniffer, at a phone's width and a desktop's."""
    from axe_playwright_python.sync_playwright import Axe

    from test_validators import sniff

    sample = ["", "handbook/2023-10/boards/risk/", "handbook/2023-10/structure-chart/", "annual-report/2023-24/attendance/",
              "annual-report/2023-24/budget/", "handbook/2023-10/what-changed/", "boards/risk/", "organisations/police/"]
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
               "resultTypes": ["violations"]}
    violations = []
    with serve(zensical_site) as url:
        for width in (375, 1280):
            for path in sample:
                page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)  # for the sniffer
                page.goto(f"{url}/{path}", wait_until="networkidle")
                violations += [f"{width} {path}: {v['id']}" for v in Axe().run(page, options=options).response["violations"]]
                violations += [f"{width} {path}: {e}" for e in sniff(page)]
                page.close()
    assert violations == []


def test_the_preview_works_with_only_properdocs(properdocs: Path, project: Path) -> None:
    """Its logs are ProperDocs's: each diagnostic still shows once, and no request log or noise."""
    from test_serve import fetch, free_port, wait_for

    board = project / "data/handbook/2023-10/boards/risk.yml"
    board.write_text(board.read_text().replace("name: Risk\n", "nme: Risk\n"))
    port = free_port()
    server = subprocess.Popen([str(properdocs / "bin/mktogether"), "serve", "--address", f"127.0.0.1:{port}"], cwd=project,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: "unknown key &#x27;nme&#x27;" in (fetch(f"http://127.0.0.1:{port}/") or ""))
        board.write_text(board.read_text().replace("nme: Risk\n", "name: Risk\n"))
        assert wait_for(lambda: 'id="risk"' in (fetch(f"http://127.0.0.1:{port}/handbook/2023-10/boards/risk/") or ""))
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output and "GET /" not in output
    assert output.count("unknown key 'nme'; did you mean 'name'?") == 1, output
    assert output.count(FIXTURE_DISAGREEMENT) == 1 and "built in" in output
