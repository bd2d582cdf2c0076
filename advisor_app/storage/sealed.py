"""The outbox's packages, sealed at rest in an encrypted workspace.

An encrypted workspace keeps nothing personal in clear. Its databases are SQLCipher files;
the other files that hold personal data, the export packages waiting in the outbox or kept
there once sent, are sealed with AES-256-GCM under a key derived from the workspace key
(HKDF-SHA256: the database key itself is never used for anything else). A sealed file is
`MAGIC | nonce (12 bytes) | ciphertext and tag`, the magic bound as associated data. It is
opened in memory only, when the package is sent or read back. A plain workspace keeps its
packages as plain zip files.

Re-keying (encrypt, change the passphrase, decrypt) reseals each package beside itself
(`reseal`) inside the journal of storage/encryption.py, like the databases.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.storage.owner_only import OWNER_ONLY, write_owner_only
from advisor_app.storage.sqlite_engine import WorkspaceKey

MAGIC = b"BOUSEAL\x01"
NONCE_BYTES = 12
OUTBOX_DIR = "outbox"
PACKAGE_PATTERN = "*.zip"
_INFO = b"boussole outbox packages v1"


class SealedFileError(AdvisorError):
    """A sealed package that the workspace's key does not open: damaged, or sealed under
    another key."""


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def _file_key(key_text: str) -> bytes:
    """The sealing key derived from the workspace's SQLCipher raw key (`x'<hex>'`)."""
    raw = bytes.fromhex(key_text.removeprefix("x'").removesuffix("'"))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(raw)


def seal(data: bytes, key_text: str) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(_file_key(key_text)).encrypt(nonce, data, MAGIC)


def unseal(data: bytes, key_text: str | None, name: str) -> bytes:
    """The content of a sealed file (a plain one is given back as it is)."""
    if not is_sealed(data):
        return data
    if key_text is None:
        raise _unopenable(name)
    nonce = data[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(_file_key(key_text)).decrypt(nonce, data[len(MAGIC) + NONCE_BYTES :], MAGIC)
    except (InvalidTag, ValueError):
        raise _unopenable(name) from None


def _unopenable(name: str) -> SealedFileError:
    return SealedFileError(
        N_("The package {name} of the outbox cannot be opened with the workspace's key."),
        N_("It is damaged: cancel it and export the case again."),
        name=name,
    )


def read_sealed(path: Path, key: WorkspaceKey) -> bytes:
    """The plain content of a package of the outbox, in memory (a locked workspace raises
    WorkspaceLockedError: a key problem, not damage)."""
    key_text = key.text()
    return unseal(path.read_bytes(), key_text, path.name)


def write_sealed(path: Path, data: bytes, key: WorkspaceKey) -> None:
    """Write a package into the outbox: sealed when the workspace is encrypted, its owner's
    only, whole or not at all."""
    key_text = key.text()
    write_owner_only(path, seal(data, key_text) if key_text is not None else data)


def outbox_packages(root: Path) -> list[Path]:
    """The packages kept in the workspace's outbox (queued, failed or sent)."""
    folder = root / OUTBOX_DIR
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.glob(PACKAGE_PATTERN) if p.is_file() and not p.name.startswith(".")
    )


def reseal(source: Path, target: Path, old_key: str | None, new_key: str | None) -> None:
    """Write `source`'s content to a new `target`, sealed under `new_key` (plain if None):
    a package's step of a re-keying."""
    content = unseal(source.read_bytes(), old_key, source.name)
    data = seal(content, new_key) if new_key is not None else content
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
