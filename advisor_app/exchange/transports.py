"""Where packages are dropped: a folder (synced folder, USB stick) or a WebDAV share.

Delivery is idempotent and never half done: the file is written under a temporary name,
its size (and checksum where possible) verified, then renamed; a final file already there
with the same size and checksum counts as delivered, and a different one is never
overwritten. A package is handed over as a stream (the outbox opens a sealed package in
memory only). A WebDAV address never carries a user name or password: the user is kept
apart and the password in the system keyring, so neither is ever shown or logged.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Protocol

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.exchange.dav import DEFAULT_TIMEOUT, DavClient
from advisor_app.exchange.dav import has_credentials as has_credentials
from advisor_app.exchange.dav import without_credentials as without_credentials
from advisor_app.exchange.errors import PartnerUnreachable, TransportError
from advisor_app.exchange.package import sha256_file

TEMPORARY_SUFFIX = ".uploading"
# The collection of a WebDAV drop where `deliver_batch` uploads, removed when done
STAGING = ".boussole-uploading"


class Delivery(StrEnum):
    DELIVERED = "delivered"
    ALREADY_THERE = "already_there"


class Transport(Protocol):
    @property
    def destination(self) -> str:
        """Where packages go, as the advisor reads it (never with a password)."""
        ...

    def reachable(self) -> bool: ...

    def deliver(
        self, source: BinaryIO, name: str, size: int, sha256: str, *, retry: bool = True
    ) -> Delivery:
        """Put the package read from `source` (a binary stream at its start) at `name`,
        whole or not at all. `retry=False` on a package's first attempt: nothing of it can
        be there yet, so the transport may skip looking."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Parcel:
    """A package for `deliver_batch`: its name, size and sha256, and how to open it (a
    binary stream at its start, opened when it is sent; an AdvisorError when it cannot)."""

    name: str
    size: int
    sha256: str
    open: Callable[[], BinaryIO]
    retry: bool = True


# What `deliver_batch` says of each parcel: delivered (or found there), the error that
# stopped it, or None when it was not tried (the partner became unreachable before it).
Outcome = Delivery | AdvisorError | None


def _conflict(name: str) -> TransportError:
    return TransportError(
        N_("A different file named {name} is already in the partner's drop."),
        N_("Ask the partner to move it away; nothing was overwritten."),
        retryable=False,
        name=name,
    )


class FolderTransport:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def destination(self) -> str:
        return str(self.folder)

    def reachable(self) -> bool:
        return self.folder.is_dir() and os.access(self.folder, os.W_OK)

    def deliver(
        self, source: BinaryIO, name: str, size: int, sha256: str, *, retry: bool = True
    ) -> Delivery:
        if not self.folder.is_dir():
            raise PartnerUnreachable(
                N_("The folder {folder} cannot be reached."),
                N_("Plug in the drive or connect the synced folder, then sync again."),
                folder=str(self.folder),
            )
        final = self.folder / name
        if final.exists():
            if final.stat().st_size == size and sha256_file(final) == sha256:
                return Delivery.ALREADY_THERE
            raise _conflict(name)
        temporary = self.folder / f".{name}{TEMPORARY_SUFFIX}"
        try:
            # it holds personal data: its owner's only from the start
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as writer:
                shutil.copyfileobj(source, writer, 1 << 20)
                writer.flush()
                os.fsync(writer.fileno())
            if temporary.stat().st_size != size or sha256_file(temporary) != sha256:
                raise TransportError(
                    N_("The copy of {name} in the partner's folder is not complete."), name=name
                )
            if final.exists():
                raise _conflict(name)
            os.replace(temporary, final)
        except OSError as error:
            raise TransportError(
                N_("The package {name} could not be written to {folder}: {reason}."),
                name=name,
                folder=str(self.folder),
                reason=error.strerror or str(error),
            ) from None
        finally:
            temporary.unlink(missing_ok=True)
        return Delivery.DELIVERED

    def close(self) -> None:
        pass


_PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">'
    b"<d:prop><d:getcontentlength/><d:resourcetype/><oc:checksums/></d:prop></d:propfind>"
)


class WebDavTransport(DavClient):
    """A WebDAV collection (a Nextcloud share...), spoken to with plain `http.client`."""

    def __init__(self, url: str, user: str, password: str, timeout: float = DEFAULT_TIMEOUT):
        super().__init__(url, user, password, timeout)
        # the collection where a batch is uploaded and checked before being renamed into
        # the drop: None until made, False where the server refuses to make it
        self._staging: bool | None = None

    @property
    def destination(self) -> str:
        return self.url

    def _stat(self, name: str) -> tuple[int, str | None] | None:
        """(size, sha256 when the server keeps one) of `name`, or None when it is absent."""
        answer = self._request(
            "PROPFIND",
            name,
            _PROPFIND_BODY,
            {"Depth": "0", "Content-Type": "application/xml; charset=utf-8"},
        )
        if answer.status == 404:
            return None
        if answer.status != 207:
            raise TransportError(
                N_("The WebDAV server {url} answered with an error ({status})."),
                url=self.url,
                status=answer.status,
            )
        return _size_and_sum(self._parsed(answer.body))

    # -- Transport ----------------------------------------------------------------------

    def reachable(self) -> bool:
        try:
            answer = self._request(
                "PROPFIND", "", _PROPFIND_BODY, {"Depth": "0", "Content-Type": "application/xml"}
            )
        except TransportError:
            return False
        return answer.status == 207

    def deliver(
        self, source: BinaryIO, name: str, size: int, sha256: str, *, retry: bool = True
    ) -> Delivery:
        # On a retry the package may have arrived before the answer was lost: look first,
        # rather than upload it again. On a first try the MOVE below (Overwrite: F) still
        # refuses to replace a file that is there, so nothing is ever delivered twice.
        existing = self._stat(name) if retry else None
        if existing is not None:
            if _same(existing, size, sha256):
                return Delivery.ALREADY_THERE
            raise _conflict(name)
        temporary = f".{name}{TEMPORARY_SUFFIX}"
        answer = self._request(
            "PUT",
            temporary,
            source,
            {
                "Content-Length": str(size),
                "Content-Type": "application/zip",
                "OC-Checksum": f"SHA256:{sha256}",
            },
        )
        if answer.status not in (200, 201, 204):
            raise TransportError(
                N_("The WebDAV server {url} refused the package {name} ({status})."),
                url=self.url,
                name=name,
                status=answer.status,
            )
        uploaded = self._stat(temporary)
        if uploaded is None or not _same(uploaded, size, sha256):
            self._request("DELETE", temporary)
            raise TransportError(
                N_("The copy of {name} on the WebDAV server is not complete."), name=name
            )
        destination = self.url + urllib.parse.quote(name)
        moved = self._request(
            "MOVE", temporary, None, {"Destination": destination, "Overwrite": "F"}
        )
        if moved.status in (201, 204):
            return Delivery.DELIVERED
        if moved.status in (404, 412):  # already moved (answer lost), or a file arrived there
            existing = self._stat(name)
            if moved.status == 412:
                self._request("DELETE", temporary)
            if existing is not None and _same(existing, size, sha256):
                return Delivery.ALREADY_THERE
            raise _conflict(name)
        raise TransportError(
            N_("The WebDAV server {url} refused the package {name} ({status})."),
            url=self.url,
            name=name,
            status=moved.status,
        )

    def deliver_batch(self, parcels: Sequence[Parcel]) -> list[Outcome]:
        """Deliver several packages with one check for all: each is uploaded into a
        collection of its own in the drop (STAGING), one PROPFIND of that collection checks
        the sizes and checksums of them all, then each is moved into the drop (Overwrite:
        F, as `deliver`). Where the server will not make the collection, one `deliver`
        each. The outcomes are in the order of `parcels`; after an unreachable partner the
        rest are not tried (None)."""
        outcomes: list[Outcome] = [None] * len(parcels)
        try:
            staging = self._staging_ready()
        except PartnerUnreachable as error:
            outcomes[:1] = [error]
            return outcomes
        except AdvisorError as error:  # refused (a wrong password...): each says so
            return [error] * len(parcels)
        if not staging:
            for number, parcel in enumerate(parcels):
                try:
                    with parcel.open() as source:
                        outcomes[number] = self.deliver(
                            source, parcel.name, parcel.size, parcel.sha256, retry=parcel.retry
                        )
                except PartnerUnreachable as error:
                    outcomes[number] = error
                    break
                except AdvisorError as error:
                    outcomes[number] = error
            return outcomes
        uploaded: list[int] = []
        for number, parcel in enumerate(parcels):
            try:
                existing = self._stat(parcel.name) if parcel.retry else None
                if existing is not None:
                    if not _same(existing, parcel.size, parcel.sha256):
                        raise _conflict(parcel.name)
                    outcomes[number] = Delivery.ALREADY_THERE
                    continue
                with parcel.open() as source:
                    self._upload(source, f"{STAGING}/{parcel.name}", parcel)
                uploaded.append(number)
            except PartnerUnreachable as error:
                outcomes[number] = error
                return outcomes
            except AdvisorError as error:
                outcomes[number] = error
        if not uploaded:
            return outcomes
        try:
            found = self._listing(STAGING)
        except PartnerUnreachable as error:
            outcomes[uploaded[0]] = error
            return outcomes
        except AdvisorError as error:
            for number in uploaded:
                outcomes[number] = error
            return outcomes
        for number in uploaded:
            parcel = parcels[number]
            try:
                outcomes[number] = self._move_in(
                    f"{STAGING}/{parcel.name}", parcel, found.get(parcel.name)
                )
            except PartnerUnreachable as error:
                outcomes[number] = error
                return outcomes
            except AdvisorError as error:
                outcomes[number] = error
        return outcomes

    def _staging_ready(self) -> bool:
        if self._staging is None:
            made = self._request("MKCOL", STAGING)
            # 405: it is there already (left by a sync cut short: its files are replaced)
            self._staging = made.status in (201, 405)
        return self._staging

    def _upload(self, source: BinaryIO, path: str, parcel: Parcel) -> None:
        answer = self._request(
            "PUT",
            path,
            source,
            {
                "Content-Length": str(parcel.size),
                "Content-Type": "application/zip",
                "OC-Checksum": f"SHA256:{parcel.sha256}",
            },
        )
        if answer.status not in (200, 201, 204):
            raise TransportError(
                N_("The WebDAV server {url} refused the package {name} ({status})."),
                url=self.url,
                name=parcel.name,
                status=answer.status,
            )

    def _move_in(
        self, path: str, parcel: Parcel, uploaded: tuple[int, str | None] | None
    ) -> Delivery:
        """Rename an uploaded package into the drop once its copy is found whole."""
        if uploaded is None or not _same(uploaded, parcel.size, parcel.sha256):
            self._request("DELETE", path)
            raise TransportError(
                N_("The copy of {name} on the WebDAV server is not complete."), name=parcel.name
            )
        destination = self.url + urllib.parse.quote(parcel.name)
        moved = self._request("MOVE", path, None, {"Destination": destination, "Overwrite": "F"})
        if moved.status in (201, 204):
            return Delivery.DELIVERED
        if moved.status in (404, 412):  # already moved (answer lost), or a file arrived there
            existing = self._stat(parcel.name)
            if moved.status == 412:
                self._request("DELETE", path)
            if existing is not None and _same(existing, parcel.size, parcel.sha256):
                return Delivery.ALREADY_THERE
            raise _conflict(parcel.name)
        raise TransportError(
            N_("The WebDAV server {url} refused the package {name} ({status})."),
            url=self.url,
            name=parcel.name,
            status=moved.status,
        )

    def _listing(self, folder: str) -> dict[str, tuple[int, str | None]]:
        """(size, sha256 when kept) of each file of a collection, by name: one PROPFIND."""
        answer = self._request(
            "PROPFIND",
            folder + "/",
            _PROPFIND_BODY,
            {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        )
        if answer.status != 207:
            raise TransportError(
                N_("The WebDAV server {url} answered with an error ({status})."),
                url=self.url,
                status=answer.status,
            )
        found: dict[str, tuple[int, str | None]] = {}
        for response in self._parsed(answer.body).iter("{DAV:}response"):
            href = response.findtext("{DAV:}href") or ""
            name = urllib.parse.unquote(urllib.parse.urlsplit(href).path.rstrip("/"))
            found[name.rsplit("/", 1)[-1]] = _size_and_sum(response)
        return found

    def close(self) -> None:
        if self._staging and self._connection is not None:
            with contextlib.suppress(TransportError):  # left there, it is made again
                self._request("DELETE", STAGING + "/")
        self._staging = None
        self._disconnect()


def _size_and_sum(element: ET.Element) -> tuple[int, str | None]:
    """The size and sha256 (when the server keeps one) in a PROPFIND answer's element."""
    length = element.find(".//{DAV:}getcontentlength")
    text = (length.text or "") if length is not None else ""
    size = int(text) if text.isdigit() else -1
    checksum: str | None = None
    for item in element.iter("{http://owncloud.org/ns}checksum"):
        for token in (item.text or "").split():
            kind, _sep, value = token.partition(":")
            if kind.upper() == "SHA256":
                checksum = value.lower()
    return size, checksum


def _same(found: tuple[int, str | None], size: int, sha256: str) -> bool:
    found_size, found_sum = found
    return found_size == size and (found_sum is None or found_sum == sha256)
