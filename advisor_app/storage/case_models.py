"""Tables of a case file: everything about one project holder and their project.

Each table is built from its record in `domain/records.py`, the one declaration of its
fields (kind, length, default, emptiness); the annotations below are what mypy sees of the
columns, and tests/domain/test_records.py checks that they say the same.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped
from sqlalchemy.types import TypeEngine

from advisor_app.domain import records
from advisor_app.domain.records import REQUIRED, Field, Kind, Record, new_id


class CaseBase(DeclarativeBase):
    pass


def column_type(field: Field) -> TypeEngine[Any]:
    """How a field of the declaration is kept in SQLite."""
    match field.kind:
        case Kind.ID | Kind.SHORT | Kind.ENUM:
            return String(field.max_length)
        case Kind.TEXT:
            return Text()
        case Kind.INT | Kind.CENTS:
            return Integer()
        case Kind.BOOL:
            return Boolean()
        case Kind.DATE:
            return Date()
        case Kind.DATETIME:
            return DateTime()
        case Kind.BYTES:
            return LargeBinary()


def case_column(field: Field) -> Column[Any]:
    return Column(
        field.name,
        column_type(field),
        primary_key=field.key,
        nullable=field.optional,
        default=None if field.default is REQUIRED else field.default,
        unique=field.unique or None,
        index=field.index or None,
        autoincrement=True if field.key and field.kind is Kind.INT else "auto",
    )


def case_table(record: Record) -> Table:
    """The table of `record` in the case file's metadata."""
    return Table(record.table, CaseBase.metadata, *(case_column(f) for f in record.fields))


class CaseInfo(CaseBase):
    """The one row that says which case this file is, its state and its revision."""

    __table__ = case_table(records.CASE_INFO)
    __tablename__ = records.CASE_INFO.table
    id: Mapped[str]
    revision: Mapped[int]
    status: Mapped[str]
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    outcome: Mapped[str | None]
    advisor: Mapped[str]
    pathway: Mapped[str]
    previous_case_id: Mapped[str | None]
    binned_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Person(CaseBase):
    __table__ = case_table(records.PERSON)
    __tablename__ = records.PERSON.table
    id: Mapped[str]
    first_name: Mapped[str]
    last_name: Mapped[str]
    birth_date: Mapped[date | None]
    gender: Mapped[str]
    email: Mapped[str]
    phone: Mapped[str]
    address: Mapped[str]
    postcode: Mapped[str]
    commune: Mapped[str]
    situation: Mapped[str]
    referred_by: Mapped[str]
    priority_neighbourhood: Mapped[bool]
    rural_area: Mapped[bool]
    training: Mapped[str]
    experience: Mapped[str]
    motivation: Mapped[str]
    household: Mapped[str]


class Project(CaseBase):
    __table__ = case_table(records.PROJECT)
    __tablename__ = records.PROJECT.table
    id: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    sector: Mapped[str]
    legal_form: Mapped[str]
    planned_start: Mapped[date | None]
    expected_jobs: Mapped[int]
    market_and_offer: Mapped[str]
    advisor_opinion: Mapped[str]
    customer_days: Mapped[int | None]
    supplier_days: Mapped[int | None]
    stock_days: Mapped[int | None]
    strengths: Mapped[str]
    vigilance: Mapped[str]
    recommendation: Mapped[str]
    recommended_amount_cents: Mapped[int | None]
    opinion_signed_on: Mapped[date | None]


class Appointment(CaseBase):
    __table__ = case_table(records.APPOINTMENT)
    __tablename__ = records.APPOINTMENT.table
    id: Mapped[str]
    start: Mapped[datetime]
    minutes: Mapped[int]
    mode: Mapped[str]
    place: Mapped[str]
    topic: Mapped[str]
    summary: Mapped[str]
    next_actions: Mapped[str]
    status: Mapped[str]
    programme: Mapped[str]
    counts_in_reports: Mapped[bool]


class Milestone(CaseBase):
    __table__ = case_table(records.MILESTONE)
    __tablename__ = records.MILESTONE.table
    id: Mapped[str]
    key: Mapped[str]
    label: Mapped[str]
    position: Mapped[int]
    target_on: Mapped[date | None]
    done_on: Mapped[date | None]
    comment: Mapped[str]


class FundingRequest(CaseBase):
    __table__ = case_table(records.FUNDING_REQUEST)
    __tablename__ = records.FUNDING_REQUEST.table
    id: Mapped[str]
    funder: Mapped[str]
    kind: Mapped[str]
    amount_asked_cents: Mapped[int]
    committee_on: Mapped[date | None]
    decision: Mapped[str]
    amount_granted_cents: Mapped[int]
    term_months: Mapped[int | None]
    deferral_months: Mapped[int | None]
    annual_rate_basis_points: Mapped[int | None]


class FinancingLineRow(CaseBase):
    __table__ = case_table(records.FINANCING_LINE)
    __tablename__ = records.FINANCING_LINE.table
    id: Mapped[str]
    side: Mapped[str]
    label: Mapped[str]
    amount_cents: Mapped[int]
    position: Mapped[int]


class ForecastLine(CaseBase):
    __table__ = case_table(records.FORECAST_LINE)
    __tablename__ = records.FORECAST_LINE.table
    id: Mapped[str]
    year: Mapped[int]
    item: Mapped[str]
    amount_cents: Mapped[int]


class Note(CaseBase):
    __table__ = case_table(records.NOTE)
    __tablename__ = records.NOTE.table
    id: Mapped[str]
    written_at: Mapped[datetime]
    text: Mapped[str]


class Attachment(CaseBase):
    __table__ = case_table(records.ATTACHMENT)
    __tablename__ = records.ATTACHMENT.table
    id: Mapped[str]
    filename: Mapped[str]
    media_type: Mapped[str]
    size: Mapped[int]
    added_at: Mapped[datetime]
    content: Mapped[bytes]


class Consent(CaseBase):
    __table__ = case_table(records.CONSENT)
    __tablename__ = records.CONSENT.table
    id: Mapped[str]
    scope: Mapped[str]
    partner: Mapped[str]
    given_on: Mapped[date]
    how: Mapped[str]
    recorded_by: Mapped[str]
    withdrawn_on: Mapped[date | None]


class HistoryEntry(CaseBase):
    """What changed in the case, when; a readable trail, not a copy of the data."""

    __table__ = case_table(records.HISTORY)
    __tablename__ = records.HISTORY.table
    id: Mapped[int]
    at: Mapped[datetime]
    revision: Mapped[int]
    action: Mapped[str]
    detail: Mapped[str]
    advisor: Mapped[str]


# The model of each declared record (team_sharing's is in storage/team_models.py).
CASE_MODELS: dict[str, type[CaseBase]] = {
    model.__tablename__: model
    for model in (
        CaseInfo,
        Person,
        Project,
        Appointment,
        Milestone,
        FundingRequest,
        FinancingLineRow,
        ForecastLine,
        Note,
        Attachment,
        Consent,
        HistoryEntry,
    )
}

__all__ = [
    "CASE_MODELS",
    "Appointment",
    "Attachment",
    "CaseBase",
    "CaseInfo",
    "Consent",
    "FinancingLineRow",
    "ForecastLine",
    "FundingRequest",
    "HistoryEntry",
    "Milestone",
    "Note",
    "Person",
    "Project",
    "case_table",
    "new_id",
]
