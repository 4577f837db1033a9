"""The JSON Schema editors use is the models' own, and every data file names it."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import FIXTURE, PROJECT, ROOT
from generator.cli import schema_of
from generator.load import data_kind
from generator.models import SCHEMAS

DATA_FILES = sorted([*(PROJECT / "data").rglob("*.yml"), *(FIXTURE / "data").rglob("*.yml")])


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_matches_the_models(name: str) -> None:
    committed = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text())
    assert committed == schema_of(name, SCHEMAS[name]), "run `make schema` and commit schema/"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else str(p))
def test_data_file_names_its_schema(path: Path) -> None:
    data = next(parent for parent in path.parents if parent.name == "data")
    first = path.read_text().splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first[len(prefix):]).resolve()
    schema = data.parent / "schema" if (data.parent / "schema").is_dir() else ROOT / "schema"  # the fixture uses ours
    assert target == (schema / f"{data_kind(path.relative_to(data).parts)}.schema.json").resolve()
    assert os.path.isfile(target)
