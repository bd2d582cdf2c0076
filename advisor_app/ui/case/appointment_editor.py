"""The editor of one appointment, each field saved as it is changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, describe, format_date, format_duration, label, parse_date
from advisor_app.services import AppointmentDraft, Services
from advisor_app.services.views import AppointmentView
from advisor_app.ui.case.base import Translated
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel, SavedChoice, SavedField, SavedLine, SavedText
from advisor_app.ui.widgets.parsing import parse_duration, parse_time

# what each button does, said as an action; the done one only for a time already begun
STATUS_ACTIONS: tuple[tuple[AppointmentStatus, str], ...] = (
    (AppointmentStatus.DONE, N_("Mark as done")),
    (AppointmentStatus.CANCELLED, N_("Mark as cancelled")),
    (AppointmentStatus.NO_SHOW, N_("Mark as no-show")),
    (AppointmentStatus.PLANNED, N_("Plan it again")),
)
# the text of the change on the undo stack ("Undo “Mark the appointment done”")
STATUS_CHANGES: dict[AppointmentStatus, str] = {
    AppointmentStatus.DONE: N_("Mark the appointment done"),
    AppointmentStatus.CANCELLED: N_("Mark the appointment cancelled"),
    AppointmentStatus.NO_SHOW: N_("Mark the appointment as a no-show"),
    AppointmentStatus.PLANNED: N_("Plan the appointment again"),
}


def draft_of(view: AppointmentView) -> AppointmentDraft:
    return AppointmentDraft(
        start=view.start,
        minutes=view.minutes,
        mode=view.mode,
        place=view.place,
        topic=view.topic,
        summary=view.summary,
        next_actions=view.next_actions,
        status=view.status,
        programme=view.programme,
        counts_in_reports=view.counts_in_reports,
    )


def _update(
    services: Services, case_id: str, appointment_id: str, values: dict[str, Any]
) -> object:
    """On the writer: the appointment as it is now, with `values` changed (a field saved
    just before, not yet read back here, is kept)."""
    current = draft_of(services.appointments.get(case_id, appointment_id))
    return services.appointments.update(case_id, appointment_id, replace(current, **values))


class AppointmentEditor(QGroupBox):
    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.edits = edits
        self.view: AppointmentView | None = None
        self.texts = Translated()
        self.date = SavedLine(self._save_date, edits)
        self.time = SavedLine(self._save_time, edits)
        self.duration = SavedLine(self._save_duration, edits)
        self.mode = SavedChoice(self._modes(), lambda v: self._save(mode=AppointmentMode(v)), edits)
        self.place = SavedLine(lambda v: self._save(place=v), edits)
        self.topic = SavedLine(lambda v: self._save(topic=v), edits)
        self.summary = SavedText(lambda v: self._save(summary=v), edits)
        self.next_actions = SavedText(lambda v: self._save(next_actions=v), edits)
        self.error = ErrorLabel()
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # half a screen
        for caption, field in (
            (N_("Date"), self.date),
            (N_("Time"), self.time),
            (N_("Duration"), self.duration),
            (N_("Mode"), self.mode),
            (N_("Place"), self.place),
            (N_("Topic"), self.topic),
            (N_("Summary"), self.summary),
            (N_("Next actions"), self.next_actions),
        ):
            caption_label = self.texts.add(QLabel(), caption)
            assert isinstance(caption_label, QLabel) and isinstance(field, SavedField)
            caption_label.setBuddy(field.editor)
            field.caption = caption
            form.addRow(caption_label, field)
        buttons = QGridLayout()
        self.status_buttons: dict[AppointmentStatus, QPushButton] = {}
        for status, text in STATUS_ACTIONS:
            button = QPushButton()
            self.texts.add(button, text)
            button.clicked.connect(lambda _c=False, s=status: self.set_status(s))
            position = len(self.status_buttons)
            self.status_buttons[status] = button
            buttons.addWidget(button, position // 2, position % 2)
        form.addRow(buttons)
        form.addRow(self.error)
        self.retranslate()

    @staticmethod
    def _modes() -> list[tuple[str, Any]]:
        return [(label(m), m.value) for m in AppointmentMode]

    def retranslate(self) -> None:
        self.texts.retranslate()
        self.setTitle(_("Appointment"))
        self.mode.set_choices(self._modes())
        if self.view is not None:
            self.show_appointment(self.view)

    def show_appointment(self, view: AppointmentView | None) -> None:
        same = view is not None and self.view is not None and view.id == self.view.id
        self.view = view
        self.setEnabled(view is not None)
        if view is None:
            return
        if not same:
            self.error.show_message("")
        for field, value in (
            (self.date, format_date(view.start.date(), "short")),
            (self.time, f"{view.start:%H:%M}"),
            (self.duration, format_duration(view.minutes)),
            (self.mode, view.mode.value),
            (self.place, view.place),
            (self.topic, view.topic),
            (self.summary, view.summary),
            (self.next_actions, view.next_actions),
        ):
            # the same appointment read again keeps what is being typed; another replaces it
            if same:
                field.set_value(value)
            else:
                field.show_stored(value)
        begun = view.start <= self.session.services.context.now()
        for status, button in self.status_buttons.items():
            button.setEnabled(status is not view.status)
        # an appointment still to come cannot have been held
        done = self.status_buttons[AppointmentStatus.DONE]
        done.setVisible(begun or view.status is AppointmentStatus.DONE)
        no_show = self.status_buttons[AppointmentStatus.NO_SHOW]
        no_show.setVisible(begun or view.status is AppointmentStatus.NO_SHOW)

    def _save(self, **values: Any) -> Callable[[], object]:
        """Checked now (a refusal is said at once); written by the one writer on the
        appointment as it is then."""
        assert self.view is not None
        replace(draft_of(self.view), **values).checked()
        services, case_id, appointment_id = self.session.services, self.case_id, self.view.id
        return lambda: _update(services, case_id, appointment_id, values)

    def _save_date(self, text: str) -> Callable[[], object]:
        assert self.view is not None
        day = parse_date("start", text)
        return self._save(start=datetime.combine(day, self.view.start.time()))

    def _save_time(self, text: str) -> Callable[[], object]:
        assert self.view is not None
        return self._save(start=datetime.combine(self.view.start.date(), parse_time(text)))

    def _save_duration(self, text: str) -> Callable[[], object]:
        return self._save(minutes=parse_duration(text))

    def set_status(self, status: AppointmentStatus) -> None:
        """A status button: a change of the case, undone by the status it had."""
        assert self.view is not None
        appointments = self.session.services.appointments
        case_id, appointment_id, before = self.case_id, self.view.id, self.view.status
        self.error.show_message("")
        self.edits.change(
            _(STATUS_CHANGES[status]),
            lambda: appointments.set_status(case_id, appointment_id, status),
            lambda: appointments.set_status(case_id, appointment_id, before),
            on_refused=self._refused,
        )

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, AdvisorError):
            self.error.show_message(describe(error))
            return True
        return False
