"""YAML loading that keeps the line and column of every key and value.

PyYAML silently keeps the last of two equal keys and reports tabs obscurely; here both
become diagnostics, and every value can be traced back to where it was typed.

Before anything is built from a file, it is screened: characters that hide text, YAML
anchors, aliases and tags (which our data never needs, and which a "billion laughs" file
uses to blow up) and very deep nesting are refused on the event stream, at their place.
A syntax error is reported where the mistake began (the key missing its ':', the quote
never closed), not where the parser gave up. One mistake, one diagnostic.
"""
from __future__ import annotations

import collections
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Location, Report
from .text import clip

Path = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Plain Python data plus where each part of it came from."""

    path: str
    data: Any
    # location of the value at a path, and of the key that introduced it
    values: dict[Path, Location] = field(default_factory=dict)
    keys: dict[Path, Location] = field(default_factory=dict)
    reported: set[Path] = field(default_factory=set)  # values already diagnosed while reading
    typed: dict[Path, str] = field(default_factory=dict)  # each plain value as the editor typed it: yes, 2021-02-30

    def where(self, path: Path, key: bool = False) -> Location:
        """The most precise known location for a path, walking up to its nearest parent."""
        path = tuple(path)
        while True:
            table = self.keys if key else self.values
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return Location(self.path, 1, 1)
            path = path[:-1]
            key = False


def _loc(path: str, mark: yaml.Mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def _convert(doc: YamlDocument, node: yaml.Node, at: Path, report: Report) -> Any:
    doc.values[at] = _loc(doc.path, node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                report.error(_loc(doc.path, key_node.start_mark), "a key must be plain text")
                continue
            key = key_node.value
            if key == "<<":
                report.error(_loc(doc.path, key_node.start_mark), "merge keys ('<<') are not supported; write the values out")
                continue
            if key in seen:
                first = seen[key].start_mark
                report.error(
                    _loc(doc.path, key_node.start_mark),
                    f"duplicate key '{key}' (first given at line {first.line + 1}); keep one of them",
                )
                continue
            seen[key] = key_node
            doc.keys[at + (key,)] = _loc(doc.path, key_node.start_mark)
            result[key] = _convert(doc, value_node, at + (key,), report)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(doc, item, at + (i,), report) for i, item in enumerate(node.value)]
    if not node.style:  # plain, as typed, for messages: 'yes', not True
        doc.typed[at] = node.value
    try:
        return _SCALAR_LOADER.construct_object(node, deep=True)
    except (ValueError, OverflowError):  # a timestamp-shaped value that is no real date, such as 2021-02-30
        report.error(_loc(doc.path, node.start_mark), f"'{node.value}' is not a real date; write a date that exists, as YYYY-MM-DD")
        doc.reported.add(at)
        return node.value


class _ScalarConstructor(yaml.SafeLoader):
    def __init__(self) -> None:  # used only to construct scalars; no stream
        yaml.SafeLoader.__init__(self, "")


_SCALAR_LOADER = _ScalarConstructor()
# libyaml composes nodes, with their marks, many times faster than the pure-Python parser
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# --- characters that hide text ---------------------------------------------------------------

# Bidirectional controls and marks, zero-width characters, and the line and paragraph
# separators that editors draw as nothing (and that YAML counts as line breaks, so that every
# line number after one would be wrong). U+FEFF is allowed only as the very first character.
_HIDDEN = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u2028\u2029\ufeff]")
# line breaks as YAML counts them
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of the character at `index`, counting line breaks as YAML does."""
    line, start = 1, 0
    for m in _BREAK.finditer(text, 0, index):
        line, start = line + 1, m.end()
    return line, index - start + 1


def _describe_character(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} ({name})" if name else f"U+{ord(ch):04X}"


HIDDEN_CHARACTER = "an invisible character {} is here; delete it (it can make text read differently from what is published)"


def hidden_characters(text: str) -> tuple[int, int, str] | None:
    """The first character in `text` that hides or reorders text, or None.

    Gives its 1-based line and column (lines broken as YAML breaks them: \\n, \\r\\n, \\r, U+0085,
    U+2028, U+2029) and a description such as 'U+202E (RIGHT-TO-LEFT OVERRIDE)'. A byte order
    mark (U+FEFF) is allowed as the very first character only.
    """
    m = _HIDDEN.search(text, 1 if text.startswith("\ufeff") else 0)
    if m is None:
        return None
    line, col = _position(text, m.start())
    return line, col, _describe_character(m.group())


# --- anchors, aliases, tags, nesting ---------------------------------------------------------

# No data file is nested anywhere near this deep; far deeper nesting would exhaust Python's stack.
MAX_DEPTH = 40
_TAG_TEXT = re.compile(r"!(?:<[^>\s]*>?|[^\s,\[\]{}]*)")


def _anchor_message(name: str | None, sigil: str) -> str:
    name = clip(name or "", 30) or "name"
    return (
        f"YAML anchors and aliases ('&{name}', '*{name}') are not allowed here; write the value out in full "
        f"(in quotes if the '{sigil}' is part of the text)"
    )


def _tag_message(tag: str) -> str:
    return f"YAML tags ('{clip(tag, 40)}') are not allowed; write the plain value (in quotes if the '!' is part of the text)"


def _depth_message() -> str:
    return (
        f"the data is nested more than {MAX_DEPTH} levels deep here; no data file needs that many: "
        "check the indentation and the brackets"
    )


class _Refused(Exception):
    """An anchor, alias or tag met while scanning: refused before anything is built."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark, self.message = mark, message


def _tag_at(text: str, mark: yaml.Mark) -> str:
    m = _TAG_TEXT.match(text, mark.index) if 0 <= mark.index < len(text) else None
    return m.group() if m else "!"


def _screen(text: str) -> tuple[yaml.Mark, str] | None:
    """The first anchor, alias or tag, or the first too-deep collection, found on libyaml's event stream.

    Nothing is composed or constructed, so a 'billion laughs' file is refused at its first
    anchor in microseconds. Raises yaml.YAMLError on a syntax error (explained by the slow path).
    """
    loader = _FAST_LOADER(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark, _anchor_message(event.anchor, "*")
            if isinstance(event, yaml.NodeEvent) and (event.anchor is not None or getattr(event, "tag", None) is not None):
                mark = event.start_mark
                typed = text[mark.index] if 0 <= mark.index < len(text) else ""
                if typed == "!" or event.anchor is None:
                    return mark, _tag_message(_tag_at(text, mark))
                return mark, _anchor_message(event.anchor, "&")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark, _depth_message()
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()
    return None


class _WatchfulLoader(yaml.SafeLoader):
    """The pure-Python loader, used on files libyaml refuses: its messages and marks are known.

    It stops at the first anchor, alias or tag it scans, and keeps the last tokens it read so that
    a syntax error can be traced back to where its construct began.
    """

    def __init__(self, text: str) -> None:
        self.recent: collections.deque[yaml.Token] = collections.deque(maxlen=32)
        self.depth = 0
        self.text = text
        super().__init__(text)

    def get_token(self) -> yaml.Token:
        token = super().get_token()
        self.recent.append(token)
        return token

    def fetch_anchor(self) -> None:
        super().fetch_anchor()
        token = self.tokens[-1]
        raise _Refused(token.start_mark, _anchor_message(token.value, "&"))

    def fetch_alias(self) -> None:
        super().fetch_alias()
        token = self.tokens[-1]
        raise _Refused(token.start_mark, _anchor_message(token.value, "*"))

    def fetch_tag(self) -> None:
        super().fetch_tag()
        token = self.tokens[-1]
        raise _Refused(token.start_mark, _tag_message(self.text[token.start_mark.index : token.end_mark.index]))

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self.depth += 1  # the collections around this node, and the node itself
        try:
            if self.depth > MAX_DEPTH and self.check_event(yaml.CollectionStartEvent):
                raise _Refused(self.peek_event().start_mark, _depth_message())
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def seen_tokens(self) -> list[yaml.Token]:
        return [*self.recent, *self.tokens]


# --- syntax errors, reported where the mistake began --------------------------------------------


def _lines(text: str) -> list[str]:
    return _BREAK.split(text)


def _line(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# a line that is YAML structure: a list item, or 'key: value'
_STRUCTURE = re.compile(r"\s*(?:-(?:\s|$)|[^\s#'\"\-][^:#]*:(?:\s|$))")


def _last_scalar_before(tokens: list[yaml.Token], mark: yaml.Mark) -> yaml.ScalarToken | None:
    scalars = [t for t in tokens if isinstance(t, yaml.ScalarToken) and t.start_mark.index < mark.index]
    return max(scalars, key=lambda t: t.start_mark.index, default=None)


def _unclosed_quote(mark: yaml.Mark, lines: list[str]) -> tuple[yaml.Mark, str]:
    quote = _line(lines, mark.line)[mark.column : mark.column + 1]
    quote = quote if quote in ("'", '"') else "'"
    return mark, f"a quote opened here is never closed; close it with {quote} at the end of the value"


def _missing_colon(mark: yaml.Mark, lines: list[str]) -> str:
    here = _line(lines, mark.line)
    shown = clip(here[mark.column :])
    first = shown.split(" ", 1)[0]
    if re.search(r":\u00a0", here):
        return (f"'{shown}' has a non-breaking space after the ':' of its key (text pasted from a word processor has "
                "them); type an ordinary space instead")
    if re.fullmatch(r"[^:]+:\S.*", first):
        return f"'{shown}' needs a space after the ':' of its key; write 'key: value'"
    above = next(
        (line for line in reversed(lines[: mark.line]) if line.strip() and not line.lstrip().startswith("#")), ""
    )
    if _indent(above) == mark.column and re.match(r"-(\s|$)", above[mark.column :]):
        return f"'{shown}' is neither a list item nor a key; start it with '- ' like the line above, or write 'key: value'"
    return f"'{shown}' has no ':' after its key; write 'key: value'"


_PERCENT = "a line cannot start with '%' in YAML; put the text in quotes"


def _mark(line: int, column: int) -> yaml.Mark:
    """A mark for a 0-based line and column (only those are reported)."""
    return yaml.Mark("<text>", -1, line, max(column, 0), None, None)


def _syntax_error(exc: yaml.MarkedYAMLError, tokens: list[yaml.Token], text: str) -> tuple[yaml.Mark, str]:
    """Where a syntax error's mistake was typed, and what to do about it."""
    lines = _lines(text)
    problem, context = exc.problem or "", exc.context or ""
    pm, cm = exc.problem_mark, exc.context_mark
    mark = pm or cm
    if mark is None:
        return _mark(0, 0), f"YAML syntax error: {problem or exc}"

    # a quote the scanner followed to the end of the file (or to a '---' line)
    if "quoted scalar" in context and cm is not None:
        if "escape" in problem and pm is not None:
            here = _line(lines, pm.line)
            backslash = _mark(pm.line, here.rfind("\\", 0, pm.column + 1))
            shown = clip(here[backslash.column : pm.column + 1], 12)
            return backslash, (
                f"'{shown}' is not allowed inside double quotes; put the value in single quotes instead, "
                "or write '\\\\' for a backslash"
            )
        return _unclosed_quote(cm, lines)
    # a quote closed only by a later apostrophe, having swallowed the lines in between
    last = _last_scalar_before(tokens, mark)
    if (
        last is not None
        and last.style in ("'", '"')
        and last.end_mark.line > last.start_mark.line
        and any(_STRUCTURE.match(_line(lines, i)) for i in range(last.start_mark.line + 1, last.end_mark.line + 1))
    ):
        return _unclosed_quote(last.start_mark, lines)
    # brackets
    if "flow" in context and cm is not None:
        opener = _line(lines, cm.line)[cm.column : cm.column + 1]
        opener = opener if opener in "[{" and opener else "["
        closer = "]" if opener == "[" else "}"
        if pm is None or "<stream end>" in problem or pm.line > cm.line:
            return cm, f"a '{opener}' opened here is never closed; close it with '{closer}' after the last item"
        return pm, (
            f"this does not fit in the '{opener}...{closer}' opened at column {cm.column + 1}; "
            "put any item that contains ':', ',', '[', ']', '{' or '}' in quotes"
        )
    stray = re.search(r"but found '([\]}])'", problem)
    if stray and pm is not None:
        closer = stray.group(1)
        return pm, f"this '{closer}' closes nothing; delete it, or add the '{'[' if closer == ']' else '{'}' it closes"
    # a key missing its ':'
    if "could not find expected ':'" in problem and cm is not None:
        return cm, _missing_colon(cm, lines)
    if "mapping values are not allowed" in problem and pm is not None:
        key = _last_scalar_before(tokens, pm)
        if (
            key is not None
            and key.style is None
            and key.start_mark.line < pm.line
            and re.fullmatch(r"[\s-]*", _line(lines, key.start_mark.line)[: key.start_mark.column])
            and _indent(_line(lines, pm.line)) == key.start_mark.column
        ):
            return key.start_mark, _missing_colon(key.start_mark, lines)
    # anchors, aliases and tags that are not even well formed
    if cm is not None and ("scanning an anchor" in context or "scanning an alias" in context):
        return cm, _anchor_message(None, "&" if "anchor" in context else "*")
    if cm is not None and ("scanning a tag" in context or "parsing a tag" in context):
        return cm, _tag_message(_tag_at(text, cm))
    if cm is not None and "scanning a directive" in context:
        return cm, _PERCENT
    if "<document start>" in problem and pm is not None:
        for i in range(min(pm.line, len(lines) - 1), -1, -1):
            if lines[i].startswith("%"):
                return _mark(i, 0), _PERCENT
            if lines[i].rstrip() == "...":
                return _mark(i, 0), "'...' ends the YAML document, but the file goes on; delete this line"
    if "single document" in context and pm is not None:
        shown = clip(_line(lines, pm.line), 20)
        return pm, f"'{shown}' starts a second YAML document, but a data file holds one; delete this line"
    # text after a value that YAML reads as complete: a quote closed early, a '[...]' list
    if pm is not None and "but found '<scalar>'" in problem:
        before = [t for t in tokens if t.start_mark.index < pm.index]
        previous = max(before, key=lambda t: t.start_mark.index, default=None)
        if isinstance(previous, yaml.ScalarToken) and previous.style in ("'", '"') and previous.start_mark.line == previous.end_mark.line == pm.line:
            quote = _mark(previous.end_mark.line, previous.end_mark.column - 1)
            if previous.style == "'":
                return quote, (
                    "this ' ends the quoted value, but text follows it; type it twice ('') to keep it in the text, "
                    "or put the whole value in double quotes"
                )
            return quote, (
                'this " ends the quoted value, but text follows it; write it as \\" to keep it in the text, '
                "or put the whole value in single quotes"
            )
        if isinstance(previous, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and previous.start_mark.line == pm.line:
            starts = [
                t for t in before
                if isinstance(t, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)) and t.start_mark.line == pm.line
            ]
            if starts:
                opener = min(starts, key=lambda t: t.start_mark.index).start_mark
                char = _line(lines, opener.line)[opener.column : opener.column + 1]
                kind = "a list" if char == "[" else "a set of keys"
                return opener, f"a value starting with '{char}' is read as {kind}; put the whole value in quotes"
    if pm is not None and "sequence entries are not allowed here" in problem:
        return pm, "a list item ('- ') cannot start on the line of its key; start it on a new, indented line, or put the value in quotes"
    if cm is not None and "scanning a block scalar" in context:
        char = _line(lines, cm.line)[cm.column : cm.column + 1]
        return cm, (
            f"a value starting with '{char}' must be a block of text on the indented lines below; "
            "put the value in quotes instead"
        )
    found = re.search(r"expected the node content, but found '(.)'", problem)
    if found and pm is not None:
        return pm, f"a value cannot start with '{found.group(1)}'; put the value in quotes"
    message, line, col = _explain(problem, context, lines, mark)
    return yaml.Mark(mark.name, mark.index, line - 1, col - 1, None, None), message


def _explain(problem: str | None, context: str | None, lines: list[str], mark: yaml.Mark) -> tuple[str, int, int]:
    """Turn PyYAML's wording into advice a comms editor can act on."""
    line, col = mark.line, mark.column
    here = _line(lines, line)
    problem = problem or "invalid YAML"
    if "\t" in here[: len(here) - len(here.lstrip())] or ("'\\t'" in problem):
        return "a tab character is used for indenting; indent with spaces only", line + 1, col + 1
    curly = re.search(r"[“”‘’]", here)
    if "mapping values are not allowed" in problem and curly and here.lstrip(" -").split(":", 1)[-1].strip()[:1] in "“‘":
        return (f"the text is in curly quotes ({curly.group(0)}), which YAML reads as part of the text, not as quotes; "
                "put it in straight quotes (\"...\") instead", line + 1, col + 1)
    nbsp = here.find("\u00a0")
    if nbsp >= 0 and here[:nbsp].rstrip().endswith(":"):
        return ("a non-breaking space follows the ':' (text pasted from a word processor has them); "
                "type an ordinary space instead", line + 1, nbsp + 1)
    if "mapping values are not allowed" in problem:
        return (
            (
                "a ':' follows a value on the same line; put quotes around text that contains ': ' "
                "or start the nested key on a new, indented line"
            ),
            line + 1,
            col + 1,
        )
    if "expected <block end>" in problem or "did not find expected key" in problem or "<document start>" in problem:
        return "the indentation here does not line up with the keys around it; check its spaces", line + 1, col + 1
    if "found unexpected end of stream" in problem or "found unexpected end" in problem:
        return "a quote or bracket opened here is never closed", line + 1, col + 1
    if "found character" in problem and "that cannot start any token" in problem:
        char = here[col : col + 1]
        if char and not char.isspace():
            return f"a value cannot start with '{char}'; put the value in quotes", line + 1, col + 1
        return f"{problem}; put the text in quotes", line + 1, col + 1
    detail = f"{context}, {problem}" if context else problem
    return f"YAML syntax error: {detail}", line + 1, col + 1


def _stopped(text: str, reported: yaml.Mark, parser: yaml.Mark | None) -> str:
    """Where the parser gave up, when that is far from the place reported."""
    if parser is None or abs(parser.line - reported.line) <= 1:
        return ""
    if not text[parser.index :].strip():
        return " (the parser reached the end of the file)"
    return f" (the parser stopped at line {parser.line + 1})"


# --- loading ---------------------------------------------------------------------------------


def load_yaml(text: str, path: str, report: Report) -> YamlDocument | None:
    """Parse one YAML document; on any mistake report it (once) and return None."""
    hidden = hidden_characters(text)
    if hidden is not None:
        line, col, what = hidden
        report.error(Location(path, line, col), HIDDEN_CHARACTER.format(what))
        return None
    doc = YamlDocument(path=path, data=None)
    try:
        refused = _screen(text)
    except (yaml.YAMLError, UnicodeError):
        pass  # a syntax error: the pure-Python parser below explains it
    else:
        if refused is not None:
            mark, message = refused
            report.error(_loc(path, mark), message)
            return None
        try:
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except (yaml.YAMLError, UnicodeError):
            pass
        else:
            return _to_document(doc, node, report)
    return _load_slowly(doc, text, report)


def _load_slowly(doc: YamlDocument, text: str, report: Report) -> YamlDocument | None:
    """Parse with the pure-Python parser, whose errors we know how to trace back to their cause."""
    path = doc.path
    loader: _WatchfulLoader | None = None
    try:
        loader = _WatchfulLoader(text)
        node = loader.get_single_node()
    except _Refused as refused:
        report.error(_loc(path, refused.mark), refused.message)
        return None
    except RecursionError:
        seen = loader.seen_tokens() if loader is not None else []
        report.error(_loc(path, seen[-1].start_mark) if seen else Location(path), _depth_message())
        return None
    except yaml.MarkedYAMLError as exc:
        if exc.problem_mark is None and exc.context_mark is None:
            report.error(Location(path), f"YAML syntax error: {exc.problem or exc}")
            return None
        mark, message = _syntax_error(exc, loader.seen_tokens() if loader is not None else [], text)
        report.error(_loc(path, mark), message + _stopped(text, mark, exc.problem_mark))
        return None
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        position = getattr(exc, "position", None)
        character = getattr(exc, "character", None)
        if isinstance(position, int) and isinstance(character, int):
            line, col = _position(text, min(position, len(text)))
            report.error(
                Location(path, line, col),
                f"the character {_describe_character(chr(character))} is here, which a YAML file cannot hold; delete it",
            )
        else:
            report.error(Location(path), f"this file holds a character YAML does not allow: {exc}")
        return None
    finally:
        if loader is not None:
            loader.dispose()
    return _to_document(doc, node, report)


def _to_document(doc: YamlDocument, node: yaml.Node | None, report: Report) -> YamlDocument | None:
    path = doc.path
    if node is None:
        report.error(Location(path), "the file is empty; fill it in or delete it")
        return None
    try:
        doc.data = _convert(doc, node, (), report)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        report.error(where, f"{exc.problem}; put the value in quotes")
        return None
    return doc
