"""Use cases: the one API that the UI and the CLI call (DESIGN section 3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from advisor_app.services.agenda import AgendaService
from advisor_app.services.appointments import AppointmentDraft, AppointmentService
from advisor_app.services.backups import BackupService
from advisor_app.services.calendar import CalendarService
from advisor_app.services.cases import CaseService, NewCase
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext, system_clock
from advisor_app.services.dashboard import DashboardService
from advisor_app.services.encryption import EncryptionService
from advisor_app.services.exchange import ExchangeService
from advisor_app.services.funding import FundingDraft, FundingService
from advisor_app.services.maintenance import CheckReport, MaintenanceService
from advisor_app.services.milestones import MilestoneService
from advisor_app.services.notes import NoteService
from advisor_app.services.outbox import OutboxService
from advisor_app.services.partners import PartnerService
from advisor_app.services.privacy import PrivacyService
from advisor_app.services.quarantine import QuarantineService
from advisor_app.services.search import CaseFilter, SearchService
from advisor_app.services.settings import SettingsService
from advisor_app.storage.workspace import Progress, Workspace


class Services:
    """Every use case over one workspace; built once and handed to the windows or the CLI."""

    def __init__(self, workspace: Workspace, clock: Callable[[], datetime] = system_clock) -> None:
        self.context = ServiceContext(workspace, clock)
        self.settings = SettingsService(self.context)
        self.cases = CaseService(self.context, self.settings)
        self.appointments = AppointmentService(self.context, self.settings)
        self.milestones = MilestoneService(self.context, self.settings)
        self.funding = FundingService(self.context, self.settings)
        self.notes = NoteService(self.context, self.settings)
        self.search = SearchService(self.context)
        self.agenda = AgendaService(self.context)
        self.dashboard = DashboardService(self.context)
        self.maintenance = MaintenanceService(self.context)
        self.backups = BackupService(self.context, self.settings)
        self.quarantine = QuarantineService(self.context, self.backups)
        self.privacy = PrivacyService(self.context, self.settings)
        self.partners = PartnerService(self.context, self.notes)
        self.outbox = OutboxService(self.context, self.partners)
        self.privacy.erase_hooks.append(self.outbox.forget_case)
        self.cases.delete_hooks.append(self.outbox.forget_case)
        self.exchange = ExchangeService(self)
        self.calendar = CalendarService(self.context)
        self.encryption = EncryptionService(self.context)

    @classmethod
    def open(
        cls,
        root: Path,
        clock: Callable[[], datetime] = system_clock,
        *,
        passphrase: str | None = None,
    ) -> Services:
        """Open (or create) the workspace at `root`, repairing its catalog if needed; an
        encrypted workspace needs its passphrase (a new one given a passphrase is encrypted)."""
        return cls(Workspace.open(root, passphrase=passphrase), clock)

    @property
    def workspace(self) -> Workspace:
        return self.context.workspace

    def close(self) -> None:
        self.workspace.close()

    # -- locking an encrypted workspace ------------------------------------------------

    def lock(self) -> None:
        """Forget the key: every connection that held it is closed, and reading or writing
        raises WorkspaceLockedError until `unlock` (a plain workspace has nothing to lock)."""
        self.workspace.forget_key()

    def unlock(self, passphrase: str) -> None:
        """Take the key again; PassphraseError when `passphrase` does not open the workspace.
        Also after another window re-keyed the workspace: its new passphrase opens it."""
        self.workspace.unlock(passphrase)

    @property
    def locked(self) -> bool:
        return self.workspace.key.locked

    @property
    def key_changed(self) -> bool:
        """Another window or command re-keyed the workspace since this one last held it:
        nothing is read or written (WorkspaceChangedError) until `unlock(new passphrase)`."""
        return self.workspace.key.changed


__all__ = [
    "AppointmentDraft",
    "CaseFilter",
    "Changes",
    "CheckReport",
    "FundingDraft",
    "NewCase",
    "Progress",
    "Services",
]
