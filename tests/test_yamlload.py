"""The YAML loader on small texts: every mistake gets one diagnostic, at the place to type.

These call `load_yaml` directly (no build), so each case is fast and its diagnostic exact.
"""
from __future__ import annotations

import re

import pytest

from generator.diagnostics import Report
from generator.yamlload import (
    MAX_DEPTH,
    YamlDocument,
    _load_slowly,
    hidden_characters,
    load_yaml,
)

PATH = "data/handbook/2023-04/boards/risk.yml"
BOARD = "id: risk\nname: Risk\nkind: affiliated\nsummary: The Risk Board identifies risk.\n"
# many lines after a mistake, so that where the parser gives up is far from where it began
TAIL = "".join(f"line{i}: value {i}\n" for i in range(80))

ANCHOR = "YAML anchors and aliases ('&{0}', '*{0}') are not allowed here; write the value out in full (in quotes if the '{1}' is part of the text)"
TAG = "YAML tags ('{0}') are not allowed; write the plain value (in quotes if the '!' is part of the text)"
INVISIBLE = "an invisible character {0} is here; delete it (it can make text read differently from what is published)"


def diagnostics(text: str) -> list[str]:
    report = Report()
    load_yaml(text, PATH, report)
    return [str(d) for d in report.sorted()]


def error(line: int, col: int, message: str) -> list[str]:
    return [f"{PATH}:{line}:{col}: error: {message}"]


def billion_laughs(levels: int = 10, width: int = 10) -> str:
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


CASES = {
    # anchors, aliases and tags, refused before anything is built
    "anchor": ("id: risk\nsponsor: &police\n  label: Police\n", error(2, 10, ANCHOR.format("police", "&"))),
    "alias with no anchor": ("id: risk\nname: *Important\n", error(2, 7, ANCHOR.format("Important", "*"))),
    "alias of an anchor: the anchor is the first mistake": (
        "id: risk\na: &x Risk\nb: *x\n", error(2, 4, ANCHOR.format("x", "&"))),
    "'&' starting a value": ("id: risk\nname: & Co\n", error(2, 7, ANCHOR.format("name", "&"))),
    "python tag": ("id: risk\nname: !!python/object/apply:os.system ['rm -rf /']\n",
                   error(2, 7, TAG.format("!!python/object/apply:os.system"))),
    "custom tag": ("id: risk\nname: !foo Risk\n", error(2, 7, TAG.format("!foo"))),
    "str tag": ("id: risk\nname: !!str 12\n", error(2, 7, TAG.format("!!str"))),
    "tag in a list": ("id: risk\npurpose:\n  - !!binary aGVsbG8=\n", error(3, 5, TAG.format("!!binary"))),
    "deep nesting": ("id: " + "[" * 60 + "]" * 60 + "\n",
                     # the mapping of the file is the first level, the first "[" the second
                     error(1, 4 + MAX_DEPTH, f"the data is nested more than {MAX_DEPTH} levels deep here; "
                           "no data file needs that many: check the indentation and the brackets")),
    # a key missing its colon: at the key, not the line after
    "missing colon at top level": (
        "id: risk\nname Risk\nkind: affiliated\n", error(2, 1, "'name Risk' has no ':' after its key; write 'key: value'")),
    "missing colon on the first line": (
        "id risk\nname: Risk\n", error(1, 1, "'id risk' has no ':' after its key; write 'key: value'")),
    "missing colon on the last line": (
        "id: risk\nname Risk\n", error(2, 1, "'name Risk' has no ':' after its key; write 'key: value'")),
    "missing colon in a nested mapping": (
        BOARD + "sponsor:\n  label Fixture Police\n  organisation: police\n",
        error(6, 3, "'label Fixture Police' has no ':' after its key; write 'key: value'")),
    "missing colon on the last key of a nested mapping": (
        BOARD + "sponsor:\n  label: Fixture Police\n  organisation police\nreporting:\n  - Quarterly\n",
        error(7, 3, "'organisation police' has no ':' after its key; write 'key: value'")),
    "missing colon in a list item of mappings": (
        BOARD + "members:\n  - label: Milton Keynes Council\n    places 2\n  - label: Police\n",
        error(7, 5, "'places 2' has no ':' after its key; write 'key: value'")),
    "missing colon on the first key of a list item": (
        BOARD + "members:\n  - label Milton Keynes Council\n    places: 2\n",
        error(6, 5, "'label Milton Keynes Council' has no ':' after its key; write 'key: value'")),
    "missing space after the colon": (
        "id: risk\nname:Risk\nkind: affiliated\n",
        error(2, 1, "'name:Risk' needs a space after the ':' of its key; write 'key: value'")),
    "missing dash in a list": (
        "id: risk\npurpose:\n  - Identify risk\n  Manage risk\n",
        error(4, 3, "'Manage risk' is neither a list item nor a key; start it with '- ' like the line above, "
              "or write 'key: value'")),
    "long line missing its colon is shortened": (
        "id: risk\nsummary The Risk Board identifies and manages risk across the partnership\nkind: affiliated\n",
        error(2, 1, "'summary The Risk Board identifies and...' has no ':' after its key; write 'key: value'")),
    # a quote never closed: at the opening quote, not where the parser gave up
    "unclosed single quote": (
        "id: risk\nname: 'Risk\nkind: affiliated\n" + TAIL,
        error(2, 7, "a quote opened here is never closed; close it with ' at the end of the value "
              "(the parser reached the end of the file)")),
    "unclosed double quote": (
        'id: risk\nname: "Risk\nkind: affiliated\n' + TAIL,
        error(2, 7, 'a quote opened here is never closed; close it with " at the end of the value '
              "(the parser reached the end of the file)")),
    "unclosed quote closed by a later apostrophe": (
        "id: risk\nname: 'Risk\nkind: affiliated\n" + TAIL + "summary: The Board's work.\n",
        error(2, 7, "a quote opened here is never closed; close it with ' at the end of the value "
              "(the parser stopped at line 84)")),
    "unclosed quote in a list": (
        "id: risk\npurpose:\n  - 'Identify risk\n  - Manage risk\n  - Report on the Board's work\n",
        error(3, 5, "a quote opened here is never closed; close it with ' at the end of the value "
              "(the parser stopped at line 5)")),
    "apostrophe inside single quotes": (
        "id: risk\nname: 'The Board's work'\n",
        error(2, 17, "this ' ends the quoted value, but text follows it; type it twice ('') to keep it in the text, "
              "or put the whole value in double quotes")),
    "unclosed bracket": (
        "id: risk\npurpose: [Identify risk, Manage risk\nkind: affiliated\n" + TAIL,
        error(2, 10, "a '[' opened here is never closed; close it with ']' after the last item")),
    "text after a bracketed value": (
        "id: risk\nname: [Draft] Risk Board\n",
        error(2, 7, "a value starting with '[' is read as a list; put the whole value in quotes")),
    "value starting with a reserved character": (
        "id: risk\nname: @risk_board\n", error(2, 7, "a value cannot start with '@'; put the value in quotes")),
    "value starting with a comma": (
        "id: risk\nname: , Risk\n", error(2, 7, "a value cannot start with ','; put the value in quotes")),
    "a second document": (
        "id: risk\n---\nname: Risk\n",
        error(2, 1, "'---' starts a second YAML document, but a data file holds one; delete this line")),
    # characters that hide text
    "bidi override": (
        "id: risk\nname: Risk \u202eDRAOB\n", error(2, 12, INVISIBLE.format("U+202E (RIGHT-TO-LEFT OVERRIDE)"))),
    "bidi isolate": (
        "id: risk\nname: Risk\nsummary: a \u2066b\u2069\n", error(3, 12, INVISIBLE.format("U+2066 (LEFT-TO-RIGHT ISOLATE)"))),
    "zero-width space": (
        "id: risk\nname: Ri\u200bsk\n", error(2, 9, INVISIBLE.format("U+200B (ZERO WIDTH SPACE)"))),
    "zero-width space in a key": (
        "id: risk\nna\u200bme: Risk\n", error(2, 3, INVISIBLE.format("U+200B (ZERO WIDTH SPACE)"))),
    "byte order mark in the middle": (
        "id: risk\n\ufeffname: Risk\n", error(2, 1, INVISIBLE.format("U+FEFF (ZERO WIDTH NO-BREAK SPACE)"))),
    "only the first hidden character": (
        "id: risk\nname: \u200bRisk\u202e\nkind: \u200d\n", error(2, 7, INVISIBLE.format("U+200B (ZERO WIDTH SPACE)"))),
    "hidden character in a comment": (
        "id: risk  # \u202e\nname: Risk\n", error(1, 13, INVISIBLE.format("U+202E (RIGHT-TO-LEFT OVERRIDE)"))),
    # other characters YAML refuses, at their place
    "control character": (
        "id: risk\nname: Ri\x07sk\n", error(2, 9, "the character U+0007 is here, which a YAML file cannot hold; delete it")),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_mistake_gets_one_diagnostic_at_its_place(text: str, expected: list[str]) -> None:
    assert diagnostics(text) == expected


# the messages test_bad_input.py holds for the whole build, checked here on the loader alone
KEPT = {
    "colon in a value": ("id: risk\nname: Risk: the board\nkind: affiliated\n",
                         error(2, 11, "a ':' follows a value on the same line; put quotes around text that contains ': ' "
                               "or start the nested key on a new, indented line")),
    "tab indentation": (BOARD + "sponsor:\n\tlabel: Fixture Police\n",
                        error(6, 1, "a tab character is used for indenting; indent with spaces only")),
    "bad indentation": ("id: risk\nname: Risk\n  kind: affiliated\n",
                        error(3, 7, "a ':' follows a value on the same line; put quotes around text that contains ': ' "
                              "or start the nested key on a new, indented line")),
    "duplicate key": (BOARD + "name: Risk Board\n",
                      error(5, 1, "duplicate key 'name' (first given at line 2); keep one of them")),
    "impossible date": ("id: risk\npublished: 2023-02-30\n",
                        error(2, 12, "'2023-02-30' is not a real date; write a date that exists, as YYYY-MM-DD")),
    "empty file": ("", error(1, 1, "the file is empty; fill it in or delete it")),
    "comments only": ("# to do\n", error(1, 1, "the file is empty; fill it in or delete it")),
}


@pytest.mark.parametrize(("text", "expected"), KEPT.values(), ids=KEPT.keys())
def test_existing_messages_are_kept(text: str, expected: list[str]) -> None:
    assert diagnostics(text) == expected


def test_billion_laughs_is_refused_at_its_first_anchor_without_expanding() -> None:
    # fully expanded, this would be 10**9 strings; refused on the event stream, it takes microseconds
    text = billion_laughs()
    assert diagnostics(text) == error(1, 7, ANCHOR.format("lol0", "&"))


def test_billion_laughs_after_a_syntax_error_gives_the_syntax_error_alone() -> None:
    text = "id: risk\nname Risk\n" + billion_laughs()
    assert diagnostics(text) == error(2, 1, "'name Risk' has no ':' after its key; write 'key: value'")


def test_the_pure_python_fallback_refuses_billion_laughs_too() -> None:
    # used where libyaml refuses a file, to explain the error: it stops at the first anchor as well
    report = Report()
    assert _load_slowly(YamlDocument(PATH, None), billion_laughs(), report) is None
    assert [str(d) for d in report.sorted()] == error(1, 7, ANCHOR.format("lol0", "&"))


def test_a_plain_valid_file_gives_no_diagnostic() -> None:
    text = (
        "\ufeff# Risk Board\n"
        "id: risk\n"
        "name: 'Risk & Audit Board'\n"
        "kind: affiliated\n"
        "summary: It's the board's job! 5 * 3 = 15, and 100% \"done\".\n"
        "purpose:\n"
        "  - Identify risk, all of it\n"
        "  - 'Manage risk'\n"
        "tags: [one, two]\n"
        "meetings: {per_year: 4}\n"
        "note: |\n"
        "  Café, naïve, 日本語 — and an em dash.\n"
    )
    report = Report()
    doc = load_yaml(text, PATH, report)
    assert report.items == []
    assert doc is not None
    assert doc.data["name"] == "Risk & Audit Board"
    assert doc.data["purpose"] == ["Identify risk, all of it", "Manage risk"]
    assert doc.data["meetings"] == {"per_year": 4}
    assert doc.where(("purpose", 1)) == doc.values[("purpose", 1)]
    assert (doc.values[("purpose", 1)].line, doc.values[("purpose", 1)].col) == (8, 5)
    assert (doc.keys[("kind",)].line, doc.keys[("kind",)].col) == (4, 1)


def test_hidden_characters() -> None:
    assert hidden_characters("plain text\nand more\n") is None
    assert hidden_characters("\ufeffa byte order mark first is allowed") is None
    assert hidden_characters("ab\n\ncd\u202eef") == (3, 3, "U+202E (RIGHT-TO-LEFT OVERRIDE)")
    assert hidden_characters("\u200d") == (1, 1, "U+200D (ZERO WIDTH JOINER)")
    assert hidden_characters("\ufeff\ufeff") == (1, 2, "U+FEFF (ZERO WIDTH NO-BREAK SPACE)")
    for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0x200B, 0x200E)]:
        found = hidden_characters(f"x{chr(code)}")
        assert found is not None and found[:2] == (1, 2) and found[2].startswith(f"U+{code:04X} (")


# --- property: whatever is typed, the loader answers with diagnostics, never a traceback ---------

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PIECES = [
    "id", "name", "kind", "risk", "Risk Board", "é", "日本", ":", ": ", ":x", "'", '"', "''", "-", "- ", " ", "  ",
    "\n", "\n", "\n  ", "\n    - ", "\t", "&", "&a ", "*", "*a", "!", "!!str ", "!foo ", "!!python/object ", "[", "]",
    "{", "}", ",", "#", "%", "|", ">", "?", "@", "`", "\\", "---", "...", "2021-02-30", "12", "0x1F", "~",
    "\u202e", "\u200b", "\ufeff", "\u2028", "\x85", "\r", "\x07", "x" * 60,
]
BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # line breaks as YAML counts them


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_text_gets_diagnostics_never_a_traceback(pieces: list[str]) -> None:
    text = "".join(pieces)
    report = Report()
    doc = load_yaml(text, PATH, report)
    lines = len(BREAK.split(text))
    for d in report.items:
        assert d.location.path == PATH
        assert 1 <= d.location.line <= lines + 1, (text, str(d))
        assert d.location.col >= 1, (text, str(d))
    if doc is None:  # refused: one mistake, one diagnostic
        assert len(report.errors) == 1, (text, [str(d) for d in report.items])
