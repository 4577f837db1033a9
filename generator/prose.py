"""Markdown prose: its checks (read with markdown-it-py so every finding has its line), and the
markers where a page places what is generated from the data."""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .diagnostics import Location, Report

_md = MarkdownIt("commonmark").enable("table")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
BOARDS_MARKER = "<!-- generated: boards -->"
# an archived document's parts, placed where its prose has `<!-- generated: <part> -->`
ARCHIVE_PARTS = ("signatory", "principles", "meeting-arrangements", "membership")
MARKER = re.compile(r"<!-- generated: ([a-z-]+) -->")  # exactly so: the template splits the prose at it
NEAR_MARKER = re.compile(r"<!--\s*generated\s*:")


def _walk(tokens: Iterable[Token]) -> Iterable[tuple[Token, int]]:
    """Every token with the (0-based) line its block starts on."""
    for token in tokens:
        line = token.map[0] if token.map else 0
        yield token, line
        for child in token.children or []:
            yield child, line


def _locate(text: str, line: int, needle: str) -> tuple[int, int]:
    lines = text.split("\n")
    for offset in range(line, len(lines)):
        col = lines[offset].find(needle)
        if col >= 0:
            return offset + 1, col + 1
    return line + 1, 1


def check_prose(text: str, path: str, page_uri: str, pages: set[str], report: Report) -> None:
    """Raw HTML is refused (prose is Markdown); relative links must reach a page of the site."""
    for token, line in _walk(_md.parse(text)):
        if token.type in ("html_block", "html_inline"):
            html = token.content.strip()
            if html.startswith("<!--"):
                continue
            ln, col = _locate(text, line, html.split("\n")[0][:40])
            report.error(
                Location(path, ln, col),
                f"HTML is not allowed in prose ('{html[:30]}'); write it in Markdown, which the site turns into safe HTML",
            )
        elif token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            if not href or href.startswith("#") or _EXTERNAL.match(href):
                continue
            target = href.split("#")[0]
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), target))
            if resolved.endswith("/"):
                resolved += "index.md"
            if resolved not in pages:
                ln, col = _locate(text, line, f"]({href}")
                report.error(
                    Location(path, ln, col + 2),
                    f"link to '{href}', which is not a page of the site; link to a .md page such as 'boards/risk.md'",
                )


def split_at_marker(text: str) -> tuple[str, str]:
    """Prose before and after the line where a generated list goes (all before, if no marker)."""
    before, sep, after = text.partition(BOARDS_MARKER)
    return (before, after) if sep else (text, "")


def check_archive_prose(text: str, path: str, report: Report) -> None:
    """Every `<!-- generated: ... -->` marker names a part, once."""
    seen: set[str] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        if NEAR_MARKER.search(line) and not MARKER.search(line):
            report.error(Location(path, number, NEAR_MARKER.search(line).start() + 1),  # type: ignore[union-attr]
                         "write the marker exactly as '<!-- generated: <part> -->', with one space each side")
        for match in MARKER.finditer(line):
            name = match.group(1)
            if name not in ARCHIVE_PARTS:
                report.error(Location(path, number, match.start() + 1),
                             f"unknown part '{name}'; the parts are: {', '.join(ARCHIVE_PARTS)}")
            elif name in seen:
                report.error(Location(path, number, match.start() + 1), f"the part '{name}' is placed twice; keep one marker")
            seen.add(name)
