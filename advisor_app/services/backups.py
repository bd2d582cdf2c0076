"""Backups and restore: automatic on the first start of the day, on demand, before risky work.

Restoring writes a backup of the present state first. Restoring one case leaves the others
untouched; restoring a whole backup puts every case file back as it was (cases created since
are removed: they are in the backup written just before), rebuilds the catalog's index and
brings back the partners, outbox entries, settings and audit lines of the backup that the
workspace lacks (what it holds now is kept). Restoring the state alone (`restore_state`)
does only the last, for a state that was lost: `check` names the backup to take it from.

A backup holds the workspace shared (no re-keying or restore meanwhile); a restore holds it
alone, so that no other window saves into a file being put back.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.settings import SettingsService
from advisor_app.storage.backups import (
    BackupInfo,
    BackupProgress,
    backups_to_prune,
    create_backup,
    delete_backup,
    find_backup,
    list_backups,
    restore_case_file,
    restore_state,
    state_is_whole,
)
from advisor_app.storage.workspace import Workspace
from advisor_app.storage.workspace_lock import RESTORE

if TYPE_CHECKING:  # the quarantine is imported when a damaged case is restored
    from advisor_app.services.quarantine import RestoreChoice

DAILY = "daily"
MANUAL = "manual"
BEFORE_RESTORE = "before-restore"
BEFORE_IMPORT = "before-import"

# Says, in the backups folder, that a process is making today's backup (a command line's
# backup made after its command, in a process of its own): no other starts one meanwhile.
# A marker older than this is a process that was killed, and is taken over.
DAILY_MARKER = ".daily-backup-running"
DAILY_MARKER_STALE_S = 3600


class BackupService:
    def __init__(self, context: ServiceContext, settings: SettingsService) -> None:
        self.context = context
        self.settings = settings

    @property
    def workspace(self) -> Workspace:
        return self.context.workspace

    def all(self) -> list[BackupInfo]:
        """Complete backups, newest first."""
        return list_backups(self.workspace.backups_dir)

    def newest(self) -> BackupInfo | None:
        backups = self.all()
        return backups[0] if backups else None

    def newest_holding(self, case_id: str) -> BackupInfo | None:
        """The newest backup with a copy of this case (to restore a damaged file)."""
        for backup in self.all():
            if backup.holds(case_id):
                return backup
        return None

    def newest_whole_state(self) -> BackupInfo | None:
        """The newest backup whose partners, outbox queue and settings were whole (made
        before they were lost): the one to restore them from."""
        for backup in self.all():
            if state_is_whole(backup, key=self.workspace.key):
                return backup
        return None

    def back_up(self, kind: str = MANUAL) -> Iterator[BackupProgress | BackupInfo]:
        """Back the workspace up (yields progress, then the backup), then prune old ones."""
        created: BackupInfo | None = None
        workspace = self.workspace
        with workspace.sharing():
            for step in create_backup(workspace.root, kind, self.context.now(), key=workspace.key):
                if isinstance(step, BackupInfo):
                    created = step
                yield step
        if created is not None:
            self.prune()
            with self.workspace.catalog.write() as catalog:
                self.workspace.audit(catalog, f"backup_{kind}", None, self.settings.advisor_name)

    def back_up_now(self, kind: str = MANUAL) -> BackupInfo:
        created: BackupInfo | None = None
        for step in self.back_up(kind):
            if isinstance(step, BackupInfo):
                created = step
        assert created is not None
        return created

    def daily_backup_due(self, today: date | None = None) -> bool:
        today = today or self.context.today()
        return not any(b.created_at.date() == today for b in self.all())

    def daily_backup_if_due(self) -> BackupInfo | None:
        """The backup of the first start of the day; nothing if today's exists (cheap), or
        if another process is making it (a command line's, after its command)."""
        if not self.claim_daily_backup():
            return None
        return self.make_claimed_daily_backup()

    def claim_daily_backup(self) -> bool:
        """Whether today's backup is due and no other process is making it; if so, it is
        claimed (a marker file) until `make_claimed_daily_backup` lets it go."""
        if not self.daily_backup_due():
            return False
        marker = self.workspace.backups_dir / DAILY_MARKER
        try:
            if time.time() - marker.stat().st_mtime > DAILY_MARKER_STALE_S:
                marker.unlink(missing_ok=True)
        except FileNotFoundError:
            pass
        marker.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            return False
        return True

    def make_claimed_daily_backup(self) -> BackupInfo | None:
        """Today's backup, claimed with `claim_daily_backup` (nothing if it was made
        meanwhile); the claim is let go whatever happens."""
        try:
            return self.back_up_now(DAILY) if self.daily_backup_due() else None
        finally:
            self.release_daily_backup()

    def release_daily_backup(self) -> None:
        (self.workspace.backups_dir / DAILY_MARKER).unlink(missing_ok=True)

    def before_import(self) -> BackupInfo:
        """Call before an import that updates a case."""
        return self.back_up_now(BEFORE_IMPORT)

    def prune(self) -> list[BackupInfo]:
        doomed = backups_to_prune(
            self.all(),
            int(self.settings.get("backups_daily_to_keep")),
            int(self.settings.get("backups_weekly_to_keep")),
            self.context.now(),
        )
        for backup in doomed:
            delete_backup(backup)
        return doomed

    def find(self, name: str) -> BackupInfo:
        return find_backup(self.workspace.backups_dir, name)

    def restore(self, name: str, case_id: str | None = None) -> Changes:
        """Restore a whole backup, or one case of it; the present state is backed up first."""
        backup = self.find(name)
        if case_id is not None and not backup.holds(case_id):
            raise AdvisorError(
                N_("The backup {name} does not hold the case {case_id}."),
                N_("The command backups --json lists the cases each backup holds."),
                name=backup.name,
                case_id=case_id,
            )
        workspace = self.workspace
        with workspace.exclusive(RESTORE):
            self.back_up_now(BEFORE_RESTORE)
            if case_id is not None:
                self._restore_one(backup, case_id)
                workspace.reindex_case(case_id)
                self._audit("restored_case", case_id)
                return Changes.of_case(case_id)
            restored = set(backup.case_ids)
            for one in sorted(restored):
                self._restore_one(backup, one)
            for one in sorted(set(workspace.case_ids_on_disk()) - restored):
                workspace.delete_case_file(one)
            for _step in workspace.rebuild_index():
                pass
            if backup.state_source is not None:
                restore_state(backup, workspace.root, key=workspace.key)
            self._audit("restored_backup", None)
        return Changes(
            cases=frozenset(restored), case_list=True, agenda=True, settings=True, outbox=True
        )

    def restore_state(self, name: str) -> Changes:
        """Bring back the partners, outbox entries, settings and audit lines a backup holds
        and the workspace lacks, leaving the cases as they are (the present state is backed
        up first)."""
        backup = self.find(name)
        if backup.state_source is None:
            raise AdvisorError(
                N_("The backup {name} does not hold the partners, outbox queue and settings."),
                N_("Choose another backup: the command backups lists them."),
                name=backup.name,
            )
        workspace = self.workspace
        with workspace.exclusive(RESTORE):
            self.back_up_now(BEFORE_RESTORE)
            restore_state(backup, workspace.root, key=workspace.key)
            self._audit("restored_state", None)
        return Changes(settings=True, outbox=True)

    def _restore_one(self, backup: BackupInfo, case_id: str) -> None:
        live = self.workspace.case_path(case_id)
        restore_case_file(backup, case_id, live, key=self.workspace.key)

    def set_aside_and_restore(self, case_id: str, choice: RestoreChoice | None = None) -> Changes:
        """A damaged case: restored from the newest backup that holds it, unless the
        quarantine holds a newer save of it, which is then offered (services/quarantine.py;
        `choice` by default: RestoreChoice.SAFEST)."""
        from advisor_app.services.quarantine import QuarantineService, RestoreChoice

        return QuarantineService(self.context, self).restore(
            case_id, choice or RestoreChoice.SAFEST
        )

    def _audit(self, action: str, case_id: str | None) -> None:
        with self.workspace.catalog.write() as catalog:
            self.workspace.audit(catalog, action, case_id, self.settings.advisor_name)


def make_claimed_daily_backup_of(root: Path, passphrase: str | None) -> BackupInfo | None:
    """Open the workspace at `root` and make today's backup that a command claimed
    (`claim_daily_backup`) before it ended. The claim is let go once the workspace is
    closed again (nothing of this process writes in it after), even when it cannot be
    opened."""
    from advisor_app.services import Services

    try:
        services = Services.open(root, passphrase=passphrase)
        try:
            backups = services.backups
            return backups.back_up_now(DAILY) if backups.daily_backup_due() else None
        finally:
            services.close()
    finally:
        (root / "backups" / DAILY_MARKER).unlink(missing_ok=True)
