"""What each page says of itself in a browser tab, to a search engine and in a link preview: a
unique title naming its document and edition, a description of its own, Open Graph tags, a
canonical address from the configured site URL, breadcrumbs, and a sitemap of canonical
addresses dated from the data."""
from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, SITE_URL, copy_fixture, run_cli



def pages(site: Path) -> dict[str, str]:
    """Every page by its address from the root ("" for home), 404 aside."""
    found = {}
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        found["" if rel == "." else rel + "/"] = path.read_text(encoding="utf-8")
    return found


def meta(page: str, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else None


def title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page).group(1))


def canonical(page: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]*)"', page).group(1)


def editions(root: Path) -> dict[str, dict]:
    return {p.parent.relative_to(root / "data").as_posix(): yaml.safe_load(p.read_text())
            for p in (root / "data").glob("*/*/edition.yml")}


def aliases(site: dict[str, str]) -> set[str]:
    """Addresses that show another page (/handbook/ shows the edition in force)."""
    return {path for path, page in site.items() if canonical(page) != SITE_URL + path}


@pytest.fixture(scope="module", params=["real", "fixture"])
def site(request, built_site: Path, built_fixture: Path) -> tuple[Path, dict[str, str]]:  # type: ignore[no-untyped-def]
    built = built_site if request.param == "real" else built_fixture
    return built, pages(built)


def test_every_title_is_unique_and_names_its_document_and_edition(site) -> None:  # type: ignore[no-untyped-def]
    _, found = site
    titles = Counter(title(page) for page in found.values())
    assert [t for t, n in titles.items() if n > 1] == []
    for path, page in found.items():
        assert title(page).endswith(" – MK Together") or (path == "" and title(page).startswith("MK Together: ")), path
        edition = re.match(r"(handbook|annual-report)/(\d{4}-\d{2})/", path)
        if edition:
            document = "Partnership Handbook" if edition.group(1) == "handbook" else "Safeguarding Annual Report"
            assert f"{document}, " in title(page), (path, title(page))
            label = re.search(r'<li><a href="[^"]*" aria-current="page">([^<]+)</a>', page)
            assert label and label.group(1) in title(page), (path, title(page))  # the switcher's name for the edition


def test_every_page_has_a_description_of_its_own_and_open_graph_tags(site) -> None:  # type: ignore[no-untyped-def]
    _, found = site
    seen: dict[str, str] = {}
    alias = aliases(found)
    for path, page in found.items():
        description = meta(page, "name", "description")
        assert description and len(description) <= 160, path
        assert len(description.split()) >= 4, f"{path}: {description!r} is a name, not a description"
        assert not description.startswith("The MK Together partnership of Milton Keynes"), f"{path}: the site's own description"
        if path not in alias:
            assert description not in seen, f"{path} and {seen.get(description)} say the same"
            seen[description] = path
        assert meta(page, "property", "og:title") == title(page), path
        assert meta(page, "property", "og:description") == description, path
        assert meta(page, "property", "og:url") == canonical(page), path
        assert meta(page, "property", "og:type") == "website" and meta(page, "property", "og:site_name") == "MK Together"


def test_the_canonical_address_is_the_pages_own_at_the_site_url(site) -> None:  # type: ignore[no-untyped-def]
    _, found = site
    alias = aliases(found)
    assert alias and alias <= {"handbook/", "annual-report/"}
    for path in alias:
        target = canonical(found[path]).removeprefix(SITE_URL)
        assert re.fullmatch(rf"{path}\d{{4}}-\d{{2}}/", target) and target in found, path
        assert found[path].count("<h1") == 1 and title(found[path]) != title(found[target])


def test_a_public_build_names_no_local_address(built_site: Path) -> None:
    """What a search engine or a feed reader reads names the published address, never the
    uploader's computer: canonical links, Open Graph, the sitemap, the feed, the data downloads."""
    local = re.compile(r"127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\]")
    texts = [p for p in built_site.rglob("*") if p.suffix in (".html", ".xml", ".json", ".txt", ".csv")]
    assert len(texts) > 100
    assert [p.relative_to(built_site).as_posix() for p in texts if local.search(p.read_text(encoding="utf-8"))] == []
    assert SITE_URL.startswith("https://") and SITE_URL in (built_site / "sitemap.xml").read_text()


def test_a_configured_site_url_is_the_canonical_origin(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path / "project")
    out = tmp_path / "site"
    assert run_cli(root, "build", "--drafts", "--site-dir", str(out), MKTOGETHER_SITE_URL="https://example.org/mk/").returncode == 0
    page = (out / "boards/index.html").read_text()
    assert canonical(page) == "https://example.org/mk/boards/"
    assert "<loc>https://example.org/mk/boards/</loc>" in (out / "sitemap.xml").read_text()
    assert '<pagefind-config base-url="/mk/" bundle-path="/mk/pagefind/">' in (out / "search/index.html").read_text(), \
        "search fetches its index and links its results under the site's path"


def test_breadcrumbs_lead_home_through_each_page_above(site) -> None:  # type: ignore[no-untyped-def]
    built, found = site
    for path, page in found.items():
        crumbs = re.search(r'<nav class="mkt-breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', page, re.S)
        if path == "":
            assert crumbs is None
            continue
        assert crumbs, path
        links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', crumbs.group(1))
        assert links[0][1] == "Home", path
        above = [(built / path / href).resolve() for href, _ in links]
        for folder, (href, _) in zip(above, links, strict=True):
            assert (folder / "index.html").is_file(), f"{path}: {href}"
            assert (built / path).resolve().is_relative_to(folder) and folder != (built / path).resolve(), f"{path}: {href} is not above it"
        assert len(set(above)) == len(above), path


def test_the_sitemap_lists_canonical_addresses_dated_from_the_data(built_site: Path) -> None:
    found = pages(built_site)
    sitemap = (built_site / "sitemap.xml").read_text()
    listed = dict(re.findall(r"<loc>([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>", sitemap))
    expected = {SITE_URL + path for path in found if path not in aliases(found) and path != "search/"}
    assert set(listed) == expected
    found_editions = {k: v for k, v in editions(PROJECT).items() if v["status"] == "published"}
    published = {k: v["published"].isoformat() for k, v in found_editions.items()}
    changed = {k: max([v["published"], *(c["date"] for c in v.get("corrections") or [])]).isoformat()
               for k, v in found_editions.items()}  # an edition's pages last changed when it was last corrected
    for url, lastmod in listed.items():
        edition = re.match(r"(handbook|annual-report)/\d{4}-\d{2}", url.removeprefix(SITE_URL))
        if edition:
            assert lastmod == changed[edition.group(0)], url
        else:
            assert lastmod == max(published.values()), url
