"""Tables of a case file: everything about one project holder and their project."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return str(uuid.uuid4())


class CaseBase(DeclarativeBase):
    pass


class CaseInfo(CaseBase):
    """The one row that says which case this file is, its state and its revision."""

    __tablename__ = "case_info"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="active")
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    outcome: Mapped[str | None] = mapped_column(String(30), default=None)
    advisor: Mapped[str] = mapped_column(String(200), default="")
    pathway: Mapped[str] = mapped_column(String(50), default="standard")
    previous_case_id: Mapped[str | None] = mapped_column(String(36), default=None)
    binned_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Person(CaseBase):
    __tablename__ = "person"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    gender: Mapped[str] = mapped_column(String(20), default="unspecified")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    commune: Mapped[str] = mapped_column(String(200), default="")
    situation: Mapped[str] = mapped_column(String(30), default="other")
    referred_by: Mapped[str] = mapped_column(String(200), default="")
    priority_neighbourhood: Mapped[bool] = mapped_column(Boolean, default=False)
    rural_area: Mapped[bool] = mapped_column(Boolean, default=False)
    # the holder's background, as a committee reads it (schema version 2)
    training: Mapped[str] = mapped_column(Text, default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    motivation: Mapped[str] = mapped_column(Text, default="")
    household: Mapped[str] = mapped_column(Text, default="")


class Project(CaseBase):
    __tablename__ = "project"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(200), default="")
    legal_form: Mapped[str] = mapped_column(String(100), default="")
    planned_start: Mapped[date | None] = mapped_column(Date, default=None)
    expected_jobs: Mapped[int] = mapped_column(Integer, default=1)
    market_and_offer: Mapped[str] = mapped_column(Text, default="")
    advisor_opinion: Mapped[str] = mapped_column(Text, default="")
    # what the committee file adds (schema version 2); None and "" are "not given yet"
    customer_days: Mapped[int | None] = mapped_column(Integer, default=None)
    supplier_days: Mapped[int | None] = mapped_column(Integer, default=None)
    stock_days: Mapped[int | None] = mapped_column(Integer, default=None)
    strengths: Mapped[str] = mapped_column(Text, default="")
    vigilance: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str] = mapped_column(String(30), default="")
    recommended_amount_cents: Mapped[int | None] = mapped_column(Integer, default=None)
    opinion_signed_on: Mapped[date | None] = mapped_column(Date, default=None)


class Appointment(CaseBase):
    __tablename__ = "appointment"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    start: Mapped[datetime] = mapped_column(DateTime, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(20))
    place: Mapped[str] = mapped_column(String(300), default="")
    topic: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    next_actions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    programme: Mapped[str] = mapped_column(String(200), default="")
    counts_in_reports: Mapped[bool] = mapped_column(Boolean, default=True)


class Milestone(CaseBase):
    __tablename__ = "milestone"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    target_on: Mapped[date | None] = mapped_column(Date, default=None)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    comment: Mapped[str] = mapped_column(Text, default="")


class FundingRequest(CaseBase):
    __tablename__ = "funding_request"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    funder: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    amount_asked_cents: Mapped[int] = mapped_column(Integer)
    committee_on: Mapped[date | None] = mapped_column(Date, default=None)
    decision: Mapped[str] = mapped_column(String(30), default="pending")
    amount_granted_cents: Mapped[int] = mapped_column(Integer, default=0)
    # a loan's terms (schema version 2): length deferral included, rate in 1/100 %
    term_months: Mapped[int | None] = mapped_column(Integer, default=None)
    deferral_months: Mapped[int | None] = mapped_column(Integer, default=None)
    annual_rate_basis_points: Mapped[int | None] = mapped_column(Integer, default=None)


class FinancingLineRow(CaseBase):
    __tablename__ = "financing_line"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    side: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(300))
    amount_cents: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ForecastLine(CaseBase):
    __tablename__ = "forecast_line"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    year: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(50))
    amount_cents: Mapped[int] = mapped_column(Integer)


class Note(CaseBase):
    __tablename__ = "note"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    written_at: Mapped[datetime] = mapped_column(DateTime)
    text: Mapped[str] = mapped_column(Text)


class Attachment(CaseBase):
    __tablename__ = "attachment"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    filename: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Consent(CaseBase):
    __tablename__ = "consent"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    scope: Mapped[str] = mapped_column(String(20))
    partner: Mapped[str] = mapped_column(String(200), default="")
    given_on: Mapped[date] = mapped_column(Date)
    how: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    withdrawn_on: Mapped[date | None] = mapped_column(Date, default=None)


class HistoryEntry(CaseBase):
    """What changed in the case, when; a readable trail, not a copy of the data."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str] = mapped_column(Text, default="")
    advisor: Mapped[str] = mapped_column(String(200), default="")


__all__ = [
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
    "new_id",
]
