"""What one spreadsheet row says, once read and checked: the contract between the reading
(`reading`, `values`, `mapping`) and the import (`advisor_app.services.sheet_import`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Refusal:
    """A value that could not be taken, named for the user: row as numbered in the file
    (1-based), the column's header as written there, the value, and why (translated)."""

    row: int
    column: str
    value: str
    reason: str
    sheet: str = ""  # the sheet (or file) the row is in, when the import reads two


@dataclass
class PersonRecord:
    """One row of the people sheet. Text fields are "" when empty; `notes` holds the
    "Observations"-like columns and the unmapped columns kept as "Header: value" lines."""

    row: int
    last_name: str = ""
    first_name: str = ""
    birth_date: date | None = None
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    commune: str = ""
    referred_by: str = ""
    project_title: str = ""
    project_description: str = ""
    sector: str = ""
    first_appointment: date | None = None
    honour_loan_cents: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class AppointmentRecord:
    """One row of the appointments sheet, naming its person by names or e-mail."""

    row: int
    last_name: str = ""
    first_name: str = ""
    email: str = ""
    starts_at: datetime | None = None
    minutes: int | None = None
    topic: str = ""
    mode: str = ""  # the sheet's own word ("", "téléphone", "visio"...): mapped by the import
    status: str = ""  # the sheet's own word ("", "annulé", "absent"...): mapped by the import
    # what was said or done ("Compte rendu", "Observations"), and the unmapped columns kept
    # as "Header: value" lines; `starts_at` is at midnight when the sheet gives no time
    summary: str = ""


@dataclass
class SheetRecords:
    """Everything read from one file: the people, their appointments, and what was refused."""

    people: list[PersonRecord] = field(default_factory=list)
    appointments: list[AppointmentRecord] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    # the header each field was read from, as written in the file ("last_name": "Nom"),
    # for the people and the appointments: the import names them in what it refuses
    columns: dict[str, str] = field(default_factory=dict)
    appointment_columns: dict[str, str] = field(default_factory=dict)
    source: str = ""  # the file's name, kept with the import
    appointment_source: str = ""  # the sheet or file of the appointments, when apart


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())
