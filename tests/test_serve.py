"""`mktogether serve`: a live preview on 127.0.0.1 that rebuilds when data, content or templates change."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(condition, limit: float = 120.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll until the condition holds; the limit only stops a hung test, it measures nothing."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_serve_previews_and_reloads_on_edits(project: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/handbook/2023-10/boards/risk/"
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--address", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert wait_for(lambda: "<h1" in (fetch(url) or "")), "the preview never came up"
        board = project / "data/handbook/2023-10/boards/risk.yml"
        board.write_text(board.read_text().replace("name: Risk\n", "name: Risk and Exploitation\n"))
        assert wait_for(lambda: 'id="risk-and-exploitation"' in (fetch(url) or "")), "an edit to data/ was not previewed"
        prose = project / "content/handbook/2023-10/introduction.md"
        prose.write_text(prose.read_text() + "\nA sentence added while previewing.\n")
        intro = f"http://127.0.0.1:{port}/handbook/2023-10/introduction/"
        assert wait_for(lambda: "A sentence added while previewing." in (fetch(intro) or "")), "an edit to content/ was not previewed"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output
    assert f"127.0.0.1:{port}" in output
