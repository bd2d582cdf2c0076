"""Encryption at rest: the workspace passphrase, its key, and re-keying every file safely.

The passphrase never leaves memory. `encryption.json` (plain, beside the catalog) holds the
salt, the number of PBKDF2 rounds and a verifier (a hash of the derived key) so that a wrong
passphrase is told apart from a damaged file before anything is opened. The derived key is
handed to SQLCipher as a raw key (`x'…'`), which spares its own key derivation at every
connection.

Re-keying (encrypting, changing the passphrase, decrypting) writes a re-keyed copy of every
SQLite file beside it (`<file>.rekey`) while a marker (`rekey.json`) says "copying"; then
the marker says "swapping" and each copy replaces its original. An interruption while
copying rolls back (the copies are deleted; the old passphrase still opens everything); an
interruption while swapping rolls forward (swapping needs no key). `resume_rekey` does
either and is called before a workspace is opened.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.storage.casefile import CASE_SUFFIX, file_signature
from advisor_app.storage.sqlite_engine import (
    DATABASE_ERRORS,
    key_for,
    keyed_connect,
    raw_connect,
    set_folder_key,
)

ENCRYPTION_FILE = "encryption.json"
REKEY_MARKER = "rekey.json"
REKEY_SUFFIX = ".rekey"
ITERATIONS = 256_000
_FORMAT = 1


class PassphraseError(AdvisorError):
    """The workspace is encrypted and the passphrase is missing or wrong."""


@dataclass(frozen=True)
class KeyParams:
    salt: str
    iterations: int
    verifier: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "kdf": "pbkdf2-hmac-sha256",
            "salt": self.salt,
            "iterations": self.iterations,
            "verifier": self.verifier,
        }


def _raw_key(passphrase: str, salt: str, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac(
        "sha256", passphrase.encode("utf-8"), bytes.fromhex(salt), iterations, dklen=32
    )


def _verifier(raw: bytes) -> str:
    return hashlib.sha256(b"boussole-verifier:" + raw).hexdigest()


def _sqlcipher_key(raw: bytes) -> str:
    return f"x'{raw.hex()}'"


def new_key(passphrase: str) -> tuple[KeyParams, str]:
    """Fresh parameters for a new passphrase, and the SQLCipher key they give."""
    check_passphrase(passphrase)
    salt = secrets.token_hex(16)
    raw = _raw_key(passphrase, salt, ITERATIONS)
    return KeyParams(salt, ITERATIONS, _verifier(raw)), _sqlcipher_key(raw)


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < 8:
        raise PassphraseError(
            N_("A passphrase needs at least 8 characters."),
            N_("Choose a sentence you will remember, several words long."),
        )


def read_params(root: Path) -> KeyParams | None:
    path = root / ENCRYPTION_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise AdvisorError(
            N_("The encryption settings of the workspace cannot be read ({reason})."),
            N_("Restore {name} from a copy of the workspace."),
            reason=str(error),
            name=ENCRYPTION_FILE,
        ) from error
    return KeyParams(str(data["salt"]), int(data["iterations"]), str(data["verifier"]))


def is_encrypted(root: Path) -> bool:
    return (root / ENCRYPTION_FILE).exists()


def is_unlocked(root: Path) -> bool:
    return key_for(root / "workspace.sqlite") is not None


def key_from_passphrase(root: Path, passphrase: str) -> str:
    """The workspace's key, or PassphraseError when the passphrase is not the right one."""
    params = read_params(root)
    if params is None:
        raise PassphraseError(
            N_("This workspace is not encrypted."),
            N_("Use the encrypt command to protect it with a passphrase."),
        )
    raw = _raw_key(passphrase, params.salt, params.iterations)
    if not secrets.compare_digest(_verifier(raw), params.verifier):
        raise PassphraseError(
            N_("This passphrase does not open the workspace."),
            N_("Check the keyboard layout and caps lock, then type it again."),
        )
    return _sqlcipher_key(raw)


def unlock(root: Path, passphrase: str | None) -> None:
    """Make the workspace's files readable in this process (before opening it).

    A new folder with a passphrase becomes an encrypted workspace; an existing plain one
    refuses a passphrase; an encrypted one needs it (unless already unlocked).
    """
    resume_rekey(root)
    if not is_encrypted(root):
        if passphrase is None:
            return
        if (root / "workspace.sqlite").exists():
            raise PassphraseError(
                N_("This workspace is not encrypted."),
                N_("Use the encrypt command to protect it with a passphrase."),
            )
        params, key = new_key(passphrase)
        root.mkdir(parents=True, exist_ok=True)
        _write_json(root / ENCRYPTION_FILE, params.as_dict())
        set_folder_key(root, key)
        return
    if passphrase is None:
        if is_unlocked(root):
            return
        raise PassphraseError(
            N_("This workspace is encrypted: its passphrase is needed."),
            N_("Give it with --passphrase-file, or type it when asked."),
        )
    set_folder_key(root, key_from_passphrase(root, passphrase))


def lock(root: Path) -> None:
    """Forget the key: the files cannot be opened again until `unlock`."""
    set_folder_key(root, None)


# -- re-keying ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RekeyProgress:
    done: int
    total: int


def database_files(root: Path) -> list[Path]:
    """Every SQLite file of the workspace: catalog, case files, backups, moved-aside copies."""
    files: list[Path] = []
    catalog = root / "workspace.sqlite"
    if catalog.exists():
        files.append(catalog)
    files += sorted((root / "cases").glob("*.case"))
    for folder in ("backups", "quarantine", "damaged"):
        base = root / folder
        if base.is_dir():
            files += sorted(
                p
                for p in base.rglob("*")
                if p.is_file() and (p.suffix in (".case", ".sqlite")) and ".partial" not in str(p)
            )
    return files


def rekey(root: Path, new_passphrase: str | None) -> Iterator[RekeyProgress]:
    """Re-key every file from the current key (none if plain) to `new_passphrase`
    (None decrypts). The workspace must be unlocked and not in use by another process."""
    resume_rekey(root)
    old_key = key_for(root / "workspace.sqlite")
    if is_encrypted(root) and old_key is None:
        raise PassphraseError(
            N_("This workspace is encrypted: its passphrase is needed."),
            N_("Give it with --passphrase-file, or type it when asked."),
        )
    new_params: KeyParams | None = None
    new_key_text: str | None = None
    if new_passphrase is not None:
        new_params, new_key_text = new_key(new_passphrase)
    files = database_files(root)
    signatures_before = _case_signatures(root)
    marker = root / REKEY_MARKER
    relative = [str(p.relative_to(root)) for p in files]
    _write_json(
        marker, {"state": "copying", "files": relative, "encrypted": new_params is not None}
    )
    done: list[str] = []
    total = len(files)
    yield RekeyProgress(0, total)
    for number, path in enumerate(files, start=1):
        try:
            copy_rekeyed(path, Path(f"{path}{REKEY_SUFFIX}"), old_key, new_key_text)
            done.append(str(path.relative_to(root)))
        except DATABASE_ERRORS as error:
            Path(f"{path}{REKEY_SUFFIX}").unlink(missing_ok=True)
            if path.relative_to(root).parts[0] in ("quarantine", "damaged"):
                continue  # a damaged file cannot be re-keyed; it stays as it is
            resume_rekey(root)  # nothing was swapped yet: roll back
            raise AdvisorError(
                N_("The file {name} could not be re-keyed ({reason}); nothing was changed."),
                N_("Run check, restore or remove the damaged file, then try again."),
                name=str(path.relative_to(root)),
                reason=str(error),
            ) from error
        yield RekeyProgress(number, total)
    if new_params is not None:
        _write_json(root / f"{ENCRYPTION_FILE}.new", new_params.as_dict())
    _write_json(marker, {"state": "swapping", "files": done, "encrypted": new_params is not None})
    _swap(root)
    set_folder_key(root, new_key_text)
    _carry_signatures(root, signatures_before)


def _case_signatures(root: Path) -> dict[str, tuple[int, int, int]]:
    signatures = {}
    for path in (root / "cases").glob(f"*{CASE_SUFFIX}"):
        signatures[path.stem] = file_signature(path)
    return signatures


def _carry_signatures(root: Path, before: dict[str, tuple[int, int, int]]) -> None:
    """Re-keying rewrites every case file with the same content: where the catalog was up to
    date with a file before, record the new file's signature, so that the next open does not
    read all of them again (two minutes on 10,000 cases)."""
    catalog = root / "workspace.sqlite"
    if not catalog.exists():
        return
    connection = raw_connect(catalog)
    try:
        connection.execute("BEGIN IMMEDIATE")
        for case_id, (mtime, size, wal) in before.items():
            path = root / "cases" / f"{case_id}{CASE_SUFFIX}"
            if not path.exists():
                continue
            new_mtime, new_size, new_wal = file_signature(path)
            connection.execute(
                "UPDATE case_index SET file_mtime_ns = ?, file_size = ?, wal_size = ? "
                "WHERE case_id = ? AND file_mtime_ns = ? AND file_size = ? AND wal_size = ?",
                (new_mtime, new_size, new_wal, case_id, mtime, size, wal),
            )
        connection.execute("COMMIT")
    except DATABASE_ERRORS:
        pass  # the next open reads the case files again: slower, never wrong
    finally:
        connection.close()


def copy_rekeyed(source: Path, target: Path, old_key: str | None, new_key: str | None) -> None:
    """Write `source`'s content, keyed with `new_key` (plain if None), to a new `target`."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    connection = keyed_connect(source, old_key or "")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        connection.execute("ATTACH DATABASE ? AS rekeyed KEY ?", (str(target), new_key or ""))
        connection.execute("SELECT sqlcipher_export('rekeyed')")
        connection.execute(f"PRAGMA rekeyed.user_version = {int(version)}")
        connection.execute(f"PRAGMA rekeyed.application_id = {int(application_id)}")
        connection.execute("PRAGMA rekeyed.journal_mode = WAL")
        connection.execute("DETACH DATABASE rekeyed")
    finally:
        connection.close()
    _fsync(target)


def resume_rekey(root: Path) -> str | None:
    """Finish or undo a re-keying that was interrupted; None when there was none."""
    marker = root / REKEY_MARKER
    if not marker.exists():
        return None
    try:
        state = json.loads(marker.read_text(encoding="utf-8")).get("state")
    except (OSError, ValueError):
        state = "copying"  # the marker itself was being written: nothing was swapped yet
    if state == "swapping":
        _swap(root)
        return "completed"
    for path in root.rglob(f"*{REKEY_SUFFIX}*"):
        path.unlink(missing_ok=True)
    (root / f"{ENCRYPTION_FILE}.new").unlink(missing_ok=True)
    marker.unlink(missing_ok=True)
    return "rolled_back"


def _swap(root: Path) -> None:
    """Put every re-keyed copy in place (idempotent: an interrupted swap can be run again)."""
    marker = root / REKEY_MARKER
    data = json.loads(marker.read_text(encoding="utf-8"))
    for relative in data["files"]:
        path = root / relative
        copy = Path(f"{path}{REKEY_SUFFIX}")
        if copy.exists():
            # the original was closed cleanly (no WAL left); a stray WAL must not be
            # replayed over the new file
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            os.replace(copy, path)
        for suffix in ("-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    new_params = root / f"{ENCRYPTION_FILE}.new"
    if new_params.exists():
        os.replace(new_params, root / ENCRYPTION_FILE)
    elif not data.get("encrypted", True):
        (root / ENCRYPTION_FILE).unlink(missing_ok=True)
    _fsync_folder(root)
    marker.unlink(missing_ok=True)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_folder(path.parent)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
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
