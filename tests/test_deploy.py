"""Publishing: the workflow that builds with `make site` and publishes to GitHub Pages, and the site
served from a sub-path of a host, as a static host or CDN would serve it, with no broken link."""
from __future__ import annotations

import http.server
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from browser import serve
from conftest import PROJECT, ROOT, run_cli
from linkcheck import crawl

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
PREFIX = "/mk-together/"


def test_the_workflow_builds_with_make_site_and_publishes_site_to_github_pages() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = {s.get("uses", "").split("@")[0] or s.get("name"): s for s in build["steps"]}
    assert str(steps["actions/setup-python"]["with"]["python-version"]) == "3.11"
    assert steps["actions/configure-pages"]["id"] == "pages"
    make = next(s for s in build["steps"] if s.get("run") == "make site")
    assert make["env"]["MKTOGETHER_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/", "the public URL, set once"
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


class _UnderPrefix(http.server.SimpleHTTPRequestHandler):
    """A static host serving the site at PREFIX only, and its 404 page for anything missing there."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "\0")  # no such file: outside the site
        return super().translate_path("/" + path[len(PREFIX):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        missing = Path(self.directory) / "404.html"
        if code != 404 or not self.path.startswith(PREFIX) or not missing.is_file():
            return super().send_error(code, message, explain)
        body = missing.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def host(folder: Path):  # type: ignore[no-untyped-def]
    """The server first, so that its address is known before the site is built for it."""
    return serve(folder, _UnderPrefix, PREFIX)


@pytest.fixture(scope="module")
def under_a_sub_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The real site, built for and served at http://127.0.0.1:PORT/mk-together/."""
    site = tmp_path_factory.mktemp("sub-path") / "site"
    with host(site) as base:
        result = run_cli(PROJECT, "build", "--site-dir", str(site), MKTOGETHER_SITE_URL=base)
        assert result.returncode == 0, result.stderr
        yield base, site


def test_every_page_and_file_reached_from_home_under_a_sub_path_answers(under_a_sub_path: tuple[str, Path]) -> None:
    base, site = under_a_sub_path
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith(base) for loc in locations), "the sitemap names the sub-path"
    status, broken = crawl(base, [base, base + "no/such/page/"])
    assert broken == []
    assert status[base] == 200 and status[base + "no/such/page/"] == 404
    pages = {base + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")}
    pages = {p.replace("/./", "/") for p in pages}
    assert pages - set(status) == set(), "every page is reached by following links from home"
    assert set(locations) <= set(status), "every page of the sitemap is one of them"
    assert sum(1 for url in status if not url.endswith("/")) > 10, "their stylesheets, scripts and images too"


def test_canonical_links_and_the_404_page_use_the_sub_path(under_a_sub_path: tuple[str, Path]) -> None:
    base, site = under_a_sub_path
    for path in sorted(site.rglob("index.html")):
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)"', path.read_text(encoding="utf-8"))
        assert len(canonical) == 1 and canonical[0].startswith(base), path
    missing = (site / "404.html").read_text(encoding="utf-8")
    assert f'href="{PREFIX}assets/' in missing, "the 404 page, served at any depth, links its assets by the sub-path"
    assert not re.search(r'(?:href|src)="/(?!mk-together/)', missing)


@pytest.mark.browser
def test_search_fetches_its_index_and_links_its_results_under_the_sub_path(browser, under_a_sub_path: tuple[str, Path]) -> None:  # type: ignore[no-untyped-def]
    base, _ = under_a_sub_path
    page = browser.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(base + "search/", wait_until="networkidle")
    page.locator("pagefind-input input").fill("risk board")
    page.wait_for_selector("pagefind-results .pf-result-link", timeout=30000)
    first = page.eval_on_selector("pagefind-results .pf-result-link", "a => a.href")
    page.close()
    assert missing == []
    assert first.startswith(base) and crawl(first, [first])[0][first] == 200, first


def test_the_crawl_sees_a_link_that_leaves_the_sub_path(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="/elsewhere/">out</a><a href="a/">ok</a><a href="gone/">gone</a>'
                                         '<a href="https://example.org/">other host</a>')
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<a href="../#nope">anchor</a>')
    with host(tmp_path) as base:
        _, broken = crawl(base, [base])
    assert broken == ["/: /elsewhere/ (outside " + base + ")", "/: gone/ (404)", "a/: ../#nope (no #nope)"]
