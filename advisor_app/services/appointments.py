"""Booking, recording and settling appointments: the hours funders pay for."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain import validation
from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
from advisor_app.domain.errors import NotFoundError
from advisor_app.domain.messages import N_
from advisor_app.services.case_reader import appointment_view
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.limits import check_row
from advisor_app.services.settings import SettingsService
from advisor_app.services.views import AppointmentView
from advisor_app.storage.case_models import Appointment


@dataclass(frozen=True)
class AppointmentDraft:
    start: datetime
    minutes: int
    mode: AppointmentMode = AppointmentMode.OFFICE
    place: str = ""
    topic: str = ""
    summary: str = ""
    next_actions: str = ""
    status: AppointmentStatus = AppointmentStatus.PLANNED
    programme: str = ""
    counts_in_reports: bool = True

    def checked(self) -> AppointmentDraft:
        """The draft as it is kept, or a ValidationError naming what cannot be: a time with
        a time zone, a year outside 1900 to 2100 (its end must fall on a day calendars
        know), an impossible duration, a text longer than its field."""
        validation.check_local_time("start", self.start)
        validation.check_appointment_duration(self.minutes)
        validation.check_local_time("start", self.start + timedelta(minutes=self.minutes))
        checked = replace(
            self,
            start=self.start.replace(second=0, microsecond=0),
            mode=AppointmentMode(self.mode),
            status=AppointmentStatus(self.status),
        )
        check_row(Appointment, checked.values())
        return checked

    def values(self) -> dict[str, object]:
        result: dict[str, object] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            result[item.name] = (
                value.value if isinstance(value, AppointmentMode | AppointmentStatus) else value
            )
        return result


class AppointmentService:
    def __init__(self, context: ServiceContext, settings: SettingsService) -> None:
        self.context = context
        self.settings = settings

    def add(self, case_id: str, draft: AppointmentDraft) -> tuple[str, Changes]:
        checked = draft.checked()
        with self.context.workspace.changing(
            case_id, "appointment_added", _describe(checked), self.settings.advisor_name
        ) as session:
            row = Appointment(**checked.values())
            session.add(row)
            session.flush()
            appointment_id = row.id
        return appointment_id, Changes.of_case(case_id, agenda=True)

    def update(self, case_id: str, appointment_id: str, draft: AppointmentDraft) -> Changes:
        checked = draft.checked()
        with self.context.workspace.changing(
            case_id, "appointment_updated", _describe(checked), self.settings.advisor_name
        ) as session:
            row = _find(session, appointment_id)
            for key, value in checked.values().items():
                setattr(row, key, value)
        return Changes.of_case(case_id, agenda=True)

    def set_status(self, case_id: str, appointment_id: str, status: AppointmentStatus) -> Changes:
        """Mark an appointment done, cancelled, no-show or planned again."""
        with self.context.workspace.changing(
            case_id,
            f"appointment_{AppointmentStatus(status).value}",
            "",
            self.settings.advisor_name,
        ) as session:
            _find(session, appointment_id).status = AppointmentStatus(status).value
        return Changes.of_case(case_id, agenda=True)

    def remove(self, case_id: str, appointment_id: str) -> Changes:
        with self.context.workspace.changing(
            case_id, "appointment_removed", "", self.settings.advisor_name
        ) as session:
            session.delete(_find(session, appointment_id))
        return Changes.of_case(case_id, agenda=True)

    def restore(self, case_id: str, appointment_id: str, draft: AppointmentDraft) -> Changes:
        """Put back a removed appointment under its own id (the undo of `remove`)."""
        checked = draft.checked()
        with self.context.workspace.changing(
            case_id, "appointment_restored", _describe(checked), self.settings.advisor_name
        ) as session:
            if session.get(Appointment, appointment_id) is None:
                session.add(Appointment(id=appointment_id, **checked.values()))
        return Changes.of_case(case_id, agenda=True)

    def get(self, case_id: str, appointment_id: str) -> AppointmentView:
        with self.context.workspace.reading(case_id) as session:
            return appointment_view(_find(session, appointment_id))


def _find(session: Session, appointment_id: str) -> Appointment:
    row = session.scalar(select(Appointment).where(Appointment.id == appointment_id))
    if row is None:
        raise NotFoundError(N_("This appointment no longer exists."))
    return row


def _describe(draft: AppointmentDraft) -> str:
    return f"{draft.start:%Y-%m-%d %H:%M} {draft.minutes} min {draft.topic}".strip()
