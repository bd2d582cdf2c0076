"""Protecting the workspace with a passphrase, changing it, or removing it, while it is open.

Re-keying rewrites every file: it holds the workspace's lock alone (another window's saves
wait for it, or are refused with a sentence naming it), lets every connection that held the
old key go before, and opens the catalog again after, so that nothing keeps reading a file
that was replaced. The workspace's own key then holds the new one.
"""

from __future__ import annotations

from collections.abc import Iterator

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.storage.encryption import check_passphrase, is_encrypted, rekey, resume_rekey
from advisor_app.storage.workspace import Progress, Workspace
from advisor_app.storage.workspace_lock import DECRYPT, ENCRYPT, REKEY


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
        yield from self._rekey(passphrase, ENCRYPT)

    def change_passphrase(self, passphrase: str) -> Iterator[Progress | Changes]:
        if not self.encrypted:
            raise AdvisorError(
                N_("This workspace is not encrypted."),
                N_("Use the encrypt command to protect it with a passphrase."),
            )
        yield from self._rekey(passphrase, REKEY)

    def remove(self) -> Iterator[Progress | Changes]:
        """Decrypt every file: plain SQLite again."""
        if not self.encrypted:
            raise AdvisorError(N_("This workspace is not encrypted."))
        yield from self._rekey(None, DECRYPT)

    def _rekey(self, passphrase: str | None, operation: str) -> Iterator[Progress | Changes]:
        if passphrase is not None:
            check_passphrase(passphrase)
        workspace = self.context.workspace
        with workspace.exclusive(operation):
            workspace.catalog.close()
            try:
                for step in rekey(workspace.root, workspace.key, passphrase):
                    yield Progress(step.done, step.total)
            except Exception:
                _settle(workspace)  # finished or undone now: this process holds it alone
                raise
            except BaseException:
                # interrupted (the window closed, the process stopped): the next opening
                # finishes or undoes it; until then this key opens nothing
                workspace.key.mark_changed()
                raise
            workspace.reopen_catalog()
        yield Changes(settings=True)


def _settle(workspace: Workspace) -> None:
    """After a re-keying failed: finish or undo it, then open the catalog again with the key
    that opens it (the old one if undone, the new one if finished)."""
    try:
        resume_rekey(workspace.root)
        workspace.reopen_catalog()
    except Exception:
        workspace.key.mark_changed()  # the next opening repairs it
