"""MkDocs's pages of the generated site: read as the generator wrote them, built on every core.

MkDocs reads each page's front matter with a YAML parser, then converts the pages' Markdown and
renders their theme template one page after another, on one core. Our pages' front matter is
JSON (render.py writes it), which json reads fifty times faster to the same values. And neither
step of one page depends on another page's same step, so a build shares the pages out in runs:
  - once the navigation is made, processes forked then convert each run but the first, in
    MkDocs's own step (`_populate_page`), while MkDocs converts the first;
  - once every page is converted, processes forked then render each run but the first with the
    theme, while MkDocs renders the first.
When MkDocs's loop reaches a page done elsewhere, it takes that result (and logs that page's
warnings then, in the order a one-core build gives them) instead of doing the step again; it
still writes every page itself and runs every plugin's post_page. The site is byte for byte the
one a single process builds (tests/test_pages.py, and tests/test_export.py against plain MkDocs).

Only a build forks (elsewhere.py), and never with another plugin that acts on pages, whose
state a forked process would not give back.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.commands.build import _populate_page, get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import meta

from .elsewhere import Later

# what a plugin may do to a page while it is converted or rendered, which a forked process keeps
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "env", "page_context")
ELSEWHERE = "mktogether-rendered-elsewhere.html"  # the template of a page another process rendered


class GeneratedPage(Page):
    """A page the generator wrote, whose steps another process may be doing."""

    converting: Later[dict[str, Done]] | None = None  # the process converting its Markdown, if another
    rendering: Later[dict[str, Done]] | None = None  # the process rendering its template, if another
    template_here = "main.html"  # its own template, for when that process failed
    _converted: Done | None = None

    def read_source(self, config: MkDocsConfig) -> None:
        if self.converting is not None:
            results, self.converting = self.converting, None  # once: the preview converts edits itself
            self._converted = (results.get() or {}).get(self.file.src_uri)  # None if that process failed: done here
        if self._converted is not None:
            self.markdown, self.meta = self._converted.value["markdown"], self._converted.value["meta"]
            return
        source = config.plugins.on_page_read_source(page=self, config=config)
        self.markdown, self.meta = front_matter(self.file.content_string if source is None else source)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        done, self._converted = self._converted, None
        if done is None:
            super().render(config, files)
            return
        for name, value in done.value.items():
            setattr(self, name, value)
        if done.links is not None:
            self.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in done.links.items()}
        done.log()


def front_matter(source: str) -> tuple[str, dict[str, Any]]:
    """The Markdown and the front matter of a page, as MkDocs's meta.get_data gives them."""
    if source.startswith("---\n"):
        end = source.find("\n---\n", 4)
        if end != -1:
            try:
                data = json.loads(source[4:end])
            except ValueError:
                data = None
            if isinstance(data, dict):
                return source[end + 5:].lstrip("\n"), data
    return meta.get_data(source)


def adopt(files: Files) -> list[GeneratedPage]:
    """Make every documentation page a GeneratedPage, keeping what the navigation set on it."""
    pages = []
    for file in files.documentation_pages():
        assert file.page is not None
        file.page.__class__ = GeneratedPage  # the navigation's own page objects, so its links to them hold
        pages.append(file.page)  # type: ignore[arg-type]
    return pages


def may_fork(config: MkDocsConfig, ours: Any) -> bool:
    """Whether pages may be built in forked processes: nothing but our plugin acts on a page."""
    return all(getattr(method, "__self__", None) is ours for event in PAGE_EVENTS for method in config.plugins.events[event])


# The two steps done elsewhere ---------------------------------------------------------------------

def convert_elsewhere(pages: list[GeneratedPage], config: MkDocsConfig, files: Files, jobs: int) -> list[Later[dict[str, Done]]]:
    """Fork processes converting each run of pages but the first."""
    def convert(page: GeneratedPage) -> Done:
        _populate_page(page, config, files)
        links = page.links_to_anchors
        return Done({name: getattr(page, name) for name in Done.CONVERTED},
                    links=None if links is None else {file.src_uri: anchors for file, anchors in links.items()})

    forked = []
    for run in _runs(pages, jobs)[1:]:
        forked.append(_fork(run, convert))
        for page in run:
            page.converting = forked[-1]
    return forked


def render_elsewhere(pages: list[GeneratedPage], config: MkDocsConfig, files: Files, nav: Navigation,
                     env: jinja2.Environment, jobs: int) -> list[Later[dict[str, Done]]]:
    """Fork processes rendering each run of pages but the first with the theme, as `_build_page`
    does before it writes; MkDocs's loop gives those pages the ELSEWHERE template, which takes
    their result."""
    documentation = files.documentation_pages()

    def render(page: GeneratedPage) -> Done:
        config._current_page, page.active = page, True
        try:
            context = get_context(nav, documentation, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            return Done(template.render(context))
        finally:
            config._current_page, page.active = None, False

    forked = []
    for run in _runs(pages, jobs)[1:]:
        forked.append(_fork(run, render))
        for page in run:
            page.rendering, page.template_here = forked[-1], page.meta.get("template", "main.html")
            page.meta["template"] = ELSEWHERE
    if forked:
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({ELSEWHERE: "{{ mktogether_rendered_elsewhere() }}"}), env.loader])
        env.globals["mktogether_rendered_elsewhere"] = _rendered_elsewhere
    return forked


@jinja2.pass_context
def _rendered_elsewhere(context: jinja2.runtime.Context) -> Markup:
    page: GeneratedPage = context["page"]
    results, page.rendering = page.rendering, None
    page.meta["template"] = page.template_here
    done = (results.get() or {}).get(page.file.src_uri) if results else None
    if done is None:  # that process failed: rendered here
        return Markup(context.environment.get_template(page.template_here).render(context.get_all()))
    done.log()
    return Markup(done.value)


# Forked processes ------------------------------------------------------------------------------

class Done:
    """One page's result of a step done elsewhere, and the log records that step made."""

    CONVERTED = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids")

    def __init__(self, value: Any, links: dict[str, dict[str, str]] | None = None):
        self.value, self.links, self.records = value, links, []

    def log(self) -> None:
        for record in self.records:  # where a one-core build logs them
            logging.getLogger(record.name).handle(record)


def _runs(pages: list[GeneratedPage], jobs: int) -> list[list[GeneratedPage]]:
    """The pages in up to `jobs` consecutive runs of about the same amount of Markdown."""
    if jobs < 2 or len(pages) < 2 * jobs:
        return [pages]
    sizes = [len(page.file.content_string) for page in pages]
    share, runs, run, total = sum(sizes) / jobs, [], [], 0.0
    for page, size in zip(pages, sizes):
        if total >= share * (len(runs) + 1) and len(runs) < jobs - 1:
            runs.append(run)
            run = []
        run.append(page)
        total += size
    return [*runs, run]


def _fork(run: list[GeneratedPage], step: Callable[[GeneratedPage], Done]) -> Later[dict[str, Done]]:
    """A process doing `step` to each page of the run, keeping the log records each makes."""
    def work() -> dict[str, Done]:
        mkdocs = logging.getLogger("mkdocs")
        catcher = _Catcher()
        mkdocs.handlers, mkdocs.propagate = [catcher], False  # the records go with the results
        done = {}
        for page in run:
            catcher.records = []
            done[page.file.src_uri] = step(page)
            done[page.file.src_uri].records = catcher.records
        return done
    return Later(work)


class _Catcher(logging.Handler):
    records: list[logging.LogRecord]

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
        self.records.append(record)
