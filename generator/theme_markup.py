"""The controls of the theme's base template that its blocks do not reach, made valid HTML.

Material writes `<input ... id="__drawer" autocomplete="off">` and the same for `__search` at the
top of every page's body, outside any block an override can replace. `autocomplete` is not allowed
on a checkbox (the Nu Html Checker's error), neither has a name (HTML_CodeSniffer's), and the
search toggle serves the theme's search box, which this site replaces with its search page. The
drawer's toggle is named "Menu" and takes focus on a narrow window (mktogether.css), so that the
navigation opens from the keyboard with no script; the search toggle goes. Zensical's base
template also hides the drawer's overlay, a label of that toggle, with `aria-hidden`, which a
label of a control may not have, and links the home page's logo to itself as `href=""`, a link
with no address to HTML_CodeSniffer: `./`, the same page, as MkDocs writes it.

after_build.py mends every page after any engine's build (and the preview's plugin each page as
it is written), so every engine's pages are the same. This module imports nothing of ours: the
export copies it beside after_build.py.
"""
from __future__ import annotations

import re

_DRAWER = re.compile(r'<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer"[^>]*>')
_SEARCH = re.compile(r'[ \t]*<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search"[^>]*>\n?')
_OVERLAY = re.compile(r'<label class="md-overlay" for="__drawer" aria-hidden="true">')
_EMPTY_LINK = re.compile(r'(<a href=)""')
DRAWER = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" aria-label="Menu">'
OVERLAY = '<label class="md-overlay" for="__drawer">'


def fix(page: str) -> str:
    """The page with the theme's drawer toggle named, its overlay not hidden, its search toggle gone
    and no empty link; the same page again if it has been mended, or has none of them."""
    page = _DRAWER.sub(DRAWER, page, count=1)
    page = _OVERLAY.sub(OVERLAY, _SEARCH.sub("", page, count=1), count=1)
    return _EMPTY_LINK.sub(r'\1"./"', page)
