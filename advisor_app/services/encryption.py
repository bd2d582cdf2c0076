"""Protecting the workspace with a passphrase, changing it, or removing it, while it is open.

Re-keying rewrites every file; the catalog's connections are let go before and the catalog
opened again after, so that nothing keeps reading a file that was replaced.
"""

from __future__ import annotations

from collections.abc import Iterator

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.storage.encryption import check_passphrase, is_encrypted, rekey
from advisor_app.storage.workspace import Progress


class EncryptionService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    @property
    def encrypted(self) -> bool:
        return is_encrypted(self.context.workspace.root)

    def protect(self, passphrase: str) -> Iterator[Progress | Changes]:
        """Encrypt a plain workspace; yields progress, then the `Changes`."""
        if self.encrypted:
            raise AdvisorError(
                N_("This workspace is already encrypted."),
                N_("Use change-passphrase to choose another passphrase."),
            )
        yield from self._rekey(passphrase)

    def change_passphrase(self, passphrase: str) -> Iterator[Progress | Changes]:
        if not self.encrypted:
            raise AdvisorError(
                N_("This workspace is not encrypted."),
                N_("Use the encrypt command to protect it with a passphrase."),
            )
        yield from self._rekey(passphrase)

    def remove(self) -> Iterator[Progress | Changes]:
        """Decrypt every file: plain SQLite again."""
        if not self.encrypted:
            raise AdvisorError(N_("This workspace is not encrypted."))
        yield from self._rekey(None)

    def _rekey(self, passphrase: str | None) -> Iterator[Progress | Changes]:
        if passphrase is not None:
            check_passphrase(passphrase)
        workspace = self.context.workspace
        workspace.catalog.engine.dispose()
        try:
            for step in rekey(workspace.root, passphrase):
                yield Progress(step.done, step.total)
        finally:
            workspace.reopen_catalog()
        yield Changes(settings=True)
