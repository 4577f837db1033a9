"""The generator as a MkDocs plugin: `mkdocs build` and `mkdocs serve` work as mktogether does."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urljoin
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .diagnostics import Report
from .site import Site, generate

log = logging.getLogger("mkdocs.plugins.mktogether")
DRAFTS_VARIABLE = "MKTOGETHER_DRAFTS"  # "1" builds draft editions too (mktogether build|serve --drafts)


class DiagnosticsPluginError(PluginError):
    """Stops a build on data or content errors; the message is the diagnostics, one a line."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__("\n".join(str(d) for d in report.sorted()) + f"\n{report.summary()}")


class MkTogetherPlugin(BasePlugin):
    # the CLI checks first and hands over what it found, so nothing is loaded or reported twice
    preloaded: tuple[Site | None, Report] | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).parent
        if self.preloaded is not None:
            site, report = self.preloaded
            self.preloaded = None
        else:
            site, report = generate(self.root, drafts=os.environ.get(DRAFTS_VARIABLE) == "1")
            for warning in report.warnings:
                log.warning(str(warning))  # counted by `mkdocs build --strict`
        if site is None:
            raise DiagnosticsPluginError(report)
        self.site = site
        config.nav = site.nav
        # builds take their dates from the data, not the clock, so the same inputs give the same bytes
        published = max((e.edition.published for e in site.project.editions.values()), default=None)
        if "SOURCE_DATE_EPOCH" not in os.environ and published is not None:
            import calendar

            os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(published.timetuple()))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # content/ Markdown is the prose the templates place; it is never a page by itself
        for file in [f for f in files if f.src_uri.endswith(".md")]:
            files.remove(file)
        for page in self.site.pages:
            files.append(File.generated(config, page.src_uri, content=page.markdown))
        return files

    def on_page_context(self, context: dict[str, Any], page: Any, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        # /handbook/ shows the latest edition; search engines are told its own address is the real one
        canonical = (page.meta.get("mkt") or {}).get("canonical") if page.meta else None
        if canonical and config.site_url:
            page.canonical_url = urljoin(config.site_url, canonical)
        return context

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in ("data", "content", "templates"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server
