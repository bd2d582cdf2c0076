"""The changes of a shared case, field by field: recorded as it is written here, applied as
they come from the team, last writer wins per field (DESIGN section 9).

Every field of a shared case keeps its newest value and stamp in `team_field`, every removed
row its stamp in `team_tombstone`; the rows of the case's tables are what those say. A
change sets a field when its stamp is newer than the one kept; a row is there when one of
its fields is newer than its removal. Applying the same changes in any order, any number of
times, therefore leaves the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from sqlalchemy import (
    Column,
    Table,
    delete,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import ORMExecuteState, Session

from advisor_app.domain import records
from advisor_app.domain.hlc import HybridClock, Stamp
from advisor_app.storage.case_models import CaseBase
from advisor_app.storage.team_models import (
    TeamField,
    TeamOutgoing,
    TeamSharing,
    TeamTombstone,
)


@cache
def synced_tables() -> Mapping[str, Table]:
    """The case tables whose changes travel to the team, as `domain/records.py` declares."""
    tables = CaseBase.metadata.tables
    return MappingProxyType({name: tables[name] for name in records.synced_tables()})


def synced_columns(table: Table) -> list[Column[Any]]:
    return [table.columns[name] for name in records.synced_columns(table.name)]


def key_column(table: Table) -> Column[Any]:
    (key,) = table.primary_key.columns
    return key


# -- values on the wire -------------------------------------------------------------------


def to_json(column: Column[Any], value: Any) -> Any:
    return records.record(column.table.name)[column.name].to_json(value)


def from_json(column: Column[Any], value: Any) -> Any:
    """The column's value from its JSON; ValueError or TypeError for a value of the wrong
    kind, length or choice (a batch holding one is refused whole)."""
    return records.record(column.table.name)[column.name].from_json(value)


# -- a change -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field set (or, with `column` None, one row removed) in one shared case."""

    case: str
    table: str
    row: str
    column: str | None
    value: Any
    stamp: Stamp
    by: str = ""

    def to_wire(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "stamp": self.stamp,
            "by": self.by,
        }

    @classmethod
    def from_wire(cls, item: Mapping[str, Any]) -> Change:
        """A change read from a batch, its table, column and value checked (ValueError)."""
        tables = synced_tables()
        table = tables.get(str(item["table"]))
        if table is None:
            raise ValueError(f"unknown table {item['table']!r}")
        change = cls(
            case=str(item["case"]),
            table=table.name,
            row=str(item["row"]),
            column=None if item["column"] is None else str(item["column"]),
            value=item.get("value"),
            stamp=str(item["stamp"]),
            by=str(item.get("by", "")),
        )
        if change.column is not None:
            if change.column not in records.synced_columns(table.name):
                raise ValueError(f"unknown column {table.name}.{change.column}")
            records.record(table.name)[change.column].from_json(change.value)
        return change


# -- recording what is written here -------------------------------------------------------


def is_shared(session: Session) -> bool:
    return bool(session.scalars(select(TeamSharing.shared)).one_or_none())


@dataclass
class ChangeRecorder:
    """Follows a write session of a shared case and, at `finish`, records what it changed:
    one stamp for the whole write, newer than every stamp its fields had."""

    session: Session
    clock: HybridClock
    author: str
    touched: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    removed: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._tables = synced_tables()
        event.listen(self.session, "after_flush", self._after_flush)
        event.listen(self.session, "do_orm_execute", self._before_statement)

    def _after_flush(self, session: Session, _context: object) -> None:
        for obj in session.new:
            table = self._table_of(obj)
            if table is not None:
                self._touch(table, obj, [column.name for column in synced_columns(table)])
        for obj in session.dirty:
            table = self._table_of(obj)
            if table is None:
                continue
            state = inspect(obj)
            names = [
                column.name
                for column in synced_columns(table)
                if column.name in state.attrs and state.attrs[column.name].history.has_changes()
            ]
            if names:
                self._touch(table, obj, names)
        for obj in session.deleted:
            table = self._table_of(obj)
            if table is not None:
                key = str(inspect(obj).identity[0])
                self.removed.add((table.name, key))
                self.touched.pop((table.name, key), None)

    def _before_statement(self, state: ORMExecuteState) -> None:
        """A bulk UPDATE or DELETE (`delete(Note)`) names its rows only by a condition: they
        are looked up before it runs."""
        if not (state.is_update or state.is_delete):
            return
        statement: Any = state.statement
        table = statement.table
        if not isinstance(table, Table) or table.name not in self._tables:
            return
        key = key_column(table)
        query = select(key)
        if statement.whereclause is not None:
            query = query.where(statement.whereclause)
        ids = [str(value) for value in self.session.connection().execute(query).scalars()]
        if state.is_delete:
            for row in ids:
                self.removed.add((table.name, row))
                self.touched.pop((table.name, row), None)
        else:
            synced = records.synced_columns(table.name)
            names = [str(getattr(column, "key", column)) for column in statement._values or {}]
            names = [name for name in names if name in synced]
            for row in ids:
                self.touched.setdefault((table.name, row), set()).update(names)

    def _table_of(self, obj: object) -> Table | None:
        table = getattr(type(obj), "__table__", None)
        if isinstance(table, Table) and table.name in self._tables:
            return table
        return None

    def _touch(self, table: Table, obj: object, names: Iterable[str]) -> None:
        key = str(getattr(obj, key_column(table).name))
        self.touched.setdefault((table.name, key), set()).update(names)

    def finish(self, case_id: str) -> int:
        """Record the fields written and the rows removed; how many changes."""
        event.remove(self.session, "after_flush", self._after_flush)
        event.remove(self.session, "do_orm_execute", self._before_statement)
        self.session.flush()
        self._after_flush(self.session, None)  # what the last flush left dirty
        if not (self.touched or self.removed):
            return 0
        newest = self._newest_stamp()
        stamp = self.clock.tick(after=newest)
        changes: list[Change] = []
        connection = self.session.connection()
        for (name, row), names in sorted(self.touched.items()):
            table = self._tables[name]
            key = key_column(table)
            values = connection.execute(select(table).where(key == row)).mappings().one_or_none()
            if values is None:
                continue
            columns = {column.name: column for column in synced_columns(table)}
            for column_name in sorted(names):
                column = columns.get(column_name)
                if column is not None:
                    value = to_json(column, values[column_name])
                    changes.append(
                        Change(case_id, name, row, column_name, value, stamp, self.author)
                    )
        for name, row in sorted(self.removed):
            changes.append(Change(case_id, name, row, None, None, stamp, self.author))
        keep_changes(self.session, changes)
        queue_outgoing(self.session, changes)
        return len(changes)

    def _newest_stamp(self) -> Stamp | None:
        rows = {row for _table, row in (*self.touched, *self.removed)}
        if not rows:
            return None
        stamps = list(
            self.session.scalars(select(TeamField.stamp).where(TeamField.row_id.in_(rows)))
        )
        stamps += self.session.scalars(
            select(TeamTombstone.stamp).where(TeamTombstone.row_id.in_(rows))
        ).all()
        return max(stamps, default=None)


def record_whole_case(session: Session, case_id: str, stamp: Stamp, author: str) -> int:
    """Record every field of the case as set at `stamp` (the case is being shared, or shared
    again): the team then holds all of it."""
    changes: list[Change] = []
    connection = session.connection()
    for name, table in synced_tables().items():
        columns = synced_columns(table)
        key = key_column(table)
        for values in connection.execute(select(table)).mappings():
            row = str(values[key.name])
            for column in columns:
                value = to_json(column, values[column.name])
                changes.append(Change(case_id, name, row, column.name, value, stamp, author))
    keep_changes(session, changes)
    queue_outgoing(session, changes)
    return len(changes)


_KEEP_FIELD = (
    "INSERT INTO team_field (tbl, row_id, col, stamp, value, author) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (tbl, row_id, col) DO UPDATE SET stamp = excluded.stamp, "
    "value = excluded.value, author = excluded.author WHERE excluded.stamp > team_field.stamp"
)
_KEEP_REMOVAL = (
    "INSERT INTO team_tombstone (tbl, row_id, stamp, author) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (tbl, row_id) DO UPDATE SET stamp = excluded.stamp, "
    "author = excluded.author WHERE excluded.stamp > team_tombstone.stamp"
)


def keep_changes(session: Session, changes: Sequence[Change]) -> None:
    """Keep each change as its field's newest value (or its row's removal) where it is newer
    than what is kept."""
    fields = [
        (c.table, c.row, c.column, c.stamp, json.dumps(c.value, ensure_ascii=False), c.by)
        for c in changes
        if c.column is not None
    ]
    removals = [(c.table, c.row, c.stamp, c.by) for c in changes if c.column is None]
    connection = session.connection()
    if fields:
        connection.exec_driver_sql(_KEEP_FIELD, fields)  # type: ignore[arg-type]
    if removals:
        connection.exec_driver_sql(_KEEP_REMOVAL, removals)  # type: ignore[arg-type]


def queue_outgoing(session: Session, changes: Sequence[Change]) -> None:
    if not changes:
        return
    session.connection().execute(
        insert(TeamOutgoing),
        [
            {
                "stamp": change.stamp,
                "tbl": change.table,
                "row_id": change.row,
                "col": change.column,
                "value": json.dumps(change.value, ensure_ascii=False),
                "author": change.by,
            }
            for change in changes
        ],
    )


def outgoing(session: Session, case_id: str) -> tuple[list[Change], int]:
    """The changes waiting to leave, and the last of their numbers (0: none)."""
    rows = session.scalars(select(TeamOutgoing).order_by(TeamOutgoing.seq)).all()
    changes = [
        Change(case_id, row.tbl, row.row_id, row.col, json.loads(row.value), row.stamp, row.author)
        for row in rows
    ]
    return changes, (rows[-1].seq if rows else 0)


def drop_outgoing(session: Session, up_to: int) -> None:
    session.execute(delete(TeamOutgoing).where(TeamOutgoing.seq <= up_to))


def case_state(session: Session, case_id: str) -> list[Change]:
    """Everything the case holds, as changes: what a snapshot carries."""
    changes = [
        Change(case_id, row.tbl, row.row_id, row.col, json.loads(row.value), row.stamp, row.author)
        for row in session.scalars(select(TeamField))
    ]
    changes += [
        Change(case_id, row.tbl, row.row_id, None, None, row.stamp, row.author)
        for row in session.scalars(select(TeamTombstone))
    ]
    return changes


def forget_superseded(session: Session) -> None:
    """Forget the values a case no longer holds (after an anonymisation): changes waiting to
    leave that a later one of the same field (or the row's removal) replaces; and, for a case
    not shared, every field and removal kept for the team but its sharing."""
    session.execute(
        text(
            "DELETE FROM team_outgoing WHERE EXISTS (SELECT 1 FROM team_outgoing AS later "
            "WHERE later.tbl = team_outgoing.tbl AND later.row_id = team_outgoing.row_id "
            "AND (later.col = team_outgoing.col OR later.col IS NULL) "
            "AND later.seq > team_outgoing.seq)"
        )
    )
    if not is_shared(session):  # what says it is no longer shared still has to leave
        session.execute(delete(TeamField).where(TeamField.tbl != "team_sharing"))
        session.execute(delete(TeamTombstone).where(TeamTombstone.tbl != "team_sharing"))
        session.execute(delete(TeamOutgoing).where(TeamOutgoing.tbl != "team_sharing"))
