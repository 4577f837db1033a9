"""Every internal link and anchor of a built site resolves: in its files, or served over HTTP."""
from __future__ import annotations

import posixpath
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse


class _Page(HTMLParser):
    def __init__(self, collect_all: bool = False) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.collect_all = collect_all  # canonical and alternate links too: over HTTP they are the site's own

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key] or "")
        for key in ("href", "src"):
            if a.get(key) and (self.collect_all or not (tag == "link" and a.get("rel") in ("canonical", "alternate"))):
                self.links.append(a[key] or "")


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path) -> list[str]:
    pages = {p.relative_to(site).as_posix(): _parse(p) for p in site.rglob("*.html")}
    broken = []
    for name, page in pages.items():
        for link in page.links:
            url = urlparse(link)
            if url.scheme or link.startswith("//"):
                continue  # another site, mailto: and the like
            if url.path.startswith("/"):  # root-relative, as on the 404 page
                target = posixpath.normpath(unquote(url.path).lstrip("/") or ".")
            elif url.path:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(url.path)))
            else:
                target = name
            if target == "." or url.path.endswith("/") or (site / target).is_dir():
                target = posixpath.normpath(posixpath.join(target, "index.html"))
            if target.startswith("..") or not (site / target).is_file():
                broken.append(f"{name}: {link} (no {target})")
            elif url.fragment and target in pages and unquote(url.fragment) not in pages[target].ids:
                broken.append(f"{name}: {link} (no #{url.fragment} in {target})")
    return broken


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


def crawl(base: str, starts: list[str]) -> tuple[dict[str, int], list[str]]:
    """Every page and file a browser reaches from `starts` by the links of the site's pages (canonical
    and feed links included), within `base`, the address the site is published at (a URL ending in
    '/'). Gives each URL fetched with its status, and each broken link: one that answers with an
    error, leaves `base` on the same host, or names an anchor its page lacks. Other hosts are left be."""
    status: dict[str, int] = {}
    pages: dict[str, _Page] = {}
    linked: list[tuple[str, str, str]] = []  # (page, link as written, absolute URL)
    queue = list(starts)
    while queue:
        url = queue.pop()
        if url in status:
            continue
        code, kind, body = _get(url)
        status[url] = code
        if kind != "text/html":
            continue
        page = pages[url] = _Page(collect_all=True)
        page.feed(body.decode("utf-8"))
        for link in page.links:
            target = urljoin(url, link)
            linked.append((url, link, target))
            address, _ = urldefrag(target)
            if urlparse(target).scheme in ("http", "https") and address.startswith(base):
                queue.append(address)
    broken = []
    host = urlparse(base).netloc
    for page_url, link, target in linked:
        address, fragment = urldefrag(target)
        if urlparse(target).netloc != host or urlparse(target).scheme not in ("http", "https"):
            continue
        where = page_url.removeprefix(base) or "/"
        if not address.startswith(base):
            broken.append(f"{where}: {link} (outside {base})")
        elif status[address] != 200:
            broken.append(f"{where}: {link} ({status[address]})")
        elif fragment and address in pages and unquote(fragment) not in pages[address].ids:
            broken.append(f"{where}: {link} (no #{fragment})")
    return status, sorted(set(broken))
