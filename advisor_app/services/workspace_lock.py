"""Opening, locking and re-keying an encrypted workspace, and its quarantined files.

The UI and the CLI call these, never storage directly (DESIGN section 3): the functions
are storage's, offered here as part of the services' API.
"""

from __future__ import annotations

from advisor_app.storage.backups import BackupInfo
from advisor_app.storage.encryption import (
    PassphraseError,
    RekeyProgress,
    check_passphrase,
    is_encrypted,
    is_unlocked,
    key_from_passphrase,
    lock,
    rekey,
    unlock,
)
from advisor_app.storage.quarantine import QuarantinedFile, quarantined

__all__ = [
    "BackupInfo",
    "PassphraseError",
    "QuarantinedFile",
    "RekeyProgress",
    "check_passphrase",
    "is_encrypted",
    "is_unlocked",
    "key_from_passphrase",
    "lock",
    "quarantined",
    "rekey",
    "unlock",
]
