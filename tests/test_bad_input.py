"""The bad-input corpus: mistakes a comms editor makes, each with the one diagnostic it must get.

Every case runs `mktogether build` on a broken copy of the fixture project (tests/fixture/) that
already has a site/, and asserts the exact diagnostic (path:line:col: severity: message), exit status 1,
no traceback, and that the existing site/ is byte-for-byte untouched.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FIXTURE_DISAGREEMENT, run_cli

BOARD = "data/handbook/2023-04/boards/risk.yml"
EDITION = "data/handbook/2023-04/edition.yml"
BUDGET = "data/annual-report/2023-24/budget.yml"
REPORT = "data/annual-report/2023-24/reports/risk.yml"
ATTENDANCE = "data/annual-report/2023-24/attendance.yml"
PROSE = "content/handbook/2023-04/introduction.md"
STATEMENT = "data/accessibility.yml"
REVISION = "data/handbook/2023-10/edition.yml"
DOCUMENT = "data/handbook/document.yml"
APPROVAL = "status: published\napproval:\n  board: {board}\n  date: {date}\n  minute: '6'\n"
MINIMAL_BOARD = "id: risk\nname: Risk\nkind: affiliated\nsummary: The Risk Board identifies risk.\n"


def write(path: str, text: str | bytes) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
    return edit


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        target = root / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def _blank_line(root: Path) -> int:
    """The line of the budget's figure left blank: its own key's, not its item's label's."""
    return next(i for i, line in enumerate((root / BUDGET).read_text().splitlines(), 1) if line.rstrip() == "    amount:")


def rename(path: str, to: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        (root / path).rename(root / to)
    return edit


def line_of(root: Path, path: str, needle: str) -> int:
    return next(i for i, line in enumerate((root / path).read_text().splitlines(), 1) if needle in line)


@dataclass
class Case:
    name: str
    edit: Callable[[Path], None]
    expected: str | Callable[[Path], str]  # the diagnostic line, or a function of the project giving it


CASES = [
    Case("yaml syntax: colon in a value", write(BOARD, "id: risk\nname: Risk: the board\nkind: affiliated\n"),
         f"{BOARD}:2:11: error: a ':' follows a value on the same line; put quotes around text that contains ': ' "
         "or start the nested key on a new, indented line"),
    Case("tab indentation", write(BOARD, MINIMAL_BOARD + "sponsor:\n\tlabel: Fixture Police\n"),
         f"{BOARD}:6:1: error: a tab character is used for indenting; indent with spaces only"),
    Case("bad indentation", write(BOARD, "id: risk\nname: Risk\n  kind: affiliated\n"),
         f"{BOARD}:3:7: error: a ':' follows a value on the same line; put quotes around text that contains ': ' "
         "or start the nested key on a new, indented line"),
    Case("unclosed quote", write(BOARD, "id: risk\nname: 'Risk\nkind: affiliated\n"),
         f"{BOARD}:2:7: error: a quote opened here is never closed; close it with ' at the end of the value "
         "(the parser reached the end of the file)"),
    Case("unknown key with a suggestion", write(BOARD, MINIMAL_BOARD + "sponser:\n  label: Fixture Police\n"),
         f"{BOARD}:5:1: error: unknown key 'sponser'; did you mean 'sponsor'?"),
    Case("unknown nested key", write(BOARD, MINIMAL_BOARD + "sponsor:\n  lable: Fixture Police\n"),
         f"{BOARD}:6:3: error: unknown key 'lable'; did you mean 'label'?"),
    Case("duplicate key", write(BOARD, MINIMAL_BOARD + "name: Risk Board\n"),
         f"{BOARD}:5:1: error: duplicate key 'name' (first given at line 2); keep one of them"),
    Case("wrong type: text where a list goes", write(BOARD, MINIMAL_BOARD + "reporting: Quarterly\n"),
         f"{BOARD}:5:12: error: 'reporting' must be a list, one '- ' item per line, not 'Quarterly'"),
    Case("wrong type: words where a number goes",
         write(BOARD, MINIMAL_BOARD + "meetings:\n  frequency: Six times\n  per_year: six\n"),
         f"{BOARD}:7:13: error: 'per_year' must be a whole number, not 'six'"),
    Case("wrong choice", write(BOARD, MINIMAL_BOARD.replace("affiliated", "afiliated")),
         f"{BOARD}:3:7: error: 'kind' must be one of 'strategic', 'management' or 'affiliated', not 'afiliated'"),
    Case("missing required key", write(BOARD, "id: risk\nname: Risk\n"),
         f"{BOARD}:1:1: error: missing required key 'kind'; add it"),
    Case("badly formed id", write(BOARD, MINIMAL_BOARD.replace("id: risk", "id: Risk Board")),
         f"{BOARD}:1:5: error: 'id' must be an id of lowercase letters and digits joined by hyphens, like 'child-death', "
         "not 'Risk Board'"),
    Case("unknown organisation", write(BOARD, MINIMAL_BOARD + "sponsor:\n  label: FP\n  organisation: polce\n"),
         f"{BOARD}:7:17: error: unknown organisation 'polce'; did you mean 'police'?"),
    Case("unknown board referred to", write(BOARD, MINIMAL_BOARD + "accountable_to:\n  - managment-board\n"),
         f"{BOARD}:6:5: error: unknown board 'managment-board'; did you mean 'management-board'?"),
    Case("edition lists a board that does not exist", replace(EDITION, "  - risk\n", "  - risk\n  - riks\n"),
         lambda root: f"{EDITION}:{line_of(root, EDITION, '- riks')}:5: error: unknown board 'riks': "
         "there is no data/handbook/2023-04/boards/riks.yml; did you mean 'risk'?"),
    Case("a second file with the same id", write("data/handbook/2023-04/boards/risk-2.yml", MINIMAL_BOARD),
         "data/handbook/2023-04/boards/risk-2.yml:1:5: error: the board id 'risk' must match the file's name, "
         "'risk-2.yml'; an id is never changed, so correct the id (or, for a new board, rename the file)"),
    Case("impossible date", replace(EDITION, "published: 2023-04-01", "published: 2023-02-30"),
         lambda root: f"{EDITION}:{line_of(root, EDITION, 'published:')}:12: error: '2023-02-30' is not a real date; "
         "write a date that exists, as YYYY-MM-DD"),
    Case("negative number", write(BOARD, MINIMAL_BOARD + "members:\n  - label: Milton Keynes Council\n    places: -2\n"),
         f"{BOARD}:7:13: error: 'places' must be at least 1, not -2"),
    Case("negative amount of spending", replace(BUDGET, "amount: 12000", "amount: -12000"),
         lambda root: f"{BUDGET}:{line_of(root, BUDGET, 'amount: -12000')}:13: "
         "error: 'amount' must be at least 0, not -12000"),
    Case("a board the annual report names but the Handbook does not", replace(REPORT, "board: risk", "board: riks"),
         lambda root: f"{REPORT}:{line_of(root, REPORT, 'board: riks')}:8: "
         "error: unknown board 'riks' in handbook/2023-10, the Handbook in force; did you mean 'risk'?"),
    Case("attendance marks that do not match the meetings", replace(ATTENDANCE, "      - absent\n", "", ),
         lambda root: f"{ATTENDANCE}:{line_of(root, ATTENDANCE, 'label: Director of Nursing, Fixture Health Board') + 4}:7: "
         "error: 2 marks for 'Director of Nursing, Fixture Health Board', but there are 3 meetings; give one mark a meeting"),
    Case("empty file", write(BOARD, ""), f"{BOARD}:1:1: error: the file is empty; fill it in or delete it"),
    Case("not UTF-8", write(BOARD, b"id: risk\nname: Risk\nkind: affiliated\nsummary: Caf\xe9 culture.\n"),
         f"{BOARD}:4:13: error: byte 0xe9 is not UTF-8 text; save the file as UTF-8 (in most editors: Save with encoding, UTF-8)"),
    Case("very large file", write(BOARD, MINIMAL_BOARD + "purpose:\n" + "  - A sentence of purpose.\n" * 50_000),
         f"{BOARD}:1:1: error: the file is {len(MINIMAL_BOARD + 'purpose:' + chr(10) + '  - A sentence of purpose.' + chr(10) * 1) + 27 * 49_999:,} bytes, more than the 1,000,000 allowed; keep one thing per file and split it"),
    Case("file in the wrong folder", write("data/handbook/boards/risk.yml", MINIMAL_BOARD),
         "data/handbook/boards/risk.yml:1:1: error: this file is in the wrong folder; data files go in "
         "data/organisations/<id>.yml, data/contacts.yml, data/glossary.yml, data/accessibility.yml, "
         "data/<handbook|annual-report>/document.yml, data/<handbook|annual-report>/<yyyy-mm>/edition.yml, attendance.yml or budget.yml, "
         "or data/<handbook|annual-report>/<yyyy-mm>/boards|reports/<id>.yml; minutes in "
         "data/meetings/<body-id>/<yyyy-mm-dd>.yml, archived documents in data/archive/<id>.yml"),
    Case(".yaml instead of .yml", write("data/organisations/trust.yaml", "id: trust\nname: Fixture Trust\n"),
         "data/organisations/trust.yaml:1:1: error: data files end in .yml: rename this file to trust.yml"),
    Case("approval by a board not in the Handbook in force",
         replace(REVISION, "status: published\n", APPROVAL.format(board="tasking", date="2023-09-20")),
         lambda root: f"{REVISION}:{line_of(root, REVISION, '  board: tasking')}:10: error: 'tasking' is not a board of the "
         "Partnership Handbook in force on 20 September 2023 (handbook/2023-04); its boards are: health-and-wellbeing, "
         "management-board, risk, review, voice"),
    Case("approval after publication",
         replace(REVISION, "status: published\n", APPROVAL.format(board="management-board", date="2023-10-02")),
         lambda root: f"{REVISION}:{line_of(root, REVISION, '  date: 2023-10-02')}:9: error: the approval, on 2 October 2023, "
         "is after the edition was published on 1 October 2023; write the day the board approved it, on or before that"),
    Case("approval on an impossible date",
         replace(REVISION, "status: published\n", APPROVAL.format(board="management-board", date="2023-09-31")),
         lambda root: f"{REVISION}:{line_of(root, REVISION, '  date: 2023-09-31')}:9: error: '2023-09-31' is not a real date; "
         "write a date that exists, as YYYY-MM-DD"),
    Case("next review before publication", replace(REVISION, "status: published\n", "status: published\nreview_by: 2023-09-01\n"),
         lambda root: f"{REVISION}:{line_of(root, REVISION, 'review_by:')}:12: error: the next review, on 1 September 2023, is "
         "not after the edition was published on 1 October 2023; write a later day, YYYY-MM-DD"),
    Case("in force before publication", replace(REVISION, "status: published\n", "status: published\nin_force_from: 2023-09-01\n"),
         lambda root: f"{REVISION}:{line_of(root, REVISION, 'in_force_from:')}:16: error: it comes into force on 1 September "
         "2023, before it was published on 1 October 2023; write the day it takes effect, on or after that"),
    Case("a document owned by a board not in the Handbook in force", replace(DOCUMENT, "owner: management-board", "owner: managment-board"),
         lambda root: f"{DOCUMENT}:{line_of(root, DOCUMENT, 'owner:')}:8: error: 'managment-board' is not a board of the "
         "Partnership Handbook in force (handbook/2023-10); did you mean 'management-board'?"),
    Case("edition id does not match its folder", replace(EDITION, "id: handbook/2023-04", "id: handbook/2023-05"),
         lambda root: f"{EDITION}:{line_of(root, EDITION, 'id: handbook')}:5: error: the edition id 'handbook/2023-05' "
         "must match its folder, 'handbook/2023-04'"),
    Case("edition follows one that does not exist", replace(EDITION, "status: published", "status: published\nfollows: handbook/2022-04"),
         lambda root: f"{EDITION}:{line_of(root, EDITION, 'follows:')}:10: error: unknown edition 'handbook/2022-04'; "
         "did you mean 'handbook/2023-04'?"),
    Case("prose file with no section", write("content/handbook/2023-04/foreword.md", "Welcome.\n"),
         lambda root: f"{EDITION}:{line_of(root, EDITION, 'sections:')}:1: error: content/handbook/2023-04/foreword.md is the "
         "prose of no section in this list; add '- id: foreword' with its title, or rename or delete that file"),
    Case("section with no prose", lambda root: (root / PROSE).unlink(),
         lambda root: f"{EDITION}:{line_of(root, EDITION, 'id: introduction')}:9: error: section 'introduction' has no prose: "
         f"create {PROSE}"),
    Case("link to a page that does not exist", replace(PROSE, "\n", "\nSee [the board](boards/nope.md).\n"),
         f"{PROSE}:2:17: error: link to 'boards/nope.md', which is not a page of the site; "
         "link to a .md page such as 'boards/risk.md'"),
    Case("HTML in prose", replace(PROSE, "\n", "\n<script>alert('hi')</script>\n"),
         f"{PROSE}:2:1: error: HTML is not allowed in prose ('<script>alert('hi')</script>'); "
         "write it in Markdown, which the site turns into safe HTML"),
    # the editor's contract: no cascade from one broken file, each mistake reported where it was typed
    Case("a broken organisation file", replace("data/organisations/police.yml", "name:", "nme:"),
         "data/organisations/police.yml:3:1: error: unknown key 'nme'; did you mean 'name'?"),
    Case("an edition's board list misspelt", replace(EDITION, "  - risk\n", "  - riks\n"),
         lambda root: f"{EDITION}:{line_of(root, EDITION, '- riks')}:5: error: unknown board 'riks': "
         "there is no data/handbook/2023-04/boards/riks.yml; did you mean 'risk'?"),
    Case("the same board listed twice", replace(EDITION, "  - risk\n", "  - risk\n  - risk\n"),
         lambda root: f"{EDITION}:{line_of(root, EDITION, '- risk') + 1}:5: error: 'risk' is given twice in 'boards' "
         "(first as item 3); list it once"),
    Case("the board of the attendance misspelt", replace(ATTENDANCE, "board: management-board", "board: managment-board"),
         lambda root: f"{ATTENDANCE}:{line_of(root, ATTENDANCE, 'board: ')}:8: error: unknown board 'managment-board' "
         "in every Handbook edition; did you mean 'management-board'?"),
    Case("a section id misspelt", replace(EDITION, "id: introduction", "id: introdution"),
         lambda root: f"{EDITION}:{line_of(root, EDITION, 'id: introdution')}:9: error: section 'introdution' has no prose: "
         f"did you mean 'introduction' ({PROSE})?"),
    Case("a glossary term given twice", replace("data/glossary.yml", "terms:\n", "terms:\n  - term: DSL\n    meaning: Again\n"),
         lambda root: f"data/glossary.yml:{[i for i, l in enumerate((root / 'data/glossary.yml').read_text().splitlines(), 1) if 'term: DSL' in l][-1]}:11: "
         "error: 'DSL' is given twice in 'terms' (first as item 1); keep one, or give this one its own term"),
    Case("a phone number one digit short", replace("data/contacts.yml", "phone: 0113 496 0101", "phone: 0113 496 010"),
         lambda root: f"data/contacts.yml:{line_of(root, 'data/contacts.yml', '0113 496 010')}:16: error: '0113 496 010' is not "
         "a UK phone number; write it as printed, such as 01908 253772 (two numbers sharing their start may be printed as "
         "01908 253169/70)"),
    Case("an email address with no @", replace("data/contacts.yml", "email: adults@", "email: adults-at-"),
         lambda root: f"data/contacts.yml:{line_of(root, 'data/contacts.yml', 'adults-at-')}:16: error: 'email' must be an "
         "email address such as name@example.org, not 'adults-at-fixture-council.example'"),
    Case("a javascript link in data", write(BOARD, MINIMAL_BOARD + "purpose:\n  - See [this](javascript:alert(1)).\n"),
         f"{BOARD}:6:16: error: link to 'javascript:alert(1)' is not allowed; links go to web pages (https://…), "
         "email (mailto:), phone (tel:) or pages of the site"),
    Case("a javascript link in prose", replace(PROSE, "\n", "\nSee [this](javascript:alert(1)).\n"),
         f"{PROSE}:2:12: error: link to 'javascript:alert(1)' is not allowed; links go to web pages (https://…), "
         "email (mailto:), phone (tel:) or pages of the site"),
    Case("a remote image in prose", replace(PROSE, "\n", "\n![Logo](https://example.org/logo.png)\n"),
         f"{PROSE}:2:9: error: an image from another site ('https://example.org/logo.png') is not allowed: the site makes "
         "no request to any other host; save the image under content/ and link it relatively"),
    Case("HTML after an HTML comment in prose", replace(PROSE, "\n", "\n<!-- note --><img src=x onerror=alert(1)>\n"),
         f"{PROSE}:2:1: error: HTML is not allowed in prose ('<!-- note --><img src=x onerro…'); "
         "write it in Markdown, which the site turns into safe HTML"),
    Case("a data file linked from outside the project", lambda root: (root / "data/organisations/elsewhere.yml").symlink_to("/etc/hostname"),
         "data/organisations/elsewhere.yml:1:1: error: this file is a link to a file outside the project; copy the file in instead"),
    Case("a missing colon", write(BOARD, "id: risk\nname Risk\nkind: affiliated\n"),
         f"{BOARD}:2:1: error: 'name Risk' has no ':' after its key; write 'key: value'"),
    Case("a YAML alias (billion laughs)", write(BOARD, "id: risk\na: &a ['lol','lol']\nb: &b [*a,*a,*a,*a]\nc: [*b,*b,*b,*b]\n"),
         f"{BOARD}:2:4: error: YAML anchors and aliases ('&a', '*a') are not allowed here; write the value out in full "
         "(in quotes if the '&' is part of the text)"),
    Case("a YAML tag", write(BOARD, "id: risk\nname: !!python/object/apply:os.system ['ls']\nkind: affiliated\n"),
         f"{BOARD}:2:7: error: YAML tags ('!!python/object/apply:os.system') are not allowed; write the plain value "
         "(in quotes if the '!' is part of the text)"),
    Case("a right-to-left override in data", write(BOARD, MINIMAL_BOARD.replace("identifies", "ident\u202eifies")),
         f"{BOARD}:4:30: error: an invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) is here; delete it "
         "(it can make text read differently from what is published)"),
    Case("a zero-width space in prose", replace(PROSE, "\n", "\nThe Board\u200b meets.\n"),
         f"{PROSE}:2:10: error: an invisible character U+200B (ZERO WIDTH SPACE) is here; delete it "
         "(it can make text read differently from what is published)"),
    # found by tests/test_mutations.py (seeds 69, 126, 318): an organisation's id misspelt in its own file
    Case("an organisation's id misspelt", replace("data/organisations/police.yml", "id: police", "id: polic"),
         "data/organisations/police.yml:2:5: error: the organisation id 'polic' must match the file's name, 'police.yml'; "
         "an id is never changed, so correct the id (or, for a new organisation, rename the file)"),
    Case("a date past what the site can publish", replace(EDITION, "published: 2023-04-01", "published: 2123-04-01"),
         lambda root: f"{EDITION}:{line_of(root, EDITION, 'published:')}:12: error: 2123-04-01 is not a date this site can "
         "publish; use a year from 2000 to 2099"),
    # found by tests/test_mutations.py (seed 189, and 217 on the next editions): a list item deleted,
    # reported at the list, not at the file it names
    Case("a board's line deleted from the edition's list", replace(EDITION, "  - risk\n", ""),
         lambda root: f"{EDITION}:{line_of(root, EDITION, 'boards:')}:1: error: data/handbook/2023-04/boards/risk.yml is not in "
         "this list; add '- risk' where the document prints it, or delete that file"),
    Case("a section saved as Windows-1252: there all the same", write(PROSE, "Fees are \xa35.\n".encode("cp1252")),
         f"{PROSE}:1:10: error: byte 0xa3 is not UTF-8 text; save the file as UTF-8 (in most editors: Save with "
         "encoding, UTF-8)"),
    Case("a section saved as UTF-16, with its byte order mark", write(PROSE, "Fees are \u00a35.\n".encode("utf-16")),
         f"{PROSE}:1:1: error: byte 0xff is not UTF-8 text; save the file as UTF-8 (in most editors: Save with "
         "encoding, UTF-8)"),
    Case("a board saved as .yaml: there by its name", rename(BOARD, "data/handbook/2023-04/boards/risk.yaml"),
         "data/handbook/2023-04/boards/risk.yaml:1:1: error: data files end in .yml: rename this file to risk.yml"),
    Case("a board saved as .YML", rename(BOARD, "data/handbook/2023-04/boards/risk.YML"),
         "data/handbook/2023-04/boards/risk.YML:1:1: error: data files end in .yml: rename this file to risk.yml"),
    Case("a board saved with .txt after it", rename(BOARD, "data/handbook/2023-04/boards/risk.yml.txt"),
         "data/handbook/2023-04/boards/risk.yml.txt:1:1: error: data files end in .yml: rename this file to risk.yml"),
    Case("an organisation kept as .yml.bak alone", rename("data/organisations/police.yml", "data/organisations/police.yml.bak"),
         "data/organisations/police.yml.bak:1:1: error: data files end in .yml: rename this file to police.yml"),
    Case("a mark typed yes", replace(ATTENDANCE, "- present", "- yes"),
         lambda root: f"{ATTENDANCE}:{line_of(root, ATTENDANCE, '- yes')}:9: error: 'marks' must be one of 'present', "
         "'absent' or 'n/a', not 'yes'"),
    Case("a value left blank", replace(BOARD, "name: Risk\n", "name:\n"),
         lambda root: f"{BOARD}:{line_of(root, BOARD, 'name:')}:6: error: 'name' is blank; write its value after the ':', "
         "or remove the key"),
    Case("a value in curly quotes", replace(BOARD, "kind: affiliated", "kind: \u201caffiliated\u201d"),
         lambda root: f"{BOARD}:{line_of(root, BOARD, 'kind:')}:7: error: 'kind' must be one of 'strategic', 'management' "
         "or 'affiliated', not '\u201caffiliated\u201d' (in curly quotes, which YAML keeps as part of the text: use "
         "straight quotes, or none)"),
    Case("text with ': ' in curly quotes", replace(BOARD, "name: Risk\n", "name: \u201cRisk: the board\u201d\n"),
         lambda root: f"{BOARD}:{line_of(root, BOARD, 'name:')}:12: error: the text is in curly quotes (\u201c), which "
         "YAML reads as part of the text, not as quotes; put it in straight quotes (\"...\") instead"),
    Case("a non-breaking space after a key", replace(BOARD, "kind: affiliated", "kind:\u00a0affiliated"),
         lambda root: f"{BOARD}:{line_of(root, BOARD, 'kind:')}:1: error: 'kind:\u00a0affiliated' has a non-breaking "
         "space after the ':' of its key (text pasted from a word processor has them); type an ordinary space instead"),
    Case("a figure left blank in a published report", replace(BUDGET, "    amount: 12000", "    amount:"),
         lambda root: f"{BUDGET}:{_blank_line(root)}:5: error: "
         "'Independent scrutineer' has no figure; a published report gives every figure as printed: add its amount (or, "
         "for a contribution, childrens or adults)"),
    Case("a level-1 heading in a section", replace(PROSE, "## How the partnership works", "# How the partnership works"),
         lambda root: f"{PROSE}:{line_of(root, PROSE, '# How the')}:1: error: a level-1 heading: the page's title is its "
         "only one; start this page's headings at ## (## How the partnership works)"),
    Case("a heading level skipped", replace(PROSE, "## How the partnership works", "### How the partnership works"),
         lambda root: f"{PROSE}:{line_of(root, PROSE, '### How the')}:1: error: a level-3 heading directly under the page's "
         "title: a heading level is never skipped; make it ## (## How the partnership works)"),
    Case("a link to a place another page does not have", replace(PROSE, "\n", "\nSee [its quorum](boards/risk.md#quorom).\n"),
         f"{PROSE}:2:18: error: link to 'boards/risk.md#quorom', but 'boards/risk.md' has no heading or place "
         "'#quorom'; did you mean '#quorum'?"),
    Case("a link to a place this page does not have", replace(PROSE, "\n", "\nSee [below](#how-it-workz).\n"),
         lambda root: f"{PROSE}:2:13: error: link to '#how-it-workz', but this page has no heading or place "
         "'#how-it-workz'; the places it has are: #introduction, #how-the-partnership-works"),
    Case("typo in a template", replace("templates/pages/board.md.j2", "# {{ board.name }}", "# {{ board.nmae }}"),
         # pages render in the site's order, each document's newest edition first
         lambda root: f"templates/pages/board.md.j2:{line_of(root, 'templates/pages/board.md.j2', 'board.nmae')}:1: error: "
         "template error: 'generator.models.Board object' has no attribute 'nmae' (first seen rendering "
         "handbook/2023-10/boards/health-and-wellbeing.md)"),
    Case("accessibility statement: impossible review date", replace(STATEMENT, "reviewed: 2026-06-01", "reviewed: 2026-06-31"),
         f"{STATEMENT}:2:11: error: '2026-06-31' is not a real date; write a date that exists, as YYYY-MM-DD"),
    Case("accessibility statement: no review date", replace(STATEMENT, "reviewed: 2026-06-01\n", ""),
         f"{STATEMENT}:2:1: error: missing required key 'reviewed'; add it"),
    Case("accessibility statement: unknown contact group", replace(STATEMENT, "contact: safeguarding-adults", "contact: safeguarding-adult"),
         f"{STATEMENT}:5:10: error: unknown contact group 'safeguarding-adult'; did you mean 'safeguarding-adults'?"),
    Case("accessibility statement: its data file missing", lambda root: (root / STATEMENT).unlink(),
         f"{STATEMENT}:1:1: error: the accessibility statement (content/accessibility.md) needs this file: create it with "
         "reviewed, prepared and tested (each YYYY-MM-DD) and contact (the id of a group in data/contacts.yml)"),
]


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mistake_gets_one_clear_diagnostic_and_leaves_site_untouched(project: Path, case: Case) -> None:
    site = project / "site"
    (site / "handbook").mkdir(parents=True)
    (site / "index.html").write_text("<p>the site as last published</p>")
    (site / "handbook" / "index.html").write_text("<p>a page</p>")
    before = tree_digest(site)

    case.edit(project)
    expected = case.expected(project) if callable(case.expected) else case.expected
    result = run_cli(project, "build")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert expected in errors, "\n".join(errors)
    assert len(errors) == 1, "one mistake, one diagnostic:\n" + "\n".join(errors)
    assert tree_digest(site) == before
    assert sorted(p.name for p in project.iterdir()) == sorted(["data", "content", "templates", "mkdocs.yml", "schema", "site"])


def test_all_problems_of_a_run_are_reported_together(project: Path) -> None:
    """A broken file never hides the problems of another: YAML, an edition.yml, prose links."""
    write(BOARD, MINIMAL_BOARD + "sponser:\n  label: FP\n")(project)
    write("data/handbook/2023-04/boards/tasking.yml", "id: tasking\nname: Tasking\n")(project)
    replace("data/handbook/2023-10/edition.yml", "title:", "titl:")(project)
    replace("data/handbook/2023-10/boards/review.yml", "name:", "nam:")(project)
    replace("data/organisations/charity.yml", "name:", "name: [")(project)
    replace(PROSE, "\n", "\nSee [the board](boards/nope.md).\n")(project)
    result = run_cli(project, "check")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [e.split(": error: ")[0].rsplit(":", 2)[0] for e in errors] == [
        PROSE, "data/handbook/2023-04/boards/risk.yml", "data/handbook/2023-04/boards/tasking.yml",
        "data/handbook/2023-10/boards/review.yml", "data/handbook/2023-10/edition.yml", "data/organisations/charity.yml",
    ], "one error a file, sorted by file:\n" + "\n".join(errors)
    assert f"{BOARD}:5:1: error: unknown key 'sponser'; did you mean 'sponsor'?" in errors
    assert "data/handbook/2023-04/boards/tasking.yml:1:1: error: missing required key 'kind'; add it" in errors
    assert f"{PROSE}:2:17: error: link to 'boards/nope.md', which is not a page of the site; link to a .md page such as 'boards/risk.md'" in errors
    assert FIXTURE_DISAGREEMENT in result.stderr
    assert "6 errors, 1 warning" in result.stderr  # the one warning is the fixture budget's own disagreement


def test_warning_passes_check_but_fails_strict(project: Path) -> None:
    replace(BOARD, "  per_year: 4\n", "  per_year: 4\n  months:\n    - 4\n")(project)
    warning = f"{BOARD}:{line_of(project, BOARD, 'months:') + 1}:5: warning: 1 meeting months are listed but per_year is 4; make them agree"
    relaxed = run_cli(project, "check")
    assert relaxed.returncode == 0 and warning in relaxed.stderr
    strict = run_cli(project, "check", "--strict")
    assert strict.returncode == 1 and warning in strict.stderr


def test_template_like_text_in_data_is_shown_literally_never_run(project: Path) -> None:
    write(BOARD, MINIMAL_BOARD + 'workplan_note: "{{ 7 * 7 }} and {% if true %}yes{% endif %}"\n')(project)
    result = run_cli(project, "build", "--site-dir", str(project / "out"))
    assert result.returncode == 0, result.stderr
    page = (project / "out/handbook/2023-04/boards/risk/index.html").read_text()
    assert "{{ 7 * 7 }} and {% if true %}yes{% endif %}" in page
    assert "49 and yes" not in page


def test_html_in_data_text_is_refused_at_its_line(project: Path) -> None:
    write(BOARD, MINIMAL_BOARD + 'workplan_note: "Plans & <script>alert(\'x\')</script> <b>bold</b>"\n')(project)
    result = run_cli(project, "build", "--site-dir", str(project / "out"))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{BOARD}:5:25: error: HTML is not allowed in data text ('<script>alert('x')</script> <b'); "
                      "write it in Markdown (**bold**, *italics*, [words](https://address)), which the site turns into safe HTML"]
    assert not (project / "out").exists()


def test_what_the_system_leaves_is_ignored_and_never_published(project: Path) -> None:
    """Finder's, Windows', Office's and editors' leftovers, in data/ and content/, in a published
    edition's folders too: no diagnostic, and none of them in the built site."""
    assert run_cli(project, "publish", "handbook/2023-10", "--date", "2023-10-01").returncode == 0  # records it
    junk = [".DS_Store", "._risk.yml", "Thumbs.db", "desktop.ini", "~$introduction.docx", ".~lock.budget.ods#",
            ".risk.yml.swp", "introduction.md~"]
    for folder in ("data", "data/handbook/2023-10", "data/handbook/2023-10/boards", "content", "content/handbook/2023-10"):
        for name in junk:
            (project / folder / name).write_bytes(b"\x00\x01 left by the system \xff")
    result = run_cli(project, "build", "--site-dir", str(project / "out"))
    assert result.returncode == 0, result.stderr
    assert [w for w in result.stderr.splitlines() if ": warning: " in w] == [FIXTURE_DISAGREEMENT]
    published = {p.name for p in (project / "out").rglob("*")}
    assert not published & set(junk)
