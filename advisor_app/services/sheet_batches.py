"""The record of each spreadsheet import (a batch) in the catalog's state, and its undoing.

A batch (`import_batch`) lists what it did (`import_item`): the cases it created (with the
revision it left them at), the appointments, notes and funding requests it added to known
cases (their ids), and the fields it filled (the value before, as JSON, and a keyed digest
of the value written, HMAC-SHA256 with the workspace's own secret, never the value itself). `undoing` removes the cases left as the import made
them (one the advisor changed since goes to the bin), removes the rows it added and empties
the fields that still hold what it wrote, each case it changes copied into
`backups/imports` first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, literal_column, select, update
from sqlalchemy.orm import Session

from advisor_app.domain.errors import AdvisorError, NotFoundError
from advisor_app.domain.messages import N_
from advisor_app.services.cases import CaseService
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.settings import SettingsService
from advisor_app.storage.case_models import (
    Appointment,
    FundingRequest,
    Milestone,
    Note,
    Person,
    Project,
    new_id,
)
from advisor_app.storage.catalog_models import CaseIndex
from advisor_app.storage.import_models import ImportBatchRow, ImportItemRow, digest_key
from advisor_app.storage.indexer import remove_from_index
from advisor_app.storage.owner_only import owner_only_folder, unused_path
from advisor_app.storage.sqlite_engine import online_backup
from advisor_app.storage.workspace import Progress, Workspace
from advisor_app.storage.workspace_lock import UNDO_IMPORT

CHUNK = 200  # cases written, indexed, recorded or removed together
IMPORTED = "sheet_imported"  # the history's and the audit's word
UNDONE = "sheet_import_undone"
# The states of a batch
RUNNING, DONE, CANCELLED, UNDONE_STATE, EMPTY = "running", "done", "cancelled", "undone", "empty"


@dataclass(frozen=True)
class ImportBatch:
    """One import as the workspace keeps it; `changes` is what the call itself changed."""

    id: str
    created_at: datetime
    source: str
    state: str  # running, done, cancelled, undone; "empty": nothing to write, nothing kept
    backup: str
    cases_created: int
    cases_updated: int
    undone_at: datetime | None = None
    changes: Changes = field(default_factory=Changes)
    problems: tuple[str, ...] = ()  # cases that could not be updated, in sentences

    @property
    def can_be_undone(self) -> bool:
        return self.state in (DONE, CANCELLED, RUNNING)


class ImportBatches:
    """The imports of a workspace, as its state keeps them."""

    def __init__(
        self, context: ServiceContext, settings: SettingsService, cases: CaseService
    ) -> None:
        self.context = context
        self.settings = settings
        self.cases = cases
        self._key: bytes | None = None

    @property
    def workspace(self) -> Workspace:
        return self.context.workspace

    def digest_key(self) -> bytes:
        """The secret the digests of the filled fields are keyed with (made on first use)."""
        if self._key is None:
            self._key = digest_key(self.workspace.root)
        assert self._key is not None
        return self._key

    def begin(self, source: str, backup: str) -> str:
        """A new batch, running; its id."""
        batch_id = new_id()
        advisor = self.settings.advisor_name
        with self.workspace.catalog.write() as catalog:
            catalog.add(
                ImportBatchRow(
                    id=batch_id,
                    created_at=self.context.now(),
                    source=source[:300],
                    advisor=advisor,
                    state=RUNNING,
                    backup=backup,
                    cases_created=0,
                    cases_updated=0,
                )
            )
            self.workspace.audit(catalog, IMPORTED, None, advisor)
        return batch_id

    def record(
        self, batch_id: str, items: Sequence[ImportItemRow], *, created: int = 0, updated: int = 0
    ) -> None:
        """What a chunk of the batch did (or is about to do: the cases it creates)."""
        with self.workspace.catalog.write() as catalog:
            catalog.add_all(items)
            catalog.execute(
                update(ImportBatchRow)
                .where(ImportBatchRow.id == batch_id)
                .values(
                    cases_created=ImportBatchRow.cases_created + created,
                    cases_updated=ImportBatchRow.cases_updated + updated,
                )
            )

    def batches(self) -> list[ImportBatch]:
        """Every import of the workspace, the newest first."""
        with self.workspace.catalog.read() as catalog:
            rows = catalog.scalars(
                select(ImportBatchRow).order_by(
                    ImportBatchRow.created_at.desc(), literal_column("rowid").desc()
                )
            ).all()
            return [_batch_view(row) for row in rows]

    def undo(self, batch_id: str) -> Changes:
        """Remove what the import created and empty what it filled; refused with a sentence
        when the import is unknown or already undone."""
        result = Changes()
        for step in self.undoing(batch_id):
            if isinstance(step, Changes):
                result = step
        return result

    def undoing(self, batch_id: str) -> Iterator[Progress | Changes]:
        """`undo`, yielding progress. A case the import created and the advisor changed
        since goes to the bin rather than away; a field changed since is left as it is.
        Stopped half-way, it can be run again: what is already undone is passed over."""
        workspace, advisor = self.workspace, self.settings.advisor_name
        with workspace.exclusive(UNDO_IMPORT):
            batch = self.batch(batch_id)
            if batch.state == UNDONE_STATE:
                raise AdvisorError(
                    N_("The import {batch} was already undone."),
                    N_("Nothing was changed."),
                    batch=batch_id,
                )
            with workspace.catalog.read() as catalog:
                items = catalog.scalars(
                    select(ImportItemRow)
                    .where(ImportItemRow.batch_id == batch_id)
                    .order_by(ImportItemRow.id)
                ).all()
                created = {i.case_id: i.digest for i in items if i.kind == "case"}
                revisions = _revisions(catalog, list(created))
            # no secret (a state put back from elsewhere): every field counts as changed
            key = digest_key(workspace.root, create=False) or b""
            others: dict[str, list[ImportItemRow]] = {}
            for one in items:
                if one.kind != "case" and one.case_id not in created:
                    others.setdefault(one.case_id, []).append(one)
            total = len(created) + len(others)
            yield Progress(0, total)
            on_disk = workspace.case_ids_on_disk()
            gone = [
                case_id
                for case_id, digest in created.items()
                if case_id in on_disk and revisions.get(case_id) == int(digest or 0)
            ]
            changed_since = [c for c in created if c in on_disk and c not in gone]
            done = 0
            for chunk in chunks(gone, CHUNK):
                self._remove_cases(chunk)
                done += len(chunk)
                yield Progress(done, total)
            for case_id in changed_since:
                self.cases.move_to_bin(case_id)
            for case_id, its in others.items():
                if case_id in on_disk:
                    self._take_back(case_id, its, key)
                done += 1
                if done % CHUNK == 0:
                    yield Progress(done, total)
            with workspace.catalog.write() as catalog:
                catalog.execute(
                    update(ImportBatchRow)
                    .where(ImportBatchRow.id == batch_id)
                    .values(state=UNDONE_STATE, undone_at=self.context.now())
                )
                workspace.audit(catalog, UNDONE, None, advisor)
        yield Progress(total, total)
        yield Changes(cases=frozenset([*created, *others]), case_list=True, agenda=True)

    def _remove_cases(self, case_ids: Sequence[str]) -> None:
        workspace = self.workspace
        for case_id in case_ids:
            path = workspace.case_path(case_id)
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        with workspace.catalog.write() as catalog:
            for case_id in case_ids:
                remove_from_index(catalog, case_id)
                workspace.audit(catalog, "deleted", case_id, self.settings.advisor_name)
        for case_id in case_ids:
            for hook in self.cases.delete_hooks:
                hook(case_id)

    def _take_back(self, case_id: str, items: Sequence[ImportItemRow], key: bytes) -> None:
        """Remove the rows the import added to a case, and empty the fields it filled that
        still hold what it wrote; the case file is copied into `backups/imports` first (the
        cases the undo deletes are those left as the import made them: nothing is lost)."""
        workspace = self.workspace
        folder = workspace.backups_dir / "imports"
        owner_only_folder(folder)
        path = workspace.case_path(case_id)
        stamp = f"{self.context.now():%Y%m%d-%H%M%S}"
        online_backup(
            path, unused_path(folder, f"{case_id}.{stamp}", path.suffix), key=workspace.key
        )
        with workspace.changing(case_id, UNDONE, "", self.settings.advisor_name) as s:
            for one in items:
                if one.kind == "appointment":
                    s.execute(delete(Appointment).where(Appointment.id == one.target))
                elif one.kind == "note":
                    s.execute(delete(Note).where(Note.id == one.target))
                elif one.kind == "funding":
                    s.execute(delete(FundingRequest).where(FundingRequest.id == one.target))
                elif one.kind == "field":
                    _restore_field(s, one, key)

    def forget_case(self, case_id: str) -> None:
        """An erased case leaves no trace in the imports' records."""
        with self.workspace.catalog.write() as catalog:
            catalog.execute(delete(ImportItemRow).where(ImportItemRow.case_id == case_id))

    def batch(self, batch_id: str) -> ImportBatch:
        with self.workspace.catalog.read() as catalog:
            row = catalog.get(ImportBatchRow, batch_id)
            if row is None:
                raise NotFoundError(
                    N_("There is no import {batch} in this workspace."),
                    N_("The command import-sheet --list lists the imports and their numbers."),
                    batch=batch_id,
                )
            return _batch_view(row)

    def set_state(self, batch_id: str, state: str) -> None:
        with self.workspace.catalog.write() as catalog:
            catalog.execute(
                update(ImportBatchRow).where(ImportBatchRow.id == batch_id).values(state=state)
            )


def _restore_field(session: Session, item: ImportItemRow, key: bytes) -> None:
    """Put back the value a field held before the import, if it still holds the import's."""
    table_name, _dot, name = item.target.partition(".")
    previous = json.loads(item.previous)
    if table_name == "milestone":
        for milestone in session.scalars(select(Milestone).where(Milestone.key == name)):
            if _same(key, milestone.done_on, item.digest):
                milestone.done_on = _from_json(previous, date)
        return
    table = Person if table_name == "person" else Project
    row = session.scalars(select(table)).one()
    if _same(key, getattr(row, name), item.digest):
        column = table.__table__.columns[name]
        python_type = column.type.python_type
        setattr(row, name, _from_json(previous, python_type))


def _from_json(value: Any, python_type: type) -> Any:
    if value is None or python_type is not date or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _digest(key: bytes, value: Any) -> str:
    """The value's HMAC-SHA256 under the workspace's secret: without the secret, trying
    every birth date or phone number against it finds nothing."""
    text = json.dumps(_jsonable(value)).encode("utf-8")
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def _same(key: bytes, value: Any, digest: str) -> bool:
    return bool(key) and hmac.compare_digest(_digest(key, value), digest)


def _revisions(catalog: Session, case_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(case_ids, 500):
        for case_id, revision in catalog.execute(
            select(CaseIndex.case_id, CaseIndex.revision).where(CaseIndex.case_id.in_(chunk))
        ):
            found[case_id] = revision
    return found


def _batch_view(row: ImportBatchRow) -> ImportBatch:
    return ImportBatch(
        id=row.id,
        created_at=row.created_at,
        source=row.source,
        state=row.state,
        backup=row.backup,
        cases_created=row.cases_created,
        cases_updated=row.cases_updated,
        undone_at=row.undone_at,
    )


def with_changes(
    batch: ImportBatch, touched: set[str], agenda: bool, problems: list[str]
) -> ImportBatch:
    """The batch as its import returns it: with what the import changed, and the cases it
    could not update."""
    changes = (
        Changes(cases=frozenset(touched), case_list=True, agenda=agenda) if touched else Changes()
    )
    return replace(batch, changes=changes, problems=tuple(problems))


def created_item(batch_id: str, case_id: str) -> ImportItemRow:
    """A case the batch creates: a new file is at revision 1 once written."""
    return ImportItemRow(batch_id=batch_id, case_id=case_id, kind="case", digest="1")


def added_item(batch_id: str, case_id: str, kind: str, row_id: str) -> ImportItemRow:
    """A row the batch adds to a known case: an appointment, a note, a funding request."""
    return ImportItemRow(batch_id=batch_id, case_id=case_id, kind=kind, target=row_id)


def filled_item(
    batch_id: str, case_id: str, target: str, previous: Any, value: Any, key: bytes
) -> ImportItemRow:
    """A field the batch filled ("person.phone", "milestone.welcome"): what it held before,
    and the keyed digest of what was written."""
    return ImportItemRow(
        batch_id=batch_id,
        case_id=case_id,
        kind="field",
        target=target,
        previous=json.dumps(_jsonable(previous)),
        digest=_digest(key, value),
    )


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
