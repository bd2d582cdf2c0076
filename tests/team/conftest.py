"""Fixtures of the team folder: the two real WebDAV servers, and every kind of store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor_app.exchange.team_folder import FolderTeamStore, TeamStore, WebDavTeamStore
from tests.webdav_servers import KINDS, TeamServer
from tests.webdav_servers import team_server as running


@pytest.fixture(params=KINDS)
def team_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TeamServer]:
    """wsgidav, then sabre/dav, serving a temporary folder: unpacks as (url, user,
    password, root), with `.stop()` and `.start()` (same port, same folder) and `.quota`."""
    with running(request.param, tmp_path / f"{request.param}-served") as server:
        yield server


@dataclass
class Place:
    """A store of the team folder, the folder on disk where its files land, and the
    server behind it (None for a plain folder)."""

    store: TeamStore
    root: Path
    server: TeamServer | None


@pytest.fixture(params=("folder", *KINDS))
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    """The same team folder through each kind of store: a plain folder, wsgidav,
    sabre/dav."""
    if request.param == "folder":
        root = tmp_path / "synced" / "team"
        root.mkdir(parents=True)
        store = FolderTeamStore(root)
        yield Place(store, root, None)
        store.close()
        return
    with running(request.param, tmp_path / f"{request.param}-served") as server:
        url, user, password, root = server
        dav = WebDavTeamStore(url, user, password, timeout=10)
        yield Place(dav, root, server)
        dav.close()
