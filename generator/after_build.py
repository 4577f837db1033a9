"""What follows any engine's build of the site, from the built files alone: the theme's markup
mended (theme_markup.py) and the Content-Security-Policy put into every page, the host's headers
file written (csp.py), then the search index (search.py).

One step for every engine, so every engine gives the same site: our plugin runs it after its
build; `mktogether export` copies this file, csp.py and search.py into the export's hooks/, where
MkDocs and ProperDocs run it as a hooks file (`on_post_build`) and, after an engine that runs no
MkDocs hooks (Zensical), a command does:

    python hooks/after_build.py site

Running it again over the same site gives the same bytes. It needs Python and the pagefind[bin]
package, and imports nothing of ours but the modules it runs; without pagefind it says, in one line, what to install.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

try:
    from . import csp, search, theme_markup
except ImportError:  # the export's hooks/after_build.py, a hooks file or a script: the modules beside it
    import csp  # type: ignore[no-redef]
    import search  # type: ignore[no-redef]
    import theme_markup  # type: ignore[no-redef]


def after_build(site_dir: Path, docs_dir: Path | None = None) -> int:
    """The policies, then the index, of the site built in `site_dir` from `docs_dir`; the number
    of pages. Nothing is written when Pagefind is missing (search.Missing)."""
    search.executable()  # before any page is touched
    pages = csp.write_policies(site_dir, docs_dir, mend=theme_markup.fix)
    search.index(site_dir)
    return pages


# As a MkDocs hooks file (`hooks: [hooks/after_build.py]` in the export's mkdocs.yml) ------------
# `mkdocs serve` injects a live-reload script that differs on every request, which no hash can
# allow: a served site gets its index only, as the plugin's preview does.

_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_post_build(config: Any) -> None:
    site_dir = Path(config["site_dir"])
    try:
        if _serving:
            search.index(site_dir)
        else:
            after_build(site_dir, Path(config["docs_dir"]))
    except search.Missing as exc:
        raise SystemExit(f"error: {exc}") from None  # one line, no traceback, in any engine


# As a command, after any engine's build ---------------------------------------------------------

def main(argv: list[str]) -> int:
    export = Path(__file__).resolve().parent.parent  # the export: hooks/ is in it, beside docs/
    if len(argv) > 1 or argv[:1] in (["-h"], ["--help"]):
        print(f"usage: python {sys.argv[0]} [SITE]: the policy and the search index of the site built "
              f"in SITE (default {export / 'site'})", file=sys.stderr)
        return 2
    site_dir = Path(argv[0]) if argv else export / "site"
    if not (site_dir / "index.html").is_file():
        print(f"error: no built site in {site_dir}: build it first (e.g. `zensical build -f mkdocs.yml`)", file=sys.stderr)
        return 1
    try:
        pages = after_build(site_dir, export / "docs")
    except search.Missing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{site_dir}: the Content-Security-Policy in {pages} pages and {csp.HEADERS_FILE}, "
          f"and the search index in {search.FOLDER}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
