"""Link integrity and reproducible builds of the real site."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import yaml

from conftest import PROJECT, run_cli
from linkcheck import broken_links


def test_every_internal_link_and_anchor_resolves(built_site: Path) -> None:
    assert broken_links(built_site) == []


def test_link_check_finds_a_broken_link_and_anchor(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">ok</a><a href="b/">gone</a><a href="a/#nope">anchor</a><h2 id="x"></h2><a href="#x">here</a>')
    (tmp_path / "a" / "index.html").write_text('<h2 id="yes">A</h2>')
    assert broken_links(tmp_path) == ["index.html: b/ (no b/index.html)", "index.html: a/#nope (no #nope in a/index.html)"]


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_inputs_build_the_same_bytes(tmp_path: Path) -> None:
    env_before = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        first = run_cli(PROJECT, "build", "--site-dir", str(tmp_path / "one"))
        second = run_cli(PROJECT, "build", "--site-dir", str(tmp_path / "two"))
    finally:
        if env_before is not None:
            os.environ["SOURCE_DATE_EPOCH"] = env_before
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    one, two = digests(tmp_path / "one"), digests(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    sitemap = (tmp_path / "one" / "sitemap.xml").read_text()
    editions = [yaml.safe_load(p.read_text()) for p in (PROJECT / "data").glob("*/*/edition.yml")]
    published = [e for e in editions if e["status"] == "published"]
    dated = {max([e["published"], *(c["date"] for c in e.get("corrections") or [])]).isoformat() for e in published}
    latest = max(e["published"] for e in published).isoformat()  # the pages across editions
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == dated | {latest}, "dates come from the data"
