"""Pathway: the milestones with target and done dates, late ones marked, progress shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, describe, format_date, parse_date, pgettext
from advisor_app.services.views import CaseDetail, MilestoneView
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel, SavedLine

EDITOR_BESIDE_WIDTH = 1100
LATE_COLOR = QColor("#b00020")
DONE_COLOR = QColor("#2e7d32")


def milestone_state(milestone: MilestoneView) -> str:
    if milestone.done_on is not None:
        return pgettext("milestone", "Done")  # French: « Réalisée » (une étape)
    if milestone.late:
        return _("Late")
    return _("To do")


class PathwayPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, edits, parent)
        self._shown_key: str | None = None
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.table = QTableWidget(0, 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # the comment takes the room left and wraps, rather than hiding behind a scrollbar
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.table.horizontalHeader()
        # dates and state as wide as they are; the milestone and its comment share the rest,
        # each wrapping on its row
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Fixed)  # _fit_comment
        header.sectionResized.connect(self._section_resized)
        self.table.viewport().installEventFilter(self)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.editor = QGroupBox()
        form = QFormLayout(self.editor)
        self.target = SavedLine(self._save_target, edits)
        self.done = SavedLine(self._save_done, edits)
        self.comment = SavedLine(self._save_comment, edits)
        self.add_row(form, N_("Target date"), self.target)
        self.add_row(form, N_("Done on"), self.done)
        self.add_row(form, N_("Comment"), self.comment)
        self.mark_today = QPushButton()
        self.texts.add(self.mark_today, N_("Mark done today"))
        self.mark_today.clicked.connect(self._mark_today)
        form.addRow(self.mark_today)
        self.error = ErrorLabel()
        form.addRow(self.error)
        self.editor.setMinimumWidth(300)
        self.editor.setMaximumWidth(480)

        # the editor beside the table in a wide window, under it in half a screen, so that
        # the comment column keeps the room to be read
        self.side = side = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        side.addWidget(self.table, 1)
        side.addWidget(self.editor, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        self.progress_caption = QLabel()
        layout.addWidget(self.progress_caption)
        layout.addWidget(self.progress)
        layout.addLayout(side, 1)
        self.table.itemSelectionChanged.connect(self._selected)
        self.retranslate_headers()

    def resizeEvent(self, event: QResizeEvent) -> None:
        wide = event.size().width() >= EDITOR_BESIDE_WIDTH
        self.side.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        super().resizeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_comment()
        return super().eventFilter(watched, event)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column in (1, 2, 3):  # a date or the state, as wide as it now shows
            self._fit_comment()

    def _fit_comment(self) -> None:
        """The milestone and its comment share what the dates and state leave, half each,
        the comment never narrower than its title."""
        header = self.table.horizontalHeader()
        rest = self.table.viewport().width() - sum(header.sectionSize(c) for c in (1, 2, 3))
        title = header.fontMetrics().horizontalAdvance(_("Comment")) + 16
        width = max(title, rest // 2)
        if header.sectionSize(4) != width:
            self.table.setColumnWidth(4, width)

    def retranslate(self) -> None:
        self.retranslate_headers()
        super().retranslate()

    def retranslate_headers(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [_("Milestone"), _("Target date"), _("Done on"), _("State"), _("Comment")]
        )
        self.editor.setTitle(_("Selected milestone"))
        self._fit_comment()

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
        # the same milestone read again keeps what is being typed; another one replaces it
        same = milestone.key == self._shown_key
        self._shown_key = milestone.key
        for field, value in (
            (self.target, format_date(milestone.target_on, "short")),
            (self.done, format_date(milestone.done_on, "short")),
            (self.comment, milestone.comment),
        ):
            if same:
                field.set_value(value)
            else:
                field.show_stored(value)
        self.mark_today.setEnabled(milestone.done_on is None)

    def _key(self) -> str:
        milestone = self.current()
        assert milestone is not None
        return milestone.key

    def _save_target(self, text: str) -> Callable[[], object]:
        key, case_id = self._key(), self.case_id
        target = parse_date("target_on", text) if text.strip() else None
        milestones = self.session.services.milestones
        return lambda: milestones.set_target(case_id, key, target)

    def _save_done(self, text: str) -> Callable[[], object]:
        key, case_id = self._key(), self.case_id
        milestones = self.session.services.milestones
        if not text.strip():
            return lambda: milestones.mark_not_done(case_id, key)
        done_on = parse_date("done_on", text)
        return lambda: milestones.mark_done(case_id, key, done_on)

    def _save_comment(self, text: str) -> Callable[[], object]:
        key, case_id = self._key(), self.case_id
        milestones = self.session.services.milestones
        return lambda: milestones.set_comment(case_id, key, text)

    def _mark_today(self) -> None:
        milestone = self.current()
        if milestone is None:
            return
        key, case_id, name = milestone.key, self.case_id, _(milestone.label)
        milestones = self.session.services.milestones
        self.error.show_message("")
        self.edits.change(
            _("Mark the milestone {milestone} done").format(milestone=name),
            lambda: milestones.mark_done(case_id, key),
            lambda: milestones.mark_not_done(case_id, key),
            on_refused=self._refused,
        )

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, AdvisorError):
            self.error.show_message(describe(error))
            return True
        return False
