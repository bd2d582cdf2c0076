"""Catalog tables of the exchange with partners: profiles, outbox and the journal of sends.

They are not derived from the case files: they live in the catalog's state file.
Passwords are never stored here: the system keyring (or the memory of the running
application) holds them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.storage.catalog_models import STATE_SCHEMA, CatalogBase


class PartnerRow(CatalogBase):
    """Who receives packages, what they receive, and where they are dropped."""

    __tablename__ = "partner"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    sections: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of section keys
    reports: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of report kinds
    attachments: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of name patterns
    transport: Mapped[str] = mapped_column(String(20))  # folder | webdav
    location: Mapped[str] = mapped_column(Text)  # a folder path or a WebDAV URL
    user: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class OutboxRow(CatalogBase):
    """One package waiting to be sent, being sent, sent, failed or cancelled."""

    __tablename__ = "outbox"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    partner: Mapped[str] = mapped_column(String(200), index=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), index=True, default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class SendJournalRow(CatalogBase):
    """What was delivered, to whom, where and when (never a password)."""

    __tablename__ = "send_journal"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    partner: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[str] = mapped_column(String(36))
    destination: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(30))  # delivered | already_there


__all__ = ["OutboxRow", "PartnerRow", "SendJournalRow"]
