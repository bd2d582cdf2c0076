"""Each record of a case file declared once: its fields, their kinds, labels and roles.

The case file's tables (`storage/case_models.py`) are built from these declarations; the read
views, the export document for partners, the access report, the fields `edit` sets, the
spreadsheet import and the team's change recording take their field lists from here, and
tests/domain/test_records.py checks that the models, the views and the exchange schema
(`resources/schemas/case.schema.json`) say the same.

A field's kind says how it is kept and how it travels as JSON (`to_json`, `from_json`):

    id        a row's identifier, 36 characters          "4f0c…"
    text      free text, up to MAX_TEXT_LENGTH           "…"
    short     text of at most `length` characters        "…"
    int       a whole number                             12
    cents     an amount in cents (a whole number)        1250000
    bool      yes or no                                  true
    date      a day                                      "2026-03-14"
    datetime  a day and a time (local, no time zone)     "2026-03-14T09:30:00"
    enum      one of `choices`, kept as its value        "job_seeker"
    bytes     a file's content                           {"b64": "JVBERi0…"}

This module imports no database library: the command line's light commands may read it.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any, Final

from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    CaseStatus,
    ConsentScope,
    FinancingSide,
    FundingDecision,
    FundingKind,
    Gender,
    LabelledEnum,
    Outcome,
    Recommendation,
    Situation,
)
from advisor_app.domain.messages import N_
from advisor_app.domain.validation import MAX_TEXT_LENGTH


def new_id() -> str:
    """A new row's identifier (a random UUID)."""
    return str(uuid.uuid4())


class Kind(StrEnum):
    ID = "id"
    TEXT = "text"
    SHORT = "short"
    INT = "int"
    CENTS = "cents"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    ENUM = "enum"
    BYTES = "bytes"


class _Required:
    """The default of a field that has none: a value must be given when a row is made."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final = _Required()
ID_LENGTH = 36

_PYTHON_TYPES: dict[Kind, type] = {
    Kind.ID: str,
    Kind.TEXT: str,
    Kind.SHORT: str,
    Kind.INT: int,
    Kind.CENTS: int,
    Kind.BOOL: bool,
    Kind.DATE: date,
    Kind.DATETIME: datetime,
    Kind.BYTES: bytes,
}


@dataclass(frozen=True)
class Field:
    """One column of a record.

    `optional`: it may hold nothing (None, "not given yet"). `default`: what a new row holds
    when nothing is given (a value, or a function making one), `REQUIRED` if a value must
    be given. `personal`: it says who the person is or what they confided, and is emptied
    when the case is anonymised. `exported`: it is in the `case.json` of the packages sent
    to partners. `section`: the partner's section that carries it when it is not the
    record's (the person's identity, contact and situation). `synced`: it travels to the
    team when the case is shared (a few of `case_info` are each workspace's own)."""

    name: str
    kind: Kind
    label: str
    length: int | None = None  # short and enum: the most characters the column holds
    choices: type[LabelledEnum] | None = None  # enum
    optional: bool = False
    default: object = REQUIRED
    key: bool = False
    unique: bool = False
    index: bool = False
    personal: bool = False
    exported: bool = True
    section: str | None = None
    synced: bool = True

    def __post_init__(self) -> None:
        if self.optional and self.default is REQUIRED:
            object.__setattr__(self, "default", None)  # an optional field starts empty
        if self.kind in (Kind.SHORT, Kind.ENUM) and self.length is None:
            raise ValueError(f"{self.name}: a short text needs its length")
        if (self.kind is Kind.ENUM) != (self.choices is not None):
            raise ValueError(f"{self.name}: choices are for an enum, and an enum needs them")

    @property
    def max_length(self) -> int | None:
        """The most characters a text of this field holds (None: not a text)."""
        if self.kind in (Kind.SHORT, Kind.ENUM):
            return self.length
        if self.kind is Kind.ID:
            return ID_LENGTH
        if self.kind is Kind.TEXT:
            return MAX_TEXT_LENGTH
        return None

    @property
    def python_type(self) -> type:
        """The type of the value held: `str`, `int`, `bool`, `date`, `datetime`, `bytes`, or
        for an enum its class (kept as its value, a `str`)."""
        if self.kind is Kind.ENUM:
            assert self.choices is not None, self.name
            return self.choices
        return _PYTHON_TYPES[self.kind]

    @property
    def clearable(self) -> bool:
        """Whether it may be emptied: set to None (not given yet), or to "" for a choice of
        which none is made yet (the advisor's recommendation)."""
        return self.optional or (self.kind is Kind.ENUM and self.default == "")

    def to_json(self, value: Any) -> Any:
        return to_json(self.kind, value)

    def from_json(self, value: Any) -> Any:
        """The field's value from its JSON, refusing (ValueError) what the field cannot hold:
        another kind, nothing where a value is needed, a text too long, an unknown choice."""
        if value is None:
            if not self.optional:
                raise ValueError(f"{self.name} cannot be empty")
            return None
        result = from_json(self.kind, value)
        limit = self.max_length
        if limit is not None and len(result) > limit:
            raise ValueError(f"{self.name}: longer than {limit} characters")
        if self.choices is not None and result not in _choice_values(self):
            raise ValueError(f"{self.name}: not one of the choices")
        return result


def _choice_values(field: Field) -> frozenset[str]:
    assert field.choices is not None
    values = {member.value for member in field.choices}
    if field.default == "":
        values.add("")
    return frozenset(values)


@dataclass(frozen=True)
class Record:
    """A table of the case file: its name, its fields in the columns' order, where its rows
    go in a partner's `case.json` (`document`: the key, None if never sent; `section`: the
    partner's section that carries it, None if always) and whether it travels to the team."""

    table: str
    label: str
    fields: tuple[Field, ...]
    document: str | None = None
    section: str | None = None
    synced: bool = True
    _by_name: dict[str, Field] = dataclasses.field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self._by_name.update((field.name, field) for field in self.fields)
        if len(self._by_name) != len(self.fields):
            raise ValueError(f"{self.table}: a field is declared twice")

    def __getitem__(self, name: str) -> Field:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"{self.table}.{name}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)

    @property
    def fields_but_id(self) -> tuple[Field, ...]:
        """The fields that hold the record's values: all but its identifier."""
        return tuple(field for field in self.fields if not field.key)

    @property
    def exported_names(self) -> tuple[str, ...]:
        """The names of the fields sent to partners, in the columns' order."""
        return tuple(field.name for field in self.fields if field.exported)


# Shorthands for the declarations below: the kind in the name, the length after the label.


def _id(**options: Any) -> Field:
    return Field("id", Kind.ID, N_("Identifier"), key=True, default=new_id, **options)


def _text(name: str, label: str, **options: Any) -> Field:
    """A free text, "" until something is written."""
    return Field(name, Kind.TEXT, label, **{"default": "", **options})


def _short(name: str, label: str, length: int, **options: Any) -> Field:
    return Field(name, Kind.SHORT, label, length=length, **options)


def _choice(
    name: str, label: str, choices: type[LabelledEnum], length: int, **options: Any
) -> Field:
    return Field(name, Kind.ENUM, label, length=length, choices=choices, **options)


def _int(name: str, label: str, **options: Any) -> Field:
    return Field(name, Kind.INT, label, **options)


def _cents(name: str, label: str, **options: Any) -> Field:
    return Field(name, Kind.CENTS, label, **options)


def _bool(name: str, label: str, default: bool, **options: Any) -> Field:
    return Field(name, Kind.BOOL, label, default=default, **options)


def _date(name: str, label: str, **options: Any) -> Field:
    return Field(name, Kind.DATE, label, **options)


def _moment(name: str, label: str, **options: Any) -> Field:
    return Field(name, Kind.DATETIME, label, **options)


def _in_section(section: str, *fields: Field) -> tuple[Field, ...]:
    return tuple(replace(field, section=section) for field in fields)


# -- the records -----------------------------------------------------------------------------
# `personal`: emptied when the case is anonymised; `exported`: sent to partners (see Field).

CASE_INFO = Record(
    "case_info",
    N_("The case"),
    (
        Field("id", Kind.ID, N_("Case number"), key=True, exported=False),
        _int("revision", N_("Version of the case file"), default=0, exported=False, synced=False),
        _choice("status", N_("Status"), CaseStatus, 20, default="active"),
        _date("opened_on", N_("Case opened on")),
        _date("closed_on", N_("Closed on"), optional=True),
        _choice("outcome", N_("Outcome"), Outcome, 30, optional=True),
        _short("advisor", N_("Advisor"), 200, default=""),
        _short("pathway", N_("Pathway"), 50, default="standard"),
        _short("previous_case_id", N_("Previous case file"), 36, optional=True, exported=False),
        _moment("binned_at", N_("In the bin since"), optional=True, exported=False, synced=False),
        _moment("created_at", N_("Created on"), exported=False, synced=False),
        _moment("updated_at", N_("Last changed on"), exported=False, synced=False),
    ),
    document="case",
)

PERSON = Record(
    "person",
    N_("Identity"),
    (
        _id(exported=False),
        *_in_section(
            "identity",
            _short("first_name", N_("First name"), 200, personal=True),
            _short("last_name", N_("Last name"), 200, personal=True),
            _date("birth_date", N_("Birth date"), optional=True),  # anonymised: its year kept
            _choice("gender", N_("Gender"), Gender, 20, default="unspecified"),
        ),
        *_in_section(
            "contact",
            _short("email", N_("E-mail"), 320, default="", personal=True),
            _short("phone", N_("Phone"), 50, default="", personal=True),
            _text("address", N_("Address"), personal=True),
            _short("postcode", N_("Postcode"), 10, default=""),
            _short("commune", N_("Commune"), 200, default=""),
        ),
        *_in_section(
            "situation",
            _choice("situation", N_("Situation"), Situation, 30, default="other"),
            _short("referred_by", N_("Referred by"), 200, default="", personal=True),
            _bool("priority_neighbourhood", N_("Priority neighbourhood"), False),
            _bool("rural_area", N_("Rural area"), False),
            # the holder's background, as a committee reads it (schema version 2)
            _text("training", N_("Training"), personal=True),
            _text("experience", N_("Professional experience"), personal=True),
            _text("motivation", N_("Motivation"), personal=True),
            _text("household", N_("Household situation"), personal=True),
        ),
    ),
    document="person",
)

PROJECT = Record(
    "project",
    N_("The project"),
    (
        _id(exported=False),
        _short("title", N_("Project"), 300, default="", personal=True),
        _text("description", N_("Description"), personal=True),
        _short("sector", N_("Sector"), 200, default=""),
        _short("legal_form", N_("Legal form"), 100, default=""),
        _date("planned_start", N_("Planned start"), optional=True),
        _int("expected_jobs", N_("Expected jobs"), default=1),
        _text("market_and_offer", N_("Market and offer"), personal=True),
        _text("advisor_opinion", N_("Advisor's opinion"), personal=True),
        # what the committee file adds (schema version 2); None and "" are "not given yet"
        _int("customer_days", N_("Customer payment terms (days)"), optional=True),
        _int("supplier_days", N_("Supplier payment terms (days)"), optional=True),
        _int("stock_days", N_("Stock (days of purchases)"), optional=True),
        _text("strengths", N_("Strengths"), personal=True),
        _text("vigilance", N_("Points of vigilance"), personal=True),
        _choice("recommendation", N_("Recommendation"), Recommendation, 30, default=""),
        _cents("recommended_amount_cents", N_("Amount of the recommendation"), optional=True),
        _date("opinion_signed_on", N_("Date of the opinion"), optional=True),
    ),
    document="project",
    section="project",
)

APPOINTMENT = Record(
    "appointment",
    N_("Appointments"),
    (
        _id(),
        _moment("start", N_("Date"), index=True),
        _int("minutes", N_("Duration")),
        _choice("mode", N_("Mode"), AppointmentMode, 20),
        _short("place", N_("Place"), 300, default="", personal=True),
        _short("topic", N_("Topic"), 300, default="", personal=True),
        _text("summary", N_("Summary"), personal=True),
        _text("next_actions", N_("Next actions"), personal=True),
        _choice("status", N_("Status"), AppointmentStatus, 20, default="planned"),
        _short("programme", N_("Programme"), 200, default=""),
        _bool("counts_in_reports", N_("Counted in the activity reports"), True),
    ),
    document="appointments",
    section="appointments",
)

MILESTONE = Record(
    "milestone",
    N_("Pathway"),
    (
        _id(),
        _short("key", N_("Key"), 50, unique=True),
        _short("label", N_("Milestone"), 200),
        _int("position", N_("Order")),
        _date("target_on", N_("Target"), optional=True),
        _date("done_on", N_("Done on"), optional=True),
        _text("comment", N_("Comment"), personal=True),
    ),
    document="milestones",
    section="pathway",
)

FUNDING_REQUEST = Record(
    "funding_request",
    N_("Funding requests"),
    (
        _id(),
        _short("funder", N_("Funder"), 200),
        _choice("kind", N_("Kind"), FundingKind, 30),
        _cents("amount_asked_cents", N_("Amount asked")),
        _date("committee_on", N_("Committee date"), optional=True),
        _choice("decision", N_("Decision"), FundingDecision, 30, default="pending"),
        _cents("amount_granted_cents", N_("Amount granted"), default=0),
        # a loan's terms (schema version 2): length deferral included, rate in 1/100 %
        _int("term_months", N_("Length of the loan"), optional=True),
        _int("deferral_months", N_("Deferral"), optional=True),
        _int("annual_rate_basis_points", N_("Yearly rate"), optional=True),
    ),
    document="funding",
    section="funding",
)

FINANCING_LINE = Record(
    "financing_line",
    N_("Financing plan"),
    (
        _id(),
        _choice("side", N_("Kind"), FinancingSide, 10),
        _short("label", N_("Label"), 300, personal=True),
        _cents("amount_cents", N_("Amount")),
        _int("position", N_("Order"), default=0),
    ),
    document="financing_plan",
    section="financing",
)

FORECAST_LINE = Record(
    "forecast_line",
    N_("Forecast"),
    (
        _id(),
        _int("year", N_("Year")),
        _short("item", N_("Item"), 50),
        _cents("amount_cents", N_("Amount")),
    ),
    document="forecast",
    section="financing",
)

NOTE = Record(
    "note",
    N_("Notes"),
    (
        _id(),
        _moment("written_at", N_("Written on")),
        _text("text", N_("Note"), default=REQUIRED, personal=True),
    ),
    document="notes",
    section="notes",
)

ATTACHMENT = Record(
    "attachment",
    N_("Documents"),
    (
        _id(),
        _short("filename", N_("File"), 300, personal=True),
        _short("media_type", N_("File type"), 100, default="application/octet-stream"),
        _int("size", N_("Size")),
        _moment("added_at", N_("Added on")),
        Field("content", Kind.BYTES, N_("Content"), personal=True, exported=False),
    ),
    document="attachments",
)

CONSENT = Record(
    "consent",
    N_("Consents"),
    (
        _id(),
        _choice("scope", N_("Scope"), ConsentScope, 20),
        _short("partner", N_("Partner"), 200, default=""),
        _date("given_on", N_("Given on")),
        _short("how", N_("How"), 200, default="", personal=True),
        _short("recorded_by", N_("Recorded by"), 200, default=""),
        _date("withdrawn_on", N_("Withdrawn on"), optional=True),
    ),
    document="consents",
)

HISTORY = Record(
    "history",
    N_("History of the case file"),
    (
        _int("id", N_("Identifier"), key=True),
        _moment("at", N_("When")),
        _int("revision", N_("Version of the case file")),
        _short("action", N_("What"), 50),
        _text("detail", N_("Detail"), personal=True),
        _short("advisor", N_("By"), 200, default=""),
    ),
    synced=False,  # the readable trail of this workspace
)

# Whether the case is shared with the team (team mode; its model is in
# storage/team_models.py): a record that travels like the others, never to partners.
TEAM_SHARING = Record(
    "team_sharing",
    N_("Sharing with the team"),
    (
        Field("id", Kind.ID, N_("Case number"), key=True, exported=False),
        _bool("shared", N_("Shared with the team"), True, exported=False),
        _short("shared_by", N_("Shared by"), 200, default="", exported=False),
        _date("shared_on", N_("Shared on"), optional=True, exported=False),
    ),
)

# The tables of `storage/case_models.py`, in the order they are declared there.
CASE_RECORDS: tuple[Record, ...] = (
    CASE_INFO,
    PERSON,
    PROJECT,
    APPOINTMENT,
    MILESTONE,
    FUNDING_REQUEST,
    FINANCING_LINE,
    FORECAST_LINE,
    NOTE,
    ATTACHMENT,
    CONSENT,
    HISTORY,
)
RECORDS: dict[str, Record] = {record.table: record for record in (*CASE_RECORDS, TEAM_SHARING)}


def record(table: str) -> Record:
    """The record of the table `table` (KeyError for a table that is not a declared one)."""
    return RECORDS[table]


def exported_records() -> tuple[Record, ...]:
    """The records a partner's `case.json` carries, each under its `document` key."""
    return tuple(r for r in RECORDS.values() if r.document is not None)


# -- team mode: what travels, and how a value is written in JSON ------------------------------


def synced_tables() -> tuple[str, ...]:
    """The tables whose changes travel to the team: every declared one but `history`."""
    return tuple(name for name, r in RECORDS.items() if r.synced)


@cache
def synced_columns(table: str) -> tuple[str, ...]:
    """The columns of `table` whose changes travel to the team, the row's `id` included:
    every column, but none of `history` (and of a table not declared here, such as the
    team's own bookkeeping), nor `case_info`'s revision, created_at, updated_at, binned_at
    (each workspace's own)."""
    found = RECORDS.get(table)
    if found is None or not found.synced:
        return ()
    return tuple(field.name for field in found.fields if field.synced)


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def to_json(kind: Kind, value: Any) -> Any:
    """A value of a field of `kind` as JSON: date "YYYY-MM-DD", datetime ISO (as kept, to the
    microsecond), bytes {"b64": ...}, bool, int, str, None."""
    if value is None:
        return None
    if kind is Kind.DATETIME:
        if not isinstance(value, datetime):
            raise TypeError(f"not a date and time: {type(value).__name__}")
        return value.isoformat()
    if kind is Kind.DATE:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise TypeError(f"not a date: {type(value).__name__}")
        return value.isoformat()
    if kind is Kind.BYTES:
        if not isinstance(value, bytes | bytearray | memoryview):
            raise TypeError(f"not bytes: {type(value).__name__}")
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    if kind is Kind.BOOL:
        if not isinstance(value, int):
            raise TypeError(f"not a yes or no: {type(value).__name__}")
        return bool(value)
    if kind in (Kind.INT, Kind.CENTS):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"not a whole number: {type(value).__name__}")
        return int(value)
    if not isinstance(value, str):
        raise TypeError(f"not a text: {type(value).__name__}")
    return str(value)


def from_json(kind: Kind, value: Any) -> Any:
    """The value `to_json` wrote, back; ValueError for JSON that a field of `kind` cannot
    hold (a change or batch holding one is refused)."""
    if value is None:
        return None
    if kind is Kind.DATETIME:
        if not isinstance(value, str) or not _DAY.match(value) or "T" not in value:
            raise ValueError("not a date and time")
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            raise ValueError("a date and time with a time zone")
        return moment
    if kind is Kind.DATE:
        if not isinstance(value, str) or not _DAY.fullmatch(value):
            raise ValueError("not a date")
        return date.fromisoformat(value)
    if kind is Kind.BYTES:
        if (
            not isinstance(value, dict)
            or set(value) != {"b64"}
            or not isinstance(value["b64"], str)
        ):
            raise ValueError("not bytes")
        try:
            return base64.b64decode(value["b64"], validate=True)
        except binascii.Error:
            raise ValueError("not base64") from None
    if kind is Kind.BOOL:
        if not isinstance(value, bool):
            raise ValueError("not a yes or no")
        return value
    if kind in (Kind.INT, Kind.CENTS):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("not a whole number")
        return value
    if not isinstance(value, str):
        raise ValueError("not a text")
    return value
