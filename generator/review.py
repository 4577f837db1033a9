"""`mktogether review REV`: what a revision does to the public site, for the people who review it.

Reviewers read a proposed revision as a git diff of YAML and Markdown. This builds the site twice,
drafts included: at the git revision REV (checked out into a temporary worktree, built with that
revision's own code and templates) and from the working tree as it is, uncommitted edits included.
It then compares the two built sites page by page:

- pages added and removed, by their address (/handbook/2023-10/boards/risk/);
- pages whose reader-visible text changed: the text of each page's `<article>` (Material's
  `md-content__inner`, without the headerlink anchors), split into sentences and compared with
  difflib, so a change to the navigation or to every page's footer lists no page.

It adds the data diff of every draft edition of the working tree against the edition it follows
(`derive.edition_changes`, the one behind `mktogether diff` and the What changed pages), and prints it all as text for a
terminal, Markdown for a pull-request comment or a CI job summary, or JSON.
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

from .text import plural

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
    thead tr ul desc text title tspan
""".split())
HIDDEN = frozenset({"script", "style", "template", "noscript"})
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _ArticleText(HTMLParser):
    """The blocks of text in the page's `<article>`, less the headerlink anchors ("¶")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._stack: list[str] = []  # open elements inside the article, the article first
        self._skip_depth: int | None = None  # depth of the element whose text is not read
        self._done = False

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

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
        classes = (dict(attrs).get("class") or "").split()
        if self._skip_depth is None and (tag in HIDDEN or (tag == "a" and "headerlink" in classes)):
            self._skip_depth = len(self._stack)
        if tag in BLOCKS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._stack and not self._done and tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if not self._stack or self._done or tag not in self._stack:
            return  # a stray end tag
        while self._stack:
            open_tag = self._stack.pop()
            if self._skip_depth is not None and len(self._stack) < self._skip_depth:
                self._skip_depth = None
            if open_tag in BLOCKS:
                self._flush()
            if open_tag == tag:
                break
        if not self._stack:
            self._flush()
            self._done = True

    def handle_data(self, data: str) -> None:
        if self._stack and not self._done and self._skip_depth is None:
            self._current.append(data)


# A sentence ends at . ! ? or … (with any closing quote or bracket), before white space and
# something that is not a lower-case letter: "e.g. the" stays one sentence.
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[^\sa-z])")


def page_sentences(page_html: str) -> list[str]:
    """The reader-visible sentences of a page's main content, in order."""
    parser = _ArticleText()
    parser.feed(page_html)
    parser.close()
    parser._flush()
    sentences: list[str] = []
    for block in parser.blocks:
        sentences += [s.strip() for s in SENTENCE_END.split(block) if s.strip()]
    return sentences


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


@dataclass
class SiteDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[PageChange] = field(default_factory=list)

    def as_data(self) -> dict[str, Any]:
        return {"added": self.added, "removed": self.removed,
                "changed": [{"url": c.url, "removed": c.removed, "added": c.added} for c in self.changed]}


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


def compare_sentences(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """The sentences removed and added, each shortened around where it changed."""
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = old[i1:i2], new[j1:j2]
        for k, sentence in enumerate(gone):
            start = _common_prefix(sentence, came[k]) if op == "replace" and k < len(came) else 0
            removed.append(shorten(sentence, start))
        for k, sentence in enumerate(came):
            start = _common_prefix(sentence, gone[k]) if op == "replace" and k < len(gone) else 0
            added.append(shorten(sentence, start))
    return removed, added


def compare_sites(old_site: Path, new_site: Path) -> SiteDiff:
    """Pages added, removed, and changed in their reader-visible text, from one built site to another."""
    old, new = site_pages(old_site), site_pages(new_site)
    diff = SiteDiff(added=[u for u in new if u not in old], removed=[u for u in old if u not in new])
    for url in (u for u in new if u in old):
        a = old[url].read_text(encoding="utf-8", errors="replace")
        b = new[url].read_text(encoding="utf-8", errors="replace")
        if a == b:
            continue
        removed, added = compare_sentences(page_sentences(a), page_sentences(b))
        if removed or added:
            diff.changed.append(PageChange(url, removed, added))
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
    """Build one tree with its own code and templates, drafts included."""
    pythonpath = os.pathsep.join(p for p in (str(tree), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--drafts", "--site-dir", str(out)],
        cwd=tree, capture_output=True, text=True, timeout=1800, env={**os.environ, "PYTHONPATH": pythonpath},
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


# The drafts' data diff --------------------------------------------------------------------------

def draft_diffs(root: Path) -> tuple[list[Any], list[str]]:
    """The comparison of each draft edition of the working tree with the edition it follows; and what
    the change to the shared files does to published editions' pages, not yet recorded on them."""
    from .derive import edition_changes
    from .pipeline import check

    project, facts, report = check(root)
    if report.errors:
        return [], []  # the build has said so already
    diffs = []
    for edition in project.editions.values():
        follows = edition.edition.follows
        if edition.edition.status == "draft" and follows and follows in project.editions:
            diffs.append(edition_changes(project, project.editions[follows], edition))
    shared: dict[str, list[str]] = {}
    for edition_id, changes in facts.shared_changes.items():
        for change in changes:
            shared.setdefault(f"{change.describe()} ({change.where.path})", []).append(edition_id)
    return diffs, [f"{what}: changes the published {', '.join(ids)} without a correction" for what, ids in shared.items()]


# Output -----------------------------------------------------------------------------------------

def summary(diff: SiteDiff) -> str:
    """'1 page changed, 2 added, 0 removed'."""
    return f"{plural(len(diff.changed), 'page')} changed, {len(diff.added)} added, {len(diff.removed)} removed"


def as_text(rev: str, diff: SiteDiff, drafts: list[Any], shared: list[str] | None = None) -> str:
    from . import compare

    lines = [f"Compared with {rev}: {summary(diff)}"]
    if shared:
        lines += ["", "Published editions changed without a correction:", *(f"  ! {line}" for line in shared)]
    for title, urls in (("Added", diff.added), ("Removed", diff.removed)):
        if urls:
            lines += ["", f"{title}:", *(f"  {u}" for u in urls)]
    for change in diff.changed:
        lines += ["", change.url, *(f"  - {s}" for s in change.removed), *(f"  + {s}" for s in change.added)]
    for draft in drafts:
        lines += ["", compare.as_text(draft).rstrip()]
    return "\n".join(lines)


def _fence(lines: list[str], info: str = "") -> list[str]:
    """A fenced code block longer than any run of backticks inside it."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, *lines, fence]


def as_markdown(rev: str, diff: SiteDiff, drafts: list[Any], shared: list[str] | None = None) -> str:
    from . import compare

    out = ["## What this change does to the public site", "",
           f"Compared with `{rev}`: **{summary(diff)}**."]
    if shared:
        out += ["", "**Published editions changed without a correction:**", "",
                *(f"- ⚠️ {compare._md(line)}" for line in shared)]
    if not (diff.added or diff.removed or diff.changed):
        out += ["", "No page of the site changes its text."]
    for title, urls in (("Pages added", diff.added), ("Pages removed", diff.removed)):
        if urls:
            out += ["", f"### {title}", "", *(f"- `{u}`" for u in urls)]
    if diff.changed:
        out += ["", "### Pages changed"]
        for change in diff.changed:
            counts = f"{plural(len(change.removed), 'sentence')} removed, {len(change.added)} added"
            lines = [*(f"- {s}" for s in change.removed), *(f"+ {s}" for s in change.added)]
            more = len(lines) - MAX_MARKDOWN_LINES
            if more > 0:
                lines = lines[:MAX_MARKDOWN_LINES]
            out += ["", "<details>", f"<summary><code>{html.escape(change.url)}</code> ({counts})</summary>", "",
                    *_fence(lines, "diff"),
                    *(["", f"… and {plural(more, 'more sentence')}: `mktogether review {rev}` shows them all."]
                      if more > 0 else []),
                    "", "</details>"]
    if drafts:
        out += ["", "### Draft editions: what their data changes"]
        for draft in drafts:
            out += ["", *compare.as_markdown(draft, level=4).split("\n")]
    return "\n".join(out)


def as_json(rev: str, diff: SiteDiff, drafts: list[Any], shared: list[str] | None = None) -> str:
    return json.dumps({"rev": rev, "pages": diff.as_data(), "drafts": [d.as_data() for d in drafts],
                       "published_changed_without_correction": shared or []}, indent=2, ensure_ascii=False)


def cmd_review(root: Path, rev: str, output: str = "text") -> int:
    """`mktogether review REV [--format text|markdown|json]`: what the working tree changes on the
    public site, compared with the site at git revision REV. Exit 0 whether or not anything changed."""
    root = Path(root).resolve()
    work = Path(tempfile.mkdtemp(prefix="mktogether-review-"))
    try:
        old_site, new_site = build_both(root, rev, work)
        diff = compare_sites(old_site, new_site)
    except ReviewError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    drafts, shared = draft_diffs(root)
    render = {"json": as_json, "markdown": as_markdown}.get(output, as_text)
    print(render(rev, diff, drafts, shared))
    return 0
