"""Real WebDAV servers for the tests, on 127.0.0.1, each serving a temporary folder:

- wsgidav on cheroot, in a thread of the test process;
- sabre/dav (the WebDAV engine of Nextcloud), Debian's `php-sabre-dav` served by PHP's
  built-in server (`php-cli`) with `tests/servers/sabredav.php`, in a process of its own.

Both answer under `/dav/` with basic authentication (USER, PASSWORD); a server can be
stopped and started again on the same port and folder (a server that fails mid-way), and
given a quota (`quota = bytes`: a write beyond it is answered 507, as a full Nextcloud
does). `team_server("sabredav", folder)` skips the test, naming the packages to install,
where PHP or sabre/dav is missing (`make system-tools` installs them, and CI does).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

USER = "camille"
PASSWORD = "Tr0ub4dor&3-équipe"
KINDS = ("wsgidav", "sabredav")
SABRE_LIBRARY = Path("/usr/share/php/Sabre")
SABRE_SCRIPT = Path(__file__).parent / "servers" / "sabredav.php"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def used_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def missing(kind: str) -> str | None:
    """Why the server `kind` cannot run here (the packages to install), None if it can."""
    if kind == "sabredav" and (shutil.which("php") is None or not SABRE_LIBRARY.is_dir()):
        return (
            "sabre/dav is not installed: install the Debian packages php-cli and "
            "php-sabre-dav (make system-tools)"
        )
    return None


class TeamServer:
    """A WebDAV server serving `served` under http://127.0.0.1:port/dav/; the team folder
    is its sub-folder `team` (`root`, made by the first write). Unpacks as
    (url, user, password, root)."""

    kind = ""

    def __init__(self, served: Path, port: int | None = None) -> None:
        self.served = served
        self.served.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.user = USER
        self.password = PASSWORD

    @property
    def root(self) -> Path:
        return self.served / "team"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/dav/team/"

    def __iter__(self) -> Iterator[Any]:
        return iter((self.url, self.user, self.password, self.root))

    @property
    def quota(self) -> int | None:
        raise NotImplementedError

    @quota.setter
    def quota(self, size: int | None) -> None:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class _Quota:
    """A WSGI middleware answering 507 to a PUT that would take the folder beyond its
    quota (what a Nextcloud does, from the Content-Length of the upload)."""

    def __init__(self, app: Any, served: Path) -> None:
        self.app = app
        self.served = served
        self.limit: int | None = None

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if self.limit is not None and environ["REQUEST_METHOD"] == "PUT":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if used_bytes(self.served) + length > self.limit:
                environ["wsgi.input"].read(length)
                start_response("507 Insufficient Storage", [("Content-Length", "0")])
                return [b""]
        return self.app(environ, start_response)  # type: ignore[no-any-return]


def wsgidav_app(served: Path, user: str, password: str) -> Any:
    """wsgidav serving `served` at /dav with basic auth for one user, quiet, with locks."""
    return WsgiDAVApp(
        {
            "provider_mapping": {"/dav": str(served)},
            "http_authenticator": {
                "domain_controller": None,
                "accept_basic": True,
                "accept_digest": False,
                "default_to_digest": False,
            },
            "simple_dc": {"user_mapping": {"*": {user: {"password": password}}}},
            "verbose": 0,
            "logging": {"enable": False},
            "lock_storage": True,
        }
    )


class WsgiDavServer(TeamServer):
    kind = "wsgidav"

    def __init__(self, served: Path, port: int | None = None) -> None:
        super().__init__(served, port)
        self.app = _Quota(wsgidav_app(served, USER, PASSWORD), served)
        self._server: wsgi.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def quota(self) -> int | None:
        return self.app.limit

    @quota.setter
    def quota(self, size: int | None) -> None:
        self.app.limit = size

    def start(self) -> None:
        self._server = wsgi.Server(("127.0.0.1", self.port), self.app, numthreads=4)
        self._server.prepare()
        self._thread = threading.Thread(target=self._server.serve, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            if self._thread is not None:
                self._thread.join(timeout=10)
            self._server = None


class SabreDavServer(TeamServer):
    kind = "sabredav"

    def __init__(self, served: Path, port: int | None = None) -> None:
        super().__init__(served, port)
        # the quota is read by the server at each write, from a file beside the folder
        self._quota_file = served.parent / f"{served.name}.quota"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def quota(self) -> int | None:
        if not self._quota_file.exists():
            return None
        return int(self._quota_file.read_text())

    @quota.setter
    def quota(self, size: int | None) -> None:
        if size is None:
            self._quota_file.unlink(missing_ok=True)
        else:
            self._quota_file.write_text(str(size))

    def start(self) -> None:
        environment = {
            **os.environ,
            "SABRE_ROOT": str(self.served),
            "SABRE_USER": USER,
            "SABRE_PASSWORD": PASSWORD,
            "SABRE_QUOTA_FILE": str(self._quota_file),
        }
        self._process = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{self.port}", str(SABRE_SCRIPT)],
            cwd=self.served,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("PHP's built-in server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


SERVERS: dict[str, type[TeamServer]] = {"wsgidav": WsgiDavServer, "sabredav": SabreDavServer}


@contextmanager
def team_server(kind: str, served: Path) -> Iterator[TeamServer]:
    """The server `kind` ("wsgidav" or "sabredav") serving `served`, started, stopped
    after; the test is skipped (naming the packages) when it cannot run here."""
    reason = missing(kind)
    if reason:
        pytest.skip(reason)
    server = SERVERS[kind](served)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def silent_server() -> Iterator[str]:
    """An address where a server takes connections and never answers (a server hung, a
    network that drops everything): the client's timeout is what ends a request."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        yield f"http://127.0.0.1:{port}/dav/team/"
