"""Markdown prose: its checks, and the markers where a page places what is generated from the data.

The verdict on prose comes from what Python-Markdown makes of it, with the extensions of the
project's mkdocs.yml: the HTML that MkDocs will put on the page. Python-Markdown gives no line
numbers, so each finding is then found in the source text for its line and column.

How editor-written HTML is told from HTML that Markdown generated: the parser is instrumented at
the two places where Python-Markdown takes raw HTML from its input, the `html_block`
preprocessor (block HTML, comments, md_in_html elements) and the `html` inline pattern (inline
tags and comments). Whatever those two store in `md.htmlStash` is the editor's; anything else in
the stash (fenced code, entities) is Markdown's own. Reading the whole stash after conversion
would not do: fenced code is stashed too, and md_in_html empties the entries it parses. A
postprocessor that runs before `raw_html` keeps the page as Markdown made it, with raw HTML still
behind its placeholders: the links and images checked are those Markdown made. `attr_list` is
watched too, since `{: onclick=... }` sets any attribute on a generated element.
"""
from __future__ import annotations

import bisect
import functools
import os
import posixpath
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import markdown
import yaml
from markdown import util as md_util
from markdown.postprocessors import Postprocessor

from .diagnostics import Location, Report
from .text import near_spelling

BOARDS_MARKER = "<!-- generated: boards -->"
# an archived document's parts, placed where its prose has `<!-- generated: <part> -->`
ARCHIVE_PARTS = ("signatory", "principles", "meeting-arrangements", "membership")
MARKER = re.compile(r"<!-- generated: ([a-z-]+) -->")  # exactly so: the template splits the prose at it
NEAR_MARKER = re.compile(r"<!--\s*generated\s*:")

# MkDocs always adds these to the project's own markdown_extensions (mkdocs/config/defaults.py)
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
# what the project's mkdocs.yml says, for when no project is at hand
DEFAULT_EXTENSIONS: tuple[str | dict[str, Any], ...] = (
    "abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables",
    {"toc": {"permalink": True, "permalink_title": "Link to this section"}},
)

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
# what `{: ... }` (attr_list) may set; href and src are judged as links and images are
ALLOWED_ATTRIBUTES = {"id", "title", "lang", "dir", "width", "height", "alt", "href", "src"}
# elements that make the browser fetch something, and the attributes naming what
EMBEDDED = {"img": ("src", "srcset"), "iframe": ("src",), "embed": ("src",), "object": ("data",),
            "video": ("src", "poster"), "audio": ("src",), "source": ("src", "srcset"), "track": ("src",),
            "script": ("src",), "link": ("href",), "input": ("src",), "image": ("href",)}

NOT_A_PAGE = "link to '{}', which is not a page of the site; link to a .md page such as 'boards/risk.md'"
BAD_SCHEME = ("link to '{}' is not allowed; links go to web pages (https://…), email (mailto:), phone (tel:) "
              "or pages of the site")
REMOTE_IMAGE = ("{} from another site ('{}') is not allowed: the site makes no request to any other host; "
                "save the image under content/ and link it relatively")
SCHEME_IMAGE = "{} from '{}' is not allowed; save the image under content/ and link it relatively"
MISSING_IMAGE = "image '{}' is not a file of the site (there is no {}); save the image there and link it relatively"
OUTSIDE_IMAGE = "image '{}' is not under {}/; save the image under content/ and link it relatively"
MISSING_FILE = "link to '{}', which is not a file of the site (there is no {}); save the file there and link it relatively"
OUTSIDE_FILE = "link to '{}', which is not under {}/; save the file under content/ and link it relatively"
# a link to one of these is meant as a page: a document is any other file, saved under content/
_PAGE_SUFFIXES = {".md", ".html", ".htm"}
HTML_IN_PROSE = "HTML is not allowed in prose ('{}'); write it in Markdown, which the site turns into safe HTML"
HTML_AUTOLINK = "'{}' is read as HTML and shows nothing; write the link as [{}]({})"
BAD_ATTRIBUTE = ("the attribute '{}' is not allowed in prose; '{{: … }}' may set only an id (#id), a title, "
                 "or an image's width and height")
BLANK_BEFORE_LIST = "add a blank line before this list; without it the list is read as part of the paragraph above"
BLANK_BEFORE_TABLE = "add a blank line before this table; without it the table is read as part of the paragraph above"
NESTED_INDENT = "indent a nested list by four spaces; with {} it renders flat"
PAREN_LIST = "write '{0}.' for a numbered list; '{0})' is not read as a list"
HASH_HEADING = "put a space after '#' to make a heading, or escape it as '\\#' to keep the #"

_NUMBERS = {1: "one", 2: "two", 3: "three", 5: "five", 6: "six", 7: "seven"}
_QUOTE = 30  # characters of the offending text quoted in a message


# ---------------------------------------------------------------------------------------------
# The parser: Python-Markdown as MkDocs configures it, instrumented


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml safely: `!ENV` gives its value as MkDocs would, other tags their plain value."""


def _plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' `!ENV NAME` or `!ENV [NAME, ..., default]`: the first variable set, else the default."""
    names = [node.value] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)  # type: ignore[arg-type]
    found = next((os.environ[n] for n in names[:-1] or names if isinstance(n, str) and n in os.environ), None)
    return found if found is not None else (names[-1] if len(names) > 1 else None)


_ConfigLoader.add_multi_constructor("!", _plain)
_ConfigLoader.add_constructor("!ENV", _env)


def _extensions(entries: Any) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """MkDocs' `markdown_extensions` (a list of names or {name: options}, or one mapping) as Markdown takes them."""
    names: list[str] = list(MKDOCS_BUILTIN_EXTENSIONS)
    configs: dict[str, dict[str, Any]] = {}
    items: Iterable[Any] = entries.items() if isinstance(entries, dict) else (entries or [])
    for item in items:
        pairs = [item] if isinstance(item, tuple) else list(item.items()) if isinstance(item, dict) else [(item, None)]
        for name, options in pairs:
            if name not in names:
                names.append(str(name))
            if isinstance(options, dict):
                configs[str(name)] = options
    return names, configs


def read_config(path: Path) -> dict[str, Any] | None:
    """mkdocs.yml, or None if there is none."""
    if not path.is_file():
        return None
    loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # a SafeLoader
    return loaded if isinstance(loaded, dict) else {}


def prose_markdown(root: Path) -> markdown.Markdown:
    """The Markdown parser MkDocs renders the project's prose with (the project's mkdocs.yml), for `check_prose`.

    Build it once per project and pass it to every `check_prose` call: it is reset between documents.
    Relative images are looked up in the project's docs_dir (content/)."""
    config = read_config(root / "mkdocs.yml")
    entries = DEFAULT_EXTENSIONS if config is None else config.get("markdown_extensions", [])
    docs_dir = root / str((config or {}).get("docs_dir") or "content")
    return _build(entries, docs_dir, root)


@functools.lru_cache(maxsize=1)
def _default_markdown() -> markdown.Markdown:
    """For callers that pass no parser: the extensions of the repository's own mkdocs.yml, and no docs
    folder to look images up in (a relative image is then only held inside the site)."""
    config = read_config(Path(__file__).resolve().parent.parent / "mkdocs.yml")
    return _build(DEFAULT_EXTENSIONS if config is None else config.get("markdown_extensions", []), None, None)


def _build(entries: Any, docs_dir: Path | None, root: Path | None) -> markdown.Markdown:
    names, configs = _extensions(entries)
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    _Probe(md, docs_dir, root)
    return md


@dataclass
class _Rendering:
    html: str  # the page as MkDocs gets it from Python-Markdown
    skeleton: str  # the same before raw HTML goes back in: only what Markdown made
    raw_html: list[str]  # what the editor wrote as HTML, in the order Python-Markdown met it
    attributes: list[tuple[str, str]] = field(default_factory=list)  # (attr_list text, attribute it set)


class _Probe:
    """Hooks on one Markdown instance that record the editor's raw HTML, attr_list attributes and the skeleton."""

    def __init__(self, md: markdown.Markdown, docs_dir: Path | None, root: Path | None):
        self.md, self.docs_dir, self.root = md, docs_dir, root
        self.lock = threading.Lock()
        self.raw_html: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.skeleton = ""
        md.__dict__["_mktogether_probe"] = self

        block = md.preprocessors["html_block"]  # md_in_html's own, when that extension is on
        block_run = block.run

        def run(lines: list[str]) -> list[str]:
            start = md.htmlStash.html_counter
            out = block_run(lines)
            self._record(start)
            return out

        block.run = run  # type: ignore[method-assign]

        inline = md.inlinePatterns["html"]  # inline tags and comments; entities are the "entity" pattern's
        inline_match = inline.handleMatch

        def handle_match(m: re.Match[str], data: str) -> Any:
            start = md.htmlStash.html_counter
            result = inline_match(m, data)  # type: ignore[call-arg]
            self._record(start)
            return result

        inline.handleMatch = handle_match  # type: ignore[method-assign,assignment]

        if "attr_list" in md.treeprocessors:
            attr_list = md.treeprocessors["attr_list"]
            assign = attr_list.assign_attrs  # type: ignore[attr-defined]

            def assign_attrs(elem: Element, attrs_string: str, *, strict: bool = False) -> str:
                before = dict(elem.attrib)
                remainder = assign(elem, attrs_string, strict=strict)
                for name, value in elem.attrib.items():
                    if (name not in before or before[name] != value) and name.lower() not in ALLOWED_ATTRIBUTES:
                        self.attributes.append((attrs_string, name))
                return remainder

            attr_list.assign_attrs = assign_attrs  # type: ignore[attr-defined]

        probe = self

        class Skeleton(Postprocessor):
            def run(self, text: str) -> str:
                probe.skeleton = text.replace(md_util.AMP_SUBSTITUTE, "&")
                return text

        # raw_html (md_in_html's own, when on) puts raw HTML back at priority 30; higher runs first
        md.postprocessors.register(Skeleton(md), "mktogether_skeleton", 35)

    def _record(self, start: int) -> None:
        for entry in self.md.htmlStash.rawHtmlBlocks[start:self.md.htmlStash.html_counter]:
            if isinstance(entry, Element):  # md_in_html: an element whose content is Markdown
                attrs = "".join(f' {k}="{v}"' for k, v in entry.attrib.items())
                self.raw_html.append(f"<{entry.tag}{attrs}>")
            else:
                self.raw_html.append(entry)

    def render(self, text: str) -> _Rendering:
        """Convert one document; the caller holds the lock."""
        self.raw_html, self.attributes, self.skeleton = [], [], ""
        self.md.reset()
        stash = self.md.htmlStash
        stash.tag_counter, stash.tag_data = 0, []  # reset() leaves these to grow
        html = self.md.convert(text)
        result = _Rendering(html, self.skeleton, self.raw_html, self.attributes)
        self.md.reset()
        return result

    def tags(self, text: str) -> list[str]:
        """The sequence of tags of a rendering: its shape, whatever the words."""
        return _TAG.findall(self.render(text).html)


_TAG = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9]*)")


def _probe(md: markdown.Markdown) -> _Probe:
    probe = md.__dict__.get("_mktogether_probe")
    return probe if isinstance(probe, _Probe) else _Probe(md, None, None)


# ---------------------------------------------------------------------------------------------
# The source: where each finding is


_FENCE = re.compile(r"^(`{3,}|~{3,})")  # fenced_code reads fences at the start of a line only
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)


class _Source:
    """The prose text, with code masked out of searches, and a cursor for each thing looked for."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self.fenced = [False] * len(self.lines)
        fence = ""
        for n, line in enumerate(self.lines):
            m = _FENCE.match(line)
            if fence:
                self.fenced[n] = True
                if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                    fence = ""
            elif m and not (m.group(1)[0] == "`" and "`" in line[m.end():]):
                self.fenced[n] = True
                fence = m.group(1)
        masked = [("\0" * len(line) if f else line) for line, f in zip(self.lines, self.fenced, strict=True)]
        joined = "\n".join(masked)
        self.masked = _CODE_SPAN.sub(lambda m: m.group(1) + "\0" * len(m.group(2)) + m.group(1), joined)
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.cursors: dict[str, int] = {}

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def find(self, needles: Iterable[str], prefix: str = "") -> tuple[int, int] | None:
        """The next place (line, col) of the first needle found, preferring one preceded by `prefix` (a regex)."""
        for needle in dict.fromkeys(n for n in needles if n):
            key = prefix + "\0" + needle
            # Python-Markdown expands tabs: a run of spaces it gives may be tabs in the source
            body = "(?P<n>" + re.sub(r"(?:\\ )+", lambda _: "[ \t]+", re.escape(needle)) + ")"
            patterns = ([re.compile(f"(?:{prefix}){body}")] if prefix else []) + [re.compile(body)]
            for pattern in patterns:
                for start in (self.cursors.get(key, 0), 0):
                    m = pattern.search(self.masked, start)
                    if m:
                        self.cursors[key] = m.start("n") + 1
                        return self.position(m.start("n"))
        return None


# ---------------------------------------------------------------------------------------------
# Links and resources


class _Elements(HTMLParser):
    """Every start tag of the HTML Markdown made, with its attributes decoded and as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}, self.get_starttag_text() or ""))


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_STRIP = "".join(chr(c) for c in range(0x21))  # C0 controls and space, which browsers strip


def _normalised(url: str) -> str:
    """The URL as a browser reads it: outer controls and spaces stripped, tabs and newlines dropped, '\\' as '/'."""
    return re.sub(r"[\t\n\r]", "", url.strip(_STRIP)).replace("\\", "/")


def url_scheme(url: str) -> str | None:
    """A link's scheme as a browser reads it ('javascript' for ' JaVa\tScript:'), or None for a relative link."""
    m = _SCHEME.match(_normalised(url))
    return m.group(1).lower() if m else None


def _shown(url: str) -> str:
    """A URL for a message: as the browser reads it, but in the editor's capitals, and not too long."""
    url = re.sub(r"[\t\n\r]", "", url.strip(_STRIP))
    return url if len(url) <= 40 else url[:40] + "…"


def _written(raw_tag: str, name: str) -> str:
    """An attribute's value as the serializer wrote it, with its escaping undone (entities stay)."""
    m = re.search(rf'\s{name}="([^"]*)"', raw_tag)
    if not m:
        return ""
    return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _resolve(page_uri: str, target: str) -> str:
    """A relative link's target as a src_uri, from the page the prose is placed in ('x/' is 'x/index.md')."""
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), target))
    if target.endswith("/") or posixpath.basename(target) in (".", ".."):
        resolved = "index.md" if resolved == "." else resolved + "/index.md"
    return resolved


_LINK_PREFIX = r"\]\(\s*<?|\]:[ \t]*<?|<"  # where a link or image destination is written


def _check_elements(rendering: _Rendering, probe: _Probe, src: _Source, page_uri: str, pages: set[str],
                    where: Callable[[tuple[int, int] | None], Location], report: Report) -> None:
    parser = _Elements()
    parser.feed(rendering.skeleton)
    parser.close()
    for tag, attrs, raw_tag in parser.found:
        if tag == "a" and "href" in attrs:
            href = attrs["href"]
            if not href.strip() or _normalised(href).startswith(("#", "//")):
                continue
            scheme = url_scheme(href)
            at = src.find([_written(raw_tag, "href"), href], _LINK_PREFIX)
            if scheme is not None:
                if scheme not in ALLOWED_SCHEMES:
                    report.error(where(at), BAD_SCHEME.format(_shown(href)))
                continue
            target = unquote(_normalised(href).split("#")[0].split("?")[0])
            if _is_document(target):
                problem = _document_problem(href, target, page_uri, probe)
                if problem:
                    report.error(where(at), problem)
            elif _resolve(page_uri, target) not in pages:
                report.error(where(at), NOT_A_PAGE.format(href))
        for name in EMBEDDED.get(tag, ()):
            value = attrs.get(name)
            if value is None:
                continue
            urls = [u.strip().split()[0] for u in value.split(",") if u.strip()] if name == "srcset" else [value]
            for url in urls:
                what = "an image" if tag in ("img", "image") or name == "poster" else f"a {tag}"
                message = _resource_problem(url, what, page_uri, pages, probe)
                if message:
                    report.error(where(src.find([_written(raw_tag, name), url], _LINK_PREFIX)), message)


def _is_document(target: str) -> bool:
    """A link to a file saved under content/ (a PDF, a spreadsheet), published as it is; not a page."""
    suffix = posixpath.splitext(target)[1].lower()
    return bool(suffix) and suffix not in _PAGE_SUFFIXES and not target.endswith("/")


def _document_problem(href: str, target: str, page_uri: str, probe: _Probe) -> str | None:
    resolved = _resolve(page_uri, target)
    docs_name = _docs_name(probe)
    if target.startswith("/") or resolved.startswith("../") or resolved == "..":
        return OUTSIDE_FILE.format(_shown(href), docs_name)
    if probe.docs_dir is not None and not (probe.docs_dir / resolved).is_file():
        return MISSING_FILE.format(href, f"{docs_name}/{resolved}")
    return None


def _docs_name(probe: _Probe) -> str:
    docs = probe.docs_dir
    if docs is not None and probe.root is not None and docs.is_relative_to(probe.root):
        return docs.relative_to(probe.root).as_posix()
    return "content"


def _resource_problem(url: str, what: str, page_uri: str, pages: set[str], probe: _Probe) -> str | None:
    norm = _normalised(url)
    if norm.startswith("//") or url_scheme(url) in ("http", "https"):
        return REMOTE_IMAGE.format(what, _shown(url))
    if url_scheme(url) is not None:
        return SCHEME_IMAGE.format(what, _shown(url))
    target = unquote(norm.split("#")[0].split("?")[0])
    if not target:
        return None  # no address: the browser fetches nothing
    resolved = _resolve(page_uri, target)
    docs = probe.docs_dir
    docs_name = _docs_name(probe)
    if target.startswith("/") or resolved.startswith("../") or resolved == "..":
        return OUTSIDE_IMAGE.format(_shown(url), docs_name)
    if resolved in pages:
        return MISSING_IMAGE.format(url, f"{docs_name}/{resolved}")
    if docs is not None and not (docs / resolved).is_file():
        return MISSING_IMAGE.format(url, f"{docs_name}/{resolved}")
    return None


# ---------------------------------------------------------------------------------------------
# Raw HTML and attributes


_PLACEHOLDER = re.compile(re.escape(md_util.HTML_PLACEHOLDER % "0").replace("0", r"\d+"))
_AUTOLINK_LIKE = re.compile(r"^<([a-zA-Z][a-zA-Z0-9+.-]*):([^<>\s]*)>$")


def _check_raw_html(rendering: _Rendering, src: _Source, where: Callable[[tuple[int, int] | None], Location],
                    report: Report) -> None:
    """One error for each line where HTML the editor wrote begins, quoting it from there."""
    first: dict[int, tuple[int, str, bool]] = {}
    for entry in rendering.raw_html:
        piece = MARKER.sub("", _PLACEHOLDER.sub("", entry)).strip()
        if not piece:
            continue  # the generated markers, and nothing else
        head = piece.split("\n")[0].rstrip()
        at = src.find([head[:60], head[:12], head[: head.find(" ")] if " " in head else head])
        line, col = at or (1, 1)
        if line not in first or col < first[line][0]:
            first[line] = (col, piece, at is not None)
    for line, (col, piece, found) in first.items():
        autolink = _AUTOLINK_LIKE.match(piece)
        if autolink and autolink.group(1).lower() in ALLOWED_SCHEMES:
            target = f"{autolink.group(1)}:{autolink.group(2)}"
            report.error(where((line, col)), HTML_AUTOLINK.format(piece, autolink.group(2), target))
            continue
        written = src.lines[line - 1][col - 1:].rstrip() if found else piece.split("\n")[0]
        quote = written[:_QUOTE] + ("…" if len(written) > _QUOTE else "")
        report.error(where((line, col)), HTML_IN_PROSE.format(quote))


def _check_attributes(rendering: _Rendering, src: _Source, where: Callable[[tuple[int, int] | None], Location],
                      report: Report) -> None:
    for attrs_string, name in rendering.attributes:
        at = src.find([attrs_string], r"\{:?\s*")
        if at is not None:
            written = re.search(rf"(?<![\w-]){re.escape(name)}\s*=|(?<!\S)\." if name == "class" else
                                rf"(?<![\w-]){re.escape(name)}(?![\w-])", attrs_string)
            at = (at[0], at[1] + (written.start() if written else 0))
        report.error(where(at), BAD_ATTRIBUTE.format(name))


# ---------------------------------------------------------------------------------------------
# Lines Python-Markdown reads otherwise than the editor meant


_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}\.)[ \t]+\S")
_PAREN_ITEM = re.compile(r"^( *)(\d{1,3})\)[ \t]+\S")  # not "2019) was ..."
_TABLE_ROW = re.compile(r"^( *)\|")
_HASH = re.compile(r"^( *)(#{1,6})(?=[^\s#\\])")
_NOT_PARAGRAPH = re.compile(r"^ *(?:[-*+][ \t]|\d{1,9}[.)][ \t]|\||#|>|!!!|\?\?\?|:|\*\[|\[[^\]]+\]:|<|```|~~~|[-=*_ ]+$)")

Transform = Callable[[list[str]], None]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _check_ambiguities(text: str, src: _Source, probe: _Probe,
                       where: Callable[[tuple[int, int] | None], Location], report: Report) -> None:
    lines, fenced = src.lines, src.fenced
    blank = [not line.strip() for line in lines]
    if not any(_ITEM.match(line) or _PAREN_ITEM.match(line) or _TABLE_ROW.match(line) or _HASH.match(line)
               for line, f in zip(lines, fenced, strict=True) if not f):
        return  # nothing that could be read two ways: no conversion needed
    candidates: list[tuple[int, int, str, list[Transform], Transform]] = []  # line, col, message, given, fix

    def paragraph_above(i: int) -> bool:
        """Line i follows, with no blank line, a line of a paragraph at its own indent."""
        if i == 0 or blank[i - 1] or fenced[i - 1]:
            return False
        indent = _indent(lines[i])
        if _indent(lines[i - 1]) != indent or _NOT_PARAGRAPH.match(lines[i - 1]):
            return False
        j = i - 1
        while j > 0 and not blank[j - 1] and not fenced[j - 1] and _indent(lines[j - 1]) == indent:
            j -= 1
        return not _NOT_PARAGRAPH.match(lines[j])

    def insert_blank(i: int) -> Transform:
        def fix(ls: list[str]) -> None:
            ls[i - 1] += "\n"  # on the line above, so that line i still reads as written
        return fix

    # '1)' lists: one finding for each list, its markers written '1.'
    paren_fix: dict[int, Transform] = {}
    covered: set[int] = set()
    for i, line in enumerate(lines):
        m = _PAREN_ITEM.match(line)
        if fenced[i] or i in covered or not m:
            continue
        indent, group = len(m.group(1)), [i]
        k = i + 1
        while k < len(lines) and not fenced[k]:
            if blank[k] or _indent(lines[k]) > indent:
                k += 1
                continue
            n = _PAREN_ITEM.match(lines[k])
            if n and len(n.group(1)) == indent:
                group.append(k)
                k += 1
                continue
            break
        covered.update(group)

        def markers(ls: list[str], group: list[int] = group) -> None:
            for g in group:
                ls[g] = _PAREN_ITEM.sub(lambda p: p.group(0).replace(")", ".", 1), ls[g], count=1)

        paren_fix.update({g: markers for g in group})
        given = [insert_blank(i)] if i and not blank[i - 1] and not fenced[i - 1] else []
        candidates.append((i, indent + 1, PAREN_LIST.format(m.group(2)), given, markers))

    # lists and tables straight after a paragraph line
    for i, line in enumerate(lines):
        if fenced[i]:
            continue
        m = _ITEM.match(line) or _PAREN_ITEM.match(line) or _TABLE_ROW.match(line)
        if m and paragraph_above(i):
            table = bool(_TABLE_ROW.match(line))
            given = [paren_fix[i]] if i in paren_fix else []
            candidates.append((i, len(m.group(1)) + 1, BLANK_BEFORE_TABLE if table else BLANK_BEFORE_LIST,
                               given, insert_blank(i)))

    # nested lists indented by fewer than four spaces
    covered = set()
    for i, line in enumerate(lines):
        m = _ITEM.match(line) or _PAREN_ITEM.match(line)
        if fenced[i] or i in covered or not m or not len(m.group(1)):
            continue
        indent = len(m.group(1))
        parent = None
        for k in range(i - 1, -1, -1):  # the item this one is nested in
            if blank[k] or fenced[k]:
                break
            p = _ITEM.match(lines[k]) or _PAREN_ITEM.match(lines[k])
            if p and len(p.group(1)) < indent:
                parent = len(p.group(1))
                break
            if not p and _indent(lines[k]) < indent and not _ITEM.match(lines[k]):
                if _indent(lines[k]) == 0 and k and not blank[k - 1]:
                    continue  # a lazy line of the item above
                break
        if parent is None:
            continue
        step = indent - parent
        if step % 4 == 0:
            continue
        group = [i]
        k = i + 1
        while k < len(lines) and not blank[k] and not fenced[k] and _indent(lines[k]) >= indent:
            group.append(k)
            k += 1
        covered.update(group)

        def reindent(ls: list[str], group: list[int] = group, parent: int = parent, step: int = step) -> None:
            for g in group:
                rel = _indent(ls[g]) - parent
                ls[g] = " " * (parent + 4 * -(-rel // step)) + ls[g].lstrip(" ")

        candidates.append((i, indent + 1, NESTED_INDENT.format(_NUMBERS.get(step, str(step))), [], reindent))

    # '#Heading'
    for i, line in enumerate(lines):
        m = _HASH.match(line)
        if fenced[i] or not m:
            continue
        col = len(m.group(1))

        def escape(ls: list[str], i: int = i, col: int = col) -> None:
            ls[i] = ls[i][:col] + "\\" + ls[i][col:]

        candidates.append((i, col + 1, HASH_HEADING, [], escape))

    if not candidates:
        return
    actual = probe.tags(text)
    for i, col, message, given, fix in candidates:
        before = list(lines)
        for g in given:
            g(before)
        after = list(before)
        fix(after)
        shape_before = probe.tags("\n".join(before)) if given else actual
        if probe.tags("\n".join(after)) != shape_before:
            report.warning(where((i + 1, col)), message)


# ---------------------------------------------------------------------------------------------


def check_prose(text: str, path: str, page_uri: str, pages: set[str], report: Report, *,
                markdown: markdown.Markdown | None = None) -> None:
    """Prose as Python-Markdown renders it: no HTML of the editor's, links only to allowed schemes or to pages
    of the site, no image from another host, and a warning where a line is read otherwise than meant.

    `markdown` is the parser of `prose_markdown(root)`, built once per project; without it, one with the
    repository's extensions."""
    md = markdown if markdown is not None else _default_markdown()
    probe = _probe(md)
    src = _Source(text)

    def where(at: tuple[int, int] | None) -> Location:
        line, col = at or (1, 1)
        return Location(path, line, col)

    with probe.lock:
        rendering = probe.render(text)
        _check_raw_html(rendering, src, where, report)
        _check_attributes(rendering, src, where, report)
        _check_elements(rendering, probe, src, page_uri, pages, where, report)
        _check_ambiguities(text, src, probe, where, report)


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


# links to a place on a page ------------------------------------------------------------------------

# a link's destination with a '#': inline [words](page.md#place), or a reference definition
_FRAGMENT = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?([^)\s>]*#[^)\s>]*)|^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]*#[^\s>]*)", re.M)
_ID = re.compile(r"""\bid=["']([^"']+)["']""")


def _anchors(page: str, probe: _Probe) -> list[str]:
    """The places a page can be linked to: the id of every element of it, as MkDocs renders it."""
    body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page  # less its front matter
    with probe.lock:
        return list(dict.fromkeys(_ID.findall(probe.render(body).html)))


def check_anchors(placed: list[tuple[Any, str]], pages: dict[str, str], markdown: Callable[[], markdown.Markdown]) -> list[Any]:
    """Every link of the prose to a place on a page (`#quorum`, `boards/risk.md#quorum`) goes to a
    place that page has: a heading, or any element with an id, as MkDocs finds them. Reads the pages
    rendered, so runs after render: `placed` is (prose, the page it is placed on)."""
    report = Report()
    anchors: dict[str, list[str]] = {}
    for prose, page_uri in placed:
        src = _Source(prose.text)
        for match in _FRAGMENT.finditer(prose.text):
            href = match.group(1) or match.group(2)
            target, _, fragment = href.partition("#")
            if url_scheme(href) is not None or not fragment:
                continue  # another site's places are its own; a bare '#' goes to the top
            uri = page_uri if not target else _resolve(page_uri, unquote(target))
            if uri not in pages:
                continue  # a link to no page has its own error
            if uri not in anchors:
                anchors[uri] = _anchors(pages[uri], _probe(markdown()))
            if unquote(fragment) in anchors[uri]:
                continue
            line, col = src.position(match.start(1) if match.group(1) else match.start(2))
            close = near_spelling(unquote(fragment), anchors[uri])
            page = "this page" if uri == page_uri else f"'{target}'"
            places = ", ".join(f"#{a}" for a in anchors[uri][:12]) + (", …" if len(anchors[uri]) > 12 else "")
            report.error(Location(prose.path, line, col),
                         f"link to '{href}', but {page} has no heading or place '#{fragment}'"
                         + (f"; did you mean '#{close}'?" if close else f"; the places it has are: {places or 'none'}"))
    return report.items
