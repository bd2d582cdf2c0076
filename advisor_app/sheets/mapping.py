"""Which column holds what: each header of a sheet mapped to one of Boussole's fields, found
from the common French and English names and their variants, corrected by the advisor,
saved and reused; then the rows turned into records.

A column maps to a field key of `PEOPLE_FIELDS` or `APPOINTMENT_FIELDS`, to `IGNORE`
(dropped), or to `UNMAPPED` (kept as a "Header: value" line in the notes when
`keep_unmapped`, so that nothing is lost). Two columns may map to the same field: the
first filled one gives the value, the others go to the notes.

A mapping is saved as JSON (`Mapping.to_json`, format "boussole-sheet-mapping", version 1):

    {"format": "boussole-sheet-mapping", "version": 1, "keep_unmapped": true,
     "people": {"Nom": "last_name", "Tél.": "phone", "Divers": "ignore"},
     "appointments": {"Nom": "last_name", "Date": "date", "Durée": "minutes"}}

Headers are matched as written, else without accents, case or punctuation; a header the
mapping does not name is mapped automatically.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.sheets.columns import (
    FULL_NAME,
    FULL_NAME_FIRST,
    IGNORE,
    NOTE,
    UNMAPPED,
    SheetKind,
    automatic,
    field_choices,
    guess_field,
    has_words,
    header_key,
)
from advisor_app.sheets.reading import STEP_ROWS, Cell, ReadStep, Row, Table, cell_text
from advisor_app.sheets.records import (
    AppointmentRecord,
    PersonRecord,
    Refusal,
    SheetRecords,
    cents,
)
from advisor_app.sheets.values import (
    DurationUnit,
    ValueRefused,
    amount_value,
    date_value,
    datetime_value,
    email_value,
    is_empty,
    minutes_value,
    phone_value,
    postcode_value,
    text_value,
    time_value,
)

FORMAT = "boussole-sheet-mapping"
VERSION = 1


class MappingError(AdvisorError):
    """A mapping file that cannot be used."""


# -- the mapping itself ------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    """What the advisor chose (or accepted) for a people sheet and an appointments sheet."""

    people: dict[str, str] = field(default_factory=dict)
    appointments: dict[str, str] = field(default_factory=dict)
    keep_unmapped: bool = True

    def columns(self, kind: SheetKind | str, headers: Sequence[str]) -> list[str]:
        """The field of each header, in order: as the mapping says (by the header as
        written, else compared without accents, case or punctuation), else guessed."""
        chosen = self.people if SheetKind(kind) is SheetKind.PEOPLE else self.appointments
        loose = {header_key(header): key for header, key in chosen.items()}
        valid = {choice.key for choice in field_choices(kind)}
        fields: list[str] = []
        for header in headers:
            key = chosen.get(header, loose.get(header_key(header)))
            fields.append(key if key is not None and key in valid else guess_field(header, kind))
        return fields

    def with_columns(self, kind: SheetKind | str, columns: dict[str, str]) -> Mapping:
        if SheetKind(kind) is SheetKind.PEOPLE:
            return Mapping(dict(columns), dict(self.appointments), self.keep_unmapped)
        return Mapping(dict(self.people), dict(columns), self.keep_unmapped)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "keep_unmapped": self.keep_unmapped,
            "people": dict(self.people),
            "appointments": dict(self.appointments),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: Any, name: str = "") -> Mapping:
        """A saved mapping; MappingError (naming `name`) when it is not one."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise MappingError(
                N_("{name} is not a column mapping saved by Boussole."),
                N_("Choose a mapping file saved from the import of a spreadsheet."),
                name=name,
            )
        version = data.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise MappingError(
                N_("The column mapping {name} was saved by a newer Boussole (version {version})."),
                N_("Update Boussole, or map the columns again."),
                name=name,
                version=str(version),
            )
        sections: list[dict[str, str]] = []
        for kind in SheetKind:
            section = data.get(kind.value, {})
            valid = {choice.key for choice in field_choices(kind)}
            if not isinstance(section, dict) or not all(
                isinstance(header, str) and isinstance(key, str) and key in valid
                for header, key in section.items()
            ):
                raise MappingError(
                    N_("The column mapping {name} names a field Boussole does not know."),
                    N_("Map the columns again in the import, and save the mapping anew."),
                    name=name,
                )
            sections.append(dict(section))
        return cls(sections[0], sections[1], bool(data.get("keep_unmapped", True)))

    @classmethod
    def from_json(cls, text: str, name: str = "") -> Mapping:
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        return cls.from_dict(data, name)


def mapping_for(
    people_headers: Sequence[str],
    appointment_headers: Sequence[str] = (),
    keep_unmapped: bool = True,
) -> Mapping:
    """The automatic mapping of one or two sheets."""
    return Mapping(
        automatic(people_headers, SheetKind.PEOPLE),
        automatic(appointment_headers, SheetKind.APPOINTMENTS),
        keep_unmapped,
    )


# -- rows into records -------------------------------------------------------------------


def records_from(
    table: Table,
    mapping: Mapping | None = None,
    keep_unmapped: bool | None = None,
    today: date | None = None,
) -> SheetRecords:
    """The people of a table, and the values refused (each with its row, column and reason)."""
    return _last(converting_people(table, mapping, keep_unmapped, today))


def appointments_from(
    table: Table,
    mapping: Mapping | None = None,
    keep_unmapped: bool | None = None,
    today: date | None = None,
) -> SheetRecords:
    """The appointments of a table (`SheetRecords.appointments`), and the values refused."""
    return _last(converting_appointments(table, mapping, keep_unmapped, today))


def converting_people(
    table: Table,
    mapping: Mapping | None = None,
    keep_unmapped: bool | None = None,
    today: date | None = None,
) -> Iterator[ReadStep | SheetRecords]:
    """As `records_from`, yielding a `ReadStep` every `STEP_ROWS` rows, the records last."""
    converter = _Converter(table, SheetKind.PEOPLE, mapping, keep_unmapped, today)
    records = SheetRecords(columns=converter.field_columns(), source=table.path.name)
    total = len(table.rows)
    for count, row in enumerate(table.rows, start=1):
        if count % STEP_ROWS == 0:
            yield ReadStep(count, total)
        records.people.append(converter.person(row, records.refusals))
    yield records


def converting_appointments(
    table: Table,
    mapping: Mapping | None = None,
    keep_unmapped: bool | None = None,
    today: date | None = None,
) -> Iterator[ReadStep | SheetRecords]:
    """As `appointments_from`, yielding a `ReadStep` every `STEP_ROWS` rows."""
    converter = _Converter(table, SheetKind.APPOINTMENTS, mapping, keep_unmapped, today)
    records = SheetRecords(appointment_columns=converter.field_columns(), source=table.path.name)
    total = len(table.rows)
    for count, row in enumerate(table.rows, start=1):
        if count % STEP_ROWS == 0:
            yield ReadStep(count, total)
        records.appointments.append(converter.appointment(row, records.refusals))
    yield records


def _last(steps: Iterator[ReadStep | SheetRecords]) -> SheetRecords:
    for step in steps:
        if isinstance(step, SheetRecords):
            return step
    raise AssertionError("the conversion ends with its records")  # pragma: no cover


def split_full_name(text: str, last_first: bool = True) -> tuple[str, str]:
    """(last name, first name) of "DUPONT Marie", "Marie DUPONT", "Dupont, Marie" or, by
    `last_first`, "Dupont Marie" / "Marie Dupont". Words in capitals are the last name."""
    text = " ".join(text.split())
    if "," in text:
        last, _comma, first = text.partition(",")
        return last.strip(), first.strip()
    words = text.split(" ")
    if len(words) == 1:
        return words[0], ""
    capitals = [_is_capitals(word) for word in words]
    if any(capitals) and not all(capitals):
        if capitals[0]:  # DUPONT DE LA TOUR Marie
            cut = capitals.index(False)
            return " ".join(words[:cut]), " ".join(words[cut:])
        if capitals[-1]:  # Marie-Anne DUPONT
            cut = len(words) - capitals[::-1].index(False)
            return " ".join(words[cut:]), " ".join(words[:cut])
    if last_first:
        return words[0], " ".join(words[1:])
    return words[-1], " ".join(words[:-1])


def _is_capitals(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


_TEXT_FIELDS = {
    "last_name": text_value,
    "first_name": text_value,
    "address": text_value,
    "commune": text_value,
    "referred_by": text_value,
    "project_title": text_value,
    "project_description": text_value,
    "sector": text_value,
    "phone": phone_value,
    "postcode": postcode_value,
    "email": email_value,
    "topic": text_value,
    "mode": text_value,
    "status": text_value,
}


class _Converter:
    """Turns the rows of one table into records, by the fields of its columns."""

    def __init__(
        self,
        table: Table,
        kind: SheetKind,
        mapping: Mapping | None,
        keep_unmapped: bool | None,
        today: date | None,
    ) -> None:
        mapping = mapping or Mapping()
        self.table = table
        self.headers = table.headers
        self.fields = mapping.columns(kind, table.headers)
        self.keep_unmapped = mapping.keep_unmapped if keep_unmapped is None else keep_unmapped
        self.today = today or date.today()
        notes = [index for index, key in enumerate(self.fields) if key == NOTE]
        self.prefix_notes = len(notes) > 1
        self.units: dict[int, DurationUnit | None] = {
            index: _unit(header) for index, header in enumerate(self.headers)
        }

    def field_columns(self) -> dict[str, str]:
        """Each record field and the header it is first read from ("last_name": "Nom")."""
        found: dict[str, str] = {}
        for header, key in zip(self.headers, self.fields, strict=True):
            for name in _record_fields(key):
                found.setdefault(name, header)
        return found

    def person(self, row: Row, refusals: list[Refusal]) -> PersonRecord:
        record = PersonRecord(row=row.number)
        for index, key in enumerate(self.fields):
            cell = row.cell(index)
            if key == IGNORE or is_empty(cell):
                continue
            header = self.headers[index]
            try:
                self._person_value(record, key, header, cell)
            except ValueRefused as refused:
                refusals.append(self._refusal(row, header, cell, refused))
                record.notes.append(_line(header, cell))
        return record

    def appointment(self, row: Row, refusals: list[Refusal]) -> AppointmentRecord:
        record = AppointmentRecord(row=row.number)
        lines: list[str] = []
        day: datetime | None = None
        clock: time | None = None
        for index, key in enumerate(self.fields):
            cell = row.cell(index)
            if key == IGNORE or is_empty(cell):
                continue
            header = self.headers[index]
            try:
                if key == "date" and day is None:
                    day = datetime_value(cell, self.today)
                elif key == "time" and clock is None:
                    clock = time_value(cell)
                elif key == "minutes" and record.minutes is None:
                    record.minutes = minutes_value(cell, self.units[index])
                elif key in ("date", "time", "minutes"):
                    lines.append(_line(header, cell))
                else:
                    self._text(record, key, header, cell, lines)
            except ValueRefused as refused:
                refusals.append(self._refusal(row, header, cell, refused))
                lines.append(_line(header, cell))
        if day is not None:
            record.starts_at = day if clock is None else datetime.combine(day.date(), clock)
        record.summary = "\n".join(lines)
        return record

    def _person_value(self, record: PersonRecord, key: str, header: str, cell: Cell) -> None:
        if key == "birth_date":
            value: object = date_value(cell, self.today)
        elif key == "first_appointment":
            value = date_value(cell, self.today)
        elif key == "honour_loan":
            amount = amount_value(cell)
            value = cents(amount) if amount is not None else None
            key = "honour_loan_cents"
        else:
            self._text(record, key, header, cell, record.notes)
            return
        self._once(record, key, value, header, cell, record.notes)

    def _text(
        self,
        record: PersonRecord | AppointmentRecord,
        key: str,
        header: str,
        cell: Cell,
        notes: list[str],
    ) -> None:
        if key == UNMAPPED:
            if self.keep_unmapped:
                notes.append(_line(header, cell))
        elif key == NOTE:
            text = text_value(cell)
            notes.append(_line(header, cell) if self.prefix_notes else text)
        elif key in (FULL_NAME, FULL_NAME_FIRST):
            last, first = split_full_name(text_value(cell), key == FULL_NAME)
            if record.last_name or record.first_name:
                notes.append(_line(header, cell))
            else:
                record.last_name, record.first_name = last, first
        else:
            self._once(record, key, _TEXT_FIELDS[key](cell), header, cell, notes)

    def _once(
        self,
        record: PersonRecord | AppointmentRecord,
        name: str,
        value: Any,
        header: str,
        cell: Cell,
        notes: list[str],
    ) -> None:
        """Set a field from its first filled column; a later column's different value goes
        to the notes (a second phone number, say)."""
        if value is None or value == "":
            return
        kept = getattr(record, name)
        if kept is None or kept == "":
            setattr(record, name, value)
        elif kept != value:
            notes.append(_line(header, cell))

    def _refusal(self, row: Row, header: str, cell: Cell, refused: ValueRefused) -> Refusal:
        # the sheet is named by the import when it reads two (Refusal.sheet)
        return Refusal(row.number, header, cell_text(cell).strip(), refused.reason)


def _line(header: str, cell: Cell) -> str:
    return f"{header}: {text_value(cell)}"


def _unit(header: str) -> DurationUnit | None:
    words = header_key(header)
    if has_words(words, "h", "heures?", "hours?", "hrs?", "en heures"):
        return "hours"
    if has_words(words, "min", "minutes?", "mn", "mins"):
        return "minutes"
    return None


def _record_fields(key: str) -> tuple[str, ...]:
    if key in (FULL_NAME, FULL_NAME_FIRST):
        return ("last_name", "first_name")
    if key == "honour_loan":
        return ("honour_loan_cents",)
    if key == "date":
        return ("starts_at",)
    if key == "time":
        return ("starts_at",)
    if key in (NOTE, UNMAPPED, IGNORE):
        return ()
    return (key,)


def preview(table: Table, limit: int = 5) -> list[list[str]]:
    """The first `limit` rows as text, column by column, for the mapping page."""
    return [
        [cell_text(row.cell(index)) for index in range(len(table.headers))]
        for row in table.rows[:limit]
    ]
