"""What every report shares: styles, text that wraps where it should, tables that hold any
text, and writing the file.

A report builds a list of flowables (its "story") from a read model; `write_pdf` lays it out
on A4 pages with the organisation and advisor in the header, the printing date and
"page x of y" in the footer (`pages.py`). Text goes through `typesetting.paragraph_markup`, so
that no number, time, amount or duration is cut at the end of a line, and tables through
`tables.py`, so that every cell wraps and a long text runs on over the next pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph, Spacer  # type: ignore[import-untyped]

from advisor_app.i18n import _, format_date
from advisor_app.reports.fonts import register_fonts
from advisor_app.reports.look import (
    ACCENT,
    ALERT,
    CONTENT_WIDTH,
    FRAME_PADDING,
    GOOD,
    INK,
    LEFT,
    LIGHT,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT,
    RULE,
    WHITE,
)
from advisor_app.reports.pages import protect_with_password, write_pdf
from advisor_app.reports.tables import (
    PIECE_LINES,
    banded_commands,
    column_minimums,
    fit_widths,
    lay_out_rows,
    make_table,
    natural_widths,
    spanned_cells,
)
from advisor_app.reports.typesetting import paragraph_markup

__all__ = [
    "ACCENT",
    "ALERT",
    "CONTENT_WIDTH",
    "FRAME_PADDING",
    "GOOD",
    "INK",
    "LEFT",
    "LIGHT",
    "MARGIN",
    "MUTED",
    "PAGE_HEIGHT",
    "PAGE_WIDTH",
    "RIGHT",
    "RULE",
    "WHITE",
    "Flowable",
    "Styles",
    "data_table",
    "empty_note",
    "facts_table",
    "gap",
    "given",
    "heading",
    "long_text",
    "not_provided",
    "para",
    "protect_with_password",
    "text",
    "title_block",
    "write_pdf",
]

Flowable = Any


class Styles:
    """The paragraph styles of every report, in DejaVu Sans so that every name prints."""

    def __init__(self) -> None:
        regular, bold = register_fonts()
        self.regular, self.bold = regular, bold
        self.body = ParagraphStyle(
            "body", fontName=regular, fontSize=9.5, leading=12.5, textColor=INK
        )
        self.title = ParagraphStyle(
            "title",
            parent=self.body,
            fontName=bold,
            fontSize=17,
            leading=21,
            textColor=ACCENT,
            spaceAfter=2,
        )
        self.subtitle = ParagraphStyle(
            "subtitle", parent=self.body, fontSize=11, leading=14, textColor=MUTED, spaceAfter=8
        )
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=bold,
            fontSize=12,
            leading=15,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        )
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=10.5)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=bold)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_right_bold = ParagraphStyle(
            "cell_right_bold", parent=self.cell_right, fontName=bold
        )
        self.head = ParagraphStyle("head", parent=self.cell_bold, textColor=WHITE)
        self.head_right = ParagraphStyle("head_right", parent=self.head, alignment=TA_RIGHT)
        self.missing = ParagraphStyle("missing", parent=self.body, textColor=MUTED)
        self.alert_cell = ParagraphStyle("alert_cell", parent=self.cell_bold, textColor=ALERT)
        self.alert_cell_right = ParagraphStyle(
            "alert_cell_right", parent=self.cell_right_bold, textColor=ALERT
        )
        self.alert = ParagraphStyle("alert", parent=self.body, fontName=bold, textColor=ALERT)


def text(value: str) -> str:
    """Plain text made safe for a Paragraph: its line breaks kept, and no line break inside
    a number, an amount, a time, a duration or a date."""
    return paragraph_markup(value)


def not_provided() -> str:
    return _("not provided")


def given(value: object) -> str:
    """The value as text, or "not provided" when it is empty or missing."""
    if value is None:
        return not_provided()
    if isinstance(value, str):
        return value.strip() or not_provided()
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def para(value: str, style: ParagraphStyle) -> Flowable:
    return Paragraph(text(value), style)


def long_text(value: str, styles: Styles) -> Flowable:
    """A paragraph of the advisor's prose, or "not provided" in grey."""
    if not value.strip():
        return Paragraph(text(not_provided()), styles.missing)
    return Paragraph(text(value.strip()), styles.body)


def heading(value: str, styles: Styles) -> Flowable:
    return Paragraph(text(value), styles.heading)


def title_block(title: str, subtitle: str, styles: Styles) -> list[Flowable]:
    return [Paragraph(text(title), styles.title), Paragraph(text(subtitle), styles.subtitle)]


def facts_table(
    rows: Sequence[tuple[str, object]], styles: Styles, label_width: float = 5 * cm
) -> Flowable:
    """Label and value pairs on two columns; empty values print as "not provided". A long
    value runs on over the next pages, the label staying on its first lines."""
    data = [
        [Paragraph(text(label), styles.cell_bold), Paragraph(text(given(value)), styles.cell)]
        for label, value in rows
    ]
    widths = fit_widths(
        [label_width, CONTENT_WIDTH - label_width], column_minimums(data), CONTENT_WIDTH
    )
    layout = lay_out_rows(
        data, widths, splittable=range(len(data)), piece_height=_piece_height(styles)
    )
    commands = [
        ("BACKGROUND", (0, 0), (0, -1), LIGHT),
        *[
            ("LINEBELOW", (0, layout.last[row]), (-1, layout.last[row]), 0.25, RULE)
            for row in range(len(data))
        ],
    ]
    return make_table(layout, widths, commands, header_rows=0)


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float | None],
    styles: Styles,
    *,
    right: frozenset[int] = frozenset(),
    footer: Sequence[object] | None = None,
    extra: Sequence[tuple[Any, ...]] = (),
    row_height: float | None = None,
    split_rows: bool = True,
) -> Flowable:
    """A table that splits across pages with its header row repeated. Every cell wraps.
    A column of width None is as wide as its content written on one line (the table then
    spans the page, the other columns sharing the rest in proportion to their widths);
    columns widen to hold their longest word (taking room from the others). Rows are as
    tall as their text, and at least `row_height` when given. A long cell runs on over the
    next pages unless `split_rows` is false. `extra` style commands count rows as given."""

    def cell(value: object, column: int, bold: bool = False) -> Flowable:
        if not isinstance(value, str):
            return value
        if column in right:
            style = styles.cell_right_bold if bold else styles.cell_right
        else:
            style = styles.cell_bold if bold else styles.cell
        return Paragraph(text(value), style)

    data: list[list[Flowable]] = [
        [
            Paragraph(text(h), styles.head_right if i in right else styles.head)
            for i, h in enumerate(header)
        ]
    ]
    data += [[cell(value, i) for i, value in enumerate(row)] for row in rows]
    if footer is not None:
        data.append([cell(value, i, bold=True) for i, value in enumerate(footer)])
    total = CONTENT_WIDTH if None in widths else sum(w or 0.0 for w in widths)
    preferred = natural_widths(widths, data[1 : len(rows) + 1], total)
    spanned = spanned_cells(extra, len(data), len(header))
    fitted = fit_widths(preferred, column_minimums(data, spanned), total)
    body = range(1, len(rows) + 1)
    layout = lay_out_rows(
        data,
        fitted,
        splittable=body if split_rows else range(0),
        piece_height=_piece_height(styles),
    )
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        *banded_commands(layout, body),
    ]
    if footer is not None:
        commands += [
            ("LINEABOVE", (0, -1), (-1, -1), 1, INK),
            ("BACKGROUND", (0, -1), (-1, -1), WHITE),
        ]
    commands += [layout.remap(command) for command in extra]
    minimums = {row: row_height for row in body} if row_height is not None else None
    return make_table(layout, fitted, commands, header_rows=1, minimum_heights=minimums)


def _piece_height(styles: Styles) -> float:
    return PIECE_LINES * float(styles.cell.leading)


def empty_note(message: str, styles: Styles) -> Flowable:
    return Paragraph(text(message), styles.missing)


def gap(height: float = 0.3 * cm) -> Flowable:
    return Spacer(1, height)
