"""Figures of the dashboard, read from the catalog alone (no case file is opened)."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select

from advisor_app.domain.enums import AppointmentStatus, CaseStatus
from advisor_app.services.context import ServiceContext
from advisor_app.services.views import DashboardFigures, LateCase
from advisor_app.storage.catalog_models import (
    AgendaEntry,
    CaseIndex,
    MilestoneIndex,
    MonthMinutes,
)


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
        with self.context.workspace.catalog.read() as catalog:
            # The active cases, by stage, in one pass: how many, how many without consent,
            # how many late (a target of a milestone not done before today).
            stages = catalog.execute(
                select(
                    CaseIndex.stage,
                    func.count(),
                    func.sum(case((CaseIndex.processing_consent.is_(False), 1), else_=0)),
                    func.sum(case((CaseIndex.first_undone_target < today, 1), else_=0)),
                )
                .where(*active)
                .group_by(CaseIndex.stage)
                .order_by(func.min(CaseIndex.stage_position))
            ).all()
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
            # One line per person, the oldest first: the late cases from `case_index` (its
            # targets of milestones not done), the oldest milestone of the few shown only.
            late_rows = catalog.execute(
                select(
                    CaseIndex.case_id,
                    CaseIndex.first_name,
                    CaseIndex.last_name,
                    CaseIndex.undone_targets,
                )
                .where(*active, CaseIndex.first_undone_target < today)
                .order_by(CaseIndex.first_undone_target, CaseIndex.last_name)
                .limit(late_limit)
            ).all()
            oldest: dict[str, tuple[date | None, str, str]] = {}
            if late_rows:
                for case_id, target_on, key, label in catalog.execute(
                    select(
                        MilestoneIndex.case_id,
                        MilestoneIndex.target_on,
                        MilestoneIndex.key,
                        MilestoneIndex.label,
                    )
                    .where(
                        MilestoneIndex.case_id.in_([row.case_id for row in late_rows]),
                        MilestoneIndex.done_on.is_(None),
                        MilestoneIndex.target_on < today,
                    )
                    .order_by(MilestoneIndex.target_on.desc(), MilestoneIndex.position.desc())
                ):
                    oldest[case_id] = (target_on, key, label)  # the last one read: the oldest
            # Kept up to date by the indexer, the cases in the bin left out (storage/indexer.py).
            first_key = f"{first_month.year:04d}-{first_month.month:02d}"
            by_month: dict[str, int] = dict(
                catalog.execute(
                    select(MonthMinutes.month, func.sum(MonthMinutes.minutes))
                    .where(MonthMinutes.month >= first_key)
                    .group_by(MonthMinutes.month)
                ).all()
            )
        # the twelve months read above always reach back to January: the year's hours are
        # theirs, not a second pass
        year_minutes = sum(
            int(minutes or 0)
            for key, minutes in by_month.items()
            if key.startswith(f"{today.year:04d}-")
        )
        active_cases = sum(int(row[1]) for row in stages)
        without_consent = sum(int(row[2] or 0) for row in stages)
        late_people = sum(int(row[3] or 0) for row in stages)
        months = [month_start(today, back) for back in range(11, -1, -1)]
        minutes_by_month = [(m, int(by_month.get(m.strftime("%Y-%m"), 0) or 0)) for m in months]
        return DashboardFigures(
            active_cases=int(active_cases),
            appointments_this_week=int(this_week),
            late_cases=[
                LateCase(
                    case_id=row.case_id,
                    holder=f"{row.first_name} {row.last_name}".strip(),
                    count=bisect_left(row.undone_targets.split(), today.isoformat()),
                    oldest_on=first[0] or today,
                    oldest_key=first[1],
                    oldest_label=first[2],
                )
                for row in late_rows
                for first in [oldest.get(row.case_id, (today, "", ""))]
            ],
            hours_this_month_minutes=minutes_by_month[-1][1],
            hours_this_year_minutes=int(year_minutes),
            minutes_by_month=minutes_by_month,
            cases_by_stage=[(row[0], int(row[1])) for row in stages],
            cases_without_consent=int(without_consent),
            late_more=max(0, int(late_people) - len(late_rows)),
        )
