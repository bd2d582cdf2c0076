"""The window keeps the advisor's trust when the workspace changes under it: re-encrypted by
another window (the new passphrase is asked, then work goes on), a full disk or a read-only
folder met by background work (said as the command line says it, never "Something went
wrong")."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from advisor_app.services import Services
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.session import AppSession
from tests.trust.conftest import (
    PASSPHRASE,
    add_person,
    open_services,
    quick_key_derivation,  # noqa: F401  (autouse: quick PBKDF2)
)
from tests.trust.test_full_disk import fill, mount_tmpfs, unmount
from tests.ui.conftest import opened

NEW_PASSPHRASE = "le nord magnétique"


def window_over(services: Services, qtbot: QtBot) -> MainWindow:
    window = MainWindow(AppSession(services))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def messages(window: MainWindow) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]


# -- re-encrypted by another window ------------------------------------------------------------


@pytest.fixture
def encrypted(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[MainWindow, str]]:
    """A window open on an encrypted workspace holding Basile's case; his case."""
    services = open_services(tmp_path / "ws", PASSPHRASE)
    basile = add_person(services, "Basile", "Morvan")
    window = window_over(services, qtbot)
    yield window, basile
    window.session.tasks.wait()
    services.close()


def re_encrypt_elsewhere(root: Path) -> None:
    """Another window, with an opening of its own, changes the passphrase."""
    other = open_services(root, PASSPHRASE)
    try:
        for _step in other.encryption.change_passphrase(NEW_PASSPHRASE):
            pass
    finally:
        other.close()


def test_a_workspace_re_encrypted_elsewhere_asks_for_its_new_passphrase_then_goes_on(
    encrypted: tuple[MainWindow, str], qtbot: QtBot
) -> None:
    window, basile = encrypted
    services = window.session.services
    view = opened(window.open_case(basile))
    re_encrypt_elsewhere(services.workspace.root)

    commune = view.page("Identity").fields["commune"]  # type: ignore[attr-defined]
    commune.line.setText("Guéret")
    commune.commit()  # refused by the one writer, and said under the field
    qtbot.waitUntil(lambda: "re-encrypted" in commune.error.text())
    watch = window.key_watch
    qtbot.waitUntil(lambda: watch.dialog is not None and watch.dialog.isVisible())
    dialog = watch.dialog
    assert dialog is not None
    assert any("Type its new passphrase" in label.text() for label in dialog.findChildren(QLabel))
    assert window.isVisible()

    dialog.field.setText(PASSPHRASE)  # the one it had
    dialog.try_passphrase()
    assert "does not open" in dialog.message.text()
    dialog.field.setText(NEW_PASSPHRASE)
    dialog.try_passphrase()
    assert watch.dialog is None
    assert window.key_banner.isVisible()
    assert "please do it again" in window.key_banner.text.text()

    commune = view.page("Identity").fields["commune"]  # type: ignore[attr-defined]
    commune.line.setText("Guéret")  # the advisor does it again
    assert commune.commit()
    window.session.tasks.finish_writes()
    assert services.cases.get(basile).person.commune == "Guéret"
    reopened = open_services(services.workspace.root, NEW_PASSPHRASE)
    assert reopened.cases.get(basile).person.commune == "Guéret"
    reopened.close()


def test_without_the_new_passphrase_the_window_stays_open_and_says_nothing_can_be_read(
    encrypted: tuple[MainWindow, str], qtbot: QtBot
) -> None:
    window, _basile = encrypted
    services = window.session.services
    window.show_page("backups")
    re_encrypt_elsewhere(services.workspace.root)

    window.backups.back_up_button.click()  # background work meets the change
    watch = window.key_watch
    qtbot.waitUntil(lambda: watch.dialog is not None and watch.dialog.isVisible())
    assert not any("re-encrypted" in text for text in messages(window))  # asked, not told
    assert watch.dialog is not None
    watch.dialog.reject()
    assert window.isVisible()
    assert window.key_banner.isVisible()
    assert "Nothing can be read or written here" in window.key_banner.text.text()

    task = window.backups.back_up()  # tried again: not asked again, the banner says why
    qtbot.waitUntil(lambda: not task.running)
    assert watch.dialog is None and window.key_banner.isVisible()

    window.key_banner.action.click()  # "Type the passphrase…"
    assert watch.dialog is not None and watch.dialog.isVisible()
    watch.dialog.field.setText(NEW_PASSPHRASE)
    watch.dialog.try_passphrase()
    assert "Nothing can be read" not in window.key_banner.text.text()
    task = window.backups.back_up()
    qtbot.waitUntil(lambda: not task.running)
    assert len(services.backups.all()) == 1


# -- a disk that refuses --------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "disk"
    mount_tmpfs(folder, "6m")
    yield folder
    unmount(folder)


@pytest.fixture
def on_small_disk(small_disk: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    """A window open on a workspace that lives on a disk of its own (6 MB)."""
    services = open_services(small_disk / "ws")
    add_person(services, "Ondine", "Vasseur-Kerbrat")
    window = window_over(services, qtbot)
    window.show_page("backups")
    yield window
    window.session.tasks.wait()
    services.close()


def _backing_up_says(window: MainWindow, qtbot: QtBot) -> str:
    task = window.backups.back_up()
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    qtbot.waitUntil(lambda: bool(messages(window)))
    [text] = messages(window)
    return text


def test_a_full_disk_met_by_a_backup_reads_as_the_command_line_says_it(
    on_small_disk: MainWindow, small_disk: Path, qtbot: QtBot
) -> None:
    filler = fill(small_disk, leave=16 * 1024)
    text = _backing_up_says(on_small_disk, qtbot)
    assert text.startswith("The disk is full: free some space")
    assert "Something went wrong" not in text
    filler.unlink()
    for box in on_small_disk.findChildren(QMessageBox):
        box.close()
    assert _backing_up_says(on_small_disk, qtbot) == "The workspace was backed up."


def test_a_right_of_access_written_to_a_read_only_stick_is_said_so(
    on_small_disk: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    stick = tmp_path / "stick"
    mount_tmpfs(stick, "1m")
    try:
        remount = subprocess.run(
            ["mount", "-o", "remount,ro", str(stick)], capture_output=True, check=False
        )
        if remount.returncode != 0:
            pytest.skip(f"This system refused to remount read-only ({remount.stderr.decode()}).")
        box = on_small_disk.backups.access
        qtbot.waitUntil(lambda: not on_small_disk.backups.loading)
        box.case.setCurrentIndex(0)
        action = box.export_chosen()
        assert action is not None
        action.dialog.selectFile(str(stick))
        action.dialog.accept()
        assert action.task is not None
        qtbot.waitUntil(lambda: not action.task.running)  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: bool(messages(on_small_disk)))
    finally:
        unmount(stick)
    [text] = messages(on_small_disk)
    assert "is on a read-only disk: nothing was written there" in text
    assert "Something went wrong" not in text


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is a Linux device")
def test_any_background_work_that_meets_a_full_disk_says_so_wherever_the_tests_run(
    tmp_path: Path, qtbot: QtBot
) -> None:
    services = open_services(tmp_path / "ws")
    window = window_over(services, qtbot)

    def write_on_a_full_disk() -> None:
        with Path("/dev/full").open("wb", buffering=0) as full:  # ENOSPC, for real
            full.write(b"Ondine Vasseur-Kerbrat")

    try:
        with qtbot.waitSignal(window.session.tasks.failed, timeout=10_000):
            window.session.tasks.run(write_on_a_full_disk)
        [text] = messages(window)
        assert text.startswith("The disk is full: free some space")
        assert "Something went wrong" not in text
    finally:
        window.session.tasks.wait()
        services.close()
