"""The site's search: Pagefind's index of the built pages, written to site/pagefind/.

Pagefind splits its index into small pieces that a reader's browser fetches only when they
search, on the search page (/search/), which alone loads Pagefind's interface: no other page
pays for search. What is indexed is set in the theme (main.html): each page's own content
(`data-pagefind-body`), titled with its document and edition, a superseded edition's pages
weighed down. Text repeated on every page (header, navigation, banners, the edition switcher,
heading links, source links, the address a printout names) is outside the body or excluded
here. Each glossary term is a result of its own, linking to its row of the glossary.

The index is made from the built files alone, after any engine's build (after_build.py, for the
plugin, the export's MkDocs hooks and the command run after Zensical). This module imports
nothing of ours: the export copies it beside after_build.py.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

PAGEFIND = "pagefind[bin]==1.5.2"  # the package, pinned as pyproject.toml pins it: its interface and index go out with the site
FOLDER = "pagefind"
GLOSSARY = "glossary/index.html"
EXCLUDE = [".headerlink", ".mkt-source", ".md-source-file", ".mkt-pdf", ".mkt-printed", "nav"]
# Pagefind's other interfaces, which the search page does not load
UNUSED = ["pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js"]
_TERM = re.compile(r'<tr><th scope="row" id="([^"]+)">(.*?)</th><td>(.*?)</td></tr>', re.S)
_TAG = re.compile(r"<[^>]+>")


def base_path(site_url: str | None) -> str:
    """The path the site is published under ("/" or "/mk-together/"): result links start with it.
    The theme reads it as config.extra.search_base, which the plugin and the export set."""
    path = urlsplit(site_url or "/").path.strip("/")
    return f"/{path}/" if path else "/"


def glossary_terms(page: str) -> list[tuple[str, str, str]]:
    """(anchor, term, meaning) for each row of a built glossary page."""
    return [(anchor, _text(term), _text(meaning)) for anchor, term, meaning in _TERM.findall(page)]


def _text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def glossary_page(page: str) -> str:
    """The glossary as Pagefind should see it: each term a heading with its row's anchor, so that
    each is a result of its own (a sub-result of the page) linking to its row."""
    terms = "".join(f'<h2 id="{html.escape(anchor)}">{html.escape(term)}</h2><p>{html.escape(meaning)}</p>'
                    for anchor, term, meaning in glossary_terms(page))
    return (f'<!doctype html><html lang="en"><head><title>Glossary</title></head><body>'
            f'<main data-pagefind-body><h1>Glossary</h1>{terms}</main></body></html>')


def index(site_dir: Path) -> None:
    """Index the built site in `site_dir` (a few tenths of a second for the real site).

    Pagefind's command runs on a copy of the site's pages in which the glossary is the version
    above: it writes every file before it exits. (Its Python service can be stopped before it
    has, and answers one message a tenth of a second.) The copy is made in memory where the
    system has a folder there (/dev/shm): a folder a page costs little there, and Pagefind
    meets the pages in the order they were copied, sorted, so the index is the same bytes on
    every such machine (on a disk, in the order of the disk's own hashing of their names)."""
    site_dir = Path(site_dir)
    pagefind = executable()
    output = site_dir / FOLDER
    shutil.rmtree(output, ignore_errors=True)  # no piece of an earlier index left behind
    memory = Path("/dev/shm")
    place = memory if memory.is_dir() and os.access(memory, os.W_OK) else site_dir.parent
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=place) as staging:
        for page in sorted(site_dir.rglob("*.html")):
            copy = Path(staging) / page.relative_to(site_dir)
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(page, copy)
            except OSError:  # another file system
                shutil.copyfile(page, copy)
        glossary = Path(staging) / GLOSSARY
        if glossary.is_file():
            text = glossary.read_text(encoding="utf-8")
            glossary.unlink()  # a link to the site's own page: replaced, not written through
            glossary.write_text(glossary_page(text), encoding="utf-8")
        command = [pagefind, "--site", staging, "--output-path", str(output),
                   "--force-language", "en", "--silent", *(a for s in EXCLUDE for a in ("--exclude-selectors", s))]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"pagefind failed: {done.stdout}{done.stderr}")
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)


class Missing(RuntimeError):
    """Pagefind is not installed where this Python looks: the message says what to install."""


def executable() -> str:
    """Pagefind's binary, run as it is: `python -m pagefind` costs a Python start of its own."""
    install = f'{sys.executable} -m pip install "{PAGEFIND}"'
    try:
        from pagefind.service import get_executable  # the same binary `python -m pagefind` runs
    except ImportError:
        raise Missing(f"the search index needs the pagefind package, which this Python lacks: {install}") from None
    found = get_executable()
    if found is None:
        raise Missing(f"the search index needs pagefind's binary, which is missing: {install}")
    return str(found)
