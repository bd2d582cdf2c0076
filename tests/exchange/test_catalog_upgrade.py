"""A workspace made before the exchange existed gets its outbox tables on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from advisor_app.services import Services
from advisor_app.storage.catalog_models import CATALOG_VERSION
from advisor_app.storage.workspace import Workspace


def test_an_older_catalog_gains_partners_and_outbox_and_keeps_them(tmp_path: Path) -> None:
    root = tmp_path / "old"
    Workspace.open(root).close()
    connection = sqlite3.connect(root / "workspace.sqlite")
    for table in ("partner", "outbox", "send_journal"):
        connection.execute(f"DROP TABLE {table}")
    connection.execute(f"PRAGMA user_version = {CATALOG_VERSION - 1}")
    connection.close()

    services = Services(Workspace.open(root))
    services.partners.add("Initiative Creuse", "network", folder=tmp_path / "drop")
    services.close()
    connection = sqlite3.connect(root / "workspace.sqlite")
    connection.execute(f"PRAGMA user_version = {CATALOG_VERSION - 1}")  # upgraded once more
    connection.close()

    again = Services(Workspace.open(root))
    assert [p.name for p in again.partners.all()] == ["Initiative Creuse"]
    again.close()
