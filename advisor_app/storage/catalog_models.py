"""Tables of the workspace catalog, in two files.

The index (`workspace.sqlite`) holds what is rebuilt from the case files (`DERIVED_TABLES`):
it may be thrown away at any time. The state (`workspace-state.sqlite`, attached to every
catalog connection as the schema `state`) holds what nothing else holds (`STATE_TABLES`):
settings, audit log, partners, outbox queue and journal of sends. It is migrated, never
dropped, and backed up with the cases.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from advisor_app.storage.layout import CATALOG_APPLICATION_ID as CATALOG_APPLICATION_ID
from advisor_app.storage.layout import CATALOG_VERSION as CATALOG_VERSION
from advisor_app.storage.layout import DERIVED_TABLES as DERIVED_TABLES
from advisor_app.storage.layout import INDEX_VERSION as INDEX_VERSION
from advisor_app.storage.layout import STATE_APPLICATION_ID as STATE_APPLICATION_ID
from advisor_app.storage.layout import STATE_SCHEMA as STATE_SCHEMA
from advisor_app.storage.layout import STATE_TABLES as STATE_TABLES

FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
    "case_id UNINDEXED, names, project, description, commune, notes, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)


class CatalogBase(DeclarativeBase):
    # Index names without the schema, so that a state file made new and one migrated from
    # an older catalog have the same indexes.
    metadata = MetaData(naming_convention={"ix": "ix_%(table_name)s_%(column_0_name)s"})


class CaseIndex(CatalogBase):
    """One line per case file: what the list, the search and the dashboard need."""

    __tablename__ = "case_index"
    # The search joins its matches to the list by this index alone (covering): whether a
    # case is in the bin, and its id, without reading its row.
    __table_args__ = (Index("ix_case_index_search", "search_rowid", "binned_at", "case_id"),)
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
    search_rowid: Mapped[int | None] = mapped_column(Integer, default=None)
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
    # Shared with the team (the case file's `team_sharing`): the list's « Mes dossiers /
    # L'équipe » reads it with `advisor`, the référent (indexed: whether any case is shared
    # is asked whenever the list is shown). Last, as the upgrade adds it.
    shared: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


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


class MonthMinutes(CatalogBase):
    """Minutes of the appointments done and counted in reports, per case and month, of the
    cases not in the bin: the dashboard's hours are a sum over this small table, kept up to
    date whenever a case is indexed rather than recomputed from the agenda."""

    __tablename__ = "month_minutes"
    __table_args__ = (Index("ix_month_minutes_month", "month", "minutes"),)
    case_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("case_index.case_id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-03"
    minutes: Mapped[int] = mapped_column(Integer)


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
    __table_args__ = ({"schema": STATE_SCHEMA},)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(CatalogBase):
    """Workspace-level trail (created, binned, erased...): never personal data."""

    __tablename__ = "audit_log"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(50))
    case_id: Mapped[str | None] = mapped_column(String(36), default=None)
    advisor: Mapped[str] = mapped_column(String(200), default="")


class StateLoss(CatalogBase):
    """The state file was found missing or damaged and started empty: `check` says so, with
    the backup to bring it back from, until a restore does."""

    __tablename__ = "state_loss"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(20))  # missing | damaged
    set_aside: Mapped[str] = mapped_column(Text, default="")  # where a damaged file went


# Exchange tables (partners, outbox, journal of sends) and those of the spreadsheet imports
# live in their own modules.
from advisor_app.storage import (  # noqa: E402, F401
    exchange_models,
    import_models,
    team_state_models,
)
