"""The structure chart of a Handbook edition, laid out from its terms of reference.

A small layered layout: the statutory boards, then the Management Board accountable to both,
then the affiliated boards. Two variants are drawn, each at its own width in CSS px: a wide one,
and a one-column one for phones; the stylesheet shows the wide one where its column is at least
as wide (a container query), so either is drawn at scale 1. Every box links to its board's page.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import jinja2
from markupsafe import Markup

from .load import EditionData
from .models import Board
from .plan import board_uri, served_url

LINE = 16  # px between lines of text
PAD = 10
GAP = 36  # between tiers, room for the connector
CHAR = 7.2  # average width of a 13px character, for wrapping
# The widths of the two variants in CSS px: the narrow one fits a phone's column (343 px at 375 px),
# the wide one a desktop's (688 px); the stylesheet's container query names WIDE too.
WIDE = 680
NARROW = 340


@dataclass
class Line:
    text: str
    css: str = "mkt-box__text"


@dataclass
class Box:
    board_id: str
    board: Board
    href: str
    lines: list[Line]
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    wrapped: list[Line] = field(default_factory=list)

    @property
    def suspended(self) -> bool:
        return self.board.status == "suspended"


def _box_lines(board: Board) -> list[Line]:
    lines = [Line(board.name, "mkt-box__title")]
    if board.status == "suspended":
        lines.append(Line("Suspended", "mkt-box__status"))
    if board.legal_basis:
        lines.append(Line(board.legal_basis.act))
    if board.meetings:
        count = board.meetings.per_year
        lines.append(Line(f"{'At least ' if board.meetings.at_least else ''}{count} meetings a year"))
    if board.scrutineer_attends:
        lines.append(Line("Independent scrutineer attends"))
    if board.sponsor:
        lines.append(Line(f"Sponsor: {board.sponsor.label}"))
    elif board.chair and board.kind == "affiliated":
        lines.append(Line(f"Chair: {board.chair.label}"))
    if board.kind != "affiliated" and board.members:
        lines.append(Line("Core membership:", "mkt-box__heading"))
        for m in board.members:
            places = f" ({m.places} places)" if m.places and m.places > 1 else ""
            role = " (chair)" if m.chair else " (vice chair)" if m.vice_chair else ""
            lines.append(Line(f"\u2022 {_plain(m.label)}{places}{role}"))
    return lines


def _plain(text: str) -> str:
    return text.replace("*", "").replace("\\", "")


def tiers_of(edition: EditionData, page_uri: str) -> list[list[Box]]:
    def box(board_id: str, board: Board) -> Box:
        return Box(board_id, board, served_url(board_uri(edition, board_id), page_uri), _box_lines(board))

    kinds = [("strategic",), ("management",), ("affiliated",)]
    return [[box(i, b) for i, b in edition.boards.items() if b.kind in k] for k in kinds]


def _layout(tiers: list[list[Box]], width: float, columns: int) -> float:
    y = 0.0
    for tier in tiers:
        if not tier:
            continue
        cols = min(columns, len(tier))
        box_width = (width - (cols - 1) * 16) / cols
        for row_start in range(0, len(tier), cols):
            row = tier[row_start:row_start + cols]
            offset = (width - (len(row) * box_width + (len(row) - 1) * 16)) / 2
            for n, b in enumerate(row):
                b.wrapped = []
                for line in b.lines:
                    size = CHAR * (1.25 if line.css == "mkt-box__title" else 1)
                    for part in textwrap.wrap(line.text, max(12, int((box_width - 2 * PAD) / size))) or [""]:
                        b.wrapped.append(Line(part, line.css))
                b.x, b.y, b.width = offset + n * (box_width + 16), y, box_width
                b.height = len(b.wrapped) * LINE + 2 * PAD + 4
            y += max(b.height for b in row) + 16
        y += GAP - 16
    return y - GAP


def structure_chart(env: jinja2.Environment, edition: EditionData, page_uri: str, title: str, description: str) -> Markup:
    variants = []
    for name, width, columns in (("wide", WIDE, 3), ("narrow", NARROW, 1)):
        tiers = tiers_of(edition, page_uri)
        height = _layout(tiers, width, columns)
        variants.append(env.get_template("diagrams/structure-chart.svg.j2").render(
            chart_id=f"structure-{name}", variant=name, width=width, height=height, tiers=tiers,
            title=title, description=description, line_height=LINE, pad=PAD, gap=GAP,
        ).strip())
    return Markup('<div class="mkt-structure-set">\n' + "\n".join(variants) + "\n</div>")
