"""When the disk or the folder refuses a read or a write: a full disk, a read-only folder, a
denied permission, an I/O error. None of them says anything about a file's content, so none
of them ever sends a file to the quarantine: each gets its own sentence and leaves the files
where they are.

`disk_kind` reads what kind of refusal an error is, from an OSError's errno or a SQLite
error's code (`sqlite_errorcode`, which sqlite3 and sqlcipher3 give their errors, reached
through SQLAlchemy's `orig` when wrapped); the storage layer turns it into an error with the
folder it concerns (`storage/disk.py`).
"""

from __future__ import annotations

import errno
from enum import Enum

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_


class DiskKind(Enum):
    FULL = "full"
    READ_ONLY = "read_only"  # a read-only file system (or a file SQLite may only read)
    DENIED = "denied"  # permission denied
    IO = "io"  # the disk, or the network share, reported an error
    CANNOT_OPEN = "cannot_open"  # SQLite could not open a file: the folder decides why


class StorageError(AdvisorError):
    """The disk or the folder refused a read or a write: never damage, never quarantined."""


class DiskFullError(StorageError):
    """No room left on the disk (ENOSPC, SQLITE_FULL)."""

    def __init__(self, folder: str) -> None:
        super().__init__(
            N_("The disk is full: free some space, nothing was changed."),
            N_("It is the disk that holds {folder}; try again once there is room."),
            folder=folder,
        )


class ReadOnlyError(StorageError):
    """The folder cannot be written (EROFS, EACCES, EPERM, SQLITE_READONLY)."""

    def __init__(self, folder: str, *, denied: bool = False) -> None:
        if denied:
            super().__init__(
                N_("Boussole is not allowed to write in {folder}: nothing was changed."),
                N_("Give your user the right to write there, or choose another folder."),
                folder=folder,
            )
        else:
            super().__init__(
                N_("The workspace folder is read-only: nothing was changed."),
                N_("Make {folder} writable (or copy the workspace to a folder you can write to)."),
                folder=folder,
            )


class DiskIOError(StorageError):
    """The disk reported an error (EIO, SQLITE_IOERR) while the file itself may be sound."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(
            N_(
                "The disk reported an error with {name} ({reason}): nothing was changed, and "
                "the file was left in place."
            ),
            N_("Check the disk or the network share, then try again."),
            name=name,
            reason=reason,
        )


_ERRNO_KINDS = {
    errno.ENOSPC: DiskKind.FULL,
    getattr(errno, "EDQUOT", errno.ENOSPC): DiskKind.FULL,
    errno.EROFS: DiskKind.READ_ONLY,
    errno.EACCES: DiskKind.DENIED,
    errno.EPERM: DiskKind.DENIED,
    errno.EIO: DiskKind.IO,
}

# SQLite's primary result codes (the low byte of an extended code)
SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT = 3, 8, 10, 11
SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_AUTH, SQLITE_NOTADB = 13, 14, 23, 26
_SQLITE_KINDS = {
    SQLITE_FULL: DiskKind.FULL,
    SQLITE_READONLY: DiskKind.READ_ONLY,
    SQLITE_PERM: DiskKind.DENIED,
    SQLITE_AUTH: DiskKind.DENIED,
    SQLITE_IOERR: DiskKind.IO,
    SQLITE_CANTOPEN: DiskKind.CANNOT_OPEN,
}


def sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code of a database error (wrapped by SQLAlchemy or not)."""
    for candidate in (error, getattr(error, "orig", None)):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    return None


def is_damage(error: BaseException) -> bool:
    """Whether a database error says the file itself is damaged or not a database."""
    code = sqlite_code(error)
    if code is not None:
        return code in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(error).lower()
    return "malformed" in text or "not a database" in text


def disk_kind(error: BaseException) -> DiskKind | None:
    """The kind of disk refusal `error` is, or None when it is something else (damage, a
    busy file, a bug)."""
    if isinstance(error, OSError) and error.errno is not None:
        return _ERRNO_KINDS.get(error.errno)
    code = sqlite_code(error)
    if code is not None:
        return _SQLITE_KINDS.get(code)
    return None
