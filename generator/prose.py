"""Checks on Markdown prose, read with markdown-it-py so every finding has its line."""
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
