"""Starting, publishing and correcting editions, each kind as documents.py declares it.

`new_edition` starts a draft the way its kind needs; `publish` sets the status and date, derives
a revision's subtitle and records what was published (record.py); `correct` records a correction
to a published edition, with the words it replaced, and carries it into every later draft that
still holds them. Each command writes nothing when it refuses, and says why in one line.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
import shutil
import subprocess
import tempfile
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml

from .derive import Timeline, derive, shared_view
from .documents import DOCUMENTS, PROMPT, document_of, reporting_year, revision_subtitle
from .load import EditionData, Project, load_project
from .pipeline import check
from .record import SCHEMA_LINE, as_written, changed_files, holds_replaced, line_hashes, split_hashes, write_record
from .text import long_date


class Refused(Exception):
    """A command that cannot be done: its message is the one line the editor reads."""


# the commands --------------------------------------------------------------------------------

def _load(root: Path) -> Project:
    project, _ = load_project(root)
    return project


def _edition_yml(root: Path, edition_id: str) -> Path:
    path = root / "data" / edition_id / "edition.yml"
    if not path.is_file():
        raise Refused(f"there is no edition '{edition_id}' (no data/{edition_id}/edition.yml)")
    return path


def _set_keys(text: str, values: dict[str, str | None], after: str = "status") -> str:
    """Set top-level keys of a YAML file's text (None removes one), keeping every other line as it is."""
    lines = text.split("\n")
    out: list[str] = []
    skipping = False
    for line in lines:
        key = re.match(r"^([a-z_]+):", line)
        if skipping and (not key and (line.startswith((" ", "-")) or not line.strip())):
            continue
        skipping = False
        if key and key.group(1) in values:
            value = values[key.group(1)]
            skipping = True
            if value is not None:
                out.append(f"{key.group(1)}:{'' if value.startswith(chr(10)) else ' '}{value}")
            continue
        out.append(line)
    present = {m.group(1) for m in (re.match(r"^([a-z_]+):", line) for line in lines) if m}
    missing = [f"{k}:{'' if v.startswith(chr(10)) else ' '}{v}" for k, v in values.items() if v is not None and k not in present]
    if missing:
        at = next((i + 1 for i, line in enumerate(out) if line.startswith(f"{after}:")), len(out))
        out[at:at] = missing
    return "\n".join(out)


def _shift_years(text: str, years: int) -> str:
    """'2021/22', '21/22', '2021-2022' and '2021 - 2022' in a label, moved on by a number of years."""
    def shift(match: re.Match[str]) -> str:
        first, sep, second = match.group(1), match.group(2), match.group(3)
        a = int(first) + years
        b = int(second) + years
        return f"{a:0{len(first)}d}"[-len(first):] + sep + f"{b % (10 ** len(second)):0{len(second)}d}"
    return re.sub(r"\b(\d{2}|\d{4})(\s*[/-]\s*)(\d{2}|\d{4})\b", shift, text)


def new_edition(root: Path, new: str, source: str) -> list[str]:
    """Start a draft of `new` from `source`; the lines to print: what was made, what to fill in."""
    kind = document_of(new)
    if kind is None:
        raise Refused(f"'{new}' is not an edition id; write it like 'handbook/2022-04' or 'annual-report/2022-23'")
    problem = kind.check_id(new)
    if problem:
        raise Refused(problem)
    source_path = _edition_yml(root, source)
    if document_of(source) is not kind:
        raise Refused(f"'{source}' is an edition of another document; start a {kind.title} from one of its own editions")
    for folder in (root / "data" / new, root / "content" / new):
        if folder.exists():
            raise Refused(f"{folder.relative_to(root).as_posix()}/ exists already; an edition is never overwritten")
    project = _load(root)
    if source not in project.editions:
        raise Refused(f"data/{source}/edition.yml has an error; run mktogether check and mend it first")
    staging = Path(tempfile.mkdtemp(prefix=".new-edition-", dir=root))
    try:
        made = (_new_revision if kind.revisions else _new_year)(root, staging, project, new, source, source_path)
        for part in ("data", "content"):
            if (staging / part).is_dir():
                (root / part / new).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(staging / part), str(root / part / new))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return made


def _new_revision(root: Path, out: Path, project: Project, new: str, source: str, source_path: Path) -> list[str]:
    shutil.copytree(root / "data" / source, out / "data", ignore=shutil.ignore_patterns("record.yml"))
    if (root / "content" / source).is_dir():
        shutil.copytree(root / "content" / source, out / "content")
    text = _set_keys(source_path.read_text(encoding="utf-8"), {
        "id": new, "status": "draft", "follows": source, "subtitle": None, "published": None, "corrections": None,
        "approval": None, "in_force_from": None, "review_by": None,  # publish sets each anew
        "summary": "null  # one or two sentences on what this edition is, for the home page and its front page",
        "change_notes": "[]  # what this revision changes, in plain English, one '- ' line each",
    })
    (out / "data/edition.yml").write_text(text, encoding="utf-8")
    return [
        f"created data/{new}/ and content/{new}/: a draft revision of {source}, with its terms of reference and sections.",
        f"Next: write the summary and change_notes in data/{new}/edition.yml, then edit the boards and sections.",
        f"Preview it with `mktogether serve --drafts`; see what it changes with `mktogether diff {source} {new}`;",
        f"when it is approved: `mktogether publish {new} --date YYYY-MM-DD` (its subtitle comes from that date).",
    ]


def _dump(path: Path, schema: str, depth: int, comment: str, data: dict[str, Any]) -> None:
    """A data file of a new edition: its schema line (`depth` folders below the project's root
    where it will live), a comment on what to fill in, and the data in block style."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = SCHEMA_LINE.format("../" * depth, schema) + "".join(f"# {line}\n" for line in comment.split("\n"))
    path.write_text(text + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def _new_year(root: Path, out: Path, project: Project, new: str, source: str, source_path: Path) -> list[str]:
    old = project.editions[source]
    start, end = reporting_year(new)
    years = start.year - reporting_year(source)[0].year
    e = old.edition
    edition: dict[str, Any] = {
        "id": new,
        "title": _shift_years(e.title, years),
        **({"subtitle": e.subtitle} if e.subtitle else {}),
        "status": "draft",
        "period": f"{long_date(start)} to {long_date(end)}",
        "covers_from": start, "covers_to": end,
        "summary": None,
        "change_notes": [],
        "sections": [{**s.model_dump(exclude_defaults=True), "title": _shift_years(s.title, years)} for s in e.sections],
        "reports": list(e.reports),
    }
    data = out / "data"
    _dump(data / "edition.yml", "edition", 3,
          f"The {DOCUMENTS['annual-report'].title} for {long_date(start)} to {long_date(end)}: a draft.\n"
          "Fill in the summary (one or two sentences for the home page) and the signatories.", edition)
    for section in e.sections:
        before = (old.prose.get(section.id).text if section.id in old.prose else "")
        marker = "\n<!-- generated: boards -->\n" if "<!-- generated: boards -->" in before else ""
        prompt = f"{PROMPT} the {_shift_years(section.title, years).lower()} for {new.split('/')[1]}, in Markdown; headings start at ##.*\n"
        if section.kind == "prose" or before:
            (out / "content").mkdir(parents=True, exist_ok=True)
            (out / "content" / f"{section.id}.md").write_text(prompt + marker, encoding="utf-8")
    for report_id, report_source in old.listed["reports"].sources.items():
        report = report_source.model
        fields = report.model_dump(exclude_defaults=True)
        fields |= {k: _shift_years(fields[k], years) for k in ("title", "heading") if k in fields}
        _dump(data / "reports" / f"{report_id}.yml", "report", 4,
              "A highlight report expected this year: its text goes in the content file of the same name.", fields)
        (out / "content/reports").mkdir(parents=True, exist_ok=True)
        (out / "content/reports" / f"{report_id}.md").write_text(
            f"{PROMPT} the {fields['title']} highlight report for {new.split('/')[1]}, in Markdown.*\n", encoding="utf-8")
    if old.attendance:
        handbook = Timeline(project).handbook_in_force(start.strftime("%Y-%m"))
        board = handbook.boards.get(old.attendance.board) if handbook else None
        members = [{"label": m.label, **({"organisations": list(m.organisations)} if m.organisations else {}), "marks": []}
                   for m in (board.members if board else [])]
        _dump(data / "attendance.yml", "attendance", 3,
              f"Appendix A: attendance at the {board.name if board else old.attendance.board} in {new.split('/')[1]}.\n"
              f"Members are those of {handbook.id if handbook else 'the Handbook in force'} on {long_date(start)}: "
              "give each person who attends a row of their own,\n"
              "add each meeting under meetings (label as printed, month as YYYY-MM), and one mark a meeting to each row.",
              {"title": _shift_years(old.attendance.title, years), "board": old.attendance.board, "meetings": [],
               "members": members})
    if old.budget:
        b = old.budget

        def line(label: str) -> dict[str, Any]:
            return {"label": _shift_years(label, years)}

        _dump(data / "budget.yml", "budget", 3,
              "Appendix B: last year's lines, with no figures yet. Write each figure as printed, in whole pounds;\n"
              "contributions are credits, so negative. The site computes the totals and notes any that disagree.",
              {"contributions_title": _shift_years(b.contributions_title, years),
               "contributions": [{"label": c.label, **({"organisations": list(c.organisations)} if c.organisations else {})}
                                 for c in b.contributions],
               "position_title": _shift_years(b.position_title, years),
               "actuals_label": _shift_years(b.actuals_label, years),
               "brought_forward": line(b.brought_forward.label), "contributions_line": line(b.contributions_line.label),
               "expenditure": [line(x.label) for x in b.expenditure], "carried_forward": line(b.carried_forward.label)})
    return [
        f"created data/{new}/ and content/{new}/: the {DOCUMENTS['annual-report'].title} for {long_date(start)} "
        f"to {long_date(end)}, a draft.",
        f"Next: the summary in data/{new}/edition.yml; each section's text in content/{new}/; each highlight report's text "
        f"in content/{new}/reports/; meetings and marks in attendance.yml; figures in budget.yml.",
        f"Preview it with `mktogether serve --drafts`; when it is approved: `mktogether publish {new} --date YYYY-MM-DD`.",
    ]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day so many months on; the month's last day where it is shorter (31 January + 1: 28 or 29 February)."""
    years, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def publish(root: Path, edition_id: str, date: dt.date, approved_by: str | None = None, minute: str | None = None,
            approved_on: dt.date | None = None, review_by: dt.date | None = None,
            in_force_from: dt.date | None = None) -> list[str]:
    """Publish a draft on `date`: its status and date, a revision's subtitle, its approval (the board,
    the day, default `date`, and the minute), its next review (`review_by`, or its document's
    interval from the day it comes into force), the day it comes into force where that is later
    (`in_force_from`), and the record of what was published."""
    path = _edition_yml(root, edition_id)
    project = _load(root)
    edition = project.editions.get(edition_id)
    if edition is None:
        raise Refused(f"data/{edition_id}/edition.yml has an error; run mktogether check and mend it first")
    if edition.edition.status == "published":
        if "record" in edition.singles:
            raise Refused(f"{edition_id} was published on {long_date(edition.edition.published)}; a published edition is "
                          f"a record: start a new edition, or record a correction with mktogether correct")
        _record(root, project, edition_id, edition.edition.published)  # type: ignore[arg-type]  # published before records were kept
        return [f"recorded {edition_id} as published on {long_date(edition.edition.published)}: data/{edition_id}/record.yml"]
    kind = DOCUMENTS[edition.document]
    earlier = project.editions.get(edition.edition.follows or "")
    if earlier and earlier.edition.published and date <= earlier.edition.published:
        raise Refused(f"{edition_id} follows {earlier.id}, published on {long_date(earlier.edition.published)}; "
                      "publish it on a later date")
    values = {"status": "published", "published": date.isoformat()}
    if kind.revisions and edition.edition.follows:
        values["subtitle"] = revision_subtitle(date)
    if approved_by is not None and minute is not None:
        if _says_nothing(minute):
            raise Refused(f"--minute \"{minute}\" says nothing; give the minute as the board's minutes number it, "
                          "such as --minute 6")
        approval = {"board": approved_by, "date": approved_on or date, "minute": minute}
        values["approval"] = "\n" + yaml.safe_dump(approval, sort_keys=False, allow_unicode=True, width=100,
                                                   indent=2).rstrip("\n").replace("\n", "\n  ").join(["  ", ""])
    if in_force_from is not None:
        values["in_force_from"] = in_force_from.isoformat()
    policy = project.documents.get(edition.document)
    months = policy.model.review_months if policy else None  # type: ignore[attr-defined]
    if review_by or months:
        values["review_by"] = (review_by or add_months(in_force_from or date, months)).isoformat()  # type: ignore[arg-type]
    original = path.read_text(encoding="utf-8")
    path.write_text(_set_keys(original, values), encoding="utf-8")
    project, _, report = check(root)  # as published: what a draft may leave unwritten is now an error
    problems = [d for d in report.errors if d.location.path.startswith((f"data/{edition_id}/", f"content/{edition_id}/"))]
    problems += [d for d in report.errors if d not in problems]
    if problems:
        path.write_text(original, encoding="utf-8")
        raise Refused(f"it cannot be published while the project has {len(problems)} error{'s' * (len(problems) != 1)}; "
                      "nothing was written:\n" + "\n".join(str(d) for d in sorted(problems)))
    _record(root, project, edition_id, date)
    approved = derive(project).approvals.get(edition_id)
    done = [f"published {edition_id} on {long_date(date)}"
            + (f", subtitled '{values['subtitle']}'" if "subtitle" in values else "")
            + (f"; {approved.said()[0].lower()}{approved.said()[1:]}" if approved else "")
            + (f"; next review due by {long_date(dt.date.fromisoformat(values['review_by']))}" if "review_by" in values else "")
            + f"; recorded what was published in data/{edition_id}/record.yml."]
    if kind.revisions and earlier and in_force_from and in_force_from > dt.date.today():
        done.append(f"{earlier.id} stays in force until {long_date(in_force_from)}, when {edition_id} comes into force: "
                    f"a build for that day or after (the publish workflow builds daily; mktogether build --as-of "
                    f"{in_force_from.isoformat()}) shows it at /{edition.document}/.")
    elif kind.revisions and earlier:
        done.append(f"{earlier.id} is now superseded; /{edition.document}/ shows {edition_id}.")
    return done


def _record(root: Path, project: Project, edition_id: str, published: dt.date) -> None:
    """What was published, with what its pages show of the shared files as they are now."""
    view = shared_view(project, project.editions[edition_id])
    write_record(root, edition_id, published, {key: shown.value for key, shown in sorted(view.items())})


def _says_nothing(text: str) -> bool:
    return not re.sub(r"[\s.…'\"]", "", text)


def correct(root: Path, edition_id: str, what: str, why: str, date: dt.date | None = None) -> list[str]:
    """Record a correction made to a published edition (today, unless `date` is given), with the
    words it replaced; and make the same change in every later draft that still holds them."""
    date = date or dt.date.today()
    for option, text, example in (("what", what, "\"'the partnership is works' now reads 'the partnership works'.\""),
                                  ("why", why, "\"A typing error in the published edition.\"")):
        if _says_nothing(text):
            raise Refused(f"--{option} \"{text}\" says nothing; say it in a sentence, such as --{option} {example} "
                          "(the pages it corrects print it)")
    path = _edition_yml(root, edition_id)
    project = _load(root)
    edition = project.editions.get(edition_id)
    record = edition.singles.get("record") if edition else None
    if edition is None or edition.edition.status != "published" or record is None:
        raise Refused(f"{edition_id} is not a published edition with a record; only a published edition is corrected")
    changed = sorted(f for f in changed_files(root, record.model) if f != f"data/{edition_id}/edition.yml")
    shared = derive(project).shared_changes.get(edition_id, [])
    if not changed and not shared:
        raise Refused(f"nothing in {edition_id} has changed since it was published; make the correction in its files, "
                      "then record it")
    replaced = _replacements(root, project, edition, record.model, changed)
    files = sorted({*changed, *(c.where.path for c in shared)})
    entry = yaml.safe_dump([{"date": date, "what": what, "why": why, "files": files,
                             **({"replaced": replaced} if replaced else {})}],
                           sort_keys=False, allow_unicode=True, width=100)
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    if re.search(r"^corrections:", text, re.M):
        text = re.sub(r"^corrections: \[\]\n?", "corrections:\n", text, flags=re.M)
        lines = text.split("\n")
        start = next(i for i, line in enumerate(lines) if line.startswith("corrections:"))
        end = next((i for i in range(start + 1, len(lines)) if re.match(r"^[a-z_]+:", lines[i])), len(lines))
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        lines[end:end] = ["  " + line if line else line for line in entry.rstrip("\n").split("\n")]
        text = "\n".join(lines)
    else:
        text += "corrections:\n" + "".join(f"  {line}\n" for line in entry.rstrip("\n").split("\n"))
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    carried, changed_since = _carry_forward(root, project, edition, replaced)
    _record(root, _load(root), edition_id, edition.edition.published)  # type: ignore[arg-type]
    pages = "the pages it corrects say so" + (", and so does its What changed page"
                                              if DOCUMENTS[edition.document].revisions and edition.edition.follows else
                                              ", and so does its front page")
    done = [f"recorded a correction to {edition_id} on {long_date(date)} ({', '.join(files)}); {pages}."]
    for draft, rels in carried.items():
        done.append(f"made the same correction in the draft {draft}: {', '.join(rels)}.")
    for rel in changed_since:
        done.append(f"{rel} has changed there since: read it, and correct it there too if it still needs it.")
    return done


# the words a correction replaced, and later drafts ---------------------------------------------------------

CONTEXT_WORDS = 2  # words kept either side of a change, so that the words are found again, and only there


def _later_drafts(project: Project, edition: EditionData) -> list[EditionData]:
    return [e for e in project.editions.values()
            if e.document == edition.document and e.id > edition.id and e.edition.status == "draft"]


def _published_lines(root: Path, rel: str, kept: Any, elsewhere: list[Path]) -> list[str | None]:
    """The file's lines as published, each where it can be found: in a later draft's copy of the file,
    or in the file's git history. The record keeps only a hash of each line."""
    candidates = [as_written(p) for p in elsewhere if p.is_file()]
    try:
        log = subprocess.run(["git", "-C", str(root), "log", "-n", "20", "--format=%H", "--", rel],
                             capture_output=True, text=True, timeout=60)
        for commit in log.stdout.split() if log.returncode == 0 else []:
            shown = subprocess.run(["git", "-C", str(root), "show", f"{commit}:./{rel}"], capture_output=True, timeout=60)
            if shown.returncode == 0:
                candidates.append(as_written(shown.stdout))
    except (OSError, subprocess.SubprocessError):
        pass  # no git: the drafts alone
    known: dict[str, bytes] = {}
    for data in candidates:
        if hashlib.sha256(data).hexdigest() == kept.sha256:
            return [line.decode("utf-8", "replace") for line in data.split(b"\n")]
        known |= {line_hashes(line): line for line in data.split(b"\n")}
    return [known[h].decode("utf-8", "replace") if h in known else None for h in split_hashes(kept.lines)]


def _replacements(root: Path, project: Project, edition: EditionData, record: Any, changed: list[str]) -> list[dict[str, str]]:
    """The words each changed file had as published and has now, a few words either side."""
    found: list[dict[str, str]] = []
    drafts = _later_drafts(project, edition)
    for rel in changed:
        kept, path = record.files.get(rel), root / rel
        if kept is None or not path.is_file():
            continue  # a file added or taken away: no words replaced
        data = as_written(path)
        new = [line.decode("utf-8", "replace") for line in data.split(b"\n")]
        old = _published_lines(root, rel, kept, [root / rel.replace(f"/{edition.id}/", f"/{d.id}/", 1) for d in drafts])
        opcodes = SequenceMatcher(a=split_hashes(kept.lines), b=split_hashes(line_hashes(data)), autojunk=False).get_opcodes()
        whole = "\n".join(line or "" for tag, i1, i2, j1, j2 in opcodes for line in (new[j1:j2] if tag == "equal" else old[i1:i2]))
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal" or any(line is None for line in old[i1:i2]):
                continue  # the words as published are nowhere to be found: the record keeps hashes only
            above, below = new[max(j1 - 1, 0):j1], new[j2:j2 + 1]  # a line either side, the same in both
            before = "\n".join([*above, *old[i1:i2], *below])  # type: ignore[list-item]
            after = "\n".join([*above, *new[j1:j2], *below])
            found += [{"file": rel, "before": x, "after": y} for x, y in _words_replaced(before, after, whole)]
    return found


def _words_replaced(old: str, new: str, whole: str) -> list[tuple[str, str]]:
    """Each run of words that differs, with CONTEXT_WORDS words either side, or more where those
    are not enough to find it once in the file as published (`whole`)."""
    a, b = re.findall(r"\w+|\s+|[^\w\s]", old), re.findall(r"\w+|\s+|[^\w\s]", new)
    runs: list[list[int]] = []
    for tag, a1, a2, b1, b2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if runs and a1 - runs[-1][1] <= 2 * CONTEXT_WORDS * 2:
            runs[-1][1], runs[-1][3] = a2, b2
        else:
            runs.append([a1, a2, b1, b2])
    pairs = []
    for a1, a2, b1, b2 in runs:
        for words in range(CONTEXT_WORDS, 40):
            left, right = _words_back(a, a1, words), _words_on(a, a2, words)
            while left and not a[a1 - left][0].isalnum():  # the context starts and ends with a word
                left -= 1
            while right and not a[a2 + right - 1][0].isalnum():
                right -= 1
            before = "".join(a[a1 - left:a2 + right]).strip()
            after = "".join(b[b1 - left:b2 + right]).strip()
            if before and whole.count(before) <= 1:
                break
        if before and before != after:
            pairs.append((before, after))
    return pairs


def _ends(tokens: list[str], at: int) -> bool:
    """Whether a line or a sentence ends before the token at `at`."""
    return "\n" in tokens[at] or at > 0 and tokens[at][0].isspace() and tokens[at - 1] in (".", "!", "?")


def _words_back(tokens: list[str], at: int, words: int) -> int:
    """How many tokens before `at` hold that many words, within the line and the sentence."""
    n = 0
    while at - n > 0 and words > 0 and not _ends(tokens, at - n - 1):
        n += 1
        words -= tokens[at - n][0].isalnum()
    return n


def _words_on(tokens: list[str], at: int, words: int) -> int:
    """How many tokens from `at` on hold that many words, within the line and the sentence."""
    n = 0
    while at + n < len(tokens) and words > 0 and not _ends(tokens, at + n):
        words -= tokens[at + n][0].isalnum()
        n += 1
    return n


def _carry_forward(root: Path, project: Project, edition: EditionData,
                   replaced: list[dict[str, str]]) -> tuple[dict[str, list[str]], list[str]]:
    """The same change in every later draft that still holds the words as published; and, in a
    revision begun as a copy, each file whose words there have changed since, to read by hand."""
    carried: dict[str, list[str]] = {}
    changed: list[str] = []
    for draft in _later_drafts(project, edition):
        for r in replaced:
            rel = r["file"].replace(f"/{edition.id}/", f"/{draft.id}/", 1)
            path = root / rel
            if holds_replaced(path, r["before"], r["after"]) is None:
                if DOCUMENTS[draft.document].revisions and path.is_file() and r["after"] not in path.read_text(encoding="utf-8"):
                    changed.append(f"{rel} (where it read '{r['before']}')")
                continue
            text = path.read_bytes().decode("utf-8")
            pieces = text.split(r["after"]) if r["before"] in r["after"] else [text]  # never inside the words as corrected
            path.write_bytes(r["after"].join(p.replace(r["before"], r["after"]) for p in pieces).encode("utf-8"))
            if rel not in carried.setdefault(draft.id, []):
                carried[draft.id].append(rel)
    return carried, changed
