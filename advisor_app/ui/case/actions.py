"""What can be done to a whole case, from its header: export, close or reopen, bin, and
the person's right of access."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from advisor_app.domain.enums import CaseStatus
from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.case.team_actions import TeamCaseActions
from advisor_app.ui.dialogs.access_export import AccessExportAction, export_access
from advisor_app.ui.dialogs.close_case import CloseCaseDialog
from advisor_app.ui.dialogs.confirm import Confirmation, confirm
from advisor_app.ui.errors import show_error
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import FlowLayout

if TYPE_CHECKING:
    from advisor_app.ui.dialogs.export import ExportDialog


class CaseActions(QWidget):
    """Buttons of the case header; dialogs are opened without waiting on them."""

    binned = Signal(str)

    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.edits = edits
        self.detail: CaseDetail | None = None
        self.dialog: CloseCaseDialog | ExportDialog | None = None
        self.confirmation: Confirmation | None = None
        self.access: AccessExportAction | None = None
        self.export_button = QPushButton()
        self.access_button = QPushButton()
        self.close_button = QPushButton()
        self.reopen_button = QPushButton()
        self.bin_button = QPushButton()
        # share with the team, stop sharing, hand over: only in a team
        self.team = TeamCaseActions(session, case_id, edits, self._holder, self._referent, self)
        layout = FlowLayout(self)  # on two lines rather than wider than half a screen
        for button in (
            self.export_button,
            self.access_button,
            self.close_button,
            self.reopen_button,
            self.bin_button,
            *self.team.buttons,
        ):
            layout.addWidget(button)
        self.export_button.clicked.connect(self.export_to_partner)
        self.access_button.clicked.connect(self.export_access)
        self.close_button.clicked.connect(self.close_case)
        self.reopen_button.clicked.connect(self.reopen)
        self.bin_button.clicked.connect(self.ask_move_to_bin)
        self.retranslate()
        self.show_detail(None)

    def retranslate(self) -> None:
        self.export_button.setText(_("Export to a partner…"))
        self.access_button.setText(_("Right of access…"))
        self.access_button.setToolTip(
            _(
                "Write everything held about this person to a folder: a PDF to read, a JSON "
                "file and the attachments."
            )
        )
        self.close_button.setText(_("Close the case…"))
        self.reopen_button.setText(_("Reopen"))
        self.bin_button.setText(_("Move to the bin…"))
        self.close_button.setToolTip(_("The accompaniment has ended: say how, and when."))
        self.team.retranslate()

    def show_detail(self, detail: CaseDetail | None) -> None:
        self.detail = detail
        closed = detail is not None and detail.status is CaseStatus.CLOSED
        self.close_button.setVisible(not closed)
        self.reopen_button.setVisible(closed)
        self.setEnabled(detail is not None)
        if detail is not None:
            self.team.read()

    def _holder(self) -> str:
        return self.detail.person.display_name if self.detail else self.case_id

    def _referent(self) -> str:
        return self.detail.advisor if self.detail else ""

    def export_to_partner(self) -> ExportDialog:
        from advisor_app.ui.dialogs.export import ExportDialog  # its partners, when asked

        dialog = ExportDialog(self.session, self.case_id, self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def export_access(self) -> AccessExportAction:
        """The person asked for everything held about them."""
        self.access = export_access(self, self.session, self.case_id, self._holder())
        return self.access

    def close_case(self) -> CloseCaseDialog:
        dialog = CloseCaseDialog(self.session, self.case_id, self._holder(), self, self.edits)
        self.dialog = dialog
        dialog.open()
        return dialog

    def reopen(self) -> None:
        """Reopened through the writer; Édition ▸ Annuler closes it again as it was."""
        detail = self.detail
        if detail is None:
            return
        cases, case_id = self.session.services.cases, self.case_id
        outcome, closed_on = detail.outcome, detail.closed_on
        undo = (lambda: cases.close(case_id, outcome, closed_on)) if outcome is not None else None
        self.edits.change(
            _("Reopen the case"), lambda: cases.reopen(case_id), undo, on_refused=self._refused
        )

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, AdvisorError):
            show_error(self, error)
            return True
        return False

    def ask_move_to_bin(self) -> Confirmation:
        self.confirmation = confirm(
            self,
            _("Move the case of {holder} to the bin?").format(holder=self._holder()),
            _("Move to the bin"),
            self.move_to_bin,
            _(
                "It leaves the list, the agenda and the reports. It can be restored from "
                "the bin until the bin is emptied."
            ),
        )
        return self.confirmation

    def move_to_bin(self) -> None:
        """Through the writer; the tab closes once it has landed (the bin gives it back)."""
        cases, case_id = self.session.services.cases, self.case_id
        self.edits.write(
            lambda: cases.move_to_bin(case_id),
            lambda _result: self.binned.emit(case_id),
            self._refused,
        )
