"""Benchmark of the build: prints figures, asserts nothing (machines here are shared and noisy).

    .venv/bin/python bench/run.py [--repeat N] [--scales 1,10,50]

Figures: full build of the real site; the generator's own time (load, derive, check, plan,
render) against MkDocs's time in the same run; rebuild after a one-line YAML edit; and build
time and time per page for synthetic data at several times the real number of editions.
"""
from __future__ import annotations

import argparse
import logging
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.load import copy_project as _copy_project  # noqa: E402


def copy_project(dest: Path) -> Path:
    return _copy_project(ROOT, dest)


def build_once(root: Path) -> tuple[float, float, int]:
    """(generator seconds, MkDocs seconds, pages) for one whole build, measured in the same run."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory() as out:
        config = load_config(str(root / "mkdocs.yml"), site_dir=out)
        plugin = config.plugins["mktogether"]
        start = time.perf_counter()
        build(config)
        done = time.perf_counter()
    generator = plugin.generate_seconds  # type: ignore[attr-defined]
    return generator, done - start - generator, len(plugin.site.plan.pages)  # type: ignore[attr-defined]


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


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is printed")
    parser.add_argument("--scales", default="1,10,50", help="multiples of the real number of editions")
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    print(f"machine: {machine()}")

    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "real")
        runs = [build_once(root) for _ in range(args.repeat)]
        gen = statistics.median(r[0] for r in runs)
        mk = statistics.median(r[1] for r in runs)
        pages = runs[0][2]
        print(f"full build of the real site: {gen + mk:.2f} s for {pages} pages (median of {args.repeat})")
        print(f"generator's own time: {gen:.3f} s; MkDocs: {mk:.2f} s; generator share {gen / (gen + mk):.1%}, "
              f"ratio generator:MkDocs 1:{mk / gen:.0f}")

        board = root / "data/handbook/2021-11/boards/risk.yml"
        edits = []
        for i in range(args.repeat):
            board.write_text(board.read_text().replace("name: Risk\n", f"name: Risk{' ' * (i + 1)}\n", 1))
            g, m, _ = build_once(root)
            edits.append(g + m)
        print(f"rebuild after a one-line YAML edit: {statistics.median(edits):.2f} s (a full rebuild; median of {args.repeat})")

    print("scale (editions)  pages  build s  generator s  ms per page")
    for scale in (int(s) for s in args.scales.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            root = copy_project(Path(tmp) / f"x{scale}")
            add_synthetic_editions(root, scale)
            editions = len(list((root / "data").glob("*/*/edition.yml")))
            g, m, pages = build_once(root)
            print(f"{scale:>4}x ({editions:>3})      {pages:>5}  {g + m:>7.2f}  {g:>11.3f}  {1000 * (g + m) / pages:>11.1f}")


if __name__ == "__main__":
    main()
