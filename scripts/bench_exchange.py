"""Exchange figures (issue 5): sync of packages to a real WebDAV server beside bare HTTP PUTs.

A small scratch workspace is made in a temporary folder of .bench/ (not the demo cache):
PACKAGES cases, each with an attachment of about 1 MB of random (incompressible) bytes,
the consent to share with a WebDAV partner whose profile asks for all attachments and no
report, and one package exported for it. A WebDAV server (wsgidav on cheroot, as in
tests/exchange/conftest.py) runs in a thread of this process on 127.0.0.1, a free port,
with basic auth. The password is given as `sync --password-file` does: kept in memory
only, never in the system keyring.

Timed, in ROUNDS rounds of PACKAGES / ROUNDS packages: one `services.outbox.sync()` of the
round's packages, and as its reference the same zip files (read from the outbox folder)
sent by plain `http.client` PUTs over one kept-alive connection (auth, length and type
headers as the sync's), to another folder of the same server: the strongest simple
baseline, since the sync keeps its connection too. In each round the bare PUTs run once
before the sync and once after it (each to a folder of its own), so that the load of a
shared machine falls on both sides; the figure compares the rounds' medians (a single sync
of a fraction of a second read one pause of the machine as a slow sync). Each phase starts
with the disk's cache written out (`os.sync`): the sync's own catalog commits sync the disk,
and would otherwise pay for writing out the bare PUTs' 200 MB before it. After the
syncs, the partner's folder must hold exactly the packages, with their sha256.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import os
import platform
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from bench_core import BENCH_DIR, Figure, say, table, timed

from advisor_app.services import NewCase, Services

PACKAGES = 600
ROUNDS = 3
ATTACHMENT_BYTES = 1_000_000
PARTNER = "Bench partner"
USER = "bench"
PASSWORD = "bench password, not a secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class DavServer:
    """wsgidav on cheroot, in a thread: 127.0.0.1, a free port, `root` served at /dav."""

    def __init__(self, root: Path) -> None:
        from cheroot import wsgi
        from wsgidav.wsgidav_app import WsgiDAVApp

        self.root = root
        self.port = free_port()
        config = {
            "host": "127.0.0.1",
            "port": self.port,
            "provider_mapping": {"/dav": str(root)},
            "http_authenticator": {
                "domain_controller": None,
                "accept_basic": True,
                "accept_digest": False,
                "default_to_digest": False,
            },
            "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
            "verbose": 0,
            "logging": {"enable": False},
            "lock_storage": True,
        }
        self.app = WsgiDAVApp(config)
        self.requests: Counter[str] = Counter()  # method -> count
        self.connections: set[str] = set()  # client ports seen
        self.server = wsgi.Server(("127.0.0.1", self.port), self._count, numthreads=4)
        self.thread = threading.Thread(target=self.server.serve, daemon=True)

    def _count(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.requests[environ["REQUEST_METHOD"]] += 1
        self.connections.add(str(environ.get("REMOTE_PORT")))
        return self.app(environ, start_response)

    def seen(self) -> str:
        """The requests and connections counted since the last call, e.g. "200 PUT, 1 conn"."""
        counts = ", ".join(f"{n} {m}" for m, n in sorted(self.requests.items()))
        text = f"{counts} on {len(self.connections)} connection(s)"
        self.requests.clear()
        self.connections.clear()
        return text

    def url(self, folder: str) -> str:
        return f"http://127.0.0.1:{self.port}/dav/{folder}/"

    def __enter__(self) -> DavServer:
        self.server.prepare()
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.stop()
        self.thread.join(timeout=10)


def add_partner(services: Services, url: str) -> None:
    services.settings.set("advisor_name", "Bench Advisor")
    services.settings.set("organisation", "Bench")
    # `partner add --webdav URL --user U` with all attachments and no report (no PDF to render)
    partner, _changes = services.partners.add(
        PARTNER, "funder", webdav=url, user=USER, reports=[], attachments=["*"]
    )
    # as `sync --password-file F`: in memory only, the system keyring is left alone
    services.partners.passwords.remember(partner, PASSWORD, keep=False)


def make_packages(services: Services, scratch: Path, numbers: range) -> list[Any]:
    """A case per number with ~1 MB attached, consent to share, one package each; the
    outbox rows queued."""
    files = scratch / "attachments"
    files.mkdir(exist_ok=True)
    for number in numbers:
        case_id, _dups, _changes = services.cases.create(
            NewCase(
                first_name=f"Bench{number:03d}",
                last_name=f"Exchange{number:03d}",
                commune="Aubusson",
                project_title="Benchmark project",
                processing_consent_how="signed form",
            )
        )
        source = files / f"scan-{number:03d}.bin"
        source.write_bytes(os.urandom(ATTACHMENT_BYTES))
        services.notes.attach(case_id, source)
        source.unlink()
        services.partners.share_with(case_id, PARTNER, "signed form")
        services.exchange.export(case_id, PARTNER)
    say(f"    {numbers.stop} packages made")
    return [i for i in services.outbox.items() if i.state == "queued"]


def bare_puts(port: int, folder: str, paths: list[Path]) -> None:
    """The reference: one PUT per file, `http.client` over one kept-alive connection."""
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode("ascii")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for path in paths:
            with path.open("rb") as body:
                connection.request(
                    "PUT",
                    f"/dav/{folder}/{path.name}",
                    body=body,
                    headers={
                        "Authorization": f"Basic {token}",
                        "Content-Length": str(path.stat().st_size),
                        "Content-Type": "application/zip",
                    },
                )
                response = connection.getresponse()
                response.read()
            if response.status not in (200, 201, 204):
                raise RuntimeError(f"bare PUT of {path.name} answered {response.status}")
    finally:
        connection.close()


def sync_into(services: Services, reports: list[Any]) -> None:
    reports.append(services.outbox.sync())


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_delivery(folder: Path, expected: dict[str, str]) -> str | None:
    """None when `folder` holds exactly the expected files with their sha256, else what is wrong."""
    found = {p.name: p for p in folder.iterdir()}
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    wrong = sorted(n for n in expected if n in found and sha256_file(found[n]) != expected[n])
    if not (missing or extra or wrong):
        return None
    return (
        f"{folder.name}/ holds {len(found)} files for {len(expected)} packages: "
        f"{len(missing)} missing, {len(extra)} unexpected ({', '.join(extra[:3])}), "
        f"{len(wrong)} with other bytes"
    )


class TimedDeliveries:
    """The outbox's transport factory, wrapped to add up the time spent in `deliver` and
    `deliver_batch` (the WebDAV requests); the rest of the sync is the outbox's own
    bookkeeping."""

    def __init__(self, services: Services) -> None:
        self.make = services.outbox.transport_factory
        self.seconds = 0.0

    def __call__(self, partner: Any, password: str | None) -> Any:
        transport = self.make(partner, password)
        for method in ("deliver", "deliver_batch"):  # one package, or a batch of them
            if hasattr(transport, method):
                setattr(transport, method, self._timed(getattr(transport, method)))
        return transport

    def _timed(self, call: Any) -> Any:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return timed_call


def bench_exchange(figures: list[Figure], count: int = PACKAGES) -> list[str]:
    notes: list[str] = []
    with tempfile.TemporaryDirectory(dir=BENCH_DIR, prefix="exchange-") as scratch_name:
        scratch = Path(scratch_name)
        dav_root = scratch / "dav"
        for folder in ("drop", "warm"):
            (dav_root / folder).mkdir(parents=True)
        with DavServer(dav_root) as server:
            services = Services.open(scratch / "workspace")
            try:
                add_partner(services, server.url("drop"))
                deliveries = TimedDeliveries(services)
                services.outbox.transport_factory = deliveries
                setup_s, sync_s, before, after = 0.0, [], [], []
                sizes, sums = [], {}
                per_round = count // ROUNDS
                sync_seen = bare_seen = ""
                for round_number in range(ROUNDS):
                    setup_start = time.perf_counter()
                    numbers = range(round_number * per_round, (round_number + 1) * per_round)
                    queued = make_packages(services, scratch, numbers)
                    setup_s += time.perf_counter() - setup_start
                    paths = [services.outbox.package_path(i.package_id) for i in queued]
                    sizes += [i.size for i in queued]
                    round_sums = {p.name: sha256_file(p) for p in paths}  # warms the cache too
                    sums.update(round_sums)
                    if len(queued) != per_round:
                        notes.append(f"exchange: {len(queued)} packages queued, not {per_round}")
                    if round_number == 0:
                        bare_puts(server.port, "warm", paths[:5])  # server threads warmed
                        server.seen()
                    for folder in (f"bare-before-{round_number}", f"bare-after-{round_number}"):
                        (dav_root / folder).mkdir()
                    os.sync()  # each phase writes to a disk whose cache holds nobody else's writes
                    before.append(
                        timed(partial(bare_puts, server.port, f"bare-before-{round_number}", paths))
                    )
                    bare_seen = server.seen()
                    reports: list[Any] = []
                    os.sync()
                    sync_s.append(timed(partial(sync_into, services, reports)))
                    sync_seen = server.seen()
                    os.sync()
                    after.append(
                        timed(partial(bare_puts, server.port, f"bare-after-{round_number}", paths))
                    )
                    report = reports[0]
                    if not report.complete or len(report.sent) != len(queued):
                        first = report.failed[0][2] if report.failed else None
                        notes.append(
                            f"exchange FAILURE: the sync sent {len(report.sent)} of {len(queued)}, "
                            f"{len(report.failed)} failed, {len(report.waiting)} waiting"
                            + (f" (first: {first.message} {first.params})" if first else "")
                        )
                    for folder in (f"bare-before-{round_number}", f"bare-after-{round_number}"):
                        problem = check_delivery(dav_root / folder, round_sums)
                        if problem is not None:
                            notes.append(f"exchange FAILURE: {problem}")
                    say(f"  round {round_number + 1}/{ROUNDS}: bare PUTs, sync, bare PUTs again")
                problem = check_delivery(dav_root / "drop", sums)
                if problem is not None:
                    notes.append(f"exchange FAILURE: {problem}")
            finally:
                services.close()
    total_mb = sum(sizes) / 1_000_000
    figures.append(
        Figure(
            f"sync {count // ROUNDS} packages (~1 MB) over WebDAV, {ROUNDS} rounds",
            sync_s,
            ratio_budget=1.3,
            reference_name=f"{count // ROUNDS} bare HTTP PUTs",
            reference=before + after,
            note=f"in each round one services.outbox.sync() to wsgidav+cheroot on 127.0.0.1 (a "
            f"thread of this process): {sync_seen}; of the syncs' time, WebDAV deliveries "
            f"{deliveries.seconds:.2f} s, outbox bookkeeping (catalog) "
            f"{sum(sync_s) - deliveries.seconds:.2f} s. Packages "
            f"{min(sizes) / 1e6:.2f}-{max(sizes) / 1e6:.2f} MB, {total_mb:.0f} MB in all, checked "
            "by sha256 on the server. Reference: the same zip files PUT by http.client "
            f"({bare_seen}), before and after each sync; the rounds' medians are compared. "
            f"Packages made in {setup_s:.0f} s.",
        )
    )
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--packages", type=int, default=PACKAGES, help="packages to sync, in all (600)"
    )
    args = parser.parse_args(argv)
    BENCH_DIR.mkdir(exist_ok=True)
    found: list[Figure] = []
    say("Exchange with a WebDAV partner (scratch workspace)...")
    extra = bench_exchange(found, args.packages)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, exchange ({platform.node()})")
    print(table(found, extra))
    return 0


if __name__ == "__main__":  # on its own: python scripts/bench_exchange.py [--packages N]
    sys.exit(main())
