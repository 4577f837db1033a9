"""Links between pages as the built site spells them (directory URLs)."""
from __future__ import annotations

import posixpath


def page_url(target_uri: str, current_uri: str) -> str:
    """The URL of page `target_uri` relative to page `current_uri` (both src_uris, such as 'a/b.md').

    Links inside raw HTML and SVG are not rewritten by MkDocs, so they are written as served."""

    def directory(uri: str) -> str:
        stem = uri[: -len(".md")]
        return stem[: -len("index")] if stem.endswith("index") else stem + "/"

    here, there = directory(current_uri), directory(target_uri)
    rel = posixpath.relpath(there or ".", here or ".")
    return "./" if rel == "." else rel + "/"
