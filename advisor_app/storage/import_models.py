"""Catalog tables of the spreadsheet imports: each import (a batch) and what it did.

They live in the catalog's state file: nothing else says which case, appointment, note or
funding request an import created, or which blank field it filled, and `undo` needs exactly
that. They hold ids and short digests, never a value of a person's file: the fields an
import fills were blank before it (the previous value is kept, as JSON), and the value it
wrote is known by its digest only, to tell whether the advisor changed it since.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.storage.catalog_models import STATE_SCHEMA, CatalogBase


class ImportBatchRow(CatalogBase):
    """One import of a spreadsheet: running, done, cancelled (what was done before the
    cancel stays, and can be undone) or undone."""

    __tablename__ = "import_batch"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(300), default="")  # the file's name
    advisor: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(20), default="running")
    backup: Mapped[str] = mapped_column(String(200), default="")  # made just before
    cases_created: Mapped[int] = mapped_column(Integer, default=0)
    cases_updated: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class ImportItemRow(CatalogBase):
    """One thing a batch did to a case: created it (`kind` "case", `digest` its revision
    then), added a row (`kind` "appointment", "note" or "funding", `target` its id) or
    filled a field (`kind` "field", `target` "person.phone", "milestone.welcome"...,
    `previous` the value before as JSON, `digest` that of the value written)."""

    __tablename__ = "import_item"
    __table_args__ = ({"schema": STATE_SCHEMA},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(String(36), index=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(100), default="")
    previous: Mapped[str] = mapped_column(Text, default="null")
    digest: Mapped[str] = mapped_column(String(64), default="")


__all__ = ["ImportBatchRow", "ImportItemRow"]
