"""One sync of a team workspace: take in the members' new batches, then send one's own.

Taking in: each member's `member` file (their name, whom they removed), then one listing of
their `changes` folder; every batch newer than the last applied is read, opened and
validated whole before any of it is applied (a refused batch stops that member's later
ones, which wait behind it). The changes are applied case by case, last writer wins per
field (storage/team_changes.py), and a member's position moves past a batch only once all
of it is in. Sending: the waiting changes are sealed as the next batch and kept in the
workspace first (`team-outgoing/`), so that a failed upload loses nothing; every batch kept
there is uploaded (temporary name, size checked, renamed) and then removed.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from advisor_app.domain.hlc import HybridClock, Stamp
from advisor_app.exchange import team_seal
from advisor_app.exchange.errors import TeamFileMissing, TeamFileRefused, TeamKeyMissing
from advisor_app.exchange.team_folder import TeamStore
from advisor_app.services.changes import Changes
from advisor_app.services.team_snapshots import (
    SNAPSHOT_AFTER,
    TeamSnapshots,
    refusal_reason,
    remember_positions,
    start_from_snapshots,
)
from advisor_app.storage.bulk_cases import settle, write_new_case_file
from advisor_app.storage.case_models import CaseInfo
from advisor_app.storage.indexer import IndexData
from advisor_app.storage.owner_only import owner_only_folder
from advisor_app.storage.team_apply import apply_changes, new_case_rows
from advisor_app.storage.team_changes import (
    Change,
    drop_outgoing,
    is_shared,
    outgoing,
)
from advisor_app.storage.team_models import TeamField, TeamSharing
from advisor_app.storage.team_state_models import (
    TeamDirtyRow,
    TeamEventRow,
    TeamGoneRow,
    TeamMemberRow,
    TeamPendingRow,
    TeamRow,
)

if TYPE_CHECKING:
    from advisor_app.storage.workspace import Workspace

log = logging.getLogger(__name__)

# Changes per batch: every member reads a batch whole in memory.
BATCH_CHANGES = 20_000
OUTGOING_FOLDER = "team-outgoing"
# New cases written before the catalog names them together.
CREATED_TOGETHER = 500

SyncProgress = Callable[[int, int], None]


@dataclass
class SyncReport:
    """What a sync did: batches and changes taken in, cases touched or removed, what left,
    what was refused (and why), and what is still waiting to leave."""

    batches_in: int = 0
    changes_in: int = 0
    cases_in: set[str] = field(default_factory=set)
    cases_removed: set[str] = field(default_factory=set)
    batches_out: int = 0
    changes_out: int = 0
    refused: list[str] = field(default_factory=list)
    waiting: int = 0
    key_missing: bool = False
    from_snapshots: bool = False
    snapshots_out: int = 0
    batches_compacted: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "batches_in": self.batches_in,
            "changes_in": self.changes_in,
            "cases_in": len(self.cases_in),
            "cases_removed": len(self.cases_removed),
            "batches_out": self.batches_out,
            "changes_out": self.changes_out,
            "refused": self.refused,
            "waiting": self.waiting,
            "key_missing": self.key_missing,
            "from_snapshots": self.from_snapshots,
            "snapshots_out": self.snapshots_out,
            "batches_compacted": self.batches_compacted,
        }

    @property
    def changes(self) -> Changes:
        touched = frozenset(self.cases_in | self.cases_removed)
        return Changes(cases=touched, case_list=bool(touched), agenda=bool(touched), settings=True)


@dataclass(frozen=True)
class _Batch:
    member: str
    seq: int
    changes: list[Change]
    erasures: list[tuple[str, Stamp]]


class TeamSync:
    """One sync, for a workspace in `team`, through `store`."""

    def __init__(
        self,
        workspace: Workspace,
        team: TeamRow,
        keys: dict[int, bytes],
        clock: HybridClock,
        store: TeamStore,
        erase: Callable[[str], object],
        now: Callable[[], Any],
    ) -> None:
        self.workspace = workspace
        self.team = team
        self.keys = keys
        self.clock = clock
        self.store = store
        self.erase = erase
        self.now = now
        self.report = SyncReport()

    def run(
        self,
        progress: SyncProgress | None = None,
        *,
        joining: bool = False,
        snapshots: bool | None = None,
    ) -> SyncReport:
        """The sync; a failure of the server is raised once what was done is recorded (the
        last sync stays the last one that completed). A member `joining` starts from the
        snapshots that cover the most; `snapshots` True publishes this member's (False never,
        None when SNAPSHOT_AFTER batches came or left since the last ones)."""
        completed = False
        try:
            active = self._read_members()
            if joining:
                active = self._start_from_snapshots(active, progress)
            batches = self._new_batches(active)
            if batches:
                self._apply(batches, progress)
            self._send()
            self._snapshots().remove_gone()
            self._publish_snapshots(active, snapshots)
            completed = True
        finally:
            self._finish(completed)
        return self.report

    def _snapshots(self) -> TeamSnapshots:
        return TeamSnapshots(self.workspace, self.team, self.keys, self.store)

    def _start_from_snapshots(
        self, active: dict[str, int], progress: SyncProgress | None
    ) -> dict[str, int]:
        def create(cases: dict[str, list[Change]]) -> None:
            for changes in cases.values():
                if changes:
                    self.clock.observe(max(change.stamp for change in changes))
            self._create_cases(cases, progress, len(cases))

        positions = start_from_snapshots(
            self._snapshots(), sorted(active), create, self.report.refused
        )
        if not positions:
            return active
        remember_positions(self.workspace, positions)
        self.report.from_snapshots = True
        return {member: max(seq, positions.get(member, 0)) for member, seq in active.items()}

    def _publish_snapshots(self, active: dict[str, int], asked: bool | None) -> None:
        moved = self.report.batches_in + self.report.batches_out
        with self.workspace.catalog.read() as catalog:
            row = catalog.get(TeamRow, self.team.id)
            assert row is not None
            due = row.since_snapshots + moved >= SNAPSHOT_AFTER
            next_batch = row.next_batch
        if not (asked or (asked is None and due)):
            if moved:
                with self.workspace.catalog.write() as catalog:
                    row = catalog.get(TeamRow, self.team.id)
                    assert row is not None
                    row.since_snapshots += moved
            return
        with self.workspace.catalog.read() as catalog:
            applied = {
                row.member_id: row.applied
                for row in catalog.scalars(select(TeamMemberRow))
                if row.member_id in active
            }
        covers = {**applied, self.team.member_id: next_batch - 1}
        snapshots = self._snapshots()
        self.report.snapshots_out = snapshots.publish(covers)
        self.report.batches_compacted = snapshots.compact(sorted({*active, self.team.member_id}))
        with self.workspace.catalog.write() as catalog:
            row = catalog.get(TeamRow, self.team.id)
            assert row is not None
            row.since_snapshots = 0

    # -- members -------------------------------------------------------------------------

    def _read_members(self) -> dict[str, int]:
        """Read every member's file; the members whose batches are taken in, with the last
        of their batches applied here."""
        folders = [
            name
            for name in self.store.member_folders()
            if team_seal.is_member_id(name) and name != self.team.member_id
        ]
        removed: set[str] = set()
        names: dict[str, str] = {}
        for member in folders:
            path = team_seal.member_path(member)
            try:
                document = team_seal.open_sealed(
                    self.keys, path, self.store.read(path), team=self.team.id
                )
            except TeamKeyMissing:
                self.report.key_missing = True
                continue
            except TeamFileMissing:
                continue  # a member still being written
            except TeamFileRefused as error:
                self._refused(path, error)
                continue
            names[member] = str(document["name"])
            removed.update(str(gone) for gone in document["removed"])
        with self.workspace.catalog.write() as catalog:
            rows = {row.member_id: row for row in catalog.scalars(select(TeamMemberRow))}
            for member, name in names.items():
                row = rows.get(member)
                if row is None:
                    row = rows[member] = TeamMemberRow(
                        member_id=member, name=name, removed=False, applied=0
                    )
                    catalog.add(row)
                row.name = name
            for member in removed:
                if member in rows:
                    rows[member].removed = True
            return {member: rows[member].applied for member in names if not rows[member].removed}

    # -- taking in -------------------------------------------------------------------------

    def _new_batches(self, active: dict[str, int]) -> list[_Batch]:
        batches: list[_Batch] = []
        for member, applied in sorted(active.items()):
            listing = self.store.listing(member, team_seal.CHANGES)
            numbers = _in_order(
                sorted(
                    seq
                    for seq in map(team_seal.batch_seq, listing)
                    if seq is not None and seq > applied
                ),
                applied,
            )
            for seq in numbers:
                batch = self._read_batch(member, seq)
                if batch is None:
                    break  # its later batches wait behind the one refused
                batches.append(batch)
        return batches

    def _read_batch(self, member: str, seq: int) -> _Batch | None:
        path = team_seal.batch_path(member, seq)
        try:
            document = team_seal.open_sealed(
                self.keys, path, self.store.read(path), team=self.team.id
            )
            changes: list[Change] = []
            erasures: list[tuple[str, Stamp]] = []
            for item in document["changes"]:
                if item.get("erase"):
                    erasures.append((str(item["case"]), str(item["stamp"])))
                else:
                    changes.append(Change.from_wire(item))
        except TeamKeyMissing:
            self.report.key_missing = True
            return None
        except (TeamFileRefused, KeyError, TypeError, ValueError) as error:
            self._refused(path, error)
            return None
        return _Batch(member, seq, changes, erasures)

    def _refused(self, path: str, error: Exception) -> None:
        self.report.refused.append(f"{path}: {refusal_reason(error)}")
        log.warning("team file refused: %s (%s)", path, type(error).__name__)

    def _apply(self, batches: list[_Batch], progress: SyncProgress | None) -> None:
        by_case: dict[str, list[Change]] = {}
        for batch in batches:
            for change in batch.changes:
                by_case.setdefault(change.case, []).append(change)
        gone = self._gone()
        new_cases: dict[str, list[Change]] = {}
        for done, (case_id, changes) in enumerate(sorted(by_case.items()), start=1):
            self.clock.observe(max(change.stamp for change in changes))
            if case_id in gone and not _shared_again(changes, gone[case_id]):
                continue
            if not self.workspace.case_path(case_id).exists():
                new_cases[case_id] = changes
                continue
            if self._apply_to_case(case_id, changes):
                self.report.cases_in.add(case_id)
            if progress is not None:
                progress(done, len(by_case))
        self._create_cases(new_cases, progress, len(by_case))
        moved: dict[str, int] = {}
        for batch in batches:
            for case_id, stamp in batch.erasures:
                self.clock.observe(stamp)
                self._erase_received(case_id, stamp, erased=True)
            moved[batch.member] = batch.seq
            self.report.batches_in += 1
            self.report.changes_in += len(batch.changes) + len(batch.erasures)
        with self.workspace.catalog.write() as catalog:
            for member, seq in moved.items():
                row = catalog.get(TeamMemberRow, member)
                if row is not None and seq > row.applied:
                    row.applied = seq

    def _apply_to_case(self, case_id: str, changes: list[Change]) -> bool:
        """Apply in one write what is new to the case: nothing, and no history line, for a
        batch taken in again. A case its référent stopped sharing is then removed here, like
        an erasure, unless this advisor is its référent."""
        try:
            with self.workspace.changing(
                case_id, "team_changes", _detail(changes), _authors(changes), recorded=False
            ) as session:
                if not (is_shared(session) or _shared_again(changes, "")):
                    raise _NothingNew  # a case of this workspace the team does not share
                applied = apply_changes(session, changes, self.now())
                if not (applied.newer or applied.older):
                    raise _NothingNew
                unshared = _unshared_from(session, case_id, self.team.member_name)
        except _NothingNew:
            return False
        if unshared is not None:
            self._erase_received(case_id, unshared or self.clock.tick(), erased=False)
        return True

    def _create_cases(
        self,
        new_cases: dict[str, list[Change]],
        progress: SyncProgress | None,
        total: int,
    ) -> None:
        """Write the cases new here in bulk (a member joining a team of thousands of shared
        cases), indexed by hundreds. The changes of a case whose own row has not come yet
        (a member's batch read before the sharer's) are kept aside until it comes."""
        pending: list[IndexData] = []
        at = self.now()
        done = total - len(new_cases)
        kept = self._pending(list(new_cases))
        waiting: dict[str, list[Change]] = {}
        made: list[str] = []
        for case_id, changes in sorted(new_cases.items()):
            done += 1
            rows = new_case_rows(kept.get(case_id, []) + changes, at)
            if rows is None:
                waiting[case_id] = changes
                continue
            made.append(case_id)
            if not _kept_here(rows, self.team.member_name):
                continue  # shared, then no longer, before it came: nothing to keep
            with self.workspace.sharing():
                pending.append(
                    write_new_case_file(
                        self.workspace.cases_dir,
                        self.workspace.key,
                        case_id,
                        rows,
                        action="team_received",
                        advisor=_authors(changes),
                        at=at,
                    )
                )
            self.report.cases_in.add(case_id)
            if progress is not None:
                progress(done, total)
            if len(pending) >= CREATED_TOGETHER:
                self._index_created(pending)
                pending = []
        if pending:
            self._index_created(pending)
        with self.workspace.catalog.write() as catalog:
            if made:
                catalog.execute(delete(TeamPendingRow).where(TeamPendingRow.case_id.in_(made)))
            for case_id, changes in waiting.items():
                catalog.add_all(
                    TeamPendingRow(case_id=case_id, change=json.dumps(c.to_wire())) for c in changes
                )

    def _pending(self, case_ids: list[str]) -> dict[str, list[Change]]:
        kept: dict[str, list[Change]] = {}
        with self.workspace.catalog.read() as catalog:
            for start in range(0, len(case_ids), 500):
                for row in catalog.scalars(
                    select(TeamPendingRow).where(
                        TeamPendingRow.case_id.in_(case_ids[start : start + 500])
                    )
                ):
                    change = Change.from_wire(json.loads(row.change))
                    kept.setdefault(row.case_id, []).append(change)
        return kept

    def _index_created(self, pending: list[IndexData]) -> None:
        with self.workspace.sharing():
            settle([self.workspace.case_path(item.case_id) for item in pending])
            self.workspace.index_many(pending, "team_received", self.team.member_name)

    def _erase_received(self, case_id: str, stamp: Stamp, *, erased: bool) -> None:
        if self.workspace.case_path(case_id).exists():
            self.erase(case_id)
            self.report.cases_removed.add(case_id)
        with self.workspace.catalog.write() as catalog:
            catalog.merge(TeamGoneRow(case_id=case_id, stamp=stamp, erased=erased))
            catalog.execute(delete(TeamPendingRow).where(TeamPendingRow.case_id == case_id))

    def _gone(self) -> dict[str, Stamp]:
        with self.workspace.catalog.read() as catalog:
            return {row.case_id: row.stamp for row in catalog.scalars(select(TeamGoneRow))}

    # -- sending ---------------------------------------------------------------------------

    def _send(self) -> None:
        self._republish_member_if_needed()
        while self._seal_next_batch():
            pass  # more waits than one batch holds
        for path in outgoing_files(self.workspace):
            seq = int(path.name)
            self.store.write(team_seal.batch_path(self.team.member_id, seq), path.read_bytes())
            path.unlink()
            self.report.batches_out += 1

    def _republish_member_if_needed(self) -> None:
        """A member removed here: say so in this member's file, which every member reads."""
        with self.workspace.catalog.read() as catalog:
            pending = list(
                catalog.scalars(
                    select(TeamEventRow.seq).where(TeamEventRow.kind == "remove_member")
                )
            )
            removed = sorted(
                catalog.scalars(
                    select(TeamMemberRow.member_id).where(TeamMemberRow.removed.is_(True))
                )
            )
        if not pending:
            return
        path = team_seal.member_path(self.team.member_id)
        generation = self.team.generation
        document = team_seal.member_document(
            self.team.id, self.team.member_id, self.team.member_name, removed, self.team.name
        )
        sealed = team_seal.seal(self.keys[generation], generation, path, document)
        self.store.write(path, sealed, replace=True)
        with self.workspace.catalog.write() as catalog:
            catalog.execute(delete(TeamEventRow).where(TeamEventRow.seq.in_(pending)))

    def _seal_next_batch(self) -> bool:
        """Seal the next batch of waiting changes (BATCH_CHANGES at most, whole cases);
        whether more wait."""
        with self.workspace.catalog.read() as catalog:
            dirty = list(catalog.scalars(select(TeamDirtyRow.case_id)))
            erasures = list(
                catalog.execute(
                    select(TeamEventRow.seq, TeamEventRow.target, TeamEventRow.stamp)
                    .where(TeamEventRow.kind == "erase")
                    .order_by(TeamEventRow.seq)
                )
            )
        changes: list[Change] = []
        taken: dict[str, int] = {}
        more = False
        for case_id in dirty:
            if not self.workspace.case_path(case_id).exists():
                taken[case_id] = 0
                continue
            with self.workspace.reading(case_id) as session:
                waiting, last = outgoing(session, case_id)
            if changes and len(changes) + len(waiting) > BATCH_CHANGES:
                more = True
                break
            changes.extend(waiting)
            taken[case_id] = last
        if changes or erasures:
            self._keep_batch(changes, erasures)
        for case_id, last in taken.items():
            if last and self.workspace.case_path(case_id).exists():
                with self._bookkeeping(case_id) as session:
                    drop_outgoing(session, last)
        with self.workspace.catalog.write() as catalog:
            catalog.execute(delete(TeamDirtyRow).where(TeamDirtyRow.case_id.in_(list(taken))))
        self.report.changes_out += len(changes) + len(erasures)
        return more

    def _keep_batch(self, changes: list[Change], erasures: list[Any]) -> None:
        """Seal the batch and keep it here, then count it as made: if this stops before the
        changes are marked sent, they leave again in the next batch, which is harmless."""
        with self.workspace.catalog.read() as catalog:
            row = catalog.get(TeamRow, self.team.id)
            assert row is not None
            seq, generation = row.next_batch, row.generation
        path = team_seal.batch_path(self.team.member_id, seq)
        items: list[dict[str, Any]] = [change.to_wire() for change in changes]
        items += [
            {"case": target, "erase": True, "stamp": stamp, "by": self.team.member_name}
            for _seq, target, stamp in erasures
        ]
        document = {
            "format": "boussole-team-batch",
            "version": 1,
            "team": self.team.id,
            "member": self.team.member_id,
            "seq": seq,
            "changes": items,
        }
        sealed = team_seal.seal(self.keys[generation], generation, path, document)
        folder = self.workspace.root / OUTGOING_FOLDER
        owner_only_folder(folder)
        _write_whole(folder / f"{seq:012d}", sealed)
        with self.workspace.catalog.write() as catalog:
            row = catalog.get(TeamRow, self.team.id)
            assert row is not None
            row.next_batch = seq + 1
            if erasures:
                catalog.execute(
                    delete(TeamEventRow).where(TeamEventRow.seq.in_([e[0] for e in erasures]))
                )

    @contextmanager
    def _bookkeeping(self, case_id: str) -> Iterator[Session]:
        with self.workspace.lock.shared():
            case = self.workspace.open_case(case_id)
            with case.bookkeeping() as session:
                yield session

    def _finish(self, completed: bool) -> None:
        with self.workspace.catalog.write() as catalog:
            self.report.waiting = len(catalog.scalars(select(TeamDirtyRow.case_id)).all())
            self.report.waiting += len(outgoing_files(self.workspace))
            row = catalog.get(TeamRow, self.team.id)
            if row is not None:
                row.last_stamp = self.clock.last
                if completed:
                    row.last_sync_at = self.now()
                    row.last_sync = json.dumps(self.report.as_json())


def outgoing_files(workspace: Workspace) -> list[Path]:
    """The batches sealed here and not yet uploaded."""
    folder = workspace.root / OUTGOING_FOLDER
    if not folder.exists():
        return []
    return sorted(path for path in folder.iterdir() if team_seal.batch_seq(path.name) is not None)


def _in_order(numbers: list[int], applied: int) -> list[int]:
    """The batches to take in: those that follow the last applied without a gap. A synced
    folder may bring batch 3 before batch 2: 3 then waits for 2, whose position would
    otherwise be passed. Only when every batch after the last applied is further on (the
    ones between were removed, covered by the snapshots this workspace started from) does
    the first one found open the way."""
    if numbers and numbers[0] != applied + 1 and applied > 0:
        return []
    taken: list[int] = []
    for seq in numbers:
        if taken and seq != taken[-1] + 1:
            break
        taken.append(seq)
    return taken


class _NothingNew(Exception):
    """Raised inside a write that has nothing to change: it is rolled back."""


def _unshared_from(session: Session, case_id: str, me: str) -> Stamp | None:
    """The stamp of the case's unsharing when it is no longer shared and its référent is
    not `me` ("" when unknown); None when it stays here."""
    sharing = session.get(TeamSharing, case_id)
    info = session.scalars(select(CaseInfo)).one_or_none()
    if sharing is None or sharing.shared or info is None:
        return None
    if info.advisor.casefold() == me.casefold():
        return None
    stamp = session.scalars(
        select(TeamField.stamp).where(TeamField.tbl == "team_sharing", TeamField.col == "shared")
    ).one_or_none()
    return stamp or ""


def _kept_here(rows: dict[Any, list[dict[str, Any]]], me: str) -> bool:
    """Whether a case new here is to be kept: shared with the team, or this advisor's."""
    sharing = rows.get(TeamSharing, [])
    if sharing and sharing[0].get("shared"):
        return True
    advisor = str(rows[CaseInfo][0].get("advisor", ""))
    return advisor.casefold() == me.casefold()


def _shared_again(changes: list[Change], gone_stamp: Stamp) -> bool:
    return any(
        c.table == "team_sharing"
        and c.column == "shared"
        and c.value is True
        and c.stamp > gone_stamp
        for c in changes
    )


def _authors(changes: list[Change]) -> str:
    return ", ".join(sorted({change.by for change in changes if change.by}))


def _detail(changes: list[Change]) -> str:
    """What the history says the changes touched: "person.phone" for a field changed, the
    table alone for a row added or removed (its fields are not listed one by one)."""
    whole_rows = {(c.table, c.row) for c in changes if c.column in (None, "id")}
    touched = sorted(
        {c.table if (c.table, c.row) in whole_rows else f"{c.table}.{c.column}" for c in changes}
    )
    shown = ", ".join(touched[:12])
    return shown + (" …" if len(touched) > 12 else "")


def _write_whole(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".new")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
