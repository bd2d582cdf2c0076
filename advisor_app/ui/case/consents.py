"""The consents of a case, on its Identity page: to data processing, and to share per partner."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import ConsentScope
from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe, format_date
from advisor_app.services.views import CaseDetail, ConsentView
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.dialogs.consent import ConsentDialog
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel

MISSING_STYLE = "color: #b00020; font-weight: 600;"


def in_force(consent: ConsentView, today: date) -> bool:
    return consent.given_on <= today and (
        consent.withdrawn_on is None or consent.withdrawn_on > today
    )


def state_text(consent: ConsentView, today: date) -> str:
    if consent.withdrawn_on is not None and consent.withdrawn_on <= today:
        return _("Withdrawn on {date}").format(date=format_date(consent.withdrawn_on))
    if consent.given_on > today:
        return _("From {date}").format(date=format_date(consent.given_on))
    return _("In force")


class ConsentsBox(QGroupBox):
    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.edits = edits
        self.detail: CaseDetail | None = None
        self.sharing: list[ConsentView] = []
        self.dialog: ConsentDialog | None = None
        self.processing = QLabel()
        self.processing.setObjectName("processingConsent")
        self.processing.setWordWrap(True)
        self.record_processing = QPushButton()
        self.sharing_title = QLabel()
        self.sharing_title.setStyleSheet("font-weight: 600;")
        self.table = QTableWidget(0, 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in (0, 1, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(150)
        self.no_sharing = QLabel()
        self.no_sharing.setWordWrap(True)
        self.share_button = QPushButton()
        self.withdraw_button = QPushButton()
        self.error = ErrorLabel()
        processing_row = QHBoxLayout()
        processing_row.addWidget(self.processing, 1)
        processing_row.addWidget(self.record_processing)
        buttons = QHBoxLayout()
        buttons.addWidget(self.share_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(processing_row)
        layout.addSpacing(6)
        layout.addWidget(self.sharing_title)
        layout.addWidget(self.table)
        layout.addWidget(self.no_sharing)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.record_processing.clicked.connect(self.record_processing_consent)
        self.share_button.clicked.connect(self.share_with)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Consents"))
        self.record_processing.setText(_("Record the consent…"))
        self.sharing_title.setText(_("Sharing with partners"))
        self.no_sharing.setText(
            _("The person has not consented to share their case with any partner.")
        )
        self.share_button.setText(_("Share with…"))
        self.withdraw_button.setText(_("Withdraw"))
        self.table.setHorizontalHeaderLabels(
            [_("Partner"), _("Given on"), _("How given"), _("Recorded by"), _("State")]
        )
        if self.detail is not None:
            self.show_detail(self.detail)

    @property
    def today(self) -> date:
        return self.session.services.context.today()

    def show_detail(self, detail: CaseDetail) -> None:
        self.detail = detail
        today = self.today
        consents = sorted(detail.consents, key=lambda c: (c.given_on, c.id))
        processing = [c for c in consents if c.scope == ConsentScope.PROCESSING.value]
        current = next((c for c in reversed(processing) if in_force(c, today)), None)
        if current is not None:
            text = _("Consent to data processing given on {date}.").format(
                date=format_date(current.given_on)
            )
            if current.how:
                text += " " + _("How given: {how}.").format(how=current.how)
            if current.recorded_by:
                text += " " + _("Recorded by {advisor}.").format(advisor=current.recorded_by)
            self.processing.setStyleSheet("")
        elif processing and processing[-1].withdrawn_on is not None:
            text = _(
                "{holder} withdrew their consent to data processing on {date}: "
                "their data should no longer be kept."
            ).format(
                holder=detail.person.display_name,
                date=format_date(processing[-1].withdrawn_on),
            )
            self.processing.setStyleSheet(MISSING_STYLE)
        else:
            text = _(
                "No consent to data processing is recorded for {holder}: record it "
                "before keeping their data."
            ).format(holder=detail.person.display_name)
            self.processing.setStyleSheet(MISSING_STYLE)
        self.processing.setText(text)
        self.record_processing.setVisible(current is None)

        self.sharing = [c for c in consents if c.scope == ConsentScope.SHARING.value]
        self.table.setRowCount(len(self.sharing))
        for row, consent in enumerate(self.sharing):
            for column, value in enumerate(
                (
                    consent.partner,
                    format_date(consent.given_on),
                    consent.how,
                    consent.recorded_by,
                    state_text(consent, today),
                )
            ):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(self.sharing))
        self.no_sharing.setVisible(not self.sharing)
        self._update_buttons()

    def selected(self) -> ConsentView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.sharing[rows[0].row()]

    def select_partner(self, partner: str) -> None:
        """Select the consent in force for `partner` (the newest one if none is)."""
        rows = [r for r, c in enumerate(self.sharing) if c.partner == partner]
        live = [r for r in rows if in_force(self.sharing[r], self.today)]
        if rows:
            self.table.selectRow((live or rows)[-1])

    def _update_buttons(self) -> None:
        consent = self.selected()
        self.withdraw_button.setEnabled(consent is not None and in_force(consent, self.today))

    # -- actions ------------------------------------------------------------------------

    def _open(self, scope: ConsentScope) -> ConsentDialog:
        self.error.show_message("")
        self.dialog = ConsentDialog(self.session, self.case_id, scope, self, self.edits)
        self.dialog.open()
        return self.dialog

    def record_processing_consent(self) -> ConsentDialog:
        return self._open(ConsentScope.PROCESSING)

    def share_with(self) -> ConsentDialog:
        return self._open(ConsentScope.SHARING)

    def withdraw_selected(self) -> None:
        consent = self.selected()
        if consent is None:
            return
        self.error.show_message("")
        partners, notes = self.session.services.partners, self.session.services.notes
        case_id = self.case_id
        self.edits.change(
            _("Withdraw the consent to share with {partner}").format(partner=consent.partner),
            lambda: partners.withdraw_sharing(case_id, consent.partner),
            lambda: notes.cancel_withdrawal(case_id, consent.id),
            on_refused=self._refused,
        )

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, AdvisorError):
            self.error.show_message(describe(error))
            return True
        return False
