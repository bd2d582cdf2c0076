"""Backups of a workspace: folders of copies made with SQLite's online backup API.

A backup is a folder `backups/<YYYYmmdd-HHMMSS>-<kind>/` holding `manifest.json`, a copy of
the catalog and `cases/<case id>.case`. It is written under a hidden `.partial` name and
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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from advisor_app.domain.errors import NotFoundError
from advisor_app.domain.messages import N_
from advisor_app.storage.casefile import CASE_SUFFIX, file_signature
from advisor_app.storage.catalog import CATALOG_NAME
from advisor_app.storage.catalog_models import DERIVED_TABLES
from advisor_app.storage.sqlite_engine import DATABASE_ERRORS, online_backup, raw_connect

MANIFEST = "manifest.json"
PARTIAL = ".partial"
_STAMP = "%Y%m%d-%H%M%S"
# Backups that are not part of the rolling set (copies made before a migration).
IGNORED_FOLDERS = frozenset({"migrations"})


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


def create_backup(root: Path, kind: str, now: datetime) -> Iterator[BackupProgress | BackupInfo]:
    """Back the workspace up; yields progress, then the new backup's description."""
    backups_dir = root / "backups"
    backups_dir.mkdir(parents=True, exist_ok=True)
    for stale in backups_dir.glob(f".*{PARTIAL}"):
        shutil.rmtree(stale, ignore_errors=True)
    name = f"{now.strftime(_STAMP)}-{kind}"
    counter = 1
    while (backups_dir / name).exists():
        name = f"{now.strftime(_STAMP)}-{kind}-{counter}"
        counter += 1
    partial = backups_dir / f".{name}{PARTIAL}"
    (partial / "cases").mkdir(parents=True)
    previous = _previous_signatures(backups_dir)
    cases_dir = root / "cases"
    case_files = sorted(
        entry.name[: -len(CASE_SUFFIX)]
        for entry in os.scandir(cases_dir)
        if entry.name.endswith(CASE_SUFFIX) and not entry.name.startswith(".")
    )
    total = len(case_files) + 1
    yield BackupProgress(0, total)
    online_backup(root / CATALOG_NAME, partial / CATALOG_NAME)
    signatures: dict[str, list[int]] = {}
    skipped: list[str] = []
    for number, case_id in enumerate(case_files, start=2):
        source = cases_dir / f"{case_id}{CASE_SUFFIX}"
        target = partial / "cases" / source.name
        signature = _copy_case(source, target, previous.get(case_id))
        if signature is None:  # damaged or unreadable: not in this backup
            skipped.append(case_id)
        else:
            signatures[case_id] = signature
        if number % 50 == 0:
            yield BackupProgress(number, total)
    _drop_journals(partial / CATALOG_NAME)
    manifest = {
        "format": 1,
        "created_at": now.isoformat(),
        "kind": kind,
        "cases": signatures,
        "skipped": skipped,
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    _fsync_tree(partial)
    final = backups_dir / name
    os.replace(partial, final)
    yield BackupProgress(total, total)
    info = read_manifest(final)
    assert info is not None
    yield info


def _copy_case(
    source: Path, target: Path, earlier: tuple[list[int], Path] | None
) -> list[int] | None:
    """Copy one case file into a backup (or link its unchanged previous copy)."""
    try:
        signature = list(file_signature(source))
        if earlier is None or earlier[0] != signature or not _link(earlier[1], target):
            online_backup(source, target)
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


def restore_case_file(backup: BackupInfo, case_id: str, live: Path) -> None:
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
            online_backup(source, live)
            return
        except DATABASE_ERRORS:
            pass
    temporary = live.with_name(f".{live.name}.restore")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    online_backup(source, temporary)
    _drop_journals(temporary)
    _drop_journals(live)
    os.replace(temporary, live)


# -- erasure -----------------------------------------------------------------------------


def scrub_catalog(path: Path, case_id: str) -> None:
    """Remove every derived row of a case from a catalog file and rewrite the file, so that
    no page, free page, full-text segment or WAL frame keeps a trace of it."""
    connection = raw_connect(path)
    try:
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("BEGIN IMMEDIATE")
        for table in DERIVED_TABLES:
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


def purge_case_from_backups(backups_dir: Path, case_id: str) -> int:
    """Remove a case from every backup (its copy, its catalog rows); returns how many held it."""
    touched = 0
    for backup in list_backups(backups_dir):
        held = False
        for suffix in ("", "-wal", "-shm"):
            copy = Path(f"{backup.case_path(case_id)}{suffix}")
            if copy.exists():
                copy.unlink()
                held = True
        catalog = backup.catalog_path
        if catalog.exists():
            # rewrite a private copy and put it in place: the file may be linked elsewhere
            rewritten = catalog.with_name(f".{catalog.name}.scrub")
            shutil.copyfile(catalog, rewritten)
            try:
                scrub_catalog(rewritten, case_id)
                os.replace(rewritten, catalog)
            except DATABASE_ERRORS:
                rewritten.unlink(missing_ok=True)
                catalog.unlink()  # an unreadable copy that may name the person
        manifest_path = backup.path / MANIFEST
        try:
            data = json.loads(manifest_path.read_text(encoding="utf-8"))
            if case_id in data.get("cases", {}):
                del data["cases"][case_id]
                held = True
                manifest_path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        except (OSError, ValueError):
            pass
        touched += held
    migrations = backups_dir / "migrations"
    if migrations.is_dir():
        for copy in migrations.glob(f"{case_id}.*"):
            copy.unlink()
    return touched
