"""The JSON Schema editors use is the models' own, and every data file names it."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import ROOT
from generator.cli import SCHEMAS, schema_of


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_matches_the_models(name: str) -> None:
    committed = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text())
    assert committed == schema_of(name, SCHEMAS[name]), "run `make schema` and commit schema/"


def schema_kind(path: Path) -> str:
    parts = path.relative_to(ROOT / "data").parts
    if parts[0] in ("organisations", "meetings", "archive"):
        return {"organisations": "organisation", "meetings": "meeting", "archive": "archive-document"}[parts[0]]
    if len(parts) == 1:
        return path.stem  # contacts, glossary
    if parts[-2] in ("boards", "reports"):
        return parts[-2][:-1]
    return path.stem  # edition, attendance, budget


@pytest.mark.parametrize("path", sorted((ROOT / "data").rglob("*.yml")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_data_file_names_its_schema(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first[len(prefix):]).resolve()
    assert target == (ROOT / "schema" / f"{schema_kind(path)}.schema.json").resolve()
    assert os.path.isfile(target)
