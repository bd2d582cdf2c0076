"""Outbox: packages for partners, their state; Sync now, retry, cancel, import, calendar."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe, format_datetime, ngettext
from advisor_app.services import Changes
from advisor_app.services.outbox import STATES, OutboxItem, SyncReport
from advisor_app.ui.dialogs.import_package import choose_and_import
from advisor_app.ui.file_dialogs import FileKind, choose_save_file
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import FlowLayout

AUTOMATIC_SYNC_MS = 60_000
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


class OutboxModel(QAbstractTableModel):
    """Plain rows of `OutboxItem`; the item itself is under `ITEM_ROLE`."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[OutboxItem] = []

    def headers(self) -> list[str]:
        return [
            _("Partner"),
            _("Project holder"),
            _("State"),
            _("Attempts"),
            _("Last error"),
            _("Created"),
        ]

    def set_rows(self, rows: list[OutboxItem]) -> None:
        self.beginResetModel()
        self.rows = list(reversed(rows))  # newest first
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        if role == ITEM_ROLE:
            return item
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return item.partner
        if column == 1:
            return item.holder or item.case_id
        if column == 2:
            text = _(STATES[item.state])
            if item.state == "failed" and item.next_attempt_at is not None:
                text += " " + _("(next try {when})").format(
                    when=format_datetime(item.next_attempt_at)
                )
            return text
        if column == 3:
            return item.attempts
        if column == 4:
            return describe(item.last_error) if item.last_error and item.state != "sent" else ""
        return format_datetime(item.created_at)


class OutboxPage(QWidget):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.reachable: dict[str, bool] = {}
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.status = QLabel()
        self.status.setObjectName("outboxStatus")
        self.status.setWordWrap(True)  # one word per partner reached: it must not widen the window
        self.model = OutboxModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.sync_button = QPushButton()
        self.retry_button = QPushButton()
        self.cancel_button = QPushButton()
        self.import_button = QPushButton()
        self.calendar_button = QPushButton()
        self.sync_button.clicked.connect(self.sync_now)
        self.retry_button.clicked.connect(self.retry_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.import_button.clicked.connect(self.import_package)
        self.calendar_button.clicked.connect(self.export_calendar)
        buttons = FlowLayout()
        for button in (self.sync_button, self.retry_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.add_stretch()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOMATIC_SYNC_MS)
        self.timer.timeout.connect(self.automatic_sync)
        self.timer.start()
        session.changed.connect(self._on_changed)
        session.language_changed.connect(self.retranslate)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(_("Outbox"))
        self.sync_button.setText(_("Sync now"))
        self.retry_button.setText(_("Retry"))
        self.cancel_button.setText(_("Cancel sending"))
        self.import_button.setText(_("Import a package…"))
        self.calendar_button.setText(_("Export the calendar…"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 5)
        self._show_status()

    def _on_changed(self, changes: Changes) -> None:
        if (changes.outbox or changes.case_list or changes.settings) and self.isVisible():
            self.refresh()  # a hidden page looks again when it is shown

    def refresh(self) -> None:
        self.model.set_rows(self.session.services.outbox.items())
        self._show_status()

    def showEvent(self, event: QShowEvent) -> None:
        # A sync running in the background moves packages along: look again when shown.
        self.refresh()
        super().showEvent(event)

    def _show_status(self) -> None:
        waiting = sum(
            1 for item in self.model.rows if item.state in ("queued", "sending", "failed")
        )
        text = ngettext("{count} package waiting.", "{count} packages waiting.", waiting).format(
            count=waiting
        )
        if self.reachable:
            parts = [
                (_("{name}: reachable") if ok else _("{name}: not reachable")).format(name=name)
                for name, ok in sorted(self.reachable.items())
            ]
            text += " " + " · ".join(parts)
        self.status.setText(text)

    def selected(self) -> OutboxItem | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.model.data(rows[0], ITEM_ROLE)
        return item if isinstance(item, OutboxItem) else None

    # -- actions ------------------------------------------------------------------------

    def _ask_passwords(self) -> None:
        """On the UI thread, before a sync: passwords that no keyring holds."""
        services = self.session.services
        waiting = {
            item.partner
            for item in self.model.rows
            if item.state in ("queued", "sending", "failed")
        }
        for partner in services.partners.all():
            if partner.transport != "webdav" or partner.name not in waiting:
                continue
            if services.partners.passwords.lookup(partner) is not None:
                continue
            password, ok = QInputDialog.getText(
                self,
                _("Password"),
                _("Password of {user} on {url}:").format(user=partner.user, url=partner.location),
                QLineEdit.EchoMode.Password,
            )
            if ok and password:
                services.partners.passwords.remember(partner, password, keep=False)

    def sync_now(self) -> None:
        if self.session.tasks.busy:
            return
        self._ask_passwords()
        self.sync_button.setEnabled(False)
        self.session.tasks.run(
            lambda: self.session.services.outbox.sync(), self._synced, on_error=self._sync_failed
        )

    def automatic_sync(self) -> None:
        """While the application runs: try what is due, and see which partners answer."""
        if self.session.tasks.busy:
            return
        services = self.session.services

        def work() -> tuple[SyncReport, dict[str, bool]]:
            report = services.outbox.sync(due_only=True)
            names = {item.partner for item in services.outbox.items(include_done=False)}
            reachable = {}
            for name in names:
                try:
                    reachable[name] = services.outbox.reachable(name)
                except Exception:
                    reachable[name] = False
            return report, reachable

        self.session.tasks.run(work, self._automatic_done)

    def _automatic_done(self, result: object) -> None:
        if isinstance(result, tuple):
            self.reachable = result[1]
        self.refresh()

    def _synced(self, _report: object) -> None:
        self.sync_button.setEnabled(True)
        self.refresh()

    def _sync_failed(self, error: BaseException) -> bool:
        """Said once, by the window (a message, or the passphrase asked again)."""
        self.sync_button.setEnabled(True)
        with contextlib.suppress(AdvisorError):  # what stopped the sync may stop this too
            self.refresh()
        return False

    def retry_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        try:
            self.session.services.outbox.retry(item.package_id)
        except Exception as error:
            self.session.report(error, self)
        self.refresh()

    def cancel_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        try:
            self.session.services.outbox.cancel(item.package_id)
        except Exception as error:
            self.session.report(error, self)
        self.refresh()

    def import_package(self) -> None:
        case_id = choose_and_import(self.session, self)
        if case_id is not None:
            self.session.announce(Changes.of_case(case_id, agenda=True))
            self.session.open_case(case_id)

    def export_calendar(self) -> None:
        path = choose_save_file(
            self, FileKind.EXPORTS, _("Export the calendar"), "boussole.ics", _("Calendars (*.ics)")
        )
        if path is None:
            return
        try:
            self.session.services.calendar.write_ics(path)
        except Exception as error:
            self.session.report(error, self)
