"""Who is who in a spreadsheet: each row's values checked, the rows of one person made one,
and each person recognised among the cases already in the workspace (for `sheet_import`).

Two rows, or a row and a case, are the same person when they have the same e-mail address,
or the same names (accents, case, hyphens and spaces aside) and the same birth date. A row
with neither a birth date nor an e-mail is still recognised by its names alone, when one
person only bears them and nothing contradicts it (another birth date, another e-mail):
without that, a sheet with names only would give new cases at every import. Names that fit
several people are refused, with the reason, rather than guessed. A person's identity (the
names folded, the e-mail in lower case) is `services.duplicates.Identity`, the one the New
case dialog's warning compares too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from advisor_app.domain import records, validation
from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_
from advisor_app.domain.names import folded_name as fold
from advisor_app.i18n import _, describe, format_date, format_datetime, format_money
from advisor_app.services.duplicates import Identity, identity_of
from advisor_app.services.limits import check_row
from advisor_app.sheets.records import AppointmentRecord, PersonRecord, Refusal
from advisor_app.storage.case_models import Person, Project

# The record's fields kept on the person (those of `PersonRecord` the person has), and those
# kept on the project (record → column).
PERSON_FIELDS = tuple(f.name for f in dataclasses.fields(PersonRecord) if f.name in records.PERSON)
PROJECT_FIELDS = {
    "project_title": "title",
    "project_description": "description",
    "sector": "sector",
}
VALUE_FIELDS = (*PERSON_FIELDS, *PROJECT_FIELDS)

# What a column is called when the file's own header is not known.
FIELD_LABELS = {
    **{name: records.PERSON[name].label for name in PERSON_FIELDS},
    **{name: records.PROJECT[column].label for name, column in PROJECT_FIELDS.items()},
    "first_appointment": N_("First appointment"),
    "honour_loan_cents": N_("Honour loan"),
    "notes": N_("Notes"),
    "starts_at": N_("Date"),
    "minutes": N_("Duration"),
    "topic": N_("Topic"),
    "mode": N_("Mode"),
    "status": N_("Status"),
}


# A record's field → the key the column mapping gives it, where they differ.
_MAPPING_KEYS = {"starts_at": "date", "honour_loan_cents": "honour_loan", "notes": "note"}


def same_value(first: Any, second: Any) -> bool:
    """Two values of a field that say the same ("DUPONT" and "Dupont", "Guéret" and
    "GUERET", "06 12" and "0612"; dates alike)."""
    if isinstance(first, str) and isinstance(second, str):
        return fold(first).replace(" ", "") == fold(second).replace(" ", "")
    return bool(first == second)


def shown(value: object) -> str:
    """A value as the advisor reads it: dates and times the locale's way."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value, "short")
    return str(value)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Someone:
    """One person of the file: the rows that name them, merged (earlier values first, later
    ones filling the blanks), and the case they are, once recognised."""

    rows: list[int]
    values: dict[str, Any]
    row_of: dict[str, int] = field(default_factory=dict)  # field → the row that gave it
    first_appointment: date | None = None
    honour_loan_cents: int | None = None
    notes: list[str] = field(default_factory=list)
    appointments: list[AppointmentRecord] = field(default_factory=list)
    case_id: str | None = None

    @property
    def identity(self) -> Identity:
        return identity_of(
            self.values.get("first_name", ""),
            self.values.get("last_name", ""),
            self.values.get("birth_date"),
            self.values.get("email", ""),
        )

    @property
    def holder(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


T = TypeVar("T")


class Directory(Generic[T]):
    """People found by e-mail or by names, to recognise the next one (`identify` gives a
    person's identity as it is now: a merged row may have gained a birth date)."""

    def __init__(self, identify: Callable[[T], Identity]) -> None:
        self.identify = identify
        self._by_email: dict[str, list[T]] = {}
        self._by_names: dict[tuple[str, str], list[T]] = {}

    def add(self, item: T) -> None:
        """File `item` under its identity (again after a merge gave it more)."""
        identity = self.identify(item)
        if identity.email:
            _file_under(self._by_email.setdefault(identity.email, []), item)
        if any(identity.names):
            _file_under(self._by_names.setdefault(identity.names, []), item)

    def find(self, identity: Identity) -> tuple[list[T], list[T]]:
        """The people that are surely this one (same e-mail, or same names and birth date),
        and those whose names alone match with nothing contradicting."""
        if identity.email:
            sure = [
                item
                for item in self._by_email.get(identity.email, [])
                if self.identify(item).email == identity.email
            ]
            if sure:
                return sure, []
        same_names = [
            (self.identify(item), item)
            for item in self._by_names.get(identity.names, [])
            if self.identify(item).names == identity.names
        ]
        sure = [
            item
            for other, item in same_names
            if identity.birth_date is not None and other.birth_date == identity.birth_date
        ]
        if sure:
            return sure, []
        return [], [item for other, item in same_names if not identity.contradicts(other)]


def _file_under(listed: list[T], item: T) -> None:
    if not any(other is item for other in listed):
        listed.append(item)


# -- checking one row --------------------------------------------------------------------


class RowChecker:
    """Takes a row's values one by one, refusing (with row, column, value and reason) what
    Boussole cannot keep; the rest goes on."""

    def __init__(self, today: date, columns: dict[str, str], sheet: str = "") -> None:
        self.today = today
        self.columns = columns
        self.sheet = sheet
        self.refusals: list[Refusal] = []  # rows and values left out
        self.conflicts: list[Refusal] = []  # values kept out, the row imported

    def column(self, name: str) -> str:
        """The column's header as the file writes it, else the field's name."""
        return (
            self.columns.get(name)
            or self.columns.get(_MAPPING_KEYS.get(name, name))
            or _(FIELD_LABELS.get(name, name))
        )

    def refuse(self, row: int, name: str, value: object, reason: str) -> None:
        self.refusals.append(Refusal(row, self.column(name), shown(value), reason, self.sheet))

    def conflict(self, row: int, name: str, value: object, reason: str) -> None:
        self.conflicts.append(Refusal(row, self.column(name), shown(value), reason, self.sheet))

    def person(self, record: PersonRecord) -> Someone | None:
        """The row as one person, or None (refused) when it lacks a name."""
        values: dict[str, Any] = {}
        for name in VALUE_FIELDS:
            value = getattr(record, name)
            if isinstance(value, str):
                value = value.strip()
            if is_blank(value):
                continue
            checked = self._checked(record.row, name, value)
            if checked is not None:
                values[name] = checked
        missing = [name for name in ("last_name", "first_name") if not values.get(name)]
        if missing:
            self.refuse(
                record.row,
                missing[0],
                "",
                _("A person needs a last name and a first name: the row was not imported."),
            )
            return None
        someone = Someone([record.row], values, dict.fromkeys(values, record.row))
        opening = record.first_appointment
        if opening is not None and self._valid(record.row, "first_appointment", opening):
            someone.first_appointment = opening
        loan = record.honour_loan_cents
        if loan is not None and loan != 0 and self._valid_amount(record.row, loan):
            someone.honour_loan_cents = loan
        text = "\n".join(line.strip() for line in record.notes if line.strip())
        if text:
            try:
                validation.check_text("text", text)
                someone.notes.append(text)
            except ValidationError as error:
                self.refuse(record.row, "notes", text[:60], describe(error))
        return someone

    def _checked(self, row: int, name: str, value: Any) -> Any:
        try:
            if name == "email":
                value = validation.check_email(value)
            if name == "birth_date":
                validation.check_birth_date(value, self.today)
            if name in PROJECT_FIELDS:
                check_row(Project, {PROJECT_FIELDS[name]: value})
            else:
                check_row(Person, {name: value})
        except ValidationError as error:
            self.refuse(row, name, value, describe(error))
            return None
        return value

    def _valid(self, row: int, name: str, value: date) -> bool:
        try:
            validation.check_date(name, value)
        except ValidationError as error:
            self.refuse(row, name, value, describe(error))
            return False
        return True

    def _valid_amount(self, row: int, cents: int) -> bool:
        try:
            validation.check_amount("amount_asked", cents)
        except ValidationError as error:
            self.refuse(row, "honour_loan_cents", format_money(cents), describe(error))
            return False
        return True


# -- the rows of one person made one --------------------------------------------------------


def merge_rows(
    people: Iterable[Someone], checker: RowChecker
) -> tuple[list[Someone], Directory[Someone]]:
    """The people of the file, rows of the same person merged in file order."""
    merged: list[Someone] = []
    directory: Directory[Someone] = Directory(lambda someone: someone.identity)
    for person in people:
        sure, likely = directory.find(person.identity)
        target = sure[0] if sure else None
        if target is None and len(likely) == 1:
            target = likely[0]
        elif target is None and len(likely) > 1:
            rows = ", ".join(str(other.rows[0]) for other in likely)
            checker.refuse(
                person.rows[0],
                "last_name",
                person.holder,
                _(
                    "Rows {rows} name other people called the same: add a birth date or an "
                    "e-mail address to tell which one this row is; it was not imported."
                ).format(rows=rows),
            )
            continue
        if target is None:
            merged.append(person)
            directory.add(person)
            continue
        fill_blanks(target, person, checker)
        directory.add(target)
    return merged, directory


def fill_blanks(target: Someone, later: Someone, checker: RowChecker) -> None:
    """The later row's values where the earlier ones are blank; a different value is
    kept out, and said."""
    target.rows.extend(later.rows)
    for name, value in later.values.items():
        kept = target.values.get(name)
        if is_blank(kept):
            target.values[name] = value
            target.row_of[name] = later.row_of[name]
        elif not same_value(kept, value):
            checker.conflict(
                later.rows[0],
                name,
                value,
                _(
                    "Row {row} gives another value for the same person; the first one was kept."
                ).format(row=target.row_of.get(name, target.rows[0])),
            )
    if target.first_appointment is None:
        target.first_appointment = later.first_appointment
    elif later.first_appointment is not None:
        target.first_appointment = min(target.first_appointment, later.first_appointment)
    if target.honour_loan_cents is None:
        target.honour_loan_cents = later.honour_loan_cents
    for note in later.notes:
        if note not in target.notes:
            target.notes.append(note)


# -- recognised among the cases of the workspace ------------------------------------------


@dataclass(frozen=True)
class Known:
    """A case of the workspace, as the catalog lists it."""

    case_id: str
    first_name: str
    last_name: str
    birth_date: date | None
    email: str
    opened_on: date | None

    @property
    def identity(self) -> Identity:
        return identity_of(self.first_name, self.last_name, self.birth_date, self.email)

    @property
    def holder(self) -> str:
        return f"{self.first_name} {self.last_name}"


def recognise(identity: Identity, known: Directory[Known]) -> tuple[Known | None, list[Known]]:
    """The case this person is (the newest, when they were accompanied more than once), or
    None and the cases their names alone could be (several: ambiguous)."""
    sure, likely = known.find(identity)
    if sure:
        return _newest(sure), []
    if not likely:
        return None, []
    if len({case.identity for case in likely}) == 1:  # one person, perhaps with several cases
        return _newest(likely), []
    return None, likely


def _newest(cases: list[Known]) -> Known:
    return max(cases, key=lambda case: (case.opened_on or date.min, case.case_id))


def find_someone(
    record: AppointmentRecord, people: Directory[Someone]
) -> tuple[Someone | None, int]:
    """The person of the file an appointment names, and how many it could be."""
    sure, likely = people.find(identity_of(record.first_name, record.last_name, None, record.email))
    if sure:
        return sure[0], 1
    if len(likely) == 1:
        return likely[0], 1
    return None, len(likely)
