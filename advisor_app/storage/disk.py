"""What a failed read or write of a workspace file means: a full disk, a read-only folder, a
denied permission or an I/O error (domain/disk.py), told apart from damage.

SQLite reports a full disk as SQLITE_FULL when a write does not fit, but as an I/O error or
"unable to open database file" when it cannot even create the shared-memory file of a WAL
database; the folder is looked at then (room left, read-only, writable) to say which.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from advisor_app.domain.disk import (
    DiskFullError,
    DiskIOError,
    DiskKind,
    ReadOnlyError,
    StorageError,
    disk_kind,
)

# Less room than this left on the disk: an I/O error is taken for a full disk.
NEARLY_FULL_BYTES = 1 << 20


def disk_problem(error: BaseException, path: Path) -> StorageError | None:
    """The sentence for `error` met while reading or writing `path` when the disk or the
    folder refused; None when it is something else (damage, a busy file, a bug)."""
    if isinstance(error, StorageError):
        return error
    kind = disk_kind(error)
    if kind is None:
        return None
    folder = _existing_folder(path)
    if kind in (DiskKind.IO, DiskKind.CANNOT_OPEN):
        if nearly_full(folder):
            kind = DiskKind.FULL
        elif read_only(folder):
            kind = DiskKind.READ_ONLY
        elif not os.access(folder, os.W_OK):
            kind = DiskKind.DENIED
    shown = str(folder)
    if kind is DiskKind.FULL:
        return DiskFullError(shown)
    if kind is DiskKind.READ_ONLY:
        return ReadOnlyError(shown)
    if kind is DiskKind.DENIED:
        return ReadOnlyError(shown, denied=True)
    reason = getattr(error, "strerror", None) or str(getattr(error, "orig", None) or error)
    return DiskIOError(path.name or str(path), reason.splitlines()[0][:200])


def nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def read_only(folder: Path) -> bool:
    """Whether `folder` sits on a file system mounted read-only."""
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:  # Windows: a denied write says EACCES, which is enough
        return False
    try:
        return bool(statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))
    except OSError:
        return False


def _existing_folder(path: Path) -> Path:
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder
