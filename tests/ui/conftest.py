"""Fixtures of the desktop tests: a session over a real workspace, the main window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from pytestqt.qtbot import QtBot

from advisor_app.services import Services
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.session import AppSession


@pytest.fixture(autouse=True)
def qt_test_paths(qapp: object) -> None:
    """Window state (QSettings) goes to Qt's test folders, not the user's."""
    QStandardPaths.setTestModeEnabled(True)
    QSettings().remove("file_dialogs")  # every test's file dialogs start in the documents


@pytest.fixture
def session(services: Services, qtbot: QtBot) -> Iterator[AppSession]:
    made = AppSession(services)
    yield made
    made.tasks.wait()


@pytest.fixture
def window(session: AppSession, qtbot: QtBot) -> MainWindow:
    made = MainWindow(session)
    qtbot.addWidget(made)
    made.resize(1280, 800)
    made.show()
    return made


@pytest.fixture(autouse=True)
def log_in_tmp(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The error log of a test goes to its temporary folder."""
    from pathlib import Path

    from advisor_app import logs
    from advisor_app.ui import errors

    path = Path(str(tmp_path)) / "boussole.log"
    monkeypatch.setattr(logs, "log_path", lambda: path)
    monkeypatch.setattr(errors, "log_path", lambda: path)
