"""A workspace folder: the catalog, one case file per project holder, outbox and backups.

Every write goes to the case file first (one transaction, revision + 1), then to the
catalog. On open, case files whose signature (mtime, size, WAL size) differs from what the
catalog recorded are read again, so a crash between the two writes is repaired.

The open workspace owns its key (`self.key`, a WorkspaceKey: none for a plain workspace)
and its lock file (`self.lock`): every save and read holds the lock shared, the operations
that rewrite files hold it alone (`exclusive`). `lock()` forgets the key; after that every
read or write raises WorkspaceLockedError, and nothing is taken for damage.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from advisor_app.domain.disk import StorageError
from advisor_app.domain.errors import CaseFileError, NotFoundError
from advisor_app.domain.hlc import HybridClock
from advisor_app.domain.messages import N_
from advisor_app.domain.validation import is_case_id, shown_id
from advisor_app.storage.case_migrations import SCHEMA_VERSION
from advisor_app.storage.catalog import CATALOG_NAME, Catalog
from advisor_app.storage.disk import disk_problem
from advisor_app.storage.encryption import (
    follow_key_change,
    open_key,
    refuse_interrupted_rekey,
    repair_interrupted_rekey,
    unlock_key,
)
from advisor_app.storage.layout import APPLICATION_ID, CASE_SUFFIX, file_signature
from advisor_app.storage.owner_only import owner_only_folder, tighten
from advisor_app.storage.quarantine import quarantine_file, quarantined_ids
from advisor_app.storage.sqlite_engine import KeyUnavailableError, WorkspaceKey
from advisor_app.storage.workspace_lock import (
    REBUILD,
    UPGRADE,
    WorkspaceBusyError,
    WorkspaceLock,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from advisor_app.storage.casefile import CaseFile
    from advisor_app.storage.indexer import IndexData

_WAL_SUFFIX = f"{CASE_SUFFIX}-wal"

# The case-file format the catalog was last brought up to (see `reconcile`).
CASE_SCHEMA_SETTING = "case_schema_version"


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


class Workspace:
    def __init__(self, root: Path, key: WorkspaceKey, lock: WorkspaceLock) -> None:
        self.root = root
        self.key = key
        self.lock = lock
        self.cases_dir = root / "cases"
        self.outbox_dir = root / "outbox"
        self.backups_dir = root / "backups"
        # The services set their clock here, so that history and audit carry its dates.
        self.clock: Callable[[], datetime] = datetime.now
        # The team's clock once this workspace belongs to a team: writes to a shared case
        # then record their changes (storage/team_changes.py).
        self.team_clock: HybridClock | None = None
        for folder in (self.cases_dir, self.outbox_dir, self.backups_dir):
            owner_only_folder(folder)
        self.catalog = Catalog(root / CATALOG_NAME, key, lock)
        # its owner's only, the catalog (whose mode SQLite gives its -wal and -shm) too,
        # also where an older version left them readable by all
        for path in (root, *root.glob("*.sqlite*")):
            tighten(path)

    @classmethod
    def open(
        cls, root: Path, *, reconcile: bool = True, passphrase: str | None = None
    ) -> Workspace:
        """Open (or create) a workspace; an encrypted one needs its passphrase, a new folder
        opened with a passphrase becomes an encrypted workspace.

        An interrupted re-keying is finished first, unless another process holds the
        workspace (it may be re-keying it now): then WorkspaceBusyError says who does."""
        lock = WorkspaceLock(root)
        try:
            repair_interrupted_rekey(root, lock)
            with lock.shared():
                refuse_interrupted_rekey(root)
                key = open_key(root, passphrase)
            lock.on_change = lambda _generation: follow_key_change(root, key)
            workspace = cls(root, key, lock)
        except BaseException:
            lock.close()
            raise
        if reconcile:
            for _step in workspace.reconcile():
                pass
        return workspace

    def close(self) -> None:
        self.catalog.close()
        self.key.dispose_engines()
        self.lock.close()

    def reopen_catalog(self) -> None:
        """Open the catalog again (after its file was replaced or re-keyed)."""
        self.catalog.close()
        self.catalog = Catalog(self.root / CATALOG_NAME, self.key, self.lock)

    # -- key and lock -----------------------------------------------------------------

    def forget_key(self) -> None:
        """Lock the workspace: every connection that held the key is closed and the key
        dropped; reads and writes raise WorkspaceLockedError until `unlock`."""
        self.key.forget()

    def unlock(self, passphrase: str) -> None:
        """Take the key of `passphrase` again (PassphraseError when it is not the one); also
        after another window encrypted or re-keyed the workspace under this one."""
        was_encrypted = self.key.encrypted
        unlock_key(self.root, self.key, passphrase)
        if not was_encrypted:  # the catalog's engine was made for plain files
            self.reopen_catalog()

    def exclusive(self, operation: str) -> AbstractContextManager[None]:
        """Hold the workspace alone for an operation that rewrites files (`operation` is
        one of storage.workspace_lock's names: it is what the other windows are told)."""
        return self.lock.exclusive(operation)

    def sharing(self) -> AbstractContextManager[None]:
        """Hold the workspace for ordinary work: no re-keying or restore runs meanwhile."""
        return self.lock.shared()

    # -- case files -------------------------------------------------------------------

    def case_path(self, case_id: str) -> Path:
        """The file of `case_id`; an id that is not a case number is refused, so that no
        id can name a file outside the cases folder."""
        if not is_case_id(case_id):
            raise NotFoundError(
                N_("“{case_id}” is not a case number."),
                N_(
                    "Case numbers look like 3f2a9c4e-5b1d-4c2e-9a7f-0e8d6c5b4a31: copy it from list."
                ),
                case_id=shown_id(case_id),
            )
        return self.cases_dir / f"{case_id}{CASE_SUFFIX}"

    def case_ids_on_disk(self) -> dict[str, os.DirEntry[str]]:
        return self._case_files()[0]

    def _case_files(self) -> tuple[dict[str, os.DirEntry[str]], set[str]]:
        """The case files on disk by case id, and the names of those with a -wal beside
        them: one listing of the folder."""
        files: dict[str, os.DirEntry[str]] = {}
        with_wal: set[str] = set()
        for entry in os.scandir(self.cases_dir):
            name = entry.name
            if name.endswith(CASE_SUFFIX):
                case_id = name[: -len(CASE_SUFFIX)]
                if is_case_id(case_id) and entry.is_file():
                    files[case_id] = entry
            elif name.endswith(_WAL_SUFFIX):
                with_wal.add(name[: -len(_WAL_SUFFIX)])
        return files, with_wal

    def strays_in_cases_folder(self) -> list[Path]:
        """What is named like a case file but is not one (a folder, a name that is not a case
        number): it would otherwise hide silently from every list."""
        cases = self.case_ids_on_disk()
        return sorted(
            Path(entry.path)
            for entry in os.scandir(self.cases_dir)
            if entry.name.endswith(CASE_SUFFIX)
            and not entry.name.startswith(".")
            and entry.name[: -len(CASE_SUFFIX)] not in cases
        )

    def open_case(self, case_id: str) -> CaseFile:
        from advisor_app.storage.casefile import open_case_file

        path = self.case_path(case_id)
        with self.lock.shared():
            if not path.exists():
                raise NotFoundError(
                    N_("There is no case {case_id} in this workspace."), case_id=case_id
                )
            return open_case_file(path, self.key, self.backups_dir / "migrations")

    @contextmanager
    def reading(self, case_id: str) -> Iterator[Session]:
        with self.lock.shared():
            case = self.open_case(case_id)
            try:
                with case.read() as session:
                    _check_own_id(session, case)
                    yield session
            finally:
                case.close()

    @contextmanager
    def changing(
        self,
        case_id: str,
        action: str,
        detail: str = "",
        advisor: str = "",
        *,
        recorded: bool = True,
    ) -> Iterator[Session]:
        """Write to a case file, then bring the catalog up to date from the same transaction
        (holding the workspace shared: a re-keying waits for it, or it for the re-keying).
        A write to a shared case records its changes for the team, unless `recorded` is
        False (the team's own changes being applied)."""
        from advisor_app.storage.indexer import read_index_data, write_index_data

        with self.lock.shared():
            case = self.open_case(case_id)
            try:
                with case.write(
                    action,
                    detail,
                    advisor,
                    self.clock(),
                    team=self.team_clock if recorded else None,
                ) as session:
                    _check_own_id(session, case)
                    yield session
                    session.flush()
                    data = read_index_data(session)
            finally:
                case.close()
            with self.catalog.write() as catalog:
                write_index_data(catalog, data, file_signature(case.path))
                if session.info.get("team_changes"):
                    from advisor_app.storage.team_state_models import TeamDirtyRow

                    catalog.merge(TeamDirtyRow(case_id=case_id))

    @contextmanager
    def creating(
        self,
        action: str = "created",
        advisor: str = "",
        *,
        case_id: str | None = None,
    ) -> Iterator[tuple[str, Session]]:
        """A new case file, filled in one transaction under a temporary name, then put in place.

        With `case_id` (an imported case), the file gets that id; it must not exist yet.
        (Thousands of new cases are written by `bulk_cases` and indexed by `index_many`.)
        """
        from advisor_app.storage.case_models import new_id
        from advisor_app.storage.casefile import create_case_file
        from advisor_app.storage.indexer import read_index_data, write_index_data

        case_id = case_id or new_id()
        with self.lock.shared():
            if self.case_path(case_id).exists():
                raise CaseFileError(N_("The case {case_id} already exists."), case_id=case_id)
            temporary = self.cases_dir / f".{case_id}{CASE_SUFFIX}.new"
            case = create_case_file(temporary, key=self.key)
            try:
                with case.write(action, "", advisor, self.clock()) as session:
                    yield case_id, session
                    session.flush()
                    data = read_index_data(session)
                    # write() gives a new file its first revision after this read
                    data.case["revision"] = int(str(data.case["revision"])) + 1
                case.close()
                os.replace(temporary, self.case_path(case_id))
            except BaseException:
                case.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{temporary}{suffix}").unlink(missing_ok=True)
                raise
            with self.catalog.write() as catalog:
                write_index_data(catalog, data, file_signature(self.case_path(case_id)))
                self.audit(catalog, action, case_id, advisor)

    def index_many(
        self, items: list[IndexData], action: str = "created", advisor: str = ""
    ) -> None:
        """Index case files just written by `bulk_cases.write_new_case_file` (new to the
        catalog): one catalog transaction, rows written in bulk."""
        from advisor_app.storage.indexer import write_index_batch

        signed = [(data, file_signature(self.case_path(data.case_id))) for data in items]
        with self.catalog.write() as catalog:
            write_index_batch(catalog, signed, replace=False)
            for data in items:
                self.audit(catalog, action, data.case_id, advisor)

    def delete_case_file(self, case_id: str) -> None:
        from advisor_app.storage.indexer import remove_from_index

        with self.lock.shared():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.case_path(case_id)}{suffix}").unlink(missing_ok=True)
            with self.catalog.write() as catalog:
                remove_from_index(catalog, case_id)

    def audit(self, catalog: Session, action: str, case_id: str | None, advisor: str = "") -> None:
        from advisor_app.storage.catalog_models import AuditEntry

        catalog.add(
            AuditEntry(
                at=self.clock().replace(microsecond=0),
                action=action,
                case_id=case_id,
                advisor=advisor,
            )
        )

    # -- catalog upkeep ---------------------------------------------------------------

    def reconcile(self) -> Iterator[Progress]:
        """Bring the catalog in line with the case files; yields progress as it reads them."""
        self._sweep_unfinished_creations()
        # the listing says which case files have a -wal beside them: only those are
        # stat'ed twice (a fresh catalog costs one stat a file, and no file is read)
        on_disk, with_wal = self._case_files()
        with self.catalog.plain_read() as catalog:  # the signatures as recorded
            known = {
                case_id: (mtime_ns, size, wal_size)
                for case_id, mtime_ns, size, wal_size in catalog.execute(
                    "SELECT case_id, file_mtime_ns, file_size, wal_size FROM case_index"
                )
            }
        stale: list[str] = []
        for case_id, entry in on_disk.items():
            stat = entry.stat()
            wal = 0
            if case_id in with_wal:
                with suppress(FileNotFoundError):
                    wal = os.stat(f"{entry.path}-wal").st_size
            if known.get(case_id) != (stat.st_mtime_ns, stat.st_size, wal):
                stale.append(case_id)
        upgraded = self._case_files_to_upgrade()
        if upgraded:  # a newer Boussole's first start: every file is migrated and indexed
            stale = list(on_disk)
        vanished = [case_id for case_id in known if case_id not in on_disk]
        if vanished:  # a quarantined file stays listed, as damaged
            kept = quarantined_ids(self.root)
            vanished = [case_id for case_id in vanished if case_id not in kept]
        if vanished:
            from advisor_app.storage.indexer import remove_from_index

            with self.catalog.write() as catalog:
                for case_id in vanished:
                    remove_from_index(catalog, case_id)
        if not upgraded:
            yield from self._reindex(stale)
            return
        from advisor_app.storage.catalog_models import Setting

        with self.lock.exclusive(UPGRADE):  # every case file is migrated: alone
            yield from self._reindex(stale)
            with self.catalog.write() as catalog:
                catalog.merge(Setting(key=CASE_SCHEMA_SETTING, value=str(SCHEMA_VERSION)))

    def _case_files_to_upgrade(self) -> bool:
        """Whether the case files were last indexed by a Boussole with an older case-file
        format (a workspace that predates the setting was written in format 1)."""
        recorded = self.catalog.setting(CASE_SCHEMA_SETTING)
        return int(recorded or 1) < SCHEMA_VERSION

    def rebuild_index(self) -> Iterator[Progress]:
        """Throw the catalog's derived tables away and read every case file again (alone:
        no other window saves meanwhile)."""
        with self.lock.exclusive(REBUILD), self.catalog.refilling() as catalog:
            yield from self._reindex(sorted(self.case_ids_on_disk()), fresh=True, into=catalog)

    def _sweep_unfinished_creations(self, older_than_s: float = 3600) -> None:
        """Remove the temporary files of case creations that a crash interrupted (a case
        file is only put in place once complete, so these hold nothing that was saved)."""
        limit = time.time() - older_than_s
        for entry in os.scandir(self.cases_dir):
            if entry.name.startswith(".") and f"{CASE_SUFFIX}.new" in entry.name:
                with suppress(OSError):
                    if entry.stat().st_mtime < limit:
                        os.unlink(entry.path)
        # reports printed for a package that a crash left unfinished: they name the person
        for entry in os.scandir(self.outbox_dir):
            if entry.name.startswith(".reports-") and entry.is_dir(follow_symlinks=False):
                with suppress(OSError):
                    if entry.stat().st_mtime < limit:
                        shutil.rmtree(entry.path)

    def reindex_case(self, case_id: str) -> None:
        for _step in self._reindex([case_id]):
            pass

    def _reindex(
        self,
        case_ids: list[str],
        batch: int = 200,
        *,
        fresh: bool = False,
        into: Session | None = None,
    ) -> Iterator[Progress]:
        """Index `case_ids` again; `fresh` when the catalog holds nothing of them yet. Each
        batch is written in a catalog transaction of its own, or `into` the one given."""
        total = len(case_ids)
        yield Progress(0, total)
        if not total:
            return  # nothing to read: the models are not even loaded
        from advisor_app.storage.indexer import read_sound_case_file, write_index_batch

        for start in range(0, total, batch):
            sound: list[tuple[IndexData, tuple[int, int, int]]] = []
            other: list[str] = []
            with self.lock.shared():  # read before the catalog is written
                for case_id in case_ids[start : start + batch]:
                    path = self.case_path(case_id)
                    data = read_sound_case_file(path, self.key, APPLICATION_ID, SCHEMA_VERSION)
                    if data is not None and data.case_id == case_id:
                        sound.append((data, file_signature(path)))
                    else:  # to migrate, or to say what is wrong with it
                        other.append(case_id)
            with nullcontext(into) if into is not None else self.catalog.write() as catalog:
                write_index_batch(catalog, sound, replace=not fresh)
                for case_id in other:
                    self._index_one(catalog, case_id, fresh=fresh)
            yield Progress(min(start + batch, total), total)

    def _index_one(self, catalog: Session, case_id: str, *, fresh: bool = False) -> None:
        """Index one case file; only a file found damaged goes to the quarantine (a key
        problem, a busy workspace, a full disk, a read-only folder or an I/O error is
        raised: it says nothing about the file, which stays where it is)."""
        from advisor_app.storage.casefile import DamagedCaseFileError, open_case_file, quick_check
        from advisor_app.storage.indexer import mark_damaged, read_index_data, write_index_data

        path = self.case_path(case_id)
        try:
            case = open_case_file(path, self.key, self.backups_dir / "migrations")
            try:
                with case.read() as session:
                    data = read_index_data(session)
            finally:
                case.close()
            if data.case_id != case_id:
                raise DamagedCaseFileError(
                    N_("The case file {name} holds another case ({other})."),
                    name=path.name,
                    other=data.case_id,
                )
        except (KeyUnavailableError, WorkspaceBusyError, StorageError):
            raise
        except CaseFileError as error:
            if isinstance(error, DamagedCaseFileError):
                self.quarantine(catalog, case_id, error)
            else:
                mark_damaged(catalog, case_id, _error_text(error), _signature_or_none(path))
            return
        except Exception as error:  # a file SQLite opens but whose content is not as expected
            problem = disk_problem(error, path)
            if problem is not None:
                raise problem from error
            damage = CaseFileError(
                N_("The case file {name} is damaged ({reason})."),
                N_("Restore it from a backup."),
                name=path.name,
                reason=str(error),
            )
            confirmed = quick_check(path, self.key)
            if isinstance(confirmed, DamagedCaseFileError):
                self.quarantine(catalog, case_id, confirmed)
            else:
                mark_damaged(catalog, case_id, _error_text(damage), _signature_or_none(path))
            return
        write_index_data(catalog, data, file_signature(path), replace=not fresh)

    def quarantine(self, catalog: Session, case_id: str, error: CaseFileError) -> Path | None:
        """Move a damaged case file into `quarantine/` and keep it listed as damaged."""
        from advisor_app.storage.indexer import mark_damaged

        self.key.check()  # a locked workspace moves nothing
        path = self.case_path(case_id)
        moved = quarantine_file(self.root, path, case_id) if path.exists() else None
        mark_damaged(catalog, case_id, _error_text(error), None)
        self.audit(catalog, "quarantined", case_id)
        return moved


def _check_own_id(session: Session, case: CaseFile) -> None:
    """A case file must hold the case its name says: a copy renamed by hand would otherwise
    be shown, and written, under another person's number."""
    from sqlalchemy import select

    from advisor_app.storage.case_models import CaseInfo
    from advisor_app.storage.casefile import DamagedCaseFileError

    own = session.scalars(select(CaseInfo.id)).one_or_none()
    if own != case.path.name[: -len(CASE_SUFFIX)]:
        raise DamagedCaseFileError(
            N_("The case file {name} holds another case ({other})."),
            N_("Move it out of the cases folder, or restore it from a backup."),
            name=case.path.name,
            other=shown_id(str(own)),
        )


def _signature_or_none(path: Path) -> tuple[int, int, int] | None:

    try:
        return file_signature(path)
    except OSError:
        return None


def _error_text(error: CaseFileError) -> str:
    """The error as JSON (message id and parameters), so that it is shown translated later."""
    return json.dumps({"message": error.message, "hint": error.hint, "params": error.params})
