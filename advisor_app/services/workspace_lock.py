"""Opening, locking and re-keying an encrypted workspace, who holds it, and its quarantined
files.

The UI and the CLI call these, never storage directly (DESIGN section 3): the functions
and errors are storage's, offered here as part of the services' API. Locking and unlocking
an open workspace are `Services.lock()` and `Services.unlock(passphrase)`.
"""

from __future__ import annotations

from advisor_app.storage.backups import BackupInfo
from advisor_app.storage.encryption import (
    REKEY_MARKER,
    PassphraseError,
    RekeyProgress,
    check_passphrase,
    is_encrypted,
    key_from_passphrase,
)
from advisor_app.storage.quarantine import QuarantinedFile, quarantined
from advisor_app.storage.sqlite_engine import (
    KeyUnavailableError,
    WorkspaceChangedError,
    WorkspaceLockedError,
)
from advisor_app.storage.workspace_lock import WorkspaceBusyError

__all__ = [
    "REKEY_MARKER",
    "BackupInfo",
    "KeyUnavailableError",
    "PassphraseError",
    "QuarantinedFile",
    "RekeyProgress",
    "WorkspaceBusyError",
    "WorkspaceChangedError",
    "WorkspaceLockedError",
    "check_passphrase",
    "is_encrypted",
    "key_from_passphrase",
    "quarantined",
]
