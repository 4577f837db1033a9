"""`mktogether export`: the site as a plain MkDocs project, built the same without our plugin."""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import tomllib
import yaml

from conftest import ROOT, SITE_URL, run_cli
from generator.search import PAGEFIND


def without_pdfs(page: bytes) -> bytes:
    """A page as the export builds it: the PDFs, and the links to them, only the plugin's build makes (test_pdf.py)."""
    return re.sub(rb'<p class="mkt-pdf">.*?</p>', b"<!-- mkt-pdf -->", page)


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(without_pdfs(p.read_bytes())).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".pdf"}


def data_epoch(root: Path) -> str:
    """The build date the plugin takes from the data: the latest publication."""
    dates = [yaml.safe_load(p.read_text()).get("published") for p in (root / "data").glob("*/*/edition.yml")]
    latest = max(d for d in dates if isinstance(d, dt.date))
    return str(calendar.timegm(latest.timetuple()))


def build_export(export: Path, out: Path, root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(export / "mkdocs.yml"), "-d", str(out)],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SOURCE_DATE_EPOCH": data_epoch(root), "NO_MKDOCS_2_WARNING": "1"})


def test_the_export_builds_the_same_site_with_plain_mkdocs(fixture_root: Path, built_fixture: Path, tmp_path: Path) -> None:
    exported = run_cli(fixture_root, "export", str(tmp_path / "export"))
    assert exported.returncode == 0, exported.stderr
    config = yaml.safe_load((tmp_path / "export/mkdocs.yml").read_text())
    assert "mktogether" not in str(config["plugins"]) and config["nav"][0] == {"Home": "index.md"}
    assert (tmp_path / "export/docs/handbook/2023-10/structure-chart/index.md").is_file(), \
        "the chart stands where it is served, so raw-HTML links resolve the same in every engine"
    assert (tmp_path / "export/overrides/main.html").is_file()
    assert all((tmp_path / "export/docs" / feed).is_file() for feed in ("feed.xml", "handbook/feed.xml", "boards/risk/feed.xml"))
    built = build_export(tmp_path / "export", tmp_path / "site", fixture_root)
    assert built.returncode == 0, built.stderr
    plugin, plain = digests(built_fixture), digests(tmp_path / "site")
    assert plugin.keys() == plain.keys()
    assert [name for name in plugin if plugin[name] != plain[name]] == [], "byte for byte the plugin's build"
    again = after_build(sys.executable, tmp_path / "export", tmp_path / "site")
    assert again.returncode == 0 and again.stderr.count("\n") == 1, again.stderr
    assert digests(tmp_path / "site") == plain, "the command after the hooks' own run changes nothing: no second policy"


def after_build(python: str | Path, export: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """The export's command run after an engine's build, as its README gives it, with no package of ours."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(python), "hooks/after_build.py", str(site)], cwd=export, capture_output=True, text=True,
                          timeout=600, env=env)


def test_the_readme_names_what_the_hooks_need_and_each_engines_commands(fixture_root: Path, tmp_path: Path) -> None:
    assert run_cli(fixture_root, "export", str(tmp_path / "export")).returncode == 0
    readme = (tmp_path / "export/README.md").read_text()
    assert f'pip install "{PAGEFIND}"' in readme and "Python 3.11" in readme
    for command in ("mkdocs build", "properdocs build", "zensical build -f mkdocs.yml && python hooks/after_build.py site"):
        assert command in readme
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert PAGEFIND in pinned, "the version the site was tested with"


def test_without_pagefind_the_hooks_say_what_to_install_in_one_line(fixture_root: Path, tmp_path: Path) -> None:
    """In a Python that has not the pagefind package, the command and the MkDocs hook alike."""
    export = tmp_path / "export"
    assert run_cli(fixture_root, "export", str(export)).returncode == 0
    assert build_export(export, export / "site", fixture_root).returncode == 0
    before = digests(export / "site")
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    hook = ("import sys; sys.path.insert(0, 'hooks'); import after_build; "
            "after_build.on_startup(command='build', dirty=False); after_build.on_post_build({'site_dir': 'site', 'docs_dir': 'docs'})")
    for args in (["hooks/after_build.py", "site"], ["-c", hook]):
        done = subprocess.run([str(bare / "bin/python"), *args], cwd=export, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and done.stdout == "", done.stderr
        assert done.stderr == (f"error: the search index needs the pagefind package, which this Python lacks: "
                               f'{bare / "bin/python"} -m pip install "{PAGEFIND}"\n')
    assert digests(export / "site") == before, "nothing was touched"


def test_export_outside_a_project_says_so_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    done = run_cli(tmp_path / "here", "export", "out")
    assert done.returncode == 1 and done.stderr == (
        f"error: no project here: no mkdocs.yml in {tmp_path / 'here'} or a folder above it; run mktogether in the folder "
        "that holds mkdocs.yml, data/ and content/\n")
    assert list((tmp_path / "here").iterdir()) == []


def test_alias_pages_name_their_editions_address_without_our_plugin(fixture_root: Path, tmp_path: Path) -> None:
    assert run_cli(fixture_root, "export", str(tmp_path / "export")).returncode == 0
    assert build_export(tmp_path / "export", tmp_path / "site", fixture_root).returncode == 0
    page = (tmp_path / "site/handbook/index.html").read_text()
    assert re.findall(r'<link rel="canonical" href="([^"]+)"', page) == [SITE_URL + "handbook/2023-10/"]
    assert "Editions of the Partnership Handbook" in page, "the switcher comes from the overrides"


def test_export_refuses_an_existing_folder_and_a_broken_project(project: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    taken = run_cli(project, "export", str(tmp_path / "taken"))
    assert taken.returncode == 1 and "exists already; export into a new folder" in taken.stderr
    board = project / "data/handbook/2023-10/boards/risk.yml"
    board.write_text(board.read_text().replace("name: Risk\n", "nme: Risk\n"))
    broken = run_cli(project, "export", str(tmp_path / "broken"))
    assert broken.returncode == 1 and "unknown key 'nme'" in broken.stderr and "nothing was written" in broken.stderr
    assert not (tmp_path / "broken").exists() and not list(tmp_path.glob(".broken*"))
