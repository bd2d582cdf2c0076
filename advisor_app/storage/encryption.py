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
either; it runs when a workspace is opened, and only when no other process holds the
workspace's lock (`repair_interrupted_rekey`): a re-keying still in progress in another
process is not an interrupted one.

The key of an open workspace is a `WorkspaceKey` (storage/sqlite_engine.py) that the
workspace owns: `open_key` makes it from the passphrase, and nothing here keeps it.
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
from advisor_app.storage.key_description import (
    ENCRYPTION_FILE,
    description_copies,
    follow_in_backups,
    key_opens_workspace,
    looks_encrypted,
    put_copy_back,
)
from advisor_app.storage.layout import CASE_SUFFIX, file_signature
from advisor_app.storage.owner_only import (
    fsync_file,
    fsync_folder,
    new_owner_only_file,
    write_owner_only,
)
from advisor_app.storage.sealed import SealedFileError, outbox_packages, reseal
from advisor_app.storage.sqlite_engine import (
    DATABASE_ERRORS,
    WorkspaceKey,
    keyed_connect,
    raw_connect,
)
from advisor_app.storage.workspace_lock import REPAIR, WorkspaceLock, busy_error

REKEY_MARKER = "rekey.json"
REKEY_SUFFIX = ".rekey"
# A re-keying stopped while copying: its marker, set aside, and the copies it made whole
REKEY_PAUSED = "rekey-paused.json"
REKEY_JOURNAL = "rekey-made.txt"
ITERATIONS = 256_000
_FORMAT = 1
# What a copy of a file under the new key may fail with (a database, or a sealed package)
REKEY_ERRORS: tuple[type[Exception], ...] = (*DATABASE_ERRORS, SealedFileError)


class PassphraseError(AdvisorError):
    """The workspace is encrypted and the passphrase is missing or wrong."""


class DescriptionError(AdvisorError):
    """`encryption.json` is missing or damaged (and no copy of it could be put back)."""


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
            "check": self.check(),
        }

    def check(self) -> str:
        """A hash of the three values, written beside them: a file changed by hand or by
        damage is told apart from a wrong passphrase."""
        text = f"boussole-key-description:{self.salt}:{self.iterations}:{self.verifier}"
        return hashlib.sha256(text.encode("ascii")).hexdigest()


def _hex(value: object, length: int | None = None) -> bool:
    if not isinstance(value, str) or not value or len(value) % 2:
        return False
    if length is not None and len(value) != length:
        return False
    return all(c in "0123456789abcdef" for c in value.lower())


def _params_of(data: object) -> KeyParams:
    """The description's values, or ValueError saying what is wrong with them."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    salt, iterations, verifier = data.get("salt"), data.get("iterations"), data.get("verifier")
    if not _hex(salt) or len(str(salt)) < 16:
        raise ValueError("salt")
    if isinstance(iterations, bool) or not isinstance(iterations, int):
        raise ValueError("iterations")
    if not 1_000 <= iterations <= 100_000_000:
        raise ValueError("iterations")
    if not _hex(verifier, 64):
        raise ValueError("verifier")
    params = KeyParams(str(salt), iterations, str(verifier))
    if "check" in data and data["check"] != params.check():  # files before it had none
        raise ValueError("check")
    return params


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
    """The description of the workspace's key; None when it has none (a plain workspace,
    or one whose description is missing); DescriptionError when it cannot be read or its
    values are not those Boussole writes."""
    path = root / ENCRYPTION_FILE
    try:
        return _params_of(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise AdvisorError(
            N_("The encryption settings of the workspace cannot be read ({reason})."),
            N_("Restore {name} from a copy of the workspace."),
            reason=str(error),
            name=ENCRYPTION_FILE,
        ) from error
    except ValueError as error:  # JSON errors included
        raise _description_error("damaged", root, reason=str(error)) from error


def _description_error(kind: str, root: Path, reason: str = "") -> DescriptionError:
    message = (
        N_(
            "The encryption description of the workspace (encryption.json) is damaged "
            "({reason}): without it no file of the workspace can be read. Nothing was changed."
        )
        if kind == "damaged"
        else N_(
            "The encryption description of the workspace (encryption.json) is missing: "
            "without it no file of the workspace can be read. Nothing was changed."
        )
    )
    copies = description_copies(root)
    if copies:
        return DescriptionError(
            message,
            N_(
                "Give the passphrase: Boussole then takes back the copy kept in the backup "
                "{backup}."
            ),
            reason=reason,
            backup=copies[0].parent.name,
        )
    return DescriptionError(
        message,
        N_(
            "No backup holds a copy of it: put back encryption.json from a copy of the "
            "workspace folder."
        ),
        reason=reason,
    )


def is_encrypted(root: Path) -> bool:
    """Whether the workspace is encrypted: it has a description of its key, or its files
    are encrypted and that description is missing."""
    return (root / ENCRYPTION_FILE).exists() or looks_encrypted(root)


def key_from_passphrase(root: Path, passphrase: str) -> str:
    """The workspace's key, or PassphraseError when the passphrase is not the right one."""
    return _checked_key(root, passphrase)[0]


def _checked_key(root: Path, passphrase: str) -> tuple[str, str]:
    """The key of the passphrase and its verifier, once checked against encryption.json.

    When the description is missing or damaged, or does not match the passphrase, a copy
    kept in a backup that matches it and whose key reads the workspace's files is put back
    (the passphrase proves it is the workspace's). Otherwise a wrong passphrase is said as
    such, and a missing or damaged description as such: nothing is taken for damaged."""
    problem: DescriptionError | None = None
    try:
        params = read_params(root)
    except DescriptionError as error:
        params, problem = None, error
    if params is None and problem is None and not looks_encrypted(root):
        raise PassphraseError(
            N_("This workspace is not encrypted."),
            N_("Use the encrypt command to protect it with a passphrase."),
        )
    if params is not None:
        raw = _raw_key(passphrase, params.salt, params.iterations)
        if secrets.compare_digest(_verifier(raw), params.verifier):
            return _sqlcipher_key(raw), params.verifier
    recovered = _from_a_copy(root, passphrase, params)
    if recovered is not None:
        return recovered
    if params is not None or description_copies(root):
        raise PassphraseError(
            N_("This passphrase does not open the workspace."),
            N_("Check the keyboard layout and caps lock, then type it again."),
        )
    raise problem or _description_error("missing", root)


def _from_a_copy(root: Path, passphrase: str, current: KeyParams | None) -> tuple[str, str] | None:
    """The key of the first copy of the description (newest backup first) that `passphrase`
    matches and whose key reads the workspace, put back as the workspace's own."""
    tried = {current} if current is not None else set()
    for copy in description_copies(root):
        try:
            params = _params_of(json.loads(copy.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
        if params in tried:
            continue
        tried.add(params)
        raw = _raw_key(passphrase, params.salt, params.iterations)
        if not secrets.compare_digest(_verifier(raw), params.verifier):
            continue
        key = _sqlcipher_key(raw)
        if key_opens_workspace(root, key):
            put_copy_back(root, copy)
            return key, params.verifier
    return None


def open_key(root: Path, passphrase: str | None) -> WorkspaceKey:
    """The key of the workspace at `root`, to be owned by the workspace being opened.

    A new folder with a passphrase becomes an encrypted workspace; an existing plain one
    refuses a passphrase; an encrypted one needs it.
    """
    if not is_encrypted(root):
        if passphrase is None:
            return WorkspaceKey.plain()
        if (root / "workspace.sqlite").exists() or (root / "workspace-state.sqlite").exists():
            raise PassphraseError(
                N_("This workspace is not encrypted."),
                N_("Use the encrypt command to protect it with a passphrase."),
            )
        params, key = new_key(passphrase)
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_json(root / ENCRYPTION_FILE, params.as_dict())
        return WorkspaceKey(key, params.verifier)
    if passphrase is None:
        if not description_copies(root):  # no passphrase could help: say what is wrong
            read_params(root)  # a damaged description is said as such
            if not (root / ENCRYPTION_FILE).exists():
                raise _description_error("missing", root)
        raise PassphraseError(
            N_("This workspace is encrypted: its passphrase is needed."),
            N_("Give it with --passphrase-file, or type it when asked."),
        )
    return WorkspaceKey(*_checked_key(root, passphrase))


def unlock_key(root: Path, key: WorkspaceKey, passphrase: str) -> None:
    """Give a locked key (or one another window made stale) the key of `passphrase` again."""
    key.remember(*_checked_key(root, passphrase))


def current_verifier(root: Path) -> str | None:
    """Which key opens the workspace now (None when it is plain)."""
    params = read_params(root)
    return params.verifier if params is not None else None


def follow_key_change(root: Path, key: WorkspaceKey) -> None:
    """Another process ran an operation that rewrote the workspace (its lock file says so):
    keep going with the same key, or with none if it was decrypted; if it was given another
    key, or its re-keying was interrupted, this key opens nothing any more
    (WorkspaceChangedError, until the passphrase is typed again or it is opened again)."""
    if (root / REKEY_MARKER).exists():
        key.mark_changed()
    else:
        verifier = current_verifier(root)
        if verifier is None and key.encrypted and looks_encrypted(root):
            key.dispose_engines()  # its description went missing, not its encryption
        elif verifier is None:
            key.remember(None, None)  # decrypted: plain files open without a key
        elif verifier == key.verifier and not key.locked:
            key.dispose_engines()  # the same key; files may have been replaced
        elif not key.locked:
            key.mark_changed()
    key.check()


def refuse_interrupted_rekey(root: Path) -> None:
    """Under the workspace's lock: a re-keying marker left there means a re-keying that was
    interrupted since the repair at opening was tried; opening must wait for its repair."""
    if (root / REKEY_MARKER).exists():
        raise busy_error({})


def repair_interrupted_rekey(root: Path, lock: WorkspaceLock) -> str | None:
    """Finish or undo an interrupted re-keying, if no other process holds the workspace: one
    that does may be re-keying it right now (then WorkspaceBusyError, and nothing changes)."""
    if not (root / REKEY_MARKER).exists():
        return None
    with lock.exclusive(REPAIR, wait=False):
        return resume_rekey(root)


# -- re-keying ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RekeyProgress:
    done: int
    total: int


def database_files(root: Path) -> list[Path]:
    """Every SQLite file of the workspace: catalog, case files, backups, moved-aside copies."""
    files: list[Path] = []
    for name in ("workspace.sqlite", "workspace-state.sqlite"):  # the catalog's two files
        if (root / name).exists():
            files.append(root / name)
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


def rekey(root: Path, key: WorkspaceKey, new_passphrase: str | None) -> Iterator[RekeyProgress]:
    """Re-key every file from `key` (the open workspace's: none if plain) to
    `new_passphrase` (None decrypts); `key` then holds the new key. The caller holds the
    workspace's lock exclusively and has let every connection go.

    Copies made by an earlier run under the same passphrase that was stopped (and paused
    by `resume_rekey`) are taken up again where their originals have not changed since."""
    resume_rekey(root)
    old_key = key.text()
    if is_encrypted(root) and old_key is None:
        raise PassphraseError(
            N_("This workspace is encrypted: its passphrase is needed."),
            N_("Give it with --passphrase-file, or type it when asked."),
        )
    key.dispose_engines()
    new_params, new_key_text, made = _taken_up(root, key.verifier, new_passphrase)
    if new_passphrase is not None and new_params is None:
        new_params, new_key_text = new_key(new_passphrase)
    files = database_files(root) + outbox_packages(root)  # packages are resealed
    signatures_before = _case_signatures(root)
    marker = root / REKEY_MARKER
    relative = [str(p.relative_to(root)) for p in files]
    _write_json(
        marker,
        {
            "state": "copying",
            "files": relative,
            "encrypted": new_params is not None,
            "params": new_params.as_dict() if new_params is not None else None,
            "from": key.verifier,
        },
    )
    done: list[str] = []
    total = len(files)
    yield RekeyProgress(0, total)
    with (root / REKEY_JOURNAL).open("a", encoding="utf-8") as journal:
        for number, (path, name) in enumerate(zip(files, relative, strict=True), start=1):
            target = Path(f"{path}{REKEY_SUFFIX}")
            try:
                if made.get(name) != (*_source_signature(path), _size_or_none(target)):
                    copy = reseal if path.suffix == ".zip" else copy_rekeyed
                    copy(path, target, old_key, new_key_text)  # whole on the disk when back
                    # taken after the copy: closing the file may have folded its WAL in
                    signature = _source_signature(path)
                    # only then said made: a copy named here is whole after any crash
                    journal.write(
                        "\t".join(map(str, (name, *signature, target.stat().st_size))) + "\n"
                    )
                    journal.flush()
                done.append(name)
            except REKEY_ERRORS as error:
                target.unlink(missing_ok=True)
                if path.relative_to(root).parts[0] in ("quarantine", "damaged"):
                    continue  # a damaged file cannot be re-keyed; it stays as it is
                journal.close()
                resume_rekey(root)  # nothing was swapped yet
                raise AdvisorError(
                    N_("The file {name} could not be re-keyed ({reason}); nothing was changed."),
                    N_("Run check, restore or remove the damaged file, then try again."),
                    name=name,
                    reason=str(error),
                ) from error
            yield RekeyProgress(number, total)
    if new_params is not None:
        _write_json(root / f"{ENCRYPTION_FILE}.new", new_params.as_dict())
    _write_json(marker, {"state": "swapping", "files": done, "encrypted": new_params is not None})
    # from here on an interruption rolls forward: the new key is the workspace's
    key.remember(new_key_text, new_params.verifier if new_params is not None else None)
    _swap(root)
    _carry_signatures(root, signatures_before, key)


def rekey_paused(root: Path) -> bool:
    """Whether a re-keying stopped while copying waits to be taken up (`rekey` does, under
    the same passphrase); its copies take room until then."""
    return (root / REKEY_PAUSED).exists()


def _source_signature(path: Path) -> tuple[int, int, int]:
    """What tells that a file changed since its copy was made: mtime, size, WAL size."""
    return file_signature(path)


def _size_or_none(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


def _taken_up(
    root: Path, old_verifier: str | None, new_passphrase: str | None
) -> tuple[KeyParams | None, str | None, dict[str, tuple[int, int, int, int | None]]]:
    """The key of a paused re-keying and the copies it made (by file: the signature of the
    original when copied, and the copy's size), when `new_passphrase` is the one it was
    under and the workspace still has the key it started from; else its copies are
    removed, and (None, None, {})."""
    paused = root / REKEY_PAUSED
    if not paused.exists():
        return None, None, {}
    try:
        record = json.loads(paused.read_text(encoding="utf-8"))
        params = _params_of(record.get("params"))
        same_start = record.get("from") == old_verifier
    except (OSError, ValueError, AttributeError):
        params, same_start = None, False
    if new_passphrase is not None and params is not None and same_start:
        raw = _raw_key(new_passphrase, params.salt, params.iterations)
        if secrets.compare_digest(_verifier(raw), params.verifier):
            return params, _sqlcipher_key(raw), _journal(root)
    _forget_copies(root)
    return None, None, {}


def _journal(root: Path) -> dict[str, tuple[int, int, int, int | None]]:
    """The copies a re-keying made whole, from its journal (a line cut short is ignored)."""
    made: dict[str, tuple[int, int, int, int | None]] = {}
    try:
        lines = (root / REKEY_JOURNAL).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return made
    for line in lines:
        parts = line.split("\t")
        if len(parts) != 5 or not all(p.isdigit() for p in parts[1:]):
            continue
        mtime, size, wal, copied = (int(p) for p in parts[1:])
        made[parts[0]] = (mtime, size, wal, copied)
    return made


def _forget_copies(root: Path) -> None:
    """Remove every copy of a re-keying, its journal and its markers (nothing was swapped)."""
    for path in root.rglob(f"*{REKEY_SUFFIX}*"):
        path.unlink(missing_ok=True)
    for name in (f"{ENCRYPTION_FILE}.new", REKEY_JOURNAL, REKEY_PAUSED, REKEY_MARKER):
        (root / name).unlink(missing_ok=True)


def _case_signatures(root: Path) -> dict[str, tuple[int, int, int]]:
    signatures = {}
    for path in (root / "cases").glob(f"*{CASE_SUFFIX}"):
        signatures[path.stem] = file_signature(path)
    return signatures


def _carry_signatures(
    root: Path, before: dict[str, tuple[int, int, int]], key: WorkspaceKey
) -> None:
    """Re-keying rewrites every case file with the same content: where the catalog was up to
    date with a file before, record the new file's signature, so that the next open does not
    read all of them again (two minutes on 10,000 cases)."""
    catalog = root / "workspace.sqlite"
    if not catalog.exists():
        return
    connection = raw_connect(catalog, key=key)
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
    new_owner_only_file(target)  # SQLite keeps its mode, and gives it to the -wal and -shm
    connection = keyed_connect(source, old_key or "")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        connection.execute("ATTACH DATABASE ? AS rekeyed KEY ?", (str(target), new_key or ""))
        # a new copy, synced once whole below, and thrown away if anything stops before:
        # no journal and no sync of its own (each cost several fsyncs per file)
        connection.execute("PRAGMA rekeyed.journal_mode = OFF")
        connection.execute("PRAGMA rekeyed.synchronous = OFF")
        connection.execute("SELECT sqlcipher_export('rekeyed')")
        connection.execute(f"PRAGMA rekeyed.user_version = {int(version)}")
        connection.execute(f"PRAGMA rekeyed.application_id = {int(application_id)}")
        connection.execute("PRAGMA rekeyed.journal_mode = WAL")
        connection.execute("DETACH DATABASE rekeyed")
    finally:
        connection.close()
    fsync_file(target)


def resume_rekey(root: Path) -> str | None:
    """Finish or stop a re-keying that was interrupted; None when there was none.

    Interrupted while swapping, it is finished ("completed"). Interrupted while copying,
    the workspace is left as it was, under its old key: copies under a new key are kept
    with their journal for the next run under the same passphrase ("paused"), plain copies
    (of a decryption) are removed ("rolled_back")."""
    marker = root / REKEY_MARKER
    if not marker.exists():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        state = data.get("state")
        keyed = bool(data.get("encrypted")) and data.get("params") is not None
    except (OSError, ValueError, AttributeError):
        state, keyed = "copying", False  # the marker was being written: nothing swapped yet
    if state == "swapping":
        _swap(root)
        return "completed"
    (root / f"{ENCRYPTION_FILE}.new").unlink(missing_ok=True)
    if keyed:
        os.replace(marker, root / REKEY_PAUSED)
        fsync_folder(root)
        return "paused"
    _forget_copies(root)
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
    follow_in_backups(root)  # the backups' files are under the new key too
    fsync_folder(root)
    marker.unlink(missing_ok=True)
    # copies of files that went away while a re-keying was paused, and its journal
    for name in (REKEY_JOURNAL, REKEY_PAUSED):
        (root / name).unlink(missing_ok=True)
    for stale in root.rglob(f"*{REKEY_SUFFIX}*"):
        stale.unlink(missing_ok=True)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Whole or not at all, its owner's only, and on the disk before the next step."""
    write_owner_only(path, json.dumps(data, indent=2).encode("utf-8"))
    fsync_folder(path.parent)
