"""Shared fixtures: a scratch copy of the project, and the real site built once per run."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).resolve().parent / "seeds"
PROJECT_PARTS = ["mkdocs.yml", "data", "content", "templates"]


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    return dest


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `mktogether` as the comms team would, in the project's folder."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=root, capture_output=True, text=True, timeout=600,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the real project to break."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once by `mktogether build --strict` into a temporary folder."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_cli(ROOT, "build", "--strict", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out
