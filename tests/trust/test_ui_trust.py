"""The trust UI pieces: the passphrase dialog says a sentence, the backups page lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from advisor_app.ui.dialogs.passphrase import PassphraseDialog
from advisor_app.ui.idle_lock import IdleLock
from advisor_app.ui.pages.backups import BackupsPage
from advisor_app.ui.session import AppSession
from tests.trust.conftest import PASSPHRASE, add_person, open_services


def test_a_wrong_passphrase_gets_a_sentence_and_the_right_one_unlocks(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    open_services(root, PASSPHRASE).close()
    dialog = PassphraseDialog(root)
    qtbot.addWidget(dialog)
    dialog.field.setText("pas la bonne")
    dialog.try_passphrase()
    assert "does not open" in dialog.message.text()
    assert dialog.passphrase is None
    dialog.field.setText(PASSPHRASE)
    dialog.try_passphrase()
    assert dialog.passphrase == PASSPHRASE


def test_the_idle_lock_forgets_the_key_and_asks_again(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    services = open_services(root, PASSPHRASE)
    session = AppSession(services)
    window = BackupsPage(session)
    qtbot.addWidget(window)
    asked: list[bool] = []

    def ask(folder: Path, unlock: Callable[[str], object]) -> str:
        asked.append(services.locked)
        unlock(PASSPHRASE)
        return PASSPHRASE

    idle = IdleLock(session, window, minutes=5, ask=ask)
    assert idle.timer.isActive()
    idle.lock_now()
    assert asked == [True] and not services.locked and not idle.is_locked
    services.close()


def test_the_backups_page_lists_backups_and_backs_up(qtbot: QtBot, tmp_path: Path) -> None:
    services = open_services(tmp_path / "ws")
    add_person(services, "Basile", "Morvan")
    session = AppSession(services)
    page = BackupsPage(session)
    qtbot.addWidget(page)
    assert page.backups.count() == 0
    services.backups.back_up_now()
    page.refresh()
    assert page.backups.count() == 1
    session.tasks.wait()
    services.close()
