"""The generator as a MkDocs plugin: `mkdocs build` and `mkdocs serve` work as mktogether does.

A whole plugin in a few hooks, after mkdocs-gen-files: on_config generates every page from the
page plan (or stops the build with the diagnostics), on_files hands the pages and the other
generated files to MkDocs, on_nav and on_env share the pages' conversion and rendering out to
forked processes (pages.py), and the rest set what MkDocs cannot know: dates from the data, the
Content-Security-Policy and search index after the build (after_build.py), the PDFs (`build`
only) and what the preview watches.
`rebuild` is the preview's: only the pages an edit changed. Its options are declared with
MkDocs' own config classes:

    plugins:
      - mktogether:
          drafts: false   # build draft editions too, each page marked DRAFT
          strict: null    # stop on a data warning; null follows MkDocs' own --strict
          jobs: null      # processes building the pages in a build; null: one a core
          pdf: true       # each edition's PDF in a build (MKTOGETHER_PDF=false: none)
"""
from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import _build_page, _populate_page  # one page's two steps, for the preview
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import elsewhere, pages, pdf, search, theme_markup
from .after_build import after_build
from .diagnostics import Report
from .load import is_junk
from .pipeline import Site, generate

log = logging.getLogger("mkdocs.plugins.mktogether")


class MkTogetherConfig(base.Config):
    drafts = c.Type(bool, default=False)
    strict = c.Optional(c.Type(bool))
    jobs = c.Optional(c.Type(int))
    pdf = c.Type(bool, default=True)  # each edition's PDF, in a build (`mktogether review` builds without)
    as_of = c.Optional(c.Type((str, dt.date)))  # the day the site is built for, YYYY-MM-DD; by default today


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
        self.cores = 1 if self.serving else elsewhere.cores(self.config.jobs)  # the preview forks nothing (elsewhere.py)
        gc.unfreeze()  # what an earlier build of this process froze may be collected now
        self.site = self._generate(config)
        if not self.serving:
            # the generator's many small objects live to the end of the build: the collector need
            # not walk them again on every pass while MkDocs builds (a few per cent of a build)
            gc.collect()
            gc.freeze()
        config.nav = self.site.nav
        config.mdx_configs["abbr"] = {**config.mdx_configs.get("abbr", {}), "glossary": self.site.abbreviations}
        config.extra["search_base"] = search.base_path(config.site_url)
        self.build_date = _build_date(self.site)
        return config

    def as_of(self) -> dt.date | None:
        """The day the site is built for (`as_of`, `mktogether build --as-of`, or MKTOGETHER_AS_OF in the
        environment, read here so that a date that does not exist is our one line); None: today."""
        value = self.config.as_of if self.config.as_of is not None else os.environ.get("MKTOGETHER_AS_OF") or None
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise MkDocsException(f"the day to build for, as_of '{value}', is not a date; write it as YYYY-MM-DD, "
                                  "or leave it out to build for today") from None

    def _generate(self, config: MkDocsConfig) -> Site:
        start = time.perf_counter()
        site, self.report = generate(self.root, drafts=self.config.drafts, site_url=config.site_url, jobs=self.cores,
                                     as_of=self.as_of())
        self.generate_seconds = time.perf_counter() - start  # the generator's share of a build, for the benchmark
        strict = config.strict if self.config.strict is None else self.config.strict
        if site is None or self.report.failed(strict):
            raise DiagnosticsPluginError(self.report)
        for warning in self.report.sorted():
            log.warning(str(warning))  # counted by `mkdocs build --strict`
        return site

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # content/ Markdown is the prose the templates place; it is never a page by itself; and what the
        # system left beside the files (load.JUNK) is never published
        for file in [f for f in files if f.src_uri.endswith(".md") or is_junk(f.src_uri)]:
            files.remove(file)
        for uri in sorted(self.site.pages, key=_walk_order):  # the order MkDocs reads an export's docs/ in
            files.append(File.generated(config, uri, content=self.site.pages[uri]))
        for uri in sorted(self.site.files):  # the data downloads and the feed
            files.append(File.generated(config, uri, content=self.site.files[uri]))
        return files

    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        self.files, self.nav = files, nav  # kept for the preview's rebuilds, as is the theme's environment
        self.generated = pages.adopt(files)
        # the pages are converted and rendered on every core (pages.py) where no other plugin acts on them
        self.jobs = self.cores if pages.may_fork(config, self) else 1
        self.forked = pages.convert_elsewhere(self.generated, config, files, self.jobs)
        return nav

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # the theme's templates compiled once, not in every build: kept as our own templates are
        # (templating.make_environment), checked against each template's checksum
        env.bytecode_cache = jinja2.FileSystemBytecodeCache()
        self.env = env  # kept for the preview's rebuilds
        self.forked += pages.render_elsewhere(self.generated, config, files, self.nav, env, self.jobs)
        return env

    forked: list[elsewhere.Later[Any]] = []

    def on_build_error(self, *, error: Exception) -> None:
        elsewhere.abandon_all()  # a process whose pages the build never reached

    def rebuild(self, config: MkDocsConfig) -> list[str] | None:
        """The preview's rebuild when data or prose changed, after a whole build with this config:
        generate again (memo.py keeps what did not change), and build again only the pages whose
        Markdown changed, and write the files that changed. None, having built nothing, when a
        whole build is needed: the navigation or the glossary changed, pages came or went, or the
        site's date moved.

        Each page goes through MkDocs's own two steps for one page, as a whole build does, so it
        comes out as a whole build would make it (tests/test_serve.py compares the two)."""
        site = self._generate(config)
        if site.nav != self.site.nav or site.pages.keys() != self.site.pages.keys() or \
                site.files.keys() != self.site.files.keys() or site.abbreviations != self.site.abbreviations or \
                _build_date(site) != self.build_date:
            return None
        changed = [uri for uri, markdown in site.pages.items() if markdown != self.site.pages[uri]]
        self.site = site
        rebuilt = []
        for uri in changed:
            file = self.files.get_file_from_path(uri)
            file.content_string = site.pages[uri]
            _populate_page(file.page, config, self.files)
            rebuilt.append(file.page)
        documentation = self.files.documentation_pages()
        for page in rebuilt:
            _build_page(page, config, documentation, self.nav, self.env)
        if rebuilt:  # the preview's search finds the edit a moment after the page shows it
            self._index_soon(Path(config.site_dir))
        for uri, text in site.files.items():
            file = self.files.get_file_from_path(uri)
            if file.content_string != text:
                file.content_string = text
                file.copy_file()
                changed.append(uri)
        # what this generation dropped goes now, not when the collector's own count next says: so
        # the preview's memory stays flat from the first edit (the whole build's objects are frozen
        # below, so this walks only what rebuilds made: some hundredths of a second at 10x)
        gc.collect()
        return changed

    _indexing = threading.Lock()  # one index at a time, each of the site as it then is
    _wanted = threading.Event()
    _worker: threading.Thread | None = None

    def _index_soon(self, site_dir: Path) -> None:
        """Index in the preview's one indexing thread, which takes edits made meanwhile together
        (a thread for each edit would leave the memory of each behind)."""
        self._site_dir = site_dir
        self._wanted.set()
        if self._worker is None:
            self._worker = threading.Thread(target=self._index_when_wanted, daemon=True)
            self._worker.start()

    def _index_when_wanted(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            self._index(self._site_dir, later=True)

    def _index(self, site_dir: Path, later: bool = False) -> None:
        with self._indexing:
            try:
                search.index(site_dir)
            except (OSError, RuntimeError) as exc:
                if not later:
                    raise
                # a whole build began emptying the folder meanwhile: it indexes the site itself
                log.debug("search index left to the next build: %s", exc)

    def on_pre_page(self, page: Any, config: MkDocsConfig, files: Files) -> Any:
        # dates come from the data, not the clock, so the same inputs give the same bytes
        if self.build_date:
            page.update_date = self.build_date
        return page

    # After the build, the Content-Security-Policy of every page and of the deploy's headers, and the
    # search index: after_build.py, as after any engine's build of the export. A preview's server
    # injects a live-reload script that differs on every request, which no hash can allow: told it
    # serves (by `mkdocs serve`, and by preview.py as it does), the plugin leaves the policy out.
    serving = False
    publishing = False  # a build that makes the PDFs: `mkdocs build`, `mktogether build`; never the preview's

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.publishing = command in ("build", "gh-deploy")

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        # a build's pages are mended after it (after_build.py); the preview's, as each is written
        return theme_markup.fix(output) if self.serving else output

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.serving:
            self._index(Path(config.site_dir))  # in turn with the rebuilds' indexing thread
            gc.collect()  # what the whole build made lives until the next: rebuilds' collections skip it
            gc.freeze()
        else:
            after_build(Path(config.site_dir), Path(config.docs_dir))
        if self.publishing and self.config.pdf and not self.config.drafts:  # a PDF is a publication: none with drafts
            pdf.publish(self.site, config, jobs=self.cores)  # every edition's, linked from its front pages

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in ("data", "content", "templates"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server


def _build_date(site: Site) -> str | None:
    """The date every page gives as its last update: the latest publication, never the clock."""
    published = [e.edition.published for e in site.project.editions.values() if e.edition.published]
    return max(published).isoformat() if published else None


def _walk_order(uri: str) -> tuple[tuple[int, bool, str], ...]:
    """As os.walk visits a folder: its files (index.md first, then by name), then its folders."""
    *folders, name = uri.split("/")
    return tuple((1, False, f) for f in folders) + ((0, name != "index.md", name),)


def project_config(root: Path, site_dir: Path, drafts: bool, strict: bool = False, command: str = "build",
                   as_of: dt.date | None = None) -> MkDocsConfig:
    """mkdocs.yml with our plugin's options set from the command line, told the command (build or
    serve) as `mkdocs build` and `mkdocs serve` tell their plugins."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
    config.plugins["mktogether"].config.drafts = drafts  # type: ignore[attr-defined]
    if as_of is not None:
        config.plugins["mktogether"].config.as_of = as_of  # type: ignore[attr-defined]
    config.plugins.on_startup(command=command, dirty=False)  # type: ignore[arg-type]
    return config
