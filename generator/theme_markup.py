"""The two controls of the theme's base template that its blocks do not reach, made valid HTML.

Material writes `<input ... id="__drawer" autocomplete="off">` and the same for `__search` at the
top of every page's body, outside any block an override can replace. `autocomplete` is not allowed
on a checkbox (the Nu Html Checker's error), neither has a name (HTML_CodeSniffer's), and the
search toggle serves the theme's search box, which this site replaces with its search page. The
drawer's toggle is named "Menu" and takes focus on a narrow window (mktogether.css), so that the
navigation opens from the keyboard with no script; the search toggle goes.

This module imports nothing of ours: the plugin calls it, and `mktogether export` lists it as a
MkDocs hooks file (the `on_*` functions at the end), so every engine's pages are the same.
"""
from __future__ import annotations

import re
from typing import Any

_DRAWER = re.compile(r'<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer"[^>]*>')
_SEARCH = re.compile(r'[ \t]*<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search"[^>]*>\n?')
DRAWER = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" aria-label="Menu">'


def fix(page: str) -> str:
    """The page with the theme's drawer toggle named and its search toggle gone; the same page
    again if it has already been fixed, or if it has neither (the preview's problem page)."""
    return _SEARCH.sub("", _DRAWER.sub(DRAWER, page, count=1), count=1)


# As a MkDocs hooks file (`hooks: [theme_markup.py]` in mkdocs.yml), for the export ------------

def on_post_page(output: str, page: Any, config: Any) -> str:
    return fix(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    return fix(output_content) if template_name.endswith(".html") else output_content  # 404.html
