"""YAML loading that keeps the line and column of every key and value.

PyYAML silently keeps the last of two equal keys and reports tabs obscurely; here both
become diagnostics, and every value can be traced back to where it was typed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Location, Report

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
    try:
        return _SCALAR_LOADER.construct_object(node, deep=True)
    except ValueError:  # a timestamp-shaped value that is no real date, such as 2021-02-30
        report.error(_loc(doc.path, node.start_mark), f"'{node.value}' is not a real date; write a date that exists, as YYYY-MM-DD")
        doc.reported.add(at)
        return node.value


class _ScalarConstructor(yaml.SafeLoader):
    def __init__(self) -> None:  # used only to construct scalars; no stream
        yaml.SafeLoader.__init__(self, "")


_SCALAR_LOADER = _ScalarConstructor()
# libyaml composes nodes, with their marks, many times faster than the pure-Python parser
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _explain(problem: str | None, context: str | None, text: str, mark: yaml.Mark) -> tuple[str, int, int]:
    """Turn PyYAML's wording into advice a comms editor can act on."""
    line, col = mark.line, mark.column
    lines = text.splitlines()
    here = lines[line] if line < len(lines) else ""
    problem = problem or "invalid YAML"
    if "\t" in here[: len(here) - len(here.lstrip())] or ("'\\t'" in problem):
        return "a tab character is used for indenting; indent with spaces only", line + 1, col + 1
    if "mapping values are not allowed" in problem:
        return (
            "a ':' follows a value on the same line; put quotes around text that contains ': ' "
            "or start the nested key on a new, indented line",
            line + 1,
            col + 1,
        )
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return "the indentation here does not line up with the keys around it; check its spaces", line + 1, col + 1
    if "found unexpected end of stream" in problem or "found unexpected end" in problem:
        return "a quote or bracket opened here is never closed", line + 1, col + 1
    if "found character" in problem and "that cannot start any token" in problem:
        return f"{problem}; put the text in quotes", line + 1, col + 1
    detail = f"{context}, {problem}" if context else problem
    return f"YAML syntax error: {detail}", line + 1, col + 1


def load_yaml(text: str, path: str, report: Report) -> YamlDocument | None:
    """Parse one YAML document; on a syntax error report it and return None."""
    doc = YamlDocument(path=path, data=None)
    try:
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        node = None  # parse again below with the pure-Python parser, whose messages we know
    else:
        return _to_document(doc, node, report)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is None:
            report.error(Location(path), f"YAML syntax error: {exc.problem or exc}")
            return None
        if exc.context and "flow" in exc.context and exc.context_mark is not None:
            cm = exc.context_mark
            report.error(Location(path, cm.line + 1, cm.column + 1), "a '[' or '{' opened here is never closed")
            return None
        message, line, col = _explain(exc.problem, exc.context, text, mark)
        report.error(Location(path, line, col), message)
        return None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        mark = getattr(exc, "problem_mark", None)
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        report.error(where, f"this file holds a character YAML does not allow: {exc}")
        return None
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
