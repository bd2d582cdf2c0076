"""The editor of one appointment, each field saved as it is changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_date, format_duration, label, parse_date
from advisor_app.services import AppointmentDraft
from advisor_app.services.views import AppointmentView
from advisor_app.ui.case.base import Translated
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import SavedChoice, SavedLine, SavedText, UndoList
from advisor_app.ui.widgets.parsing import parse_duration, parse_time


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


class AppointmentEditor(QGroupBox):
    def __init__(
        self, session: AppSession, case_id: str, undo: UndoList, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.view: AppointmentView | None = None
        self.texts = Translated()
        self.date = SavedLine(self._save_date, undo)
        self.time = SavedLine(self._save_time, undo)
        self.duration = SavedLine(self._save_duration, undo)
        self.mode = SavedChoice(self._modes(), lambda v: self._save(mode=AppointmentMode(v)), undo)
        self.place = SavedLine(lambda v: self._save(place=v), undo)
        self.topic = SavedLine(lambda v: self._save(topic=v), undo)
        self.summary = SavedText(lambda v: self._save(summary=v), undo)
        self.next_actions = SavedText(lambda v: self._save(next_actions=v), undo)
        form = QFormLayout(self)
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
            form.addRow(caption_label, field)
        buttons = QGridLayout()
        self.status_buttons: dict[AppointmentStatus, QPushButton] = {}
        for status, text in (
            (AppointmentStatus.DONE, N_("Mark done")),
            (AppointmentStatus.CANCELLED, N_("Cancelled")),
            (AppointmentStatus.NO_SHOW, N_("No-show")),
            (AppointmentStatus.PLANNED, N_("Planned again")),
        ):
            button = QPushButton()
            self.texts.add(button, text)
            button.clicked.connect(lambda _c=False, s=status: self.set_status(s))
            position = len(self.status_buttons)
            self.status_buttons[status] = button
            buttons.addWidget(button, position // 2, position % 2)
        form.addRow(buttons)
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
        self.view = view
        self.setEnabled(view is not None)
        if view is None:
            return
        self.date.set_value(format_date(view.start.date(), "short"))
        self.time.set_value(f"{view.start:%H:%M}")
        self.duration.set_value(format_duration(view.minutes))
        self.mode.set_value(view.mode.value)
        self.place.set_value(view.place)
        self.topic.set_value(view.topic)
        self.summary.set_value(view.summary)
        self.next_actions.set_value(view.next_actions)
        for status, button in self.status_buttons.items():
            button.setEnabled(status is not view.status)

    def _save(self, **values: Any) -> None:
        assert self.view is not None
        draft = replace(draft_of(self.view), **values)
        appointment_id = self.view.id
        self.session.edit(
            lambda: self.session.services.appointments.update(self.case_id, appointment_id, draft)
        )

    def _save_date(self, text: str) -> None:
        assert self.view is not None
        day = parse_date("start", text)
        self._save(start=datetime.combine(day, self.view.start.time()))

    def _save_time(self, text: str) -> None:
        assert self.view is not None
        self._save(start=datetime.combine(self.view.start.date(), parse_time(text)))

    def _save_duration(self, text: str) -> None:
        self._save(minutes=parse_duration(text))

    def set_status(self, status: AppointmentStatus) -> None:
        assert self.view is not None
        appointment_id = self.view.id
        self.session.edit(
            lambda: self.session.services.appointments.set_status(
                self.case_id, appointment_id, status
            )
        )
