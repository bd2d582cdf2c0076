"""The person's rights over their data: access export, erasure, retention and anonymisation.

Erasure removes the case file, its rows in the catalog and the full-text index (the catalog
is then rewritten so that no free page keeps them), its copies in every backup and in the
quarantine, and its queued packages (through `erase_hooks`, which the outbox registers); the
audit log keeps that a case was erased, when and by whom, and nothing else.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from advisor_app.domain.enums import CaseStatus
from advisor_app.domain.errors import AdvisorError, NotFoundError
from advisor_app.domain.messages import N_
from advisor_app.reports.access import write_access_report
from advisor_app.services.case_reader import read_case
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.reports import page_frame
from advisor_app.services.settings import SettingsService
from advisor_app.storage.backups import compact, purge_case_from_backups, scrub_catalog
from advisor_app.storage.case_models import (
    Appointment,
    Attachment,
    CaseBase,
    Consent,
    FinancingLineRow,
    HistoryEntry,
    Milestone,
    Note,
    Person,
    Project,
)
from advisor_app.storage.catalog_models import CaseIndex
from advisor_app.storage.quarantine import remove_quarantined
from advisor_app.storage.sqlite_engine import DATABASE_ERRORS, raw_connect
from advisor_app.storage.workspace import Workspace

ANONYMOUS = ""  # an anonymised case has empty names


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

    def access_export(
        self, case_id: str, folder: Path, language: str | None = None
    ) -> AccessExport:
        """Everything held about the person: a readable PDF, a JSON file with every field of
        every table of the case file, and the attachments as files."""
        folder.mkdir(parents=True, exist_ok=True)
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
                attachments_dir.mkdir(exist_ok=True)
                target = attachments_dir / f"{number:02d}-{_safe_name(row.filename)}"
                target.write_bytes(row.content)
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
        json_path.write_text(
            json.dumps(document, ensure_ascii=False, indent=2, default=_json_default),
            encoding="utf-8",
        )
        frame = page_frame(self.settings, self.context.now(), language)
        pdf = write_access_report(detail, folder / "access-export.pdf", frame)
        self._audit("access_export", case_id)
        return AccessExport(folder, pdf, json_path, files)

    # -- erasure ---------------------------------------------------------------------------

    def erase(self, case_id: str) -> Changes:
        """Erase a case everywhere in the workspace, keeping only an anonymous audit line."""
        workspace = self.workspace
        with workspace.catalog.read() as catalog:
            known = catalog.get(CaseIndex, case_id) is not None
        if not known and not workspace.case_path(case_id).exists():
            raise NotFoundError(
                N_("There is no case {case_id} in this workspace."), case_id=case_id
            )
        for hook in self.erase_hooks:
            hook(case_id)
        workspace.delete_case_file(case_id)
        for leftover in workspace.cases_dir.glob(f".{case_id}*"):
            leftover.unlink(missing_ok=True)
        remove_quarantined(workspace.root, case_id)
        self._audit("erased", case_id)
        self._compact_catalog()
        purge_case_from_backups(workspace.backups_dir, case_id)
        self._scrub_set_aside_catalogs(case_id)
        return Changes(cases=frozenset({case_id}), case_list=True, agenda=True)

    def _compact_catalog(self) -> None:
        connection = raw_connect(self.workspace.catalog.path)
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
                scrub_catalog(path, case_id)
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
            for name in ("first_name", "last_name", "email", "phone", "address", "referred_by"):
                setattr(person, name, ANONYMOUS)
            person.birth_date = date(birth.year, 1, 1) if birth else None
            project = session.scalars(select(Project)).one()
            for name in ("title", "description", "market_and_offer", "advisor_opinion"):
                setattr(project, name, "")
            session.execute(
                update(Appointment).values(topic="", place="", summary="", next_actions="")
            )
            session.execute(update(Milestone).values(comment=""))
            session.execute(update(FinancingLineRow).values(label=""))
            session.execute(update(Consent).values(how=""))
            session.execute(update(HistoryEntry).values(detail=""))
            session.execute(delete(Note))
            session.execute(delete(Attachment))
        path = workspace.case_path(case_id)
        connection = raw_connect(path)
        try:
            connection.execute("VACUUM")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        workspace.reindex_case(case_id)
        self._compact_catalog()
        purge_case_from_backups(workspace.backups_dir, case_id)
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
