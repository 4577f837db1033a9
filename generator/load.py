"""Load every data and content file of a project into one validated Project.

Which kind of data file a path holds is decided here once (`data_kind`); cross-references are
checked afterwards by checks.py."""
from __future__ import annotations

import difflib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .diagnostics import Diagnostic, Location, Report
from .memo import Memo, digest
from .models import SCHEMAS, AccessibilityStatement, Attendance, Board, Budget, Contacts, Edition, Glossary, HighlightReport, Organisation
from .validate import validate
from .yamlload import HIDDEN_CHARACTER, YamlDocument, hidden_characters, load_yaml

MAX_FILE_BYTES = 1_000_000
PROJECT_PARTS = ("mkdocs.yml", "data", "content", "templates", "schema")  # what a project is, besides its code
EDITION_DIR = re.compile(r"^(handbook|annual-report)/[0-9]{4}-[0-9]{2}$")


@dataclass
class Source:
    """A validated data file and the YAML it came from, for locating its values."""

    path: str
    doc: YamlDocument
    model: BaseModel
    digest: str = ""  # of the file's bytes


@dataclass
class Prose:
    """A Markdown file of content/."""

    path: str
    text: str


def _model(singles: dict[str, Source], name: str) -> Any:
    """The model of a file there is at most one of (budget.yml, glossary.yml ...), if present."""
    source = singles.get(name)
    return source.model if source else None


@dataclass
class Listed:
    """The files of one kind an edition lists by id (boards, reports), in the edition's order."""

    models: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)  # every <id>.yml present, valid or not


@dataclass
class EditionData:
    edition: Edition
    source: Source
    listed: dict[str, Listed] = field(default_factory=lambda: {"boards": Listed(), "reports": Listed()})
    singles: dict[str, Source] = field(default_factory=dict)  # attendance, budget
    prose: dict[str, Prose] = field(default_factory=dict)  # by section id
    report_prose: dict[str, Prose] = field(default_factory=dict)  # by report id

    @property
    def id(self) -> str:
        return self.edition.id

    @property
    def document(self) -> str:
        return self.edition.id.split("/")[0]

    @property
    def boards(self) -> dict[str, Board]:
        return self.listed["boards"].models

    @property
    def board_sources(self) -> dict[str, Source]:
        return self.listed["boards"].sources

    @property
    def reports(self) -> dict[str, HighlightReport]:
        return self.listed["reports"].models

    @property
    def attendance(self) -> Attendance | None:
        return _model(self.singles, "attendance")

    @property
    def budget(self) -> Budget | None:
        return _model(self.singles, "budget")

    def digest(self) -> str:
        """Of everything the edition is made of: the same digest, the same edition."""
        sources = [self.source, *self.singles.values(), *(s for listed in self.listed.values() for s in listed.sources.values())]
        return digest(*(s.path + s.digest for s in sources),
                      *(p.path + p.text for p in [*self.prose.values(), *self.report_prose.values()]))


@dataclass
class Project:
    root: Path
    organisations: dict[str, Organisation] = field(default_factory=dict)
    organisation_sources: dict[str, Source] = field(default_factory=dict)
    editions: dict[str, EditionData] = field(default_factory=dict)
    pages: dict[str, Prose] = field(default_factory=dict)  # top-level content pages by name ("index", ...)
    edition_folders: set[str] = field(default_factory=set)  # every folder with an edition.yml, valid or not
    # a file that fails to load still counts as present for references: its id is its file name
    organisation_files: set[str] = field(default_factory=set)
    unplaced_prose: list[Prose] = field(default_factory=list)  # prose of an edition whose edition.yml is broken
    unreadable: set[str] = field(default_factory=set)  # files that are there but cannot be read (not UTF-8)
    singles: dict[str, Source] = field(default_factory=dict)  # contacts, glossary, accessibility
    meetings: list[Source] = field(default_factory=list)  # minutes, by date
    archive: dict[str, Source] = field(default_factory=dict)  # archived documents, by id
    archive_prose: dict[str, Prose] = field(default_factory=dict)
    documents: dict[str, Source] = field(default_factory=dict)  # each document's owner and review interval, by kind
    # every file read, by path: a digest of its content (of its name, for files published as they
    # are); what a page or a check read is named by these in memo.py's keys
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def contacts(self) -> Contacts | None:
        return _model(self.singles, "contacts")

    def sources(self) -> list[Source]:
        """Every data file that loaded."""
        found = [*self.organisation_sources.values(), *self.singles.values(), *self.documents.values(), *self.meetings,
                 *self.archive.values()]
        for edition in self.editions.values():
            found += [edition.source, *edition.singles.values()]
            found += [s for listed in edition.listed.values() for s in listed.sources.values()]
        return found

    @property
    def glossary(self) -> Glossary | None:
        return _model(self.singles, "glossary")

    @property
    def accessibility(self) -> AccessibilityStatement | None:
        return _model(self.singles, "accessibility")


def copy_project(source: Path, dest: Path, fallback: Path | None = None) -> Path:
    """A copy of a project's own files, each part from `source`, or else from `fallback`."""
    dest.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = source / part if (source / part).exists() or fallback is None else fallback / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / part)
    return dest


def read_text(path: Path, rel: str, report: Report, data: bytes | None = None) -> str | None:
    """Read a file as UTF-8, reporting where it is not, or when it is too large to be one thing."""
    data = path.read_bytes() if data is None else data
    if len(data) > MAX_FILE_BYTES:
        report.error(
            Location(rel),
            f"the file is {len(data):,} bytes, more than the {MAX_FILE_BYTES:,} allowed; "
            "keep one thing per file and split it",
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        report.error(
            Location(rel, line, col),
            f"byte 0x{data[exc.start]:02x} is not UTF-8 text; save the file as UTF-8 "
            "(in most editors: Save with encoding, UTF-8)",
        )
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n")


_loaded: Memo[tuple[Source | None, list[Diagnostic], bool]] = Memo("load")


def _load_model(project: Project, path: Path, rel: str, model: type[BaseModel], report: Report) -> Source | None:
    """A data file read, parsed and validated; the same bytes again are not parsed again."""
    data = path.read_bytes()
    project.digests[rel] = digest(data)

    def parse() -> tuple[Source | None, list[Diagnostic], bool]:
        own = Report()
        text = read_text(path, rel, own, data)
        return (_parse_model(text, rel, model, own, project.digests[rel]) if text is not None else None), own.items, \
            text is not None

    source, items, readable = _loaded.get((rel, model.__name__, project.digests[rel]), parse)
    report.items.extend(items)
    if not readable:
        project.unreadable.add(rel)  # counts as there: its own error says why it cannot be read
    return source


def _parse_model(text: str, rel: str, model: type[BaseModel], report: Report, key: str) -> Source | None:
    doc = load_yaml(text, rel, report)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        report.error(Location(rel), f"the file must be a set of 'key: value' lines describing one {model.__name__.lower()}")
        return None
    value = validate(doc, model, report)
    return Source(rel, doc, value, key) if value is not None else None


def yml_name(name: str) -> str | None:
    """The name a data file was meant to have, where it was meant to be YAML: risk.yml for risk.yaml,
    risk.YML, risk.yml.txt or risk.yml.bak."""
    match = re.match(r"^(.+?)\.ya?ml(\.[^.]+)?$", name, re.IGNORECASE)
    return f"{match.group(1)}.yml" if match else None


def data_kind(parts: tuple[str, ...]) -> str | None:
    """The kind of data file (a key of models.SCHEMAS) at a path under data/, given as its parts."""
    if not parts[-1].endswith(".yml"):
        return None
    folder = "/".join(parts[:2])
    if len(parts) == 2 and parts[0] == "organisations":
        return "organisation"
    if len(parts) == 2 and parts[0] == "archive":
        return "archive-document"
    if len(parts) == 3 and parts[0] == "meetings":
        return "meeting"
    if len(parts) == 2 and parts[1] == "document.yml" and EDITION_DIR.match(f"{parts[0]}/2000-01"):
        return "document"
    if len(parts) == 1 and parts[0] in ("contacts.yml", "glossary.yml", "accessibility.yml"):
        return parts[0][: -len(".yml")]
    if EDITION_DIR.match(folder) and len(parts) == 3 and parts[2] in ("edition.yml", "attendance.yml", "budget.yml", "record.yml"):
        return parts[2][: -len(".yml")]
    if EDITION_DIR.match(folder) and len(parts) == 4 and parts[2] in ("boards", "reports"):
        return parts[2][:-1]
    return None


def _where_data_goes() -> str:
    return (
        "data files go in data/organisations/<id>.yml, data/contacts.yml, data/glossary.yml, data/accessibility.yml, "
        "data/<handbook|annual-report>/document.yml, "
        "data/<handbook|annual-report>/<yyyy-mm>/edition.yml, attendance.yml or budget.yml, "
        "or data/<handbook|annual-report>/<yyyy-mm>/boards|reports/<id>.yml; minutes in "
        "data/meetings/<body-id>/<yyyy-mm-dd>.yml, archived documents in data/archive/<id>.yml"
    )


def load_project(root: Path) -> tuple[Project, Report]:
    """Load and validate every file; cross-references are checked by checks.check_project."""
    report = Report()
    project = Project(root=root)
    data_dir, content_dir = root / "data", root / "content"
    if not data_dir.is_dir():
        report.error(Location("data"), "there is no data/ folder; run mktogether from the project's root")
        return project, report

    per_edition: list[tuple[str, str, Path | None, str]] = []  # (folder, kind, path, rel) once editions are known
    for path in _files(data_dir, root, report):
        rel = path.relative_to(root).as_posix()
        parts = path.relative_to(data_dir).parts
        meant = yml_name(path.name)
        if meant and meant != path.name:  # risk.yaml, risk.YML, risk.yml.txt: there, by the name it was meant to have
            report.error(Location(rel), f"data files end in .yml: rename this file to {meant}")
            parts = parts[:-1] + (meant,)
            rel = (path.parent / meant).relative_to(root).as_posix()
            project.digests[rel] = "misnamed"  # counts as there, as a file that fails to load does
            path = None  # type: ignore[assignment]
        kind = data_kind(parts)
        folder = "/".join(parts[:2])
        stem = Path(parts[-1]).stem
        if kind == "organisation":
            project.organisation_files.add(stem)
        if path is None:
            if kind == "edition":
                project.edition_folders.add(folder)
            elif kind in ("attendance", "budget", "record", "board", "report"):
                per_edition.append((folder, kind, None, rel))
        elif path.suffix != ".yml":
            report.error(Location(rel), "only .yml files belong in data/; move this file out")
        elif kind is None:
            report.error(Location(rel), f"this file is in the wrong folder; {_where_data_goes()}")
        elif kind == "edition":
            project.edition_folders.add(folder)
            source = _load_model(project, path, rel, Edition, report)
            if source:
                if source.model.id != folder:  # type: ignore[attr-defined]
                    report.error(source.doc.where(("id",)), f"the edition id '{source.model.id}' must match its folder, '{folder}'")  # type: ignore[attr-defined]
                project.editions[folder] = EditionData(source.model.model_copy(update={"id": folder}), source)  # type: ignore[arg-type]
        elif kind in ("attendance", "budget", "record", "board", "report"):
            per_edition.append((folder, kind, path, rel))
        else:
            source = _load_model(project, path, rel, SCHEMAS[kind], report)
            if source is None:
                continue
            if kind == "organisation":
                _add_unique(project.organisation_sources, source, "organisation", report)
            elif kind == "meeting":
                project.meetings.append(source)
            elif kind == "archive-document":
                project.archive[source.model.id] = source  # type: ignore[attr-defined]
            elif kind == "document":
                project.documents[parts[0]] = source
            else:
                project.singles[kind] = source

    project.organisations = {k: s.model for k, s in sorted(project.organisation_sources.items())}  # type: ignore[misc]
    project.meetings.sort(key=lambda s: (s.model.date, s.model.body.id))  # type: ignore[attr-defined]
    loaded: dict[tuple[str, str], list[Source]] = {}
    for folder, kind, path, rel in per_edition:
        edition = project.editions.get(folder)
        listed = kind + "s" if kind in ("board", "report") else None
        if listed and edition is not None:
            edition.listed[listed].files.add(Path(rel).stem)
        if path is None:
            continue  # misnamed: its own error says so
        source = _load_model(project, path, rel, SCHEMAS[kind], report)
        if source is None or (edition is None and folder in project.edition_folders):
            continue  # a broken file has said so; so has a broken edition.yml, and its files are checked alone
        if edition is None:
            report.error(Location(rel), f"there is no data/{folder}/edition.yml for this file's edition; create it")
        elif listed is None:
            edition.singles[kind] = source
        else:
            loaded.setdefault((folder, listed), []).append(source)
    for (folder, what), sources in loaded.items():
        _add_listed(project.editions[folder], what, sources, report)
    project.editions = dict(sorted(project.editions.items()))

    if content_dir.is_dir():
        _load_content(project, content_dir, report)
    return project, report


# What operating systems and editors leave beside the files they open: Finder's .DS_Store and ._
# forks, Windows' Thumbs.db and desktop.ini, Office's ~$ lock files, LibreOffice's .~lock.*#, vim's
# .swp and the ~ backups of many editors. Never data, never prose, never published.
JUNK = re.compile(r"^(\.DS_Store|\._.*|Thumbs\.db|desktop\.ini|~\$.*|\.~lock\..*#|.*\.sw[po]|.*~)$", re.IGNORECASE)


def is_junk(path: str | Path) -> bool:
    """A file an operating system or an editor left, which the project ignores."""
    return bool(JUNK.match(Path(path).name))


def _files(folder: Path, root: Path, report: Report) -> list[Path]:
    """Every file under a folder, in order, but those the system left; a link to a file outside the
    project is refused."""
    files = []
    real_root = root.resolve()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not is_junk(p)):
        if not path.resolve().is_relative_to(real_root):
            report.error(Location(path.relative_to(root).as_posix()),
                         "this file is a link to a file outside the project; copy the file in instead")
            continue
        files.append(path)
    return files


def _add_unique(into: dict[str, Source], source: Source, kind: str, report: Report) -> None:
    """Keep a file under its id, which is its file name: so ids are unique, and a file that fails
    to load is still known by its name."""
    ident, stem = source.model.id, Path(source.path).stem  # type: ignore[attr-defined]
    if ident != stem:
        report.error(source.doc.where(("id",)), f"the {kind} id '{ident}' must match the file's name, "
                     f"'{stem}.yml'; an id is never changed, so correct the id (or, for a new {kind}, rename the file)")
        return
    into[ident] = source


def _add_listed(edition: EditionData, what: str, sources: list[Source], report: Report) -> None:
    """Keep the files the edition lists, in its order; a file it does not list is an error."""
    kind = what[:-1]  # boards -> board
    found: dict[str, Source] = {}
    for s in sources:
        _add_unique(found, s, kind, report)
    listed = getattr(edition.edition, what)
    target = edition.listed[what]
    for ident in listed:
        if ident in found:
            target.sources[ident] = found[ident]
            target.models[ident] = found[ident].model
    unknown = [i for i in listed if i not in target.files]  # listed ids with no file: errors of the list
    for ident, s in found.items():
        if ident not in listed and not difflib.get_close_matches(ident, unknown, n=1):
            report.error(  # at the list, where the editor adds it (or else deletes the file)
                edition.source.doc.where((what,), key=True),
                f"{s.path} is not in this list; add '- {ident}' where the document prints it, or delete that file",
            )


def _load_content(project: Project, content_dir: Path, report: Report) -> None:
    seen_data = {p.relative_to(project.root).as_posix() for p in (project.root / "data").rglob("*.yml")}
    seen_data |= {rel for rel, kept in project.digests.items() if kept == "misnamed"}
    for path in _files(content_dir, project.root, report):
        rel = path.relative_to(project.root).as_posix()
        parts = path.relative_to(content_dir).parts
        if path.suffix != ".md":
            project.digests[rel] = "published as it is"  # images and other files: what prose may link to
            continue
        text = read_text(path, rel, report)
        if text is None:
            project.unreadable.add(rel)  # counts as there: its own error says why it cannot be read
            continue
        project.digests[rel] = digest(text)
        hidden = hidden_characters(text)
        if hidden:
            line, col, what = hidden
            report.error(Location(rel, line, col), HIDDEN_CHARACTER.format(what))
        if len(parts) == 1:
            project.pages[path.stem] = Prose(rel, text)
            continue
        if len(parts) == 2 and parts[0] == "archive":  # content/archive/<id>.md, the prose of data/archive/<id>.yml
            if path.stem not in project.archive and f"data/archive/{path.stem}.yml" not in seen_data:
                report.error(Location(rel), f"there is no data/archive/{path.stem}.yml for this prose; create it, or rename this file")
                continue
            project.archive_prose[path.stem] = Prose(rel, text)
            continue
        folder = "/".join(parts[:2])
        edition = project.editions.get(folder)
        if len(parts) in (3, 4) and edition is None and folder in project.edition_folders:
            project.unplaced_prose.append(Prose(rel, text))  # its edition.yml is broken and has said so
            continue
        if len(parts) == 4 and parts[2] == "reports" and edition is not None:
            if path.stem not in edition.edition.reports:
                report.error(  # at the list, where the editor adds it (or else deletes the file)
                    edition.source.doc.where(("reports",), key=True),
                    f"{rel} is the prose of no report in this list; add '- {path.stem}' where the document prints it, "
                    "or rename or delete that file",
                )
            else:
                edition.report_prose[path.stem] = Prose(rel, text)
            continue
        if len(parts) != 3 or edition is None:
            report.error(
                Location(rel),
                "this file is in the wrong folder; prose goes in content/<handbook|annual-report>/<yyyy-mm>/<section-id>.md "
                "(or .../reports/<report-id>.md) for an edition that has data/<...>/edition.yml",
            )
            continue
        section_ids = {s.id for s in edition.edition.sections}
        if path.stem not in section_ids:
            if difflib.get_close_matches(path.stem, section_ids - {f.stem for f in path.parent.glob("*.md")}, n=1):
                continue  # a section id misspelt in edition.yml, reported there with this file as the suggestion
            report.error(  # at the list, where the editor adds it (or else deletes the file), as for boards
                edition.source.doc.where(("sections",), key=True),
                f"{rel} is the prose of no section in this list; add '- id: {path.stem}' with its title, "
                "or rename or delete that file",
            )
            continue
        edition.prose[path.stem] = Prose(rel, text)
