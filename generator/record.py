"""What was published: the record of each published edition (data/<edition>/record.yml).

`mktogether publish` and `mktogether correct` write it (lifecycle.py); `mktogether check` reads
it (checks.py). It holds a hash of every file of the edition and of each of its lines, so that a
changed line is found; and what the edition's pages show of the files every edition shares (the
glossary's meanings, the contacts, organisations' names: `derive.shared_view`), so that a change
to one of those that alters a published edition's pages is said, not slipped in.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml

from .load import is_junk

SCHEMA_LINE = "# yaml-language-server: $schema={}schema/{}.schema.json\n"


def edition_files(root: Path, edition_id: str) -> list[str]:
    """Every file of an edition, data and content, but its record, from the project's root."""
    found = []
    for folder in (root / "data" / edition_id, root / "content" / edition_id):
        if folder.is_dir():
            found += [p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file() and not is_junk(p)]
    return sorted(f for f in found if f != f"data/{edition_id}/record.yml")


def as_written(data: bytes | Path) -> bytes:
    """A file's bytes (or the file's) as its text is: without the byte order mark or the carriage
    returns an editor on Windows may add, which change nothing of what was published."""
    data = data.read_bytes() if isinstance(data, Path) else data
    return data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")


def line_hashes(data: bytes) -> str:
    """The first 6 hex digits of the SHA-256 of each line, run together."""
    return "".join(hashlib.sha256(line).hexdigest()[:6] for line in data.split(b"\n"))


def split_hashes(hashes: str) -> list[str]:
    return [hashes[i:i + 6] for i in range(0, len(hashes), 6)]


def record_of(root: Path, edition_id: str, published: dt.date, shared: dict[str, str]) -> dict[str, Any]:
    files = {}
    for rel in edition_files(root, edition_id):
        data = as_written(root / rel)
        files[rel] = {"sha256": hashlib.sha256(data).hexdigest(), "lines": line_hashes(data)}
    return {"edition": edition_id, "published": published,
            "checksum": record_checksum(edition_id, published, files, shared), "files": files, "shared": shared}


def record_checksum(edition_id: str, published: dt.date, files: dict[str, Any], shared: dict[str, str]) -> str:
    content: dict[str, Any] = {"edition": edition_id, "published": published.isoformat(), "files": files}
    if shared:  # records written before shared files were kept have none, and their checksum stays as it was
        content["shared"] = shared
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def record_intact(record: Any) -> bool:
    """Whether a record is as `publish` or `correct` wrote it."""
    files = {rel: f.model_dump() for rel, f in record.files.items()}
    return record.checksum == record_checksum(record.edition, record.published, files, dict(record.shared))


def write_record(root: Path, edition_id: str, published: dt.date, shared: dict[str, str]) -> Path:
    path = root / "data" / edition_id / "record.yml"
    header = (SCHEMA_LINE.format("../" * (edition_id.count("/") + 2), "record")
              + "# What was published, written by `mktogether publish` and `mktogether correct`: a hash of every\n"
              + "# file of the edition and of each of its lines, and what its pages show of the shared files.\n"
              + "# Do not edit it: `mktogether check` compares them.\n")
    body = yaml.safe_dump(record_of(root, edition_id, published, shared), sort_keys=False, default_flow_style=False,
                          allow_unicode=True, width=1 << 20)
    path.write_text(header + body, encoding="utf-8")
    return path


def changed_files(root: Path, record: Any) -> dict[str, int | None]:
    """The files of an edition that differ from its record: each with the first changed line
    (1-based), or None for a file that is gone."""
    changed: dict[str, int | None] = {}
    now = edition_files(root, record.edition)
    for rel in now:
        data = as_written(root / rel)
        kept = record.files.get(rel)
        if kept is None:
            changed[rel] = 1
        elif hashlib.sha256(data).hexdigest() != kept.sha256:
            changed[rel] = first_changed_line(kept.lines, line_hashes(data))
    changed.update({rel: None for rel in record.files if rel not in now})
    return changed


def first_changed_line(old: str, new: str) -> int:
    a, b = split_hashes(old), split_hashes(new)
    for tag, _, _, j1, _ in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            return min(j1 + 1, max(len(b), 1))
    return 1


def holds_replaced(path: Path, before: str, after: str) -> tuple[int, int] | None:
    """Where a file still holds words a correction replaced (line and column, from 1), if it does:
    where the corrected words contain the old ones, only outside them."""
    try:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None  # a file that cannot be read has its own error
    masked = text.replace(after, "\0" * len(after)) if after and before in after else text
    at = masked.find(before)
    if at < 0:
        return None
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1
