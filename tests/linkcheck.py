"""Every internal link and anchor of a built site resolves."""
from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key] or "")
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
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
