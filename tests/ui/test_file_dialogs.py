"""File dialogs speak the advisor's language, start in the documents folder, remember the
last folder for each kind of file, and open wide enough for their columns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QHeaderView, QLabel, QTreeView
from pytestqt.qtbot import QtBot

from advisor_app.ui.file_dialogs import (
    FileKind,
    choose_folder,
    choose_save_file,
    documents_folder,
    file_dialog,
)
from advisor_app.ui.qt_translations import install_qt_translations


@pytest.fixture(autouse=True)
def no_folder_remembered(qapp: QApplication) -> Iterator[None]:
    QSettings().remove("file_dialogs")
    yield
    QSettings().remove("file_dialogs")


@pytest.fixture
def in_french(qapp: QApplication) -> Iterator[None]:
    install_qt_translations(qapp, "fr")
    yield
    install_qt_translations(qapp, "en")


def answer_the_dialog(qtbot: QtBot, answer: Callable[[QFileDialog], None]) -> list[QFileDialog]:
    """Answer the next file dialog as the advisor would, once it is on screen."""
    seen: list[QFileDialog] = []
    tries = [250]  # about five seconds

    def when_shown() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            tries[0] -= 1
            if tries[0]:
                QTimer.singleShot(20, when_shown)
            return
        seen.append(dialog)
        answer(dialog)

    QTimer.singleShot(0, when_shown)
    return seen


def labels_of(dialog: QFileDialog) -> set[str]:
    return {label.text() for label in dialog.findChildren(QLabel)}


def test_a_french_file_dialog_speaks_french(in_french: None, tmp_path: Path) -> None:
    dialog = file_dialog(None, FileKind.REPORTS, "Enregistrer", saving=True, filters="PDF (*.pdf)")
    labels = labels_of(dialog)
    assert "&Voir dans\u00a0:" in labels
    assert "&Fichiers de type\u00a0:" in labels
    assert not {"&Look in:", "Files of &type:", "Look in:"} & labels
    assert QApplication.translate("QAbstractFileIconProvider", "Folder") == "Dossier"


def test_an_english_file_dialog_keeps_qt_s_own_words() -> None:
    dialog = file_dialog(None, FileKind.REPORTS, "Save", saving=True)
    assert "&Look in:" in labels_of(dialog)


def test_the_first_dialog_opens_in_the_documents_folder() -> None:
    folder = documents_folder()
    assert folder.is_relative_to(Path.home())
    dialog = file_dialog(None, FileKind.PACKAGES, "Import a package")
    assert Path(dialog.directory().absolutePath()) == folder


def test_each_kind_of_file_remembers_its_last_folder(qtbot: QtBot, tmp_path: Path) -> None:
    reports = tmp_path / "Rapports"
    reports.mkdir()

    def save_in_reports(dialog: QFileDialog) -> None:
        dialog.setDirectory(str(reports))
        dialog.selectFile(str(reports / "Suivi – Martin Léa – 2026-11-25.pdf"))
        dialog.accept()

    answered = answer_the_dialog(qtbot, save_in_reports)
    chosen = choose_save_file(
        None, FileKind.REPORTS, "Save", "Suivi – Martin Léa – 2026-11-25.pdf", "PDF (*.pdf)"
    )
    assert answered, "the dialog was shown"
    assert chosen == reports / "Suivi – Martin Léa – 2026-11-25.pdf"
    again = file_dialog(None, FileKind.REPORTS, "Save", saving=True)
    assert Path(again.directory().absolutePath()) == reports
    other = file_dialog(None, FileKind.ATTACHMENTS, "Attach a file")
    assert Path(other.directory().absolutePath()) == documents_folder()


def test_the_proposed_name_is_selected_and_a_cancel_chooses_nothing(qtbot: QtBot) -> None:
    names: list[str] = []

    def look_then_cancel(dialog: QFileDialog) -> None:
        names.extend(Path(name).name for name in dialog.selectedFiles())
        dialog.reject()

    answer_the_dialog(qtbot, look_then_cancel)
    name = "Suivi – Dupré-Lefèvre Amélie – 2026-11-30.pdf"
    assert choose_save_file(None, FileKind.REPORTS, "Save", name, "PDF (*.pdf)") is None
    assert names == [name]


def test_a_folder_chosen_is_remembered_for_its_kind(qtbot: QtBot, tmp_path: Path) -> None:
    def choose(dialog: QFileDialog) -> None:
        dialog.setDirectory(str(tmp_path))
        dialog.selectFile(str(tmp_path))
        dialog.accept()

    answer_the_dialog(qtbot, choose)
    assert choose_folder(None, FileKind.EXPORTS, "Folder") == tmp_path
    dialog = file_dialog(None, FileKind.EXPORTS, "Folder", mode=QFileDialog.FileMode.Directory)
    assert Path(dialog.directory().absolutePath()) == tmp_path


def test_the_dialog_is_wide_enough_for_its_headers_and_dates(
    in_french: None, qtbot: QtBot, tmp_path: Path
) -> None:
    (tmp_path / "Suivi – Dupré-Lefèvre Amélie – 2026-11-30.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "Dossiers").mkdir()
    QSettings().setValue("file_dialogs/reports", str(tmp_path))
    dialog = file_dialog(None, FileKind.REPORTS, "Enregistrer", saving=True)
    qtbot.addWidget(dialog)
    dialog.show()
    details = dialog.findChild(QTreeView, "treeView")
    assert details is not None
    qtbot.waitUntil(lambda: details.model().rowCount(details.rootIndex()) == 2)
    dialog.grab().save(str(tmp_path / "dialog.png"))
    header = details.header()
    screen = dialog.screen().availableGeometry()
    assert dialog.width() >= min(760, screen.width() - 40)
    for column in range(1, header.count()):
        if header.isSectionHidden(column):
            continue
        assert header.sectionResizeMode(column) == QHeaderView.ResizeMode.ResizeToContents
        needed = max(
            header.sectionSizeFromContents(column).width(), details.sizeHintForColumn(column)
        )
        assert header.sectionSize(column) >= needed, header.model().headerData(column, 1)
