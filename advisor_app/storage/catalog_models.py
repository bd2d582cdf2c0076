"""Tables of the workspace catalog: derived data, rebuildable from the case files."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

CATALOG_VERSION = 4  # 2: partner, outbox, send_journal; 3: dates kept for the list; 4: index
CATALOG_APPLICATION_ID = 0x424F5557  # "BOUW"

# Tables refilled from the case files; every other catalog table is kept across upgrades.
DERIVED_TABLES: tuple[str, ...] = (
    "agenda_entry",
    "milestone_index",
    "funding_index",
    "search_index",
    "case_index",
)

FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
    "case_id UNINDEXED, names, project, description, commune, notes, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)


class CatalogBase(DeclarativeBase):
    pass


class CaseIndex(CatalogBase):
    """One line per case file: what the list, the search and the dashboard need."""

    __tablename__ = "case_index"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(200), default="")
    last_name: Mapped[str] = mapped_column(String(200), default="", index=True)
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    gender: Mapped[str] = mapped_column(String(20), default="unspecified")
    situation: Mapped[str] = mapped_column(String(30), default="other")
    email: Mapped[str] = mapped_column(String(320), default="", index=True)
    commune: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    priority_neighbourhood: Mapped[bool] = mapped_column(Boolean, default=False)
    rural_area: Mapped[bool] = mapped_column(Boolean, default=False)
    project_title: Mapped[str] = mapped_column(String(300), default="")
    sector: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    outcome: Mapped[str | None] = mapped_column(String(30), default=None)
    advisor: Mapped[str] = mapped_column(String(200), default="")
    opened_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    stage: Mapped[str | None] = mapped_column(String(50), default=None)
    stage_position: Mapped[int] = mapped_column(Integer, default=-1)
    milestones_done: Mapped[int] = mapped_column(Integer, default=0)
    milestones_total: Mapped[int] = mapped_column(Integer, default=0)
    last_contact: Mapped[date | None] = mapped_column(Date, default=None)
    # Read with today's date when the list is shown, so that nothing in the index goes stale:
    # targets of milestones not done (sorted ISO dates) and planned appointments (ISO times).
    undone_targets: Mapped[str] = mapped_column(Text, default="")
    first_undone_target: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    planned_starts: Mapped[str] = mapped_column(Text, default="")
    search_rowid: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    done_minutes: Mapped[int] = mapped_column(Integer, default=0)
    expected_jobs: Mapped[int] = mapped_column(Integer, default=0)
    processing_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    previous_case_id: Mapped[str | None] = mapped_column(String(36), default=None)
    binned_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    file_mtime_ns: Mapped[int] = mapped_column(Integer, default=0)
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    wal_size: Mapped[int] = mapped_column(Integer, default=0)
    damaged: Mapped[str | None] = mapped_column(Text, default=None)


class AgendaEntry(CatalogBase):
    __tablename__ = "agenda_entry"
    appointment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("case_index.case_id", ondelete="CASCADE"), index=True
    )
    start: Mapped[datetime] = mapped_column(DateTime, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(300), default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    programme: Mapped[str] = mapped_column(String(200), default="")
    counts_in_reports: Mapped[bool] = mapped_column(Boolean, default=True)


class MilestoneIndex(CatalogBase):
    __tablename__ = "milestone_index"
    milestone_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("case_index.case_id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    target_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)


class FundingIndex(CatalogBase):
    __tablename__ = "funding_index"
    funding_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("case_index.case_id", ondelete="CASCADE"), index=True
    )
    funder: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    amount_asked_cents: Mapped[int] = mapped_column(Integer)
    committee_on: Mapped[date | None] = mapped_column(Date, default=None)
    decision: Mapped[str] = mapped_column(String(30))
    amount_granted_cents: Mapped[int] = mapped_column(Integer, default=0)


class Setting(CatalogBase):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(CatalogBase):
    """Workspace-level trail (created, binned, erased...): never personal data."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(50))
    case_id: Mapped[str | None] = mapped_column(String(36), default=None)
    advisor: Mapped[str] = mapped_column(String(200), default="")


# Exchange tables (partners, outbox, journal of sends) live in their own module.
from advisor_app.storage import exchange_models  # noqa: E402, F401
