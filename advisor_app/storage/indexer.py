"""What the catalog keeps of a case file, read from it and written to the catalog.

Both directions use plain DB-API statements, converted by the column types' own SQLAlchemy
processors (the values read and stored are exactly those of the ORM), because they run for
every case at a rebuild, at the first open of a copied workspace, and after every save: the
ORM's per-row bookkeeping made an index rebuild twelve times slower than opening each file.
The careful reading of a case file (format check, migration, damage) stays in casefile.py;
`read_sound_case_file` is the quick way for a file that needs none of it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from advisor_app.domain.pathway import current_stage
from advisor_app.storage.case_models import (
    Appointment,
    CaseInfo,
    Consent,
    FundingRequest,
    Milestone,
    Note,
    Person,
    Project,
)
from advisor_app.storage.catalog_models import (
    AgendaEntry,
    CaseIndex,
    FundingIndex,
    MilestoneIndex,
    MonthMinutes,
)
from advisor_app.storage.sqlite_engine import DATABASE_ERRORS, WorkspaceKey
from advisor_app.storage.team_models import TeamSharing

_DIALECT = sqlite.dialect()
_OPEN_ERRORS: tuple[type[Exception], ...] = (*DATABASE_ERRORS, OSError)
Processor = Callable[[Any], Any]
Signature = tuple[int, int, int]


@dataclass
class IndexData:
    """A case as the catalog sees it: one `case_index` row plus agenda, milestones, text."""

    case: dict[str, object]
    agenda: list[dict[str, object]] = field(default_factory=list)
    milestones: list[dict[str, object]] = field(default_factory=list)
    funding: list[dict[str, object]] = field(default_factory=list)
    notes: str = ""
    description: str = ""

    @property
    def case_id(self) -> str:
        return str(self.case["case_id"])


# -- reading a case file ------------------------------------------------------------------


class _Query:
    """A SELECT of some columns of a case-file table, its values converted as the ORM does."""

    def __init__(self, model: Any, columns: str, tail: str = "") -> None:
        table: Table = model.__table__
        self.names = columns.split()
        columns_sql = ", ".join(f'"{name}"' for name in self.names)
        self.sql = f"SELECT {columns_sql} FROM {table.name} {tail}".strip()
        processors = [
            table.c[name].type.dialect_impl(_DIALECT).result_processor(_DIALECT, None)
            for name in self.names
        ]
        self.converted = [(i, p) for i, p in enumerate(processors) if p is not None]

    def rows(self, cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
        found = []
        for raw in cursor.execute(self.sql).fetchall():
            row = list(raw)
            for index, process in self.converted:
                row[index] = process(row[index])
            found.append(dict(zip(self.names, row, strict=True)))
        return found

    def one(self, cursor: sqlite3.Cursor) -> dict[str, Any]:
        rows = self.rows(cursor)
        if len(rows) != 1:
            raise ValueError(f"{len(rows)} rows in {self.sql.split(' FROM ')[1]}, one expected")
        return rows[0]


_INFO = _Query(
    CaseInfo,
    "id status outcome advisor opened_on closed_on previous_case_id binned_at revision",
)
_PERSON = _Query(
    Person,
    "first_name last_name birth_date gender situation email commune postcode "
    "priority_neighbourhood rural_area",
)
_PROJECT = _Query(Project, "title sector expected_jobs description")
_APPOINTMENTS = _Query(
    Appointment,
    "id start minutes mode status topic place programme counts_in_reports",
    "ORDER BY start",
)
_MILESTONES = _Query(Milestone, "id key label position target_on done_on", "ORDER BY position")
_NOTES = f"SELECT text FROM {Note.__tablename__}"
_CONSENT = (
    f"SELECT id FROM {Consent.__tablename__} "
    "WHERE scope = 'processing' AND withdrawn_on IS NULL LIMIT 1"
)
# Shared with the team: a row of team_sharing (one at most) that says so.
_SHARED = f"SELECT 1 FROM {TeamSharing.__tablename__} WHERE shared = 1 LIMIT 1"
_FUNDING = _Query(
    FundingRequest,
    "id funder kind amount_asked_cents committee_on decision amount_granted_cents",
)


def read_index_data(session: Session) -> IndexData:
    """The index data of the case file of `session`, within its transaction (what was
    added or changed in it must have been flushed)."""
    return read_index_rows(_driver_connection(session))


def read_index_rows(connection: sqlite3.Connection) -> IndexData:
    """The index data of a case file, from a DB-API connection to it (plain or SQLCipher)."""
    cursor = connection.cursor()
    try:
        info = _INFO.one(cursor)
        person = _PERSON.one(cursor)
        project = _PROJECT.one(cursor)
        appointments = _APPOINTMENTS.rows(cursor)
        milestones = _MILESTONES.rows(cursor)
        notes = [row[0] for row in cursor.execute(_NOTES)]
        consent = cursor.execute(_CONSENT).fetchone()
        funding_rows = _FUNDING.rows(cursor)
        shared = cursor.execute(_SHARED).fetchone() is not None
    finally:
        cursor.close()
    case_id = info["id"]
    stage = current_stage([(m["key"], m["done_on"]) for m in milestones])
    positions = {m["key"]: m["position"] for m in milestones}
    done = [a for a in appointments if a["status"] == "done"]
    undone = sorted(m["target_on"] for m in milestones if m["done_on"] is None and m["target_on"])
    planned = sorted(a["start"] for a in appointments if a["status"] == "planned")
    contacts = [a["start"].date() for a in done]
    case: dict[str, object] = {
        "case_id": case_id,
        "first_name": person["first_name"],
        "last_name": person["last_name"],
        "birth_date": person["birth_date"],
        "gender": person["gender"],
        "situation": person["situation"],
        "email": person["email"].lower(),
        "commune": person["commune"],
        "postcode": person["postcode"],
        "priority_neighbourhood": person["priority_neighbourhood"],
        "rural_area": person["rural_area"],
        "project_title": project["title"],
        "sector": project["sector"],
        "status": info["status"],
        "outcome": info["outcome"],
        "advisor": info["advisor"],
        "opened_on": info["opened_on"],
        "closed_on": info["closed_on"],
        "stage": stage,
        "stage_position": positions.get(stage, -1) if stage else -1,
        "milestones_done": sum(1 for m in milestones if m["done_on"] is not None),
        "milestones_total": len(milestones),
        "last_contact": max(contacts) if contacts else None,
        "undone_targets": " ".join(d.isoformat() for d in undone),
        "first_undone_target": undone[0] if undone else None,
        "planned_starts": " ".join(s.isoformat(timespec="minutes") for s in planned),
        "done_minutes": sum(a["minutes"] for a in done if a["counts_in_reports"]),
        "expected_jobs": project["expected_jobs"],
        "processing_consent": consent is not None,
        "previous_case_id": info["previous_case_id"],
        "binned_at": info["binned_at"],
        "revision": info["revision"],
        "damaged": None,
        "shared": shared,
    }
    agenda: list[dict[str, object]] = [
        {
            "appointment_id": a["id"],
            "case_id": case_id,
            "start": a["start"],
            "minutes": a["minutes"],
            "mode": a["mode"],
            "status": a["status"],
            "topic": a["topic"],
            "place": a["place"],
            "programme": a["programme"],
            "counts_in_reports": a["counts_in_reports"],
        }
        for a in appointments
    ]
    milestone_rows: list[dict[str, object]] = [
        {
            "milestone_id": m["id"],
            "case_id": case_id,
            "key": m["key"],
            "label": m["label"],
            "position": m["position"],
            "target_on": m["target_on"],
            "done_on": m["done_on"],
        }
        for m in milestones
    ]
    funding: list[dict[str, object]] = [
        {
            "funding_id": f["id"],
            "case_id": case_id,
            "funder": f["funder"],
            "kind": f["kind"],
            "amount_asked_cents": f["amount_asked_cents"],
            "committee_on": f["committee_on"],
            "decision": f["decision"],
            "amount_granted_cents": f["amount_granted_cents"],
        }
        for f in funding_rows
    ]
    return IndexData(
        case=case,
        agenda=agenda,
        milestones=milestone_rows,
        funding=funding,
        notes="\n".join(notes),
        description=project["description"],
    )


def read_sound_case_file(
    path: Path, key: WorkspaceKey, application_id: int, schema_version: int
) -> IndexData | None:
    """The index data of a case file of the current format that opens and reads without
    surprise, with one connection; None for anything else (not SQLite, not ours, another
    format, damaged, busy past the timeout, not encrypted like the workspace...), which the
    caller then reads the careful way, to migrate it or say what is wrong with it.

    A key problem (a locked workspace, one re-keyed elsewhere) is raised, as by the careful
    way: it says nothing about the file."""
    try:
        connection = key.connect(path)
    except _OPEN_ERRORS:
        return None
    try:
        found = connection.execute(
            "SELECT * FROM pragma_application_id(), pragma_user_version()"
        ).fetchone()
        if tuple(found) != (application_id, schema_version):
            return None
        connection.execute("BEGIN")  # one snapshot, should another process write meanwhile
        data = read_index_rows(connection)
        connection.execute("COMMIT")
        return data
    except Exception:  # the careful way tells what it was
        return None
    finally:
        connection.close()


# -- writing to the catalog ---------------------------------------------------------------


class _Insert:
    """INSERT of whole rows into a catalog table; a column a row lacks takes its default,
    values stored as the ORM stores them."""

    def __init__(self, model: Any) -> None:
        table: Table = model.__table__
        self.columns = list(table.columns)
        names = ", ".join(f'"{c.name}"' for c in self.columns)
        marks = ", ".join("?" for _ in self.columns)
        self.sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
        self.pick = itemgetter(*(c.name for c in self.columns))
        self.defaults: list[tuple[str, object]] = []
        self.converted: list[tuple[int, Processor]] = []
        for number, column in enumerate(self.columns):
            default = column.default
            value = getattr(default, "arg", None) if default is not None else None
            if callable(value):
                raise TypeError(f"{table.name}.{column.name}: a computed default")
            self.defaults.append((column.name, value))
            processor = column.type.dialect_impl(_DIALECT).bind_processor(_DIALECT)
            if processor is not None:
                self.converted.append((number, processor))

    def values(self, row: dict[str, object]) -> list[object]:
        try:
            values = list(self.pick(row))
        except KeyError:  # a column the row lacks: its default
            values = [row.get(name, default) for name, default in self.defaults]
        for number, process in self.converted:
            if values[number] is not None:
                values[number] = process(values[number])
        return values

    def run(self, cursor: sqlite3.Cursor, rows: Iterable[dict[str, object]]) -> None:
        cursor.executemany(self.sql, [self.values(row) for row in rows])


_CASE_ROW = _Insert(CaseIndex)
_AGENDA_ROWS = _Insert(AgendaEntry)
_MILESTONE_ROWS = _Insert(MilestoneIndex)
_FUNDING_ROWS = _Insert(FundingIndex)
_MONTH_ROWS = _Insert(MonthMinutes)
_SEARCH_ROW = (
    "INSERT INTO search_index(case_id, names, project, description, commune, notes) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def write_index_data(
    session: Session,
    data: IndexData,
    signature: Signature | None,
    *,
    replace: bool = True,
) -> None:
    """Replace everything the catalog holds about this case (within the caller's transaction);
    `replace=False` when it holds nothing of it yet (a rebuild), sparing the deletes."""
    write_index_batch(session, [(data, signature)], replace=replace)


def write_index_batch(
    session: Session,
    items: Sequence[tuple[IndexData, Signature | None]],
    *,
    replace: bool = True,
) -> None:
    """`write_index_data` for many cases at once, within the caller's transaction."""
    if not items:
        return
    cursor = _driver_connection(session).cursor()
    try:
        if replace:
            for data, _signature in items:
                _remove(cursor, data.case_id)
        case_rows: list[dict[str, object]] = []
        for data, signature in items:
            case = data.case
            cursor.execute(
                _SEARCH_ROW,
                (
                    data.case_id,
                    f"{case['first_name']} {case['last_name']}",
                    str(case["project_title"]),
                    data.description,
                    f"{case['commune']} {case['postcode']}",
                    data.notes,
                ),
            )
            row = dict(case)
            # RETURNING gives -1 on an FTS5 table: the rowid SQLite just assigned
            row["search_rowid"] = cursor.lastrowid
            if signature is not None:
                row["file_mtime_ns"], row["file_size"], row["wal_size"] = signature
            case_rows.append(row)
        _CASE_ROW.run(cursor, case_rows)
        _AGENDA_ROWS.run(cursor, (row for data, _s in items for row in data.agenda))
        _MILESTONE_ROWS.run(cursor, (row for data, _s in items for row in data.milestones))
        _FUNDING_ROWS.run(cursor, (row for data, _s in items for row in data.funding))
        _MONTH_ROWS.run(cursor, (row for data, _s in items for row in month_minutes(data)))
    finally:
        cursor.close()


def month_minutes(data: IndexData) -> list[dict[str, object]]:
    """The `month_minutes` rows of a case: minutes of its appointments done and counted in
    reports, by month of their start; none for a case in the bin (the dashboard leaves it out)."""
    if data.case["binned_at"] is not None:
        return []
    by_month: dict[str, int] = {}
    for appointment in data.agenda:
        if appointment["status"] == "done" and appointment["counts_in_reports"]:
            start = cast(datetime, appointment["start"])
            month = f"{start.year:04d}-{start.month:02d}"
            by_month[month] = by_month.get(month, 0) + cast(int, appointment["minutes"])
    return [
        {"case_id": data.case_id, "month": month, "minutes": minutes}
        for month, minutes in by_month.items()
    ]


def remove_from_index(session: Session, case_id: str) -> None:
    cursor = _driver_connection(session).cursor()
    try:
        _remove(cursor, case_id)
    finally:
        cursor.close()


def _remove(cursor: sqlite3.Cursor, case_id: str) -> None:
    for table in ("month_minutes", "agenda_entry", "milestone_index", "funding_index"):
        cursor.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
    # By the FTS rowid kept in case_index: case_id is not indexed inside the FTS table.
    cursor.execute(
        "DELETE FROM search_index WHERE rowid = "
        "(SELECT search_rowid FROM case_index WHERE case_id = ?)",
        (case_id,),
    )
    cursor.execute("DELETE FROM case_index WHERE case_id = ?", (case_id,))


def mark_damaged(session: Session, case_id: str, reason: str, signature: Signature | None) -> None:
    """Keep a damaged file visible in the list, with what is known of it and why."""
    row = session.get(CaseIndex, case_id)
    if row is None:
        row = CaseIndex(case_id=case_id, last_name="", first_name="")
        session.add(row)
    session.execute(delete(MonthMinutes).where(MonthMinutes.case_id == case_id))
    session.execute(delete(AgendaEntry).where(AgendaEntry.case_id == case_id))
    session.execute(delete(MilestoneIndex).where(MilestoneIndex.case_id == case_id))
    session.execute(delete(FundingIndex).where(FundingIndex.case_id == case_id))
    row.damaged = reason
    if signature is not None:
        row.file_mtime_ns, row.file_size, row.wal_size = signature


def _driver_connection(session: Session) -> sqlite3.Connection:
    """The DB-API connection under `session`, in its transaction (begun if need be)."""
    return cast(sqlite3.Connection, session.connection().connection.driver_connection)
