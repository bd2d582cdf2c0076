"""Integrity checks of the workspace and rebuilding of its catalog."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from advisor_app.domain.errors import AdvisorError, CaseFileError
from advisor_app.domain.messages import N_
from advisor_app.services.backups import BackupService
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.privacy import PrivacyService
from advisor_app.services.settings import SettingsService
from advisor_app.storage.backups import list_backups
from advisor_app.storage.casefile import DamagedCaseFileError, file_signature, quick_check
from advisor_app.storage.catalog import damage_marker
from advisor_app.storage.catalog_models import CaseIndex, StateLoss
from advisor_app.storage.disk import disk_problem
from advisor_app.storage.encryption import rekey_paused
from advisor_app.storage.quarantine import quarantined, quarantined_ids
from advisor_app.storage.sqlite_engine import DATABASE_ERRORS, raw_connect
from advisor_app.storage.workspace import Progress, Workspace


@dataclass
class CheckReport:
    cases_checked: int = 0
    problems: list[tuple[str | None, AdvisorError]] = field(default_factory=list)
    # worth knowing but not wrong: the age of the newest backup, cases past retention
    notices: list[AdvisorError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class LostState:
    """The partners, outbox queue, settings and audit log were lost (their file found damaged
    or missing) and empty ones replaced them: when, and where a damaged file was set aside."""

    at: datetime
    damaged: bool
    set_aside: str


class MaintenanceService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def lost_state(self) -> LostState | None:
        """The latest loss of the state that no restore has made good since, if any (a
        restore from a backup made before the loss forgets it): the window says so, and
        `BackupService.newest_whole_state` names the backup to bring it back from."""
        with self.context.workspace.catalog.read() as catalog:
            loss = catalog.query(StateLoss).order_by(StateLoss.id.desc()).first()
            if loss is None:
                return None
            return LostState(loss.at, loss.reason == "damaged", loss.set_aside or "")

    def check(self) -> Iterator[Progress | CheckReport]:
        """Check the catalog, then every case file; yields progress and finally the report.

        It holds the workspace shared: no re-keying or restore rewrites a file while it is
        judged. A locked workspace raises WorkspaceLockedError and moves nothing."""
        with self.context.workspace.sharing():
            yield from self._check()

    def _check(self) -> Iterator[Progress | CheckReport]:
        workspace = self.context.workspace
        report = CheckReport()
        result = _quick_check(workspace.catalog.path, workspace)
        if result != "ok":
            damage_marker(workspace.catalog.path).touch()
            report.problems.append(
                (
                    None,
                    AdvisorError(
                        N_("The workspace catalog is damaged ({reason})."),
                        N_(
                            "It will be rebuilt from the case files the next time the "
                            "workspace is opened; nothing in the case files is lost."
                        ),
                        reason=result,
                    ),
                )
            )
        report.problems.extend((None, problem) for problem in self._state_problems())
        with workspace.catalog.read() as catalog:
            indexed = {
                row.case_id: row
                for row in catalog.execute(
                    select(
                        CaseIndex.case_id,
                        CaseIndex.revision,
                        CaseIndex.file_mtime_ns,
                        CaseIndex.file_size,
                        CaseIndex.wal_size,
                    )
                )
            }
        on_disk = sorted(workspace.case_ids_on_disk())
        total = len(on_disk)
        for number, case_id in enumerate(on_disk, start=1):
            path = workspace.case_path(case_id)
            problem = quick_check(path, workspace.key)
            if isinstance(problem, DamagedCaseFileError):
                with workspace.catalog.write() as catalog:
                    workspace.quarantine(catalog, case_id, problem)
                report.problems.append((case_id, _quarantined(case_id)))
            elif problem is not None:
                report.problems.append((case_id, problem))
            elif case_id not in indexed:
                report.problems.append(
                    (
                        case_id,
                        AdvisorError(
                            N_("The case file {name} is missing from the catalog."), name=path.name
                        ),
                    )
                )
            else:
                row = indexed[case_id]
                if (row.file_mtime_ns, row.file_size, row.wal_size) != file_signature(path):
                    report.problems.append(
                        (
                            case_id,
                            AdvisorError(
                                N_("The catalog is out of date for {name}."),
                                N_("Run rebuild-index."),
                                name=path.name,
                            ),
                        )
                    )
            report.cases_checked = number
            if number % 100 == 0:
                yield Progress(number, total)
        for stray in workspace.strays_in_cases_folder():
            report.problems.append(
                (
                    stray.name,
                    AdvisorError(
                        N_("{name} in the cases folder is not a case file."),
                        N_("Move it out of the cases folder."),
                        name=stray.name,
                    ),
                )
            )
        in_quarantine = quarantined_ids(workspace.root)
        for case_id in indexed.keys() - set(on_disk):
            if case_id in in_quarantine:
                report.problems.append((case_id, _quarantined(case_id)))
                continue
            report.problems.append(
                (case_id, CaseFileError(N_("The catalog lists a case whose file is missing.")))
            )
        # an erasure left unfinished, or anything left of an erased case
        privacy = PrivacyService(self.context, SettingsService(self.context))
        report.problems += privacy.erasure_problems()
        self._notices(report)
        yield report

    def _state_problems(self) -> list[AdvisorError]:
        """What cannot be rebuilt: its file damaged, or found lost since it was last whole."""
        workspace = self.context.workspace
        state = workspace.catalog.state_path
        problems: list[AdvisorError] = []
        result = _quick_check(state, workspace)
        with workspace.catalog.read() as catalog:
            losses = list(catalog.query(StateLoss).order_by(StateLoss.id))
        if result == "ok" and not losses:
            return problems
        backup = BackupService(self.context, SettingsService(self.context)).newest_whole_state()
        restore = (
            N_(
                "Bring them back from the backup {backup}: restore {backup} --state (the "
                "cases are left as they are)."
            )
            if backup is not None
            else N_("No backup holds them: add the partners and settings again.")
        )
        name = backup.name if backup is not None else ""
        if result != "ok":
            damage_marker(state).touch()
            problems.append(
                AdvisorError(
                    N_(
                        "The partners, outbox queue, settings and audit log of the workspace "
                        "are damaged ({reason}); at the next opening their file is set aside "
                        "in the damaged folder and an empty one is made."
                    ),
                    restore,
                    reason=result,
                    backup=name,
                )
            )
        if losses:
            loss = losses[-1]
            message = (
                N_(
                    "The partners, outbox queue, settings and audit log of the workspace were "
                    "lost on {day}: their file was damaged and set aside as {aside}; empty ones "
                    "replaced them."
                )
                if loss.reason == "damaged"
                else N_(
                    "The partners, outbox queue, settings and audit log of the workspace were "
                    "lost on {day}: their file was missing; empty ones replaced them."
                )
            )
            problems.append(
                AdvisorError(
                    message, restore, day=loss.at.date(), aside=loss.set_aside, backup=name
                )
            )
        return problems

    def _notices(self, report: CheckReport) -> None:
        settings = SettingsService(self.context)
        if rekey_paused(self.context.workspace.root):
            report.notices.append(
                AdvisorError(
                    N_(
                        "An encryption or change of passphrase of the workspace was stopped "
                        "before its end; the copies it made wait beside the files, which are "
                        "unchanged."
                    ),
                    N_(
                        "Run it again with the same passphrase to finish it from where it "
                        "stopped; with another passphrase it starts over."
                    ),
                )
            )
        backups = list_backups(self.context.workspace.backups_dir)
        if not backups:
            report.notices.append(
                AdvisorError(
                    N_("There is no backup of this workspace yet."),
                    N_("Run the backup command."),
                )
            )
        else:
            age = (self.context.now() - backups[0].created_at).days
            limit = int(settings.get("backup_max_age_days"))
            # one sentence per case rather than "0 days old" (no plural in an AdvisorError)
            message = (
                N_("The newest backup, {name}, was made today.")
                if age <= 0
                else N_("The newest backup, {name}, was made yesterday.")
                if age == 1
                else N_("The newest backup, {name}, is {days} days old.")
            )
            report.notices.append(
                AdvisorError(
                    message,
                    N_("Run the backup command.") if age > limit else "",
                    days=age,
                    name=backups[0].name,
                )
            )
        files = quarantined(self.context.workspace.root)
        if files:
            report.notices.append(
                AdvisorError(
                    N_("{count} damaged files are kept in the quarantine folder.")
                    if len(files) > 1
                    else N_("One damaged file is kept in the quarantine folder."),
                    count=len(files),
                )
            )
        past = PrivacyService(self.context, settings).past_retention()
        if past:
            report.notices.append(
                AdvisorError(
                    N_("{count} closed cases are past the retention period of {years} years.")
                    if len(past) > 1
                    else N_("One closed case is past the retention period of {years} years."),
                    N_("Anonymise or erase them (command retention)."),
                    count=len(past),
                    years=settings.get("retention_years"),
                )
            )

    def run_check(self) -> CheckReport:
        for step in self.check():
            if isinstance(step, CheckReport):
                return step
        raise AssertionError("check() always ends with a report")

    def rebuild_index(self) -> Iterator[Progress]:
        yield from self.context.workspace.rebuild_index()

    def rebuild_index_now(self) -> Changes:
        for _step in self.rebuild_index():
            pass
        return Changes(case_list=True, agenda=True)


def _quick_check(path: Path, workspace: Workspace) -> str:
    """SQLite's quick check of a catalog file: "ok", or what is wrong."""
    connection = raw_connect(path, key=workspace.key)
    try:
        return str(connection.execute("PRAGMA quick_check").fetchone()[0])
    except DATABASE_ERRORS as error:
        workspace.key.check()
        problem = disk_problem(error, path)
        if problem is not None:
            raise problem from error
        return str(error)
    finally:
        connection.close()


def _quarantined(case_id: str) -> AdvisorError:
    return CaseFileError(
        N_("The case file {name} is damaged and was moved to the quarantine folder."),
        N_("Restore it from the newest backup that holds it (restore BACKUP --case {case_id})."),
        name=f"{case_id}.case",
        case_id=case_id,
    )
