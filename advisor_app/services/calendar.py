"""Planned appointments as an iCalendar file, so that a calendar application shows them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
from advisor_app.exchange.calendar import CalendarEvent, calendar_bytes
from advisor_app.i18n import _
from advisor_app.services.context import ServiceContext
from advisor_app.storage.catalog_models import AgendaEntry, CaseIndex


class CalendarService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def events(self, case_id: str | None = None) -> list[CalendarEvent]:
        """The planned appointments (of one case, or of all), binned cases left out."""
        query = (
            select(AgendaEntry, CaseIndex.first_name, CaseIndex.last_name)
            .join(CaseIndex, CaseIndex.case_id == AgendaEntry.case_id)
            .where(AgendaEntry.status == AppointmentStatus.PLANNED.value)
            .where(CaseIndex.binned_at.is_(None))
            .order_by(AgendaEntry.start, AgendaEntry.appointment_id)
        )
        if case_id is not None:
            self.context.workspace.open_case(case_id).close()  # refuses an unknown case
            query = query.where(AgendaEntry.case_id == case_id)
        with self.context.workspace.catalog.read() as catalog:
            rows = catalog.execute(query).all()
        events = []
        for entry, first, last in rows:
            holder = f"{first} {last}".strip()
            summary = f"{holder} — {entry.topic}" if entry.topic else holder
            mode = _(AppointmentMode(entry.mode).label_id)
            events.append(
                CalendarEvent(
                    appointment_id=entry.appointment_id,
                    start=entry.start,
                    minutes=entry.minutes,
                    summary=summary,
                    location=entry.place,
                    description=mode,
                )
            )
        return events

    def write_ics(self, path: Path, case_id: str | None = None) -> int:
        """Write the file; returns how many appointments it holds."""
        events = self.events(case_id)
        data = calendar_bytes(events, self.context.now(), _("Boussole appointments"))
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        return len(events)
