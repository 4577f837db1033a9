"""The live preview behind `mktogether serve`: MkDocs's live-reload server, told the truth.

Each change to data/, content/ or templates/ generates and builds once. While any file has an
error, every page is an error page listing the diagnostics, and it reloads by itself into the
real page once the error is mended; no request waits for a mend. The terminal shows each new set
of diagnostics once, with its severity, and one line a build.
"""
from __future__ import annotations

import html
import logging
import os
import shutil
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import watchdog.events
import watchdog.observers
from mkdocs.commands.build import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.livereload import LiveReloadServer

from .diagnostics import Report
from .plugin import DiagnosticsPluginError, project_config
from .text import plural


class PreviewServer(LiveReloadServer):
    problems: bytes | None = None  # the error page, while any file has an error

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # the operating system's own word of a change (inotify, FSEvents, ReadDirectoryChangesW),
        # not MkDocs's walk of every watched folder twice a second: an edit is seen at once
        self.observer = watchdog.observers.Observer()

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """As MkDocs's, but a change is a file written, made, deleted or moved: the native observers
        also report files opened and read, which every build does."""
        path = os.path.abspath(path)
        self._watched_paths[path] = self._watched_paths.get(path, 0) + 1
        if self._watched_paths[path] > 1:
            return

        def changed(event: watchdog.events.FileSystemEvent) -> None:
            if not event.is_directory and event.event_type in ("created", "modified", "deleted", "moved"):
                with self._rebuild_cond:
                    self._want_rebuild = True
                    self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = changed  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.problems is None or environ["PATH_INFO"].startswith("/livereload/"):
            return super()._serve_request(environ, start_response)
        with self._epoch_cond:
            body = self._inject_js_into_html(self.problems, self._visible_epoch)
        start_response("503 Service Unavailable",
                       [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]


def error_page(report: Report | None, message: str | None = None) -> bytes:
    # the errors first, which stop the preview; then the warnings, which do not
    ordered = sorted(report.sorted(), key=lambda d: d.severity != "error") if report else []
    items = [(str(d.location), d.severity, d.message) for d in ordered]
    rows = "".join(f"<li><code>{html.escape(where)}</code>: <strong>{severity}</strong>: {html.escape(text)}</li>"
                   for where, severity, text in items)
    if message:
        rows += f"<li><pre>{html.escape(message)}</pre></li>"
    count = report.summary() if report else "an error"
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Preview: problems to mend</title>"
        "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "code{background:#eee;padding:0 .2em}li{margin:.5em 0}</style></head><body><main>"
        f"<h1>The preview has problems to mend</h1><p>{html.escape(count)}. Each says which file, which line and "
        "what to do. This page turns into the site by itself once they are mended.</p>"
        f"<ul>{rows}</ul></main></body></html>"
    ).encode("utf-8")


class _Quiet(logging.Filter):
    """Our diagnostics are printed by the preview itself, once, and the server's request log is
    noise to an editor; MkDocs's own warnings pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.endswith(".livereload"):
            return record.levelno >= logging.ERROR
        return not record.name.endswith("plugins.mktogether")


def _looks(root: Path) -> list[tuple[str, int, int]]:
    """How the files that shape every page look: templates/ and mkdocs.yml. When they change, the
    preview builds the whole site again; data and prose changes rebuild only what they change."""
    files = [root / "mkdocs.yml", *sorted((root / "templates").rglob("*"))]
    return [(str(f), s.st_mtime_ns, s.st_size) for f in files if f.is_file() for s in [f.stat()]]


def _pages(uris: list[str]) -> str:
    """What a rebuild wrote, for the terminal: '3 files (handbook/2021-11/boards/risk.md, ...)'."""
    if not uris:
        return "nothing (no page changed)"
    shown = ", ".join(uris[:4]) + (f" and {len(uris) - 4} more" if len(uris) > 4 else "")
    return f"{plural(len(uris), 'file')} ({shown})"


def serve(root: Path, address: str, drafts: bool = False) -> int:
    host, _, port_text = address.rpartition(":")
    port = int(port_text)
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            print(f"error: {address} is in use; try another port, such as --address {host}:{port + 1}", file=sys.stderr)
            return 1
    for handler in {*logging.getLogger("mkdocs").handlers, *logging.getLogger("properdocs").handlers}:
        handler.addFilter(_Quiet())
    site_dir = Path(tempfile.mkdtemp(prefix="mktogether-serve-"))
    url = f"http://{host}:{port}/"
    shown: list[str] = []

    whole: list[MkDocsConfig] = []  # the config of the last whole build, while site_dir holds it
    looks: dict[str, Any] = {}  # how templates/ and mkdocs.yml looked then

    def builder(config: MkDocsConfig | None = None) -> None:
        start = time.perf_counter()
        report, message, rebuilt = None, None, None
        try:
            now = _looks(root)
            if whole and now == looks.get("then"):  # data or prose changed: the pages it changed, if it can
                plugin = whole[0].plugins["mktogether"]
                try:
                    rebuilt = plugin.rebuild(whole[0])  # type: ignore[attr-defined]
                finally:
                    report = plugin.report  # type: ignore[attr-defined]
            if rebuilt is None:
                whole.clear()  # a whole build empties site_dir first: nothing to rebuild from until it is done
                config = config or project_config(root, site_dir, drafts, command="serve")
                config.site_url = url
                plugin = config.plugins["mktogether"]
                build(config, serve_url=url)
                report = plugin.report  # type: ignore[attr-defined]
                whole.append(config)
                looks["then"] = now
            server.problems = None
        except DiagnosticsPluginError as exc:
            report = exc.report
            server.problems = error_page(report)
        except (MkDocsException, Abort) as exc:
            whole.clear()
            message = str(exc)
            server.problems = error_page(None, message)
        except Exception:  # a fault of the generator's own: say so, and never leave a request waiting
            whole.clear()
            message = "the generator failed; please report this:\n" + traceback.format_exc()
            server.problems = error_page(None, message)
        lines = [str(d) for d in report.sorted()] if report else []
        for line in lines:
            if line not in shown:  # each diagnostic once, when it appears
                print(line, file=sys.stderr)
        mended = len([line for line in shown if line not in lines])
        if mended:
            print(f"{mended} of the problems above {'is' if mended == 1 else 'are'} mended", file=sys.stderr)
        shown[:] = lines
        if message:
            print(f"error: {message}", file=sys.stderr)
        took = f"{time.perf_counter() - start:.2f} s"
        if server.problems:
            print(f"built in {took}: every page shows the problems until they are mended", file=sys.stderr, flush=True)
        elif rebuilt is None:
            print(f"built in {took}: {url}", file=sys.stderr, flush=True)
        else:
            print(f"rebuilt {_pages(rebuilt)} in {took}", file=sys.stderr, flush=True)

    server = PreviewServer(builder=builder, host=host, port=port, root=str(site_dir))
    try:
        config = project_config(root, site_dir, drafts, command="serve")
        builder(config)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        print(f"previewing on {url} (Ctrl+C to stop); it rebuilds when data/, content/ or templates/ change",
              file=sys.stderr, flush=True)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0
