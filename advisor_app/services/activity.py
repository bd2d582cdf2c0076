"""Figures of the activity report, computed by SQL aggregates over the catalog alone.

No case file is opened: the report over 10,000 cases must take seconds, not minutes.
Everything is dated within the period (appointments, milestones done, committees), so that
a report reprinted later gives the figures the funder already holds. Breakdowns that could
point at a person (communes, funders, kinds of funding) group the groups of fewer than
`report_min_group` people (a workspace setting, 3 by default).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, union
from sqlalchemy.orm import Session

from advisor_app.domain.activity import (
    ActivityFigures,
    Breakdown,
    Group,
    Period,
    PublicBreakdown,
    Tally,
    born_before,
    publishable,
)
from advisor_app.domain.enums import (
    AppointmentStatus,
    FundingDecision,
    Gender,
    Outcome,
    Situation,
)
from advisor_app.domain.messages import N_
from advisor_app.services.context import ServiceContext, pathway_template
from advisor_app.services.settings import DEFAULTS, MIN_GROUP_SETTING, SettingsService
from advisor_app.storage.catalog_models import AgendaEntry, CaseIndex, FundingIndex, MilestoneIndex

NO_STAGE = N_("Before the first milestone")
START_MILESTONE = "start"
GRANTED = (FundingDecision.GRANTED.value, FundingDecision.PARTIALLY_GRANTED.value)
COMMUNES_SHOWN = 15


class ActivityService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def minimum_group(self) -> int:
        """The smallest group a report may name (the setting; its default if it is not a
        whole number of at least 1)."""
        value = SettingsService(self.context).get(MIN_GROUP_SETTING)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        return int(DEFAULTS[MIN_GROUP_SETTING])

    def figures(self, period: Period, minimum_group: int | None = None) -> ActivityFigures:
        minimum = self.minimum_group() if minimum_group is None else max(1, minimum_group)
        with self.context.workspace.catalog.read() as catalog:
            return _Query(catalog, period, minimum).figures()


class _Query:
    """The queries of one activity report, sharing the period's conditions."""

    def __init__(self, catalog: Session, period: Period, minimum: int) -> None:
        self.catalog = catalog
        self.period = period
        self.minimum = minimum
        self.live: tuple[ColumnElement[bool], ...] = (
            CaseIndex.binned_at.is_(None),
            CaseIndex.damaged.is_(None),
        )
        self.counted: tuple[ColumnElement[bool], ...] = (
            AgendaEntry.status == AppointmentStatus.DONE.value,
            AgendaEntry.counts_in_reports.is_(True),
            AgendaEntry.start >= period.start,
            AgendaEntry.start < period.end,
        )

    def figures(self) -> ActivityFigures:
        by_mode = self.by_mode()
        created = self.businesses_created()
        businesses, jobs = self.catalog.execute(
            select(func.count(), func.coalesce(func.sum(CaseIndex.expected_jobs), 0)).where(
                *self.live, CaseIndex.case_id.in_(created)
            )
        ).one()
        return ActivityFigures(
            period=self.period,
            people_received=self.count(CaseIndex.case_id.in_(self.received())),
            new_cases=self.count(CaseIndex.opened_on.between(self.period.first, self.period.last)),
            appointments_done=sum(t.count for t in by_mode),
            minutes_done=sum(t.amount for t in by_mode),
            by_mode=by_mode,
            cases_by_stage=self.cases_by_stage(),
            businesses_created=int(businesses),
            jobs_created=int(jobs),
            funding_by_kind=self.funding(FundingIndex.kind),
            funding_by_funder=self.funding(FundingIndex.funder),
            public=self.public(),
            by_commune=self.by_commune(),
            active_cases=self.count(self.followed()),
            minimum_group=self.minimum,
        )

    def count(self, condition: ColumnElement[bool]) -> int:
        query = select(func.count()).select_from(CaseIndex).where(*self.live, condition)
        return int(self.catalog.scalar(query) or 0)

    def received(self) -> Select[Any]:
        """Cases met in the period (a done appointment) or opened in it."""
        met = select(AgendaEntry.case_id).where(*self.counted)
        opened = select(CaseIndex.case_id).where(
            CaseIndex.opened_on.between(self.period.first, self.period.last)
        )
        return select(union(met, opened).subquery().c.case_id)

    def followed(self) -> ColumnElement[bool]:
        """Cases open at some moment of the period."""
        return and_(
            CaseIndex.opened_on <= self.period.last,
            or_(CaseIndex.closed_on.is_(None), CaseIndex.closed_on >= self.period.first),
        )

    def businesses_created(self) -> Select[Any]:
        """Start of activity done in the period, or closed as created in it without it."""
        started = select(MilestoneIndex.case_id).where(
            MilestoneIndex.key == START_MILESTONE,
            MilestoneIndex.done_on.between(self.period.first, self.period.last),
        )
        any_start = select(MilestoneIndex.case_id).where(
            MilestoneIndex.key == START_MILESTONE, MilestoneIndex.done_on.is_not(None)
        )
        closed = select(CaseIndex.case_id).where(
            CaseIndex.outcome == Outcome.BUSINESS_CREATED.value,
            CaseIndex.closed_on.between(self.period.first, self.period.last),
            CaseIndex.case_id.not_in(any_start),
        )
        return select(union(started, closed).subquery().c.case_id)

    def by_mode(self) -> tuple[Tally, ...]:
        rows = self.catalog.execute(
            select(AgendaEntry.mode, func.count(), func.sum(AgendaEntry.minutes))
            .join(CaseIndex, CaseIndex.case_id == AgendaEntry.case_id)
            .where(*self.live, *self.counted)
            .group_by(AgendaEntry.mode)
            .order_by(AgendaEntry.mode)
        ).all()
        return tuple(Tally(str(mode), int(n), int(minutes or 0)) for mode, n, minutes in rows)

    def cases_by_stage(self) -> tuple[Tally, ...]:
        """Cases followed in the period, by the stage reached on its last day: the last
        milestone (in pathway order) done by then, whatever was done since."""
        latest_first = func.row_number().over(
            partition_by=MilestoneIndex.case_id, order_by=MilestoneIndex.position.desc()
        )
        done = (
            select(
                MilestoneIndex.case_id,
                MilestoneIndex.key,
                MilestoneIndex.label,
                MilestoneIndex.position,
                latest_first.label("rank"),
            )
            .where(MilestoneIndex.done_on <= self.period.last)
            .subquery()
        )
        rows = self.catalog.execute(
            select(done.c.key, func.min(done.c.label), func.count())
            .select_from(CaseIndex)
            .outerjoin(done, and_(done.c.case_id == CaseIndex.case_id, done.c.rank == 1))
            .where(*self.live, self.followed())
            .group_by(done.c.key)
            .order_by(func.coalesce(func.min(done.c.position), -1), done.c.key)
        ).all()
        labels = {m.key: m.label for m in pathway_template().milestones}
        return tuple(
            Tally(labels.get(key, own or key) if key else NO_STAGE, int(n)) for key, own, n in rows
        )

    def funding(self, column: Any) -> Breakdown:
        rows = self.catalog.execute(
            select(
                column,
                FundingIndex.case_id,
                func.count(),
                func.sum(FundingIndex.amount_granted_cents),
            )
            .join(CaseIndex, CaseIndex.case_id == FundingIndex.case_id)
            .where(
                *self.live,
                FundingIndex.decision.in_(GRANTED),
                FundingIndex.committee_on.between(self.period.first, self.period.last),
            )
            .group_by(column, FundingIndex.case_id)
        ).all()
        return publishable(
            _groups(
                (str(key or ""), case_id, int(n), int(cents or 0))
                for key, case_id, n, cents in rows
            ),
            self.minimum,
            by_amount=True,
        )

    def public(self) -> PublicBreakdown:
        last = self.period.last

        def number(condition: ColumnElement[bool]) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        row = self.catalog.execute(
            select(
                number(CaseIndex.gender == Gender.WOMAN.value),
                number(CaseIndex.birth_date > born_before(last, 26)),
                number(CaseIndex.birth_date <= born_before(last, 50)),
                number(CaseIndex.situation == Situation.JOB_SEEKER.value),
                number(CaseIndex.situation == Situation.MINIMUM_INCOME.value),
                number(CaseIndex.priority_neighbourhood.is_(True)),
                number(CaseIndex.rural_area.is_(True)),
            ).where(*self.live, CaseIndex.case_id.in_(self.received()))
        ).one()
        return PublicBreakdown(*(int(value) for value in row))

    def by_commune(self) -> Breakdown:
        rows = self.catalog.execute(
            select(func.trim(CaseIndex.commune), CaseIndex.case_id).where(
                *self.live, CaseIndex.case_id.in_(self.received())
            )
        ).all()
        return publishable(
            _groups((str(name or ""), case_id, 1, 0) for name, case_id in rows),
            self.minimum,
            keep=COMMUNES_SHOWN,
        )


def _groups(rows: Iterable[tuple[str, str, int, int]]) -> list[Group]:
    """Groups from (key, case id, count, amount) rows, one or more per case."""
    people: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    amounts: dict[str, int] = defaultdict(int)
    for key, case_id, count, amount in rows:
        people[key].add(case_id)
        counts[key] += count
        amounts[key] += amount
    return [Group(key, frozenset(people[key]), counts[key], amounts[key]) for key in people]
