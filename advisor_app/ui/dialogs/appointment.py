"""Booking an appointment: date, time, duration, mode, place, topic; refusals at the field."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import AppointmentMode
from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, format_date, format_duration, label, parse_date
from advisor_app.services import AppointmentDraft
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import accept_cancel
from advisor_app.ui.widgets.fields import ErrorLabel, Writer, say_refusal
from advisor_app.ui.widgets.parsing import parse_duration, parse_time


class AppointmentDialog(QDialog):
    """Books a new appointment in a case; `appointment_id` is set once it is saved.

    The booking is checked at once, then written by the one writer (through the case's
    `edits` when given, so that Édition ▸ Annuler removes it); the dialog closes when it
    has landed, or says under its fields why it was refused.
    """

    def __init__(
        self,
        session: AppSession,
        case_id: str,
        start: datetime,
        minutes: int = 60,
        parent: QWidget | None = None,
        edits: Writer | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.edits = edits
        self.appointment_id: str | None = None
        self.setWindowTitle(_("New appointment"))
        self.date = QLineEdit(format_date(start.date(), "short"))
        self.time = QLineEdit(f"{start:%H:%M}")
        self.duration = QLineEdit(format_duration(minutes))
        self.mode = QComboBox()
        for mode in AppointmentMode:
            self.mode.addItem(label(mode), mode)
        self.place = QLineEdit()
        self.topic = QLineEdit()
        self.errors = {name: ErrorLabel() for name in ("start", "time", "minutes", "other")}
        form = QFormLayout()
        form.addRow(_("Date"), self.date)
        form.addRow("", self.errors["start"])
        form.addRow(_("Time"), self.time)
        form.addRow("", self.errors["time"])
        form.addRow(_("Duration"), self.duration)
        form.addRow("", self.errors["minutes"])
        form.addRow(_("Mode"), self.mode)
        form.addRow(_("Place"), self.place)
        form.addRow(_("Topic"), self.topic)
        buttons, _accept = accept_cancel(self, self.save)
        self.buttons: QDialogButtonBox = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def draft(self) -> AppointmentDraft:
        day = parse_date("start", self.date.text())
        at = parse_time(self.time.text())
        return AppointmentDraft(
            start=datetime.combine(day, at),
            minutes=parse_duration(self.duration.text()),
            mode=self.mode.currentData(),
            place=self.place.text(),
            topic=self.topic.text(),
        )

    def save(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        try:
            draft = self.draft().checked()
        except AdvisorError as error:
            self._refused(error)
            return
        appointments, case_id = self.session.services.appointments, self.case_id
        booked: list[str] = []

        def book() -> object:
            if booked:  # redone after an undo: the same appointment comes back
                return appointments.restore(case_id, booked[0], draft)
            appointment_id, changes = appointments.add(case_id, draft)
            booked.append(appointment_id)
            return changes

        def landed(_result: object) -> None:
            self.appointment_id = booked[0]
            self.accept()

        self.buttons.setEnabled(False)
        if self.edits is None:
            self.session.write(book, landed, self._refused)
            return
        self.edits.change(
            _("Book an appointment"),
            book,
            lambda: appointments.remove(case_id, booked[0]),
            on_refused=self._refused,
            on_done=landed,
        )

    def _refused(self, error: BaseException) -> bool:
        self.buttons.setEnabled(True)
        return say_refusal(self.errors, error)
