"""Restoring a case kept in the quarantine, without ever dropping a newer save unsaid.

A case is restored from the newest backup that holds it, unless the quarantine holds a sound
file of the case with a newer save (an older Boussole moved healthy files there on a full
disk; a file can also be repaired by hand): then nothing is done, and the sentence names
both saves and offers that file (`RestoreChoice.QUARANTINED`) or the older backup anyway
(`RestoreChoice.BACKUP`, which leaves the newer file in the quarantine). A live file that is
sound is never set aside: there is nothing to restore.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.storage.backups import BackupInfo, restore_case_file
from advisor_app.storage.casefile import DamagedCaseFileError, SavedState, quick_check, saved_state
from advisor_app.storage.quarantine import (
    QuarantinedFile,
    put_back,
    quarantine_file,
    quarantined,
    quarantined_files_of,
)
from advisor_app.storage.workspace_lock import RESTORE

if TYPE_CHECKING:  # the backup service hands itself over; it imports this module
    from advisor_app.services.backups import BackupService


class RestoreChoice(Enum):
    SAFEST = "safest"  # the newest backup, unless the quarantine holds a newer save
    QUARANTINED = "quarantined"  # the newest sound file of the quarantine, put back
    BACKUP = "backup"  # the newest backup, even over a newer save left in the quarantine


class NewerSaveInQuarantineError(AdvisorError):
    """The quarantine holds a sound file of the case with a newer save than the backup."""


@dataclass(frozen=True)
class QuarantinedCase:
    """A file kept in the quarantine, what it holds if it opens, and the newest backup of
    its case with what that holds."""

    file: QuarantinedFile
    state: SavedState | None  # None: it does not open as a case file
    backup: BackupInfo | None
    backup_state: SavedState | None

    @property
    def case_id(self) -> str:
        return self.file.case_id

    @property
    def newer_than_backup(self) -> bool:
        """A sound file whose save the newest backup does not hold."""
        if self.state is None:
            return False
        if self.backup_state is None:
            return True
        return _order(self.state) > _order(self.backup_state)


def _order(state: SavedState) -> tuple[datetime, int]:
    return (state.updated_at, state.revision)


def _newest(files: list[QuarantinedCase]) -> QuarantinedCase | None:
    """The sound file with the latest save, if any."""
    sound = [(_order(item.state), item) for item in files if item.state is not None]
    return max(sound, key=lambda pair: pair[0])[1] if sound else None


def _when(state: SavedState) -> str:
    return state.updated_at.isoformat(sep=" ", timespec="minutes")


class QuarantineService:
    def __init__(self, context: ServiceContext, backups: BackupService) -> None:
        self.context = context
        self.backups = backups

    def files(self) -> list[QuarantinedCase]:
        """Every file of the quarantine, with what it and the newest backup of its case hold."""
        return [self._judged(item) for item in quarantined(self.context.workspace.root)]

    def _judged(self, item: QuarantinedFile) -> QuarantinedCase:
        key = self.context.workspace.key
        backup = self.backups.newest_holding(item.case_id)
        return QuarantinedCase(
            file=item,
            state=saved_state(item.path, key),
            backup=backup,
            backup_state=saved_state(backup.case_path(item.case_id), key) if backup else None,
        )

    def restore(self, case_id: str, choice: RestoreChoice = RestoreChoice.SAFEST) -> Changes:
        """Restore a damaged or quarantined case (see the module's docstring)."""
        workspace = self.context.workspace
        live = workspace.case_path(case_id)
        with workspace.exclusive(RESTORE):
            if live.exists():
                problem = quick_check(live, workspace.key)
                if problem is None:
                    raise AdvisorError(
                        N_("The case file {name} is sound: nothing was restored."),
                        N_("To go back to a backup anyway: restore BACKUP --case {case_id}."),
                        name=live.name,
                        case_id=case_id,
                    )
                if not isinstance(problem, DamagedCaseFileError):
                    raise problem  # a newer version, a busy file: not damage
            files = [self._judged(item) for item in quarantined_files_of(workspace.root, case_id)]
            newest = _newest(files)
            if choice is RestoreChoice.QUARANTINED:
                return self._put_back(case_id, newest)
            backup = self.backups.newest_holding(case_id)
            if choice is RestoreChoice.SAFEST and newest is not None and newest.newer_than_backup:
                raise _newer_save(case_id, newest)
            if backup is None:
                raise AdvisorError(
                    N_("No backup holds the case {case_id}."),
                    N_("The damaged file stays in the quarantine folder."),
                    case_id=case_id,
                )
            if live.exists():
                quarantine_file(workspace.root, live, case_id)
            restore_case_file(backup, case_id, live, key=workspace.key)
            workspace.reindex_case(case_id)
            self._audit("restored_case", case_id)
        return Changes.of_case(case_id)

    def _put_back(self, case_id: str, newest: QuarantinedCase | None) -> Changes:
        workspace = self.context.workspace
        if newest is None:
            raise AdvisorError(
                N_("No file of the case {case_id} in the quarantine opens: nothing was restored."),
                N_("Restore it from a backup: quarantine --restore {case_id}."),
                case_id=case_id,
            )
        live = workspace.case_path(case_id)
        if live.exists():  # damaged (checked by the caller): set aside in its turn
            quarantine_file(workspace.root, live, case_id)
        put_back(newest.file, live)
        workspace.reindex_case(case_id)
        self._audit("restored_from_quarantine", case_id)
        return Changes.of_case(case_id)

    def _audit(self, action: str, case_id: str) -> None:
        workspace = self.context.workspace
        with workspace.catalog.write() as catalog:
            workspace.audit(catalog, action, case_id, self.backups.settings.advisor_name)


def _newer_save(case_id: str, newest: QuarantinedCase) -> NewerSaveInQuarantineError:
    assert newest.state is not None
    if newest.backup is None or newest.backup_state is None:
        return NewerSaveInQuarantineError(
            N_(
                "No backup holds the case {case_id}, but the quarantine holds a sound file of "
                "it, {file}, saved on {saved} (revision {revision}): nothing was restored."
            ),
            N_("Put it back with: quarantine --restore {case_id} --from-quarantine."),
            case_id=case_id,
            file=newest.file.path.name,
            saved=_when(newest.state),
            revision=newest.state.revision,
        )
    return NewerSaveInQuarantineError(
        N_(
            "The quarantine holds a sound file of the case, {file}, saved on {saved} (revision "
            "{revision}), newer than the backup {backup}, saved on {backup_saved} (revision "
            "{backup_revision}): nothing was restored, so that no save is lost."
        ),
        N_(
            "Put that file back with: quarantine --restore {case_id} --from-quarantine; or "
            "restore the older backup anyway with --from-backup (the newer file stays in the "
            "quarantine)."
        ),
        case_id=case_id,
        file=newest.file.path.name,
        saved=_when(newest.state),
        revision=newest.state.revision,
        backup=newest.backup.name,
        backup_saved=_when(newest.backup_state),
        backup_revision=newest.backup_state.revision,
    )
