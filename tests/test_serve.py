"""`mktogether serve`: a live preview on 127.0.0.1 that rebuilds when data, content or templates
change, starts on a broken project, shows the diagnostics on every page while a file is broken,
and never leaves a request waiting."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page at url, whatever its status; None if nothing answered within 10 seconds."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")
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


def start(project: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--address", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_serve_previews_and_reloads_on_edits(project: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/handbook/2023-10/boards/risk/"
    server = start(project, port)
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


def test_a_broken_file_shows_its_diagnostic_on_every_page_until_mended(project: Path) -> None:
    board = project / "data/handbook/2023-10/boards/risk.yml"
    board.write_text(board.read_text().replace("name: Risk\n", "nme: Risk\n"))
    port = free_port()
    server = start(project, port)
    diagnostic = "data/handbook/2023-10/boards/risk.yml:3:1</code>: <strong>error</strong>: unknown key &#x27;nme&#x27;"
    try:
        assert wait_for(lambda: diagnostic in (fetch(f"http://127.0.0.1:{port}/") or "")), "it did not start on a broken project"
        for path in ("handbook/2023-10/boards/risk/", "organisations/police/", "no/such/page/"):
            page = fetch(f"http://127.0.0.1:{port}/{path}")
            assert page is not None and diagnostic in page, f"{path} did not answer with the diagnostic"
            assert "/livereload/" in page, "the error page reloads by itself"
        board.write_text(board.read_text().replace("nme: Risk\n", "name: Risk\n"))
        url = f"http://127.0.0.1:{port}/handbook/2023-10/boards/risk/"
        assert wait_for(lambda: 'id="risk"' in (fetch(url) or "")), "the real page did not come back once mended"
        board.write_text(board.read_text().replace("name: Risk\n", "name Risk\n"))  # a second mistake
        assert wait_for(lambda: "data/handbook/2023-10/boards/risk.yml:" in (fetch(url) or "")), "a second mistake was not shown"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output and "ERROR" not in output
    assert output.count("unknown key 'nme'; did you mean 'name'?") == 1, "each diagnostic once:\n" + output
    assert "built in" in output and "GET /" not in output


def test_a_busy_port_gives_one_line(project: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "generator", "serve", "--address", f"127.0.0.1:{port}"],
                                cwd=project, capture_output=True, text=True, timeout=60,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: 127.0.0.1:{port} is in use; try another port, such as --address 127.0.0.1:{port + 1}"]


def without_reload_script(page: str) -> str:
    """The page as built: the server adds its live-reload script as it serves each page."""
    end = page.rindex("</body>")
    start = page.rindex("<script>", 0, end)
    assert "livereload" in page[start:end]
    return page[:start] + page[end:]


def test_a_page_rebuilt_in_the_preview_is_the_page_a_whole_build_makes(project: Path, tmp_path: Path) -> None:
    """The preview rebuilds only the pages an edit changes (plugin.rebuild); after edits of data
    and prose, and a mistake mended, every page it serves is the page a whole build makes."""
    from mkdocs.commands.build import build

    from generator.plugin import project_config

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    risk = project / "data/handbook/2023-10/boards/risk.yml"
    original = risk.read_text()
    edits = [
        (risk, original.replace("  - To identify new", "  - Quickly, to identify new", 1), "handbook/2023-10/boards/risk/", "Quickly, to"),
        (risk, original.replace("name: Risk\n", "nme: Risk\n"), "", "unknown key"),  # a mistake ...
        (risk, original.replace("  - To identify new", "  - Now, to identify new", 1), "handbook/2023-10/boards/risk/", "Now, to"),
        (project / "content/handbook/2023-10/introduction.md", None, "handbook/2023-10/introduction/", "Added in the preview."),
    ]
    server = start(project, port)
    try:
        assert wait_for(lambda: "<h1" in (fetch(base) or "")), "the preview never came up"
        for path, text, page, expected in edits:
            path.write_text(text if text is not None else path.read_text() + "\nAdded in the preview.\n")
            assert wait_for(lambda: expected in (fetch(base + page) or "")), f"{expected!r} never appeared"
        clean = tmp_path / "clean"  # the project as the edits left it, built whole as the preview builds
        config = project_config(project, clean, drafts=False, command="serve")
        config.site_url = base
        build(config, serve_url=base)
        pages = sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*.html"))
        assert len(pages) > 40
        for page in pages:
            served = fetch(base + page)
            assert served is not None and without_reload_script(served) == (clean / page).read_text(), page
        # the preview's search finds what was edited: Pagefind's index is the whole build's (its entry
        # file names the hashes of every piece)
        entry = (clean / "pagefind/pagefind-entry.json").read_text()
        assert wait_for(lambda: fetch(base + "pagefind/pagefind-entry.json") == entry), "the preview's search index"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    rebuilt = [line for line in output.splitlines() if line.startswith("rebuilt ")]
    assert len(rebuilt) == 3, output  # three edits and the mend rebuilt in part; the mistake built nothing
    assert "handbook/2023-10/boards/risk.md" in rebuilt[0] and "handbook/2023-10/introduction.md" in rebuilt[2], rebuilt
    assert "Traceback" not in output
