"""The Jinja environment our templates are rendered in, with the filters they use."""
from __future__ import annotations

from pathlib import Path

import jinja2

from . import text
from .compare import excerpts

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_environment(templates: Path, cache: bool = False) -> jinja2.Environment:
    """Jinja for our templates. With `cache`, compiled templates are kept between builds in
    Jinja's private per-user temporary folder, checked against each template's checksum:
    compiling them is most of the generator's fixed cost, and serve rebuilds often."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=jinja2.FileSystemBytecodeCache() if cache else None,
        autoescape=True,  # every template's output ends up as HTML or SVG
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        inline=text.inline, words=text.words, join_and=text.join_and, month=lambda n: text.MONTHS[n - 1],
        long_date=text.long_date, money=text.money, percent=text.percent, letter=text.letter, slug=text.slug,
        weekday=lambda date: WEEKDAYS[date.weekday()], excerpts=excerpts,
        phones=lambda printed: text.phone_numbers(printed) or [],
        phone_links=text.phone_links,
    )
    return env
