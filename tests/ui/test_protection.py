"""From Settings, the advisor protects the open workspace with a passphrase and goes on."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from advisor_app.services import CaseFilter, NewCase
from advisor_app.ui.main_window import MainWindow


def test_protecting_the_open_workspace_encrypts_every_file_and_work_goes_on(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    services.cases.create(NewCase("Ondine", "Kerbrat", project_title="Conserverie"))
    window.show_page("settings")
    box = window.settings_page.protection
    assert "not encrypted" in box.state.text()
    task = box.apply("une phrase secrète")
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    assert services.encryption.encrypted
    assert "are encrypted" in box.state.text()
    for path in services.workspace.root.rglob("*"):
        if path.is_file():
            assert b"Kerbrat" not in path.read_bytes(), path
    services.cases.create(NewCase("Basile", "Morvan"))
    assert [s.last_name for s in services.search.cases(CaseFilter(text="conserverie"))] == [
        "Kerbrat"
    ]
    assert {s.last_name for s in services.search.cases()} == {"Kerbrat", "Morvan"}
