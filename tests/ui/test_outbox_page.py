"""The Outbox page: an advisor sees what waits, syncs now, and imports a package."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from advisor_app.services import NewCase, Services
from advisor_app.ui.dialogs.import_package import ImportPackageDialog
from advisor_app.ui.pages.outbox import OutboxPage
from advisor_app.ui.session import AppSession


def queue_one(services: Services, drop: Path) -> str:
    case_id, _d, _c = services.cases.create(NewCase(first_name="Zoé", last_name="Müller"))
    services.partners.add("Initiative Creuse", "network", folder=drop, reports=[])
    services.partners.share_with(case_id, "Initiative Creuse")
    return services.exchange.export(case_id, "Initiative Creuse")[0]


def test_sync_now_sends_the_waiting_package(
    session: AppSession, qtbot: QtBot, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    queue_one(session.services, drop)
    page = OutboxPage(session)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 1
    assert page.model.index(0, 2).data() == "Waiting"
    assert "1 package waiting" in page.status.text()

    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.index(0, 2).data() == "Sent", timeout=10_000)

    assert "0 packages waiting" in page.status.text()
    assert len(list(drop.iterdir())) == 1


def test_a_refused_package_says_why_and_cannot_be_imported(
    session: AppSession, qtbot: QtBot, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip at all")

    dialog = ImportPackageDialog(session, broken)
    qtbot.addWidget(dialog)

    assert "cannot be imported" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


def test_a_package_is_previewed_then_imported(
    session: AppSession, qtbot: QtBot, tmp_path: Path
) -> None:
    from advisor_app.storage.workspace import Workspace

    other = Services(Workspace.open(tmp_path / "other"))
    other.partners.add("Marc", "advisor", folder=tmp_path / "drop")
    case_id, _d, _c = other.cases.create(NewCase(first_name="Ana", last_name="Silva"))
    other.partners.share_with(case_id, "Marc")
    package = other.outbox.package_path(other.exchange.export(case_id, "Marc")[0])
    other.close()

    dialog = ImportPackageDialog(session, package)
    qtbot.addWidget(dialog)
    assert "Ana Silva" in dialog.summary.text()
    assert dialog.details.item(0).text() == "A new case file will be created."

    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.imported_case == case_id, timeout=10_000)
    assert session.services.cases.get(case_id).person.display_name == "Ana Silva"
