"""Applying the team's changes to a shared case: last writer wins per field.

A change sets its field when its stamp is newer than the one `team_field` keeps; a row is
there when one of its fields is newer than its removal (a removal wins over older changes,
not over later ones), and waits in `team_field` while a field it cannot do without has not
come. So the same changes in any order, any number of times, give the same rows. A case new
here is made from its changes alone (`new_case_rows`), to be written in bulk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.orm import Session

from advisor_app.domain import records
from advisor_app.domain.hlc import Stamp
from advisor_app.storage.case_models import CaseBase, CaseInfo
from advisor_app.storage.team_changes import (
    Change,
    from_json,
    keep_changes,
    key_column,
    synced_columns,
    synced_tables,
)
from advisor_app.storage.team_models import TeamField, TeamTombstone


@dataclass
class Applied:
    """What applying a case's changes did: the changes newer than what was there (which set
    a field or removed a row), those older (kept only in the history), and who made them."""

    newer: list[Change] = field(default_factory=list)
    older: list[Change] = field(default_factory=list)


def sort_out(session: Session, changes: Sequence[Change]) -> Applied:
    """Which changes are newer than what the case keeps, and which older; a change already
    kept (a batch taken in again) is neither."""
    sorted_out = Applied()
    kept = _kept_stamps(session, changes)
    for change in changes:
        slot = (change.table, change.row, change.column)
        if change.stamp > kept.get(slot, ""):
            kept[slot] = change.stamp
            sorted_out.newer.append(change)
        elif change.stamp != kept.get(slot):
            sorted_out.older.append(change)
    return sorted_out


def apply_changes(session: Session, changes: Iterable[Change], at: datetime) -> Applied:
    """Apply a case's changes from the team, last writer wins per field; the rows they touch
    are then made to agree with what is kept. `at` dates a case_info made here."""
    applied = sort_out(session, list(changes))
    keep_changes(session, applied.newer)
    touched: dict[str, set[str]] = {}
    for change in applied.newer:
        touched.setdefault(change.table, set()).add(change.row)
    for table, rows in sorted(touched.items()):
        _settle_rows(session, table, sorted(rows), at)
    return applied


def _kept_stamps(
    session: Session, changes: Sequence[Change]
) -> dict[tuple[str, str, str | None], Stamp]:
    rows = {change.row for change in changes}
    kept: dict[tuple[str, str, str | None], Stamp] = {}
    for chunk in _chunks(sorted(rows), 500):
        for tbl, row, col, stamp in session.execute(
            select(TeamField.tbl, TeamField.row_id, TeamField.col, TeamField.stamp).where(
                TeamField.row_id.in_(chunk)
            )
        ):
            kept[(tbl, row, col)] = stamp
        for tbl, row, stamp in session.execute(
            select(TeamTombstone.tbl, TeamTombstone.row_id, TeamTombstone.stamp).where(
                TeamTombstone.row_id.in_(chunk)
            )
        ):
            kept[(tbl, row, None)] = stamp
    return kept


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _settle_rows(session: Session, name: str, rows: Sequence[str], at: datetime) -> None:
    """Make the rows what their kept fields and removals say: written when one of their
    fields is newer than their removal (and every field a row cannot do without is known),
    else removed."""
    table = synced_tables()[name]
    key = key_column(table)
    connection = session.connection()
    for chunk in _chunks(rows, 500):
        fields: dict[str, dict[str, tuple[str, str]]] = {row: {} for row in chunk}
        for row, col, stamp, value in session.execute(
            select(TeamField.row_id, TeamField.col, TeamField.stamp, TeamField.value).where(
                TeamField.tbl == name, TeamField.row_id.in_(chunk)
            )
        ):
            fields[row][col] = (stamp, value)
        removed = {
            str(row): str(stamp)
            for row, stamp in session.execute(
                select(TeamTombstone.row_id, TeamTombstone.stamp).where(
                    TeamTombstone.tbl == name, TeamTombstone.row_id.in_(chunk)
                )
            )
        }
        present = {
            str(row) for row in connection.execute(select(key).where(key.in_(chunk))).scalars()
        }
        gone = []
        synced = records.synced_columns(name)
        # written together, one statement for each set of columns
        inserts: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in chunk:
            values = _row_values(table, row, fields[row], removed.get(row), at)
            if values is None:
                if not fields[row] or removed.get(row, "") >= max(
                    stamp for stamp, _value in fields[row].values()
                ):
                    gone.append(row)
                continue
            if row in present:
                changing = {c: v for c, v in values.items() if c != key.name and c in synced}
                if changing:
                    updates.setdefault(tuple(sorted(changing)), []).append(
                        {**{f"new_{c}": v for c, v in changing.items()}, "row_key": row}
                    )
            else:
                inserts.setdefault(tuple(sorted(values)), []).append(values)
        for many in inserts.values():
            connection.execute(table.insert(), many)
        for columns, many in updates.items():
            statement = (
                table.update()
                .where(key == bindparam("row_key"))
                .values({c: bindparam(f"new_{c}") for c in columns})
            )
            connection.execute(statement, many)
        if gone:
            connection.execute(delete(table).where(key.in_(gone)))


def _row_values(
    table: Table,
    row: str,
    fields: Mapping[str, tuple[str, str]],
    removed: Stamp | None,
    at: datetime,
) -> dict[str, Any] | None:
    """The values of a row from its kept fields; None when it is removed (or has no field)
    or when a field it cannot do without has not come yet (it then waits in team_field)."""
    if not fields or max(stamp for stamp, _value in fields.values()) <= (removed or ""):
        return None
    columns = {column.name: column for column in synced_columns(table)}
    key = key_column(table)
    values: dict[str, Any] = {key.name: row}
    for col, (_stamp, kept) in fields.items():
        if col in columns:
            values[col] = from_json(columns[col], json.loads(kept))
    if table.name == CaseInfo.__tablename__:
        values.setdefault("revision", 0)
        values.setdefault("created_at", at)
        values.setdefault("updated_at", at)
    for column in table.columns:
        if (
            column.name not in values
            and not column.nullable
            and column.default is None
            and column.server_default is None
            and column.autoincrement is not True
        ):
            return None
    return values


def _models() -> dict[str, type[CaseBase]]:
    return {
        mapper.class_.__tablename__: mapper.class_
        for mapper in CaseBase.registry.mappers
        if hasattr(mapper.class_, "__tablename__")
    }


def new_case_rows(
    changes: Sequence[Change], at: datetime
) -> dict[type[CaseBase], list[dict[str, Any]]] | None:
    """The rows of a case file made from the team's changes alone (a case new here), last
    writer wins per field, with the fields and removals kept beside them; None when the
    changes do not hold the case's own row yet."""
    newest: dict[tuple[str, str, str], Change] = {}
    removals: dict[tuple[str, str], Change] = {}
    for change in changes:
        if change.column is None:
            slot = (change.table, change.row)
            if slot not in removals or change.stamp > removals[slot].stamp:
                removals[slot] = change
        else:
            field_slot = (change.table, change.row, change.column)
            if field_slot not in newest or change.stamp > newest[field_slot].stamp:
                newest[field_slot] = change
    by_row: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    for (table, row, column), change in newest.items():
        by_row.setdefault((table, row), {})[column] = (
            change.stamp,
            json.dumps(change.value, ensure_ascii=False),
        )
    tables = synced_tables()
    models = _models()
    rows: dict[type[CaseBase], list[dict[str, Any]]] = {}
    for (table, row), fields in sorted(by_row.items()):
        removal = removals.get((table, row))
        values = _row_values(tables[table], row, fields, removal.stamp if removal else None, at)
        if values is not None:
            rows.setdefault(models[table], []).append(values)
    if not rows.get(CaseInfo):
        return None
    rows[TeamField] = [
        {
            "tbl": t,
            "row_id": r,
            "col": c,
            "stamp": ch.stamp,
            "value": json.dumps(ch.value, ensure_ascii=False),
            "author": ch.by,
        }
        for (t, r, c), ch in newest.items()
    ]
    rows[TeamTombstone] = [
        {"tbl": t, "row_id": r, "stamp": ch.stamp, "author": ch.by}
        for (t, r), ch in removals.items()
    ]
    return rows
