"""What a row of a case file may hold, checked where values enter (typed, scripted or imported)
before anything is written: texts as long as their column (free texts up to
`MAX_TEXT_LENGTH`), valid Unicode, dates within the years Boussole keeps, whole numbers a
SQLite INTEGER holds.

The records of domain/records.py, which the columns are built from, are the one source of
the lengths: the exchange schema says the same (tests/domain/test_records.py), so that what
is entered can always be sent, and what is received can always be printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import String

from advisor_app.domain import validation
from advisor_app.storage.case_models import CaseBase

# What a SQLite INTEGER holds (a bigger Python int cannot be written).
LOWEST_INTEGER, HIGHEST_INTEGER = -(2**63), 2**63 - 1


def text_limit(table: type[CaseBase], name: str) -> int:
    """The most characters the column `name` of `table` holds."""
    column = table.__table__.columns[name]
    length = column.type.length if isinstance(column.type, String) else None
    return length or validation.MAX_TEXT_LENGTH


def check_row(table: type[CaseBase], values: Mapping[str, Any]) -> None:
    """Refuse, with a ValidationError naming the field, a value its column cannot keep."""
    columns = table.__table__.columns
    for name, value in values.items():
        if name not in columns or value is None:
            continue
        if isinstance(value, str):
            validation.check_text(name, value, text_limit(table, name))
        elif isinstance(value, datetime):
            validation.check_local_time(name, value)
        elif isinstance(value, date):
            validation.check_date(name, value)
        elif isinstance(value, int) and not isinstance(value, bool):
            validation.check_whole_number(name, value, LOWEST_INTEGER, HIGHEST_INTEGER)
