"""A build's pages on every core (generator/pages.py, elsewhere.py): forked processes convert and
render runs of pages, and the site, its warnings and their order are those of one process."""
from __future__ import annotations

import hashlib
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.utils import meta

from conftest import ROOT, copy_fixture
from generator import cli, pages, pipeline
from generator.pipeline import generate

# A template that makes MkDocs warn while it converts every board page, most of them in a run
# another process converts: MkDocs's own validation, which the generator's checks do not preempt.
WARNING_LINK = "\n[elsewhere](/not-a-page/)\n"


def site_digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


def build_site(root: Path, out: Path, jobs: int, strict: bool = False) -> tuple[list[str], object]:
    """Build in this process with `jobs` processes; the warnings MkDocs logged, in order, and the plugin."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(out), strict=strict)
    plugin = config.plugins["mktogether"]
    plugin.config.jobs = jobs  # type: ignore[attr-defined]
    plugin.config.strict = False  # type: ignore[attr-defined]  # the fixture's data warning is not MkDocs's to count
    records = Records()
    logging.getLogger("mkdocs").addHandler(records)
    try:
        build(config)
    finally:
        logging.getLogger("mkdocs").removeHandler(records)
    return records.lines, plugin


@pytest.fixture
def warning_project(tmp_path: Path) -> Path:
    root = copy_fixture(tmp_path / "project")
    board = root / "templates/pages/board.md.j2"
    board.write_text(board.read_text() + WARNING_LINK)
    return root


def test_pages_built_in_several_processes_are_the_pages_of_one(warning_project: Path, tmp_path: Path) -> None:
    one, _ = build_site(warning_project, tmp_path / "one", jobs=1)
    several, plugin = build_site(warning_project, tmp_path / "several", jobs=3)
    assert len(plugin.forked) == 4, "two processes converted pages, two rendered them"  # type: ignore[attr-defined]
    assert site_digests(tmp_path / "several") == site_digests(tmp_path / "one")
    link_warnings = [line for line in one if "/not-a-page/" in line]
    boards = len(list((tmp_path / "one").glob("handbook/*/boards/*/index.html")))
    assert boards > 4 and len(link_warnings) >= boards, "every board page warns, in every run"
    assert several == one, "the same warnings, once each, in the order one process gives them"


def test_strict_counts_the_warnings_of_pages_converted_elsewhere(warning_project: Path, tmp_path: Path) -> None:
    for jobs in (1, 3):
        with pytest.raises(Abort, match=r"Aborted with \d+ warnings in strict mode"):
            build_site(warning_project, tmp_path / f"strict{jobs}", jobs=jobs, strict=True)


def test_a_forked_process_that_fails_leaves_its_pages_to_the_build(project: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(project, tmp_path / "one", jobs=1)
    parent = os.getpid()
    populate, context, check_prose = pages._populate_page, pages.get_context, pipeline._check_prose

    def failing_elsewhere(step):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            if os.getpid() != parent:
                raise MemoryError("a forked process dies")
            return step(*args, **kwargs)
        return run

    monkeypatch.setattr(pages, "_populate_page", failing_elsewhere(populate))
    monkeypatch.setattr(pages, "get_context", failing_elsewhere(context))
    monkeypatch.setattr(pipeline, "_check_prose", failing_elsewhere(check_prose))
    _, plugin = build_site(project, tmp_path / "several", jobs=2)
    assert plugin.forked and all(later.got and later.value is None for later in plugin.forked)  # type: ignore[attr-defined]
    assert site_digests(tmp_path / "several") == site_digests(tmp_path / "one")


def test_a_build_that_stops_leaves_no_forked_process_behind(project: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    before = children_of(os.getpid())
    render = pages.render_elsewhere

    def render_then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        render(*args, **kwargs)
        raise RuntimeError("the build stops with pages still in other processes")

    monkeypatch.setattr(pages, "render_elsewhere", render_then_fail)
    with pytest.raises(RuntimeError, match="the build stops"):
        build_site(project, tmp_path / "site", jobs=2)
    assert children_of(os.getpid()) == before


def test_the_prose_checked_in_a_forked_process_gives_the_same_diagnostics(project: Path) -> None:
    prose = project / "content/handbook/2023-04/introduction.md"
    prose.write_text(prose.read_text() + "\nSee [the handbook](/handbook/) and [a board](boards/no-such-board.md).\n")
    edition = project / "data/annual-report/2023-24/edition.yml"
    edition.write_text(edition.read_text() + "\nunknown_field: 1\n")
    one = generate(project, jobs=1)[1].sorted()
    assert generate(project, jobs=2)[1].sorted() == one
    assert sum(d.severity == "error" for d in one) >= 3, [str(d) for d in one]


def test_front_matter_is_read_as_mkdocs_reads_it(fixture_root: Path) -> None:
    site, _ = generate(fixture_root)
    assert site is not None
    for uri, text in site.pages.items():
        assert pages.front_matter(text) == meta.get_data(text), uri
    for text in ("---\ntitle: Plain YAML\n---\n\n# Body\n", "# No front matter\n", "---\n[1, 2]\n---\nA list\n",
                 '---\n{"broken": \n---\nText\n'):
        assert pages.front_matter(text) == meta.get_data(text), text


def test_ctrl_c_stops_a_build_and_every_process_it_forked(project: Path) -> None:
    """Ctrl+C, as a terminal sends it to the build's whole process group once the build has forked:
    one line, no traceback, the previous site as it was, and no process left behind."""
    (project / "site").mkdir()
    (project / "site/index.html").write_text("the previous site")
    # SIGINT at its default, as in a terminal's foreground job, where the tests run with it ignored
    # (a script's background job): the build would rightly ignore it too
    build = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project, start_new_session=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT), "MKTOGETHER_JOBS": "2"},
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # Ctrl+C while the group is stopped with a forked process in it: the build has not yet read that
    # process's result, so it has not published, however long this process took to get here
    deadline = time.monotonic() + 120
    forked = False
    while not forked and build.poll() is None and time.monotonic() < deadline:
        if children_of(build.pid):
            os.killpg(build.pid, signal.SIGSTOP)
            while state_of(build.pid) not in ("T", "Z", None):  # stopped, or ended meanwhile
                time.sleep(0.001)
            forked = bool(children_of(build.pid))
            if forked:
                os.killpg(build.pid, signal.SIGINT)
            os.killpg(build.pid, signal.SIGCONT)
        else:
            time.sleep(0.005)
    assert forked, "the build forked"
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 130, stderr
    assert stderr.splitlines()[-1] == "build interrupted: the previous site was left as it was"
    assert "Traceback" not in stderr
    assert (project / "site/index.html").read_text() == "the previous site"
    assert sorted(p.name for p in project.iterdir()) == ["content", "data", "mkdocs.yml", "schema", "site", "templates"]
    deadline = time.monotonic() + 10
    while group_alive(build.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(build.pid), "a forked process outlived the build"


def test_ctrl_c_that_a_library_swallows_still_stops_the_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint catches every exception while it draws a chart (images.SVGImage.draw), Ctrl+C's
    KeyboardInterrupt too: a Ctrl+C then must stop the build all the same, the previous site kept."""
    import weasyprint.svg

    (project / "site").mkdir()
    (project / "site/index.html").write_text("the previous site")
    monkeypatch.setenv("MKTOGETHER_JOBS", "1")
    draw, pressed = weasyprint.svg.SVG.draw, []

    def ctrl_c_while_drawing(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not pressed:
            pressed.append(True)
            os.kill(os.getpid(), signal.SIGINT)
        return draw(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.svg.SVG, "draw", ctrl_c_while_drawing)
    monkeypatch.setattr(cli, "_mkdocs_logging", lambda: None)  # this process's logging left as the other tests have it
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as where the tests run with it ignored
    try:
        status = cli.cmd_build(project, strict=False, site_dir=None)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert pressed, "a chart was drawn"
    assert status == 130
    assert (project / "site/index.html").read_text() == "the previous site"
    assert sorted(p.name for p in project.iterdir()) == ["content", "data", "mkdocs.yml", "schema", "site", "templates"]


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def state_of(pid: int) -> str | None:
    """The process's state (R running, S sleeping, T stopped, Z ended, ...); None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
