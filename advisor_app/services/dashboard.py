"""Figures of the dashboard, read from the catalog alone (no case file is opened)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from advisor_app.domain.enums import AppointmentStatus, CaseStatus
from advisor_app.services.context import ServiceContext
from advisor_app.services.views import DashboardFigures, LateCase
from advisor_app.storage.catalog_models import AgendaEntry, CaseIndex, MilestoneIndex


def month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


class DashboardService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def figures(self, late_limit: int = 50) -> DashboardFigures:
        """Every figure of the dashboard; the late list holds one line per person (at most
        `late_limit`, the longest late first)."""
        today = self.context.today()
        monday = today - timedelta(days=today.weekday())
        week = (
            datetime.combine(monday, time.min),
            datetime.combine(monday + timedelta(7), time.min),
        )
        first_month = month_start(today, 11)
        live = (CaseIndex.binned_at.is_(None), CaseIndex.damaged.is_(None))
        active = (*live, CaseIndex.status == CaseStatus.ACTIVE.value)
        counted = (
            AgendaEntry.status == AppointmentStatus.DONE.value,
            AgendaEntry.counts_in_reports.is_(True),
        )
        with self.context.workspace.catalog.read() as catalog:
            active_cases = (
                catalog.scalar(select(func.count()).select_from(CaseIndex).where(*active)) or 0
            )
            this_week = (
                catalog.scalar(
                    select(func.count())
                    .select_from(AgendaEntry)
                    .join(CaseIndex, CaseIndex.case_id == AgendaEntry.case_id)
                    .where(
                        *live,
                        AgendaEntry.start >= week[0],
                        AgendaEntry.start < week[1],
                        AgendaEntry.status.in_(
                            [AppointmentStatus.PLANNED.value, AppointmentStatus.DONE.value]
                        ),
                    )
                )
                or 0
            )
            # One line per person, the oldest first: how many milestones are late and since
            # when (SQLite gives the key and label of the row holding the min() of the group).
            late_rows = catalog.execute(
                select(
                    MilestoneIndex.case_id,
                    CaseIndex.first_name,
                    CaseIndex.last_name,
                    func.count().label("late"),
                    func.min(MilestoneIndex.target_on).label("oldest"),
                    MilestoneIndex.key,
                    MilestoneIndex.label,
                )
                .join(CaseIndex, CaseIndex.case_id == MilestoneIndex.case_id)
                .where(*active, MilestoneIndex.done_on.is_(None), MilestoneIndex.target_on < today)
                .group_by(MilestoneIndex.case_id)
                .order_by(func.min(MilestoneIndex.target_on), CaseIndex.last_name)
                .limit(late_limit)
            ).all()
            late_people = len(late_rows)
            if late_people == late_limit:  # perhaps more: counted, to say so
                late_people = (
                    catalog.scalar(
                        select(func.count(func.distinct(MilestoneIndex.case_id)))
                        .join(CaseIndex, CaseIndex.case_id == MilestoneIndex.case_id)
                        .where(
                            *active,
                            MilestoneIndex.done_on.is_(None),
                            MilestoneIndex.target_on < today,
                        )
                    )
                    or 0
                )
            month = func.strftime("%Y-%m", AgendaEntry.start)
            by_month: dict[str, int] = dict(
                catalog.execute(
                    select(month, func.sum(AgendaEntry.minutes))
                    .join(CaseIndex, CaseIndex.case_id == AgendaEntry.case_id)
                    .where(
                        *live,
                        *counted,
                        AgendaEntry.start >= datetime.combine(first_month, time.min),
                    )
                    .group_by(month)
                ).all()
            )
            # the twelve months read above always reach back to January: the year's hours
            # are theirs, not a second pass over the agenda
            year_minutes = sum(
                int(minutes or 0)
                for key, minutes in by_month.items()
                if key.startswith(f"{today.year:04d}-")
            )
            stages = catalog.execute(
                select(CaseIndex.stage, func.count())
                .where(*active)
                .group_by(CaseIndex.stage)
                .order_by(func.min(CaseIndex.stage_position))
            ).all()
            without_consent = (
                catalog.scalar(
                    select(func.count())
                    .select_from(CaseIndex)
                    .where(*active, CaseIndex.processing_consent.is_(False))
                )
                or 0
            )
        months = [month_start(today, back) for back in range(11, -1, -1)]
        minutes_by_month = [(m, int(by_month.get(m.strftime("%Y-%m"), 0) or 0)) for m in months]
        return DashboardFigures(
            active_cases=int(active_cases),
            appointments_this_week=int(this_week),
            late_cases=[
                LateCase(
                    case_id=row.case_id,
                    holder=f"{row.first_name} {row.last_name}".strip(),
                    count=int(row.late),
                    oldest_on=row.oldest or today,
                    oldest_key=row.key,
                    oldest_label=row.label,
                )
                for row in late_rows
            ],
            hours_this_month_minutes=minutes_by_month[-1][1],
            hours_this_year_minutes=int(year_minutes),
            minutes_by_month=minutes_by_month,
            cases_by_stage=[(stage, int(count)) for stage, count in stages],
            cases_without_consent=int(without_consent),
            late_more=max(0, int(late_people) - len(late_rows)),
        )
