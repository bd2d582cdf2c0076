"""The outbox: packages waiting for their partner, and sync (send what is due, retry later).

States: queued → sending → sent, or → failed (tried again after a backoff with jitter),
or cancelled by the advisor. A package left `sending` by an interrupted sync is sent again
on the next one; the transports' idempotent delivery makes sure it arrives only once.

In an encrypted workspace the packages are kept sealed (storage/sealed.py) and opened in
memory only, to be sent or read back.
"""

from __future__ import annotations

import io
import json
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnClause, literal_column, or_, select
from sqlalchemy.orm import Session

from advisor_app.domain.errors import AdvisorError, NotFoundError, ValidationError
from advisor_app.domain.messages import N_
from advisor_app.exchange.backoff import MAX_AUTOMATIC_ATTEMPTS, retry_delay
from advisor_app.exchange.errors import PartnerUnreachable, TransportError
from advisor_app.exchange.package import package_case_id
from advisor_app.exchange.transports import (
    Delivery,
    FolderTransport,
    Transport,
    WebDavTransport,
)
from advisor_app.services.context import ServiceContext
from advisor_app.services.partners import PartnerService, PartnerView
from advisor_app.storage.catalog_models import CaseIndex
from advisor_app.storage.exchange_models import OutboxRow, SendJournalRow
from advisor_app.storage.sealed import SealedFileError, outbox_packages, read_sealed
from advisor_app.storage.workspace import Progress

PENDING = ("queued", "sending", "failed")
INSERTION_ORDER: ColumnClause[Any] = literal_column("outbox.rowid")
STATES: dict[str, str] = {
    "queued": N_("Waiting"),
    "sending": N_("Sending"),
    "sent": N_("Sent"),
    "failed": N_("Failed, will try again"),
    "cancelled": N_("Cancelled"),
}

AskPassword = Callable[[PartnerView], str | None]
TransportFactory = Callable[[PartnerView, str | None], Transport]


def make_transport(partner: PartnerView, password: str | None) -> Transport:
    if partner.transport == "folder":
        return FolderTransport(Path(partner.location))
    return WebDavTransport(partner.location, partner.user, password or "")


@dataclass(frozen=True)
class OutboxItem:
    package_id: str
    partner: str
    case_id: str
    holder: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: AdvisorError | None
    created_at: datetime
    sent_at: datetime | None
    size: int

    @property
    def state_label_id(self) -> str:
        return STATES[self.state]


@dataclass(frozen=True)
class JournalEntry:
    at: datetime
    package_id: str
    partner: str
    case_id: str
    destination: str
    outcome: str


@dataclass
class SyncReport:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str, AdvisorError]] = field(default_factory=list)
    waiting: list[tuple[str, str, AdvisorError]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failed and not self.waiting


class _Delivered:
    """A package delivered whose record waits for the next catalog transaction."""

    def __init__(self) -> None:
        self.pending: tuple[OutboxRow, Delivery, str, datetime] | None = None


def _stored(error: AdvisorError) -> str:
    return json.dumps({"message": error.message, "hint": error.hint, "params": error.params})


def _error(text: str) -> AdvisorError | None:
    if not text:
        return None
    try:
        data = json.loads(text)
        return AdvisorError(data["message"], data.get("hint", ""), **data.get("params", {}))
    except (ValueError, KeyError, TypeError):
        return AdvisorError(text)


class OutboxService:
    def __init__(self, context: ServiceContext, partners: PartnerService) -> None:
        self.context = context
        self.partners = partners
        self.random = random.Random()
        self.transport_factory: TransportFactory = make_transport
        self._sync_lock = threading.Lock()

    @property
    def folder(self) -> Path:
        return self.context.workspace.outbox_dir

    # -- reading ------------------------------------------------------------------------

    def items(self, partner: str | None = None, *, include_done: bool = True) -> list[OutboxItem]:
        query = (
            select(OutboxRow, CaseIndex.first_name, CaseIndex.last_name)
            .outerjoin(CaseIndex, CaseIndex.case_id == OutboxRow.case_id)
            .order_by(OutboxRow.created_at, INSERTION_ORDER)
        )
        if partner is not None:
            query = query.where(OutboxRow.partner == self.partners.get(partner).name)
        if not include_done:
            query = query.where(OutboxRow.state.in_(PENDING))
        with self.context.workspace.catalog.read() as catalog:
            return [
                OutboxItem(
                    package_id=row.package_id,
                    partner=row.partner,
                    case_id=row.case_id,
                    holder=f"{first or ''} {last or ''}".strip(),
                    state=row.state,
                    attempts=row.attempts,
                    next_attempt_at=row.next_attempt_at,
                    last_error=_error(row.last_error),
                    created_at=row.created_at,
                    sent_at=row.sent_at,
                    size=row.size,
                )
                for row, first, last in catalog.execute(query)
            ]

    def waiting_count(self) -> int:
        return len(self.items(include_done=False))

    def journal(self, package_id: str | None = None) -> list[JournalEntry]:
        query = select(SendJournalRow).order_by(SendJournalRow.id)
        if package_id is not None:
            query = query.where(SendJournalRow.package_id == package_id)
        with self.context.workspace.catalog.read() as catalog:
            return [
                JournalEntry(r.at, r.package_id, r.partner, r.case_id, r.destination, r.outcome)
                for r in catalog.scalars(query)
            ]

    def package_path(self, package_id: str) -> Path:
        """Where the package is kept (sealed when the workspace is encrypted)."""
        return self.folder / self._row(package_id).file_name

    def package_bytes(self, package_id: str) -> bytes:
        """The package as the partner receives it (opened in memory when it is sealed)."""
        return read_sealed(self.package_path(package_id), self.context.workspace.key)

    def _row(self, package_id: str) -> OutboxRow:
        with self.context.workspace.catalog.read() as catalog:
            row = catalog.get(OutboxRow, package_id)
        if row is None:
            raise NotFoundError(
                N_("There is no package {package_id} in the outbox."), package_id=package_id
            )
        return row

    # -- the advisor's actions ----------------------------------------------------------

    def retry(self, package_id: str) -> None:
        """Send this package at the next sync, whatever its backoff said."""
        with self.context.workspace.catalog.write() as catalog:
            row = catalog.get(OutboxRow, package_id)
            if row is None or row.state not in ("failed", "queued", "cancelled"):
                raise ValidationError("package", N_("This package cannot be sent again."))
            if row.state == "cancelled" and not (self.folder / row.file_name).exists():
                raise ValidationError("package", N_("This package cannot be sent again."))
            row.state = "queued"
            row.next_attempt_at = self.context.now()

    def cancel(self, package_id: str) -> None:
        """Give up sending this package; its file is removed from the outbox."""
        with self.context.workspace.catalog.write() as catalog:
            row = catalog.get(OutboxRow, package_id)
            if row is None or row.state in ("sent", "sending"):
                raise ValidationError(
                    "package", N_("This package was sent or is being sent: it cannot be cancelled.")
                )
            row.state = "cancelled"
            row.next_attempt_at = None
            (self.folder / row.file_name).unlink(missing_ok=True)

    def forget_case(self, case_id: str) -> None:
        """Remove the packages of an erased case (they hold personal data): those the outbox
        lists, whatever their state (sent ones too), and any package file of the folder that
        is about the case but that the outbox lost track of (its catalog was replaced)."""
        with self.context.workspace.catalog.write() as catalog:
            for row in catalog.scalars(select(OutboxRow).where(OutboxRow.case_id == case_id)):
                (self.folder / row.file_name).unlink(missing_ok=True)
                catalog.delete(row)
            listed = set(catalog.scalars(select(OutboxRow.file_name)))
        for path in outbox_packages(self.context.workspace.root):
            if path.name not in listed and self._case_of(path) == case_id:
                path.unlink(missing_ok=True)

    def _case_of(self, path: Path) -> str | None:
        try:
            return package_case_id(read_sealed(path, self.context.workspace.key))
        except (OSError, SealedFileError):
            return None

    # -- sync ---------------------------------------------------------------------------

    def reachable(self, partner: str) -> bool:
        """Whether the partner's drop answers now (with the password known, if any)."""
        profile = self.partners.get(partner)
        transport = self.transport_factory(profile, self.partners.passwords.lookup(profile))
        try:
            return transport.reachable()
        finally:
            transport.close()

    def sync(
        self,
        partner: str | None = None,
        *,
        due_only: bool = False,
        ask_password: AskPassword | None = None,
    ) -> SyncReport:
        report = SyncReport()
        for _step in self.sync_steps(report, partner, due_only=due_only, ask_password=ask_password):
            pass
        return report

    def sync_steps(
        self,
        report: SyncReport,
        partner: str | None = None,
        *,
        due_only: bool = False,
        ask_password: AskPassword | None = None,
    ) -> Iterator[Progress]:
        """Send the pending packages ("Sync now"), or only those due (automatic attempts).

        Fills `report` and yields progress after each package."""
        with self._sync_lock:
            rows = self._pending(partner, due_only)
            total = len(rows)
            done = 0
            yield Progress(0, total)
            by_partner: dict[str, list[OutboxRow]] = {}
            for row in rows:
                by_partner.setdefault(row.partner, []).append(row)
            for name, group in by_partner.items():
                for _package in self._send_group(report, name, group, ask_password):
                    done += 1
                    yield Progress(done, total)

    def _pending(self, partner: str | None, due_only: bool) -> list[OutboxRow]:
        query = select(OutboxRow).where(OutboxRow.state.in_(PENDING))
        if partner is not None:
            query = query.where(OutboxRow.partner == self.partners.get(partner).name)
        if due_only:
            query = query.where(
                or_(OutboxRow.state == "sending", OutboxRow.next_attempt_at <= self.context.now())
            )
        with self.context.workspace.catalog.read() as catalog:
            return list(catalog.scalars(query.order_by(OutboxRow.created_at, INSERTION_ORDER)))

    def _send_group(
        self,
        report: SyncReport,
        name: str,
        rows: list[OutboxRow],
        ask_password: AskPassword | None,
    ) -> Iterator[str]:
        profile = self.partners.find(name)
        problem: AdvisorError | None = None
        password: str | None = None
        if profile is None:
            problem = AdvisorError(
                N_("The partner {name} was removed from the workspace."),
                N_("Cancel its packages, or add the partner again."),
                name=name,
            )
        elif profile.transport == "webdav":
            password = self.partners.passwords.lookup(profile)
            if password is None and ask_password is not None:
                password = ask_password(profile)
                if password is not None:
                    self.partners.passwords.remember(profile, password, keep=False)
            if password is None:
                problem = AdvisorError(
                    N_("No password is known for the WebDAV share of {name}."),
                    N_("Sync again and type it when asked, or give it with --password-file."),
                    name=name,
                )
        if problem is not None or profile is None:
            for row in rows:
                report.waiting.append((row.package_id, name, problem or AdvisorError("")))
                yield row.package_id
            return
        transport = self.transport_factory(profile, password)
        delivered = _Delivered()
        try:
            unreachable: AdvisorError | None = None
            for row in rows:
                if unreachable is not None:
                    report.waiting.append((row.package_id, name, unreachable))
                    yield row.package_id
                    continue
                try:
                    if self._send_one(transport, row, delivered):
                        report.sent.append(row.package_id)
                except PartnerUnreachable as error:
                    unreachable = error
                    report.failed.append((row.package_id, name, error))
                except AdvisorError as error:
                    report.failed.append((row.package_id, name, error))
                yield row.package_id
        finally:
            if delivered.pending is not None:
                with self.context.workspace.catalog.write() as catalog:
                    self._record_sent(catalog, *delivered.pending)
            transport.close()

    def _send_one(self, transport: Transport, row: OutboxRow, delivered: _Delivered) -> bool:
        """Deliver one package; False when another sync took or finished it meanwhile.

        The previous package's delivery is recorded in the transaction that claims this one
        (one catalog write per package, not two). Should the process stop in between, that
        package stays "sending": the next sync finds it already there and records it then.
        """
        path = self.folder / row.file_name
        with self.context.workspace.catalog.write() as catalog:
            if delivered.pending is not None:
                self._record_sent(catalog, *delivered.pending)
                delivered.pending = None
            claimed = catalog.get(OutboxRow, row.package_id)
            if claimed is None or claimed.state not in PENDING:
                return False
            claimed.state = "sending"
            claimed.attempts += 1
            attempts = claimed.attempts
        try:
            if not path.exists():
                raise TransportError(
                    N_("The package file {name} is missing from the outbox."),
                    N_("Export the case again."),
                    retryable=False,
                    name=row.file_name,
                )
            # a sealed package is opened in memory only, never written in clear
            with io.BytesIO(read_sealed(path, self.context.workspace.key)) as source:
                outcome = transport.deliver(
                    source, row.file_name, row.size, row.sha256, retry=attempts > 1
                )
        except TransportError as error:
            self._failed(row.package_id, attempts, error, error.retryable)
            raise
        except AdvisorError as error:
            self._failed(row.package_id, attempts, error, True)
            raise
        except Exception as error:
            wrapped = TransportError(
                N_("The package {name} could not be sent: {reason}."),
                name=row.file_name,
                reason=str(error) or type(error).__name__,
            )
            self._failed(row.package_id, attempts, wrapped, True)
            raise wrapped from error
        delivered.pending = (row, Delivery(outcome), transport.destination, self.context.now())
        return True

    @staticmethod
    def _record_sent(
        catalog: Session, row: OutboxRow, outcome: Delivery, destination: str, now: datetime
    ) -> None:
        sent = catalog.get(OutboxRow, row.package_id)
        if sent is not None:
            sent.state = "sent"
            sent.sent_at = now
            sent.next_attempt_at = None
            sent.last_error = ""
        catalog.add(
            SendJournalRow(
                at=now,
                package_id=row.package_id,
                partner=row.partner,
                case_id=row.case_id,
                destination=destination,
                size=row.size,
                sha256=row.sha256,
                outcome=outcome.value,
            )
        )

    def _failed(self, package_id: str, attempts: int, error: AdvisorError, retry: bool) -> None:
        now = self.context.now()
        with self.context.workspace.catalog.write() as catalog:
            row = catalog.get(OutboxRow, package_id)
            if row is None:
                return
            row.state = "failed"
            row.last_error = _stored(error)
            automatic = retry and attempts < MAX_AUTOMATIC_ATTEMPTS
            row.next_attempt_at = now + retry_delay(attempts, self.random) if automatic else None
