"""`encryption.json`, the description of an encrypted workspace's key, and its copies.

The description (salt, rounds, verifier) is the only way from the passphrase to the key:
lost, it leaves every file of the workspace unreadable. It holds nothing secret (no key can
be made from it without the passphrase), so every backup keeps a copy of it
(`backups/<name>/encryption.json`), which a re-keying brings up to date with the backups'
files and a decryption removes. When the workspace's own is missing or damaged, a copy that
the passphrase matches and whose key opens the workspace's files is put back
(storage/encryption.py `_checked_key`); the damaged one is set aside in `damaged/`.

A workspace whose description is missing is still recognised as encrypted (so that the
window and the command line ask for the passphrase rather than taking its files for damaged
ones): none of its SQLite files reads as plain SQLite.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from advisor_app.storage.sqlite_engine import DATABASE_ERRORS, SQLITE_MAGIC, keyed_connect

ENCRYPTION_FILE = "encryption.json"
_CATALOG_FILES = ("workspace-state.sqlite", "workspace.sqlite")
_NOT_BACKUPS = frozenset({"migrations", "imports"})


def _databases(root: Path, limit: int = 8) -> Iterator[Path]:
    """A few SQLite files of the workspace: the catalog's, then some case files (the
    folder of cases, 10,000 of them, listed only when the catalog's did not answer)."""
    found = [root / name for name in _CATALOG_FILES if (root / name).is_file()]
    yield from found
    cases = root / "cases"
    if cases.is_dir():
        count = len(found)
        for entry in sorted(os.scandir(cases), key=lambda e: e.name):
            if count >= limit:
                break
            named = entry.name.endswith(".case") and not entry.name.startswith(".")
            if named and entry.is_file():
                count += 1
                yield Path(entry.path)


def looks_encrypted(root: Path) -> bool:
    """Whether a workspace with no description holds encrypted files: some of its SQLite
    files exist, and none of them is plain SQLite."""
    seen = False
    for path in _databases(root):
        try:
            with path.open("rb") as handle:
                header = handle.read(16)
        except OSError:
            continue
        if len(header) < 16:
            continue
        if header == SQLITE_MAGIC:
            return False
        seen = True
    return seen


def backup_folders(root: Path) -> list[Path]:
    """The backup folders (complete ones), newest first."""
    folder = root / "backups"
    if not folder.is_dir():
        return []
    return sorted(
        (
            entry
            for entry in folder.iterdir()
            if entry.is_dir() and not entry.name.startswith(".") and entry.name not in _NOT_BACKUPS
        ),
        key=lambda entry: entry.name,
        reverse=True,
    )


def description_copies(root: Path) -> list[Path]:
    """The copies of the description kept in the backups, newest first."""
    return [
        folder / ENCRYPTION_FILE
        for folder in backup_folders(root)
        if (folder / ENCRYPTION_FILE).is_file()
    ]


def key_opens_workspace(root: Path, key: str) -> bool:
    """Whether `key` (SQLCipher's raw key) reads the workspace's files."""
    for path in _databases(root, limit=3):
        connection = keyed_connect(path, key)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return True
        except DATABASE_ERRORS:
            continue
        finally:
            connection.close()
    return False


def put_copy_back(root: Path, copy: Path) -> None:
    """The workspace's description from a backup's copy; a damaged one is set aside."""
    live = root / ENCRYPTION_FILE
    if live.exists():
        folder = root / "damaged"
        folder.mkdir(mode=0o700, exist_ok=True)
        os.replace(live, folder / f"encryption-{datetime.now():%Y%m%d-%H%M%S}.json")
    temporary = root / f".{ENCRYPTION_FILE}.tmp"
    shutil.copyfile(copy, temporary)
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, live)


def follow_in_backups(root: Path) -> None:
    """After a re-keying: every backup keeps a copy of the workspace's description (its
    files are under the same key), or none when the workspace is no longer encrypted."""
    live = root / ENCRYPTION_FILE
    for folder in backup_folders(root):
        copy = folder / ENCRYPTION_FILE
        if live.exists():
            temporary = folder / f".{ENCRYPTION_FILE}.tmp"
            shutil.copyfile(live, temporary)
            os.replace(temporary, copy)
        else:
            copy.unlink(missing_ok=True)
