"""The person's rights over their data: access export, erasure, retention and anonymisation.

Erasure removes the case file, its rows in the catalog and the full-text index (the catalog
is then rewritten so that no free page keeps them), its copies in every backup (an
interrupted backup's, and those made before a migration or an import, included), in the
quarantine and in set-aside catalogs, and its packages in the outbox, queued or sent
(through `erase_hooks`, which the outbox registers); the audit log keeps that a case was
erased, when and by whom, and nothing else.

It is journaled (storage/erasure.py): `erasing/<case id>.json` is written before the first
deletion and removed after the last, and every step can be run again. An erasure killed
halfway, even once the case file is gone, is reported at opening and by `check`, and
`erase` run again finishes it. `check` also names whatever is left of an erased case.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update

from advisor_app.domain import records
from advisor_app.domain.enums import CaseStatus
from advisor_app.domain.errors import AdvisorError, NotFoundError
from advisor_app.domain.messages import N_
from advisor_app.domain.records import Kind
from advisor_app.services.case_reader import read_case
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.document_names import document_name, person_for_file, unused_path
from advisor_app.services.private_files import private_folder, write_private, write_private_text
from advisor_app.services.settings import SettingsService
from advisor_app.storage import erasure
from advisor_app.storage.backups import compact, purge_case_from_backups, scrub_catalog
from advisor_app.storage.case_models import CASE_MODELS, Attachment, CaseBase, Note, Person
from advisor_app.storage.catalog_models import AuditEntry, CaseIndex
from advisor_app.storage.exchange_models import OutboxRow
from advisor_app.storage.quarantine import quarantined_ids, remove_quarantined
from advisor_app.storage.sqlite_engine import DATABASE_ERRORS, raw_connect
from advisor_app.storage.team_changes import forget_superseded
from advisor_app.storage.workspace import Workspace
from advisor_app.storage.workspace_lock import ERASE

ANONYMOUS = ""  # an anonymised case has empty names

# What anonymising keeps of a case: the rows of these tables go whole (notes and documents)...
_ERASED_WHEN_ANONYMISED: tuple[type[CaseBase], ...] = (Note, Attachment)


def _personal_texts() -> tuple[tuple[type[CaseBase], tuple[str, ...]], ...]:
    """...and the personal texts of the others are emptied (domain/records.py says which they
    are); the birth date keeps its year."""
    found = []
    for table, model in CASE_MODELS.items():
        names = tuple(
            f.name
            for f in records.record(table)
            if f.personal and f.kind in (Kind.TEXT, Kind.SHORT)
        )
        if names and model not in _ERASED_WHEN_ANONYMISED:
            found.append((model, names))
    return tuple(found)


_ANONYMISED = _personal_texts()


@dataclass(frozen=True)
class RetentionCandidate:
    case_id: str
    holder: str
    closed_on: date | None
    last_contact: date | None
    reference: date


@dataclass(frozen=True)
class AccessExport:
    folder: Path
    pdf: Path
    json: Path
    attachments: list[Path]


class PrivacyService:
    def __init__(self, context: ServiceContext, settings: SettingsService) -> None:
        self.context = context
        self.settings = settings
        # Called with the case id before a case is erased (the outbox drops its packages).
        self.erase_hooks: list[Callable[[str], object]] = []

    @property
    def workspace(self) -> Workspace:
        return self.context.workspace

    # -- right of access -------------------------------------------------------------------

    def access_folder(self, case_id: str, parent: Path, language: str | None = None) -> Path:
        """A new folder in `parent` for one export, named as Boussole names the files it
        writes for a person ("Droit d'accès – Dupré-Lefèvre Amélie – 2026-11-30"), with
        " (2)"... for a second export of the day: one never goes over another."""
        from advisor_app.i18n import current_language, resolve_language

        with self.workspace.reading(case_id) as session:
            person = session.scalars(select(Person)).one()
            holder = person_for_file(person.first_name, person.last_name)
        chosen = resolve_language(language) if language else current_language()
        name = document_name("access", chosen, person=holder, day=self.context.today(), suffix="")
        return unused_path(parent, name, "")

    def access_export(
        self, case_id: str, folder: Path, language: str | None = None
    ) -> AccessExport:
        """Everything held about the person: a readable PDF, a JSON file with every field of
        every table of the case file, and the attachments as files."""
        private_folder(folder)
        attachments_dir = folder / "attachments"
        with self.workspace.reading(case_id) as session:
            detail = read_case(session, self.context.today())
            tables: dict[str, list[dict[str, Any]]] = {}
            for table in CaseBase.metadata.sorted_tables:
                rows = session.execute(select(table)).mappings().all()
                tables[table.name] = [
                    {k: v for k, v in row.items() if k != "content"} for row in rows
                ]
            files: list[Path] = []
            names: dict[str, str] = {}
            for number, row in enumerate(
                session.scalars(select(Attachment).order_by(Attachment.added_at)), start=1
            ):
                private_folder(attachments_dir)
                target = attachments_dir / f"{number:02d}-{_safe_name(row.filename)}"
                write_private(target, row.content)
                files.append(target)
                names[row.id] = f"attachments/{target.name}"
        for row_data in tables.get("attachment", []):
            row_data["file"] = names.get(str(row_data["id"]), "")
        document = {
            "format": 1,
            "exported_at": self.context.now(),
            "case_id": case_id,
            "case": _jsonable(detail),
            "tables": _jsonable(tables),
        }
        json_path = folder / "access-export.json"
        write_private_text(
            json_path, json.dumps(document, ensure_ascii=False, indent=2, default=_json_default)
        )
        from advisor_app.reports.access import write_access_report  # the PDF's: when asked
        from advisor_app.services.reports import page_frame

        frame = page_frame(self.settings, self.context.now(), language)
        pdf = write_access_report(detail, folder / "access-export.pdf", frame)
        self._audit("access_export", case_id)
        return AccessExport(folder, pdf, json_path, files)

    # -- erasure ---------------------------------------------------------------------------

    def erase(self, case_id: str) -> Changes:
        """Erase a case everywhere in the workspace, keeping only an anonymous audit line
        (holding the workspace alone: another window neither saves nor re-keys meanwhile).

        Run again after an interruption, it finishes the erasure."""
        with self.workspace.exclusive(ERASE):
            return self._erase(case_id)

    def unfinished_erasures(self) -> list[str]:
        """The cases whose erasure was interrupted: `erase` finishes each."""
        return erasure.unfinished(self.workspace.root)

    def _erase(self, case_id: str) -> Changes:
        workspace = self.workspace
        root = workspace.root
        path = workspace.case_path(case_id)  # refuses what is not a case number
        if case_id not in erasure.unfinished(root) and not self._holds(case_id, path):
            raise NotFoundError(
                N_("There is no case {case_id} in this workspace."), case_id=case_id
            )
        erasure.begin(root, case_id, self.context.now())
        for hook in self.erase_hooks:
            hook(case_id)
        workspace.delete_case_file(case_id)
        for leftover in workspace.cases_dir.glob(f".{case_id}*"):
            leftover.unlink(missing_ok=True)
        remove_quarantined(root, case_id)
        self._audit_erasure(case_id)
        self._compact_catalog()
        purge_case_from_backups(workspace.backups_dir, case_id, key=workspace.key)
        self._scrub_set_aside_catalogs(case_id)
        _sweep_outbox_temporaries(workspace.outbox_dir)
        erasure.remove_named_after(root, case_id)
        erasure.finish(root, case_id)
        return Changes(cases=frozenset({case_id}), case_list=True, agenda=True, outbox=True)

    def _holds(self, case_id: str, path: Path) -> bool:
        """Whether anything of the case is in the workspace: its file, its catalog rows,
        its packages, or a copy anywhere (a backup, the quarantine...)."""
        if path.exists():
            return True
        with self.workspace.catalog.read() as catalog:
            if catalog.get(CaseIndex, case_id) is not None:
                return True
            packages = select(OutboxRow.package_id).where(OutboxRow.case_id == case_id)
            if catalog.scalars(packages).first() is not None:
                return True
        root = self.workspace.root
        return bool(
            case_id in quarantined_ids(root)
            or erasure.named_after(root, [case_id])
            or erasure.in_backup_manifests(self.workspace.backups_dir, [case_id])
        )

    def _audit_erasure(self, case_id: str) -> None:
        """The audit line of the erasure, once: a resumed erasure does not write it again."""
        with self.workspace.catalog.write() as catalog:
            last = catalog.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.case_id == case_id)
                .order_by(AuditEntry.id.desc())
                .limit(1)
            ).first()
            if last != "erased":
                self.workspace.audit(catalog, "erased", case_id, self.settings.advisor_name)

    def erasure_problems(self) -> list[tuple[str | None, AdvisorError]]:
        """For `check`: each erasure left unfinished, and whatever is left of an erased case
        (a file or folder named after it, a backup manifest or a catalog row naming it)."""
        workspace = self.workspace
        pending = erasure.unfinished(workspace.root)
        problems: list[tuple[str | None, AdvisorError]] = [
            (case_id, unfinished_erasure(case_id)) for case_id in pending
        ]
        erased = self._erased_ids() - set(pending)
        if not erased:
            return problems
        left: dict[str, list[str]] = {}
        for found in (
            erasure.named_after(workspace.root, erased),
            erasure.in_backup_manifests(workspace.backups_dir, erased),
        ):
            for case_id, paths in found.items():
                left.setdefault(case_id, []).extend(
                    str(p.relative_to(workspace.root)) for p in paths
                )
        with workspace.catalog.read() as catalog:
            for table, column in ((CaseIndex, CaseIndex.case_id), (OutboxRow, OutboxRow.case_id)):
                for case_id in catalog.scalars(select(column).where(column.in_(erased))):
                    left.setdefault(case_id, []).append(table.__tablename__)
        for case_id in sorted(left):
            problems.append(
                (
                    case_id,
                    AdvisorError(
                        N_(
                            "Something of the erased case {case_id} is still in the workspace: {path}."
                        ),
                        N_("Run erase {case_id} again to remove what is left."),
                        case_id=case_id,
                        path=sorted(left[case_id])[0],
                    ),
                )
            )
        return problems

    def _erased_ids(self) -> set[str]:
        """The cases whose last line in the audit log is their erasure (a case imported
        again since then is a case of the workspace again)."""
        with self.workspace.catalog.read() as catalog:
            erased = select(AuditEntry.case_id).where(AuditEntry.action == "erased")
            last = (
                select(AuditEntry.case_id, func.max(AuditEntry.id).label("last"))
                .where(AuditEntry.case_id.in_(erased))
                .group_by(AuditEntry.case_id)
                .subquery()
            )
            rows = catalog.execute(
                select(AuditEntry.case_id)
                .join(last, AuditEntry.id == last.c.last)
                .where(AuditEntry.action == "erased")
            )
            return {str(case_id) for (case_id,) in rows}

    def _compact_catalog(self) -> None:
        """Rewrite the index and the state, so that no free page keeps the erased rows."""
        catalog = self.workspace.catalog
        for path in (catalog.path, catalog.state_path):
            connection = raw_connect(path, key=self.workspace.key)
            try:
                connection.execute("PRAGMA secure_delete = ON")
                compact(connection)
            finally:
                connection.close()

    def _scrub_set_aside_catalogs(self, case_id: str) -> None:
        """Catalogs moved aside as damaged may still name the person."""
        folder = self.workspace.root / "damaged"
        if not folder.is_dir():
            return
        for path in folder.glob("*.sqlite"):
            try:
                scrub_catalog(path, case_id, key=self.workspace.key)
            except DATABASE_ERRORS:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)

    # -- retention -------------------------------------------------------------------------

    @property
    def retention_years(self) -> int:
        return int(self.settings.get("retention_years"))

    def past_retention(self) -> list[RetentionCandidate]:
        """Closed cases whose last contact (or closing) is older than the retention period,
        not anonymised yet: to be anonymised or erased."""
        limit = _years_before(self.context.today(), self.retention_years)
        with self.workspace.catalog.read() as catalog:
            rows = catalog.execute(
                select(
                    CaseIndex.case_id,
                    CaseIndex.first_name,
                    CaseIndex.last_name,
                    CaseIndex.closed_on,
                    CaseIndex.last_contact,
                    CaseIndex.opened_on,
                ).where(
                    CaseIndex.status == CaseStatus.CLOSED.value,
                    CaseIndex.damaged.is_(None),
                    (CaseIndex.first_name != ANONYMOUS) | (CaseIndex.last_name != ANONYMOUS),
                )
            ).all()
        found: list[RetentionCandidate] = []
        for row in rows:
            dates = [d for d in (row.closed_on, row.last_contact, row.opened_on) if d]
            if not dates:
                continue
            reference = max(dates)
            if reference < limit:
                found.append(
                    RetentionCandidate(
                        row.case_id,
                        f"{row.first_name} {row.last_name}".strip(),
                        row.closed_on,
                        row.last_contact,
                        reference,
                    )
                )
        found.sort(key=lambda c: c.reference)
        return found

    def anonymise(self, case_id: str) -> Changes:
        """Remove identity and free texts; keep year, stage, outcome, hours and the public
        categories (gender, birth year, situation, commune, neighbourhood) for statistics."""
        workspace = self.workspace
        with workspace.changing(case_id, "anonymised", "", self.settings.advisor_name) as session:
            person = session.scalars(select(Person)).one()
            birth = person.birth_date
            for model, names in _ANONYMISED:
                session.execute(update(model).values(dict.fromkeys(names, ANONYMOUS)))
            person.birth_date = date(birth.year, 1, 1) if birth else None
            for model in _ERASED_WHEN_ANONYMISED:
                session.execute(delete(model))
        with workspace.lock.shared(), workspace.open_case(case_id).bookkeeping() as session:
            forget_superseded(session)  # the values replaced, kept for the team
        path = workspace.case_path(case_id)
        connection = raw_connect(path, key=workspace.key)
        try:
            connection.execute("VACUUM")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        workspace.reindex_case(case_id)
        self._compact_catalog()
        purge_case_from_backups(workspace.backups_dir, case_id, key=workspace.key)
        self._audit("anonymised", case_id)
        return Changes.of_case(case_id)

    def is_anonymised(self, case_id: str) -> bool:
        with self.workspace.catalog.read() as catalog:
            row = catalog.get(CaseIndex, case_id)
        return row is not None and row.first_name == ANONYMOUS and row.last_name == ANONYMOUS

    # -- consent to processing -------------------------------------------------------------

    def cases_without_consent(self) -> list[str]:
        """Live cases with no processing consent recorded (flagged in list and dashboard)."""
        with self.workspace.catalog.read() as catalog:
            return list(
                catalog.scalars(
                    select(CaseIndex.case_id)
                    .where(
                        CaseIndex.processing_consent.is_(False),
                        CaseIndex.damaged.is_(None),
                        CaseIndex.binned_at.is_(None),
                        (CaseIndex.first_name != ANONYMOUS) | (CaseIndex.last_name != ANONYMOUS),
                    )
                    .order_by(CaseIndex.last_name)
                )
            )

    def _audit(self, action: str, case_id: str | None) -> None:
        with self.workspace.catalog.write() as catalog:
            self.workspace.audit(catalog, action, case_id, self.settings.advisor_name)


def unfinished_erasure(case_id: str) -> AdvisorError:
    """What is said of an erasure that was interrupted (at opening, and by `check`)."""
    return AdvisorError(
        N_(
            "The erasure of the case {case_id} was interrupted: some of it is still in the workspace."
        ),
        N_("Run erase {case_id} to finish it."),
        case_id=case_id,
    )


def _sweep_outbox_temporaries(folder: Path) -> None:
    """Temporary files and folders of the outbox (a package or its reports being built when
    a process was stopped): no export runs while an erasure holds the workspace."""
    if not folder.is_dir():
        return
    for path in folder.glob(".*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def _safe_name(filename: str) -> str:
    name = _UNSAFE.sub("_", Path(filename).name).strip(". ") or "attachment"
    return name[:120]


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result = {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in ("balanced", "is_balanced", "total_needs", "total_resources"):
            extra = getattr(value, name, None)
            if isinstance(extra, int | bool):
                result[name] = extra
        return result
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset) or _is_iterable_sequence(value):
        return [_jsonable(v) for v in value]
    return value


def _is_iterable_sequence(value: Any) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, str | bytes | dict)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"not serialisable: {type(value).__name__}")


__all__ = ["AccessExport", "AdvisorError", "PrivacyService", "RetentionCandidate"]
