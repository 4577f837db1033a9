"""Load every data and content file of a project into one validated, resolved Project."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .diagnostics import Location, Report
from .models import Board, Edition, Organisation
from .validate import validate
from .yamlload import YamlDocument, load_yaml

MAX_FILE_BYTES = 1_000_000
EDITION_DIR = re.compile(r"^(handbook|annual-report)/[0-9]{4}-[0-9]{2}$")


@dataclass
class Source:
    """A validated data file and the YAML it came from, for locating its values."""

    path: str
    doc: YamlDocument
    model: BaseModel


@dataclass
class Prose:
    """A Markdown file of content/."""

    path: str
    text: str


@dataclass
class EditionData:
    edition: Edition
    source: Source
    boards: dict[str, Board] = field(default_factory=dict)  # in the edition's printed order
    board_sources: dict[str, Source] = field(default_factory=dict)
    prose: dict[str, Prose] = field(default_factory=dict)  # by section id
    board_files: set[str] = field(default_factory=set)  # every boards/<id>.yml present, valid or not

    @property
    def id(self) -> str:
        return self.edition.id

    @property
    def document(self) -> str:
        return self.edition.id.split("/")[0]


@dataclass
class Project:
    root: Path
    organisations: dict[str, Organisation] = field(default_factory=dict)
    organisation_sources: dict[str, Source] = field(default_factory=dict)
    editions: dict[str, EditionData] = field(default_factory=dict)
    pages: dict[str, Prose] = field(default_factory=dict)  # top-level content pages by name ("index", ...)
    edition_folders: set[str] = field(default_factory=set)  # every folder with an edition.yml, valid or not


def read_text(path: Path, rel: str, report: Report) -> str | None:
    """Read a file as UTF-8, reporting where it is not, or when it is too large to be one thing."""
    data = path.read_bytes()
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


def _load_model(path: Path, rel: str, model: type[BaseModel], report: Report) -> Source | None:
    text = read_text(path, rel, report)
    if text is None:
        return None
    doc = load_yaml(text, rel, report)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        report.error(Location(rel), f"the file must be a set of 'key: value' lines describing one {model.__name__.lower()}")
        return None
    value = validate(doc, model, report)
    return Source(rel, doc, value) if value is not None else None


def _where_data_goes() -> str:
    return (
        "data files go in data/organisations/<id>.yml, data/<handbook|annual-report>/<yyyy-mm>/edition.yml "
        "or data/<handbook|annual-report>/<yyyy-mm>/boards/<id>.yml"
    )


def load_project(root: Path) -> tuple[Project, Report]:
    """Load and validate every file; cross-references are checked by resolve.check_project."""
    report = Report()
    project = Project(root=root)
    data_dir, content_dir = root / "data", root / "content"
    if not data_dir.is_dir():
        report.error(Location("data"), "there is no data/ folder; run mktogether from the project's root")
        return project, report

    boards_by_edition: dict[str, list[Source]] = {}
    board_files: dict[str, set[str]] = {}
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        parts = path.relative_to(data_dir).parts
        if path.suffix == ".yaml":
            report.error(Location(rel), "data files end in .yml; rename this file to .yml")
            continue
        if path.suffix != ".yml":
            report.error(Location(rel), "only .yml files belong in data/; move this file out")
            continue
        if len(parts) == 2 and parts[0] == "organisations":
            source = _load_model(path, rel, Organisation, report)
            if source:
                _add_unique(project.organisation_sources, source, "organisation", report)
        elif len(parts) == 3 and EDITION_DIR.match("/".join(parts[:2])) and parts[2] == "edition.yml":
            folder = "/".join(parts[:2])
            project.edition_folders.add(folder)
            source = _load_model(path, rel, Edition, report)
            if source:
                if source.model.id != folder:
                    report.error(source.doc.where(("id",)), f"the edition id '{source.model.id}' must match its folder, '{folder}'")
                project.editions[folder] = EditionData(source.model.model_copy(update={"id": folder}), source)
        elif len(parts) == 4 and EDITION_DIR.match("/".join(parts[:2])) and parts[2] == "boards":
            board_files.setdefault("/".join(parts[:2]), set()).add(path.stem)
            source = _load_model(path, rel, Board, report)
            if source:
                boards_by_edition.setdefault("/".join(parts[:2]), []).append(source)
        else:
            report.error(Location(rel), f"this file is in the wrong folder; {_where_data_goes()}")

    for folder, stems in board_files.items():
        if folder in project.editions:
            project.editions[folder].board_files = stems
    project.organisations = {k: s.model for k, s in sorted(project.organisation_sources.items())}  # type: ignore[misc]
    for folder, sources in boards_by_edition.items():
        edition = project.editions.get(folder)
        if edition is None:
            if folder in project.edition_folders:
                continue  # its edition.yml is broken and has said so
            for s in sources:
                report.error(Location(s.path), f"there is no data/{folder}/edition.yml for this board's edition; create it")
            continue
        _add_boards(edition, sources, report)
    project.editions = dict(sorted(project.editions.items()))

    if content_dir.is_dir():
        _load_content(project, content_dir, report)
    return project, report


def _add_unique(into: dict[str, Source], source: Source, kind: str, report: Report) -> None:
    ident = source.model.id  # type: ignore[attr-defined]
    stem = Path(source.path).stem
    if ident in into:
        first = into[ident].doc.where(("id",))
        report.error(source.doc.where(("id",)), f"duplicate {kind} id '{ident}', already used at {first}; ids are never shared or reused")
        return
    if ident != stem:
        report.warning(source.doc.where(("id",)), f"the id '{ident}' differs from the file name; rename the file to {ident}.yml")
    into[ident] = source


def _add_boards(edition: EditionData, sources: list[Source], report: Report) -> None:
    found: dict[str, Source] = {}
    for s in sources:
        _add_unique(found, s, "board", report)
    listed = edition.edition.boards
    for i, board_id in enumerate(listed):
        if board_id in found:
            edition.board_sources[board_id] = found[board_id]
            edition.boards[board_id] = found[board_id].model  # type: ignore[assignment]
    for board_id, s in found.items():
        if board_id not in listed:
            report.error(
                s.doc.where(("id",)),
                f"board '{board_id}' is not in the 'boards' list of {edition.source.path}; add it there or delete this file",
            )


def _load_content(project: Project, content_dir: Path, report: Report) -> None:
    for path in sorted(p for p in content_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(project.root).as_posix()
        parts = path.relative_to(content_dir).parts
        if path.suffix != ".md":
            continue  # images and other files are published as they are
        text = read_text(path, rel, report)
        if text is None:
            continue
        if len(parts) == 1:
            project.pages[path.stem] = Prose(rel, text)
            continue
        folder = "/".join(parts[:2])
        edition = project.editions.get(folder)
        if len(parts) == 3 and edition is None and folder in project.edition_folders:
            continue  # its edition.yml is broken and has said so
        if len(parts) != 3 or edition is None:
            report.error(
                Location(rel),
                "this file is in the wrong folder; prose goes in content/<handbook|annual-report>/<yyyy-mm>/<section-id>.md "
                "for an edition that has data/<...>/edition.yml",
            )
            continue
        section_ids = {s.id for s in edition.edition.sections}
        if path.stem not in section_ids:
            report.error(
                Location(rel),
                f"no section '{path.stem}' in {edition.source.path}; add it to 'sections' there, or rename or delete this file",
            )
            continue
        edition.prose[path.stem] = Prose(rel, text)
