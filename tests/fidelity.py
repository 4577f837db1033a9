"""Does every sentence, list item and table cell of a published document appear on the site?

Both sides are reduced to lowercase words, so that what is compared is the wording, not the
typography: markup, bullets, "a)" letters, footnote numbers, quote and dash styles and
punctuation are not the document's content.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml

_TAG_BREAK = re.compile(r"</?(?:p|li|ul|ol|br|td|tr|th|table|div|h\d)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_FOOTNOTE = re.compile(r"<sup>\s*\d+\s*</sup>", re.I)
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_MARKER = re.compile(r"^(?:#+|[-*•]|\d+\)|[a-z]\)|\d+\.|>)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])")


def words(text: str) -> str:
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", html.unescape(text))  # 1,564 and 1564 are one figure
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(?<=\w)'(?=\w)", "", text)  # children's -> childrens, on both sides alike
    return " ".join(re.findall(r"[a-z0-9£]+", text))


def units(source: str) -> list[str]:
    """The sentences, list items and cells of a seed, in order, each as it was printed."""
    text = _FOOTNOTE.sub(" ", source)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)  # autolinks are text, not tags
    text = _TAG_BREAK.sub("\n", text)
    text = _TAG.sub(" ", text)
    text = text.replace("\t", "\n")
    text = _MD_LINK.sub(lambda m: m.group(1) if m.group(2).startswith(("mailto:", "#")) else f"{m.group(1)} {m.group(2)}", text)
    found: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        while _MARKER.match(line):
            line = _MARKER.sub("", line, count=1).strip()
        if not line or set(line) <= set("-*_ "):
            continue
        for sentence in _SENTENCE_END.split(line):
            if re.search(r"[A-Za-z0-9]", sentence):
                found.append(sentence.strip())
    return found


class _TextOfArticle(HTMLParser):
    """The text of a built page's main content, with the addresses its links go to."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if self.depth and tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("http"):
                self.hrefs.append(href)
        if self.depth and tag in ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "dd", "dt", "br", "div", "blockquote"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _TextOfArticle()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts) + "\n" + "\n".join(parser.hrefs)


@dataclass
class Fidelity:
    total: int
    missing: list[str]

    @property
    def percent(self) -> float:
        return 100.0 * (self.total - len(self.missing)) / self.total if self.total else 100.0


def corrections(root: Path, edition: str) -> list[tuple[str, str]]:
    """The words each correction recorded on an edition replaced, and what it put in their place: a
    published edition is its seed as printed, but for these."""
    path = root / "data" / edition / "edition.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}  # an archived document has none
    return [(r["before"], r["after"]) for c in data.get("corrections") or [] for r in c.get("replaced") or []]


def fidelity(seed: Path, pages: list[Path], corrected: list[tuple[str, str]] = []) -> Fidelity:
    """Which units of the seed are not on the given pages."""
    return fidelity_in(seed, "\n".join(page_text(p) for p in pages), corrected)


def fidelity_in(seed: Path, text: str, corrected: list[tuple[str, str]] = []) -> Fidelity:
    """Which units of the seed are not in the given text (a PDF's, say), each as corrected since."""
    haystack = " " + words(text) + " "
    all_units = [u for u in units(seed.read_text(encoding="utf-8")) if words(u)]

    # each correction sentence by sentence, as the seed's units are: its words may run into the next
    pairs = [(words(b), words(a)) for before, after in corrected
             for b, a in zip(*(re.split(r"(?<=[.!?])\s+", x) for x in (before, after))) if words(b) != words(a)]

    def as_corrected(unit: str) -> str:
        said = f" {words(unit)} "
        for before, after in pairs:
            said = said.replace(f" {before} ", f" {after} ")
        return said

    missing = [u for u in all_units if as_corrected(u) not in haystack]
    return Fidelity(len(all_units), missing)
