"""The agenda across all cases, read from the catalog, with overlapping appointments flagged."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
from advisor_app.services.context import ServiceContext
from advisor_app.services.views import AgendaItem
from advisor_app.storage.catalog_models import AgendaEntry, CaseIndex


class AgendaService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def between(self, first_day: date, last_day: date) -> list[AgendaItem]:
        """Appointments from the start of `first_day` to the end of `last_day`, in order."""
        start = datetime.combine(first_day, time.min)
        end = datetime.combine(last_day + timedelta(days=1), time.min)
        query = (
            select(AgendaEntry, CaseIndex.first_name, CaseIndex.last_name)
            .join(CaseIndex, CaseIndex.case_id == AgendaEntry.case_id)
            .where(
                AgendaEntry.start >= start - timedelta(hours=12),
                AgendaEntry.start < end,
                CaseIndex.binned_at.is_(None),
            )
            .order_by(AgendaEntry.start)
        )
        with self.context.workspace.catalog.read() as catalog:
            rows = catalog.execute(query).all()
        items = [
            AgendaItem(
                appointment_id=entry.appointment_id,
                case_id=entry.case_id,
                holder=f"{first} {last}",
                start=entry.start,
                minutes=entry.minutes,
                mode=AppointmentMode(entry.mode),
                status=AppointmentStatus(entry.status),
                topic=entry.topic,
                place=entry.place,
            )
            for entry, first, last in rows
        ]
        items = [item for item in items if item.end > start]
        return mark_conflicts(items)

    def week_of(self, day: date) -> list[AgendaItem]:
        monday = day - timedelta(days=day.weekday())
        return self.between(monday, monday + timedelta(days=6))


def mark_conflicts(items: list[AgendaItem]) -> list[AgendaItem]:
    """Flag planned or done appointments that overlap another one (sorted by start)."""
    active = [i for i in items if i.status in (AppointmentStatus.PLANNED, AppointmentStatus.DONE)]
    clashing: set[str] = set()
    latest_end: datetime | None = None
    latest_id: str | None = None
    for item in active:
        if latest_end is not None and item.start < latest_end and latest_id is not None:
            clashing.update({item.appointment_id, latest_id})
        if latest_end is None or item.end > latest_end:
            latest_end, latest_id = item.end, item.appointment_id
    return [
        AgendaItem(**{**item.__dict__, "conflict": item.appointment_id in clashing})
        for item in items
    ]
