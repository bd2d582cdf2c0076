"""Fixtures of the desktop tests: a session over a real workspace, the main window."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, QThread
from pytestqt.qtbot import QtBot

from advisor_app.services import Services
from advisor_app.ui.case.case_view import CaseView
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.holders import HoldersPage
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


def shown_list(window: MainWindow, qtbot: QtBot) -> HoldersPage:
    """The holders page shown, its list read: the first time, the list is read off the
    interface thread (how long it is is not known yet)."""
    window.show_page("holders")
    holders = window.holders
    qtbot.waitUntil(lambda: not holders.loading)
    return holders


def opened(view: CaseView) -> CaseView:
    """A case's tab once its case is read: the tab shows at once, the case is first read
    off the interface thread."""
    deadline = time.monotonic() + 10
    while view.reading and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        QThread.msleep(2)
    assert not view.reading, "the case was not read"
    return view
