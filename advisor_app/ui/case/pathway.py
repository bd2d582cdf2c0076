"""Pathway: the milestones with target and done dates, late ones marked, progress shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_date, parse_date
from advisor_app.services.views import CaseDetail, MilestoneView
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import SavedLine, UndoList

LATE_COLOR = QColor("#b00020")
DONE_COLOR = QColor("#2e7d32")


def milestone_state(milestone: MilestoneView) -> str:
    if milestone.done_on is not None:
        return _("Done")
    if milestone.late:
        return _("Late")
    return _("To do")


class PathwayPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, undo: UndoList, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, undo, parent)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.table = QTableWidget(0, 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for column, width in ((1, 130), (2, 130), (3, 90)):
            self.table.setColumnWidth(column, width)

        self.editor = QGroupBox()
        form = QFormLayout(self.editor)
        self.target = SavedLine(self._save_target, undo)
        self.done = SavedLine(self._save_done, undo)
        self.comment = SavedLine(self._save_comment, undo)
        self.add_row(form, N_("Target date"), self.target)
        self.add_row(form, N_("Done on"), self.done)
        self.add_row(form, N_("Comment"), self.comment)
        self.mark_today = QPushButton()
        self.texts.add(self.mark_today, N_("Mark done today"))
        self.mark_today.clicked.connect(self._mark_today)
        form.addRow(self.mark_today)
        self.editor.setMinimumWidth(430)
        self.editor.setMaximumWidth(480)

        side = QHBoxLayout()
        side.addWidget(self.table, 1)
        side.addWidget(self.editor, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        self.progress_caption = QLabel()
        layout.addWidget(self.progress_caption)
        layout.addWidget(self.progress)
        layout.addLayout(side, 1)
        self.table.itemSelectionChanged.connect(self._selected)
        self.retranslate_headers()

    def retranslate(self) -> None:
        self.retranslate_headers()
        super().retranslate()

    def retranslate_headers(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [_("Milestone"), _("Target date"), _("Done on"), _("State"), _("Comment")]
        )
        self.editor.setTitle(_("Selected milestone"))

    def current(self) -> MilestoneView | None:
        row = self.table.currentRow()
        if self.detail is None or not 0 <= row < len(self.detail.milestones):
            return None
        return self.detail.milestones[row]

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        row_before = self.table.currentRow()
        milestones = detail.milestones
        done = sum(1 for m in milestones if m.done_on is not None)
        late = sum(1 for m in milestones if m.late)
        self.progress.setRange(0, max(len(milestones), 1))
        self.progress.setValue(done)
        self.progress.setFormat(
            _("{done} of {total} milestones done").format(done=done, total=len(milestones))
        )
        self.progress_caption.setText(
            _("{late} late milestone(s)").format(late=late) if late else _("No milestone is late.")
        )
        self.table.blockSignals(True)
        self.table.setRowCount(len(milestones))
        for row, milestone in enumerate(milestones):
            state = QTableWidgetItem(milestone_state(milestone))
            if milestone.late:
                state.setForeground(QBrush(LATE_COLOR))
                state.setData(Qt.ItemDataRole.UserRole, "late")
            elif milestone.done_on is not None:
                state.setForeground(QBrush(DONE_COLOR))
            cells = [
                QTableWidgetItem(_(milestone.label)),
                QTableWidgetItem(format_date(milestone.target_on)),
                QTableWidgetItem(format_date(milestone.done_on)),
                state,
                QTableWidgetItem(milestone.comment),
            ]
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.table.blockSignals(False)
        self.table.selectRow(row_before if row_before >= 0 else max(done - 1, 0))
        self._selected()

    def _selected(self) -> None:
        milestone = self.current()
        self.editor.setEnabled(milestone is not None)
        if milestone is None:
            return
        self.target.set_value(format_date(milestone.target_on, "short"))
        self.done.set_value(format_date(milestone.done_on, "short"))
        self.comment.set_value(milestone.comment)
        self.mark_today.setEnabled(milestone.done_on is None)

    def _key(self) -> str:
        milestone = self.current()
        assert milestone is not None
        return milestone.key

    def _save_target(self, text: str) -> None:
        key = self._key()
        target = parse_date("target_on", text) if text.strip() else None
        milestones = self.session.services.milestones
        self.session.edit(lambda: milestones.set_target(self.case_id, key, target))

    def _save_done(self, text: str) -> None:
        key = self._key()
        milestones = self.session.services.milestones
        if not text.strip():
            self.session.edit(lambda: milestones.mark_not_done(self.case_id, key))
            return
        done_on = parse_date("done_on", text)
        self.session.edit(lambda: milestones.mark_done(self.case_id, key, done_on))

    def _save_comment(self, text: str) -> None:
        key = self._key()
        self.session.edit(
            lambda: self.session.services.milestones.set_comment(self.case_id, key, text)
        )

    def _mark_today(self) -> None:
        key = self._key()
        self.session.edit(lambda: self.session.services.milestones.mark_done(self.case_id, key))
