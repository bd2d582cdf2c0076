"""Planned appointments as an iCalendar file, so that a calendar application shows them.

The file names people: it is its owner's only, written whole or not at all through a hidden
file beside it (removed if anything fails). For a calendar that a third party hosts, the
people can be written as their initials.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.exchange.calendar import CalendarEvent, calendar_bytes, initials
from advisor_app.i18n import _
from advisor_app.services.context import ServiceContext
from advisor_app.services.private_files import private_folder, write_private
from advisor_app.storage.catalog_models import AgendaEntry, CaseIndex


class CalendarService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def events(
        self, case_id: str | None = None, *, initials_only: bool = False
    ) -> list[CalendarEvent]:
        """The planned appointments (of one case, or of all), binned cases left out; with
        `initials_only`, each person is named by their initials."""
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
            holder = initials(first, last) if initials_only else f"{first} {last}".strip()
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

    def write_ics(
        self, path: Path, case_id: str | None = None, *, initials_only: bool = False
    ) -> int:
        """Write the file (its owner's only: it names people); returns how many appointments it
        holds. `initials_only` writes initials instead of names."""
        if path.is_dir():
            raise AdvisorError(
                N_("{path} is a folder: give the name of the file to write."),
                N_("For example {example}."),
                path=str(path),
                example=str(path / "appointments.ics"),
            )
        if path.exists() and not path.is_file():  # a device, a pipe: never replaced
            raise AdvisorError(
                N_("{path} is not an ordinary file (a device or a pipe): nothing was written."),
                N_("Give the name of a file to write."),
                path=str(path),
            )
        events = self.events(case_id, initials_only=initials_only)
        data = calendar_bytes(events, self.context.now(), _("Boussole appointments"))
        try:
            folder = private_folder(path.parent)
            write_private(folder / path.name, data)
        except OSError as error:
            raise AdvisorError(
                N_("The calendar could not be written to {path}: {reason}."),
                N_("Choose a folder you can write to."),
                path=str(path),
                reason=error.strerror or str(error),
            ) from error
        return len(events)
