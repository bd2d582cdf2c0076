"""Speaking WebDAV with plain `http.client`: one kept-alive connection, basic
authentication, and the server's refusals turned into sentences the advisor can read.

Shared by the partners' drops (`transports.WebDavTransport`) and the team folder
(`team_folder.WebDavTeamStore`); each says in its own words what a wrong password or a
full storage means for it (the class attributes `REFUSED_HINT`, `FULL`, `FULL_HINT`,
`UNREACHABLE_HINT`). An address never carries a user name or password: the user is kept
apart and the password in the system keyring, so neither is ever shown or logged.
"""

from __future__ import annotations

import base64
import http.client
import socket
import ssl
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from advisor_app.domain.messages import N_
from advisor_app.exchange.errors import PartnerUnreachable, TransportError

DEFAULT_TIMEOUT = 30.0
# Files are sent in blocks this large (http.client reads 8 KiB at a time by default: 128
# system calls per megabyte).
UPLOAD_BLOCK = 1 << 20


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class TooLarge(Exception):
    """An answer's body was longer than the caller accepts (the connection is dropped)."""


class DavClient:
    """A WebDAV collection at `url`, with one connection kept alive between requests."""

    REFUSED_HINT = N_("Check the partner's user name and password.")
    FULL = N_("The partner's storage at {url} is full.")
    FULL_HINT = N_("Ask the partner to make room; the package will be sent again.")
    UNREACHABLE_HINT = N_("Check the network; packages stay in the outbox and are sent later.")

    def __init__(self, url: str, user: str, password: str, timeout: float = DEFAULT_TIMEOUT):
        parts = urllib.parse.urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
            raise TransportError(
                N_("{url} is not a WebDAV address."),
                N_("Write it as https://server/remote.php/dav/files/user/folder/."),
                retryable=False,
                url=without_credentials(url),
            )
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = port
        self.base = parts.path.rstrip("/") + "/"
        # never shown with a user name or password, even one written into an old address
        self.url = urllib.parse.urlunsplit((parts.scheme, _netloc(parts), self.base, "", ""))
        self.timeout = timeout
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._authorization = f"Basic {token}"
        self._connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            if self.scheme == "https":
                self._connection = http.client.HTTPSConnection(
                    self.host,
                    self.port,
                    timeout=self.timeout,
                    context=ssl.create_default_context(),
                    blocksize=UPLOAD_BLOCK,
                )
            else:
                self._connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout, blocksize=UPLOAD_BLOCK
                )
        return self._connection

    def _request(
        self,
        method: str,
        name: str,
        body: bytes | object | None = None,
        headers: dict[str, str] | None = None,
        *,
        limit: int | None = None,
    ) -> Answer:
        """`method` on `name` (under the collection, quoted here). A kept-alive connection
        the server closed is opened again once. With `limit`, a body longer than it raises
        `TooLarge` without being read whole."""
        path = self.base + urllib.parse.quote(name)
        all_headers = {"Authorization": self._authorization, **(headers or {})}
        start = body.tell() if hasattr(body, "tell") else 0
        for attempt in (1, 2):
            reused = self._connection is not None
            try:
                connection = self._connect()
                connection.request(method, path, body=body, headers=all_headers)  # type: ignore[arg-type]
                response = connection.getresponse()
                if limit is not None and response.status < 300:
                    if (response.length or 0) > limit:
                        self._disconnect()
                        raise TooLarge
                    content = response.read(limit + 1)
                    if len(content) > limit:
                        self._disconnect()
                        raise TooLarge
                    answer = Answer(response.status, content)
                else:
                    answer = Answer(response.status, response.read())
                if response.will_close:
                    self._disconnect()
                break
            except (OSError, http.client.HTTPException) as error:
                self._disconnect()
                if reused and attempt == 1:  # a kept-alive connection the server closed
                    if hasattr(body, "seek"):
                        body.seek(start)
                    continue
                raise self._unreachable(error) from None
        return self._check(answer)

    def _unreachable(self, error: Exception) -> TransportError:
        reason = str(error) or type(error).__name__
        if isinstance(error, ConnectionRefusedError | socket.gaierror | TimeoutError):
            return PartnerUnreachable(
                N_("The WebDAV server {url} cannot be reached ({reason})."),
                self.UNREACHABLE_HINT,
                url=self.url,
                reason=reason,
            )
        return TransportError(
            N_("The connection to {url} was lost ({reason})."), url=self.url, reason=reason
        )

    def _check(self, answer: Answer) -> Answer:
        if answer.status in (401, 403):
            raise TransportError(
                N_("The WebDAV server {url} refused the user name or password."),
                self.REFUSED_HINT,
                retryable=False,
                url=self.url,
            )
        if answer.status == 507:
            raise TransportError(self.FULL, self.FULL_HINT, url=self.url)
        if answer.status >= 500:
            raise TransportError(
                N_("The WebDAV server {url} answered with an error ({status})."),
                url=self.url,
                status=answer.status,
            )
        return answer

    def _parsed(self, body: bytes) -> ET.Element:
        try:
            return ET.fromstring(body)
        except ET.ParseError:
            raise TransportError(
                N_("The WebDAV server {url} gave an unreadable answer."), url=self.url
            ) from None

    def _disconnect(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def has_credentials(url: str) -> bool:
    """Whether an address carries a user name or a password (`https://user:pw@host/`)."""
    return "@" in urllib.parse.urlsplit(url).netloc


def without_credentials(url: str) -> str:
    """The address with any user name and password taken out, fit to be shown or kept."""
    try:
        parts = urllib.parse.urlsplit(url)
        return urllib.parse.urlunsplit(parts._replace(netloc=_netloc(parts)))
    except ValueError:
        return url.rpartition("@")[2] if "@" in url else url


def _netloc(parts: urllib.parse.SplitResult) -> str:
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port is not None else host
