"""Static SVG bar charts of the budget, laid out here and drawn by templates/diagrams/hbar-chart.svg.j2.

Horizontal bars with each label on its own line above its bar, so the chart reads on a phone
as well as on a desktop. Text stays text; the table beside each chart is its text equivalent.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from .derive import BudgetFigures
from .models import Budget
from .text import money

# The chart's own width in CSS px, drawn at scale 1 wherever the column is as wide (a phone's of
# 375 px is 343 px), so every chart's text is the size the stylesheet gives it, on every chart alike.
WIDTH = 340
LABEL_CHARS = 40  # a label wraps to lines of this many characters (14px text, about 8px a character)
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 12
TOP = 34  # room for the legend


@dataclass
class Series:
    name: str
    css_class: str  # colours live in the stylesheet (mkt-series-1, mkt-series-2)


@dataclass
class Segment:
    x: float
    width: float
    value: int
    series: Series


@dataclass
class Row:
    label: str
    lines: list[str]  # the label, wrapped to the chart's width, from `top` down
    top: float
    y: float  # of the bar
    segments: list[Segment]
    total: int
    total_x: float


def hbar_chart(env: jinja2.Environment, chart_id: str, title: str, description: str,
               rows: list[tuple[str, list[int | None]]], series: list[Series]) -> Markup:
    """A stacked horizontal bar chart of magnitudes (credits are drawn by their size)."""
    values = [[abs(v or 0) for v in row_values] for _, row_values in rows]
    largest = max((sum(v) for v in values), default=0) or 1
    scale = (WIDTH - 90) / largest  # leave room for the total written after each bar
    laid_out = []
    y = TOP
    for (label, _), row_values in zip(rows, values):
        x = 0.0
        segments = []
        for value, s in zip(row_values, series):
            if value:
                width = max(value * scale, 1.0)
                segments.append(Segment(x, width, value, s))
                x += width + 2  # a white gap keeps adjacent colours apart
        lines = textwrap.wrap(label, LABEL_CHARS) or [""]
        bar_y = y + len(lines) * LABEL_HEIGHT
        laid_out.append(Row(label, lines, y, bar_y, segments, sum(row_values), x + 4))
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return Markup(env.get_template("diagrams/hbar-chart.svg.j2").render(
        chart_id=chart_id, title=title, description=description, rows=laid_out, series=series,
        width=WIDTH, height=y - ROW_GAP + 4, label_height=LABEL_HEIGHT, bar_height=BAR_HEIGHT, money=money,
    ).strip())


def budget_charts(env: jinja2.Environment, budget: Budget, figures: BudgetFigures) -> dict[str, Markup]:
    """The two charts of Appendix B: contributions by agency, and expenditure by line."""
    contributions = hbar_chart(
        env, "chart-contributions", f"{budget.contributions_title}, by agency",
        "Contribution of each agency in pounds, split into children's and adults' safeguarding. "
        f"In all, £{money(abs(figures.contributions_total))}. The table above gives every figure.",
        [(c.label, [c.childrens, c.adults]) for c in budget.contributions],
        [Series("Children's", "mkt-series-1"), Series("Adults", "mkt-series-2")],
    )
    expenditure = hbar_chart(
        env, "chart-expenditure", f"Expenditure, {budget.actuals_label}",
        f"Spending on each line in pounds; £{money(figures.expenditure_total)} in all. The table above gives every figure.",
        [(line.label, [line.amount]) for line in budget.expenditure],
        [Series("Expenditure", "mkt-series-1")],
    )
    return {"contributions": contributions, "expenditure": expenditure}
