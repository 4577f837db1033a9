"""The generator as a MkDocs plugin: `mkdocs build` and `mkdocs serve` work as mktogether does.

A whole plugin in a few hooks, after mkdocs-gen-files: on_config generates every page from the
page plan (or stops the build with the diagnostics), on_files hands the pages to MkDocs, and the
rest set what MkDocs cannot know: canonical addresses of alias pages, dates from the data, and
what the preview watches. Its options are declared with MkDocs' own config classes:

    plugins:
      - mktogether:
          drafts: false   # build draft editions too, each page marked DRAFT
          strict: null    # stop on a data warning; null follows MkDocs' own --strict
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .diagnostics import Report
from .pipeline import generate

log = logging.getLogger("mkdocs.plugins.mktogether")


class MkTogetherConfig(base.Config):
    drafts = c.Type(bool, default=False)
    strict = c.Optional(c.Type(bool))


class DiagnosticsPluginError(MkDocsException):
    """Stops a build on data or content errors; the message is the diagnostics, one a line.

    Not a PluginError: MkDocs would log that once more as 'ERROR: ...' before aborting. As a
    MkDocsException it ends `mkdocs build` with the diagnostics and exit status 1, no traceback."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__("\n".join(str(d) for d in report.sorted()) + f"\n{report.summary()}")


class MkTogetherPlugin(BasePlugin[MkTogetherConfig]):
    report: Report | None = None  # the diagnostics of the last generation, for the command line to summarise

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).parent
        start = time.perf_counter()
        site, self.report = generate(self.root, drafts=self.config.drafts)
        self.generate_seconds = time.perf_counter() - start  # the generator's share of a build, for the benchmark
        strict = config.strict if self.config.strict is None else self.config.strict
        if site is None or self.report.failed(strict):
            raise DiagnosticsPluginError(self.report)
        for warning in self.report.sorted():
            log.warning(str(warning))  # counted by `mkdocs build --strict`
        self.site = site
        config.nav = site.nav
        published = [e.edition.published for e in site.project.editions.values() if e.edition.published]
        self.build_date = max(published).isoformat() if published else None
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # content/ Markdown is the prose the templates place; it is never a page by itself
        for file in [f for f in files if f.src_uri.endswith(".md")]:
            files.remove(file)
        for uri in sorted(self.site.pages, key=_walk_order):  # the order MkDocs reads an export's docs/ in
            files.append(File.generated(config, uri, content=self.site.pages[uri]))
        return files

    def on_pre_page(self, page: Any, config: MkDocsConfig, files: Files) -> Any:
        # dates come from the data, not the clock, so the same inputs give the same bytes
        if self.build_date:
            page.update_date = self.build_date
        return page

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in ("data", "content", "templates"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server


def _walk_order(uri: str) -> tuple[tuple[int, bool, str], ...]:
    """As os.walk visits a folder: its files (index.md first, then by name), then its folders."""
    *folders, name = uri.split("/")
    return tuple((1, False, f) for f in folders) + ((0, name != "index.md", name),)


def project_config(root: Path, site_dir: Path, drafts: bool, strict: bool = False) -> MkDocsConfig:
    """mkdocs.yml with our plugin's options set from the command line."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
    config.plugins["mktogether"].config.drafts = drafts  # type: ignore[attr-defined]
    return config
