"""Benchmark of what users feel: prints figures, asserts nothing (machines here are shared and noisy).

    .venv/bin/python bench/run.py [--scales 1,10,50] [--repeat 3] [--edits 5] [--rebuilds 100] [--json FILE]

At each scale (the real editions, plus synthetic copies of them under later ids, so that 10x is
ten times the editions and pages), in one run:
  - build_s: a whole build of the HTML site with our plugin (`mkdocs build`; the PDFs, which
    only `mktogether build` makes, are not in it), the median of --repeat runs;
  - plain_mkdocs_s: plain MkDocs + Material building the same generated pages (`mktogether
    export`, then `mkdocs build` of it): the floor of our stack, runs interleaved with ours;
    both are the time of MkDocs's build() call, which MkDocs itself reports as "built in";
  - process_s and plain_process_s: the same builds' whole processes, Python's start and every
    import included; cpu_s and plain_cpu_s: the processor time each took, forked processes and
    Pagefind's included (ours builds its pages on every core, so it takes more than it waits);
  - generator_s: the generator's share of our build (load, derive, check, plan, render);
  - ms_per_page, and peak_mb: the build process's peak resident memory (child_peak_mb: the
    largest process it started, a forked one, which shares most of its memory, or Pagefind);
  - preview_s: edit-to-visible in `mktogether serve`: write one board file, then time until the
    server serves the board's page with the new text over HTTP; the median of --edits edits;
  - serve_growth: the serve process's resident memory before and after --rebuilds more edits.
Each build runs in its own process, so that one build's memory and caches are not another's.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))



def copy_project(dest: Path) -> Path:
    # imported here, not above: a build's own process (--one-build) imports only what it builds with
    from generator.load import copy_project as _copy_project

    return _copy_project(ROOT, dest)


def add_synthetic_editions(root: Path, copies: int) -> None:
    """Copies of every real edition under new, later ids, so each copy is a whole edition."""
    real = sorted(p.parent for p in (root / "data").glob("*/*/edition.yml"))
    for n in range(1, copies):
        for folder in real:
            document, first, second = folder.parent.name, *folder.name.split("-")
            year = int(first) + n  # within the dates a gzip header (sitemap.xml.gz) can hold
            new_id = f"{document}/{year}-{(int(second) + n) % 100:02d}" if document == "annual-report" else f"{document}/{year}-{second}"
            old_id = f"{document}/{folder.name}"
            # a copy is a new edition, not the record of one that was published
            shutil.copytree(folder, root / "data" / new_id, ignore=shutil.ignore_patterns("record.yml"))
            content = root / "content" / old_id
            if content.is_dir():
                shutil.copytree(content, root / "content" / new_id)
            edition = root / "data" / new_id / "edition.yml"
            text = edition.read_text().replace(f"id: {old_id}", f"id: {new_id}")
            text = re.sub(r"follows: (\w[\w-]*)/(\d{4})-(\d{2})", lambda m: f"follows: {m.group(1)}/{int(m.group(2)) + n}-{m.group(3)}", text)
            text = re.sub(r"(published|covers_from|covers_to): (\d{4})", lambda m: f"{m.group(1)}: {int(m.group(2)) + n}", text)
            edition.write_text(text)
            attendance = root / "data" / new_id / "attendance.yml"
            if attendance.is_file():  # its meetings fall in its own year
                attendance.write_text(re.sub(r"month: '(\d{4})", lambda m: f"month: '{int(m.group(1)) + n}", attendance.read_text()))


# One build, in a process of its own ------------------------------------------------------------

def one_build(config_file: str, site_dir: str) -> None:
    """Build once and print what it took as JSON (called as `run.py --one-build CONFIG SITE`)."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(config_file, site_dir=site_dir)
    start = time.perf_counter()
    build(config)
    seconds = time.perf_counter() - start
    plugin = config.plugins.get("mktogether")
    cpu = sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
              for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(json.dumps({
        "seconds": seconds,
        "cpu_s": cpu,
        "generator_s": getattr(plugin, "generate_seconds", 0.0),
        "pages": sum(1 for _ in Path(site_dir).rglob("index.html")),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # the largest process it started (a forked one, sharing most of its memory, or Pagefind)
        "child_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


def build_in_process(config_file: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = subprocess.run([sys.executable, __file__, "--one-build", str(config_file), out],
                                capture_output=True, text=True, check=True)
        process = time.perf_counter() - start  # Python's start and every import too, as a user waits
    return json.loads(result.stdout.strip().splitlines()[-1]) | {"process_s": process}


# The preview -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def preview(root: Path, edits: int, rebuilds: int) -> dict[str, float | list[float]]:
    """Edit-to-visible times of `mktogether serve`, and its memory over many rebuilds."""
    # the newest Handbook's Risk Board, as an editor edits the edition in hand; its record is set
    # aside, since a published edition is locked until a correction is recorded
    newest = sorted((root / "data/handbook").glob("*/edition.yml"))[-1].parent
    (newest / "record.yml").unlink(missing_ok=True)
    board = newest / "boards/risk.yml"
    port = free_port()
    url = f"http://127.0.0.1:{port}/handbook/{newest.name}/boards/risk/"
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--address", f"127.0.0.1:{port}"],
                              cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    original = board.read_text()
    try:
        while "<h1" not in fetch(url):
            if server.poll() is not None:
                raise RuntimeError(f"the preview stopped: {server.stderr.read() if server.stderr else ''}")
            time.sleep(0.2)

        def edit(n: int) -> float:
            word = f"Edit{n}x"
            edited = original.replace("The Risk Board identifies", f"The Risk Board ({word}) identifies", 1)
            assert edited != original, f"{board} no longer says what the benchmark edits"
            board.write_text(edited)
            start = time.perf_counter()
            while word not in fetch(url):
                if time.perf_counter() - start > 600:
                    raise RuntimeError(f"the edit {word} never showed")
                time.sleep(0.01)
            return time.perf_counter() - start

        times = [edit(n) for n in range(edits)]
        before = rss_mb(server.pid)
        for n in range(edits, edits + rebuilds):
            edit(n)
        after = rss_mb(server.pid)
    finally:
        board.write_text(original)
        server.terminate()
        server.wait(timeout=60)
    figures: dict[str, float | list[float]] = {"preview_s": statistics.median(times), "preview_runs_s": [round(t, 3) for t in times]}
    if rebuilds:
        figures |= {"serve_mb_before": round(before, 1), "serve_mb_after": round(after, 1),
                    "serve_growth": round(after / before - 1, 4), "rebuilds": rebuilds}
    return figures


# The run -----------------------------------------------------------------------------------------

def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def measure(scale: int, repeat: int, edits: int, rebuilds: int) -> dict[str, object]:
    from generator.export import export

    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / f"x{scale}")
        if scale > 1:
            add_synthetic_editions(root, scale)
        plain = Path(tmp) / "plain"
        site, report = export(root, plain)
        assert site is not None, [str(d) for d in report.errors]
        # Python's compiled bytecode for our code and the export's hooks, as an install has it for
        # MkDocs's (an editable install, where PYTHONDONTWRITEBYTECODE is set, compiles every run)
        compileall.compile_dir(ROOT / "generator", quiet=1)
        compileall.compile_dir(plain / "hooks", quiet=1)
        ours, floor = [], []
        for _ in range(repeat):  # interleaved, so that a slow spell of the machine falls on both
            ours.append(build_in_process(root / "mkdocs.yml"))
            floor.append(build_in_process(plain / "mkdocs.yml"))
        build_s = statistics.median(r["seconds"] for r in ours)
        pages = int(ours[0]["pages"])
        figures: dict[str, object] = {
            "editions": len(list((root / "data").glob("*/*/edition.yml"))),
            "pages": pages,
            "build_s": round(build_s, 3),
            "plain_mkdocs_s": round(statistics.median(r["seconds"] for r in floor), 3),
            "process_s": round(statistics.median(r["process_s"] for r in ours), 3),
            "plain_process_s": round(statistics.median(r["process_s"] for r in floor), 3),
            "cpu_s": round(statistics.median(r["cpu_s"] for r in ours), 3),
            "plain_cpu_s": round(statistics.median(r["cpu_s"] for r in floor), 3),
            "generator_s": round(statistics.median(r["generator_s"] for r in ours), 3),
            "ms_per_page": round(1000 * build_s / pages, 2),
            "plain_ms_per_page": round(1000 * statistics.median(r["seconds"] for r in floor) / pages, 2),
            "peak_mb": round(max(r["peak_mb"] for r in ours), 1),
            "plain_peak_mb": round(max(r["peak_mb"] for r in floor), 1),
            "child_peak_mb": round(max(r["child_peak_mb"] for r in ours), 1),
        }
        figures |= preview(root, edits, rebuilds)
        return figures


def main() -> None:
    if sys.argv[1:2] == ["--one-build"]:
        one_build(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1,10,50", help="multiples of the real number of editions")
    parser.add_argument("--repeat", type=int, default=3, help="builds per figure at 1x and 10x (one at 50x); the median is given")
    parser.add_argument("--edits", type=int, default=5, help="preview edits timed; the median is given")
    parser.add_argument("--rebuilds", type=int, default=100, help="preview rebuilds for the memory figure, at scales up to 10x")
    parser.add_argument("--json", type=Path, help="write the figures to this file as JSON")
    args = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    results: dict[str, object] = {"machine": machine(), "scales": {}}
    print(f"{'scale':>5} {'pages':>6} {'build s':>8} {'plain s':>8} {'ratio':>6} {'process':>8} {'gen s':>7} {'ms/page':>8} "
          f"{'peak MB':>8} {'preview s':>10} {'serve MB growth':>16}", flush=True)
    for scale in (int(s) for s in args.scales.split(",")):
        figures = measure(scale, args.repeat if scale <= 10 else 1, args.edits, args.rebuilds if scale <= 10 else 0)
        results["scales"][str(scale)] = figures  # type: ignore[index]
        growth = f"{figures['serve_growth']:+.1%} ({figures['rebuilds']})" if "serve_growth" in figures else "-"
        print(f"{scale:>4}x {figures['pages']:>6} {figures['build_s']:>8.2f} {figures['plain_mkdocs_s']:>8.2f} "
              f"{figures['build_s'] / figures['plain_mkdocs_s']:>6.2f} "  # type: ignore[operator]
              f"{figures['process_s'] / figures['plain_process_s']:>8.2f} {figures['generator_s']:>7.2f} "  # type: ignore[operator]
              f"{figures['ms_per_page']:>8.1f} {figures['peak_mb']:>8.0f} {figures['preview_s']:>10.3f} {growth:>16}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
