"""Snapshots of the shared cases, and the compaction of batches they make useless.

From time to time (every SNAPSHOT_AFTER batches taken in or sent, or when asked) a member
publishes under its own folder a snapshot of every shared case it holds whose revision
changed since its last one (every field and removal, sealed: `<member>/snapshots/<case>`),
then a manifest saying which batches of each member its snapshots cover. A new member (or a
reinstalled laptop) starts from the manifest that covers the most, then applies only later
batches. A member then removes its own batches that every member's manifest covers: any
manifest a newcomer may start from still finds the batches after it. Snapshots of a case
erased or no longer shared are removed at the next publication.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from advisor_app.domain.errors import AdvisorError
from advisor_app.exchange import team_seal
from advisor_app.exchange.errors import TeamFileMissing, TeamFileRefused, TeamKeyMissing
from advisor_app.exchange.team_folder import TeamStore
from advisor_app.i18n import _, describe
from advisor_app.storage.catalog_models import CaseIndex
from advisor_app.storage.team_changes import Change, case_state
from advisor_app.storage.team_state_models import (
    TeamGoneRow,
    TeamMemberRow,
    TeamRow,
    TeamSnapshotRow,
)

if TYPE_CHECKING:
    from advisor_app.storage.workspace import Workspace

log = logging.getLogger(__name__)

# Batches taken in or sent after which a member publishes its snapshots again.
SNAPSHOT_AFTER = 200


def refusal_reason(error: Exception) -> str:
    """Why a file of the team folder was refused, as the advisor reads it (a malformed
    change is said by its kind; its value is never repeated)."""
    if isinstance(error, AdvisorError):
        return describe(error)
    return _("It holds a change that is not valid ({kind}).").format(kind=type(error).__name__)


def snapshot_document(case_id: str, state: list[Change]) -> dict[str, Any]:
    return {
        "format": "boussole-team-snapshot",
        "version": 1,
        "case": case_id,
        "fields": [change.to_wire() for change in state if change.column is not None],
        "tombstones": [
            {"table": c.table, "row": c.row, "stamp": c.stamp, "by": c.by}
            for c in state
            if c.column is None
        ],
    }


def snapshot_changes(document: dict[str, Any]) -> list[Change]:
    """The changes a snapshot holds (ValueError for one of the wrong kind)."""
    case_id = str(document["case"])
    changes = [Change.from_wire(item) for item in document["fields"]]
    if any(change.case != case_id for change in changes):
        raise ValueError("a snapshot holds a field of another case")
    changes += [
        Change(
            case_id,
            str(t["table"]),
            str(t["row"]),
            None,
            None,
            str(t["stamp"]),
            str(t.get("by", "")),
        )
        for t in document["tombstones"]
    ]
    return changes


class TeamSnapshots:
    """Publishing, reading and compacting, for one member through one store."""

    def __init__(
        self,
        workspace: Workspace,
        team: TeamRow,
        keys: dict[int, bytes],
        store: TeamStore,
    ) -> None:
        self.workspace = workspace
        self.team = team
        self.keys = keys
        self.store = store

    # -- publishing ------------------------------------------------------------------------

    def publish(self, covers: dict[str, int]) -> int:
        """Publish the snapshots of the shared cases changed since the last ones, remove
        those of cases no longer shared, then the manifest; the snapshots written."""
        me = self.team.member_id
        generation = self.team.generation
        key = self.keys[generation]
        with self.workspace.catalog.read() as catalog:
            shared = {
                str(case_id): int(revision)
                for case_id, revision in catalog.execute(
                    select(CaseIndex.case_id, CaseIndex.revision).where(
                        CaseIndex.shared.is_(True), CaseIndex.damaged.is_(None)
                    )
                )
            }
            published = {
                row.case_id: row.revision for row in catalog.scalars(select(TeamSnapshotRow))
            }
        written = 0
        for case_id, revision in sorted(shared.items()):
            if published.get(case_id) == revision:
                continue
            with self.workspace.reading(case_id) as session:
                state = case_state(session, case_id)
            path = team_seal.snapshot_path(me, case_id)
            document = snapshot_document(case_id, state)
            self.store.write(path, team_seal.seal(key, generation, path, document), replace=True)
            with self.workspace.catalog.write() as catalog:
                catalog.merge(TeamSnapshotRow(case_id=case_id, revision=revision))
            written += 1
        for case_id in sorted(set(published) - set(shared)):
            self.store.remove(team_seal.snapshot_path(me, case_id))
            with self.workspace.catalog.write() as catalog:
                catalog.execute(delete(TeamSnapshotRow).where(TeamSnapshotRow.case_id == case_id))
        path = team_seal.manifest_path(me)
        manifest = {
            "format": "boussole-team-manifest",
            "version": 1,
            "covers": dict(sorted(covers.items())),
            "cases": sorted(shared),
        }
        self.store.write(path, team_seal.seal(key, generation, path, manifest), replace=True)
        return written

    def remove_gone(self) -> None:
        """Remove at once the snapshots of cases erased or no longer shared here: a person's
        data does not wait for the next publication to leave the team folder."""
        with self.workspace.catalog.read() as catalog:
            gone = list(
                catalog.scalars(
                    select(TeamSnapshotRow.case_id).where(
                        TeamSnapshotRow.case_id.in_(select(TeamGoneRow.case_id))
                    )
                )
            )
        for case_id in gone:
            self.store.remove(team_seal.snapshot_path(self.team.member_id, case_id))
            with self.workspace.catalog.write() as catalog:
                catalog.execute(delete(TeamSnapshotRow).where(TeamSnapshotRow.case_id == case_id))

    def compact(self, members: list[str]) -> int:
        """Remove this member's batches that every member's manifest covers (a member with
        no manifest yet covers none); how many were removed."""
        me = self.team.member_id
        covered: list[int] = []
        for member in members:
            manifest = self.manifest_of(member)
            covered.append(int(manifest["covers"].get(me, 0)) if manifest else 0)
        up_to = min(covered, default=0)
        removed = 0
        for name in self.store.listing(me, team_seal.CHANGES):
            seq = team_seal.batch_seq(name)
            if seq is not None and seq <= up_to:
                self.store.remove(team_seal.batch_path(me, seq))
                removed += 1
        return removed

    # -- reading ---------------------------------------------------------------------------

    def manifest_of(self, member: str) -> dict[str, Any] | None:
        path = team_seal.manifest_path(member)
        try:
            return team_seal.open_sealed(self.keys, path, self.store.read(path), team=self.team.id)
        except (TeamFileMissing, TeamFileRefused, TeamKeyMissing):
            return None

    def manifests(self, members: list[str]) -> list[tuple[str, dict[str, Any]]]:
        """The members' manifests, the one that covers the most batches first."""
        found = [
            (member, manifest)
            for member in members
            if (manifest := self.manifest_of(member)) is not None
        ]
        return sorted(found, key=lambda item: (-sum(item[1]["covers"].values()), item[0]))

    def snapshot(self, member: str, case_id: str) -> list[Change]:
        """A member's snapshot of a case, opened and validated whole (TeamFileRefused,
        TeamKeyMissing, TeamFileMissing or ValueError otherwise)."""
        path = team_seal.snapshot_path(member, case_id)
        document = team_seal.open_sealed(self.keys, path, self.store.read(path), team=self.team.id)
        return snapshot_changes(document)


def start_from_snapshots(
    snapshots: TeamSnapshots,
    members: list[str],
    create: Callable[[dict[str, list[Change]]], None],
    refused: list[str],
) -> dict[str, int]:
    """A member new to the team takes in the snapshots of the manifest that covers the most
    (`create` writes the cases); the position of each member's batches they cover. A
    manifest one of whose snapshots does not open is passed over (and said in `refused`)
    for the next; with none, positions stay at 0 and every batch is taken in."""
    for member, manifest in snapshots.manifests(members):
        cases: dict[str, list[Change]] = {}
        try:
            for case_id in manifest["cases"]:
                try:
                    cases[str(case_id)] = snapshots.snapshot(member, str(case_id))
                except TeamFileMissing:
                    # removed since the manifest: the case was erased or unshared after
                    # it, which a later batch says
                    continue
        except (AdvisorError, ValueError, KeyError, TypeError) as error:
            refused.append(f"{member}/snapshots: {refusal_reason(error)}")
            log.warning("snapshots of %s not used: %s", member, type(error).__name__)
            continue
        create(cases)
        return {str(m): int(seq) for m, seq in manifest["covers"].items()}
    return {}


def remember_positions(workspace: Workspace, positions: dict[str, int]) -> None:
    with workspace.catalog.write() as catalog:
        for member, seq in positions.items():
            row = catalog.get(TeamMemberRow, member)
            if row is None:
                catalog.add(TeamMemberRow(member_id=member, name="", removed=False, applied=seq))
            elif seq > row.applied:
                row.applied = seq
