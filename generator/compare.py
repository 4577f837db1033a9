"""What changed between two versions of a thing, in plain English: the one comparison of each kind.

`compare_boards` compares two versions of a board field by field (status, sponsor, chair,
meetings, quorum, members, agenda, lists of text); `compare_editions` groups the changes of two
editions by board and section, with prose compared word by word. Text is compared normalised
(text.normalise), so typographic and straight quotes, and white space, make no change. The
What changed pages, the board history pages and `mktogether diff` all read these.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .load import EditionData
from .models import Board, Member
from .text import MONTHS, join_and, normalise, plural


@dataclass
class Change:
    kind: str  # e.g. board-removed, member-changed, months-changed, prose-changed
    text: str  # one plain-English sentence
    words: list[tuple[str, str]] = field(default_factory=list)  # word diff: ("same"|"removed"|"added", text)


@dataclass
class Group:
    title: str  # the board or section the changes belong to
    board: str | None = None  # board id, for links
    section: str | None = None  # section id, for links
    changes: list[Change] = field(default_factory=list)


@dataclass
class EditionDiff:
    old: str
    new: str
    groups: list[Group]

    def as_data(self) -> dict[str, Any]:
        return asdict(self)

    def count(self) -> int:
        return sum(len(g.changes) for g in self.groups)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The words of two texts, each marked same, removed or added."""
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(("removed", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("added", " ".join(b[j1:j2])))
    return out


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio()


def _months(months: list[int]) -> str:
    return join_and([MONTHS[m - 1] for m in months]) or "none"


def _post(post: Any) -> str:
    return post.label if post else "none"


def _same_post(a: Any, b: Any) -> bool:
    """The same holder, however printed: the same organisation, or the same words."""
    if a and b and a.organisation and a.organisation == b.organisation:
        return True
    return normalise(_post(a)) == normalise(_post(b))


def _prose_text(markdown: str) -> str:
    """Prose as a reader sees it: without markers, heading and list marks, or emphasis."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = re.sub(r"^\s*(?:#+|[-*+]|\d+[.)]|>)\s+", "", text, flags=re.M)
    return normalise(text.replace("**", "").replace("__", ""))


def has_terms(board: Board) -> bool:
    return bool(board.purpose or board.functions or board.members or board.introduction)


def _member_text(m: Member) -> str:
    return normalise(m.label)


def _pair_members(old: list[Member], new: list[Member]) -> tuple[list[tuple[Member, Member]], list[Member], list[Member]]:
    """Match each seat to its counterpart: same label, else same organisation and a like label."""
    pairs: list[tuple[Member, Member]] = []
    left, right = list(old), list(new)
    for m in list(left):
        same = next((n for n in right if normalise(n.label) == normalise(m.label)), None)
        if same:
            pairs.append((m, same))
            left.remove(m)
            right.remove(same)
    for m in list(left):  # the one seat left for the same organisation is the same seat, renamed
        sharing = [n for n in right if set(m.organisations) & set(n.organisations)]
        if len(sharing) == 1 and len([o for o in left if set(o.organisations) & set(sharing[0].organisations)]) == 1:
            pairs.append((m, sharing[0]))
            left.remove(m)
            right.remove(sharing[0])
    for m in list(left):
        shared = [set(m.organisations) & set(n.organisations) for n in right]
        scored = [(_likeness(m.label, n.label) - (0 if shared[i] else 0.15), i, n) for i, n in enumerate(right)]
        best = max(scored, default=None, key=lambda t: (t[0], -t[1]))
        if best and best[0] >= 0.6:
            pairs.append((m, best[2]))
            left.remove(m)
            right.remove(best[2])
    return pairs, left, right


def _list_changes(what: str, old: list[str], new: list[str]) -> list[Change]:
    """Items of a list of text added, removed or reworded."""
    changes = []
    kind = what.replace(" ", "-")
    old_p, new_p = [normalise(t) for t in old], [normalise(t) for t in new]
    removed = [t for t in old_p if t not in new_p]
    added = [t for t in new_p if t not in old_p]
    for r in list(removed):
        best = max(added, key=lambda a: _likeness(r, a), default=None)
        if best is not None and _likeness(r, best) >= 0.6:
            changes.append(Change(f"{kind}-reworded", f"{what.capitalize()} reworded:", word_diff(r, best)))
            removed.remove(r)
            added.remove(best)
    changes += [Change(f"{kind}-removed", f"{what.capitalize()} removed: \u201c{t}\u201d") for t in removed]
    changes += [Change(f"{kind}-added", f"{what.capitalize()} added: \u201c{t}\u201d") for t in added]
    return changes


LIST_FIELDS = [
    ("introduction", "introduction"), ("purpose", "purpose"), ("functions", "function"),
    ("chair_arrangements", "chair arrangement"), ("membership_notes", "membership note"), ("voting", "voting rule"),
    ("public_meetings", "public meetings"), ("procedure", "procedure"), ("reporting", "reporting line"),
    ("financial_responsibility", "financial responsibility"), ("financial_responsibility_items", "financial responsibility"),
]


def compare_boards(old: Board, new: Board) -> list[Change]:
    """Every change between two versions of a board, one plain-English sentence each."""
    changes: list[Change] = []
    if old.status != new.status:
        changes.append(Change("board-suspended" if new.status == "suspended" else "board-reinstated",
                              f"The board was {'suspended' if new.status == 'suspended' else 'reinstated'}."
                              + (f" {normalise(new.status_note)}" if new.status == "suspended" and new.status_note else "")))
    if has_terms(old) and not has_terms(new):
        changes.append(Change("terms-not-printed", "This edition does not print the board's terms of reference, "
                              "so its membership, quorum and functions are not compared."))
        for key, name in (("sponsor", "sponsor"), ("chair", "chair")):
            if getattr(new, key) and not _same_post(getattr(old, key), getattr(new, key)):
                changes.append(Change(f"{key}-changed", f"The {name} changed from {_post(getattr(old, key))} to {_post(getattr(new, key))}."))
        return changes
    for key, name in (("sponsor", "sponsor"), ("chair", "chair")):
        if not _same_post(getattr(old, key), getattr(new, key)):
            changes.append(Change(f"{key}-changed", f"The {name} changed from {_post(getattr(old, key))} to {_post(getattr(new, key))}."))
    if old.meetings and new.meetings:
        if old.meetings.per_year != new.meetings.per_year or old.meetings.at_least != new.meetings.at_least:
            changes.append(Change("frequency-changed", f"Meetings a year changed from {old.meetings.per_year} to {new.meetings.per_year}."))
        if old.meetings.months != new.meetings.months:
            changes.append(Change("months-changed", f"Meeting months changed from {_months(old.meetings.months)} to {_months(new.meetings.months)}."))
        if normalise(old.meetings.frequency) != normalise(new.meetings.frequency):
            changes.append(Change("frequency-text-changed", "The frequency of meeting now reads "
                                  f"\u201c{normalise(new.meetings.frequency)}\u201d (was \u201c{normalise(old.meetings.frequency)}\u201d)."))
        changes += _list_changes("meeting arrangement", old.meetings.arrangements, new.meetings.arrangements)
    old_q, new_q = old.quorum, new.quorum
    if normalise(old_q.rule if old_q else "") != normalise(new_q.rule if new_q else ""):
        changes.append(Change("quorum-changed", "The quorum rule changed.",
                              word_diff(normalise(old_q.rule) if old_q else "", normalise(new_q.rule) if new_q else "")))
    pairs, removed, added = _pair_members(old.members, new.members)
    for m in removed:
        changes.append(Change("member-removed", f"Member removed: {_member_text(m)}."))
    for m in added:
        changes.append(Change("member-added", f"Member added: {_member_text(m)}."))
    for a, b in pairs:
        what = []
        if normalise(a.label) != normalise(b.label):
            what.append(f"now printed as \u201c{_member_text(b)}\u201d")
        if (a.places or 1) != (b.places or 1):
            what.append(f"places changed from {a.places or 1} to {b.places or 1}")
        for flag, name in (("chair", "chair"), ("vice_chair", "vice-chair"), ("responsible_authority", "responsible authority (voting)")):
            if getattr(a, flag) != getattr(b, flag):
                what.append(f"{'now' if getattr(b, flag) else 'no longer'} {name}")
        if what:
            changes.append(Change("member-changed", f"{_member_text(a)}: {'; '.join(what)}."))
    old_items = [i for m in old.agenda for i in m.items]
    new_items = [i for m in new.agenda for i in m.items]
    if [m.meeting for m in old.agenda] != [m.meeting for m in new.agenda]:
        changes.append(Change("agenda-meetings-changed", "Agenda meetings changed from "
                              f"{', '.join(m.meeting for m in old.agenda) or 'none'} to {', '.join(m.meeting for m in new.agenda) or 'none'}."))
    changes += _list_changes("agenda item", old_items, new_items)
    for key, name in LIST_FIELDS:
        changes += _list_changes(name, getattr(old, key), getattr(new, key))
    return changes


def compare_editions(old: EditionData, new: EditionData) -> EditionDiff:
    """Every change from one edition of a document to another, grouped by board and section."""
    old_id, new_id = old.id, new.id
    groups: list[Group] = []
    ids = list(dict.fromkeys([*new.boards, *old.boards]))
    for board_id in ids:
        a, b = old.boards.get(board_id), new.boards.get(board_id)
        group = Group((b or a).name, board=board_id)  # type: ignore[union-attr]
        if a is None and b is not None:
            group.changes.append(Change("board-added", f"The {b.name} board was added."
                                        + (" It is suspended." if b.status == "suspended" else "")))
        elif b is None and a is not None:
            group.changes.append(Change("board-removed", f"The {a.name} board was removed."))
        elif a is not None and b is not None:
            group.changes = compare_boards(a, b)
        if group.changes:
            groups.append(group)
    groups += _section_groups(old, new)
    return EditionDiff(old_id, new_id, groups)


def _section_groups(old: EditionData, new: EditionData) -> list[Group]:
    groups = []
    old_sections = {s.id: s for s in old.edition.sections}
    for section in new.edition.sections:
        group = Group(section.title, section=section.id)
        if section.id not in old_sections:
            group.changes.append(Change("section-added", f"New section: {section.title}."))
        a, b = old.prose.get(section.id), new.prose.get(section.id)
        if a and b and _prose_text(a.text) != _prose_text(b.text):
            words = word_diff(_prose_text(a.text), _prose_text(b.text))
            changed = sum(len(t.split()) for k, t in words if k != "same")
            group.changes.append(Change("prose-changed", f"The text changed ({changed} words).", words))
        if group.changes:
            groups.append(group)
    removed = [s for s in old.edition.sections if s.id not in {n.id for n in new.edition.sections}]
    for section in removed:
        groups.append(Group(section.title, changes=[Change("section-removed", f"Section removed: {section.title}.")]))
    duties = Group("Our statutory duties", section="statutory-duties")
    old_duties = {d.body: d.duties for d in old.edition.statutory_duties}
    for body in new.edition.statutory_duties:
        for change in _list_changes("duty", old_duties.get(body.body, []), body.duties):
            change.text = f"{body.body}: {change.text}"
            duties.changes.append(change)
    if duties.changes:
        groups.append(duties)
    return groups


def as_text(diff: EditionDiff) -> str:
    """The changes for a terminal: grouped, one sentence a line, word changes as [-old-]{+new+}."""
    lines = [f"Changes from {diff.old} to {diff.new}: {plural(diff.count(), 'change')} "
             f"in {plural(len(diff.groups), 'board or section', 'boards and sections')}", ""]
    for group in diff.groups:
        lines.append(group.title)
        for change in group.changes:
            lines.append(f"  - {change.text}")
            lines += ["      " + render_words(run) for run in excerpts(change.words)]
        lines.append("")
    return "\n".join(lines)


def render_words(words: list[tuple[str, str]]) -> str:
    return " ".join(t if k == "same" else f"[-{t}-]" if k == "removed" else f"{{+{t}+}}" for k, t in words)


def excerpts(words: list[tuple[str, str]], context: int = 8) -> list[list[tuple[str, str]]]:
    """Runs of changed words with a few unchanged words either side: what a reader needs of long prose."""
    if len(words) <= 9:
        return [words] if words else []
    runs: list[list[tuple[str, str]]] = []
    for i, (kind, text) in enumerate(words):
        if kind == "same":
            continue
        if runs and i > 0 and words[i - 1][0] != "same":
            runs[-1].append((kind, text))  # a replacement: removed then added
            continue
        before = words[i - 1][1].split()[-context:] if i and words[i - 1][0] == "same" else []
        runs.append(([("same", "... " + " ".join(before))] if before else []) + [(kind, text)])
    for run, end in zip(runs, [j for j, (k, _) in enumerate(words) if k != "same" and (j + 1 == len(words) or words[j + 1][0] == "same")]):
        after = words[end + 1][1].split()[:context] if end + 1 < len(words) else []
        if after:
            run.append(("same", " ".join(after) + " ..."))
    return runs
