"""Backups and personal data: back up, restore, damaged files, cases past retention."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, format_date, format_datetime, ngettext
from advisor_app.services import Changes, Services
from advisor_app.services.workspace_lock import quarantined
from advisor_app.ui.errors import show_error
from advisor_app.ui.session import AppSession

_ID_ROLE = 256  # Qt.ItemDataRole.UserRole


class BackupsPage(QWidget):
    """The backups of the workspace, the damaged files kept aside, the cases to anonymise."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        layout.addWidget(self.title)

        self.backups_box = backups_box = QGroupBox()
        box = QVBoxLayout(backups_box)
        self.backups = QListWidget()
        box.addWidget(self.backups)
        row = QHBoxLayout()
        self.back_up_button = QPushButton()
        self.restore_button = QPushButton()
        row.addWidget(self.back_up_button)
        row.addWidget(self.restore_button)
        row.addStretch()
        box.addLayout(row)
        layout.addWidget(backups_box)

        self.damaged_box = damaged_box = QGroupBox()
        box = QVBoxLayout(damaged_box)
        self.damaged = QListWidget()
        box.addWidget(self.damaged)
        self.repair_button = QPushButton()
        box.addWidget(self.repair_button)
        layout.addWidget(damaged_box)

        self.retention_box = retention_box = QGroupBox()
        box = QVBoxLayout(retention_box)
        self.retention = QListWidget()
        box.addWidget(self.retention)
        row = QHBoxLayout()
        self.anonymise_button = QPushButton()
        self.erase_button = QPushButton()
        row.addWidget(self.anonymise_button)
        row.addWidget(self.erase_button)
        row.addStretch()
        box.addLayout(row)
        layout.addWidget(retention_box)

        self.back_up_button.clicked.connect(self.back_up)
        self.restore_button.clicked.connect(self.restore_selected)
        self.repair_button.clicked.connect(self.repair_selected)
        self.anonymise_button.clicked.connect(self.anonymise_selected)
        self.erase_button.clicked.connect(self.erase_selected)
        self._stale = True
        session.changed.connect(lambda _changes: self._refresh_when_seen())
        session.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Backups and personal data"))
        self.backups_box.setTitle(_("Backups"))
        self.back_up_button.setText(_("Back up now"))
        self.restore_button.setText(_("Restore this backup…"))
        self.damaged_box.setTitle(_("Damaged case files"))
        self.repair_button.setText(_("Restore from the newest backup"))
        self.retention_box.setTitle(_("Closed cases past the retention period"))
        self.anonymise_button.setText(_("Anonymise…"))
        self.erase_button.setText(_("Erase…"))
        self._refresh_when_seen()

    def _refresh_when_seen(self) -> None:
        """Backups are read from disk: only for the page on screen, not at every edit."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    @property
    def services(self) -> Services:
        return self.session.services

    def refresh(self) -> None:
        self._stale = False
        self.backups.clear()
        for backup in self.services.backups.all():
            count = ngettext("{count} case", "{count} cases", len(backup.case_ids)).format(
                count=len(backup.case_ids)
            )
            item = QListWidgetItem(f"{format_datetime(backup.created_at)}  ({count})")
            item.setData(_ID_ROLE, backup.name)
            self.backups.addItem(item)
        self.damaged.clear()
        for item_file in quarantined(self.services.workspace.root):
            item = QListWidgetItem(
                _("{case_id}: damaged, kept aside").format(case_id=item_file.case_id)
            )
            item.setData(_ID_ROLE, item_file.case_id)
            self.damaged.addItem(item)
        self.retention.clear()
        for candidate in self.services.privacy.past_retention():
            item = QListWidgetItem(
                _("{holder}, last contact {date}").format(
                    holder=candidate.holder, date=format_date(candidate.reference)
                )
            )
            item.setData(_ID_ROLE, candidate.case_id)
            self.retention.addItem(item)

    def _selected(self, widget: QListWidget) -> str | None:
        item = widget.currentItem()
        return str(item.data(_ID_ROLE)) if item is not None else None

    def _run(self, call: Callable[[], object], success: str) -> None:
        def done(result: object) -> None:
            self.refresh()
            if success:
                QMessageBox.information(self, self.title.text(), success)

        def work() -> Changes:
            result = call()
            return result if isinstance(result, Changes) else Changes(case_list=True)

        # a failure is announced on session.tasks.failed, which the main window shows
        self.session.tasks.run(work, done)

    def back_up(self) -> None:
        self._run(self.services.backups.back_up_now, _("The workspace was backed up."))

    def restore_selected(self) -> None:
        name = self._selected(self.backups)
        if name is None:
            return
        if not confirm(
            self,
            _(
                "Put every case file back as it was in this backup? The present state is "
                "backed up first."
            ),
        ):
            return
        self._run(lambda: self.services.backups.restore(name), _("The backup was restored."))

    def repair_selected(self) -> None:
        case_id = self._selected(self.damaged)
        if case_id is None:
            return
        self._run(
            lambda: self.services.backups.set_aside_and_restore(case_id),
            _("The case was restored from a backup."),
        )

    def anonymise_selected(self) -> None:
        case_id = self._selected(self.retention)
        if case_id is None:
            return
        if confirm(
            self,
            _(
                "Remove the identity and the free texts of this case? Figures for statistics "
                "are kept. This cannot be undone."
            ),
        ):
            self._run(lambda: self.services.privacy.anonymise(case_id), "")

    def erase_selected(self) -> None:
        case_id = self._selected(self.retention)
        if case_id is not None and confirm_erase(self):
            self._run(lambda: self.services.privacy.erase(case_id), _("The case was erased."))


def confirm(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(parent, _("Please confirm"), question)
    return answer == QMessageBox.StandardButton.Yes


def confirm_erase(parent: QWidget) -> bool:
    """The confirmation asked before an erasure (also for the case window's action)."""
    return confirm(
        parent,
        _(
            "Erase this case everywhere: its file, its index, its queued packages and its "
            "copies in the backups? Only the fact that a case was erased is kept. This cannot "
            "be undone."
        ),
    )


def export_access(parent: QWidget, session: AppSession, case_id: str) -> None:
    """The right-of-access action of a case: choose a folder, write PDF, JSON, attachments."""
    folder = QFileDialog.getExistingDirectory(parent, _("Folder for the access export"))
    if not folder:
        return
    try:
        export = session.services.privacy.access_export(case_id, Path(folder))
    except AdvisorError as error:
        show_error(parent, error)
        return
    QMessageBox.information(
        parent,
        _("Access export"),
        _("Written to {folder}.").format(folder=str(export.folder)),
    )
