"""History: what changed in the case file, when, and by whom."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_datetime
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import UndoList

ACTIONS: dict[str, str] = {
    "created": N_("Case opened"),
    "person_updated": N_("Identity changed"),
    "project_updated": N_("Project changed"),
    "closed": N_("Case closed"),
    "reopened": N_("Case reopened"),
    "binned": N_("Moved to the bin"),
    "restored": N_("Restored from the bin"),
    "appointment_added": N_("Appointment booked"),
    "appointment_updated": N_("Appointment changed"),
    "appointment_removed": N_("Appointment removed"),
    "appointment_done": N_("Appointment done"),
    "appointment_cancelled": N_("Appointment cancelled"),
    "appointment_no_show": N_("Appointment missed (no-show)"),
    "appointment_planned": N_("Appointment planned again"),
    "milestone_done": N_("Milestone done"),
    "milestone_undone": N_("Milestone no longer done"),
    "milestone_target": N_("Milestone target date changed"),
    "milestone_comment": N_("Milestone comment changed"),
    "funding_added": N_("Funding request added"),
    "funding_updated": N_("Funding request changed"),
    "funding_removed": N_("Funding request removed"),
    "plan_line_added": N_("Financing plan line added"),
    "plan_line_updated": N_("Financing plan line changed"),
    "plan_line_removed": N_("Financing plan line removed"),
    "forecast_updated": N_("Forecast changed"),
    "note_added": N_("Note added"),
    "note_updated": N_("Note changed"),
    "note_removed": N_("Note removed"),
    "attachment_added": N_("Document attached"),
    "attachment_removed": N_("Document removed"),
    "consent_recorded": N_("Consent recorded"),
    "consent_withdrawn": N_("Consent withdrawn"),
    "imported": N_("Case imported"),
    "migrated": N_("Case file upgraded"),
}


_READABLE_DETAIL = {
    "funding_added",
    "funding_updated",
    "plan_line_added",
    "plan_line_updated",
    "attachment_added",
}


def detail_text(action: str, detail: str) -> str:
    """The detail when it is words the advisor typed (a funder, a file name), else nothing."""
    return detail if action in _READABLE_DETAIL else ""


def action_text(action: str) -> str:
    return _(ACTIONS[action]) if action in ACTIONS else _("Other change")


class HistoryPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, undo: UndoList, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, undo, parent)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        self.table.setHorizontalHeaderLabels([_("When"), _("What"), _("Detail"), _("Advisor")])
        entries = sorted(detail.history, key=lambda h: h.revision, reverse=True)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for column, text in enumerate(
                (
                    format_datetime(entry.at),
                    action_text(entry.action),
                    detail_text(entry.action, entry.detail),
                    entry.advisor,
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
