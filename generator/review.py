"""`mktogether review REV`: what merging the working tree changes, for the people who review it.

Reviewers read a proposed revision as a git diff of YAML and Markdown, and ask two questions, which
this answers in order, after a summary of at most SUMMARY_LINES lines:

1. What merging changes on the public site. It builds the site twice, each as publishing builds it
   (no drafts): at the git revision REV (checked out into a temporary worktree, built with that
   revision's own code and templates) and from the working tree as it is, uncommitted edits
   included; then compares the two page by page: pages added and removed, and pages whose
   reader-visible text changed (the text of each page's `<article>` as a reader sees it: each table
   cell named by its caption, row and column, each term with its meaning, words struck out and put
   in marked as `mktogether diff` marks them, nothing hidden), sentence by sentence with difflib, so
   that a change to the navigation or to every page's footer lists no page.
2. What each draft the change begins or changes will change when it is published: its comparison
   with the edition it follows (`derive.edition_changes`, the one behind `mktogether diff` and the
   What changed pages), and how many pages it will have.

Besides: what a reviewer must look at (a published edition's pages changed with no correction
recorded, a shared file that alters a published edition, a draft holding corrected words), the
corrections the change records, and notes on the plain English of the prose that changed. As text
for a terminal, Markdown for a job summary, one pull-request comment, or JSON.
"""
from __future__ import annotations

import difflib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from .compare import compare_prose, excerpts
from .pipeline import draft_of
from .text import join_and, long_date, normalise, plural

MAX_SENTENCE = 200  # characters of a sentence shown; longer ones are cut with "…"
MAX_MARKDOWN_LINES = 40  # sentences shown of a page in Markdown (a job summary holds at most 1 MiB)
SKIPPED_DIRS = ("assets", "search")  # Material's own files, not pages
BAD_REVISION = "error: no git revision '{rev}'; give a commit, branch or tag, e.g. main or HEAD~1"


class ReviewError(Exception):
    """One line that says what went wrong; the review stops with exit 1."""


# The text of a page -----------------------------------------------------------------------------

# Elements whose text stands on its own: text either side of them is never joined into one sentence.
BLOCKS = frozenset("""
    address article aside blockquote br caption dd details dialog div dl dt fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th
    thead tr ul
""".split())
# Not read: what a reader does not see as text (scripts, the screen-reader labels of the theme and of
# our tables, anything hidden), and the charts, whose every figure the table beside them gives.
HIDDEN = frozenset({"script", "style", "template", "noscript", "svg"})
HIDDEN_CLASSES = frozenset({"headerlink", "mkt-hidden", "md-visually-hidden", "mkt-pdf"})
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
MARKS = {"del": ("[-", "-]"), "ins": ("{+", "+}")}
CELL = " \u2014 "  # between a table's caption and a cell's row and column: 'Budget — Misc, 21/22 Actuals: 1,564'


@dataclass
class _Table:
    """Where the parser is in a table: its caption, its column headings, and the row it is in."""

    caption: str = ""
    columns: list[str] = field(default_factory=list)
    in_head: bool = False
    row: str = ""  # the row's own heading
    column: int = 0  # the column the next cell starts in
    spanned: dict[int, int] = field(default_factory=dict)  # column: rows still covered by a cell above
    cell: tuple[str, int, int] | None = None  # the open cell: its tag, first column and how many it spans


class _ArticleText(HTMLParser):
    """The blocks of text in the page's `<article>` as a reader sees them: each table cell named by its
    row and column ('Summary of 21/22 end of year budget position — Misc, 21/22 Actuals: 1,564'), each
    term of a definition list with its meaning, nothing hidden."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.cells: set[str] = set()  # the blocks that are table cells: figures, not prose
        self._current: list[str] = []
        self._stack: list[str] = []  # open elements inside the article, the article first
        self._skip_depth: int | None = None  # depth of the element whose text is not read
        self._tables: list[_Table] = []
        self._term: str | None = None  # a definition list's term, until its meaning comes
        self.heading = ""  # the last heading read
        self.under: dict[int, str] = {}  # the heading each block stands under, by its place in `blocks`
        self._done = False

    def _text(self) -> str:
        text = " ".join("".join(self._current).split())
        self._current = []
        return text

    def _flush(self, tag: str = "") -> None:
        text = self._text()
        if text:
            self.under[len(self.blocks)] = self.heading
            self.blocks.append(text)
            if tag in ("h1", "h2", "h3", "h4"):  # the page's own title names nothing its URL does not
                self.heading = text if tag != "h1" else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        if not self._stack:
            if tag == "article":
                self._stack.append(tag)
            return
        if tag in VOID:
            if tag in BLOCKS:
                self._flush()
            return
        self._stack.append(tag)
        named = dict(attrs)
        if self._skip_depth is None and (tag in HIDDEN or "hidden" in named
                                         or HIDDEN_CLASSES & set((named.get("class") or "").split())):
            self._skip_depth = len(self._stack)
        if self._skip_depth is not None:
            return
        table = self._tables[-1] if self._tables else None
        if tag == "table":
            self._flush()
            self._tables.append(_Table())
        elif table and tag == "thead":
            table.in_head = True
        elif table and tag == "tr":
            table.row, table.column = "", 0
        elif table and tag in ("th", "td"):
            self._flush()
            while table.spanned.get(table.column, 0) > 0:
                table.column += 1
            span = int(named.get("colspan") or 1)
            if int(named.get("rowspan") or 1) > 1:
                table.spanned[table.column] = int(named.get("rowspan") or 1)
            table.cell = (tag if named.get("scope") != "rowgroup" else "rowgroup", table.column, span)
        elif tag in BLOCKS and tag != "dd":
            self._flush()
        elif tag in MARKS:  # words struck out and put in, as `mktogether diff` writes them
            self._current.append(MARKS[tag][0])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._stack and not self._done and tag in BLOCKS and self._skip_depth is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if not self._stack or self._done or tag not in self._stack:
            return  # a stray end tag
        while self._stack:
            open_tag = self._stack.pop()
            if self._skip_depth is not None:
                if len(self._stack) < self._skip_depth:
                    self._skip_depth = None
                if open_tag == tag:
                    break
                continue
            self._close(open_tag)
            if open_tag == tag:
                break
        if not self._stack:
            self._flush()
            self._done = True

    def _close(self, tag: str) -> None:
        table = self._tables[-1] if self._tables else None
        if tag in MARKS:
            self._current.append(MARKS[tag][1])
        elif tag == "dt":
            if self._term:  # a term with no meaning of its own stands alone
                self.blocks.append(self._term)
            self._term = self._text()
        elif tag == "dd":
            meaning = self._text()
            if meaning or self._term:
                self.blocks.append(f"{self._term}: {meaning}" if self._term and meaning else self._term or meaning)
            self._term = None
        elif tag == "dl" and self._term:  # its last term, with no meaning of its own
            self.blocks.append(self._term)
            self._term = None
        elif table and tag == "caption":
            table.caption = self._text()
        elif table and tag == "thead":
            table.in_head = False
        elif table and tag == "tr":
            table.spanned = {col: left - 1 for col, left in table.spanned.items() if left > 1}
            if not table.in_head:
                table.spanned = {col: left for col, left in table.spanned.items()}
        elif table and tag in ("th", "td") and table.cell:
            kind, column, span = table.cell
            text = self._text()
            table.cell, table.column = None, column + span
            if table.in_head:
                table.columns += [text] * span
            elif kind == "th":
                table.row = text
            elif kind == "td" and text:
                heading = table.columns[column] if column < len(table.columns) else ""
                where = ", ".join(part for part in (table.row, heading if len(table.columns) > 2 else "") if part)
                block = f"{table.caption}{CELL if table.caption else ''}{where}: {text}" if where else text
                self.blocks.append(block)
                self.cells.add(block)
        elif table and tag == "table":
            self._tables.pop()
        elif tag in BLOCKS:
            self._flush(tag)

    def handle_data(self, data: str) -> None:
        if self._stack and not self._done and self._skip_depth is None:
            self._current.append(data)


# A sentence ends at . ! ? or … (with any closing quote or bracket), before white space and
# something that is not a lower-case letter: "e.g. the" stays one sentence.
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[^\sa-z])")


@dataclass
class PageText:
    sentences: list[str]  # what a reader reads, in order
    under: list[str]  # the heading each sentence stands under


def page_text(page_html: str) -> PageText:
    """The reader-visible sentences of a page's main content, in order."""
    parser = _ArticleText()
    parser.feed(page_html)
    parser.close()
    parser._flush()
    found = PageText([], [])
    for n, block in enumerate(parser.blocks):
        sentences = [block] if block in parser.cells else [s.strip() for s in SENTENCE_END.split(block) if s.strip()]
        found.sentences += sentences
        found.under += [parser.under.get(n, "")] * len(sentences)
    return found


def page_sentences(page_html: str) -> list[str]:
    """The reader-visible sentences of a page's main content, in order."""
    return page_text(page_html).sentences


def site_pages(site: Path) -> dict[str, Path]:
    """Every page of a built site by its address: /, /handbook/2023-10/boards/risk/ ..."""
    pages = {}
    for path in site.rglob("index.html"):
        rel = path.relative_to(site).parts[:-1]
        if rel and rel[0] in SKIPPED_DIRS:
            continue
        pages["/" + "".join(part + "/" for part in rel)] = path
    return dict(sorted(pages.items()))


# Comparing two sites ----------------------------------------------------------------------------

@dataclass
class PageChange:
    url: str
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # a table cell: (its row and column, was, is)


@dataclass
class SiteDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[PageChange] = field(default_factory=list)

    def as_data(self) -> dict[str, Any]:
        return {"added": self.added, "removed": self.removed,
                "changed": [{"url": c.url, "removed": c.removed, "added": c.added,
                             "cells": [{"cell": cell, "was": was, "is": now} for cell, was, now in c.changed]}
                            for c in self.changed]}


def shorten(sentence: str, start: int = 0, limit: int = MAX_SENTENCE) -> str:
    """At most `limit` characters of a sentence, from a little before `start` (where it differs
    from the sentence it replaces), cut at words, with "…" where something was left out."""
    if len(sentence) <= limit:
        return sentence
    begin = 0
    if start > limit // 3:
        begin = sentence.rfind(" ", 0, start - limit // 4) + 1
    head = "…" if begin else ""
    room = limit - len(head) - 1
    text = sentence[begin:]
    if len(text) + len(head) <= limit:
        return head + text
    cut = text.rfind(" ", 0, room)
    return head + text[: cut if cut > room // 2 else room].rstrip() + "…"


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _labelled(sentence: str) -> tuple[str, str] | None:
    """A line that names what it gives before its last ': ' (a table cell by its row and column,
    a contact by its line): that name, and what it gives."""
    where, colon, value = sentence.rpartition(": ")
    return (where, value) if colon and 0 < len(where) <= 160 and value else None


SHORT_VALUE = 40  # characters: a line that differs from its old self only in its last few words is a value changed


def _value_changed(a: str, b: str) -> tuple[str, str, str] | None:
    """Two lines the same but for a short ending (a phone number, a date, a figure): what they
    share, and each ending. Sentences of prose that differ more are shown whole."""
    labelled_a, labelled_b = _labelled(a), _labelled(b)
    if labelled_a and labelled_b and labelled_a[0] == labelled_b[0]:
        return labelled_a[0], labelled_a[1], labelled_b[1]
    if any(re.search(r"[.!?…][\"'”’)\]]*$", line) for line in (a, b)):
        return None  # a sentence of prose: shown whole, as it was and as it is
    words = a[:_common_prefix(a, b)].split(" ")
    shared = words[:-1] if len(words) > 1 else []  # the words both begin with, whole
    while shared and re.fullmatch(r"[0-9()+/-]+", shared[-1]):
        shared.pop()  # a number is one value: 0113 496 0101, never 0113 496 and 0101
    name = " ".join(shared)
    was, now = a[len(name):].strip(), b[len(name):].strip()
    if len(name) >= 12 and was and now and max(len(was), len(now)) <= SHORT_VALUE:
        return name.rstrip(":"), was, now
    return None


def compare_sentences(old: list[str], new: list[str], old_under: list[str] | None = None,
                      new_under: list[str] | None = None) -> PageChange:
    """The sentences removed and added, each shortened around where it changed; and a line that
    names what it gives (a table cell, a contact) whose value changed, once: 'name: was → is', with
    the heading it stands under where the name alone does not say."""
    found = PageChange("")
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = old[i1:i2], new[j1:j2]
        paired: set[int] = set()
        if op == "replace":
            for k, (a, b) in enumerate(zip(gone, came)):
                value = _value_changed(a, b)
                if value:
                    heading = (new_under or [""] * len(new))[j1 + k]
                    name = value[0] if CELL in value[0] or not heading else f"{heading}, {value[0]}"
                    found.changed.append((name, value[1], value[2]))
                    paired.add(k)
        for k, sentence in enumerate(gone):
            if k not in paired:
                start = _common_prefix(sentence, came[k]) if op == "replace" and k < len(came) else 0
                found.removed.append(shorten(sentence, start))
        for k, sentence in enumerate(came):
            if k not in paired:
                start = _common_prefix(sentence, gone[k]) if op == "replace" and k < len(gone) else 0
                found.added.append(shorten(sentence, start))
    return found


def compare_sites(old_site: Path, new_site: Path) -> SiteDiff:
    """Pages added, removed, and changed in their reader-visible text, from one built site to another."""
    old, new = site_pages(old_site), site_pages(new_site)
    diff = SiteDiff(added=[u for u in new if u not in old], removed=[u for u in old if u not in new])
    for url in (u for u in new if u in old):
        a = old[url].read_text(encoding="utf-8", errors="replace")
        b = new[url].read_text(encoding="utf-8", errors="replace")
        if a == b:
            continue
        was, now = page_text(a), page_text(b)
        change = compare_sentences(was.sentences, now.sentences, was.under, now.under)
        if change.removed or change.added or change.changed:
            change.url = url
            diff.changed.append(change)
    return diff


# Git and the two builds -------------------------------------------------------------------------

def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        raise ReviewError("error: git is not installed; review compares the working tree with a git revision") from None


def _project_in_repository(root: Path) -> Path:
    """Where the project sits inside its git repository (usually the repository's top)."""
    result = _git(root, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise ReviewError(f"error: {root} is not in a git repository; "
                          "review compares the working tree with a commit, branch or tag of its history")
    top = Path(result.stdout.strip()).resolve()
    return root.resolve().relative_to(top)


def _commit_of(root: Path, rev: str) -> str:
    if rev.startswith("-"):
        raise ReviewError(BAD_REVISION.format(rev=rev))
    result = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if result.returncode != 0 or not result.stdout.strip():
        raise ReviewError(BAD_REVISION.format(rev=rev))
    return result.stdout.strip()


def _build(tree: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """Build one tree with its own code and templates, as publishing builds it: no draft. Its PDFs
    are left out where the tree's code allows (their links are not compared: HIDDEN_CLASSES)."""
    pythonpath = os.pathsep.join(p for p in (str(tree), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(out)],
        cwd=tree, capture_output=True, text=True, timeout=1800,
        env={**os.environ, "PYTHONPATH": pythonpath, "MKTOGETHER_PDF": "false"},
    )


def build_both(root: Path, rev: str, work: Path) -> tuple[Path, Path]:
    """The site at `rev` and the site of the working tree, built side by side into `work`."""
    project = _project_in_repository(root)
    commit = _commit_of(root, rev)
    tree = work / "tree"
    added = _git(root, "worktree", "add", "--detach", str(tree), commit)
    try:
        if added.returncode != 0:
            raise ReviewError(f"error: could not check out {rev} into a temporary worktree: "
                              f"{' '.join(added.stderr.split()) or 'git worktree add failed'}")
        old_site, new_site = work / "site-old", work / "site-new"
        with ThreadPoolExecutor(max_workers=2) as pool:
            old_job = pool.submit(_build, tree / project, old_site)
            new_job = pool.submit(_build, root, new_site)
            old_result, new_result = old_job.result(), new_job.result()
        failed = []
        for result, side in ((old_result, f"the site at {rev}"), (new_result, "the site of the working tree")):
            if result.returncode != 0:
                sys.stderr.write(f"{side}:\n{result.stdout}{result.stderr}")
                failed.append(side)
        if failed:
            raise ReviewError(f"error: {' and '.join(failed)} failed to build (the diagnostics are above)")
        return old_site, new_site
    finally:
        _git(root, "worktree", "remove", "--force", str(tree))
        _git(root, "worktree", "prune")


# What the change does besides: drafts, corrections, published editions -------------------------

@dataclass
class DraftReview:
    """A draft edition the change adds or changes: what it will change when it is published."""

    edition: str
    new: bool  # begun in this change, or changed by it
    pages: int  # the pages it will add to the site when it is published
    follows: str | None
    diff: Any  # compare.EditionDiff with the edition it follows, or None for a first edition or a new year

    def line(self) -> str:
        begun = "begun in this change" if self.new else "changed"
        what = (f"{self.diff.summary()} from {self.follows}" if self.diff is not None
                else "a new year, every page of it new")
        return f"Draft {self.edition} ({begun}): {what}; {plural(self.pages, 'page')} when it is published."


@dataclass
class Review:
    rev: str
    site: SiteDiff
    drafts: list[DraftReview] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what a reviewer must look at
    recorded: list[str] = field(default_factory=list)  # corrections this change records
    notes: list[str] = field(default_factory=list)  # on plain English, for the reviewer; never errors


def _at_rev(root: Path, rev: str, rel: str) -> str | None:
    """A file of the project as it was at the revision, or None where it was not there."""
    shown = _git(root, "show", f"{rev}:./{rel}")
    return shown.stdout if shown.returncode == 0 else None


def _changed_since(root: Path, rev: str, *paths: str) -> bool:
    tracked = _git(root, "diff", "--quiet", rev, "--", *paths).returncode != 0
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", *paths).stdout.strip()
    return tracked or bool(untracked)


def look_further(root: Path, rev: str, site: SiteDiff) -> Review:
    """Beyond the public pages: the drafts the change adds or changes, the corrections it records,
    and what it does to published editions that a correction should say."""
    from .checks import corrected_words
    from .derive import edition_changes
    from .pipeline import check
    from .plan import plan_site

    review = Review(rev, site)
    project, facts, report = check(root)
    if report.errors:
        return review  # the build has said so already
    plan = plan_site(project, facts)
    for edition in project.editions.values():
        paths = (f"data/{edition.id}", f"content/{edition.id}")
        if edition.edition.status == "draft" and _changed_since(root, rev, *paths):
            follows = project.editions.get(edition.edition.follows or "")
            review.drafts.append(DraftReview(
                edition.id, _at_rev(root, rev, f"data/{edition.id}/edition.yml") is None,
                sum(page.edition is edition for page in plan.pages), follows.id if follows else None,
                edition_changes(project, follows, edition) if follows else None))
            review.warnings += [f"Draft {edition.id} holds words corrected since: {where}: {message}"
                                for where, message, _ in corrected_words(edition, project)]
    in_force = {f"/{document}/": facts.timeline.latest(document) for document in ("handbook", "annual-report")}
    for edition in project.editions.values():
        if edition.edition.status != "published":
            continue
        then = _at_rev(root, rev, f"data/{edition.id}/edition.yml")
        before = len((yaml.safe_load(then) or {}).get("corrections") or []) if then else 0
        recorded = edition.edition.corrections[before:]
        review.recorded += [f"Correction recorded on {edition.id}, dated {long_date(c.date)}: {c.said()}" for c in recorded]
        pages = [u for u in [*site.removed, *site.added, *(c.url for c in site.changed)]
                 if u.startswith(f"/{edition.id}/") or in_force.get(u) is edition]
        if pages and not recorded and then is not None:
            review.warnings.append(f"{edition.id} is published, and this changes {plural(len(pages), 'page')} of it with no "
                                   f"correction recorded: {', '.join(pages[:3])}{' …' if len(pages) > 3 else ''}")
    shared: dict[str, list[str]] = {}
    for edition_id, changes in facts.shared_changes.items():
        for change in changes:
            shared.setdefault(f"{change.describe()} ({change.where.path})", []).append(edition_id)
    review.warnings += [f"{what[0].upper()}{what[1:]}: this changes the published {join_and(ids)} with no correction "
                        "recorded" for what, ids in shared.items()]
    glossary = {t.term for t in project.glossary.terms} if project.glossary else set()
    changed = _git(root, "diff", "--name-only", "--relative", rev, "--", "content").stdout.split()
    changed += _git(root, "ls-files", "--others", "--exclude-standard", "--", "content").stdout.split()
    for rel in sorted(r for r in set(changed) if r.endswith(".md") and draft_of(project, r) is None and (root / r).is_file()):
        prose = compare_prose(_at_rev(root, rev, rel) or "", (root / rel).read_text(encoding="utf-8"))
        review.notes += plain_english(rel, _passages(prose), glossary)
    for draft in review.drafts:  # a draft's prose, against the edition it follows
        for group in draft.diff.groups if draft.diff else []:
            review.notes += plain_english(f"{draft.edition}: {group.title}", _passages(group.changes), glossary)
    return review


def _passages(changes: list[Any]) -> list[tuple[str, str]]:
    """Each changed run of prose whole, before and after, from a comparison's words."""
    return [(" ".join(t for k, t in run if k != "added"), " ".join(t for k, t in run if k != "removed"))
            for c in changes if c.kind.startswith("prose") for run in excerpts(c.words)]


# Plain English ------------------------------------------------------------------------------------------

LONG_SENTENCE = 25  # words: a new sentence longer than this is noted
ABBREVIATION = re.compile(r"\b[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*s?\b")


def reading_age(text: str) -> int | None:
    """The age a reader needs to read the text easily: its Flesch–Kincaid grade + 5 (textstat)."""
    import textstat

    return round(textstat.flesch_kincaid_grade(text) + 5) if len(text.split()) >= 8 else None


def plain_english(where: str, passages: list[tuple[str, str]], glossary: set[str]) -> list[str]:
    """Notes on each changed run of prose: its reading age before and after, new sentences of more
    than LONG_SENTENCE words, and abbreviations the glossary lacks. Only what changed is read: the
    published documents are transcribed as printed."""
    notes = []
    for before, after in passages:
        said = []
        old, new = reading_age(before), reading_age(after)
        if old is not None and new is not None:
            said.append(f"reading age {old} before, {new} after" if old != new else f"reading age {new}, as before")
        elif new is not None:
            said.append(f"reading age {new}")
        kept = {s.strip() for s in SENTENCE_END.split(before)}
        for sentence in (s.strip() for s in SENTENCE_END.split(after) if s.strip() not in kept):
            words = len(sentence.split())
            if words > LONG_SENTENCE:
                said.append(f"a new sentence of {words} words ('{shorten(sentence, limit=60)}')")
        had = set(ABBREVIATION.findall(before))
        lacking = sorted({a for a in ABBREVIATION.findall(after) if a not in had and a not in glossary
                          and a.removesuffix("s") not in glossary})
        if lacking:
            said.append(f"not in the glossary: {', '.join(lacking)}")
        if said:
            notes.append(f"{where}: {'; '.join(said)}")
    return notes


# Output -----------------------------------------------------------------------------------------

SUMMARY_LINES = 15
COMMENT_LIMIT = 65_536  # characters GitHub allows in a comment
MARKER = "<!-- mktogether review -->"  # the workflow finds its own comment by it


def summary(diff: SiteDiff) -> str:
    """'1 page changed, 2 added, 0 removed'."""
    return f"{plural(len(diff.changed), 'page')} changed, {len(diff.added)} added, {len(diff.removed)} removed"


def summary_lines(review: Review) -> list[str]:
    """What merging does, at most SUMMARY_LINES lines: the public site, the drafts, then what to look at."""
    site = review.site
    lines = [f"The public site, built as publishing builds it: {summary(site)}." if site.changed or site.added
             or site.removed else "The public site, built as publishing builds it: no page changes."]
    lines += [draft.line() for draft in review.drafts]
    lines += [f"⚠ {w}" for w in review.warnings] + [f"✓ {r}" for r in review.recorded]
    if len(lines) > SUMMARY_LINES:
        lines = lines[:SUMMARY_LINES - 1] + [f"… and {len(lines) - SUMMARY_LINES + 1} more, below."]
    return lines


def _cell_line(cell: tuple[str, str, str]) -> str:
    where, was, now = cell
    return f"{where}: {was} → {now}"


def as_text(review: Review) -> str:
    from . import compare

    site = review.site
    lines = [f"What merging this changes, compared with {review.rev}:", *(f"  {line}" for line in summary_lines(review))]
    lines += ["", "1. The public site"]
    if not (site.changed or site.added or site.removed):
        lines.append("  No page of the public site changes its text.")
    for title, urls in (("Added", site.added), ("Removed", site.removed)):
        if urls:
            lines += ["", f"{title}:", *(f"  {u}" for u in urls)]
    for change in site.changed:
        lines += ["", change.url, *(f"  ~ {_cell_line(c)}" for c in change.changed),
                  *(f"  - {s}" for s in change.removed), *(f"  + {s}" for s in change.added)]
    lines += ["", "2. Drafts: what each will change when it is published"]
    if not review.drafts:
        lines.append("  This change adds or changes no draft.")
    for draft in review.drafts:
        lines += ["", f"  {draft.line()}"]
        if draft.diff is not None:
            lines += ["", compare.as_text(draft.diff).rstrip()]
    all_warnings = [*review.warnings, *review.recorded]
    if len(summary_lines(review)) < 1 + len(review.drafts) + len(all_warnings):  # some did not fit above
        lines += ["", "Everything to look at:", *(f"  ⚠ {w}" for w in review.warnings), *(f"  ✓ {r}" for r in review.recorded)]
    if review.notes:
        lines += ["", "Notes on plain English (for the reviewer; the published documents stay as printed):",
                  *(f"  {n}" for n in review.notes)]
    return "\n".join(lines)


def _fence(lines: list[str], info: str = "") -> list[str]:
    """A fenced code block longer than any run of backticks inside it."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, *lines, fence]


def markdown_parts(review: Review) -> list[str]:
    """The review in Markdown, in parts that each stand whole: a comment that must be cut is cut between them."""
    from . import compare

    site = review.site
    parts = ["\n".join([f"## What merging this changes", "", f"Compared with `{review.rev}`:", "",
                         *(f"- {compare._md(line)}" for line in summary_lines(review))])]
    head = ["### 1. The public site", "", f"Built as publishing builds it, without drafts: **{summary(site)}**."]
    if not (site.changed or site.added or site.removed):
        head += ["", "No page of the site changes its text."]
    for title, urls in (("Pages added", site.added), ("Pages removed", site.removed)):
        if urls:
            head += ["", f"#### {title}", "", *(f"- `{u}`" for u in urls)]
    parts.append("\n".join(head))
    for change in site.changed:
        counts = ", ".join(x for x in (plural(len(change.changed), "figure") if change.changed else "",
                                       f"{plural(len(change.removed), 'sentence')} removed" if change.removed else "",
                                       f"{len(change.added)} added" if change.added else "") if x)
        lines = [*(f"~ {_cell_line(c)}" for c in change.changed), *(f"- {s}" for s in change.removed),
                 *(f"+ {s}" for s in change.added)]
        more = len(lines) - MAX_MARKDOWN_LINES
        parts.append("\n".join(["<details>", f"<summary><code>{html.escape(change.url)}</code> ({counts})</summary>", "",
                                *_fence(lines[:MAX_MARKDOWN_LINES], "diff"),
                                *(["", f"… and {plural(more, 'more line')}: `mktogether review {review.rev}` shows them all."]
                                  if more > 0 else []), "", "</details>"]))
    parts.append("\n".join(["### 2. Drafts: what each will change when it is published", "",
                            *([] if review.drafts else ["This change adds or changes no draft."])]))
    for draft in review.drafts:
        parts.append("\n".join([f"- {compare._md(draft.line())}", *(["", compare.as_markdown(draft.diff, level=4)]
                                                                     if draft.diff is not None else [])]))
    all_warnings = [*(f"- ⚠ {compare._md(w)}" for w in review.warnings), *(f"- ✓ {compare._md(r)}" for r in review.recorded)]
    if len(summary_lines(review)) < 1 + len(review.drafts) + len(all_warnings):
        parts.append("\n".join(["### Everything to look at", "", *all_warnings]))
    if review.notes:
        parts.append("\n".join(["### Notes on plain English", "", "For the reviewer, on what changed only: the "
                                "published documents stay as printed.", "", *(f"- {compare._md(n)}" for n in review.notes)]))
    return parts


def as_markdown(review: Review) -> str:
    return "\n\n".join(markdown_parts(review)) + "\n"


def as_comment(review: Review, limit: int = COMMENT_LIMIT) -> str:
    """The review as one pull-request comment, found again by its marker: whole parts only, cut with a
    note where GitHub's limit would cut it."""
    note = ("\n\n**The review is cut here**: it is longer than a comment may be. The whole of it is in this "
            f"workflow run's summary (Actions tab), or run `mktogether review {review.rev}`.\n")
    body = MARKER
    for part in markdown_parts(review):
        if len(body) + 2 + len(part) + len(note) > limit:
            return body + note
        body += "\n\n" + part
    return body + "\n"


def as_json(review: Review) -> str:
    return json.dumps({"rev": review.rev, "summary": summary_lines(review), "pages": review.site.as_data(),
                       "drafts": [{"edition": d.edition, "new": d.new, "pages": d.pages, "follows": d.follows,
                                   "changes": d.diff.as_data() if d.diff is not None else None} for d in review.drafts],
                       "warnings": review.warnings, "corrections": review.recorded, "notes": review.notes},
                      indent=2, ensure_ascii=False)


def cmd_review(root: Path, rev: str, output: str = "text", comment: Path | None = None) -> int:
    """`mktogether review REV [--format text|markdown|comment|json] [--comment FILE]`: what merging the
    working tree changes, compared with git revision REV; with FILE, the pull-request comment written
    there too. Exit 0 whether or not anything changed."""
    root = Path(root).resolve()
    work = Path(tempfile.mkdtemp(prefix="mktogether-review-"))
    try:
        old_site, new_site = build_both(root, rev, work)
        diff = compare_sites(old_site, new_site)
        review = look_further(root, rev, diff)
    except ReviewError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    render = {"json": as_json, "markdown": as_markdown, "comment": as_comment}.get(output, as_text)
    print(render(review))
    if comment is not None:
        comment.write_text(as_comment(review), encoding="utf-8")
    return 0
