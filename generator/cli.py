"""`mktogether check | build | serve | schema`: the comms team's commands."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from .diagnostics import Report
from .models import SCHEMAS, json_schema
from .pipeline import check, generate

SCHEMA_DIR = "schema"


def find_root(start: Path) -> Path | None:
    """The project root is the nearest folder upwards holding mkdocs.yml; None if none does."""
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").is_file():
            return folder
    return None


def print_report(report: Report) -> None:
    for diagnostic in report.sorted():
        print(diagnostic, file=sys.stderr)
    if report.items:
        print(report.summary(), file=sys.stderr)


def _escape(text: str, property: bool = False) -> str:
    """As a GitHub workflow command takes text: its own characters percent-encoded."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text


def github_annotations(report: Report) -> str:
    """Each diagnostic as a GitHub workflow command, which a pull request shows at its file and line
    among the changed files (`mktogether check --format github`)."""
    return "".join(f"::{d.severity} file={_escape(d.location.path, True)},line={d.location.line},col={d.location.col},"
                   f"title={_escape('mktogether check', True)}::{_escape(d.message)}\n" for d in report.sorted())


def cmd_check(root: Path, strict: bool, output: str = "text", today: dt.date | None = None) -> int:
    """Every problem of every file; and, as of `today` (default the real date), the editions in force
    due for review and an accessibility statement due its review."""
    site, report = generate(root, drafts=True, today=today or _today())
    if output == "github":  # on standard output, where the runner reads workflow commands
        sys.stdout.write(github_annotations(report))
    print_report(report)
    if not report.failed(strict):
        pages = len(site.pages) if site else 0
        print(f"ok: {pages} pages from {len(site.project.editions) if site else 0} editions", file=sys.stderr)
    return 1 if report.failed(strict) else 0


class _Formatter(logging.Formatter):
    """Our diagnostics as they are (`path:line:col: warning: ...`); MkDocs's own with their level."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name.endswith("plugins.mktogether"):
            return record.getMessage()
        return f"{record.levelname}: {record.getMessage()}"


def _mkdocs_logging(level: int = logging.WARNING) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    for name in ("mkdocs", "properdocs"):  # ProperDocs logs under its own name, and takes in MkDocs's loggers
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


class _CtrlC:
    """Ctrl+C during a build, noted as well as raised: a library may catch the KeyboardInterrupt and
    go on (WeasyPrint catches every exception while it draws a chart), and the build must stop all
    the same. Once the build is done, Ctrl+C is only noted: the site it made is swapped in whole.
    Left alone where Ctrl+C is ignored, as in a script's background job."""

    def __init__(self) -> None:
        self.pressed = self.publishing = False
        self.previous = signal.getsignal(signal.SIGINT)
        if self.previous is signal.default_int_handler:
            signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum: int, frame: object) -> None:
        self.pressed = True
        if not self.publishing:
            raise KeyboardInterrupt

    def restore(self) -> None:
        if self.previous is signal.default_int_handler:
            signal.signal(signal.SIGINT, self.previous)


def cmd_build(root: Path, strict: bool, site_dir: Path | None, drafts: bool = False, as_of: dt.date | None = None) -> int:
    """Build into a fresh folder beside the target, then swap it in: all or nothing."""
    target = (site_dir or root / "site").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    _mkdocs_logging()
    ctrl_c = _CtrlC()
    try:
        return _build_and_swap(root, strict, drafts, target, staging, ctrl_c, as_of)
    finally:
        ctrl_c.restore()


def _build_and_swap(root: Path, strict: bool, drafts: bool, target: Path, staging: Path, ctrl_c: _CtrlC,
                    as_of: dt.date | None = None) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    from . import elsewhere
    from .plugin import DiagnosticsPluginError, project_config

    try:
        config = project_config(root, staging, drafts, strict, as_of=as_of)
        plugin = config.plugins["mktogether"]
        build(config)
        ctrl_c.publishing = True
        if ctrl_c.pressed:  # raised, and caught on its way here
            raise KeyboardInterrupt
    except DiagnosticsPluginError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print_report(exc.report)
        print("build stopped: nothing was written", file=sys.stderr)
        return 1
    except (MkDocsException, Abort) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"error: {exc}\nbuild stopped: the previous site was left as it was", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        elsewhere.abandon_all()  # MkDocs tells plugins of an Exception only (on_build_error), never of this
        shutil.rmtree(staging, ignore_errors=True)
        print("build interrupted: the previous site was left as it was", file=sys.stderr)
        return 130
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old / "site")
    os.replace(staging, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    if plugin.report and plugin.report.items:  # type: ignore[attr-defined]
        print(plugin.report.summary(), file=sys.stderr)  # type: ignore[attr-defined]
    print(f"built {len(plugin.site.pages)} pages into {target}", file=sys.stderr)  # type: ignore[attr-defined]
    return 0


def cmd_serve(root: Path, address: str, drafts: bool = False) -> int:
    from .preview import serve

    _mkdocs_logging()
    return serve(root, address, drafts)


def cmd_diff(root: Path, old: str, new: str, output: str) -> int:
    """The changes between two editions, in plain English or as data."""
    from .compare import as_markdown, as_text
    from .derive import edition_changes

    project, _, report = check(root)
    if report.errors:
        print_report(report)
        return 1
    unknown = [e for e in (old, new) if e not in project.editions]
    if unknown:
        print(f"error: no edition {', '.join(repr(u) for u in unknown)}; the editions are: {', '.join(project.editions)}",
              file=sys.stderr)
        return 1
    changes = edition_changes(project, project.editions[old], project.editions[new])
    formats = {"json": lambda: json.dumps(changes.as_data(), indent=2, ensure_ascii=False),
               "markdown": lambda: as_markdown(changes), "text": lambda: as_text(changes)}
    print(formats[output]())
    return 0


def cmd_lifecycle(root: Path, action: str, editions: list[str], **options: object) -> int:
    """new-edition, publish and correct (lifecycle.py), of each edition in turn: each prints what it
    did and what comes next, or one line saying why not, having written nothing; then the check."""
    from . import lifecycle

    for edition in editions:
        try:
            lines = getattr(lifecycle, action)(root, edition, **options)
        except lifecycle.Refused as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print("\n".join(lines), file=sys.stderr)
    return cmd_check(root, strict=False)


def _today() -> dt.date:
    """The day `check` takes as today: MKTOGETHER_TODAY if set (the tests pin it), else the clock's."""
    pinned = os.environ.get("MKTOGETHER_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def cmd_export(root: Path, out: Path, drafts: bool) -> int:
    from .export import export

    out = out.resolve()
    if out.exists():
        print(f"error: {out} exists already; export into a new folder", file=sys.stderr)
        return 1
    site, report = export(root, out, drafts)
    print_report(report)
    if site is None:
        print("export stopped: nothing was written", file=sys.stderr)
        return 1
    print(f"exported {len(site.pages)} pages to {out}; {out / 'README.md'} says how each engine builds it", file=sys.stderr)
    return 0


def cmd_schema(root: Path) -> int:
    out = root / SCHEMA_DIR
    out.mkdir(exist_ok=True)
    for name, model in SCHEMAS.items():
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(schema_of(name, model), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(root)}", file=sys.stderr)
    return 0


def schema_of(name: str, model: type) -> dict:
    return json_schema(model, f"{name}.schema.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mktogether", description="Build the MK Together site from data/ and content/.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate every file and print diagnostics; exit 1 on an error")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=["text", "github"], default="text",
                       help="github: each diagnostic also as a workflow annotation, shown at its line in a pull request")
    check.add_argument("--today", type=_date, help="the day to check reviews against (editions due for review, the "
                                                   "accessibility statement's), YYYY-MM-DD (default: today, or MKTOGETHER_TODAY)")
    build_p = sub.add_parser("build", help="check, then build the site (all or nothing)")
    build_p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build_p.add_argument("--site-dir", type=Path, help="where to write the site (default: site/)")
    build_p.add_argument("--drafts", action="store_true", help="build draft editions too, each page marked DRAFT")
    build_p.add_argument("--as-of", type=_date, metavar="DATE", help="the day to build the site for, YYYY-MM-DD: which "
                         "edition is in force that day (default: today)")
    serve_p = sub.add_parser("serve", help="live preview that reloads when data/, content/ or templates/ change")
    serve_p.add_argument("--address", default="127.0.0.1:8000", help="host:port to serve on (default 127.0.0.1:8000)")
    serve_p.add_argument("--drafts", action="store_true", help="show draft editions too, each page marked DRAFT")
    diff_p = sub.add_parser("diff", help="what changed between two editions, in plain English")
    diff_p.add_argument("old", help="the earlier edition, e.g. handbook/2021-04")
    diff_p.add_argument("new", help="the later edition, e.g. handbook/2021-11")
    diff_p.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    new_p = sub.add_parser("new-edition", help="start a new edition as a draft, as its kind of document needs")
    new_p.add_argument("new", help="the new edition's id, e.g. handbook/2022-04 or annual-report/2022-23")
    new_p.add_argument("--from", dest="source", required=True, help="the edition it follows, e.g. handbook/2021-11")
    pub_p = sub.add_parser("publish", help="publish a draft edition: status, date, subtitle, and a record of it")
    pub_p.add_argument("edition", help="e.g. handbook/2022-04")
    pub_p.add_argument("--date", type=_date, required=True, help="the day it is published, YYYY-MM-DD")
    pub_p.add_argument("--approved-by", metavar="BOARD", help="the id of the board that approved it, in the Handbook in "
                       "force that day, e.g. management-board")
    pub_p.add_argument("--minute", help="the minute that records the approval, as the board's minutes number it, e.g. 6")
    pub_p.add_argument("--approved-on", type=_date, metavar="DATE",
                       help="the day the board approved it, YYYY-MM-DD (default: the day it is published)")
    pub_p.add_argument("--in-force-from", type=_date, metavar="DATE", help="the day it comes into force, YYYY-MM-DD, "
                       "where that is after the day it is published: until then the edition before it stays in force")
    pub_p.add_argument("--review-by", type=_date, metavar="DATE", help="the day it is next due for review, YYYY-MM-DD "
                       "(default: its document's review interval from the day it is published)")
    cor_p = sub.add_parser("correct", help="record a correction made to a published edition")
    cor_p.add_argument("edition", nargs="+", help="e.g. handbook/2021-11; several, where one change to a shared file "
                       "corrects each")
    cor_p.add_argument("--what", required=True, help="what was corrected, in a sentence")
    cor_p.add_argument("--why", required=True, help="why, in a sentence")
    cor_p.add_argument("--date", type=_date, help="the day of the correction, YYYY-MM-DD (default: today)")
    review_p = sub.add_parser("review", help="what merging the working tree changes, against git revision REV")
    review_p.add_argument("rev", help="the git revision to compare with, e.g. main or HEAD~1")
    review_p.add_argument("--format", choices=["text", "markdown", "comment", "json"], default="text",
                          help="comment: Markdown for one pull-request comment, cut to GitHub's limit")
    review_p.add_argument("--comment", type=Path, metavar="FILE",
                          help="also write the pull-request comment to FILE (the review workflow posts it)")
    export_p = sub.add_parser("export", help="write the site as a plain MkDocs project that any engine builds")
    export_p.add_argument("dir", type=Path, help="a new folder to write it to")
    export_p.add_argument("--drafts", action="store_true", help="include draft editions, each page marked DRAFT")
    sub.add_parser("schema", help=f"write the JSON Schema of each kind of data file to {SCHEMA_DIR}/")
    args = parser.parse_args(argv)
    try:
        root = find_root(Path.cwd())
    except FileNotFoundError:  # the folder the command was started in was deleted or moved meanwhile
        print("error: the folder you are in no longer exists; cd into the project's folder again", file=sys.stderr)
        return 1
    if root is None:
        print(f"error: no project here: no mkdocs.yml in {Path.cwd()} or a folder above it; run mktogether in the "
              "folder that holds mkdocs.yml, data/ and content/", file=sys.stderr)
        return 1
    if args.command == "check":
        return cmd_check(root, args.strict, args.format, args.today)
    if args.command == "build":
        return cmd_build(root, args.strict, args.site_dir, args.drafts, args.as_of)
    if args.command == "serve":
        return cmd_serve(root, args.address, args.drafts)
    if args.command == "diff":
        return cmd_diff(root, args.old, args.new, args.format)
    if args.command == "new-edition":
        return cmd_lifecycle(root, "new_edition", [args.new], source=args.source)
    if args.command == "export":
        return cmd_export(root, args.dir, args.drafts)
    if args.command == "review":
        from .review import cmd_review

        return cmd_review(root, args.rev, args.format, args.comment)
    if args.command == "publish":
        if (args.approved_by is None) != (args.minute is None) or args.approved_on and not args.approved_by:
            print("error: an approval needs the board and the minute: --approved-by BOARD --minute TEXT "
                  "(and --approved-on DATE where it was approved before the day it is published)", file=sys.stderr)
            return 1
        return cmd_lifecycle(root, "publish", [args.edition], date=args.date, approved_by=args.approved_by,
                             minute=args.minute, approved_on=args.approved_on, review_by=args.review_by,
                             in_force_from=args.in_force_from)
    if args.command == "correct":
        return cmd_lifecycle(root, "correct", args.edition, what=args.what, why=args.why, date=args.date)
    return cmd_schema(root)


if __name__ == "__main__":
    sys.exit(main())
