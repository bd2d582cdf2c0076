"""Files and folders of a workspace are its owner's only: 0o600 files, 0o700 folders.

They hold personal data (case files, the catalog, backups, packages, the quarantine); no
other account of the computer may read them. Each is made so where it is first created,
rather than loosened by the process's umask and tightened afterwards.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

OWNER_ONLY = 0o600
OWNER_ONLY_FOLDER = 0o700


def owner_only_folder(folder: Path) -> Path:
    """Create `folder` (0o700) if it is missing. Missing parents get the default mode, as
    with `mkdir -p`: they are outside the workspace (the workspace folder itself is 0o700)."""
    folder.mkdir(mode=OWNER_ONLY_FOLDER, parents=True, exist_ok=True)
    return folder


def new_owner_only_file(path: Path) -> None:
    """Create `path` empty (0o600) if it is missing, so that SQLite, which keeps the mode of
    an existing file (and gives it to its -wal and -shm), never creates it readable by all."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY))


def tighten(path: Path) -> None:
    """Take group and other permissions away from an existing file (one written by an
    older version); a missing file is left alone."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    except OSError:
        pass


def unused_path(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/<stem><suffix>`, or `<stem>-1<suffix>`, `-2`… when taken: a copy never
    overwrites another made the same second."""
    path = folder / f"{stem}{suffix}"
    counter = 1
    while path.exists():
        path = folder / f"{stem}-{counter}{suffix}"
        counter += 1
    return path


def fsync_file(path: Path) -> None:
    """Make what was written to `path` reach the disk."""
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a file created, renamed or removed in `folder` reach the disk (where the system
    allows: a folder cannot be opened for that on Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_owner_only(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: through a hidden file of the same folder
    (0o600), which replaces `path` once complete and is removed if anything fails."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
