"""Every file dialog of the window: where it starts, what it remembers, how wide it opens.

A dialog starts in the folder last used for its kind of file (reports, packages,
attachments...), kept in QSettings, and the first time in the user's documents folder, never
in the program's own. Qt's own dialog (used where the system offers none, as on most Linux
desktops) opens wide enough for its column headers and dates, its words translated by
`qt_translations`.

`choose_open_file`, `choose_save_file` and `choose_folder` wait for the answer;
`folder_dialog` returns a dialog to open without waiting (`dialog.open()`).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHeaderView,
    QSplitter,
    QTreeView,
    QWidget,
)

WIDTH, HEIGHT = 900, 560
SIDEBAR_WIDTH = 170


class FileKind(StrEnum):
    """The kinds of file whose last folder is remembered apart."""

    REPORTS = "reports"
    PACKAGES = "packages"
    ATTACHMENTS = "attachments"
    SPREADSHEETS = "spreadsheets"
    EXPORTS = "exports"
    WORKSPACES = "workspaces"


def documents_folder() -> Path:
    """The user's documents folder (their home folder when the system names none)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


def _settings_key(kind: FileKind | str) -> str:
    return f"file_dialogs/{FileKind(kind).value}"


def last_folder(kind: FileKind | str) -> Path:
    """The folder last used for `kind`, while it exists; else the documents folder."""
    remembered = QSettings().value(_settings_key(kind))
    if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
        return Path(remembered)
    return documents_folder()


def remember_folder(kind: FileKind | str, folder: Path) -> None:
    settings = QSettings()
    settings.setValue(_settings_key(kind), str(folder))
    settings.sync()


def file_dialog(
    parent: QWidget | None,
    kind: FileKind | str,
    title: str,
    *,
    mode: QFileDialog.FileMode = QFileDialog.FileMode.ExistingFile,
    saving: bool = False,
    suggested_name: str = "",
    filters: str = "",
    start: Path | None = None,
) -> QFileDialog:
    """A file dialog for `kind`, in `start` if it is a folder, else in the last folder of
    `kind`, proposing `suggested_name` when saving; `filters` as Qt writes them ("PDF
    documents (*.pdf)", several separated by ";;")."""
    folder = start if start is not None and start.is_dir() else last_folder(kind)
    dialog = QFileDialog(parent, title, str(folder), filters)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if saving else mode)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    if saving:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        suffix = _first_suffix(filters)
        if suffix:
            dialog.setDefaultSuffix(suffix)
    if suggested_name:
        dialog.selectFile(suggested_name)
    dialog.setProperty("file_kind", FileKind(kind).value)
    _widen(dialog)
    return dialog


def chosen_path(dialog: QFileDialog) -> Path | None:
    """What an accepted `dialog` chose, its folder remembered for its kind; None otherwise."""
    files = dialog.selectedFiles()
    if dialog.result() != QDialog.DialogCode.Accepted or not files:
        return None
    path = Path(files[0])
    kind = str(dialog.property("file_kind"))
    directory = dialog.fileMode() == QFileDialog.FileMode.Directory
    remember_folder(kind, path if directory else path.parent)
    return path


def choose_open_file(
    parent: QWidget | None, kind: FileKind | str, title: str, filters: str = ""
) -> Path | None:
    """An existing file to read, or None when the advisor cancelled."""
    dialog = file_dialog(parent, kind, title, filters=filters)
    dialog.exec()
    return chosen_path(dialog)


def choose_save_file(
    parent: QWidget | None,
    kind: FileKind | str,
    title: str,
    suggested_name: str,
    filters: str = "",
) -> Path | None:
    """Where to write a file, proposing `suggested_name` in the last folder of `kind` (Qt
    asks before replacing a file); None when the advisor cancelled."""
    dialog = file_dialog(
        parent, kind, title, saving=True, suggested_name=suggested_name, filters=filters
    )
    dialog.exec()
    return chosen_path(dialog)


def choose_folder(
    parent: QWidget | None, kind: FileKind | str, title: str, start: Path | None = None
) -> Path | None:
    """A folder (from `start` if given, else the last folder of `kind`), or None when the
    advisor cancelled."""
    dialog = folder_dialog(parent, kind, title, start)
    dialog.exec()
    return chosen_path(dialog)


def folder_dialog(
    parent: QWidget | None, kind: FileKind | str, title: str, start: Path | None = None
) -> QFileDialog:
    """A folder dialog to open without waiting: the folder chosen is remembered for `kind`
    when it is accepted (connect to `fileSelected` for what follows)."""
    dialog = file_dialog(parent, kind, title, mode=QFileDialog.FileMode.Directory, start=start)
    dialog.accepted.connect(lambda: chosen_path(dialog))
    return dialog


def _first_suffix(filters: str) -> str:
    """ "pdf" for "PDF documents (*.pdf)": the suffix a name typed without one receives."""
    start = filters.find("(*.")
    if start < 0:
        return ""
    suffix = filters[start + 3 :].split(")")[0].split()[0]
    return "" if "*" in suffix else suffix


def _widen(dialog: QFileDialog) -> None:
    """Wide enough for the names, the column headers and the dates (Qt's own dialog only; a
    system dialog sizes itself), never wider than the screen."""
    width, height = WIDTH, HEIGHT
    screen = dialog.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 40), min(height, room.height() - 40)
    dialog.resize(max(width, 480), max(height, 360))
    details = dialog.findChild(QTreeView, "treeView")
    if details is not None:
        header = details.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    splitter = dialog.findChild(QSplitter, "splitter")
    if splitter is not None:
        splitter.setSizes([SIDEBAR_WIDTH, max(width - SIDEBAR_WIDTH, 300)])
