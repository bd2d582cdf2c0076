"""Importing a package from another advisor: check it, preview it, then write in one go.

A package that fails a check is refused before the workspace is touched: its zip and JSON
(exchange/package.py), then every row against what its column keeps (services/limits.py).
A new case is written under a temporary name and put in place; an existing one is first
copied into `backups/imports`, then updated in one transaction; if that fails, the copy is
removed and the case file is as it was. Rows are matched by their id (and milestones by
their key): what the package brings is added or updated, nothing local is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_
from advisor_app.domain.records import Kind, exported_records
from advisor_app.exchange.errors import PackageRefused
from advisor_app.exchange.package import Limits, ReceivedPackage, read_package
from advisor_app.services.limits import check_row
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
)
from advisor_app.storage.owner_only import unused_path
from advisor_app.storage.sqlite_engine import online_backup, raw_connect
from advisor_app.storage.workspace import Workspace

# key in case.json -> (table, label of the rows for the preview)
LISTS: dict[str, tuple[type[CaseBase], str]] = {
    "milestones": (Milestone, N_("milestones")),
    "appointments": (Appointment, N_("appointments")),
    "financing_plan": (FinancingLineRow, N_("lines of the financing plan")),
    "forecast": (ForecastLine, N_("lines of the forecast")),
    "funding": (FundingRequest, N_("funding requests")),
    "notes": (Note, N_("notes")),
    "consents": (Consent, N_("consents")),
    "attachments": (Attachment, N_("attachments")),
}
# key in case.json -> the heading of its line in the preview ("Milestones: 3 to add.")
PREVIEW_TITLES: dict[str, str] = {
    "milestones": N_("Milestones"),
    "appointments": N_("Appointments"),
    "financing_plan": N_("Lines of the financing plan"),
    "forecast": N_("Lines of the forecast"),
    "funding": N_("Funding requests"),
    "notes": N_("Notes"),
    "consents": N_("Consents"),
    "attachments": N_("Attachments"),
}
# The fields of case.json that hold a day, and those that hold a day and a time.
_SENT = [f for record in exported_records() for f in record if f.exported]
DATE_FIELDS = {f.name for f in _SENT if f.kind is Kind.DATE}
DATETIME_FIELDS = {f.name for f in _SENT if f.kind is Kind.DATETIME}


@dataclass(frozen=True)
class PreviewLine:
    """One line of what an import will do: an untranslated message and its parameters."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPreview:
    package: ReceivedPackage
    creates: bool
    holder: str
    lines: list[PreviewLine]

    @property
    def case_id(self) -> str:
        return self.package.case_id

    @property
    def sender(self) -> str:
        sender = self.package.manifest["sender"]
        return " — ".join(part for part in (sender["advisor"], sender["organisation"]) if part)


def _value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in DATE_FIELDS:
        return date.fromisoformat(value)
    if name in DATETIME_FIELDS:
        return datetime.fromisoformat(value)
    return value


def _fields(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _value(name, value) for name, value in item.items() if name != "path"}


def _check_rows(document: dict[str, Any]) -> None:
    """Every row of the package as its column keeps it (texts, dates, numbers), or a refusal
    naming where, before anything is written."""
    parts: list[tuple[type[CaseBase], str, dict[str, Any]]] = [
        (CaseInfo, "case", document["case"]),
        (Person, "person", document["person"]),
        (Project, "project", document.get("project", {})),
    ]
    for key, (table, _label) in LISTS.items():
        parts.extend(
            (table, f"{key}/{index}", item) for index, item in enumerate(document.get(key, []))
        )
    for table, where, item in parts:
        try:
            check_row(table, _fields(item))
        except (ValidationError, ValueError) as error:
            field_name = error.field if isinstance(error, ValidationError) else ""
            raise PackageRefused(
                N_("The package holds a value Boussole cannot keep at {where}."),
                N_("Ask the sender for a new package; nothing was imported."),
                where=f"{where}/{field_name}".rstrip("/"),
            ) from None


def preview_import(workspace: Workspace, path: Path, limits: Limits) -> ImportPreview:
    package = read_package(path, limits)
    document = package.case
    _check_rows(document)
    for key in LISTS:
        ids = [item["id"] for item in document.get(key, [])]
        if len(ids) != len(set(ids)):
            raise PackageRefused(
                N_("The package lists the same row twice in {what}."),
                N_("Ask the sender for a new package; nothing was imported."),
                what=key,
            )
    keys = [m["key"] for m in document.get("milestones", [])]
    if len(keys) != len(set(keys)):
        raise PackageRefused(
            N_("The package lists the same row twice in {what}."),
            N_("Ask the sender for a new package; nothing was imported."),
            what="milestones",
        )
    person = document["person"]
    holder = f"{person.get('first_name', '')} {person.get('last_name', '')}".strip()
    if not workspace.case_path(package.case_id).exists():
        lines = [PreviewLine(N_("A new case file will be created."))]
        for key in LISTS:
            if document.get(key):
                lines.append(
                    PreviewLine(
                        N_("{what}: {count} to add."),
                        {"count": len(document[key]), "what": PREVIEW_TITLES[key]},
                    )
                )
        return ImportPreview(package, True, holder, lines)
    lines = [
        PreviewLine(
            N_("The case already in this workspace will be updated, after a backup copy of it.")
        )
    ]
    with workspace.reading(package.case_id) as session:
        if not holder:
            local = session.scalars(select(Person)).one()
            holder = f"{local.first_name} {local.last_name}".strip()
        changed = [s for s in ("identity", "contact", "situation") if s in document["sections"]]
        if changed:
            lines.append(PreviewLine(N_("The person's details will be updated.")))
        if "project" in document:
            lines.append(PreviewLine(N_("The project will be updated.")))
        for key, (table, _label) in LISTS.items():
            items = document.get(key, [])
            if not items:
                continue
            known = set(session.scalars(select(table.id)))  # type: ignore[attr-defined]
            updated = sum(1 for item in items if item["id"] in known)
            lines.append(
                PreviewLine(
                    N_("{what}: {new} to add, {updated} to update."),
                    {"what": PREVIEW_TITLES[key], "new": len(items) - updated, "updated": updated},
                )
            )
    return ImportPreview(package, False, holder, lines)


def apply_import(workspace: Workspace, preview: ImportPreview, advisor: str) -> None:
    package = preview.package
    if preview.creates:
        try:
            with workspace.creating("imported", advisor, case_id=package.case_id) as (
                case_id,
                s,
            ):
                _write(s, package, case_id, creating=True)
        except IntegrityError as error:
            raise _does_not_fit() from error
        return
    path = workspace.case_path(package.case_id)
    copy = _copy_before_import(workspace.backups_dir / "imports", path)
    try:
        online_backup(path, copy, key=workspace.key)
        with workspace.changing(
            package.case_id, "imported", package.package_id, advisor
        ) as session:
            _write(session, package, package.case_id, creating=False)
    except BaseException as error:
        # refused or failed before the case file was written: it was rolled back, and its
        # copy goes too (erasure reaches backups/imports, but nothing needs it). Written,
        # then failed (the catalog, which the next opening repairs): the copy made before
        # the import is kept, the one way back to the case as it was.
        if not _import_landed(path, copy, workspace):
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
        if isinstance(error, IntegrityError):
            raise _does_not_fit() from error
        raise


def _import_landed(path: Path, copy: Path, workspace: Workspace) -> bool:
    """Whether the case file moved on from its copy (the import was committed); when in
    doubt (a file that cannot be read now), it did."""
    if not copy.exists():
        return False
    try:
        revisions = []
        for file in (path, copy):
            connection = raw_connect(file, key=workspace.key)
            try:
                revisions.append(connection.execute("SELECT revision FROM case_info").fetchone())
            finally:
                connection.close()
    except Exception:
        return True
    return bool(revisions[0] != revisions[1])


def _copy_before_import(folder: Path, path: Path) -> Path:
    """A name of its own for the copy of the case file made before an import: a copy made
    earlier in the same second is never overwritten (nor deleted with a failed import's)."""
    return unused_path(folder, f"{path.stem}.{datetime.now():%Y%m%d-%H%M%S}", path.suffix)


def _does_not_fit() -> PackageRefused:
    return PackageRefused(
        N_("The package does not fit the case file (two rows contradict each other)."),
        N_("Ask the sender for a new package; nothing was imported."),
    )


def _write(session: Session, package: ReceivedPackage, case_id: str, *, creating: bool) -> None:
    document = package.case
    meta = _fields(document["case"])
    now = datetime.now().replace(microsecond=0)
    if creating:
        session.add(CaseInfo(id=case_id, created_at=now, updated_at=now, **meta))
        session.add(Person(**{"first_name": "", "last_name": "", **_fields(document["person"])}))
        session.add(Project(**_fields(document.get("project", {}))))
        session.flush()
    else:
        info = session.scalars(select(CaseInfo)).one()
        for name in ("status", "closed_on", "outcome"):
            if name in meta:
                setattr(info, name, meta[name])
        person = session.scalars(select(Person)).one()
        for name, value in _fields(document["person"]).items():
            setattr(person, name, value)
        if "project" in document:
            project = session.scalars(select(Project)).one()
            for name, value in _fields(document["project"]).items():
                setattr(project, name, value)
    for key, (table, _label) in LISTS.items():
        for item in document.get(key, []):
            values = _fields(item)
            if table is Attachment:
                values["content"] = package.files[item["path"]]
            if table is Milestone:
                same_key = session.scalars(
                    select(Milestone).where(Milestone.key == values["key"])
                ).first()
                if same_key is not None and same_key.id != values["id"]:
                    session.delete(same_key)
                    session.flush()
            session.merge(table(**values))
