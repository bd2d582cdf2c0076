"""Exporting a case to a partner (as a package queued in the outbox) and importing one.

A package is built in memory and kept in the outbox sealed when the workspace is encrypted
(storage/sealed.py); the reports it carries are printed into a private temporary folder of
the outbox, removed whatever happens.
"""

from __future__ import annotations

import fnmatch
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from advisor_app.domain import records
from advisor_app.domain.messages import N_
from advisor_app.domain.records import Record
from advisor_app.exchange import schemas
from advisor_app.exchange.errors import ExchangeError, PackageRefused
from advisor_app.exchange.package import (
    FORMAT_VERSION,
    Limits,
    PackageHeader,
    attachment_name,
    package_bytes,
    sha256_of,
)
from advisor_app.services.changes import Changes
from advisor_app.services.imports import ImportPreview, apply_import, preview_import
from advisor_app.services.partners import PartnerView
from advisor_app.storage.case_models import (
    Appointment,
    Attachment,
    CaseBase,
    CaseInfo,
    Consent,
    FinancingLineRow,
    ForecastLine,
    FundingRequest,
    Milestone,
    Note,
    Person,
    Project,
    new_id,
)
from advisor_app.storage.exchange_models import OutboxRow
from advisor_app.storage.sealed import write_sealed
from advisor_app.storage.workspace import Workspace

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from advisor_app.services import Services

# The person's fields each section of a partner's profile sends (identity, contact, situation).
PERSON_SECTIONS: dict[str, tuple[str, ...]] = {
    section: tuple(f.name for f in records.PERSON if f.exported and f.section == section)
    for section in ("identity", "contact", "situation")
}


def package_file_name(package_id: str) -> str:
    return f"boussole-{package_id}.zip"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row(row: Any, record: Record) -> dict[str, Any]:
    """The row as `case.json` holds it: the fields of `record` sent to partners."""
    return {name: _plain(getattr(row, name)) for name in record.exported_names}


class ExchangeService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.limits = Limits()

    @property
    def workspace(self) -> Workspace:
        return self.services.workspace

    # -- export -------------------------------------------------------------------------

    def export(self, case_id: str, partner_name: str) -> tuple[str, Changes]:
        """Build the package the partner's profile asks for and queue it in the outbox.

        Refused, with a sentence saying why, unless the person consented to share their
        case with this partner."""
        partner = self.services.partners.get(partner_name)
        if self.services.partners.sharing_consent(case_id, partner.name) is None:
            case = self.services.cases.get(case_id)
            raise ExchangeError(
                N_(
                    "{holder} has not consented to share their case with {partner}: "
                    "nothing was exported."
                ),
                N_(
                    "Record their consent first, on the Identity page of the case or with: "
                    "advisor-app consent CASE_ID --share-with NAME."
                ),
                holder=case.person.display_name,
                partner=partner.name,
            )
        # held shared from the first read to the package's row: an erasure or a re-keying,
        # which hold the workspace alone, never runs in between
        with self.workspace.sharing():
            return self._queue(case_id, partner)

    def _queue(self, case_id: str, partner: PartnerView) -> tuple[str, Changes]:
        with self.workspace.reading(case_id) as session:
            document, files = case_document(session, partner)
        try:  # what a partner's Boussole would refuse is refused here, before anything is queued
            schemas.check("case", document, "case.json")
        except PackageRefused as refused:
            raise ExchangeError(
                refused.message,
                N_(
                    "This case cannot be exported as it is (it was written by an older "
                    "Boussole): correct that field in the case, then export again."
                ),
                **refused.params,
            ) from refused
        # beside the package, in a folder of its owner's only (0o700), never in /tmp
        with tempfile.TemporaryDirectory(
            prefix=".reports-", dir=self.workspace.outbox_dir
        ) as folder:
            for kind in partner.reports:
                path = Path(folder) / f"{kind}.pdf"
                self._render(kind, case_id, path)
                files[f"reports/{kind}.pdf"] = path.read_bytes()
                document["reports"].append({"kind": kind, "path": f"reports/{kind}.pdf"})
        package_id = new_id()
        now = self.services.context.now()
        settings = self.services.settings
        target = self.workspace.outbox_dir / package_file_name(package_id)
        data = package_bytes(
            PackageHeader(
                package_id=package_id,
                case_id=case_id,
                partner=partner.name,
                created_at=now.isoformat(),
                advisor=settings.advisor_name,
                organisation=str(settings.get("organisation") or ""),
            ),
            document,
            files,
        )
        write_sealed(target, data, self.workspace.key)
        try:
            with self.workspace.catalog.write() as catalog:
                catalog.add(
                    OutboxRow(
                        package_id=package_id,
                        partner=partner.name,
                        case_id=case_id,
                        file_name=target.name,
                        size=len(data),
                        sha256=sha256_of(data),
                        state="queued",
                        attempts=0,
                        next_attempt_at=now,
                        last_error="",
                        created_at=now,
                    )
                )
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return package_id, Changes(outbox=True)

    def _render(self, kind: str, case_id: str, path: Path) -> None:
        from advisor_app.services.reports import ReportService

        reports = ReportService(self.services)
        if kind == "committee":
            reports.committee(case_id, path)
        else:
            reports.progress(case_id, path)

    # -- import -------------------------------------------------------------------------

    def preview_import(self, path: Path) -> ImportPreview:
        """Check the package and say what importing it would create or update."""
        return preview_import(self.workspace, path, self.limits)

    def import_package(self, path: Path) -> tuple[ImportPreview, Changes]:
        """Check, then write in one go: a new case file, or an update after a backup."""
        preview = self.preview_import(path)
        apply_import(self.workspace, preview, self.services.settings.advisor_name)
        return preview, Changes.of_case(preview.case_id, agenda=True)


# The lists a partner's sections may send, each in the order it is read (ties by id: the same
# case gives the same bytes).
_LISTS: tuple[tuple[type[CaseBase], tuple[Any, ...]], ...] = (
    (Milestone, (Milestone.position,)),
    (Appointment, (Appointment.start, Appointment.id)),
    (FinancingLineRow, (FinancingLineRow.position, FinancingLineRow.id)),
    (ForecastLine, (ForecastLine.year, ForecastLine.item)),
    (FundingRequest, (FundingRequest.id,)),
    (Note, (Note.written_at, Note.id)),
)


def case_document(
    session: Session, partner: PartnerView
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The `case.json` of the package for `partner`, and the attachments it names."""
    sections = partner.sections
    info = session.scalars(select(CaseInfo)).one()
    person = session.scalars(select(Person)).one()
    document: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "case_id": info.id,
        "revision": info.revision,
        "sections": list(sections),
        "case": _row(info, records.CASE_INFO),
        "person": {
            name: _plain(getattr(person, name))
            for section, names in PERSON_SECTIONS.items()
            if section in sections
            for name in names
        },
        "consents": [
            _row(c, records.CONSENT)
            for c in session.scalars(select(Consent).order_by(Consent.given_on, Consent.id))
        ],
        "attachments": [],
        "reports": [],
    }
    if records.PROJECT.section in sections:
        document["project"] = _row(session.scalars(select(Project)).one(), records.PROJECT)
    for model, order in _LISTS:
        record = records.record(model.__tablename__)
        if record.section in sections:
            rows = session.scalars(select(model).order_by(*order))
            document[str(record.document)] = [_row(row, record) for row in rows]
    files: dict[str, bytes] = {}
    patterns = [p.casefold() for p in partner.attachments]
    if patterns:
        for attachment in session.scalars(
            select(Attachment).order_by(Attachment.added_at, Attachment.id)
        ):
            if not any(fnmatch.fnmatch(attachment.filename.casefold(), p) for p in patterns):
                continue
            name = attachment_name(attachment.id, attachment.filename)
            files[name] = attachment.content
            entry = _row(attachment, records.ATTACHMENT)
            entry["path"] = name
            document["attachments"].append(entry)
    return document, files
