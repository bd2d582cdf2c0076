"""The team folder: where the members of a team leave their sealed changes for each other.

It is a folder on a server the association already has (a Nextcloud or any WebDAV
server: `WebDavTeamStore`) or a folder a sync client or a USB stick carries
(`FolderTeamStore`). Both offer the same few operations (`TeamStore`): the members'
folders, what one of them holds (name → a tag that changes when the file does: the ETag,
or mtime and size), reading a file (bounded), writing one whole or not at all (a
temporary name, its size verified, then renamed: MOVE / os.replace) and removing one.
Paths are relative to the team folder ("<member>/changes/000000000012", see
`team_seal`); what a file holds, and its sealing, is `team_seal`'s business.

The WebDAV store keeps its connection alive between requests and says what went wrong
with the same sentences as the partners' drops (`dav.DavClient`): a wrong password, a
full storage, a server that cannot be reached (`PartnerUnreachable`) or one that failed
(`TransportError`). Its address is never shown with a user name or password. A store
serves one thread at a time (the sync's); open one per thread.
"""

from __future__ import annotations

import errno
import os
import re
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Protocol

from advisor_app.domain.messages import N_
from advisor_app.exchange.dav import DEFAULT_TIMEOUT, DavClient, TooLarge
from advisor_app.exchange.errors import (
    PartnerUnreachable,
    TeamFileMissing,
    TeamFileRefused,
    TeamKeyMissing,
    TransportError,
)
from advisor_app.exchange.team_seal import (
    CHANGES,
    MAX_DOCUMENT,
    SNAPSHOTS,
    batch_path,
    derive_key,
    is_member_id,
    key_check,
    key_path,
    manifest_path,
    member_path,
    new_salt,
    open_sealed,
    seal,
    snapshot_path,
)

# What one file of the team folder may weigh (a sealed document is compressed).
MAX_FILE = MAX_DOCUMENT + (1 << 20)
TEMPORARY_SUFFIX = ".uploading"
# The sub-folders of a member's folder that `listing` lists ("": the member's folder).
KINDS = ("", CHANGES, SNAPSHOTS)

_SEGMENT = re.compile(r"[0-9A-Za-z_-][0-9A-Za-z_.-]{0,99}")

_PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getetag/>'
    b"<d:getcontentlength/><d:getlastmodified/></d:prop></d:propfind>"
)


class TeamStore(Protocol):
    @property
    def destination(self) -> str:
        """Where the team folder is, as the advisor reads it (never with a password)."""
        ...

    def member_folders(self) -> list[str]:
        """The members' folders (named by their member id), sorted; none if the team
        folder is not made yet."""
        ...

    def listing(self, member: str, kind: str) -> dict[str, str]:
        """The files of a member's sub-folder `kind` ("changes", "snapshots", or "" for
        the member's folder itself): name → tag, a text that changes when the file does.
        Temporary files are left out; an absent folder is empty."""
        ...

    def read(self, path: str) -> bytes:
        """The bytes of the file at `path` (TeamFileMissing if absent, TeamFileRefused
        beyond MAX_FILE)."""
        ...

    def write(self, path: str, data: bytes, *, replace: bool = False) -> None:
        """Put `data` at `path`, whole or not at all, making the folders it needs. Without
        `replace`, a file already there with other bytes is a conflict (TransportError,
        not retryable) and one with the same bytes counts as written."""
        ...

    def remove(self, path: str) -> None:
        """Remove the file at `path`; an absent file is fine."""
        ...

    def close(self) -> None: ...


def checked_path(path: str) -> list[str]:
    """The segments of a path under the team folder; ValueError for anything that could
    leave it or name a temporary file ("..", "/x", ".x", empty segments)."""
    parts = path.split("/")
    if not all(_SEGMENT.fullmatch(part) for part in parts):
        raise ValueError(f"not a path of the team folder: {path!r}")
    return parts


def _folder_of(member: str, kind: str) -> str:
    if not is_member_id(member) or kind not in KINDS:
        raise ValueError(f"not a folder of the team folder: {member!r}, {kind!r}")
    return f"{member}/{kind}" if kind else member


def _conflict(path: str) -> TransportError:
    return TransportError(
        N_("A different file {path} is already in the team folder."),
        N_("Nothing was overwritten; tell the team, this should not happen."),
        retryable=False,
        path=path,
    )


def _too_big(path: str) -> TeamFileRefused:
    return TeamFileRefused(
        N_("The team file {path} is too big."),
        N_(
            "Nothing of it was used. Ask the member who wrote it to sync again; if it "
            "lasts, tell the team."
        ),
        path=path,
    )


def _missing(path: str) -> TeamFileMissing:
    return TeamFileMissing(
        N_("The file {path} is no longer in the team folder."),
        N_("Sync again: the team folder changed while it was read."),
        path=path,
    )


# -- A folder -------------------------------------------------------------------------


class FolderTeamStore:
    """A team folder on this computer: a folder a sync client keeps, a USB stick."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def destination(self) -> str:
        return str(self.root)

    def _reachable(self) -> None:
        if not self.root.is_dir():
            raise PartnerUnreachable(
                N_("The team folder {folder} cannot be reached."),
                N_("Plug in the drive or connect the synced folder, then sync again."),
                folder=str(self.root),
            )

    def _failed(self, error: OSError, path: str) -> TransportError:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return TransportError(
                N_("The team folder {folder} is full."),
                N_("Make room on the drive; nothing was lost, the next sync writes it again."),
                folder=str(self.root),
            )
        return TransportError(
            N_("The file {path} of the team folder {folder} could not be written: {reason}."),
            path=path,
            folder=str(self.root),
            reason=error.strerror or str(error),
        )

    def member_folders(self) -> list[str]:
        self._reachable()
        try:
            return sorted(
                entry.name
                for entry in os.scandir(self.root)
                if is_member_id(entry.name) and entry.is_dir()
            )
        except OSError as error:
            raise self._failed(error, "") from None

    def listing(self, member: str, kind: str) -> dict[str, str]:
        self._reachable()
        folder = self.root / _folder_of(member, kind)
        found: dict[str, str] = {}
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return found
        except OSError as error:
            raise self._failed(error, _folder_of(member, kind)) from None
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file():
                continue
            stat = entry.stat()
            found[entry.name] = f"{stat.st_mtime_ns:x}-{stat.st_size:x}"
        return found

    def read(self, path: str) -> bytes:
        self._reachable()
        target = self.root.joinpath(*checked_path(path))
        try:
            with target.open("rb") as reader:
                if os.fstat(reader.fileno()).st_size > MAX_FILE:
                    raise _too_big(path)
                data = reader.read(MAX_FILE + 1)
        except FileNotFoundError:
            raise _missing(path) from None
        except OSError as error:
            raise self._failed(error, path) from None
        if len(data) > MAX_FILE:
            raise _too_big(path)
        return data

    def write(self, path: str, data: bytes, *, replace: bool = False) -> None:
        self._reachable()
        parts = checked_path(path)
        final = self.root.joinpath(*parts)
        temporary = final.with_name(f".{final.name}{TEMPORARY_SUFFIX}")
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            # sealed, but still a team's data: its owner's only from the start
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as writer:
                writer.write(data)
                writer.flush()
                os.fsync(writer.fileno())
            if temporary.stat().st_size != len(data):
                raise TransportError(
                    N_("The copy of {path} in the team folder is not complete."), path=path
                )
            if not replace and final.exists():
                if final.stat().st_size == len(data) and final.read_bytes() == data:
                    return
                raise _conflict(path)
            os.replace(temporary, final)
        except OSError as error:
            raise self._failed(error, path) from None
        finally:
            temporary.unlink(missing_ok=True)

    def remove(self, path: str) -> None:
        self._reachable()
        try:
            self.root.joinpath(*checked_path(path)).unlink(missing_ok=True)
        except OSError as error:
            raise self._failed(error, path) from None

    def close(self) -> None:
        pass


# -- A WebDAV server ------------------------------------------------------------------


class WebDavTeamStore(DavClient):
    """A team folder on a WebDAV server (a Nextcloud folder...), at `url`."""

    REFUSED_HINT = N_("Check the user name and password of the team folder.")
    FULL = N_("The storage of the team folder at {url} is full.")
    FULL_HINT = N_(
        "Make room on the server, or ask the association to; nothing was lost, the next "
        "sync sends it again."
    )
    UNREACHABLE_HINT = N_(
        "Check the network; changes wait in the workspace and are sent at the next sync."
    )

    def __init__(self, url: str, user: str, password: str, timeout: float = DEFAULT_TIMEOUT):
        super().__init__(url, user, password, timeout)
        self._made: set[str] = set()  # folders known to be there ("": the team folder)

    @property
    def destination(self) -> str:
        return self.url

    def _refused(self, status: int, path: str) -> TransportError:
        return TransportError(
            N_("The WebDAV server {url} refused to write {path} ({status})."),
            url=self.url,
            path=path,
            status=status,
        )

    def _children(self, folder: str) -> dict[str, ET.Element] | None:
        """The members of a collection by name (its own entry left out), with their
        properties; None when it is not there. One PROPFIND, Depth 1."""
        answer = self._request(
            "PROPFIND",
            folder + "/" if folder else "",
            _PROPFIND_BODY,
            {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        )
        if answer.status == 404:
            return None
        if answer.status != 207:
            raise TransportError(
                N_("The WebDAV server {url} answered with an error ({status})."),
                url=self.url,
                status=answer.status,
            )
        itself = (self.base + folder).rstrip("/")
        children: dict[str, ET.Element] = {}
        for response in self._parsed(answer.body).iter("{DAV:}response"):
            href = urllib.parse.urlsplit(response.findtext("{DAV:}href") or "").path
            where = urllib.parse.unquote(href).rstrip("/")
            if where == itself or not where:
                continue
            children[where.rsplit("/", 1)[-1]] = response
        return children

    def member_folders(self) -> list[str]:
        children = self._children("")
        if children is None:
            return []
        return sorted(
            name
            for name, response in children.items()
            if is_member_id(name) and response.find(".//{DAV:}collection") is not None
        )

    def listing(self, member: str, kind: str) -> dict[str, str]:
        children = self._children(_folder_of(member, kind))
        found: dict[str, str] = {}
        for name, response in (children or {}).items():
            if name.startswith(".") or response.find(".//{DAV:}collection") is not None:
                continue
            found[name] = _tag(response)
        return found

    def read(self, path: str) -> bytes:
        checked_path(path)
        try:
            answer = self._request("GET", path, limit=MAX_FILE)
        except TooLarge:
            raise _too_big(path) from None
        if answer.status == 404:
            raise _missing(path)
        if answer.status != 200:
            raise TransportError(
                N_("The WebDAV server {url} answered with an error ({status})."),
                url=self.url,
                status=answer.status,
            )
        return answer.body

    def write(self, path: str, data: bytes, *, replace: bool = False) -> None:
        parts = checked_path(path)
        folder = "/".join(parts[:-1])
        temporary = "/".join([*parts[:-1], f".{parts[-1]}{TEMPORARY_SUFFIX}"])
        self._make_folders(folder)
        headers = {"Content-Length": str(len(data)), "Content-Type": "application/octet-stream"}
        put = self._request("PUT", temporary, data, headers)
        if put.status == 409:  # a folder was removed since it was made here: again
            self._made.clear()
            self._make_folders(folder)
            put = self._request("PUT", temporary, data, headers)
        if put.status not in (200, 201, 204):
            raise self._refused(put.status, path)
        if self._size(temporary) != len(data):
            self._request("DELETE", temporary)
            raise TransportError(
                N_("The copy of {path} in the team folder is not complete."), path=path
            )
        moved = self._request(
            "MOVE",
            temporary,
            None,
            {
                "Destination": self.url + urllib.parse.quote(path),
                "Overwrite": "T" if replace else "F",
            },
        )
        if moved.status in (201, 204):
            return
        if moved.status == 412:  # a file is there already: the same bytes, or a conflict
            there = self.read(path)
            self._request("DELETE", temporary)
            if there == data:
                return
            raise _conflict(path)
        raise self._refused(moved.status, path)

    def _make_folders(self, folder: str) -> None:
        """Make the team folder and the folders of `folder` that are not known to be there."""
        parts = folder.split("/") if folder else []
        for depth in range(len(parts) + 1):
            name = "/".join(parts[:depth])
            if name in self._made:
                continue
            made = self._request("MKCOL", name + "/" if name else "")
            # 405: there already; 409 on the team folder: its parent is missing
            if made.status not in (200, 201, 405):
                raise TransportError(
                    N_("The folder {folder} cannot be made on the WebDAV server {url} ({status})."),
                    N_("Check that the team folder's address is right."),
                    retryable=made.status != 409,
                    folder=name or "/",
                    url=self.url,
                    status=made.status,
                )
            self._made.add(name)

    def _size(self, path: str) -> int | None:
        answer = self._request(
            "PROPFIND",
            path,
            _PROPFIND_BODY,
            {"Depth": "0", "Content-Type": "application/xml; charset=utf-8"},
        )
        if answer.status != 207:
            return None
        length = self._parsed(answer.body).findtext(".//{DAV:}getcontentlength") or ""
        return int(length) if length.isdigit() else None

    def remove(self, path: str) -> None:
        checked_path(path)
        answer = self._request("DELETE", path)
        if answer.status not in (200, 202, 204, 404):
            raise TransportError(
                N_("The WebDAV server {url} refused to remove {path} ({status})."),
                url=self.url,
                path=path,
                status=answer.status,
            )

    def close(self) -> None:
        self._disconnect()


def _tag(response: ET.Element) -> str:
    """What tells one version of a file from another: its ETag, or its date and size."""
    etag = (response.findtext(".//{DAV:}getetag") or "").strip()
    if etag:
        return etag.removeprefix("W/").strip('"')
    modified = (response.findtext(".//{DAV:}getlastmodified") or "").strip()
    size = (response.findtext(".//{DAV:}getcontentlength") or "").strip()
    return f"{modified}-{size}"


__all__ = [
    "KINDS",
    "MAX_FILE",
    "FolderTeamStore",
    "TeamFileMissing",
    "TeamFileRefused",
    "TeamKeyMissing",
    "TeamStore",
    "WebDavTeamStore",
    "batch_path",
    "checked_path",
    "derive_key",
    "key_check",
    "key_path",
    "manifest_path",
    "member_path",
    "new_salt",
    "open_sealed",
    "seal",
    "snapshot_path",
]
