"""What changed between two versions of a thing, in plain English: the one comparison of each kind.

`compare_boards` compares two versions of a board, every field of the model: the fields a reader
knows by name (status, sponsor, chair, meetings, quorum, members, agenda, lists of text) get their
own sentences, and any other field, including one added to the model later, is compared
generically, so that no field can be forgotten. `compare_editions` groups the changes of two
editions: the edition itself (title, subtitle, summary, change notes, period, signatories, the
order of its boards and reports), each board, each section (with its prose, statutory duties,
attendance or budget), each highlight report, and, given the organisations, the names the
editions print. `compare_contacts`, `compare_organisations` and `compare_prose` compare two
revisions of the top-level files and of any Markdown.

Text is compared normalised (text.normalise), so typographic and straight quotes, apostrophes
and white space make no change. Changed text is shown sentence by sentence: the changed
sentences, with the words taken out and put in marked, and a sentence either side for context
(`Change.words`; `excerpts` splits it into its passages). The What changed pages, the board
history pages, `mktogether diff` and `mktogether review` all read these.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Sequence

from pydantic import BaseModel

from .load import EditionData
from .models import (
    Attendance, Board, Budget, Contacts, HighlightReport, LegalBasis, Meetings, Member, Organisation, Post, Quorum,
)
from .text import MONTHS, join_and, long_date, money, normalise, plural

Words = list[tuple[str, str]]
GAP = ("gap", "...")  # between two passages of the same change's words


@dataclass
class Change:
    kind: str  # e.g. board-removed, member-changed, months-changed, prose-changed
    text: str  # one plain-English sentence
    # the changed sentences and a sentence either side, word by word: ("same"|"removed"|"added", text);
    # passages of one change are separated by ("gap", "...")
    words: Words = field(default_factory=list)
    subject: str = ""  # what a change to one of a list is about: a member's label as printed
    moved_from: str | None = None  # for a member moved from another board of the edition: that board's id


@dataclass
class Group:
    title: str  # the board, section or report the changes belong to, or "The edition as a whole"
    board: str | None = None  # board id, for links
    section: str | None = None  # section id, for links
    changes: list[Change] = field(default_factory=list)
    report: str | None = None  # highlight report id, for links

    @property
    def kind(self) -> str:
        """What the group is about: board, section, report, or edition (the edition as a whole)."""
        return "board" if self.board else "report" if self.report else "section" if self.section else "edition"


GROUP_NOUNS = (("board", "board", "boards"), ("section", "section", "sections"),
               ("report", "highlight report", "highlight reports"))


@dataclass
class EditionDiff:
    old: str
    new: str
    groups: list[Group]

    def as_data(self) -> dict[str, Any]:
        return {**asdict(self), "count": self.count(), "summary": self.summary()}

    def count(self) -> int:
        return sum(len(g.changes) for g in self.groups)

    def changed_boards(self) -> set[str]:
        """The boards that changed: a board a member moved from changed too (its history says so)."""
        return {g.board for g in self.groups if g.board and g.changes} | \
            {c.moved_from for g in self.groups for c in g.changes if c.moved_from}

    def changed_sections(self) -> set[str]:
        return {g.section for g in self.groups if g.section and g.changes}

    def summary(self) -> str:
        """'1 change to 1 board', '3 changes to the edition, 2 boards and 1 section', 'no changes'."""
        if not self.count():
            return "no changes"
        kinds = Counter(g.kind for g in self.groups if g.changes)
        parts = ["the edition"] if kinds["edition"] else []
        parts += [plural(kinds[k], one, many) for k, one, many in GROUP_NOUNS if kinds[k]]
        return f"{plural(self.count(), 'change')} to {join_and(parts)}"


# words and sentences ----------------------------------------------------------------------------

def word_diff(old: str, new: str) -> Words:
    """The words of two texts, each marked same, removed or added."""
    a, b = old.split(), new.split()
    out: Words = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(("removed", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("added", " ".join(b[j1:j2])))
    return out


# a sentence ends at . ! or ? (and any closing quote or bracket) before a space and a capital or figure
_SENTENCE_END = re.compile(r"([.!?][\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9])")
_BLOCK_START = re.compile(r"(#+|[-*+]|\d+[.)]|>)\s+")


def split_sentences(text: str) -> list[str]:
    """One paragraph of text as its sentences, normalised."""
    text = normalise(text)
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append(text[start:match.end(1)])
        start = match.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def prose_sentences(markdown: str) -> list[str]:
    """Markdown prose as a reader sees it, sentence by sentence: each paragraph, heading, list
    item and table row on its own, without markers, heading and list marks, or emphasis."""
    text = re.sub(r"<!--.*?-->", "\n\n", markdown, flags=re.DOTALL)
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for line in text.splitlines():
        stripped = line.strip()
        marker = _BLOCK_START.match(stripped)
        if not stripped or marker or stripped.startswith("|"):
            flush()
        if stripped:
            current.append(stripped[marker.end():] if marker else stripped)
        if stripped.startswith(("#", "|")):
            flush()
    flush()
    return [s for block in blocks for s in split_sentences(block.replace("**", "").replace("__", ""))]


def _merge(runs: Words) -> Words:
    out: Words = []
    for kind, text in runs:
        if not text:
            continue
        if out and out[-1][0] == kind and kind != GAP[0]:
            out[-1] = (kind, out[-1][1] + " " + text)
        else:
            out.append((kind, text))
    return out


def sentence_diff(old: Sequence[str], new: Sequence[str], context: int = 1) -> Words:
    """The changed sentences, word by word, with `context` unchanged sentences either side;
    separate passages are separated by GAP."""
    a, b = list(old), list(new)
    if a == b:
        return []
    out: Words = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append(GAP)
        for op, i1, i2, j1, j2 in group:
            out += [("same", " ".join(a[i1:i2]))] if op == "equal" else _replaced(a[i1:i2], b[j1:j2])
    return _merge(out)


def _replaced(a: list[str], b: list[str]) -> Words:
    """Sentences replaced by others: the most alike pair marked word by word, and the sentences
    either side of it the same way; sentences with no like counterpart removed or added whole."""
    if not a or not b:
        return word_diff(" ".join(a), " ".join(b))
    best, at = 0.4, None  # at least two words in five in common
    for i, s in enumerate(a):
        for j, t in enumerate(b):
            matcher = difflib.SequenceMatcher(a=s.split(), b=t.split(), autojunk=False)
            if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best and matcher.ratio() > best:
                best, at = matcher.ratio(), (i, j)
    if at is None:
        return [("removed", " ".join(a)), ("added", " ".join(b))]
    i, j = at
    return _replaced(a[:i], b[:j]) + word_diff(a[i], b[j]) + _replaced(a[i + 1:], b[j + 1:])


def text_diff(old: str, new: str, context: int = 1) -> Words:
    """Two versions of a paragraph of data, compared sentence by sentence."""
    return sentence_diff(split_sentences(old), split_sentences(new), context)


def excerpts(words: Words) -> list[Words]:
    """The passages of a change's words: each changed sentence or run of sentences, marked word
    by word, with a sentence either side."""
    runs: list[Words] = [[]]
    for kind, text in words:
        if kind == GAP[0]:
            runs.append([])
        else:
            runs[-1].append((kind, text))
    return [run for run in runs if run]


def changed_words(words: Words) -> int:
    return sum(len(t.split()) for k, t in words if k in ("removed", "added"))


def compare_prose(old_text: str, new_text: str) -> list[Change]:
    """Two versions of Markdown prose: one change, with the changed sentences, or none."""
    a, b = prose_sentences(old_text), prose_sentences(new_text)
    if a == b:
        return []
    if not a:
        return [Change("prose-added", "Text added.", sentence_diff(a, b))]
    if not b:
        return [Change("prose-removed", "The text was removed.", sentence_diff(a, b))]
    words = sentence_diff(a, b)
    places = len(excerpts(words))
    return [Change("prose-changed", f"The text changed in {plural(places, 'place')} ({plural(changed_words(words), 'word')}).",
                   words)]


# generic comparison: any field of any model ------------------------------------------------------

def _q(text: str) -> str:
    return f"\u201c{text}\u201d"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(sentence: str) -> str:
    """A sentence continued after a colon: 'Fixture Council: the places note changed ...'."""
    return sentence if sentence[:2].isupper() else sentence[:1].lower() + sentence[1:]


def _plain(value: Any) -> Any:
    """A value as a comparison sees it: text normalised, models as their fields."""
    if isinstance(value, BaseModel):
        return {k: _plain(getattr(value, k)) for k in type(value).model_fields}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return normalise(value)
    return value


def _same(a: Any, b: Any) -> bool:
    return _plain(a) == _plain(b)


def _fmt(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, str):
        return _q(normalise(value))
    if isinstance(value, (list, tuple)):
        return join_and([_fmt(v) for v in value])
    if isinstance(value, (BaseModel, dict)):
        return _describe(value)
    return str(value)


def _describe(value: Any) -> str:
    """A model or mapping in a few words: its filled-in values."""
    items = value.items() if isinstance(value, dict) else ((k, getattr(value, k)) for k in type(value).model_fields)
    return ", ".join(f"{_label(k)} {_fmt(v)}" for k, v in items if v not in (None, [], {}, "", False)) or "empty"


LABELS = {  # how a field is named in a sentence, where its name will not do
    "status_note": "note on the board's status", "workplan_note": "workplan note", "functions_intro": "introduction to the functions",
    "membership_intro": "introduction to the membership", "agenda_intro": "introduction to the agenda",
    "legal_basis": "legal basis", "accountable_to": "boards it is accountable to", "places_note": "note on its places",
    "period": "period covered", "covers_from": "first day of the period covered", "covers_to": "last day of the period covered",
    "published": "date of publication", "change_notes": "change notes", "contributions_title": "title of the contributions table",
    "position_title": "title of the budget position", "actuals_label": "heading of the figures column",
    "in_danger": "advice for someone in immediate danger", "not_in_danger": "advice for someone not in immediate danger",
    "edition_names": "names printed by editions", "short_names": "short names", "per_year": "meetings a year",
    "minimum_members": "minimum number of members for a quorum",
    "minimum_responsible_authorities": "minimum number of responsible authorities for a quorum",
}


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


def _text_changes(kind: str, label: str, old: str | None, new: str | None) -> list[Change]:
    """A text field added, removed, changed (short text) or reworded (longer text, with its words)."""
    o, n = normalise(old or ""), normalise(new or "")
    if o == n:
        return []
    if not o:
        return [Change(f"{kind}-added", f"{_cap(label)} added: {_q(n)}")]
    if not n:
        return [Change(f"{kind}-removed", f"{_cap(label)} removed: {_q(o)}")]
    if all(len(t.split()) <= 12 and len(split_sentences(t)) == 1 for t in (o, n)):
        return [Change(f"{kind}-changed", f"The {label} changed from {_q(o)} to {_q(n)}.")]
    return [Change(f"{kind}-changed", f"The {label} was reworded.", text_diff(o, n))]


def _list_changes(what: str, old: Sequence[str], new: Sequence[str], label: str | None = None) -> list[Change]:
    """Items of a list of text added, removed, reworded or put in a different order."""
    changes = []
    kind = what.replace(" ", "-")
    old_p, new_p = [normalise(t) for t in old], [normalise(t) for t in new]
    removed = [t for t in old_p if t not in new_p]
    added = [t for t in new_p if t not in old_p]
    for r in list(removed):
        best = max(added, key=lambda a: _likeness(r, a), default=None)
        if best is not None and _likeness(r, best) >= 0.6:
            changes.append(Change(f"{kind}-reworded", f"{_cap(what)} reworded:", text_diff(r, best)))
            removed.remove(r)
            added.remove(best)
    changes += [Change(f"{kind}-removed", f"{_cap(what)} removed: {_q(t)}") for t in removed]
    changes += [Change(f"{kind}-added", f"{_cap(what)} added: {_q(t)}") for t in added]
    if not changes and old_p != new_p:
        changes.append(Change(f"{kind}-reordered", f"The {label or what + 's'} are in a different order."))
    return changes


def _generic(name: str, a: Any, b: Any, label: str | None = None) -> list[Change]:
    """Any two values of a field, by what they are: text, a yes or no, a list, a model, a mapping."""
    if _same(a, b):
        return []
    label = label or _label(name)
    kind = name.replace("_", "-")
    sample = a if a is not None else b
    if isinstance(sample, str):
        return _text_changes(kind, label, a, b)
    if isinstance(sample, (list, tuple)):
        items = [*(a or []), *(b or [])]
        if all(isinstance(t, str) for t in items):
            return _list_changes(label.removesuffix("s") if label.endswith("s") else label, a or [], b or [], label)
        changes = []
        for i in range(max(len(a or []), len(b or []))):
            x = a[i] if a and i < len(a) else None
            y = b[i] if b and i < len(b) else None
            changes += _generic(name, x, y, f"{label} (item {i + 1})")
        return changes
    if isinstance(sample, (BaseModel, dict)):
        if a is None or b is None:
            return [Change(f"{kind}-{'added' if a is None else 'removed'}",
                           f"{_cap(label)} {'added' if a is None else 'removed'}: {_describe(b if a is None else a)}.")]
        keys = list(dict.fromkeys([*_keys(a), *_keys(b)]))
        changes = []
        for key in keys:
            x, y = _get(a, key), _get(b, key)
            changes += _generic(key, x, y, f"{label} for {key}" if isinstance(sample, dict) else f"{_label(key)} of the {label}")
        return changes
    return [Change(f"{kind}-changed", f"The {label} changed from {_fmt(a)} to {_fmt(b)}.")]


def _keys(value: Any) -> list[str]:
    return list(value) if isinstance(value, dict) else list(type(value).model_fields)


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else getattr(value, key, None)


def _ensure(name: str, a: Any, b: Any, found: list[Change], label: str | None = None) -> list[Change]:
    """What a field's own comparison found; if it found nothing though the values differ, the
    generic comparison; and failing that, a sentence that it changed. No difference goes unsaid."""
    if found or _same(a, b):
        return found
    return _generic(name, a, b, label) or [Change(f"{name.replace('_', '-')}-changed", f"The {label or _label(name)} changed.")]


def _rest(a: BaseModel, b: BaseModel, handled: set[str], prefix: str | None = None) -> list[Change]:
    """The fields of two versions of a model that no particular comparison handled, compared generically."""
    changes = []
    for name in type(b).model_fields:
        if name not in handled:
            found = _generic(name, getattr(a, name, None), getattr(b, name, None))
            changes += [Change(c.kind, f"{prefix}: {_lower(c.text)}", c.words) for c in found] if prefix else found
    return changes


def _is_default(model: type[BaseModel], name: str, value: Any) -> bool:
    info = model.model_fields[name]
    if info.is_required():
        return False
    return _same(value, info.get_default(call_default_factory=True))


# pairing the items of two lists ------------------------------------------------------------------

def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio()


def _shares_organisation(a: Any, b: Any) -> bool:
    """Two lines that may be the same: they have an organisation in common, or either has none."""
    return not a.organisations or not b.organisations or bool(set(a.organisations) & set(b.organisations))


def _pair(old: Sequence[Any], new: Sequence[Any], keys: Sequence[Callable[[Any], Any]],
          like: Callable[[Any], str] | None = None,
          may_pair: Callable[[Any, Any], bool] = lambda a, b: True) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Each item of `old` matched to its counterpart in `new` by the first key they share (in
    order), else by like text (where `may_pair` allows); the pairs in the new order, and the
    unmatched of each side."""
    pairs: list[tuple[int, int]] = []
    left, right = list(range(len(old))), list(range(len(new)))
    for key in keys:
        for i in list(left):
            k = key(old[i])
            if k in (None, "", (), frozenset()):
                continue
            j = next((j for j in right if key(new[j]) == k), None)
            if j is not None:
                pairs.append((i, j))
                left.remove(i)
                right.remove(j)
    if like is not None:
        for i in list(left):
            best = max((j for j in right if may_pair(old[i], new[j])),
                       key=lambda j: (_likeness(like(old[i]), like(new[j])), -j), default=None)
            if best is not None and _likeness(like(old[i]), like(new[best])) >= 0.6:
                pairs.append((i, best))
                left.remove(i)
                right.remove(best)
    return sorted(pairs, key=lambda p: p[1]), left, right


def _moves(pairs: list[tuple[int, int]]) -> list[int]:
    """The items (by their place in the new list) that moved: not in the longest run of pairs
    kept in the same order."""
    old_order = [j for _, j in sorted(pairs)]
    new_order = sorted(old_order)
    kept: set[int] = set()
    for block in difflib.SequenceMatcher(a=old_order, b=new_order, autojunk=False).get_matching_blocks():
        kept.update(new_order[block.b:block.b + block.size])
    return [j for j in new_order if j not in kept]


def _moved(name: str, before: str | None, where: str) -> str:
    return f"{name} moved {where}: it now comes {f'after {before}' if before else 'first'}."


def _order_changes(kind: str, where: str, old: Sequence[Any], new: Sequence[Any], pairs: list[tuple[int, int]],
                   name: Callable[[Any], str]) -> list[Change]:
    return [Change(f"{kind}-moved", _moved(name(new[j]), name(new[j - 1]) if j else None, where)) for j in _moves(pairs)]


def _key(text: str | None) -> str:
    return normalise(text or "").lower()


# names -------------------------------------------------------------------------------------------

@dataclass
class Names:
    """How to name organisations and boards in a sentence: by the names the editions print, given them."""

    organisations: dict[str, Organisation] | None = None
    boards: dict[str, str] = field(default_factory=dict)
    edition: str | None = None  # the edition whose printed names to use

    def org(self, org_id: str | None) -> str:
        if not org_id:
            return "none"
        org = (self.organisations or {}).get(org_id)
        if org is None:
            return org_id
        return org.edition_names.get(self.edition, org.name) if self.edition else org.name

    def orgs(self, ids: Sequence[str]) -> str:
        return join_and([self.org(i) for i in ids]) or "none"

    def board(self, board_id: str | None) -> str:
        return self.boards.get(board_id, board_id) if board_id else "none"

    def boards_list(self, ids: Sequence[str]) -> str:
        return join_and([self.board(i) for i in ids]) or "none"


# boards ----------------------------------------------------------------------------------------

def _months(months: list[int]) -> str:
    return join_and([MONTHS[m - 1] for m in months]) or "none"


def _post(post: Any) -> str:
    return normalise(post.label) if post else "none"


def _post_changes(key: str, name: str, a: Post | None, b: Post | None, names: Names) -> list[Change]:
    """A sponsor or chair: a new holder, the same holder printed differently, or a new organisation."""
    if _same(a, b):
        return []
    org_a, org_b = (a.organisation if a else None), (b.organisation if b else None)
    if a and b and _post(a) != _post(b) and org_a and org_a == org_b:
        changes = [Change(f"{key}-relabelled", f"The {name} is now printed as {_q(_post(b))} (was {_q(_post(a))}).")]
    elif _post(a) != _post(b):
        changes = [Change(f"{key}-changed", f"The {name} changed from {_post(a)} to {_post(b)}.")]
    elif org_a != org_b:
        changes = [Change(f"{key}-organisation-changed",
                          f"The {name}'s organisation changed from {names.org(org_a)} to {names.org(org_b)}.")]
    else:
        changes = []
    if a and b:
        changes += _rest(a, b, {"label", "organisation"}, f"The {name}")
    return changes


def has_terms(board: Board) -> bool:
    return bool(board.purpose or board.functions or board.members or board.introduction)


def _member_text(m: Member) -> str:
    return normalise(m.label)


def _pair_members(old: list[Member], new: list[Member]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Match each seat to its counterpart: same label, else same organisation and a like label."""
    pairs, left, right = _pair(old, new, [lambda m: _key(m.label)])
    for i in list(left):  # the one seat left for the same organisation is the same seat, renamed
        sharing = [j for j in right if set(old[i].organisations) & set(new[j].organisations)]
        if len(sharing) == 1 and len([k for k in left if set(old[k].organisations) & set(new[sharing[0]].organisations)]) == 1:
            pairs.append((i, sharing[0]))
            left.remove(i)
            right.remove(sharing[0])
    for i in list(left):
        m = old[i]
        scored = [(_likeness(m.label, new[j].label) - (0 if set(m.organisations) & set(new[j].organisations) else 0.15), -j, j)
                  for j in right]
        best = max(scored, default=None)
        if best and best[0] >= 0.6:
            pairs.append((i, best[2]))
            left.remove(i)
            right.remove(best[2])
    return sorted(pairs, key=lambda p: p[1]), left, right


MEMBER_FLAGS = (("chair", "chair"), ("vice_chair", "vice-chair"), ("responsible_authority", "responsible authority (voting)"),
                ("councillor", "a councillor's seat"))


def _members(old: Board, new: Board, names: Names) -> list[Change]:
    a_list, b_list = old.members, new.members
    pairs, removed, added = _pair_members(a_list, b_list)
    changes = [Change("member-removed", f"Member removed: {_member_text(a_list[i])}.", subject=_member_text(a_list[i]))
               for i in removed]
    changes += [Change("member-added", f"Member added: {_member_text(b_list[j])}.", subject=_member_text(b_list[j]))
                for j in added]
    for i, j in pairs:
        a, b = a_list[i], b_list[j]
        what = []
        if normalise(a.label) != normalise(b.label):
            what.append(f"now printed as {_q(_member_text(b))}")
        if (a.places or 1) != (b.places or 1):
            what.append(f"places changed from {a.places or 1} to {b.places or 1}")
        elif a.places != b.places:
            what.append(f"the number of places is {'now' if b.places else 'no longer'} printed")
        if normalise(a.places_note or "") != normalise(b.places_note or ""):
            what.append(f"the note on its places now reads {_q(normalise(b.places_note))}" if b.places_note
                        else f"the note on its places ({_q(normalise(a.places_note or ''))}) was removed")
        for flag, name in MEMBER_FLAGS:
            if getattr(a, flag) != getattr(b, flag):
                what.append(f"{'now' if getattr(b, flag) else 'no longer'} {name}")
        if what:
            changes.append(Change("member-changed", f"{_member_text(a)}: {'; '.join(what)}."))
        if list(a.organisations) != list(b.organisations):
            changes.append(Change("member-organisations-changed", f"{_member_text(b)}: the organisations it stands for "
                                  f"changed from {names.orgs(a.organisations)} to {names.orgs(b.organisations)}."))
        changes += _rest(a, b, {"label", "places", "places_note", "organisations", *(f for f, _ in MEMBER_FLAGS)},
                         _member_text(b))
    changes += _order_changes("member", "in the list of members", a_list, b_list, pairs, _member_text)
    return changes


def _per_year(m: Meetings) -> str:
    return f"at least {m.per_year}" if m.at_least else str(m.per_year)


def _meetings(a: Meetings | None, b: Meetings | None) -> list[Change]:
    if a is None and b is None:
        return []
    if a is None or b is None:
        return [Change("meetings-added", f"The frequency of meeting is now printed: {_q(normalise(b.frequency))}.")] if b else \
            [Change("meetings-removed", f"The frequency of meeting is no longer printed (it was {_q(normalise(a.frequency))}).")]
    changes = []
    if (a.per_year, a.at_least) != (b.per_year, b.at_least):
        changes.append(Change("frequency-changed", f"Meetings a year changed from {_per_year(a)} to {_per_year(b)}."))
    if a.months != b.months:
        changes.append(Change("months-changed", f"Meeting months changed from {_months(a.months)} to {_months(b.months)}."))
    if normalise(a.frequency) != normalise(b.frequency):
        changes.append(Change("frequency-text-changed", "The frequency of meeting now reads "
                              f"{_q(normalise(b.frequency))} (was {_q(normalise(a.frequency))})."))
    changes += _list_changes("meeting arrangement", a.arrangements, b.arrangements)
    return changes + _rest(a, b, {"per_year", "at_least", "months", "frequency", "arrangements"}, "Meetings")


def _quorum(a: Quorum | None, b: Quorum | None, names: Names) -> list[Change]:
    if a is None and b is None:
        return []
    if a is None or b is None:
        return [Change("quorum-added", f"Quorum rule added: {_q(normalise(b.rule))}")] if b else \
            [Change("quorum-removed", f"Quorum rule removed: {_q(normalise(a.rule))}")]
    changes = []
    if normalise(a.rule) != normalise(b.rule):
        changes.append(Change("quorum-changed", "The quorum rule changed.", text_diff(a.rule, b.rule)))
    if list(a.organisations) != list(b.organisations):
        changes.append(Change("quorum-organisations-changed", "The organisations that must be present for a quorum changed "
                              f"from {names.orgs(a.organisations)} to {names.orgs(b.organisations)}."))
    for key in ("minimum_members", "minimum_responsible_authorities"):
        if getattr(a, key) != getattr(b, key):
            changes.append(Change(f"quorum-{key.replace('_', '-')}-changed",
                                  f"The {_label(key)} changed from {_fmt(getattr(a, key))} to {_fmt(getattr(b, key))}."))
    if a.councillors_at_most_half != b.councillors_at_most_half:
        changes.append(Change("quorum-councillors-changed", "Councillors may now make up at most half of a quorum."
                              if b.councillors_at_most_half else "Councillors are no longer limited to half of a quorum."))
    return changes + _rest(a, b, {"rule", "organisations", "minimum_members", "minimum_responsible_authorities",
                                  "councillors_at_most_half"}, "The quorum")


def _legal_basis(a: LegalBasis | None, b: LegalBasis | None) -> list[Change]:
    if _same(a, b):
        return []
    if a is None or b is None:
        return [Change("legal-basis-added", f"Legal basis added: {normalise(b.act)} ({b.url}).")] if b else \
            [Change("legal-basis-removed", f"Legal basis removed: {normalise(a.act)}.")]
    changes = []
    if normalise(a.act) != normalise(b.act):
        changes.append(Change("legal-basis-changed", f"The legal basis changed from {normalise(a.act)} to {normalise(b.act)}."))
    if a.url != b.url:
        changes.append(Change("legal-basis-link-changed", f"The link to {normalise(b.act)} changed from {a.url} to {b.url}."))
    return changes + _rest(a, b, {"act", "url"}, "The legal basis")


def _agenda(old: Board, new: Board) -> list[Change]:
    changes = []
    if [normalise(m.meeting) for m in old.agenda] != [normalise(m.meeting) for m in new.agenda]:
        changes.append(Change("agenda-meetings-changed", "Agenda meetings changed from "
                              f"{', '.join(m.meeting for m in old.agenda) or 'none'} to {', '.join(m.meeting for m in new.agenda) or 'none'}."))
    changes += _list_changes("agenda item", [i for m in old.agenda for i in m.items], [i for m in new.agenda for i in m.items])
    if not changes and not _same(old.agenda, new.agenda):  # the same items, under different meetings
        changes.append(Change("agenda-changed", "The agenda items are planned for different meetings."))
    return changes


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


LIST_FIELDS = {  # field: (one item, the items)
    "introduction": ("introduction", "paragraphs of the introduction"), "purpose": ("purpose", "paragraphs of the purpose"),
    "functions": ("function", "functions"), "chair_arrangements": ("chair arrangement", "chair arrangements"),
    "membership_notes": ("membership note", "membership notes"), "voting": ("voting rule", "voting rules"),
    "public_meetings": ("public meetings", "paragraphs on public meetings"), "procedure": ("procedure", "procedures"),
    "reporting": ("reporting line", "reporting lines"),
    "financial_responsibility": ("financial responsibility", "financial responsibilities"),
    "financial_responsibility_items": ("financial responsibility", "financial responsibilities"),
}

BoardField = Callable[[Board, Board, Names], list[Change]]


def _status(old: Board, new: Board, names: Names) -> list[Change]:
    suspended = new.status == "suspended"
    note = f" {normalise(new.status_note)}" if suspended and new.status_note else ""
    return [Change("board-suspended" if suspended else "board-reinstated",
                   f"The board was {'suspended' if suspended else 'reinstated'}.{note}")]


def _yes_no(key: str, now: str, no_longer: str) -> BoardField:
    return lambda old, new, names: [Change(f"{key.replace('_', '-')}-changed", now if getattr(new, key) else no_longer)]


BOARD_FIELDS: dict[str, BoardField] = {
    "id": lambda old, new, names: [Change("id-changed", f"The board's id changed from {old.id} to {new.id}, so its pages moved.")],
    "name": lambda old, new, names: [Change("board-renamed", f"The board was renamed from {normalise(old.name)} to {normalise(new.name)}.")],
    "kind": lambda old, new, names: [Change("kind-changed", f"The board is now {_article(new.kind)} {new.kind} board "
                                            f"(was {_article(old.kind)} {old.kind} board).")],
    "status": _status,
    "accountable_to": lambda old, new, names: [Change("accountable-to-changed", "The board is now accountable to "
                                                      f"{names.boards_list(new.accountable_to)} (was {names.boards_list(old.accountable_to)}).")],
    "legal_basis": lambda old, new, names: _legal_basis(old.legal_basis, new.legal_basis),
    "sponsor": lambda old, new, names: _post_changes("sponsor", "sponsor", old.sponsor, new.sponsor, names),
    "chair": lambda old, new, names: _post_changes("chair", "chair", old.chair, new.chair, names),
    "scrutineer_attends": _yes_no("scrutineer_attends", "The independent scrutineer now attends.",
                                  "The independent scrutineer no longer attends."),
    "functions_lettered": _yes_no("functions_lettered", "The functions are now lettered a), b), c).",
                                  "The functions are no longer lettered."),
    "meetings": lambda old, new, names: _meetings(old.meetings, new.meetings),
    "members": _members,
    "quorum": lambda old, new, names: _quorum(old.quorum, new.quorum, names),
    "agenda": lambda old, new, names: _agenda(old, new),
}


def _text_field(key: str) -> BoardField:
    return lambda old, new, names: _text_changes(key.replace("_", "-"), _label(key), getattr(old, key), getattr(new, key))


def _list_field(key: str, one: str, many: str) -> BoardField:
    return lambda old, new, names: _list_changes(one, getattr(old, key), getattr(new, key), many)


BOARD_FIELDS |= {key: _text_field(key)
                 for key in ("status_note", "summary", "workplan_note", "functions_intro", "membership_intro", "agenda_intro")}
BOARD_FIELDS |= {key: _list_field(key, one, many) for key, (one, many) in LIST_FIELDS.items()}

# what the affiliated boards' summaries print, and so compared even when an edition prints no terms of reference
SUMMARY_FIELDS = {"id", "name", "kind", "status", "status_note", "summary", "workplan_note", "accountable_to"}


def compare_boards(old: Board, new: Board, *, organisations: dict[str, Organisation] | None = None,
                   board_names: dict[str, str] | None = None) -> list[Change]:
    """Every change between two versions of a board, one plain-English sentence each, field by
    field in the order of the model. Where one edition prints the board's terms of reference and
    the other does not, what only one of them prints is not compared."""
    names = Names(organisations, board_names or {})
    changes: list[Change] = []
    partial = has_terms(old) != has_terms(new)
    if has_terms(old) and not has_terms(new):
        changes.append(Change("terms-not-printed", "This edition does not print the board's terms of reference, "
                              "so its membership, quorum and functions are not compared."))
    elif partial:
        changes.append(Change("terms-printed", "The edition before did not print the board's terms of reference, "
                              "so its membership, quorum and functions are not compared."))
    for name in type(new).model_fields:
        a, b = getattr(old, name, None), getattr(new, name, None)
        if partial and name not in SUMMARY_FIELDS and (_is_default(Board, name, a) or _is_default(Board, name, b)):
            continue
        if name == "status_note" and old.status != new.status:
            continue  # said with the status
        if _same(a, b):
            continue
        handler = BOARD_FIELDS.get(name)
        changes += _ensure(name, a, b, handler(old, new, names) if handler else _generic(name, a, b))
    return changes


# highlight reports, attendance, budget, contacts, organisations -----------------------------------

def compare_reports(old: HighlightReport, new: HighlightReport, *,
                    organisations: dict[str, Organisation] | None = None) -> list[Change]:
    """Two versions of a highlight report's data (its prose is compared by compare_prose)."""
    names = Names(organisations)
    changes: list[Change] = []
    for name in type(new).model_fields:
        a, b = getattr(old, name, None), getattr(new, name, None)
        if _same(a, b):
            continue
        if name == "kind":
            found = [Change("report-kind-changed", f"The report is now {_article(b)} {b} report (was {_article(a)} {a} report).")]
        elif name == "board":
            found = [Change("report-board-changed", f"The board it reports on changed from {a or 'none'} to {b or 'none'}.")]
        elif name == "organisations":
            found = [Change("report-organisations-changed", f"The agency changed from {names.orgs(a)} to {names.orgs(b)}.")]
        elif name == "sponsor":
            found = _post_changes("sponsor", "sponsor", a, b, names)
        else:
            found = _generic(name, a, b)
        changes += _ensure(name, a, b, found)
    return changes


def _mark(marks: list[str], i: int) -> str:
    return marks[i] if i < len(marks) else "none"


def _month(value: str) -> str:
    year, month = value.split("-")[:2]
    return f"{MONTHS[int(month) - 1]} {year}"


def compare_attendance(old: Attendance, new: Attendance) -> list[Change]:
    """Meetings added, removed or relabelled; members added, removed or relabelled; every mark changed."""
    changes = _text_changes("attendance-title", "title of the attendance table", old.title, new.title)
    if old.board != new.board:
        changes.append(Change("attendance-board-changed", f"The board whose attendance is shown changed from {old.board} to {new.board}."))
    meetings, gone, come = _pair(old.meetings, new.meetings, [lambda m: m.month, lambda m: _key(m.label)])
    rows, left, joined = _pair(old.members, new.members, [lambda r: _key(r.label), lambda r: tuple(r.organisations)],
                               like=lambda r: normalise(r.label), may_pair=_shares_organisation)
    for i in gone:
        changes.append(Change("attendance-meeting-removed", f"Meeting removed: {normalise(old.meetings[i].label)}."))
    for j in come:
        counts = Counter(_mark(r.marks, j) for r in new.members)
        changes.append(Change("attendance-meeting-added", f"Meeting added: {normalise(new.meetings[j].label)} ("
                              + ", ".join(f"{counts[m]} {m}" for m in ("present", "absent", "n/a") if counts[m]) + ")."))
    for i, j in meetings:
        a, b = old.meetings[i], new.meetings[j]
        if normalise(a.label) != normalise(b.label):
            changes.append(Change("attendance-meeting-relabelled", f"Meeting {normalise(a.label)}: now printed as {_q(normalise(b.label))}."))
        if a.month != b.month:
            changes.append(Change("attendance-meeting-month-changed",
                                  f"Meeting {normalise(b.label)}: month changed from {_month(a.month)} to {_month(b.month)}."))
        changes += _rest(a, b, {"label", "month"}, f"Meeting {normalise(b.label)}")
    changes += _order_changes("attendance-meeting", "in the list of meetings", old.meetings, new.meetings, meetings,
                              lambda m: f"Meeting {normalise(m.label)}")
    for i in left:
        changes.append(Change("attendance-member-removed", f"Member removed: {normalise(old.members[i].label)}."))
    for j in joined:
        row = new.members[j]
        marks = ", ".join(f"{normalise(m.label)} {_mark(row.marks, k)}" for k, m in enumerate(new.meetings))
        changes.append(Change("attendance-member-added", f"Member added: {normalise(row.label)}" + (f" ({marks})." if marks else ".")))
    for i, j in rows:
        a, b = old.members[i], new.members[j]
        label = normalise(b.label)
        if normalise(a.label) != label:
            changes.append(Change("attendance-member-relabelled", f"{normalise(a.label)}: now printed as {_q(label)}."))
        if list(a.organisations) != list(b.organisations):
            changes.append(Change("attendance-member-organisations-changed",
                                  f"{label}: organisations changed from {', '.join(a.organisations) or 'none'} "
                                  f"to {', '.join(b.organisations) or 'none'}."))
        for mi, mj in meetings:
            was, now = _mark(a.marks, mi), _mark(b.marks, mj)
            if was != now:
                changes.append(Change("attendance-mark-changed",
                                      f"{label}: {normalise(new.meetings[mj].label)} changed from {was} to {now}."))
        changes += _rest(a, b, {"label", "organisations", "marks"}, label)
    changes += _order_changes("attendance-member", "in the table", old.members, new.members, rows,
                              lambda r: normalise(r.label))
    return changes + _rest(old, new, {"title", "board", "meetings", "members"})


def _figure(value: int | None) -> str:
    return money(value) if value is not None else "none"


CONTRIBUTION_FIGURES = (("childrens", "children's"), ("adults", "adults"), ("total", "total"))


def compare_budget(old: Budget, new: Budget) -> list[Change]:
    """Every line and every figure of the budget: 'Contributions, MK CCG, children's: -51,482 → -51,500.'"""
    changes: list[Change] = []
    for key in ("contributions_title", "position_title", "actuals_label"):
        changes += _text_changes(key.replace("_", "-"), _label(key), getattr(old, key), getattr(new, key))
    pairs, removed, added = _pair(old.contributions, new.contributions,
                                  [lambda c: _key(c.label), lambda c: tuple(c.organisations)], like=lambda c: normalise(c.label),
                                  may_pair=_shares_organisation)
    for i in removed:
        changes.append(Change("contribution-removed", f"Contribution removed: {normalise(old.contributions[i].label)}."))
    for j in added:
        c = new.contributions[j]
        figures = ", ".join(f"{name} {_figure(getattr(c, key))}" for key, name in CONTRIBUTION_FIGURES if getattr(c, key) is not None)
        changes.append(Change("contribution-added", f"Contribution added: {normalise(c.label)}" + (f" ({figures})." if figures else ".")))
    for i, j in pairs:
        a, b = old.contributions[i], new.contributions[j]
        label = normalise(b.label)
        if normalise(a.label) != label:
            changes.append(Change("contribution-relabelled", f"Contributions, {normalise(a.label)}: now printed as {_q(label)}."))
        for key, name in CONTRIBUTION_FIGURES:
            if getattr(a, key) != getattr(b, key):
                changes.append(Change("contribution-changed",
                                      f"Contributions, {label}, {name}: {_figure(getattr(a, key))} \u2192 {_figure(getattr(b, key))}."))
        if list(a.organisations) != list(b.organisations):
            changes.append(Change("contribution-organisations-changed", f"Contributions, {label}: organisations changed from "
                                  f"{', '.join(a.organisations) or 'none'} to {', '.join(b.organisations) or 'none'}."))
        changes += _rest(a, b, {"label", "organisations", *(k for k, _ in CONTRIBUTION_FIGURES)}, f"Contributions, {label}")
    changes += _order_changes("contribution", "in the contributions table", old.contributions, new.contributions, pairs,
                              lambda c: normalise(c.label))
    for key in ("brought_forward", "contributions_line", "carried_forward"):
        changes += _budget_line("position", "Budget position", getattr(old, key), getattr(new, key))
    pairs, removed, added = _pair(old.expenditure, new.expenditure, [lambda e: _key(e.label)], like=lambda e: normalise(e.label))
    for i in removed:
        line = old.expenditure[i]
        changes.append(Change("expenditure-removed", f"Expenditure line removed: {normalise(line.label)} ({_figure(line.amount)})."))
    for j in added:
        line = new.expenditure[j]
        changes.append(Change("expenditure-added", f"Expenditure line added: {normalise(line.label)} ({_figure(line.amount)})."))
    for i, j in pairs:
        changes += _budget_line("expenditure", "Expenditure", old.expenditure[i], new.expenditure[j])
    changes += _order_changes("expenditure", "in the expenditure", old.expenditure, new.expenditure, pairs,
                              lambda e: normalise(e.label))
    return changes + _rest(old, new, {"contributions_title", "position_title", "actuals_label", "contributions", "brought_forward",
                                      "contributions_line", "carried_forward", "expenditure"})


def _budget_line(kind: str, where: str, a: Any, b: Any) -> list[Change]:
    changes = []
    label = normalise(b.label)
    if normalise(a.label) != label:
        changes.append(Change(f"{kind}-relabelled", f"{where}: {_q(normalise(a.label))} now printed as {_q(label)}."))
    if a.amount != b.amount:
        changes.append(Change(f"{kind}-changed", f"{where}, {label}: {_figure(a.amount)} \u2192 {_figure(b.amount)}."))
    return changes + _rest(a, b, {"label", "amount"}, f"{where}, {label}")


CONTACT_FIELDS = ("label", "phone", "email", "address")


def _contact_line(line: Any) -> str:
    return ", ".join(normalise(getattr(line, k)) for k in CONTACT_FIELDS if getattr(line, k, None)) or "an empty line"


def compare_contacts(old: Contacts, new: Contacts) -> list[Change]:
    """Two revisions of data/contacts.yml: the advice, and every group and line of contacts."""
    changes: list[Change] = []
    for key in ("in_danger", "not_in_danger"):
        changes += _text_changes(key.replace("_", "-"), _label(key), getattr(old, key), getattr(new, key))
    groups, removed, added = _pair(old.groups, new.groups, [lambda g: g.id, lambda g: _key(g.title)])
    changes += [Change("contact-group-removed", f"Contact group removed: {normalise(old.groups[i].title)}.") for i in removed]
    changes += [Change("contact-group-added", f"Contact group added: {normalise(new.groups[j].title)} "
                       f"({'; '.join(_contact_line(line) for line in new.groups[j].lines)}).") for j in added]
    for i, j in groups:
        a, b = old.groups[i], new.groups[j]
        title = normalise(b.title)
        if normalise(a.title) != title:
            changes.append(Change("contact-group-retitled", f"Contact group {normalise(a.title)}: now titled {_q(title)}."))
        if a.id != b.id:
            changes.append(Change("contact-group-id-changed", f"{title}: id changed from {a.id} to {b.id}."))
        lines, gone, come = _pair(a.lines, b.lines, [lambda x: _key(x.label), lambda x: _key(x.phone), lambda x: _key(x.email),
                                                     lambda x: _key(x.address)], like=_contact_line)
        changes += [Change("contact-line-removed", f"{title}: line removed: {_contact_line(a.lines[k])}.") for k in gone]
        changes += [Change("contact-line-added", f"{title}: line added: {_contact_line(b.lines[k])}.") for k in come]
        for k, m in lines:
            x, y = a.lines[k], b.lines[m]
            line = normalise(y.label) if y.label else _contact_line(x)
            for key in type(y).model_fields:
                was, now = getattr(x, key, None), getattr(y, key, None)
                if not _same(was, now):
                    changes.append(Change(f"contact-{key}-changed", f"{title}, {line}: the {_label(key)} "
                                          + (f"changed from {_fmt(was)} to {_fmt(now)}." if was and now else
                                             f"{_fmt(now)} was added." if now else f"{_fmt(was)} was removed.")))
        changes += _order_changes("contact-line", "in the group", a.lines, b.lines, lines,
                                  lambda x, title=title: f"{title}: {_contact_line(x)}")
        changes += _rest(a, b, {"id", "title", "lines"}, title)
    changes += _order_changes("contact-group", "in the contacts", old.groups, new.groups, groups,
                              lambda g: f"Contact group {normalise(g.title)}")
    return changes + _rest(old, new, {"in_danger", "not_in_danger", "groups"})


def compare_organisations(old: dict[str, Organisation], new: dict[str, Organisation]) -> list[Change]:
    """Two revisions of data/organisations/: organisations added and removed, names, short names,
    and the names each edition printed."""
    changes: list[Change] = []
    changes += [Change("organisation-removed", f"Organisation removed: {normalise(o.name)} ({i}).") for i, o in old.items() if i not in new]
    changes += [Change("organisation-added", f"Organisation added: {normalise(o.name)} ({i}).") for i, o in new.items() if i not in old]
    for org_id, b in new.items():
        a = old.get(org_id)
        if a is None:
            continue
        name = normalise(a.name)
        if name != normalise(b.name):
            changes.append(Change("organisation-renamed", f"{name}: the name changed to {_q(normalise(b.name))}."))
        changes += [Change(c.kind, f"{name}: {_lower(c.text)}", c.words)
                    for c in _list_changes("short name", a.short_names, b.short_names)]
        for edition in dict.fromkeys([*a.edition_names, *b.edition_names]):
            was, now = a.edition_names.get(edition), b.edition_names.get(edition)
            if normalise(was or "") == normalise(now or ""):
                continue
            if was and now:
                text = f"{name}: the name printed in {edition} changed from {_q(normalise(was))} to {_q(normalise(now))}."
            elif now:
                text = f"{name}: printed in {edition} as {_q(normalise(now))}."
            else:
                text = f"{name}: no longer printed differently in {edition} (was {_q(normalise(was or ''))})."
            changes.append(Change("organisation-edition-name-changed", text))
        changes += _rest(a, b, {"id", "name", "short_names", "edition_names"}, name)
    return changes


# editions ------------------------------------------------------------------------------------------

# which editions are compared, and their own records, not what they print: said in the diff's heading
EDITION_NOT_COMPARED = {"id", "published", "status", "follows", "corrections"}
# what a draft starts without, and is no change the editor made: its summary and change notes are
# still to write, and a revision's subtitle comes from the day it is published
DRAFT_UNWRITTEN = {"subtitle", "summary", "change_notes"}
# compared in their own groups: each board, section and report, the statutory duties
EDITION_IN_GROUPS = {"sections", "statutory_duties"}


def _signatories(a: list[Any], b: list[Any], names: Names) -> list[Change]:
    pairs, removed, added = _pair(a, b, [lambda s: _key(s.name), lambda s: _key(s.role)])
    changes = [Change("signatory-removed", f"Signatory removed: {normalise(a[i].name)}, {normalise(a[i].role)}.") for i in removed]
    changes += [Change("signatory-added", f"Signatory added: {normalise(b[j].name)}, {normalise(b[j].role)}.") for j in added]
    for i, j in pairs:
        x, y = a[i], b[j]
        who = normalise(y.name)
        if normalise(x.name) != who:
            changes.append(Change("signatory-renamed", f"Signatory {normalise(x.name)}: now printed as {_q(who)}."))
        if normalise(x.role) != normalise(y.role):
            changes.append(Change("signatory-role-changed", f"{who}: the role now reads {_q(normalise(y.role))} (was {_q(normalise(x.role))})."))
        if x.organisation != y.organisation:
            changes.append(Change("signatory-organisation-changed",
                                  f"{who}: the organisation changed from {names.org(x.organisation)} to {names.org(y.organisation)}."))
        changes += _rest(x, y, {"name", "role", "organisation"}, who)
    return changes + _order_changes("signatory", "in the signatories", a, b, pairs, lambda s: normalise(s.name))


def _edition_changes(old: EditionData, new: EditionData, names: Names) -> list[Change]:
    a, b = old.edition, new.edition
    changes: list[Change] = []
    for name in type(b).model_fields:
        if name in EDITION_NOT_COMPARED or name in EDITION_IN_GROUPS:
            continue
        x, y = getattr(a, name, None), getattr(b, name, None)
        if b.status == "draft" and not y and name in DRAFT_UNWRITTEN:
            continue  # not yet written, or written by publish: the draft's own pages say what is still to write
        if name in ("boards", "reports"):  # added and removed in their own groups; the order here
            what = "board" if name == "boards" else "highlight report"
            title = (lambda i: names.board(i)) if name == "boards" else \
                (lambda i: normalise((new.reports.get(i) or old.reports.get(i)).title) if (new.reports.get(i) or old.reports.get(i)) else i)
            pairs, _, _ = _pair(x, y, [lambda i: i])
            changes += _order_changes(f"{what.replace(' ', '-')}", f"in the list of {what}s", x, y, pairs, title)
            continue
        if name == "signatories":
            found = _signatories(x, y, names)
        elif name == "change_notes":  # each edition's own account of its changes: the new edition's notes, never the old one's
            changes += [Change("change-note-added", f"Change note added: {_q(normalise(note))}") for note in y
                        if normalise(note) not in {normalise(n) for n in x}]
            gone = [n for n in x if normalise(n) not in {normalise(note) for note in y}]
            if gone:  # said once, not note by note: they described the earlier edition's own changes
                changes.append(Change("change-notes-replaced", f"The earlier edition's {plural(len(gone), 'change note')} "
                                      "no longer stand (each edition gives its own)."))
            continue
        else:
            found = _generic(name, x, y)
        changes += _ensure(name, x, y, found)
    return changes


def _duties(old: EditionData, new: EditionData, names: Names) -> list[Change]:
    a, b = old.edition.statutory_duties, new.edition.statutory_duties
    pairs, removed, added = _pair(a, b, [lambda d: _key(d.body), lambda d: d.board])
    changes = [Change("duties-removed", f"Statutory duties removed: {normalise(a[i].body)}.") for i in removed]
    changes += [Change("duties-added", f"Statutory duties added: {normalise(b[j].body)}, with "
                       f"{plural(len(b[j].duties), 'duty', 'duties')}: " + "; ".join(_q(normalise(d)) for d in b[j].duties))
                for j in added]
    for i, j in pairs:
        x, y = a[i], b[j]
        body = normalise(y.body)
        if normalise(x.body) != body:
            changes.append(Change("duties-retitled", f"{normalise(x.body)}: now headed {_q(body)}."))
        if x.board != y.board:
            changes.append(Change("duties-board-changed", f"{body}: the board that carries these duties changed from "
                                  f"{names.board(x.board)} to {names.board(y.board)}."))
        for change in _list_changes("duty", x.duties, y.duties, "duties"):
            change.text = f"{body}: {change.text}"
            changes.append(change)
        changes += _rest(x, y, {"body", "board", "duties"}, body)
    return changes + _order_changes("duties", "in the statutory duties", a, b, pairs, lambda d: normalise(d.body))


def _part(kind: str, old: Any, new: Any, compare: Callable[[Any, Any], list[Change]]) -> list[Change]:
    """The attendance or the budget of two editions, either of which may have none."""
    what = "attendance table" if kind == "attendance" else "budget"
    if old is None and new is None:
        return []
    if old is None:
        return [Change(f"{kind}-added", f"The {what} was added.")]
    if new is None:
        return [Change(f"{kind}-removed", f"The {what} was removed.")]
    return compare(old, new)


def _section_groups(old: EditionData, new: EditionData, names: Names) -> list[Group]:
    groups = []
    old_list, new_list = old.edition.sections, new.edition.sections
    pairs, _, _ = _pair(old_list, new_list, [lambda s: s.id])
    before = {j: old_list[i] for i, j in pairs}
    moved = set(_moves(pairs))
    data = {
        "statutory-duties": _duties(old, new, names),
        "attendance": _part("attendance", old.attendance, new.attendance, compare_attendance),
        "budget": _part("budget", old.budget, new.budget, compare_budget),
    }
    placed = set()
    for j, section in enumerate(new_list):
        group = Group(section.title, section=section.id)
        was = before.get(j)
        if was is None:
            group.changes.append(Change("section-added", f"New section: {section.title}."))
        else:
            if normalise(was.title) != normalise(section.title):
                group.changes.append(Change("section-retitled", f"The section was retitled from {_q(normalise(was.title))} "
                                            f"to {_q(normalise(section.title))}."))
            if was.kind != section.kind:
                group.changes.append(Change("section-kind-changed", f"The kind of section changed from {was.kind} to {section.kind}."))
            if was.signed != section.signed:
                group.changes.append(Change("section-signed-changed", "The section is now signed by the edition's signatories."
                                            if section.signed else "The section is no longer signed by the edition's signatories."))
            if j in moved:
                group.changes.append(Change("section-moved", _moved("The section", _q(new_list[j - 1].title) if j else None,
                                                                   "in the contents")))
            group.changes += _rest(was, section, {"id", "title", "kind", "signed"})
            a, b = old.prose.get(section.id), new.prose.get(section.id)
            group.changes += compare_prose(a.text if a else "", b.text if b else "")
        if section.kind in data and section.kind not in placed:
            group.changes += data[section.kind]
            placed.add(section.kind)
        if group.changes:
            groups.append(group)
    new_ids = {s.id for s in new_list}
    for section in old_list:
        if section.id not in new_ids:
            groups.append(Group(section.title, section=section.id,
                                changes=[Change("section-removed", f"Section removed: {section.title}.")]))
    titles = {"statutory-duties": "Statutory duties", "attendance": "Attendance", "budget": "Budget"}
    for kind, changes in data.items():
        if kind not in placed and changes:
            groups.append(Group(titles[kind], changes=changes))
    return groups


def _members_moved(groups: list[Group]) -> list[Group]:
    """A member taken off one board and put on another in the same edition is one move, said once,
    on the board it moved to (the board it left shows it in its history: derive._histories)."""
    removed = {(c.subject, g.board): (g, c) for g in groups if g.board for c in g.changes if c.kind == "member-removed"}
    for group in groups:
        for n, change in enumerate(group.changes):
            source = next((key for key in removed if key[0] == change.subject and key[1] != group.board), None)
            if change.kind == "member-added" and source:
                left, gone = removed.pop(source)
                left.changes.remove(gone)
                group.changes[n] = Change("member-moved", f"Member moved here from {left.title}: {change.subject}.",
                                          subject=change.subject, moved_from=left.board)
    return [g for g in groups if g.changes]


def _report_groups(old: EditionData, new: EditionData, organisations: dict[str, Organisation] | None) -> list[Group]:
    groups = []
    for report_id in dict.fromkeys([*new.reports, *old.reports]):
        a, b = old.reports.get(report_id), new.reports.get(report_id)
        group = Group(normalise((b or a).title), report=report_id)  # type: ignore[union-attr]
        if a is None:
            group.changes.append(Change("report-added", f"Highlight report added: {group.title}."))
        elif b is None:
            group.changes.append(Change("report-removed", f"Highlight report removed: {group.title}."))
        else:
            group.changes = compare_reports(a, b, organisations=organisations)
            pa, pb = old.report_prose.get(report_id), new.report_prose.get(report_id)
            group.changes += compare_prose(pa.text if pa else "", pb.text if pb else "")
        if group.changes:
            groups.append(group)
    return groups


def _name_changes(old: EditionData, new: EditionData, organisations: dict[str, Organisation]) -> list[Change]:
    changes = []
    for org in organisations.values():
        was, now = org.edition_names.get(old.id, org.name), org.edition_names.get(new.id, org.name)
        if normalise(was) != normalise(now):
            changes.append(Change("organisation-name-changed", f"{normalise(was)} is now printed as {_q(normalise(now))}."))
    return changes


def compare_editions(old: EditionData, new: EditionData, *,
                     organisations: dict[str, Organisation] | None = None) -> EditionDiff:
    """Every change from one edition of a document to another: the edition as a whole, then each
    board, section and highlight report, then (given the organisations) the names the editions print."""
    board_names = {**{i: normalise(b.name) for i, b in old.boards.items()}, **{i: normalise(b.name) for i, b in new.boards.items()}}
    names = Names(organisations, board_names)
    groups: list[Group] = []
    edition = Group("The edition as a whole", changes=_edition_changes(old, new, names))
    if edition.changes:
        groups.append(edition)
    for board_id in dict.fromkeys([*new.boards, *old.boards]):
        a, b = old.boards.get(board_id), new.boards.get(board_id)
        group = Group((b or a).name, board=board_id)  # type: ignore[union-attr]
        if a is None and b is not None:
            group.changes.append(Change("board-added", f"The {b.name} board was added."
                                        + (" It is suspended." if b.status == "suspended" else "")))
        elif b is None and a is not None:
            group.changes.append(Change("board-removed", f"The {a.name} board was removed."))
        elif a is not None and b is not None:
            group.changes = compare_boards(a, b, organisations=organisations, board_names=board_names)
        if group.changes:
            groups.append(group)
    groups = _members_moved(groups)
    groups += _section_groups(old, new, names)
    groups += _report_groups(old, new, organisations)
    if organisations:
        printed = _name_changes(old, new, organisations)
        if printed:
            groups.append(Group("Organisation names", changes=printed))
    return EditionDiff(old.id, new.id, groups)


# formats -------------------------------------------------------------------------------------------

def render_words(words: Words) -> str:
    return " ".join(t if k == "same" else f"[-{t}-]" if k == "removed" else f"{{+{t}+}}" for k, t in words)


def as_text(diff: EditionDiff) -> str:
    """The changes for a terminal: grouped, one sentence a line, word changes as [-old-]{+new+}."""
    lines = [f"Changes from {diff.old} to {diff.new}: {diff.summary()}", ""]
    for group in diff.groups:
        lines.append(group.title)
        for change in group.changes:
            lines.append(f"  - {change.text}")
            lines += ["      " + render_words(run) for run in excerpts(change.words)]
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text in Markdown as itself: its marks escaped, no HTML."""
    text = re.sub(r"([\\`*_~\[\]#|])", r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _md_words(words: Words) -> str:
    return " ".join(_md(t) if k == "same" else f"~~{_md(t)}~~" if k == "removed" else f"**{_md(t)}**" for k, t in words)


def as_markdown(diff: EditionDiff, level: int = 2) -> str:
    """The changes as a pull-request comment: a heading, then a heading and a bullet list for each
    group, word changes as ~~removed~~ **added**. `level` is the heading's level."""
    head = "#" * level
    lines = [f"{head} Changes from {diff.old} to {diff.new}", "", f"{_cap(diff.summary())}."]
    for group in diff.groups:
        lines += ["", f"{head}# {_md(group.title)}", ""]
        for change in group.changes:
            lines.append(f"- {_md(change.text)}")
            lines += [f"  - {_md_words(run)}" for run in excerpts(change.words)]
    return "\n".join(lines) + "\n"
