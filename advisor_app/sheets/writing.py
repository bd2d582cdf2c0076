"""A list written back as a spreadsheet, for associations that still feed a funder's sheet:
`.xlsx` (XlsxWriter: real dates, hours and euros as numbers, a frozen header and filters)
or `.csv` (UTF-8 with a byte-order mark and ";" between cells, so that French Excel opens
it in columns with its accents; decimals written the user's way).

The columns' titles are message ids, translated here in the user's language; the rows hold
plain values (text, dates, minutes, cents, closed-list members). The bytes are returned:
the service writes them, for their owner only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from advisor_app.domain.enums import LabelledEnum
from advisor_app.i18n import _, current_language, label


class ColumnKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    HOURS = "hours"  # minutes given, hours written (12.5)
    MONEY = "money"  # cents given, euros written
    NUMBER = "number"
    YES_NO = "yes_no"
    LABEL = "label"  # a closed-list member or a message id, translated


@dataclass(frozen=True)
class Column:
    title: str  # a message id
    kind: ColumnKind = ColumnKind.TEXT
    width: int = 16  # in characters, for the .xlsx


Value = str | int | bool | date | LabelledEnum | None
# A formula would run when the file is opened: such text is written as text.
_FORMULA_STARTS = ("=", "@", "\t", "\r")


def workbook_bytes(columns: Sequence[Column], rows: Iterable[Sequence[Value]], sheet: str) -> bytes:
    """An .xlsx file of one sheet named `sheet` (a message id)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    workbook.set_properties({"title": _(sheet), "creator": "Boussole"})
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    formats = {
        ColumnKind.DATE: workbook.add_format({"num_format": _date_format()}),
        ColumnKind.HOURS: workbook.add_format({"num_format": "0.00"}),
        ColumnKind.MONEY: workbook.add_format({"num_format": '#,##0.00 "€"'}),
        ColumnKind.NUMBER: workbook.add_format({"num_format": "0"}),
    }
    worksheet = workbook.add_worksheet(_(sheet)[:31])
    for index, column in enumerate(columns):
        worksheet.write_string(0, index, _(column.title), bold)
        worksheet.set_column(index, index, column.width)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, row, strict=True)):
            _write_cell(worksheet, count, index, column.kind, value, formats)
    worksheet.freeze_panes(1, 0)
    worksheet.autofilter(0, 0, max(count, 1), max(len(columns) - 1, 0))
    workbook.close()
    return output.getvalue()


def csv_bytes(columns: Sequence[Column], rows: Iterable[Sequence[Value]]) -> bytes:
    """A CSV file: UTF-8 with its byte-order mark, ";" between cells, CRLF line ends."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow([_(column.title) for column in columns])
    for row in rows:
        writer.writerow(
            [_csv_cell(column.kind, value) for column, value in zip(columns, row, strict=True)]
        )
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def cell_text(kind: ColumnKind, value: Value) -> str:
    """A value as the CSV writes it: dates 03/02/1985 in French (ISO in English), decimals
    with the user's mark and no grouping, so that a spreadsheet takes them for numbers."""
    return _csv_cell(kind, value)


def _csv_cell(kind: ColumnKind, value: Value) -> str:
    if value is None:
        return ""
    if kind is ColumnKind.DATE and isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        return day.strftime("%d/%m/%Y") if current_language() == "fr" else day.isoformat()
    if kind is ColumnKind.HOURS and isinstance(value, int):
        return _decimal(Decimal(value) / 60)
    if kind is ColumnKind.MONEY and isinstance(value, int):
        return _decimal(Decimal(value) / 100)
    text = _text(kind, value)
    return "'" + text if _looks_like_formula(text) else text


def _looks_like_formula(text: str) -> bool:
    """What a spreadsheet would run: "=…", "@…", or "+…"/"-…" not followed by a number."""
    if text.startswith(_FORMULA_STARTS):
        return True
    return text[:1] in ("+", "-") and not (text[1:2].isdigit() or text[1:2] in (" ", ""))


def _text(kind: ColumnKind, value: Value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, LabelledEnum):
        return label(value)
    if kind is ColumnKind.LABEL and isinstance(value, str):
        return _(value) if value else ""
    return str(value)


def _decimal(number: Decimal) -> str:
    text = f"{number.quantize(Decimal('0.01'))}"
    return text.replace(".", ",") if current_language() == "fr" else text


def _date_format() -> str:
    return "dd/mm/yyyy" if current_language() == "fr" else "yyyy-mm-dd"


def _write_cell(
    worksheet: Any,  # xlsxwriter's Worksheet
    row: int,
    index: int,
    kind: ColumnKind,
    value: Value,
    formats: dict[ColumnKind, Any],
) -> None:
    if value is None or value == "":
        return
    if kind is ColumnKind.DATE and isinstance(value, date):
        moment = (
            value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        )
        worksheet.write_datetime(row, index, moment, formats[kind])
    elif kind is ColumnKind.HOURS and isinstance(value, int) and not isinstance(value, bool):
        worksheet.write_number(row, index, round(value / 60, 2), formats[kind])
    elif kind is ColumnKind.MONEY and isinstance(value, int) and not isinstance(value, bool):
        worksheet.write_number(row, index, value / 100, formats[kind])
    elif kind is ColumnKind.NUMBER and isinstance(value, int) and not isinstance(value, bool):
        worksheet.write_number(row, index, value, formats[kind])
    else:
        worksheet.write_string(row, index, _text(kind, value))
