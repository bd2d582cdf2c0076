"""Use cases: the one API that the UI and the CLI call (DESIGN section 3)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from advisor_app.services.context import ServiceContext, system_clock

if TYPE_CHECKING:
    from advisor_app.services.agenda import AgendaService
    from advisor_app.services.appointments import AppointmentDraft, AppointmentService
    from advisor_app.services.backups import BackupService
    from advisor_app.services.calendar import CalendarService
    from advisor_app.services.cases import CaseService, NewCase
    from advisor_app.services.changes import Changes
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
    from advisor_app.services.sheet_export import SheetExportService
    from advisor_app.services.sheet_import import SheetImportService
    from advisor_app.services.sheet_preview import SheetPreviewService
    from advisor_app.services.team import TeamService
    from advisor_app.storage.workspace import Progress, Workspace

# What `from advisor_app.services import X` gives, by the module that defines it: imported
# when first asked for, so that a command (or the window) loads only the services it uses.
_EXPORTS = {
    "AppointmentDraft": "advisor_app.services.appointments",
    "CaseFilter": "advisor_app.services.search",
    "Changes": "advisor_app.services.changes",
    "CheckReport": "advisor_app.services.maintenance",
    "FundingDraft": "advisor_app.services.funding",
    "NewCase": "advisor_app.services.cases",
    "Progress": "advisor_app.storage.workspace",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


_T = TypeVar("_T")


class _built_once(Generic[_T]):  # a decorator, named as cached_property is
    """A service of `Services`, built when first used, once even when two threads ask."""

    def __init__(self, build: Callable[[Services], _T]) -> None:
        self.build = build
        self.name = build.__name__

    @overload
    def __get__(self, instance: None, owner: type[Services]) -> _built_once[_T]: ...
    @overload
    def __get__(self, instance: Services, owner: type[Services]) -> _T: ...
    def __get__(self, instance: Services | None, owner: type[Services]) -> _built_once[_T] | _T:
        if instance is None:
            return self
        with instance._building:
            if self.name not in instance.__dict__:  # then found there without this call
                instance.__dict__[self.name] = self.build(instance)
            return instance.__dict__[self.name]  # type: ignore[no-any-return]


class Services:
    """Every use case over one workspace; built once and handed to the windows or the CLI.

    Each service is built (and its module imported) when first used: a command that lists
    the cases loads neither the reports nor the exchange. The hooks between services (a
    case erased or deleted is forgotten by the outbox and the sheet imports) are wired
    when the service that calls them is built, and build the others only when they fire."""

    def __init__(self, workspace: Workspace, clock: Callable[[], datetime] = system_clock) -> None:
        self.context = ServiceContext(workspace, clock)
        self._building = threading.RLock()

    @_built_once
    def settings(self) -> SettingsService:
        from advisor_app.services.settings import SettingsService

        return SettingsService(self.context)

    @_built_once
    def cases(self) -> CaseService:
        from advisor_app.services.cases import CaseService

        cases = CaseService(self.context, self.settings)
        cases.delete_hooks.append(lambda case_id: self.outbox.forget_case(case_id))
        cases.delete_hooks.append(lambda case_id: self.team.forget_deleted(case_id))
        return cases

    @_built_once
    def appointments(self) -> AppointmentService:
        from advisor_app.services.appointments import AppointmentService

        return AppointmentService(self.context, self.settings)

    @_built_once
    def milestones(self) -> MilestoneService:
        from advisor_app.services.milestones import MilestoneService

        return MilestoneService(self.context, self.settings)

    @_built_once
    def funding(self) -> FundingService:
        from advisor_app.services.funding import FundingService

        return FundingService(self.context, self.settings)

    @_built_once
    def notes(self) -> NoteService:
        from advisor_app.services.notes import NoteService

        return NoteService(self.context, self.settings)

    @_built_once
    def search(self) -> SearchService:
        from advisor_app.services.search import SearchService

        return SearchService(self.context)

    @_built_once
    def agenda(self) -> AgendaService:
        from advisor_app.services.agenda import AgendaService

        return AgendaService(self.context)

    @_built_once
    def dashboard(self) -> DashboardService:
        from advisor_app.services.dashboard import DashboardService

        return DashboardService(self.context)

    @_built_once
    def maintenance(self) -> MaintenanceService:
        from advisor_app.services.maintenance import MaintenanceService

        return MaintenanceService(self.context)

    @_built_once
    def backups(self) -> BackupService:
        from advisor_app.services.backups import BackupService

        return BackupService(self.context, self.settings)

    @_built_once
    def quarantine(self) -> QuarantineService:
        from advisor_app.services.quarantine import QuarantineService

        return QuarantineService(self.context, self.backups)

    @_built_once
    def privacy(self) -> PrivacyService:
        from advisor_app.services.privacy import PrivacyService

        privacy = PrivacyService(self.context, self.settings)
        privacy.erase_hooks.append(lambda case_id: self.outbox.forget_case(case_id))
        privacy.erase_hooks.append(lambda case_id: self.sheet_import.forget_case(case_id))
        privacy.erase_hooks.append(lambda case_id: self.team.forget_case(case_id))
        return privacy

    @_built_once
    def team(self) -> TeamService:
        from advisor_app.services.team import TeamService

        return TeamService(self.context, self.settings, lambda case_id: self.privacy.erase(case_id))

    @_built_once
    def partners(self) -> PartnerService:
        from advisor_app.services.partners import PartnerService

        return PartnerService(self.context, self.notes)

    @_built_once
    def outbox(self) -> OutboxService:
        from advisor_app.services.outbox import OutboxService

        return OutboxService(self.context, self.partners)

    @_built_once
    def exchange(self) -> ExchangeService:
        from advisor_app.services.exchange import ExchangeService

        return ExchangeService(self)

    @_built_once
    def calendar(self) -> CalendarService:
        from advisor_app.services.calendar import CalendarService

        return CalendarService(self.context)

    @_built_once
    def encryption(self) -> EncryptionService:
        from advisor_app.services.encryption import EncryptionService

        return EncryptionService(self.context)

    @_built_once
    def sheet_export(self) -> SheetExportService:
        from advisor_app.services.sheet_export import SheetExportService

        return SheetExportService(self.context)

    @_built_once
    def sheet_preview(self) -> SheetPreviewService:
        from advisor_app.services.sheet_preview import SheetPreviewService

        return SheetPreviewService(self.settings)

    @_built_once
    def sheet_import(self) -> SheetImportService:
        from advisor_app.services.sheet_import import SheetImportService

        return SheetImportService(self.context, self.settings, self.cases, self.backups)

    @classmethod
    def open(
        cls,
        root: Path,
        clock: Callable[[], datetime] = system_clock,
        *,
        passphrase: str | None = None,
        reconcile: bool = True,
    ) -> Services:
        """Open (or create) the workspace at `root`, repairing its catalog if needed; an
        encrypted workspace needs its passphrase (a new one given a passphrase is encrypted).
        Without `reconcile`, the catalog is not brought in line with the case files (for
        work on one case, whose write brings its own line up to date)."""
        from advisor_app.storage.workspace import Workspace

        return cls(Workspace.open(root, passphrase=passphrase, reconcile=reconcile), clock)

    @property
    def workspace(self) -> Workspace:
        return self.context.workspace

    def unfinished_erasures(self) -> list[str]:
        """The cases whose erasure was interrupted (`privacy.erase` finishes each): asked
        at every start, without building the privacy service."""
        from advisor_app.storage import erasure

        return erasure.unfinished(self.workspace.root)

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
