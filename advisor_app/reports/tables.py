"""Tables that hold any text: columns wide enough for their longest word, and rows that
split across pages.

reportlab's Table never splits a row: a row taller than a page stops the document ("Flowable
too large"), and a fixed row height lets text run over the next row. Here every row is laid
out at its natural height, and a cell of long text is cut beforehand, at line boundaries, into
pieces of a few lines that follow one another on rows of their own (without a rule between
them): the table can then break between any two pieces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Paragraph, Table  # type: ignore[import-untyped]

from advisor_app.reports.look import CELL_PADDING, LIGHT, RULE, WHITE

Flowable = Any
Command = tuple[Any, ...]
VERTICAL_PADDING = 3
PIECE_LINES = 8  # a cell taller than this many lines is cut into pieces of this size
WORD_MARGIN = 1.0  # points: a word exactly as wide as its column would still be cut
AUTO_SHARE = 0.25  # share of a table's width that a column sized by its content may take
WIDEST_WORD = 0.4  # share of a table's width that its longest word may claim
_UNBOUNDED = 1_000_000.0


def fit_widths(preferred: Sequence[float], minimums: Sequence[float], total: float) -> list[float]:
    """Column widths as close to `preferred` as the longest word of each column allows: a
    column too narrow for its longest word takes room from the columns that have some left.
    A word may claim at most WIDEST_WORD of the table (a file name of 80 letters is cut);
    when the words alone are wider than the table, the widest columns give way first."""
    minimums = _within([min(m, WIDEST_WORD * total) for m in minimums], total)
    widths = [max(p, m) for p, m in zip(preferred, minimums, strict=True)]
    excess = sum(widths) - total
    if excess <= 0.01:
        return widths
    slack = [w - m for w, m in zip(widths, minimums, strict=True)]
    room = sum(s for s in slack if s > 0)
    if room <= 0:
        return widths
    return [w - excess * max(s, 0) / room for w, s in zip(widths, slack, strict=True)]


def _within(minimums: list[float], total: float) -> list[float]:
    """Minimums that add up to `total` at most, the largest ones lowered first."""
    result = list(minimums)
    while sum(result) > total + 0.01:
        widest = max(result)
        others = [m for m in result if m < widest]
        excess = sum(result) - total
        count = result.count(widest)
        floor = max(max(others, default=0.0), widest - excess / count)
        result = [floor if m == widest else m for m in result]
    return result


def natural_widths(
    widths: Sequence[float | None], rows: Sequence[Sequence[Flowable]], total: float
) -> list[float]:
    """Preferred widths: a column given None is as wide as its widest cell written on one
    line (at most AUTO_SHARE of the table); the others share what is left, in proportion."""
    auto = {
        c: min(
            max((_natural_width(row[c]) for row in rows if c < len(row)), default=0.0),
            AUTO_SHARE * total,
        )
        for c, width in enumerate(widths)
        if width is None
    }
    fixed = sum(w for w in widths if w is not None)
    left = total - sum(auto.values())
    if fixed <= 0:
        spread = left / max(len(auto), 1)
        return [auto[c] + spread for c in range(len(widths))]
    return [auto[c] if w is None else w * left / fixed for c, w in enumerate(widths)]


def _natural_width(cell: Flowable) -> float:
    if not isinstance(cell, Paragraph):
        return _min_width(cell)
    cell.wrap(_UNBOUNDED, _UNBOUNDED)
    lines = cell.getActualLineWidths0() or [0.0]
    return float(max(lines)) + 2 * CELL_PADDING + WORD_MARGIN


def _min_width(cell: Flowable) -> float:
    """The width the cell needs so that none of its words is cut."""
    if isinstance(cell, Paragraph):
        return float(cell.minWidth()) + 2 * CELL_PADDING + WORD_MARGIN
    if isinstance(cell, str) or cell is None:
        return 0.0
    width = getattr(cell, "width", 0.0)
    return float(width or 0.0) + 2 * CELL_PADDING


def column_minimums(
    rows: Sequence[Sequence[Flowable]], spanned: frozenset[tuple[int, int]] = frozenset()
) -> list[float]:
    """The width each column needs for its longest word; cells spanning several columns
    (`spanned`, as (column, row)) are left out."""
    columns = max((len(row) for row in rows), default=0)
    return [
        max(
            (
                _min_width(row[c])
                for r, row in enumerate(rows)
                if c < len(row) and (c, r) not in spanned
            ),
            default=0.0,
        )
        for c in range(columns)
    ]


def spanned_cells(
    commands: Sequence[Command], rows: int, columns: int
) -> frozenset[tuple[int, int]]:
    """The cells covered by the SPAN commands among `commands`, as (column, row)."""
    cells: set[tuple[int, int]] = set()
    for command in commands:
        if command[0] != "SPAN":
            continue
        (c0, r0), (c1, r1) = command[1], command[2]
        r0, r1 = (r if r >= 0 else rows + r for r in (r0, r1))
        c0, c1 = (c if c >= 0 else columns + c for c in (c0, c1))
        cells.update((c, r) for c in range(c0, c1 + 1) for r in range(r0, r1 + 1))
    return frozenset(cells)


def _height(cell: Flowable, width: float) -> float:
    if isinstance(cell, str) or cell is None:
        return 0.0
    _w, height = cell.wrap(width, _UNBOUNDED)
    return float(height)


def _pieces(cell: Flowable, width: float, limit: float) -> list[Flowable]:
    """The cell cut at line boundaries into pieces no taller than `limit` (one piece when it
    is short, or not a paragraph)."""
    if not isinstance(cell, Paragraph):
        return [cell]
    pieces: list[Flowable] = []
    rest = cell
    while _height(rest, width) > limit:
        parts = rest.split(width, limit)
        if len(parts) < 2:
            break
        pieces.append(parts[0])
        rest = parts[1]
    pieces.append(rest)
    return pieces


@dataclass(frozen=True)
class Layout:
    """Physical rows of a table whose body rows may have been cut into several."""

    data: list[list[Flowable]]
    first: list[int]  # logical row -> its first physical row
    last: list[int]  # logical row -> its last physical row
    heights: list[float]  # natural height of each physical row, paddings included

    def physical(self, row: int, end: bool) -> int:
        logical = row if row >= 0 else len(self.first) + row
        logical = min(max(logical, 0), len(self.first) - 1)
        return self.last[logical] if end else self.first[logical]

    def remap(self, command: Command) -> Command:
        """A style command written for logical rows, for the physical ones."""
        if len(command) < 3 or not isinstance(command[1], tuple):
            return command
        (c0, r0), (c1, r1) = command[1], command[2]
        return (
            command[0],
            (c0, self.physical(r0, end=False)),
            (c1, self.physical(r1, end=True)),
            *command[3:],
        )


def lay_out_rows(
    rows: Sequence[Sequence[Flowable]],
    widths: Sequence[float],
    *,
    splittable: range,
    piece_height: float,
) -> Layout:
    """Cut the rows of `splittable` whose cells are taller than `piece_height` into
    rows of pieces; other rows are kept as they are."""
    inner = [max(w - 2 * CELL_PADDING, 1.0) for w in widths]
    data: list[list[Flowable]] = []
    first: list[int] = []
    last: list[int] = []
    heights: list[float] = []
    for index, row in enumerate(rows):
        first.append(len(data))
        columns = [
            _pieces(cell, inner[c], piece_height) if index in splittable else [cell]
            for c, cell in enumerate(row)
        ]
        for depth in range(max(len(pieces) for pieces in columns)):
            line = [pieces[depth] if depth < len(pieces) else "" for pieces in columns]
            data.append(line)
            heights.append(
                max(_height(cell, inner[c]) for c, cell in enumerate(line)) + 2 * VERTICAL_PADDING
            )
        last.append(len(data) - 1)
    return Layout(data, first, last, heights)


def banded_commands(layout: Layout, body: range, *, rules: bool = True) -> list[Command]:
    """Alternate backgrounds and a rule under each logical body row, over all its pieces."""
    commands: list[Command] = []
    for number, logical in enumerate(body):
        top, bottom = layout.first[logical], layout.last[logical]
        colour = WHITE if number % 2 == 0 else LIGHT
        commands.append(("BACKGROUND", (0, top), (-1, bottom), colour))
        if rules:
            commands.append(("LINEBELOW", (0, bottom), (-1, bottom), 0.25, RULE))
    return commands


def make_table(
    layout: Layout,
    widths: Sequence[float],
    commands: Sequence[Command],
    *,
    header_rows: int,
    minimum_heights: dict[int, float] | None = None,
) -> Flowable:
    """The reportlab Table of `layout`; rows of `minimum_heights` (logical) are at least that
    tall, and taller when their text needs it."""
    heights: list[float | None] = [None] * len(layout.data)
    for logical, minimum in (minimum_heights or {}).items():
        row = layout.first[logical]
        if layout.first[logical] == layout.last[logical] and layout.heights[row] < minimum:
            heights[row] = minimum
    table = Table(
        layout.data,
        colWidths=list(widths),
        rowHeights=heights,
        repeatRows=header_rows,
        hAlign="LEFT",
    )
    base: list[Command] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), VERTICAL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), VERTICAL_PADDING),
    ]
    for top, bottom in zip(layout.first, layout.last, strict=True):
        if bottom > top:  # the pieces of one cell follow one another with no gap
            base.append(("BOTTOMPADDING", (0, top), (-1, bottom - 1), 0))
            base.append(("TOPPADDING", (0, top + 1), (-1, bottom), 0))
    table.setStyle(base + list(commands))
    return table
