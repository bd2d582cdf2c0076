"""Fixtures of the exchange: a clock that moves, a keyring in memory, a real WebDAV server."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from cheroot import wsgi
from keyring.backend import KeyringBackend
from keyring.backends import fail

from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.storage.workspace import Workspace
from tests.webdav_servers import wsgidav_app

USER = "alice"
PASSWORD = "Tr0ub4dor&3-very-secret"
START = datetime(2026, 11, 25, 12, 0)


class MovingClock:
    """The services' clock, which a test moves forward instead of sleeping."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class MemoryKeyring(KeyringBackend):
    """A system keyring that lives in the test's memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())


@pytest.fixture
def no_keyring() -> None:
    """A system with no keyring at all: passwords are kept in memory only."""
    keyring.set_keyring(fail.Keyring())


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock()


@pytest.fixture
def advisor(tmp_path: Path, clock: MovingClock) -> Iterator[Services]:
    """An empty workspace whose clock the test moves."""
    opened = Services(Workspace.open(tmp_path / "camille"), clock=clock)
    opened.settings.set("advisor_name", "Camille Advisor")
    opened.settings.set("organisation", "BGE Creuse")
    yield opened
    opened.close()


def open_case(services: Services, first: str = "Zoé", last: str = "Müller") -> str:
    """A case with an appointment planned, one done, a note and an attachment."""
    case_id, _dup, _changes = services.cases.create(
        NewCase(
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@example.org",
            commune="Felletin",
            project_title="Épicerie vrac",
            processing_consent_how="signed form",
        )
    )
    services.appointments.add(
        case_id, AppointmentDraft(start=datetime(2026, 12, 2, 9, 30), minutes=60, topic="Budget")
    )
    services.notes.add_note(case_id, "Has found premises in the high street.")
    return case_id


def consent(services: Services, case_id: str, partner: str) -> None:
    services.partners.share_with(case_id, partner, "signed form")


# -- WebDAV -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Faults:
    """What the server does wrong, and what it was asked: a WSGI middleware."""

    app: Any
    put_answers: list[int] = field(default_factory=list)  # statuses for the next PUTs
    truncate_puts: int = 0  # next PUTs stored half, then answered 201
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, dest
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        with self.lock:
            self.requests.append((method, path, environ.get("HTTP_DESTINATION", "")))
            status = self.put_answers.pop(0) if method == "PUT" and self.put_answers else 0
            truncate = method == "PUT" and self.truncate_puts > 0 and not status
            if truncate:
                self.truncate_puts -= 1
        if status:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            environ["wsgi.input"].read(length)
            start_response(f"{status} Injected", [("Content-Length", "0")])
            return [b""]
        if truncate:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            half = environ["wsgi.input"].read(length)[: length // 2]
            environ["wsgi.input"] = io.BytesIO(half)
            environ["CONTENT_LENGTH"] = str(len(half))
        return self.app(environ, start_response)  # type: ignore[no-any-return]

    def moves(self) -> list[str]:
        """The final names that packages were renamed to, once per rename."""
        return [d.rsplit("/", 1)[-1] for m, _p, d in self.requests if m == "MOVE"]


class DavServer:
    """wsgidav on cheroot, on 127.0.0.1, serving a temporary folder with basic auth."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port
        self.faults = Faults(wsgidav_app(root, USER, PASSWORD))
        self.server: wsgi.Server | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/dav/drop/"

    def start(self) -> None:
        self.server = wsgi.Server(("127.0.0.1", self.port), self.faults, numthreads=4)
        self.server.prepare()
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            if self.thread is not None:
                self.thread.join(timeout=10)
            self.server = None

    def delivered(self) -> dict[str, bytes]:
        """Files in the drop, temporary ones included."""
        return {p.name: p.read_bytes() for p in (self.root / "drop").iterdir()}


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[DavServer]:
    root = tmp_path / "dav-root"
    (root / "drop").mkdir(parents=True)
    server = DavServer(root, free_port())
    server.start()
    yield server
    server.stop()


def add_dav_partner(services: Services, server: DavServer, name: str = "France Active") -> None:
    services.partners.add(
        name, "funder", webdav=server.url, user=USER, password=PASSWORD, reports=[]
    )
