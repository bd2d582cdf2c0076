"""Catalog tables of team mode (state file, version 7): the team this workspace belongs to,
its keys, its members and how far each one's batches were applied.

The team key lives here, so it is encrypted with the workspace when the workspace is;
nothing here holds a person's data (case ids and stamps only).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.storage.catalog_models import STATE_SCHEMA, CatalogBase


class TeamRow(CatalogBase):
    """The team of this workspace (one row at most) and this advisor's place in it."""

    __tablename__ = "team"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    member_id: Mapped[str] = mapped_column(String(20))
    member_name: Mapped[str] = mapped_column(String(200))
    transport: Mapped[str] = mapped_column(String(20))  # "webdav" or "folder"
    location: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(200), default="")
    generation: Mapped[int] = mapped_column(Integer, default=1)
    salt: Mapped[str] = mapped_column(String(100))
    next_batch: Mapped[int] = mapped_column(Integer, default=1)
    last_stamp: Mapped[str] = mapped_column(String(40), default="")
    joined_at: Mapped[datetime] = mapped_column(DateTime)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    last_sync: Mapped[str] = mapped_column(Text, default="{}")  # JSON: what it did
    # batches taken in or sent since this member last published its snapshots
    since_snapshots: Mapped[int] = mapped_column(Integer, default=0)


class TeamKeyRow(CatalogBase):
    """The team key of one generation (a new one after each change of passphrase)."""

    __tablename__ = "team_key"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[bytes] = mapped_column(LargeBinary)


class TeamMemberRow(CatalogBase):
    """A member of the team as last read, and the last of their batches applied here."""

    __tablename__ = "team_member"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    member_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    applied: Mapped[int] = mapped_column(Integer, default=0)


class TeamGoneRow(CatalogBase):
    """A shared case erased or no longer shared: later changes of it are not taken in."""

    __tablename__ = "team_gone"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(40))
    erased: Mapped[bool] = mapped_column(Boolean, default=False)


class TeamEventRow(CatalogBase):
    """A team-wide event waiting to leave in the next batch: a case erased here, a member
    removed (their changes after it are not taken in)."""

    __tablename__ = "team_event"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    stamp: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))  # "erase" or "remove_member"
    target: Mapped[str] = mapped_column(String(36))


class TeamDirtyRow(CatalogBase):
    """A shared case with changes made here that have not left yet."""

    __tablename__ = "team_dirty"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class TeamSnapshotRow(CatalogBase):
    """A shared case whose snapshot this member published, at which revision of the case."""

    __tablename__ = "team_snapshot"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)


class TeamPendingRow(CatalogBase):
    """A change of a case not here yet whose own row has not come (a member's batch read
    before the sharer's): kept until the case can be made, or is gone."""

    __tablename__ = "team_pending"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    change: Mapped[str] = mapped_column(Text)  # JSON, as on the wire
