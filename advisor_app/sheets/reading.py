"""A spreadsheet file read into a `Table`: its header row and the rows under it (the rows
come from `sources`: a CSV file or a sheet of a workbook).

Rows keep their number in the file (1-based, as the spreadsheet shows it), so a refusal
can name the line. The header is the first row that looks like column names (several
cells filled, about half the table's width or more, text rather than dates or amounts);
a title line and blank lines above it are skipped; it can also be chosen. Fully empty rows
are dropped, and columns empty to the end are not kept.

`reading_table` is a generator: it yields `ReadStep`s as it goes (every `STEP_ROWS`
rows) and the `Table` last, so a service can report progress and stop when asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import python_calamine

from advisor_app.domain.messages import N_
from advisor_app.i18n import _
from advisor_app.sheets.sources import (
    CSV_SUFFIXES,
    SAMPLE_ROWS,
    SUFFIXES,
    WORKBOOK_SUFFIXES,
    Cell,
    Row,
    SheetReadError,
    Source,
    empty_file,
    file_kind,
    open_workbook,
)

__all__ = [
    "CSV_SUFFIXES",
    "SUFFIXES",
    "WORKBOOK_SUFFIXES",
    "Cell",
    "ReadStep",
    "Row",
    "SheetReadError",
    "Table",
    "cell_text",
    "column_letter",
    "find_header_row",
    "first_rows",
    "header_text",
    "read_table",
    "reading_table",
    "sheet_names",
]

STEP_ROWS = 2000  # a ReadStep every so many rows
_AMOUNT_OR_NUMBER = re.compile(r"^[\s\d.,'€$%+\-\u00a0\u202f]+$")
_DATE_LIKE = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Table:
    """A sheet once read: its headers (as written, made unique, blanks named after their
    column letter) and the rows under them, fully empty ones left out."""

    path: Path
    sheet: str | None
    header_row: int
    headers: tuple[str, ...]
    rows: Sequence[Row]
    encoding: str | None = None  # CSV only: the encoding it was decoded with
    delimiter: str | None = None  # CSV only

    def column(self, index: int, limit: int | None = None) -> list[Cell]:
        """The cells under header `index`, of the first `limit` rows (all by default)."""
        rows = self.rows if limit is None else self.rows[:limit]
        return [row.cell(index) for row in rows]


@dataclass(frozen=True)
class ReadStep:
    """Progress of a reading: rows read so far, out of about `total` (0 when unknown)."""

    done: int
    total: int


# -- what is in a file ------------------------------------------------------------------


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook, in its order; [] for a CSV file (a single table)."""
    kind = file_kind(path)
    if kind == "csv":
        return []
    with open_workbook(path) as workbook:
        return [
            meta.name
            for meta in workbook.sheets_metadata
            if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]


def first_rows(path: Path, sheet: str | None = None, limit: int = SAMPLE_ROWS) -> list[Row]:
    """The first `limit` rows that hold something, header candidates included, for a
    preview where the header row is chosen."""
    return _first_rows(Source.open(path, sheet), limit)


def _first_rows(source: Source, limit: int = SAMPLE_ROWS) -> list[Row]:
    rows: list[Row] = []
    for row in source.rows():
        if _filled(row.cells):
            rows.append(row)
            if len(rows) >= limit:
                break
    return rows


def find_header_row(rows: Sequence[Row]) -> int | None:
    """The number of the first row that looks like column names, among rows that hold
    something (as `first_rows` gives them); None when there is no such row."""
    width = max((_width(row.cells) for row in rows), default=0)
    for row in rows:
        filled = [cell for cell in row.cells if not _blank(cell)]
        if len(filled) < min(2, width) or len(filled) * 2 < width:
            continue
        names = sum(1 for cell in filled if _looks_like_name(cell))
        if names * 5 >= len(filled) * 4:  # 80 % of them at least
            return row.number
    return None


# -- reading a table ---------------------------------------------------------------------


def read_table(
    path: Path,
    sheet: str | None = None,
    header_row: int | None = None,
    progress: Callable[[ReadStep], None] | None = None,
) -> Table:
    """The whole table at once; `progress` is told of each step."""
    for step in reading_table(path, sheet, header_row):
        if isinstance(step, Table):
            return step
        if progress is not None:
            progress(step)
    raise AssertionError("reading_table ends with its table")  # pragma: no cover


def reading_table(
    path: Path, sheet: str | None = None, header_row: int | None = None
) -> Iterator[ReadStep | Table]:
    """Yield a `ReadStep` every `STEP_ROWS` rows, then the `Table`. Closing the generator
    stops the reading. `header_row` (1-based, as the spreadsheet numbers rows) overrides
    the automatic choice; `sheet` defaults to the workbook's first sheet."""
    source = Source.open(path, sheet)
    total = source.estimated_rows
    yield ReadStep(0, total)
    header: Row | None = None
    if header_row is None:
        sample = _first_rows(source)
        if not sample:
            raise empty_file(path, source.sheet)
        header_row = find_header_row(sample) or sample[0].number
    elif header_row < 1:
        raise _no_such_row(path, header_row)
    rows: list[Row] = []
    width = 0
    for count, row in enumerate(source.rows(), start=1):
        if count % STEP_ROWS == 0:
            yield ReadStep(count, max(total, count))
        if header is None:
            if row.number == header_row:
                header = row
                if not _filled(row.cells):
                    raise _no_such_row(path, header_row)
            continue
        if not _filled(row.cells):
            continue
        cells = _trimmed(row.cells)
        width = max(width, len(cells))
        rows.append(Row(row.number, cells))
    if header is None:
        raise _no_such_row(path, header_row)
    headers = _headers(header.cells, width)
    yield ReadStep(total, total)
    yield Table(
        path=path,
        sheet=source.sheet,
        header_row=header_row,
        headers=headers,
        rows=rows,
        encoding=source.encoding,
        delimiter=source.delimiter,
    )


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the spreadsheet's name of a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def header_text(cell: Cell) -> str:
    """A header cell as one line of text ("Date de\\nnaissance" → "Date de naissance")."""
    return _SPACES.sub(" ", cell_text(cell)).strip()


def cell_text(cell: Cell) -> str:
    """A cell as plain text: a whole float without ".0", a date in ISO."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return _("yes") if cell else _("no")
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    if isinstance(cell, datetime):
        if cell.time() == time(0, 0):
            return cell.date().isoformat()
        return cell.isoformat(sep=" ", timespec="minutes" if cell.second == 0 else "seconds")
    if isinstance(cell, time):
        return cell.isoformat(timespec="minutes" if cell.second == 0 else "seconds")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


# -- headers and cells -------------------------------------------------------------------


def _blank(cell: Cell) -> bool:
    return isinstance(cell, str) and not cell.strip()


def _filled(cells: Iterable[Cell]) -> bool:
    return any(not _blank(cell) for cell in cells)


def _width(cells: Sequence[Cell]) -> int:
    for index in range(len(cells) - 1, -1, -1):
        if not _blank(cells[index]):
            return index + 1
    return 0


def _trimmed(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    width = _width(cells)
    return cells if width == len(cells) else cells[:width]


def _looks_like_name(cell: Cell) -> bool:
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    return bool(
        text
        and not _AMOUNT_OR_NUMBER.fullmatch(text)
        and not _DATE_LIKE.match(text)
        and len(text) <= 80
    )


def _headers(cells: tuple[Cell, ...], data_width: int) -> tuple[str, ...]:
    """The header cells as names, as wide as the header or the data, whichever is wider;
    a blank one is named after its column ("Column F"), a repeated one numbered ("Nom (2)")."""
    width = max(_width(cells), data_width)
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index in range(width):
        name = header_text(cells[index]) if index < len(cells) else ""
        if not name:
            name = _("Column {letter}").format(letter=column_letter(index))
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        headers.append(name)
    return tuple(headers)


# -- sentences ---------------------------------------------------------------------------


def _no_such_row(path: Path, row: int) -> SheetReadError:
    return SheetReadError(
        N_(
            "Row {row} of {name} is empty or past the end of the table, so it cannot be the header."
        ),
        N_("Choose the row that holds the column names."),
        name=path.name,
        row=row,
    )
