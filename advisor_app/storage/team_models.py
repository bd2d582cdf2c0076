"""Tables a case file keeps for team mode (case-file version 3).

A shared case records, beside its rows, the newest value and stamp of each of their fields
(`team_field`), the removals (`team_tombstone`) and its own changes not yet sent
(`team_outgoing`): applying the team's changes in any order gives the same rows everywhere.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from advisor_app.storage.case_models import CaseBase


class TeamSharing(CaseBase):
    """Whether the case is shared with the team: a record that travels like the others."""

    __tablename__ = "team_sharing"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shared: Mapped[bool] = mapped_column(Boolean, default=True)
    shared_by: Mapped[str] = mapped_column(String(200), default="")
    shared_on: Mapped[date | None] = mapped_column(Date, default=None)


class TeamField(CaseBase):
    """The newest value of one field of a shared case, and the stamp that set it."""

    __tablename__ = "team_field"
    tbl: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    col: Mapped[str] = mapped_column(String(60), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)  # JSON
    author: Mapped[str] = mapped_column(String(200), default="")


class TeamTombstone(CaseBase):
    """A removed row: it stays removed unless one of its fields is changed after."""

    __tablename__ = "team_tombstone"
    tbl: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(40))
    author: Mapped[str] = mapped_column(String(200), default="")


class TeamOutgoing(CaseBase):
    """A change made here to a shared case, waiting to leave in the next batch."""

    __tablename__ = "team_outgoing"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    stamp: Mapped[str] = mapped_column(String(40))
    tbl: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    col: Mapped[str | None] = mapped_column(String(60), default=None)  # None: a removal
    value: Mapped[str] = mapped_column(Text, default="null")
    author: Mapped[str] = mapped_column(String(200), default="")


TEAM_TABLES = ("team_sharing", "team_field", "team_tombstone", "team_outgoing")
