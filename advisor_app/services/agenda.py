"""The agenda across all cases, read from the catalog, with real conflicts flagged.

A conflict is what the advisor must sort out: two appointments of the same advisor that
overlap, neither of them cancelled. A cancelled appointment whose slot was given to someone
else overlaps the new one without conflicting with it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, or_, select, true

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus, CaseScope
from advisor_app.services.context import ServiceContext
from advisor_app.services.settings import SettingsService
from advisor_app.services.views import AgendaItem
from advisor_app.storage.catalog_models import AgendaEntry, CaseIndex


class AgendaService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def between(
        self, first_day: date, last_day: date, scope: CaseScope = CaseScope.ALL
    ) -> list[AgendaItem]:
        """Appointments from the start of `first_day` to the end of `last_day`, in order, of
        the cases `scope` covers."""
        owner = SettingsService(self.context).advisor_name  # a case with no advisor is theirs
        start = datetime.combine(first_day, time.min)
        end = datetime.combine(last_day + timedelta(days=1), time.min)
        # columns rather than mapped objects: a busy week holds a thousand appointments
        query = (
            select(
                AgendaEntry.appointment_id,
                AgendaEntry.case_id,
                CaseIndex.first_name,
                CaseIndex.last_name,
                AgendaEntry.start,
                AgendaEntry.minutes,
                AgendaEntry.mode,
                AgendaEntry.status,
                AgendaEntry.topic,
                AgendaEntry.place,
                CaseIndex.advisor,
            )
            .join(CaseIndex, CaseIndex.case_id == AgendaEntry.case_id)
            .where(*self._within(start, end), in_scope(scope, owner))
            .order_by(AgendaEntry.start)
        )
        with self.context.workspace.catalog.read() as catalog:
            rows = catalog.execute(query).all()
        modes = {mode.value: mode for mode in AppointmentMode}
        statuses = {status.value: status for status in AppointmentStatus}
        items = [
            AgendaItem(
                appointment_id=appointment_id,
                case_id=case_id,
                holder=f"{first} {last}",
                start=begins,
                minutes=minutes,
                mode=modes[mode],
                status=statuses[status],
                topic=topic,
                place=place,
                advisor=advisor or owner,
            )
            for (
                appointment_id,
                case_id,
                first,
                last,
                begins,
                minutes,
                mode,
                status,
                topic,
                place,
                advisor,
            ) in rows
        ]
        items = [item for item in items if item.end > start]
        return mark_conflicts(items)

    def count_between(
        self, first_day: date, last_day: date, scope: CaseScope = CaseScope.ALL
    ) -> int:
        """About how many appointments `between` would return (a few more, at most: those
        of the evening before that end before `first_day`), cheaply."""
        covered = in_scope(scope, SettingsService(self.context).advisor_name)
        start = datetime.combine(first_day, time.min)
        end = datetime.combine(last_day + timedelta(days=1), time.min)
        query = (
            select(func.count())
            .select_from(AgendaEntry)
            .join(CaseIndex, CaseIndex.case_id == AgendaEntry.case_id)
            .where(*self._within(start, end), covered)
        )
        with self.context.workspace.catalog.read() as catalog:
            return int(catalog.execute(query).scalar_one())

    @staticmethod
    def _within(start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
        return (
            AgendaEntry.start >= start - timedelta(hours=12),
            AgendaEntry.start < end,
            CaseIndex.binned_at.is_(None),
        )

    def week_of(self, day: date, scope: CaseScope = CaseScope.ALL) -> list[AgendaItem]:
        monday = day - timedelta(days=day.weekday())
        return self.between(monday, monday + timedelta(days=6), scope)


def in_scope(scope: CaseScope, me: str) -> ColumnElement[bool]:
    """The condition on `case_index` of the cases `scope` covers (as `search
    .scope_condition` says it in plain SQL): mine, not shared or shared with `me` (or
    nobody) as référent; the team's, every shared case; all."""
    if scope is CaseScope.MINE:
        return or_(CaseIndex.shared.is_(False), CaseIndex.advisor.in_((me, "")))
    if scope is CaseScope.TEAM:
        return CaseIndex.shared.is_(True)
    return true()


def mark_conflicts(items: list[AgendaItem]) -> list[AgendaItem]:
    """Flag the appointments (sorted by start) that overlap another one of the same advisor,
    neither cancelled. Back to back (one ends when the next starts) is no conflict."""
    clashing: set[str] = set()
    latest: dict[str, AgendaItem] = {}  # per advisor, the active appointment ending last
    for item in items:
        if item.status is AppointmentStatus.CANCELLED:
            continue
        before = latest.get(item.advisor)
        if before is not None and item.start < before.end:
            clashing.update({item.appointment_id, before.appointment_id})
        if before is None or item.end > before.end:
            latest[item.advisor] = item
    return [replace(item, conflict=item.appointment_id in clashing) for item in items]
