"""Cross-checks once every file is loaded and the facts derived: references resolve, editions hang
together, minutes agree with themselves, and printed figures agree with their lines."""
from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .derive import Facts
from .diagnostics import Diagnostic, Location, Report
from .load import EditionData, Project, Source
from .memo import Memo
from .models import ArchiveDocument, Contacts, Meeting, Organisation, ref_kind, references
from .prose import ALLOWED_SCHEMES, BAD_SCHEME, REMOTE_IMAGE, check_archive_prose, url_scheme
from .documents import DOCUMENTS, PROMPT, next_edition_id, reporting_year
from .record import changed_files, holds_replaced, record_intact
from .text import MONTHS, NUMBER_WORDS, clip, inline, join_and, long_date, money, near_spelling, phone_numbers, plural


def _suggest(name: str, known: typing.Iterable[str]) -> str:
    close = near_spelling(name, known)
    return f"; did you mean '{close}'?" if close else ""


def _new_organisation(ident: str) -> str:
    required = [name for name, field in Organisation.model_fields.items() if field.is_required()]
    keys = ", ".join(f"{k}: {ident}" if k == "id" else f"{k}: ..." for k in required)
    return (f"if it is a new organisation, create data/organisations/{ident}.yml with its {join_and(required)} "
            f"({keys}); see the README, 'A new organisation'")


def _check_refs(source: Source, project: Project, edition: EditionData | None, report: Report) -> None:
    """Every id the file refers to names a file that is there (broken or not: a broken file has its own error)."""
    for path, kind, ident in references(source.model):
        if kind == "organisation":
            known: typing.Iterable[str] = project.organisation_files
            hint = _new_organisation(ident)
        elif kind == "board":
            known = edition.listed["boards"].files if edition else set()
            if edition and ident in edition.edition.boards:
                continue  # listed with no file: the list's own error says so
            hint = f"the boards of this edition are: {', '.join(sorted(known)) or 'none'}"
        else:
            known = project.edition_folders
            hint = "editions are folders such as data/handbook/2021-11"
        if ident not in known:
            suggestion = _suggest(ident, known)
            report.error(source.doc.where(path), f"unknown {kind} '{ident}'{suggestion or '; ' + hint}")


def _keyed_lists(model: BaseModel, at: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, list[tuple[int, str]]]]:
    """Every list whose items are named by a key (ids, terms, minute references, ids of other things),
    with its path, what its key is called, and (index, key) of each item."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, list) and value:
            path = at + (name,)
            first = value[0]
            if isinstance(first, BaseModel):
                key = next((k for k in ("id", "term", "ref") if k in type(first).model_fields), None)
                if key:
                    yield path, key, [(i, str(getattr(item, key)).casefold()) for i, item in enumerate(value)]
            elif isinstance(first, str) and (ref_kind(field.annotation) or "Id" in str(field.annotation)):
                yield path, "id", list(enumerate(value))
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _keyed_lists(item, path + (i,))
        elif isinstance(value, BaseModel):
            yield from _keyed_lists(value, at + (name,))


def _check_unique(source: Source, report: Report) -> None:
    """An id, term or reference given twice in one list: every item after the first is an error."""
    for path, key, items in _keyed_lists(source.model):
        in_models = isinstance(_value_at(source.model, path)[0], BaseModel)
        first: dict[str, int] = {}
        for i, ident in items:
            if ident in first:
                where = path + (i, key) if in_models else path + (i,)
                fix = f"keep one, or give this one its own {key}" if in_models else "list it once"
                report.error(source.doc.where(where), f"'{_value_at(source.model, where)}' is given twice in "
                             f"'{path[-1]}' (first as item {first[ident] + 1}); {fix}")
            first.setdefault(ident, i)


def _value_at(model: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        model = model[step] if isinstance(step, int) else getattr(model, step)
    return model


# text in data: inline Markdown, as printed; never HTML, never a link to run or a resource to fetch
_TAG = re.compile(r"<!--|<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?\s*>")
_AUTOLINK = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s]+)>")
_LINK = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^>\s]*)")


def _text_values(model: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            yield from _text_values(getattr(model, name), at + (name,))
    elif isinstance(model, list):
        for i, item in enumerate(model):
            yield from _text_values(item, at + (i,))
    elif isinstance(model, dict):
        for key, item in model.items():
            yield from _text_values(item, at + (key,))
    elif isinstance(model, str):
        yield at, model


def _link_target(text: str) -> str:
    """A Markdown link's address: up to the ')' that closes the link, brackets inside it kept."""
    depth = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return text[:i]
            depth -= 1
    return text


def _check_text(source: Source, project: Project, report: Report) -> None:
    """HTML, links to run and remote resources in the data's text fields, each at its line."""
    for path, text in _text_values(source.model):
        without_autolinks = _AUTOLINK.sub(lambda m: " " * len(m.group(0)), text)
        tag = _TAG.search(without_autolinks)
        if tag:
            shown = text[tag.start():tag.start() + 30]
            report.error(_locate(project, source, path, tag.group(0)),
                         f"HTML is not allowed in data text ('{shown}'); write it in Markdown "
                         "(**bold**, *italics*, [words](https://address)), which the site turns into safe HTML")
            continue
        for match in [*_LINK.finditer(text), *re.finditer(r"<()([a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*)>", text)]:
            image, target = match.group(1), _link_target(match.group(2))
            scheme = url_scheme(target)
            if image and (scheme or target.startswith("//")):
                report.error(_locate(project, source, path, target), REMOTE_IMAGE.format("an image", target[:40]))
                break
            if scheme and scheme not in ALLOWED_SCHEMES:
                report.error(_locate(project, source, path, target), BAD_SCHEME.format(target[:40]))
                break


def _locate(project: Project, source: Source, path: tuple[Any, ...], needle: str) -> Location:
    """Where `needle` is typed in the value at `path`: the value's own line and column, or the
    first line at or after it that holds the needle (text in a folded block spans lines)."""
    start = source.doc.where(path)
    lines = (project.root / source.path).read_text(encoding="utf-8").split("\n")
    for number in range(start.line - 1, len(lines)):
        col = lines[number].find(needle, start.col - 1 if number == start.line - 1 else 0)
        if col >= 0:
            return Location(source.path, number + 1, col + 1)
    return start


def _check_contacts(source: Source, report: Report) -> None:
    contacts: Contacts = source.model  # type: ignore[assignment]
    for g, group in enumerate(contacts.groups):
        for i, line in enumerate(group.lines):
            if line.phone is not None and phone_numbers(line.phone) is None:
                report.error(source.doc.where(("groups", g, "lines", i, "phone")),
                             f"'{line.phone}' is not a UK phone number; write it as printed, such as 01908 253772 "
                             "(two numbers sharing their start may be printed as 01908 253169/70)")


STATEMENT = "data/accessibility.yml"
REVIEWED_WITHIN = 365  # days: the accessibility statement is reviewed at least once a year


def _check_statement(project: Project, report: Report) -> None:
    """The accessibility statement's facts are there, and name a contact group with an email."""
    source = project.singles.get("accessibility")
    if source is None:
        if "accessibility" in project.pages and STATEMENT not in project.digests and STATEMENT not in project.unreadable:
            report.error(Location(STATEMENT), "the accessibility statement (content/accessibility.md) needs this file: "
                                              "create it with reviewed, prepared and tested (each YYYY-MM-DD) and contact "
                                              "(the id of a group in data/contacts.yml)")
        return
    contacts = project.contacts
    if contacts is None:
        return  # contacts.yml is missing or broken: its own error, or the page below says what to add
    ident = source.model.contact  # type: ignore[attr-defined]
    groups = {g.id: g for g in contacts.groups}
    where = source.doc.where(("contact",))
    if ident not in groups:
        report.error(where, f"unknown contact group '{ident}'" + (_suggest(ident, groups) or
                     f"; the groups of data/contacts.yml are: {', '.join(groups)}"))
    elif not any(line.email for line in groups[ident].lines):
        report.error(where, f"the group '{ident}' in data/contacts.yml has no email, and the statement gives one for "
                            "reporting a problem: add an email to the group, or name a group that has one")


def _check_statement_review(project: Project, today: dt.date, report: Report) -> None:
    """A warning when the accessibility statement's last review is more than a year before `today`."""
    source = project.singles.get("accessibility")
    if source is None:
        return
    reviewed = source.model.reviewed  # type: ignore[attr-defined]
    if (today - reviewed).days > REVIEWED_WITHIN:
        report.warning(source.doc.where(("reviewed",)),
                       f"the accessibility statement was last reviewed on {long_date(reviewed)}, more than a year ago: "
                       "review content/accessibility.md and this file, then set reviewed: to the day of the review")


_file_checked: Memo[list[Diagnostic]] = Memo("files checked")


def _check_file(source: Source, project: Project) -> list[Diagnostic]:
    own = Report()
    _check_unique(source, own)
    _check_text(source, project, own)
    return own.items


def check_project(project: Project, facts: Facts, report: Report, today: dt.date | None = None) -> None:
    """Every cross-check; and, given `today` (`mktogether check` alone), which editions in force are
    due for review: a warning that depends on the day, so never one a build gives."""
    for source in project.sources():  # what a file says of itself, checked again only when it changes
        report.items.extend(_file_checked.get((source.path, source.digest), lambda s=source: _check_file(s, project)))
    for source in project.organisation_sources.values():
        _check_refs(source, project, None, report)
    for source in project.singles.values():
        _check_refs(source, project, None, report)
    if "contacts" in project.singles:
        _check_contacts(project.singles["contacts"], report)
    _check_statement(project, report)
    for edition in project.editions.values():
        _check_edition(edition, project, facts, report)
    _check_shared_changes(facts, report)
    _check_owners(project, facts, report)
    if today is not None:
        check_reviews(project, facts, today, report)
    known_boards = {b for e in project.editions.values() if e.document == "handbook" for b in e.listed["boards"].files}
    for source in [*project.meetings, *project.archive.values()]:
        _check_refs(source, project, None, report)
    for source in project.meetings:
        _check_meeting(source, report)
    for source in project.archive.values():
        _check_archive_document(source, report)
    for prose in project.archive_prose.values():
        check_archive_prose(prose.text, prose.path, report)
    for source in project.meetings:
        board = source.model.body.board  # type: ignore[attr-defined]
        if board and board not in known_boards and all(f in project.editions for f in project.edition_folders):
            report.error(source.doc.where(("body", "board")),
                         f"unknown board '{board}' in every Handbook edition{_suggest(board, known_boards)}")


def _check_edition(edition: EditionData, project: Project, facts: Facts, report: Report) -> None:
    doc = edition.source.doc
    e = edition.edition
    problem = DOCUMENTS[edition.document].check_id(edition.id)
    if problem:
        report.error(doc.where(("id",)), problem + "; rename its folders under data/ and content/ to match")

    _check_refs(edition.source, project, edition, report)
    for source in edition.board_sources.values():
        _check_refs(source, project, edition, report)
        _check_board(source, report)

    folder = edition.id
    for what, listed in edition.listed.items():
        for i, ident in enumerate(getattr(edition.edition, what)):
            if ident not in listed.models and ident not in listed.files:  # a broken file has its own error
                report.error(
                    doc.where((what, i)),
                    f"unknown {what[:-1]} '{ident}': there is no data/{folder}/{what}/{ident}.yml"
                    f"{_suggest(ident, listed.files)}",
                )
    section_ids = {s.id for s in edition.edition.sections}
    for i, section in enumerate(edition.edition.sections):
        if section.kind == "prose" and section.id not in edition.prose and \
                f"content/{folder}/{section.id}.md" not in project.unreadable:  # that file has its own error
            files = {p.stem for p in (project.root / "content" / folder).glob("*.md")} - section_ids
            close = difflib.get_close_matches(section.id, files, n=1)
            if close:  # a misspelt id is a mistake, in a draft too
                report.error(doc.where(("sections", i, "id")), f"section '{section.id}' has no prose: did you mean "
                             f"'{close[0]}' (content/{folder}/{close[0]}.md)?")
            else:
                _unwritten(edition, report, doc.where(("sections", i, "id")), f"the text of section '{section.id}': "
                           f"create content/{folder}/{section.id}.md", f"section '{section.id}' has no prose: create "
                           f"content/{folder}/{section.id}.md")
    for prose in [*edition.prose.values(), *edition.report_prose.values()]:
        _check_headings(prose.text, prose.path, report)
        if prose.text.lstrip().startswith(PROMPT):
            _unwritten(edition, report, Location(prose.path), "this page's text: the file still holds the prompt "
                       "new-edition wrote; write the text in Markdown in its place")
    _check_unwritten_edition(edition, project, report)
    _check_corrected_text(edition, project, report)
    _check_last_years_text(edition, project, report)

    if edition.id in facts.reports:
        _check_annual_report(edition, project, facts, report)
        _check_period(edition, report)
    if edition.edition.status == "published":
        _check_published(edition, project, report)
    _check_approval(edition, facts, report)
    if e.in_force_from and not DOCUMENTS[edition.document].revisions:
        report.error(doc.where(("in_force_from",)), f"only a revision comes into force on a later day; each year's "
                     f"{DOCUMENTS[edition.document].title} is the report for its year: take in_force_from out")
    elif e.in_force_from and e.published and e.in_force_from < e.published:
        report.error(doc.where(("in_force_from",)), f"it comes into force on {long_date(e.in_force_from)}, before it was "
                     f"published on {long_date(e.published)}; write the day it takes effect, on or after that")
    if e.review_by and e.published and e.review_by <= e.published:
        report.error(doc.where(("review_by",)), f"the next review, on {long_date(e.review_by)}, is not after the edition "
                     f"was published on {long_date(e.published)}; write a later day, YYYY-MM-DD")

    follows = edition.edition.follows
    if follows and follows in project.editions:
        earlier = project.editions[follows]
        if earlier.document != edition.document:
            report.error(doc.where(("follows",)), f"'{follows}' is another document; an edition follows an edition of the same document")
        elif earlier.edition.status == "draft" and edition.edition.status == "published":
            report.error(doc.where(("follows",)), f"'{follows}' is a draft; a published edition follows a published one")
        elif earlier.edition.published and edition.edition.published and earlier.edition.published >= edition.edition.published:
            report.error(doc.where(("follows",)), f"'{follows}' was published on {earlier.edition.published}, not before this edition")


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")


def _check_headings(text: str, path: str, report: Report) -> None:
    """A section's or report's headings under the page's own title: from ## down, no level skipped
    (a screen reader's list of headings is the page's outline)."""
    level, fence = 1, ""
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        opened = _FENCE.match(line)
        if fence:  # inside fenced code: no heading, until the fence closes
            fence = "" if opened and opened.group(1)[0] == fence else fence
            continue
        if opened:
            fence = opened.group(1)[0]
            continue
        atx = _ATX.match(line)
        below = lines[number] if number < len(lines) else ""
        underline = re.fullmatch(r" {0,3}(=+|-{3,})\s*", below) if line.strip() else None
        if atx:
            depth, title = len(atx.group(1)), (atx.group(2) or "").strip()
        elif underline and not re.match(r"\s{4}|\t|[-*+>|]|\d+[.)]\s", line):  # a heading underlined
            depth, title = (1 if underline.group(1)[0] == "=" else 2), line.strip()
        else:
            continue
        if depth == 1:
            report.error(Location(path, number, 1), "a level-1 heading: the page's title is its only one; start this "
                         f"page's headings at ## (## {clip(title)})")
        elif depth > level + 1:
            after = "directly under the page's title" if level == 1 else f"after a level-{level} one"
            report.error(Location(path, number, 1), f"a level-{depth} heading {after}: a heading level is never "
                         f"skipped; make it {'#' * (level + 1)} ({'#' * (level + 1)} {clip(title)})")
        if depth > 1:
            level = depth


def _unwritten(edition: EditionData, report: Report, where: Location, what: str, published: str | None = None) -> None:
    """What a draft may leave for later and publishing may not: a warning while the edition is a
    draft (its own pages list it too), an error once it is published (so `publish` refuses it).
    `what` names it ('a summary: ...'); `published`, where given, is the error's own words."""
    if edition.edition.status == "draft":
        report.warning(where, f"not yet written: {what}")
    else:
        report.error(where, published or f"a published edition needs {what}")


def _check_unwritten_edition(edition: EditionData, project: Project, report: Report) -> None:
    """The summary, a revision's change notes and a report's figures: written by the time it is published."""
    doc, e = edition.source.doc, edition.edition
    where = (lambda key: doc.where((key,)) if (key,) in doc.values else doc.where(("status",)))
    if e.summary is None:
        _unwritten(edition, report, where("summary"), "a summary: one or two sentences for the home page")
    if e.follows in project.editions and not e.change_notes and DOCUMENTS[edition.document].revisions:
        _unwritten(edition, report, where("change_notes"), "change notes: what this revision changes, in plain "
                   "English, one '- ' line each")
    budget = edition.singles.get("budget")
    missing = sorted(_missing_figures(budget.model), key=lambda path: budget.doc.where(path[:-1])) if budget else []
    if budget and missing and e.status == "draft":  # once for the file: a new year has all of them to fill in
        label = _value_at(budget.model, missing[0][:-1] + ("label",))
        _unwritten(edition, report, budget.doc.where(missing[0], key=True),
                   f"{plural(len(missing), 'figure')}, the first here ('{label}'); write each as printed")
    for path in missing if e.status == "published" else []:
        label = _value_at(budget.model, path[:-1] + ("label",))  # type: ignore[union-attr]
        # at its own key where it is there and blank, else at the line it belongs to
        report.error(budget.doc.where(path, key=True), f"'{label}' has no figure; a published report gives every "  # type: ignore[union-attr]
                     "figure as printed: add its amount (or, for a contribution, childrens or adults)")


def corrected_words(edition: EditionData, project: Project) -> Iterator[tuple[Location, str, bool]]:
    """Words a correction took out of an earlier edition, still in this later one: `correct` carries
    each correction into the drafts there are, but a draft started, merged or pasted from an older
    copy brings the words back. Each place, what to say of it, and whether it is a mistake (in an
    edition published after the correction) or a warning (in a draft). `check` and `review` read it."""
    for earlier in project.editions.values():
        if earlier.document != edition.document or earlier.id >= edition.id or earlier.edition.status != "published":
            continue
        for correction in earlier.edition.corrections:
            later = edition.edition.status == "draft" or (edition.edition.published or correction.date) >= correction.date
            for replaced in correction.replaced if later else []:
                rel = replaced.file.replace(f"/{earlier.id}/", f"/{edition.id}/", 1)
                found = holds_replaced(project.root / rel, replaced.before, replaced.after)
                if found is not None:
                    yield (Location(rel, *found), f"'{replaced.before}' was corrected in {earlier.id} on "
                           f"{long_date(correction.date)} ({inline(correction.what)}); write '{replaced.after}' here too, "
                           "as the correction did", edition.edition.status != "draft")


def _check_corrected_text(edition: EditionData, project: Project, report: Report) -> None:
    for where, message, mistake in corrected_words(edition, project):
        (report.error if mistake else report.warning)(where, message)


def _check_last_years_text(edition: EditionData, project: Project, report: Report) -> None:
    """A draft year's line that names last year's period and stands as it did in last year's report:
    left from last year, where it should speak of this one (new-edition moves on the titles it writes)."""
    if edition.edition.status != "draft" or DOCUMENTS[edition.document].revisions:
        return
    start = reporting_year(edition.id)[0].year - 1
    last = project.editions.get(f"{edition.document}/{start}-{(start + 1) % 100:02d}")
    if last is None:
        return
    names = re.compile(rf"\b(?:{start}|{start % 100:02d})\s*(?:/|-|–|to)\s*(?:{start + 1}|{(start + 1) % 100:02d})\b"
                       rf"|\b{start}\b.{{0,24}}\bto\b.{{0,24}}\b{start + 1}\b")
    for source in [edition.source, *edition.singles.values(), *(s for listed in edition.listed.values() for s in listed.sources.values()),
                   *[*edition.prose.values(), *edition.report_prose.values()]]:
        path = source.path
        then = project.root / path.replace(f"/{edition.id}/", f"/{last.id}/", 1)
        try:
            lines = (project.root / path).read_text(encoding="utf-8").split("\n")
            before = {line.strip() for line in then.read_text(encoding="utf-8").split("\n")} if then.is_file() else set()
        except (OSError, UnicodeDecodeError):
            continue  # a file that cannot be read has its own error
        for number, line in enumerate(lines, 1):
            found = names.search(line)
            if found and line.strip() in before and not line.lstrip().startswith("#"):
                report.warning(Location(path, number, found.start() + 1),
                               f"'{found.group(0)}' is last year's period, left as it was in {last.id}; write this "
                               f"year's ({edition.id.split('/')[1]}) if the line is about this year")


def _check_shared_changes(facts: Facts, report: Report) -> None:
    """A change to the glossary, the contacts or an organisation's name that changes what published
    editions show: said once, at the change, naming each edition, until recorded on them."""
    editions: dict[tuple[Location, str], list[str]] = {}
    for edition_id, changes in facts.shared_changes.items():
        for change in changes:
            editions.setdefault((change.where, change.describe()), []).append(edition_id)
    for (where, what), ids in editions.items():
        change = next(c for c in facts.shared_changes[ids[0]] if c.where == where and c.describe() == what)
        kind, _, name = change.key.partition(": ")
        fix = (f"record it as a correction, dated, as the pages show it now: mktogether correct {' '.join(ids)} "
               f"--what \"...\" --why \"...\"")
        if kind == "organisation" and change.before and change.after:
            printed = ", ".join(f"{i}: {change.before}" for i in ids)
            fix = f"to keep the name as printed, add to data/organisations/{name}.yml edition_names: {{{printed}}}; or {fix}"
        report.warning(where, f"{what}: this changes the pages of the published {join_and(ids)}; {fix}")


def _lock_hint(project: Project, edition: EditionData) -> str:
    """What to do with a change to a published edition, each command as it can be pasted."""
    correct = f"mktogether correct {edition.id} --what \"...\" --why \"...\""
    later = [e.id for e in project.editions.values() if e.document == edition.document and e.id > edition.id
             and e.edition.status == "draft"]
    if later:
        return (f"a published edition is a record: record this as a correction ({correct}), which makes it in the draft "
                f"{later[0]} too; or put it back and make the change in the draft {later[0]} alone")
    start = f"mktogether new-edition {next_edition_id(edition.document, project.edition_folders)} --from {edition.id}"
    return (f"a published edition is a record: record this as a correction ({correct}); or put it back and start a "
            f"new edition ({start})")


def _check_board(source: Source, report: Report) -> None:
    board = source.model
    doc = source.doc
    meetings = board.meetings  # type: ignore[attr-defined]
    if meetings and meetings.months and len(meetings.months) != meetings.per_year:
        report.warning(
            doc.where(("meetings", "months")),
            f"{len(meetings.months)} meeting months are listed but per_year is {meetings.per_year}; make them agree",
        )
    if meetings and meetings.months and len(set(meetings.months)) != len(meetings.months):
        report.warning(doc.where(("meetings", "months")), "a month is listed twice; list each meeting month once")
    if meetings:
        _check_frequency(meetings, doc, report)
    if sum(m.chair for m in board.members) > 1:  # type: ignore[attr-defined]
        report.warning(doc.where(("members",)), "more than one member is marked chair; mark one")
    if board.status == "suspended" and not board.status_note:  # type: ignore[attr-defined]
        report.warning(doc.where(("status",)), "a suspended board needs a status_note saying until when and what happens to its work")


_COUNTS = {word: n for n, word in enumerate(NUMBER_WORDS)} | {"once": 1, "twice": 2}


def _check_frequency(meetings: Any, doc: Any, report: Report) -> None:
    """The frequency sentence as printed against the meetings a year and the months given."""
    sentence = meetings.frequency.lower()
    count = re.search(r"\b(once|twice|\d+|" + "|".join(NUMBER_WORDS[1:]) + r")\b(?:\s+times)?", sentence)
    said = (int(count.group(1)) if count.group(1).isdigit() else _COUNTS.get(count.group(1))) if count else None
    if said is not None and said != meetings.per_year:
        report.warning(doc.where(("meetings", "frequency")), f"the frequency says {count.group(0)} a year but per_year is "
                       f"{meetings.per_year}; make them agree")
    found = [(m.start(), i + 1) for i, month in enumerate(MONTHS) for m in re.finditer(rf"\b{month.lower()}\b", sentence)]
    named = list(dict.fromkeys(n for _, n in sorted(found)))  # in the order the sentence names them
    if named and meetings.months and set(named) != set(meetings.months):
        report.warning(doc.where(("meetings", "frequency")), f"the frequency names {join_and([MONTHS[i - 1] for i in named])} "
                       f"but months lists {join_and([MONTHS[i - 1] for i in meetings.months])}; make them agree")


def _check_approval(edition: EditionData, facts: Facts, report: Report) -> None:
    """The approving board is one of the Handbook in force on the day; the approval is not after publication."""
    approval, approved = edition.edition.approval, facts.approvals.get(edition.id)
    if approval is None or approved is None:
        return
    doc, published = edition.source.doc, edition.edition.published
    if published and approval.date > published:
        report.error(doc.where(("approval", "date")), f"the approval, on {long_date(approval.date)}, is after the edition "
                     f"was published on {long_date(published)}; write the day the board approved it, on or before that")
    handbook = approved.handbook
    if handbook is None:
        report.error(doc.where(("approval", "board")), f"no edition of the Partnership Handbook was in force on "
                     f"{long_date(approval.date)} to name the board '{approval.board}'; check the day of the approval")
    elif approval.board not in _boards_there(handbook):
        report.error(doc.where(("approval", "board")), f"'{approval.board}' is not a board of the Partnership Handbook in "
                     f"force on {long_date(approval.date)} ({handbook.id})"
                     f"{_suggest(approval.board, handbook.boards) or '; its boards are: ' + ', '.join(handbook.boards)}")


def _boards_there(handbook: EditionData) -> set[str]:
    """A Handbook's boards, by id: those it lists and those with a file, broken or not (each has its own error)."""
    return set(handbook.edition.boards) | handbook.listed["boards"].files


def _check_owners(project: Project, facts: Facts, report: Report) -> None:
    """Each document's owner is a board of the Handbook in force."""
    handbook = facts.timeline.latest("handbook")
    for document, source in project.documents.items():
        owner = source.model.owner  # type: ignore[attr-defined]
        if handbook is not None and owner not in _boards_there(handbook):
            report.error(source.doc.where(("owner",)), f"'{owner}' is not a board of the Partnership Handbook in force "
                         f"({handbook.id}){_suggest(owner, handbook.boards) or '; its boards are: ' + ', '.join(handbook.boards)}")


REVIEW_NOTICE = dt.timedelta(days=60)  # how long before an edition's review is due `check` warns


def check_reviews(project: Project, facts: Facts, today: dt.date, report: Report) -> None:
    """Warnings of reviews due as of `today` (`mktogether check` alone: what is built never depends
    on the day it is built): each edition in force due for review within REVIEW_NOTICE, or overdue,
    and the accessibility statement a year after its last review."""
    _check_statement_review(project, today, report)
    for document in facts.timeline.published:
        edition = facts.timeline.latest(document)
        due = edition.edition.review_by if edition else None
        if edition is None or due is None or today < due - REVIEW_NOTICE:
            continue
        days = abs((due - today).days)
        when = (f"was due for review on {long_date(due)}, {plural(days, 'day')} ago" if today > due else
                f"is due for review on {long_date(due)}" + (", today" if days == 0 else f", in {plural(days, 'day')}"))
        drafts = [d.id for d in project.editions.values() if d.document == document and d.edition.status == "draft"]
        step = (f"publish {drafts[-1]} once it is approved" if drafts else
                f"start its successor: mktogether new-edition "
                f"{next_edition_id(document, set(project.editions), today)} --from {edition.id}")
        report.warning(edition.source.doc.where(("review_by",)),
                       f"the {DOCUMENTS[document].title} in force ({edition.id}) {when}; {step}")


def _check_period(edition: EditionData, report: Report) -> None:
    """A report's meetings and attendance columns fall within the year it covers."""
    start, end = edition.edition.covers_from or reporting_year(edition.id)[0], edition.edition.covers_to or reporting_year(edition.id)[1]
    source = edition.singles.get("attendance")
    for i, meeting in enumerate(source.model.meetings if source else []):  # type: ignore[attr-defined]
        if not (start.strftime("%Y-%m") <= meeting.month <= end.strftime("%Y-%m")):
            report.error(source.doc.where(("meetings", i, "month")),  # type: ignore[union-attr]
                         f"the meeting of {meeting.month} is outside the period this report covers, {long_date(start)} to "
                         f"{long_date(end)}; check the month")


def _check_published(edition: EditionData, project: Project, report: Report) -> None:
    """What a published edition must have; and, once recorded, that it has not changed since."""
    doc = edition.source.doc
    e = edition.edition
    if e.published is None:
        report.error(doc.where(("status",)), "a published edition needs the day it was published: published: YYYY-MM-DD")
    record = edition.singles.get("record")
    if record is None:
        return  # published before records were kept: `mktogether publish` records it
    if not record_intact(record.model) or record.model.edition != edition.id:  # type: ignore[attr-defined]
        report.error(Location(record.path), f"this record of what was published has been edited by hand; restore it "
                     f"as it was (git checkout -- {record.path}): only mktogether publish and correct write it")
        return
    for rel, line in sorted(changed_files(project.root, record.model).items()):
        if rel in project.unreadable or project.digests.get(rel) == "misnamed" or \
                rel.startswith("data/") and not rel.endswith(".yml"):
            continue  # a file that cannot be read, or is misnamed, has its own error: the one to mend first
        fix = _lock_hint(project, edition)
        published = long_date(e.published) if e.published else "its publication"
        if line is None:
            report.error(Location(edition.source.path), f"{rel} was published with {edition.id} on {published} "
                         f"and is gone; put it back: {fix}")
        else:
            report.error(Location(rel, line), f"{edition.id} was published on {published} and this file has changed "
                         f"since; {fix}")


def _missing_figures(budget: Any) -> list[tuple[Any, ...]]:
    paths: list[tuple[Any, ...]] = []
    for key in ("brought_forward", "contributions_line", "carried_forward"):
        if getattr(budget, key).amount is None:
            paths.append((key, "amount"))
    paths += [("expenditure", i, "amount") for i, line in enumerate(budget.expenditure) if line.amount is None]
    paths += [("contributions", i, "childrens") for i, c in enumerate(budget.contributions) if c.childrens is None and c.adults is None]
    return paths


def _check_annual_report(edition: EditionData, project: Project, facts: Facts, report: Report) -> None:
    """Reports, attendance and budget: their references, their shape and their printed figures."""
    # which Handbook was in force can't be told while one of them is broken (it has its own error)
    handbooks_known = all(f in project.editions for f in project.edition_folders if f.startswith("handbook/"))
    for ident, source in edition.listed["reports"].sources.items():
        _check_refs(source, project, edition, report)
        board_id = source.model.board  # type: ignore[attr-defined]
        if board_id and handbooks_known:
            handbook = facts.reports[edition.id].handbook
            known = handbook.boards if handbook else {}
            present = handbook.listed["boards"].files if handbook else set()  # a broken file has its own error
            if board_id not in known and board_id not in present:
                where = handbook.id if handbook else "no Handbook edition"
                report.error(source.doc.where(("board",)),
                             f"unknown board '{board_id}' in {where}, the Handbook in force{_suggest(board_id, present)}")
        if ident not in edition.report_prose and f"content/{edition.id}/reports/{ident}.md" not in project.unreadable:
            _unwritten(edition, report, source.doc.where(("id",)), f"the text of report '{ident}': create "
                       f"content/{edition.id}/reports/{ident}.md", f"report '{ident}' has no prose: create "
                       f"content/{edition.id}/reports/{ident}.md")

    attendance_source = edition.singles.get("attendance")
    if attendance_source:
        _check_refs(attendance_source, project, edition, report)
        attendance = attendance_source.model
        doc = attendance_source.doc
        boards = {b for e in project.editions.values() if e.document == "handbook" for b in e.listed["boards"].files}
        if handbooks_known and attendance.board not in boards:  # type: ignore[attr-defined]
            report.error(doc.where(("board",)), f"unknown board '{attendance.board}' in every Handbook edition"  # type: ignore[attr-defined]
                         f"{_suggest(attendance.board, boards)}")  # type: ignore[attr-defined]
            handbooks_known = False  # so its months are not reported too
        for i, meeting in enumerate(attendance.meetings if handbooks_known else []):  # type: ignore[attr-defined]
            handbook = facts.timeline.handbook_in_force(meeting.month)
            board = attendance.board  # type: ignore[attr-defined]
            if handbook is None or (board not in handbook.boards and board not in handbook.listed["boards"].files):
                report.error(doc.where(("meetings", i, "month")),
                             f"no Handbook edition in force in {meeting.month} has a board '{attendance.board}' "  # type: ignore[attr-defined]
                             "whose quorum rule applies; check the month and the board id")
        count = len(attendance.meetings)  # type: ignore[attr-defined]
        for i, row in enumerate(attendance.members):  # type: ignore[attr-defined]
            if len(row.marks) != count:
                message = f"{len(row.marks)} marks for '{row.label}', but there are {plural(count, 'meeting')}; give one mark a meeting"
                if len(row.marks) < count:  # the marks of a meeting just added
                    _unwritten(edition, report, doc.where(("members", i, "marks")),
                               f"{plural(count - len(row.marks), 'mark')} for '{row.label}' ({len(row.marks)} of "
                               f"{plural(count, 'meeting')} marked); give one mark a meeting", message)
                else:
                    report.error(doc.where(("members", i, "marks")), message)

    budget_source = edition.singles.get("budget")
    figures = facts.reports[edition.id].budget
    if budget_source and figures:
        _check_refs(budget_source, project, edition, report)
        for d in figures.disagreements:
            report.warning(budget_source.doc.where(d.path),
                           f"{d.what}: printed {money(d.printed)}, computed {money(d.computed)} from its lines, "
                           f"difference {money(d.difference)}; the printed figure is kept and the page notes the computed one")


# minutes and archived documents ---------------------------------------------------------

MEETING_FILE = re.compile(r"^data/meetings/([a-z0-9]+(?:-[a-z0-9]+)*)/([0-9]{4}-[0-9]{2}-[0-9]{2})\.yml$")


def _check_meeting(source: Source, report: Report) -> None:
    """What the model alone cannot see: the file's place, and facts that must agree."""
    path, doc = source.path, source.doc
    meeting: Meeting = source.model  # type: ignore[assignment]
    match = MEETING_FILE.match(path)
    if match is None:
        report.error(Location(path), "minutes go in data/meetings/<body-id>/<yyyy-mm-dd>.yml")
    else:
        folder, stem = match.groups()
        if folder != meeting.body.id:
            report.error(doc.where(("body", "id")), f"the body id '{meeting.body.id}' must match its folder, '{folder}'")
        if stem != meeting.date.isoformat():
            report.error(doc.where(("date",)), f"the date {meeting.date.isoformat()} must match the file's name, '{stem}.yml'")
    if meeting.close_time and meeting.close_time <= meeting.start_time:
        report.error(doc.where(("close_time",)), f"the meeting closes at {meeting.close_time:%H:%M}, not after it began at {meeting.start_time:%H:%M}")
    if meeting.next_meeting and meeting.next_meeting <= meeting.date:
        report.error(doc.where(("next_meeting",)), "the next meeting must come after this one")
    absent = {p.name for p in meeting.apologies}
    for key, people in meeting.people():
        for i, person in enumerate(people):
            named = person.deputy_for_name
            if named and named not in absent and named not in (person.deputy_for or ""):
                report.warning(
                    doc.where((key, i, "deputy_for_name")),
                    f"'{named}' is neither among the apologies nor in 'deputy_for'; write the name as the minutes print it",
                )
            if person.deputy_for_name and not person.deputy_for:
                report.warning(doc.where((key, i, "deputy_for_name")), "a deputy needs 'deputy_for' as printed, too")


def _check_archive_document(source: Source, report: Report) -> None:
    doc = source.doc
    document: ArchiveDocument = source.model  # type: ignore[assignment]
    stem = source.path.rsplit("/", 1)[-1].removesuffix(".yml")
    if document.id != stem:
        report.error(doc.where(("id",)), f"the id '{document.id}' must match the file's name, '{stem}.yml'")
