"""A workspace made before the exchange existed (catalog version 1) gets its partners,
outbox and journal of sends on open, and keeps them."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from advisor_app.services import Services
from advisor_app.storage.workspace import Workspace

VERSION_4 = Path(__file__).parent.parent / "fixtures" / "catalog-v4.sqlite"


def test_an_older_catalog_gains_partners_and_outbox_and_keeps_them(tmp_path: Path) -> None:
    root = tmp_path / "old"
    root.mkdir()
    shutil.copyfile(VERSION_4, root / "workspace.sqlite")
    connection = sqlite3.connect(root / "workspace.sqlite")
    for table in ("partner", "outbox", "send_journal"):  # as version 1 had none of them
        connection.execute(f"DROP TABLE {table}")
    connection.execute("PRAGMA user_version = 1")
    connection.close()

    services = Services(Workspace.open(root))
    assert services.partners.all() == [] and services.outbox.items() == []
    assert services.settings.advisor_name == "Camille Rivière"
    services.partners.add("Initiative Creuse", "network", folder=tmp_path / "drop")
    services.close()

    again = Services(Workspace.open(root))
    assert [p.name for p in again.partners.all()] == ["Initiative Creuse"]
    again.close()
