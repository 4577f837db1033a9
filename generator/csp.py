"""A strict Content-Security-Policy on every page, and the same for the host's headers.

Scripts run only from the site itself, and the theme's inline scripts only by the SHA-256 of their
text, taken from each built page (so no template change can leave a stale hash): no
'unsafe-inline', no 'unsafe-eval'. A script that slipped into a page would not run.

Each page carries its own policy as a <meta> element, first in <head>, before any script. The
deploy's headers file (`_headers`, read by Netlify and Cloudflare Pages; other hosts copy its
policy) carries the union of every page's hashes, and frame-ancestors, which a <meta> cannot. The
same inputs give the same bytes: the hashes are sorted.

The policies are written from the built files alone (`write_policies`), after any engine's build:
after_build.py runs this and then the search index, for the plugin, the export's MkDocs hooks
and the command run after Zensical, so every engine gives the same bytes. This module imports
nothing of ours: the export copies it beside after_build.py.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable
from pathlib import Path

HEADERS_FILE = "_headers"

# a <script> with no type, or one of these, runs; any other type (application/json) is data
_RUNS = {"", "text/javascript", "application/javascript", "module"}
_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)
_STYLE_ATTRIBUTE = re.compile(r"""<[a-zA-Z][^>]*?\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.I)
_OURS = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')  # as `add` writes it
_SEARCH = re.compile(r'<script [^>]*src="[^"]*pagefind/')  # the search page: Pagefind compiles WebAssembly


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_hashes(page: str) -> tuple[set[str], set[str]]:
    """The hashes a page's own inline scripts and styles need: (scripts, styles).

    A style="" attribute needs its hash and 'unsafe-hashes' (CSP level 3); pages have none today."""
    scripts, styles = set(), set()
    for match in _INLINE.finditer(page):
        tag, attributes, text = match.group(1).lower(), match.group(2), match.group(3)
        if tag == "style":
            styles.add(_digest(text))
        elif not re.search(r"\bsrc\s*=", attributes, re.I):
            kind = _TYPE.search(attributes)
            if (kind.group(1).lower() if kind else "") in _RUNS:
                scripts.add(_digest(text))
    for match in _STYLE_ATTRIBUTE.finditer(page):
        styles |= {"'unsafe-hashes'", _digest(html.unescape(match.group(1) or match.group(2) or ""))}
    return scripts, styles


def policy(scripts: set[str], styles: set[str], header: bool = False, wasm: bool = False) -> str:
    """The policy for pages whose inline scripts and styles have these hashes. Search (Pagefind,
    on the search page) runs in a web worker loaded from the site, fetches its index from the
    site, and compiles its WebAssembly: 'wasm-unsafe-eval', which allows that and no eval of
    JavaScript, on the search page and in the headers file, whose one policy also covers the
    worker's script. Icons are data: URIs in Material's stylesheet. frame-ancestors is for the
    header only: a <meta> cannot carry it."""
    directives = [
        "default-src 'self'",
        " ".join(["script-src 'self'", *(["'wasm-unsafe-eval'"] if wasm or header else []), *sorted(scripts)]),
        " ".join(["style-src 'self'", *sorted(styles)]),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if header:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


class SitePolicy:
    """One build's policies: each page's in its <meta>, and the union for the headers file. Only
    pages the theme renders count: a file copied as it is from content/ adds no hash."""

    def __init__(self) -> None:
        self.scripts: set[str] = set()
        self.styles: set[str] = set()

    def add(self, page: str) -> str:
        """The page with its policy as a <meta> element right after its charset, before any script;
        a policy written there before (a second run over the same site) is replaced, not doubled."""
        head = _CHARSET.search(page) or _HEAD.search(page)  # the charset first: it must stay in the first 1024 bytes
        if head is None:
            return page
        earlier = _OURS.match(page, head.end())
        page = page[: head.end()] + page[earlier.end():] if earlier else page
        scripts, styles = inline_hashes(page)
        self.scripts |= scripts
        self.styles |= styles
        meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(scripts, styles, wasm=bool(_SEARCH.search(page)))}">'
        return page[: head.end()] + meta + page[head.end():]

    def headers(self) -> str:
        """The headers file: one policy for every path (Netlify and Cloudflare Pages read it)."""
        return f"/*\n  Content-Security-Policy: {policy(self.scripts, self.styles, header=True)}\n"

    def write(self, site_dir: Path) -> None:
        (site_dir / HEADERS_FILE).write_text(self.headers(), encoding="utf-8")


def write_policies(site_dir: Path, docs_dir: Path | None = None, mend: Callable[[str], str] = str) -> int:
    """Every page of a built site with its policy, and the headers file; the number of pages.
    `mend` is what else a page needs first (after_build.py: the theme's markup).

    Pages are read from the site as the engine wrote them. Only pages the theme rendered count: an
    HTML file copied as it is from `docs_dir` (its docs or content folder) is left as it is and
    adds no hash."""
    site_dir = Path(site_dir)
    build = SitePolicy()
    pages = 0
    for path in sorted(site_dir.rglob("*.html")):
        if docs_dir is not None and (Path(docs_dir) / path.relative_to(site_dir)).is_file():
            continue
        text = path.read_bytes().decode("utf-8")
        pages += 1
        written = build.add(mend(text))
        if written != text:
            path.write_bytes(written.encode("utf-8"))
    build.write(site_dir)
    return pages
