"""An advisor's packages reach a partner's WebDAV share once each, even when it fails."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

import pytest

from advisor_app.exchange.transports import Delivery, Parcel, Transport, WebDavTransport
from advisor_app.services import Services
from advisor_app.services.partners import PartnerView
from advisor_app.storage.workspace import Workspace

from .conftest import PASSWORD, DavServer, MovingClock, add_dav_partner, consent, open_case


def export_many(services: Services, count: int, partner: str = "France Active") -> list[str]:
    case_id = open_case(services)
    consent(services, case_id, partner)
    return [services.exchange.export(case_id, partner)[0] for _ in range(count)]


def outbox_bytes(services: Services, package_id: str) -> bytes:
    return services.outbox.package_path(package_id).read_bytes()


def test_fifty_packages_arrive_once_each_with_the_right_bytes(
    advisor: Services, dav: DavServer
) -> None:
    add_dav_partner(advisor, dav)
    packages = export_many(advisor, 50)

    report = advisor.outbox.sync()

    assert report.complete and sorted(report.sent) == sorted(packages)
    delivered = dav.delivered()
    assert len(delivered) == 50
    for package_id in packages:
        name = f"boussole-{package_id}.zip"
        assert delivered[name] == outbox_bytes(advisor, package_id)
    assert sorted(dav.faults.moves()) == sorted(delivered)
    assert {item.state for item in advisor.outbox.items()} == {"sent"}
    journal = advisor.outbox.journal()
    assert len(journal) == 50 and {e.destination for e in journal} == {dav.url}


def test_a_second_sync_sends_nothing_again(advisor: Services, dav: DavServer) -> None:
    add_dav_partner(advisor, dav)
    export_many(advisor, 3)
    advisor.outbox.sync()
    puts = sum(1 for m, _p, _d in dav.faults.requests if m == "PUT")

    report = advisor.outbox.sync()

    assert report.sent == [] and report.complete
    assert sum(1 for m, _p, _d in dav.faults.requests if m == "PUT") == puts


class StopsServerAfter:
    """A transport that pulls the plug on the server after some deliveries."""

    def __init__(self, inner: Transport, server: DavServer, after: int) -> None:
        self.inner, self.server, self.after = inner, server, after
        self.destination = inner.destination

    def reachable(self) -> bool:
        return self.inner.reachable()

    def deliver(
        self, source: Path, name: str, size: int, sha256: str, *, retry: bool = True
    ) -> Delivery:
        if self.after == 0:
            self.server.stop()
        self.after -= 1
        return self.inner.deliver(source, name, size, sha256, retry=retry)

    def close(self) -> None:
        self.inner.close()


def test_server_stopped_midway_then_restarted_the_rest_arrive_nothing_twice(
    advisor: Services, dav: DavServer
) -> None:
    add_dav_partner(advisor, dav)
    packages = export_many(advisor, 12)
    real_factory = advisor.outbox.transport_factory

    def cut_after_five(partner: PartnerView, password: str | None) -> Transport:
        return StopsServerAfter(real_factory(partner, password), dav, 5)

    advisor.outbox.transport_factory = cut_after_five
    first = advisor.outbox.sync()
    assert len(first.sent) == 5 and not first.complete
    assert len(first.failed) == 1 and len(first.waiting) == 6  # unreachable: not hammered
    assert len(dav.delivered()) == 5

    dav.start()
    advisor.outbox.transport_factory = real_factory
    second = advisor.outbox.sync()

    assert second.complete and len(second.sent) == 7
    assert sorted(dav.delivered()) == sorted(f"boussole-{p}.zip" for p in packages)
    moves = dav.faults.moves()
    assert len(moves) == len(set(moves)) == 12


def test_server_stopped_in_the_middle_of_a_batch_then_restarted_nothing_arrives_twice(
    advisor: Services, dav: DavServer
) -> None:
    """The share checks a batch of uploads in one go before renaming them: stopped after
    five uploads, none of them was renamed into the drop; the next sync sends all."""
    add_dav_partner(advisor, dav)
    packages = export_many(advisor, 12)
    real_factory = advisor.outbox.transport_factory
    uploads = {"n": 0}

    class StopsAfterFiveUploads(WebDavTransport):
        def _upload(self, source: BinaryIO, path: str, parcel: Parcel) -> None:
            if uploads["n"] == 5:
                dav.stop()
            uploads["n"] += 1
            super()._upload(source, path, parcel)

    advisor.outbox.transport_factory = lambda partner, password: StopsAfterFiveUploads(
        partner.location, partner.user, password or ""
    )
    first = advisor.outbox.sync()
    assert first.sent == [] and len(first.failed) == 1 and len(first.waiting) == 11
    states = {item.package_id: (item.state, item.attempts) for item in advisor.outbox.items()}
    assert states.pop(first.failed[0][0]) == ("failed", 1)
    assert set(states.values()) == {("queued", 0)}  # given back, as if not tried

    dav.start()
    advisor.outbox.transport_factory = real_factory
    second = advisor.outbox.sync()

    assert second.complete and sorted(second.sent) == sorted(packages)
    delivered = dav.delivered()  # the upload folder of the batches is gone
    assert sorted(delivered) == sorted(f"boussole-{p}.zip" for p in packages)
    for package_id in packages:
        assert delivered[f"boussole-{package_id}.zip"] == outbox_bytes(advisor, package_id)
    moves = dav.faults.moves()
    assert len(moves) == len(set(moves)) == 12


def test_server_errors_are_retried_with_backoff_and_reported(
    advisor: Services, dav: DavServer, clock: MovingClock
) -> None:
    add_dav_partner(advisor, dav)
    packages = export_many(advisor, 4)
    dav.faults.put_answers = [500, 0, 507]  # first and third uploads fail

    first = advisor.outbox.sync(due_only=True)

    assert len(first.sent) == 2
    assert [(p, e.params.get("status")) for p, _n, e in first.failed] == [
        (packages[0], 500),
        (packages[2], None),  # 507: "storage full", a sentence of its own
    ]
    assert "full" in first.failed[1][2].message
    failed = {i.package_id: i for i in advisor.outbox.items() if i.state == "failed"}
    assert set(failed) == {packages[0], packages[2]}
    item = failed[packages[0]]
    assert item.attempts == 1 and item.last_error is not None
    assert item.next_attempt_at is not None
    delay = item.next_attempt_at - clock.now
    assert timedelta(seconds=24) <= delay <= timedelta(seconds=36)  # 30 s ± 20 %

    assert advisor.outbox.sync(due_only=True).sent == []  # not due yet: no hammering
    clock.advance(timedelta(minutes=1))
    second = advisor.outbox.sync(due_only=True)

    assert sorted(second.sent) == sorted([packages[0], packages[2]]) and second.complete
    assert len(dav.delivered()) == 4  # no temporary file left, nothing twice


def test_backoff_doubles_and_jitter_comes_from_the_injected_random(
    advisor: Services, dav: DavServer, clock: MovingClock
) -> None:
    add_dav_partner(advisor, dav)
    [package] = export_many(advisor, 1)
    advisor.outbox.random.seed(4)
    delays = []
    for _attempt in range(4):
        dav.faults.put_answers = [503]
        advisor.outbox.sync(due_only=True)
        [item] = advisor.outbox.items()
        assert item.next_attempt_at is not None
        delays.append((item.next_attempt_at - clock.now).total_seconds())
        clock.now = item.next_attempt_at
    for attempt, delay in enumerate(delays):
        nominal = 30 * 2**attempt
        assert 0.8 * nominal <= delay <= 1.2 * nominal
    assert advisor.outbox.items()[0].attempts == 4
    assert advisor.outbox.sync(due_only=True).sent == [package]


def test_a_half_upload_is_never_delivered(advisor: Services, dav: DavServer) -> None:
    add_dav_partner(advisor, dav)
    [package] = export_many(advisor, 1)
    dav.faults.truncate_puts = 1  # the server keeps half of the first upload

    first = advisor.outbox.sync()

    assert not first.complete and "not complete" in first.failed[0][2].message
    assert dav.delivered() == {}  # the half file was removed, never renamed
    second = advisor.outbox.sync()
    assert second.sent == [package]
    assert dav.delivered() == {f"boussole-{package}.zip": outbox_bytes(advisor, package)}


class PowerCut(BaseException):
    """The laptop dies between the rename on the server and the outbox update."""


class CutAfterDelivery:
    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.destination = inner.destination

    def reachable(self) -> bool:
        return True

    def deliver(
        self, source: Path, name: str, size: int, sha256: str, *, retry: bool = True
    ) -> Delivery:
        self.inner.deliver(source, name, size, sha256, retry=retry)
        raise PowerCut

    def close(self) -> None:
        self.inner.close()


def test_an_interrupted_sync_resumes_after_restart_without_sending_twice(
    advisor: Services, dav: DavServer, clock: MovingClock
) -> None:
    add_dav_partner(advisor, dav)
    [package] = export_many(advisor, 1)
    real_factory = advisor.outbox.transport_factory
    advisor.outbox.transport_factory = lambda p, pw: CutAfterDelivery(real_factory(p, pw))
    with pytest.raises(PowerCut):
        advisor.outbox.sync()
    assert advisor.outbox.items()[0].state == "sending"
    root = advisor.workspace.root
    advisor.close()

    restarted = Services(Workspace.open(root), clock=clock)
    try:
        report = restarted.outbox.sync(due_only=True)
        assert report.sent == [package]
        assert [e.outcome for e in restarted.outbox.journal()] == ["already_there"]
    finally:
        restarted.close()
    assert len(dav.faults.moves()) == 1


def test_a_different_file_at_the_final_name_is_never_overwritten(
    advisor: Services, dav: DavServer
) -> None:
    add_dav_partner(advisor, dav)
    [package] = export_many(advisor, 1)
    squatter = dav.root / "drop" / f"boussole-{package}.zip"
    squatter.write_bytes(b"someone else's file")

    report = advisor.outbox.sync()

    assert "different file" in report.failed[0][2].message
    assert squatter.read_bytes() == b"someone else's file"


def test_a_wrong_password_is_reported(advisor: Services, dav: DavServer) -> None:
    advisor.partners.add("Initiative", "network", webdav=dav.url, user="alice", password="nope")
    case_id = open_case(advisor)
    consent(advisor, case_id, "Initiative")
    advisor.exchange.export(case_id, "Initiative")

    report = advisor.outbox.sync()

    assert "user name or password" in report.failed[0][2].message
    [item] = advisor.outbox.items()
    assert item.next_attempt_at is None  # not retried automatically: it cannot help


def test_the_password_never_lands_in_the_workspace_or_the_outbox(
    advisor: Services, dav: DavServer
) -> None:
    add_dav_partner(advisor, dav)
    export_many(advisor, 2)
    advisor.outbox.sync()
    advisor.close()
    secret = PASSWORD.encode()
    for path in advisor.workspace.root.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path
    digest = hashlib.sha256(secret).hexdigest().encode()
    for path in advisor.workspace.root.rglob("*"):
        if path.is_file():
            assert digest not in path.read_bytes()
