"""`mktogether export DIR`: the site as a plain MkDocs project that needs no plugin of ours.

The same generation as the plugin's (pipeline.generate, the page plan) written out: every page as
Markdown under docs/ (with its front matter, from which the theme overrides draw the switcher,
banners, corrections and canonical links), the data downloads and the feed, the other files of
content/ (images, PDFs), the theme overrides, and a mkdocs.yml with the navigation and the site's
settings but not our plugin. Any MkDocs-compatible engine builds it: MkDocs, ProperDocs, Zensical.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from . import after_build, csp, search, theme_markup
from .diagnostics import Report
from .load import is_junk
from .pipeline import Site, generate
from .prose import read_config

PLUGIN = "mktogether"
HOOK = "hooks/after_build.py"
README = """# The MK Together site, exported

Written by `mktogether export` from the project's data/, content/ and templates/: edit the
project and export again; an edit here is lost.

A plain MkDocs project: the pages in docs/, the theme's overrides in overrides/, and in hooks/
what follows every build (the Content-Security-Policy of each page and the host's `_headers`
file, then the search index in `site/pagefind/`). Those hooks need Python 3.11 or later and the
`{pagefind}` package, in the Python that builds:

    python -m pip install "{pagefind}"

Each engine builds into site/, the same site:

- MkDocs: `pip install mkdocs mkdocs-material`, then `mkdocs build`
- ProperDocs: `pip install properdocs mkdocs-material`, then `properdocs build`
- Zensical, which runs no MkDocs hooks: `pip install zensical`, then
  `zensical build -f mkdocs.yml && python {hook} site`

`python {hook} site` may run after any engine's build, as often as you like: it gives the same
site each time.
"""


def export(root: Path, out: Path, drafts: bool = False) -> tuple[Site | None, Report]:
    """Write the export into `out`, a folder that must not exist yet; nothing is written on an error."""
    site, report = generate(root, drafts=drafts)
    if site is None:
        return None, report
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        docs = staging / "docs"
        for uri, text in [*site.pages.items(), *site.files.items()]:  # pages, then the downloads and the feed
            (docs / uri).parent.mkdir(parents=True, exist_ok=True)
            (docs / uri).write_text(text, encoding="utf-8", newline="")
        content = root / "content"
        for path in sorted(content.rglob("*")) if content.is_dir() else []:
            if path.is_file() and path.suffix != ".md" and not is_junk(path):  # images and documents, as they are
                (docs / path.relative_to(content)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, docs / path.relative_to(content))
        config = _config(root, site)
        custom = config["theme"].get("custom_dir")
        if custom:
            shutil.copytree(root / custom, staging / "overrides")
            config["theme"]["custom_dir"] = "overrides"
        (staging / "hooks").mkdir()  # the Content-Security-Policy and the search the plugin adds, by the same modules
        for module in (after_build, theme_markup, csp, search):
            shutil.copyfile(Path(module.__file__), staging / f"hooks/{Path(module.__file__).name}")
        config["hooks"] = [HOOK]
        header = ("# Exported by `mktogether export` from the project's data/, content/ and templates/:\n"
                  "# a plain MkDocs project; README.md says how each engine builds it.\n"
                  "# Edit the project and export again; an edit here is lost.\n")
        (staging / "README.md").write_text(README.format(hook=HOOK, pagefind=search.PAGEFIND), encoding="utf-8")
        (staging / "mkdocs.yml").write_text(
            header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return site, report


def _config(root: Path, site: Site) -> dict[str, Any]:
    """The project's mkdocs.yml, with its `!ENV` values resolved, our plugin left out, the pages in
    docs/, and the navigation written out."""
    config = read_config(root / "mkdocs.yml") or {}
    plugins = [p for p in config.get("plugins", []) if p != PLUGIN and not (isinstance(p, dict) and PLUGIN in p)]
    config = {**config, "docs_dir": "docs", "site_dir": "site", "plugins": plugins, "nav": site.nav}
    config["extra"] = {**(config.get("extra") or {}), "search_base": search.base_path(config.get("site_url"))}
    config["theme"] = {**(config.get("theme") or {}), "variant": "classic"}  # Zensical's Material look; MkDocs ignores it
    config["markdown_extensions"] = [{"abbr": {**((e.get("abbr") if isinstance(e, dict) else None) or {}), "glossary": site.abbreviations}}
                                     if e == "abbr" or (isinstance(e, dict) and "abbr" in e) else e
                                     for e in config.get("markdown_extensions", [])]
    return config
