"""Catalog tables of the spreadsheet imports: each import (a batch) and what it did.

They live in the catalog's state file: nothing else says which case, appointment, note or
funding request an import created, or which blank field it filled, and `undo` needs exactly
that. They hold ids and keyed digests, never a value of a person's file: the fields an
import fills were blank before it (the previous value is kept, as JSON), and the value it
wrote is known by its HMAC-SHA256 only, to tell whether the advisor changed it since. The
HMAC's key is a random secret of the workspace (`import-digest.key`, owner-only, beside the
state file, never in a backup): without it, a digest cannot be matched against every
possible birth date or phone number.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import datetime
from pathlib import Path

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.storage.catalog_models import STATE_SCHEMA, CatalogBase
from advisor_app.storage.layout import DIGEST_KEY_NAME as DIGEST_KEY_NAME
from advisor_app.storage.owner_only import OWNER_ONLY, fsync_file


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


def digest_key(root: Path, *, create: bool = True) -> bytes | None:
    """The workspace's secret for the import digests, made (32 random bytes, owner-only)
    the first time an import needs it; None when missing and `create` is false."""
    path = root / DIGEST_KEY_NAME
    if create and not path.exists():
        with contextlib.suppress(FileExistsError):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
            try:
                os.write(handle, secrets.token_bytes(32))
            finally:
                os.close(handle)
            fsync_file(path)
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        return None
    return key if len(key) == 32 else None


__all__ = ["DIGEST_KEY_NAME", "ImportBatchRow", "ImportItemRow", "digest_key"]
