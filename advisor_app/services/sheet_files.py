"""A spreadsheet file read into records for the import, as the command line asks it: the
people sheet (its header row found unless given, its columns mapped automatically unless a
saved mapping is given), and the appointments from a second sheet or a second file."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import replace
from pathlib import Path

from advisor_app.sheets.mapping import Mapping, converting_appointments, converting_people
from advisor_app.sheets.reading import ReadStep, Table, reading_table
from advisor_app.sheets.records import SheetRecords
from advisor_app.storage.workspace import Progress


def saved_mapping(path: Path) -> Mapping:
    """A mapping saved as JSON (MappingError when the file is not one)."""
    return Mapping.from_json(path.read_text(encoding="utf-8"), path.name)


def reading_records(
    path: Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    mapping: Mapping | None = None,
    appointments_sheet: str | None = None,
    appointments_file: Path | None = None,
) -> Iterator[Progress | SheetRecords]:
    """Yield progress while the file is read, then its records (the appointments joined,
    the refusals of both named by their sheet when there are two)."""
    people = yield from _converted(
        path, sheet, header_row, lambda table: converting_people(table, mapping)
    )
    if appointments_sheet is None and appointments_file is None:
        yield people
        return
    source = appointments_file or path
    appointments = yield from _converted(
        source,
        appointments_sheet,
        None,
        lambda table: converting_appointments(table, mapping),
    )
    people_name = sheet or path.name
    other_name = appointments_sheet or source.name
    yield replace(
        people,
        appointments=appointments.appointments,
        appointment_columns=appointments.appointment_columns,
        appointment_source=other_name,
        refusals=[
            *(replace(r, sheet=r.sheet or people_name) for r in people.refusals),
            *(replace(r, sheet=r.sheet or other_name) for r in appointments.refusals),
        ],
    )


def _converted(
    path: Path,
    sheet: str | None,
    header_row: int | None,
    convert: Callable[[Table], Iterator[ReadStep | SheetRecords]],
) -> Generator[Progress, None, SheetRecords]:
    table: Table | None = None
    for step in reading_table(path, sheet, header_row):
        if isinstance(step, ReadStep):
            yield Progress(step.done, step.total)
        else:
            table = step
    assert table is not None
    records: SheetRecords | None = None
    for converted in convert(table):
        if isinstance(converted, ReadStep):
            yield Progress(converted.done, converted.total)
        else:
            records = converted
    assert records is not None
    return records
