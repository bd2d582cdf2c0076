"""Backups of a workspace: folders of copies made with SQLite's online backup API.

A backup is a folder `backups/<YYYYmmdd-HHMMSS>-<kind>/` holding `manifest.json`, a copy of
the catalog's state (`workspace-state.sqlite`: partners, outbox queue, settings, audit log;
backups made before catalog version 5 hold the whole `workspace.sqlite` instead), a copy of
`encryption.json` in an encrypted workspace, and `cases/<case id>.case`. The catalog's index
is not copied: it is rebuilt from the case files. It is written under a hidden `.partial` name and
renamed when complete, so a backup folder is whole or absent. A case file unchanged since
the previous backup (same signature) is hard-linked to the previous copy instead of being
copied again: backups are never modified in place, so the link is as good as a copy.

In an encrypted workspace the copies are encrypted with the same key (the backup API works
between two databases keyed alike).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from advisor_app.domain.errors import AdvisorError, NotFoundError
from advisor_app.domain.messages import N_
from advisor_app.storage.disk import disk_problem
from advisor_app.storage.key_description import ENCRYPTION_FILE
from advisor_app.storage.layout import (
    CASE_SUFFIX,
    CATALOG_NAME,
    DERIVED_TABLES,
    STATE_NAME,
    file_signature,
)
from advisor_app.storage.owner_only import write_owner_only
from advisor_app.storage.sqlite_engine import (
    DATABASE_ERRORS,
    WorkspaceKey,
    online_backup,
    raw_connect,
)

MANIFEST = "manifest.json"
PARTIAL = ".partial"
# A `.partial` folder in which nothing was written for this long was left by a backup that
# stopped (a process killed, a laptop switched off); a younger one is being written.
PARTIAL_STALE_S = 3600
_STAMP = "%Y%m%d-%H%M%S"
# Backups that are not part of the rolling set (copies made before a migration).
IGNORED_FOLDERS = frozenset({"migrations"})
# Copies of single case files made before a migration or an import updated a case.
COPY_FOLDERS = ("migrations", "imports")


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    created_at: datetime
    kind: str
    case_ids: tuple[str, ...]
    skipped: tuple[str, ...] = ()

    def case_path(self, case_id: str) -> Path:
        return self.path / "cases" / f"{case_id}{CASE_SUFFIX}"

    def holds(self, case_id: str) -> bool:
        return case_id in self.case_ids and self.case_path(case_id).exists()

    @property
    def catalog_path(self) -> Path:
        return self.path / CATALOG_NAME

    @property
    def state_source(self) -> Path | None:
        """The file holding the backup's partners, outbox queue and settings: its state
        file, or the whole catalog of a backup made before the state had its own."""
        for path in (self.path / STATE_NAME, self.catalog_path):
            if path.exists():
                return path
        return None


@dataclass(frozen=True)
class BackupProgress:
    done: int
    total: int


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Complete backups, newest first."""
    if not backups_dir.is_dir():
        return []
    found: list[BackupInfo] = []
    for entry in backups_dir.iterdir():
        if entry.name.startswith(".") or entry.name in IGNORED_FOLDERS or not entry.is_dir():
            continue
        info = read_manifest(entry)
        if info is not None:
            found.append(info)
    found.sort(key=lambda b: (b.created_at, b.name), reverse=True)
    return found


def read_manifest(folder: Path) -> BackupInfo | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return BackupInfo(
            name=folder.name,
            path=folder,
            created_at=datetime.fromisoformat(data["created_at"]),
            kind=str(data.get("kind", "manual")),
            case_ids=tuple(sorted(data.get("cases", {}))),
            skipped=tuple(data.get("skipped", [])),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def find_backup(backups_dir: Path, name: str) -> BackupInfo:
    """A backup by its folder name (or a path to it)."""
    candidate = Path(name)
    folder = candidate if candidate.is_dir() else backups_dir / candidate.name
    info = read_manifest(folder) if folder.is_dir() else None
    if info is None:
        raise NotFoundError(
            N_("There is no backup {name}."),
            N_("The command backups lists them."),
            name=name,
        )
    return info


def _left_unfinished(partial: Path) -> bool:
    """Whether a `.partial` folder was left by a backup that stopped (nothing written in it
    for PARTIAL_STALE_S, by the system's clock as its files are), rather than one another
    process is writing now."""
    try:
        written = max(partial.stat().st_mtime, (partial / "cases").stat().st_mtime)
    except FileNotFoundError:
        return True  # begun and stopped before its cases folder
    except OSError:
        return False
    return time.time() - written > PARTIAL_STALE_S


def create_backup(
    root: Path, kind: str, now: datetime, *, key: WorkspaceKey
) -> Iterator[BackupProgress | BackupInfo]:
    """Back the workspace up (`key` is the open workspace's); yields progress, then the new
    backup's description."""
    backups_dir = root / "backups"
    backups_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for stale in backups_dir.glob(f".*{PARTIAL}"):
        if _left_unfinished(stale):
            shutil.rmtree(stale, ignore_errors=True)
    name = f"{now.strftime(_STAMP)}-{kind}"
    counter = 1
    while (backups_dir / name).exists() or (backups_dir / f".{name}{PARTIAL}").exists():
        name = f"{now.strftime(_STAMP)}-{kind}-{counter}"
        counter += 1
    partial = backups_dir / f".{name}{PARTIAL}"
    partial.mkdir(mode=0o700)  # copies of personal data: their owner's only
    try:
        yield from _fill(root, partial, name, kind, now, key=key)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # a backup that stopped leaves no half
        raise


def _fill(
    root: Path, partial: Path, name: str, kind: str, now: datetime, *, key: WorkspaceKey
) -> Iterator[BackupProgress | BackupInfo]:
    """Copy the workspace into `partial`, then put it in place as the backup `name`."""
    backups_dir = partial.parent
    (partial / "cases").mkdir(mode=0o700)
    previous = _previous_signatures(backups_dir)
    cases_dir = root / "cases"
    case_files = sorted(
        entry.name[: -len(CASE_SUFFIX)]
        for entry in os.scandir(cases_dir)
        if entry.name.endswith(CASE_SUFFIX) and not entry.name.startswith(".")
    )
    total = len(case_files) + 1
    yield BackupProgress(0, total)
    online_backup(root / STATE_NAME, partial / STATE_NAME, key=key)
    if (root / ENCRYPTION_FILE).exists():  # salt and verifier: no key can be made from them
        shutil.copyfile(root / ENCRYPTION_FILE, partial / ENCRYPTION_FILE)
    signatures: dict[str, list[int]] = {}
    skipped: list[str] = []
    for number, case_id in enumerate(case_files, start=2):
        source = cases_dir / f"{case_id}{CASE_SUFFIX}"
        target = partial / "cases" / source.name
        signature = _copy_case(source, target, previous.get(case_id), key)
        if signature is None:  # damaged or unreadable: not in this backup
            skipped.append(case_id)
        else:
            signatures[case_id] = signature
        if number % 50 == 0:
            yield BackupProgress(number, total)
    _drop_journals(partial / STATE_NAME)
    manifest = {
        "format": 1,
        "created_at": now.isoformat(),
        "kind": kind,
        "cases": signatures,
        "skipped": skipped,
    }
    write_owner_only(partial / MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"))
    _fsync_tree(partial)
    final = backups_dir / name
    os.replace(partial, final)
    yield BackupProgress(total, total)
    info = read_manifest(final)
    assert info is not None
    yield info


def _copy_case(
    source: Path, target: Path, earlier: tuple[list[int], Path] | None, key: WorkspaceKey
) -> list[int] | None:
    """Copy one case file into a backup (or link its unchanged previous copy)."""
    try:
        signature = list(file_signature(source))
        if earlier is None or earlier[0] != signature or not _link(earlier[1], target):
            online_backup(source, target, key=key)
            _drop_journals(target)
        return signature
    except OSError:
        pass
    except DATABASE_ERRORS:
        pass
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return None


def _previous_signatures(backups_dir: Path) -> dict[str, tuple[list[int], Path]]:
    """For each case, its signature and copy in the newest backup that holds it."""
    found: dict[str, tuple[list[int], Path]] = {}
    for backup in list_backups(backups_dir):
        try:
            data = json.loads((backup.path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for case_id, signature in data.get("cases", {}).items():
            if case_id not in found:
                found[case_id] = (list(signature), backup.case_path(case_id))
    return found


def _link(existing: Path, target: Path) -> bool:
    if not existing.exists() or Path(f"{existing}-wal").exists():
        return False
    try:
        os.link(existing, target)
    except OSError:
        return False
    return True


def _drop_journals(path: Path) -> None:
    """A copy is closed: make sure no -wal/-shm is left beside it."""
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


def backups_to_prune(
    backups: list[BackupInfo], keep_daily: int, keep_weekly: int, now: datetime
) -> list[BackupInfo]:
    """Which backups go: kept are the newest of each of the last `keep_daily` days that have
    one, the newest of each of the last `keep_weekly` weeks, and all of the last 24 hours."""
    keep: set[str] = set()
    days: set[object] = set()
    weeks: set[object] = set()
    for backup in sorted(backups, key=lambda b: (b.created_at, b.name), reverse=True):
        day = backup.created_at.date()
        week = backup.created_at.isocalendar()[:2]
        if backup.created_at >= now - timedelta(hours=24):
            keep.add(backup.name)
        if day not in days and len(days) < keep_daily:
            days.add(day)
            keep.add(backup.name)
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.add(week)
            keep.add(backup.name)
    return [b for b in backups if b.name not in keep]


def delete_backup(backup: BackupInfo) -> None:
    shutil.rmtree(backup.path, ignore_errors=True)


# -- restoring ---------------------------------------------------------------------------


def restore_case_file(backup: BackupInfo, case_id: str, live: Path, *, key: WorkspaceKey) -> None:
    """Put the backup's copy of a case in place of the live file (which may be missing).

    A live file that opens is overwritten through the backup API (one transaction, safe for
    readers); otherwise the copy is written beside it and renamed over it.
    """
    source = backup.case_path(case_id)
    if not backup.holds(case_id):
        raise NotFoundError(
            N_("The backup {name} does not hold the case {case_id}."),
            name=backup.name,
            case_id=case_id,
        )
    if live.exists():
        try:
            online_backup(source, live, key=key)
            return
        except DATABASE_ERRORS:
            pass
    temporary = live.with_name(f".{live.name}.restore")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    try:  # a copy of the case beside the live file: gone if anything fails
        online_backup(source, temporary, key=key)
        _drop_journals(temporary)
        _drop_journals(live)
        os.replace(temporary, live)
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
        raise


def restore_state(backup: BackupInfo, root: Path, *, key: WorkspaceKey) -> None:
    """Bring back the partners, outbox entries, settings, audit lines and journal lines the
    backup holds and the workspace lacks; what the workspace holds now is kept as it is. A
    recorded loss of the state is forgotten when the backup's state has none (it was made
    before the loss)."""
    source = backup.state_source
    if source is None:
        raise NotFoundError(
            N_("The backup {name} does not hold the partners, outbox queue and settings."),
            N_("Choose another backup: the command backups lists them."),
            name=backup.name,
        )
    copy = root / f".{STATE_NAME}.restore"
    try:
        from advisor_app.storage.catalog_migrations import state_at_current_version

        state_at_current_version(source, copy, key=key)
    except DATABASE_ERRORS as error:
        key.check()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        problem = disk_problem(error, copy)
        if problem is not None:
            raise problem from error
        raise AdvisorError(
            N_(
                "The backup {name} holds a copy of the partners, outbox queue and settings "
                "that cannot be read ({reason})."
            ),
            N_("Choose another backup: the command backups lists them."),
            name=backup.name,
            reason=str(error),
        ) from error
    connection = raw_connect(root / STATE_NAME, key=key)
    try:
        text = key.text()
        connection.execute(  # keyed alike (SQLCipher takes the raw key as it is)
            "ATTACH DATABASE ? AS restored KEY ?" if text else "ATTACH DATABASE ? AS restored",
            (str(copy), text) if text else (str(copy),),
        )
        connection.execute("BEGIN IMMEDIATE")
        for table in ("setting", "partner", "outbox"):  # by their keys
            listed = ", ".join(f'"{c}"' for c in _columns(connection, table))
            connection.execute(
                f"INSERT OR IGNORE INTO main.{table} ({listed}) "
                f"SELECT {listed} FROM restored.{table}"
            )
        for table in ("audit_log", "send_journal"):  # lines not there yet, in their order
            columns = [c for c in _columns(connection, table) if c != "id"]
            listed = ", ".join(f'"{c}"' for c in columns)
            same = " AND ".join(f'm."{c}" IS r."{c}"' for c in columns)
            connection.execute(
                f"INSERT INTO main.{table} ({listed}) SELECT {listed} FROM restored.{table} r "
                f"WHERE NOT EXISTS (SELECT 1 FROM main.{table} m WHERE {same}) ORDER BY r.id"
            )
        if connection.execute("SELECT count(*) FROM restored.state_loss").fetchone()[0] == 0:
            connection.execute("DELETE FROM main.state_loss")
        connection.execute("COMMIT")
        connection.execute("DETACH DATABASE restored")
    finally:
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)


def _columns(connection: Any, table: str) -> list[str]:
    return [str(row[1]) for row in connection.execute(f"PRAGMA main.table_info({table})")]


def state_is_whole(backup: BackupInfo, *, key: WorkspaceKey) -> bool:
    """Whether the backup holds a readable state that records no loss: made before the
    state was lost, it can bring it back."""
    source = backup.state_source
    if source is None:
        return False
    try:
        connection = raw_connect(source, key=key)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if "state_loss" not in tables:  # a catalog from before the state had its file
                return "setting" in tables
            return bool(connection.execute("SELECT count(*) FROM state_loss").fetchone()[0] == 0)
        finally:
            connection.close()
    except DATABASE_ERRORS:
        return False


# -- erasure -----------------------------------------------------------------------------


def scrub_catalog(path: Path, case_id: str, *, key: WorkspaceKey) -> None:
    """Remove every derived row of a case from a catalog file and rewrite the file, so that
    no page, free page, full-text segment or WAL frame keeps a trace of it."""
    connection = raw_connect(path, key=key)
    try:
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("BEGIN IMMEDIATE")
        present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        for table in (*DERIVED_TABLES, "outbox", "import_item"):  # its packages, its imports
            if table not in present:  # a state file, or a catalog missing a table
                continue
            if table == "search_index":
                connection.execute("DELETE FROM search_index WHERE case_id = ?", (case_id,))
            else:
                connection.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
        connection.execute("COMMIT")
        compact(connection)
    finally:
        connection.close()
    _drop_journals(path)


def compact(connection: Any) -> None:
    """Merge the full-text index, rewrite the whole file and empty the WAL."""
    has_fts = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'search_index'"
    ).fetchone()
    if has_fts:
        connection.execute("INSERT INTO search_index(search_index) VALUES('optimize')")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("VACUUM")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def purge_case_from_backups(backups_dir: Path, case_id: str, *, key: WorkspaceKey) -> int:
    """Remove a case from every backup; returns how many backups held it.

    Every backup folder is reached, listed or not (one whose manifest is unreadable too):
    its copy of the case, its catalog rows and its manifest's entry. The `.partial` folder
    of an interrupted backup is deleted whole (nothing is ever restored from it), and so are
    the copies made before a migration or an import. Each step can be run again: an
    interrupted erasure is finished by running it once more."""
    if not backups_dir.is_dir():
        return 0
    touched = 0
    for folder in sorted(backups_dir.iterdir()):
        if not folder.is_dir() or folder.name in COPY_FOLDERS:
            continue
        if folder.name.endswith(PARTIAL):
            shutil.rmtree(folder)
            continue
        touched += _purge_backup(folder, case_id, key)
    for name in COPY_FOLDERS:
        if (backups_dir / name).is_dir():
            for copy in (backups_dir / name).glob(f"{case_id}.*"):
                copy.unlink()
    return touched


def _purge_backup(folder: Path, case_id: str, key: WorkspaceKey) -> bool:
    held = False
    for suffix in ("", "-wal", "-shm"):
        copy = folder / "cases" / f"{case_id}{CASE_SUFFIX}{suffix}"
        if copy.exists():
            copy.unlink()
            held = True
    for name in (CATALOG_NAME, STATE_NAME):
        catalog = folder / name
        if not catalog.exists():
            continue
        # rewrite a private copy and put it in place: the file may be linked elsewhere
        rewritten = catalog.with_name(f".{catalog.name}.scrub")
        for suffix in ("", "-wal", "-shm"):  # left by an interrupted erasure
            Path(f"{rewritten}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(catalog, rewritten)
        try:
            scrub_catalog(rewritten, case_id, key=key)
            os.replace(rewritten, catalog)
        except DATABASE_ERRORS:
            rewritten.unlink(missing_ok=True)
            if name == CATALOG_NAME:
                catalog.unlink()  # an unreadable copy that may name the person
            # an unreadable state names no one (partners, settings, ids): kept for restore
    manifest_path = folder / MANIFEST
    try:
        text = manifest_path.read_text(encoding="utf-8")
    except OSError:
        return held
    try:
        data = json.loads(text)
        listed = case_id in data.get("cases", {}) or case_id in data.get("skipped", [])
    except (ValueError, AttributeError, TypeError):
        if case_id in text:  # unreadable, so never listed nor restored from: it goes
            manifest_path.unlink()
            held = True
        return held
    if listed:
        data.get("cases", {}).pop(case_id, None)
        data["skipped"] = [other for other in data.get("skipped", []) if other != case_id]
        write_owner_only(manifest_path, json.dumps(data, indent=1).encode("utf-8"))
        held = True
    return held
