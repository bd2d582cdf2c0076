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
from typing import Any, BinaryIO

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
    Outcome,
    Parcel,
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


# Packages claimed per catalog transaction, which also records the deliveries of the
# previous ones, and checked on a WebDAV server by one listing: a sync writes the catalog
# (its state is synced to disk at each commit) once per this many packages rather than
# once per package. A sync cut short leaves at most this many "sending": the next one
# looks for each on the server before sending it again, so none arrives twice.
SEND_BATCH = 100


@dataclass
class _Batch:
    """A sync's packages between two catalog transactions: those delivered, whose record
    waits for the next one, and those claimed ("sending") but not tried yet, with their
    state and attempts before the claim (given back if the sync stops before them)."""

    delivered: list[tuple[OutboxRow, Delivery, str, datetime]] = field(default_factory=list)
    untried: dict[str, tuple[str, int]] = field(default_factory=dict)


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
        batch = _Batch()
        # a WebDAV share checks a whole batch with one request (the folder's wrappers of
        # the tests, and the folder transport, deliver one package at a time)
        deliver_batch = getattr(transport, "deliver_batch", None)
        try:
            unreachable: AdvisorError | None = None
            claimed: dict[str, int] = {}
            ready: dict[str, Delivery | AdvisorError] = {}
            stopped: AdvisorError | None = None
            for number, row in enumerate(rows):
                if unreachable is not None:
                    report.waiting.append((row.package_id, name, unreachable))
                    yield row.package_id
                    continue
                if number % SEND_BATCH == 0:
                    chunk = rows[number : number + SEND_BATCH]
                    claimed = self._claim(chunk, batch)
                    if deliver_batch is not None:
                        ready = self._deliver_chunk(deliver_batch, chunk, claimed, batch)
                        stopped = next(
                            (o for o in ready.values() if isinstance(o, PartnerUnreachable)),
                            None,
                        )
                attempts = claimed.get(row.package_id)
                if attempts is None:  # another sync took or finished it meanwhile
                    yield row.package_id
                    continue
                if deliver_batch is not None and row.package_id not in ready:
                    # not checked nor moved into the drop (the partner became unreachable
                    # first): given back as it was, to be sent next time
                    waiting = stopped or AdvisorError(
                        N_("The package {name} was not sent."), name=row.file_name
                    )
                    report.waiting.append((row.package_id, name, waiting))
                    yield row.package_id
                    continue
                batch.untried.pop(row.package_id, None)
                try:
                    if deliver_batch is None:
                        outcome = self._send_one(transport, row, attempts)
                    else:
                        outcome = self._outcome(row, attempts, ready[row.package_id])
                    sent = (row, outcome, transport.destination, self.context.now())
                    batch.delivered.append(sent)
                    report.sent.append(row.package_id)
                except PartnerUnreachable as error:
                    unreachable = error
                    report.failed.append((row.package_id, name, error))
                except AdvisorError as error:
                    report.failed.append((row.package_id, name, error))
                yield row.package_id
        finally:
            if batch.delivered or batch.untried:
                with self.context.workspace.catalog.write() as catalog:
                    self._settle(catalog, batch)
            transport.close()

    def _claim(self, rows: list[OutboxRow], batch: _Batch) -> dict[str, int]:
        """Mark these packages "sending" (one more attempt each) in one catalog transaction,
        which also records the deliveries made since the last one; their attempt numbers,
        without those another sync took or finished meanwhile."""
        claimed: dict[str, int] = {}
        with self.context.workspace.catalog.write() as catalog:
            self._settle(catalog, batch)
            ids = [row.package_id for row in rows]
            for found in catalog.scalars(select(OutboxRow).where(OutboxRow.package_id.in_(ids))):
                if found.state not in PENDING:
                    continue
                batch.untried[found.package_id] = (found.state, found.attempts)
                found.state = "sending"
                found.attempts += 1
                claimed[found.package_id] = found.attempts
        return claimed

    def _settle(self, catalog: Session, batch: _Batch) -> None:
        """Record the deliveries made, and give back the packages claimed but not tried."""
        if batch.delivered:
            self._record_sent(catalog, batch.delivered)
            batch.delivered.clear()
        if batch.untried:
            ids = list(batch.untried)
            for row in catalog.scalars(select(OutboxRow).where(OutboxRow.package_id.in_(ids))):
                if row.state == "sending":
                    row.state, row.attempts = batch.untried[row.package_id]
            batch.untried.clear()

    def _deliver_chunk(
        self,
        deliver_batch: Callable[[list[Parcel]], list[Outcome]],
        rows: list[OutboxRow],
        claimed: dict[str, int],
        batch: _Batch,
    ) -> dict[str, Delivery | AdvisorError]:
        """Deliver the claimed packages of `rows` as one batch; their outcomes by package.
        Those the batch did not finish (the partner became unreachable) are given back to
        their state before the claim, and left out."""
        sending = [row for row in rows if row.package_id in claimed]
        before = {row.package_id: batch.untried.pop(row.package_id) for row in sending}
        outcomes = deliver_batch(
            [
                Parcel(
                    row.file_name,
                    row.size,
                    row.sha256,
                    lambda row=row: self._opened(row),  # type: ignore[misc]
                    retry=claimed[row.package_id] > 1,
                )
                for row in sending
            ]
        )
        ready: dict[str, Delivery | AdvisorError] = {}
        for row, outcome in zip(sending, outcomes, strict=True):
            if outcome is None:
                batch.untried[row.package_id] = before[row.package_id]  # given back
            else:
                ready[row.package_id] = outcome
        return ready

    def _outcome(self, row: OutboxRow, attempts: int, outcome: Delivery | AdvisorError) -> Delivery:
        """A batch's outcome for one package, as `_send_one` gives it: a failure recorded
        (with its next attempt) and raised."""
        if isinstance(outcome, Delivery):
            return outcome
        retry = outcome.retryable if isinstance(outcome, TransportError) else True
        self._failed(row.package_id, attempts, outcome, retry)
        raise outcome

    def _opened(self, row: OutboxRow) -> BinaryIO:
        """The bytes of a package to send, opened in memory only (a sealed package is
        never written in clear); a problem is an AdvisorError naming the package."""
        path = self.folder / row.file_name
        if not path.exists():
            raise TransportError(
                N_("The package file {name} is missing from the outbox."),
                N_("Export the case again."),
                retryable=False,
                name=row.file_name,
            )
        try:
            return io.BytesIO(read_sealed(path, self.context.workspace.key))
        except AdvisorError:
            raise
        except Exception as error:
            raise TransportError(
                N_("The package {name} could not be sent: {reason}."),
                name=row.file_name,
                reason=str(error) or type(error).__name__,
            ) from error

    def _send_one(self, transport: Transport, row: OutboxRow, attempts: int) -> Delivery:
        """Deliver one package claimed for its `attempts`-th try; a failure is recorded (with
        its next attempt) and raised. Should the process stop before its delivery is
        recorded, the package stays "sending": the next sync finds it already there and
        records it then."""
        path = self.folder / row.file_name
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
        return Delivery(outcome)

    @staticmethod
    def _record_sent(
        catalog: Session, delivered: list[tuple[OutboxRow, Delivery, str, datetime]]
    ) -> None:
        """Mark these packages sent, with a line each in the journal of sends."""
        ids = [row.package_id for row, _outcome, _destination, _at in delivered]
        with catalog.no_autoflush:
            rows = {
                r.package_id: r
                for r in catalog.scalars(select(OutboxRow).where(OutboxRow.package_id.in_(ids)))
            }
            for row, outcome, destination, now in delivered:
                sent = rows.get(row.package_id)
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
