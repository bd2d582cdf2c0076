"""Charts drawn with reportlab's own graphics, in the report's font.

Horizontal bars only, each with its value written beside it in words the tables use
("105 h 15", "12 500,00 € (36 %)"): a chart reads the same printed in grey, on a screen
reader's text layer or in colour, and no label can overprint another (one row per bar).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from reportlab.graphics.shapes import Drawing, Line, Rect, String  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.utils import simpleSplit  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from advisor_app.reports.fonts import register_fonts

BAR = colors.HexColor("#2f5d7c")
AXIS = colors.HexColor("#9aa5b1")
INK = colors.HexColor("#1f2933")
FONT_SIZE = 7.5
LEADING = 9
TITLE_SIZE = 9
ROW_PADDING = 4
GUTTER = 4


class Bar(NamedTuple):
    """One bar: what it counts, its length, and the text written after it."""

    label: str
    value: float
    text: str


def _label_lines(label: str, font: str, width: float) -> list[str]:
    """The category label wrapped to `width`; a word too long for it is cut with "…"."""
    lines: list[str] = simpleSplit(label, font, FONT_SIZE, width) or [""]
    fitted = []
    for line in lines:
        while stringWidth(line, font, FONT_SIZE) > width and len(line) > 1:
            line = line[:-2] + "…"
        fitted.append(line)
    return fitted


def bar_chart(title: str, bars: Sequence[Bar], width: float) -> Drawing:
    """Horizontal bars, one row per bar, the category on the left (wrapped), the bar, then
    its value as text. Nothing to show draws the title alone."""
    regular, bold = register_fonts()
    label_width = min(
        max((stringWidth(b.label, regular, FONT_SIZE) for b in bars), default=0), width * 0.4
    )
    text_width = max((stringWidth(b.text, regular, FONT_SIZE) for b in bars), default=0)
    span = max(width - label_width - text_width - 3 * GUTTER, width * 0.15)
    rows = [_label_lines(b.label, regular, label_width) for b in bars]
    heights = [max(len(lines) * LEADING, 10) + ROW_PADDING for lines in rows]
    title_lines = simpleSplit(title, bold, TITLE_SIZE, width) or [""]
    title_height = len(title_lines) * (TITLE_SIZE + 2) + 4
    height = title_height + sum(heights) + 2
    drawing = Drawing(width, height)
    for number, line in enumerate(title_lines):
        y = height - (number + 1) * (TITLE_SIZE + 2) + 2
        drawing.add(String(0, y, line, fontName=bold, fontSize=TITLE_SIZE, fillColor=INK))
    highest = max((b.value for b in bars), default=0) or 1
    axis_x = label_width + GUTTER
    top = height - title_height
    for bar, lines, row_height in zip(bars, rows, heights, strict=True):
        middle = top - row_height / 2
        first = middle + (len(lines) - 1) * LEADING / 2 - FONT_SIZE / 3
        for index, line in enumerate(lines):
            drawing.add(
                String(
                    label_width,
                    first - index * LEADING,
                    line,
                    fontName=regular,
                    fontSize=FONT_SIZE,
                    textAnchor="end",
                    fillColor=INK,
                )
            )
        length = span * max(bar.value, 0) / highest
        thickness = min(row_height - ROW_PADDING, 10)
        if length > 0:
            drawing.add(
                Rect(
                    axis_x,
                    middle - thickness / 2,
                    length,
                    thickness,
                    fillColor=BAR,
                    strokeColor=None,
                )
            )
        drawing.add(
            String(
                axis_x + length + GUTTER,
                middle - FONT_SIZE / 3,
                bar.text,
                fontName=regular,
                fontSize=FONT_SIZE,
                fillColor=INK,
            )
        )
        top -= row_height
    if bars:
        drawing.add(Line(axis_x, top, axis_x, height - title_height, strokeColor=AXIS))
    return drawing
