"""The bin: cases moved out of the list, restored one by one or deleted for good together."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe, format_datetime, ngettext
from advisor_app.ui.dialogs.confirm import Confirmation, confirm
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel


class BinDialog(QDialog):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: list[tuple[str, str]] = []
        self.confirmation: Confirmation | None = None
        self.setWindowTitle(_("Bin"))
        self.intro = QLabel(
            _(
                "Cases in the bin are out of the list, the agenda and the reports. "
                "Restore one to bring it back; empty the bin to delete them for good."
            )
        )
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([_("Project holder"), _("Moved to the bin")])
        self.table.setAccessibleName(_("Bin"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.count = QLabel()
        self.error = ErrorLabel()
        self.restore_button = QPushButton(_("Restore"))
        self.empty_button = QPushButton(_("Empty the bin…"))
        actions = QHBoxLayout()
        actions.addWidget(self.restore_button)
        actions.addStretch(1)
        actions.addWidget(self.empty_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addLayout(actions)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 380)
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button.clicked.connect(self.ask_empty)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        binned = self.session.services.cases.binned()
        self.rows = [(case_id, name) for case_id, name, _at in binned]
        self.table.setRowCount(len(binned))
        for row, (case_id, name, at) in enumerate(binned):
            for column, text in enumerate((name, format_datetime(at))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, case_id)
                self.table.setItem(row, column, item)
        if binned:
            self.table.selectRow(0)
        self.count.setText(
            ngettext("{count} case in the bin.", "{count} cases in the bin.", len(binned)).format(
                count=len(binned)
            )
            if binned
            else _("The bin is empty.")
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        self.empty_button.setEnabled(bool(self.rows))

    def select(self, case_id: str) -> None:
        for row, (binned_id, _name) in enumerate(self.rows):
            if binned_id == case_id:
                self.table.selectRow(row)
                return

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.restore(self.rows[rows[0].row()][0])

    def restore(self, case_id: str) -> None:
        """Through the one writer; the list is read again once it has landed."""
        self.error.show_message("")
        cases = self.session.services.cases
        self.session.write(
            lambda: cases.restore_from_bin(case_id), lambda _r: self.refresh(), self._refused
        )

    def ask_empty(self) -> Confirmation | None:
        if not self.rows:
            return None
        self.confirmation = confirm(
            self,
            ngettext(
                "Delete for good the case in the bin?",
                "Delete for good the {count} cases in the bin?",
                len(self.rows),
            ).format(count=len(self.rows)),
            _("Empty the bin"),
            self.empty,
            _("Their case files are deleted. This cannot be undone."),
        )
        return self.confirmation

    def empty(self) -> None:
        self.error.show_message("")
        self.session.write(
            self.session.services.cases.empty_bin, lambda _r: self.refresh(), self._refused
        )

    def _refused(self, error: BaseException) -> bool:
        self.refresh()
        if isinstance(error, AdvisorError):
            self.error.show_message(describe(error))
            return True
        return False
