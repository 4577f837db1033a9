"""Headless Debian Chromium driven by Playwright, and a local server for the built site."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def require_browser() -> None:
    """Skip where Chromium cannot be had, except in CI, where a missing browser is a failure."""
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    message = f"{CHROMIUM} is not installed (make test installs Debian's chromium where it may)"
    if os.environ.get("MKTOGETHER_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] | None = None,
          path: str = "") -> Iterator[str]:
    """Serve a built site on a free loopback port (with a handler of the test's own, if given);
    yields its base URL, with `path` after it."""
    handler = functools.partial(handler_class or _QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
