"""Figures of the activity report, computed by SQL aggregates over the catalog alone.

No case file is opened: the report over 10,000 cases must take seconds, not minutes.
Everything is dated within the period (appointments, milestones done, committees), so that
a report reprinted later gives the figures the funder already holds. Breakdowns that could
point at a person (communes, funders, kinds of funding) group the groups of fewer than
`report_min_group` people (a workspace setting, 3 by default).

In team mode the report covers the advisor's own cases (not shared, or shared with them as
référent) or, asked for, the team's shared cases too (`CaseScope`). Either way each person is
counted once among the people received and in every breakdown of people, even when they have
several cases (a case reopened, or one opened by each of two advisors of the team): cases
linked as previous and next, or with the same names and the same birth date or e-mail
address, are one person (`same_people`), described by their most recently opened case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, union
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
    CaseScope,
    FundingDecision,
    Gender,
    Outcome,
    Situation,
)
from advisor_app.domain.messages import N_
from advisor_app.domain.names import folded_name
from advisor_app.services.agenda import in_scope
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

    def figures(
        self,
        period: Period,
        minimum_group: int | None = None,
        scope: CaseScope = CaseScope.MINE,
    ) -> ActivityFigures:
        """The figures of the period over the cases of `scope`: by default the advisor's
        own (all of them in a workspace that shares nothing with a team)."""
        minimum = self.minimum_group() if minimum_group is None else max(1, minimum_group)
        covered = in_scope(scope, SettingsService(self.context).advisor_name)
        with self.context.workspace.catalog.read() as catalog:
            return _Query(catalog, period, minimum, covered).figures()


class _Query:
    """The queries of one activity report, sharing the period's and the scope's conditions."""

    def __init__(
        self, catalog: Session, period: Period, minimum: int, covered: ColumnElement[bool]
    ) -> None:
        self.catalog = catalog
        self.period = period
        self.minimum = minimum
        self.live: tuple[ColumnElement[bool], ...] = (
            CaseIndex.binned_at.is_(None),
            CaseIndex.damaged.is_(None),
            covered,
        )
        self.counted: tuple[ColumnElement[bool], ...] = (
            AgendaEntry.status == AppointmentStatus.DONE.value,
            AgendaEntry.counts_in_reports.is_(True),
            AgendaEntry.start >= period.start,
            AgendaEntry.start < period.end,
        )

    def figures(self) -> ActivityFigures:
        people = self.people()
        received = self.received_people(people)
        by_mode = self.by_mode()
        created = self.businesses_created()
        businesses, jobs = self.catalog.execute(
            select(func.count(), func.coalesce(func.sum(CaseIndex.expected_jobs), 0)).where(
                *self.live, CaseIndex.case_id.in_(created)
            )
        ).one()
        return ActivityFigures(
            period=self.period,
            people_received=len(received),
            new_cases=self.count(CaseIndex.opened_on.between(self.period.first, self.period.last)),
            appointments_done=sum(t.count for t in by_mode),
            minutes_done=sum(t.amount for t in by_mode),
            by_mode=by_mode,
            cases_by_stage=self.cases_by_stage(),
            businesses_created=int(businesses),
            jobs_created=int(jobs),
            funding_by_kind=self.funding(FundingIndex.kind, people),
            funding_by_funder=self.funding(FundingIndex.funder, people),
            public=self.public(received),
            by_commune=self.by_commune(received),
            active_cases=self.count(self.followed()),
            minimum_group=self.minimum,
        )

    def count(self, condition: ColumnElement[bool]) -> int:
        query = select(func.count()).select_from(CaseIndex).where(*self.live, condition)
        return int(self.catalog.scalar(query) or 0)

    def people(self) -> dict[str, str]:
        """The person of each case covered (see `same_people`)."""
        rows = self.catalog.execute(
            select(
                CaseIndex.case_id,
                CaseIndex.first_name,
                CaseIndex.last_name,
                CaseIndex.birth_date,
                CaseIndex.email,
                CaseIndex.previous_case_id,
            ).where(*self.live)
        ).all()
        return same_people(rows)

    def received_people(self, people: dict[str, str]) -> list[Any]:
        """The people received in the period, once each: the row (`_PERSON_COLUMNS`) of
        their most recently opened case among those received."""
        rows = self.catalog.execute(
            select(*_PERSON_COLUMNS).where(*self.live, CaseIndex.case_id.in_(self.received()))
        ).all()
        latest: dict[str, Any] = {}
        for row in rows:
            person = people.get(row.case_id, row.case_id)
            kept = latest.get(person)
            if kept is None or _recency(row) > _recency(kept):
                latest[person] = row
        return list(latest.values())

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

    def funding(self, column: Any, people: dict[str, str]) -> Breakdown:
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
                (str(key or ""), people.get(case_id, case_id), int(n), int(cents or 0))
                for key, case_id, n, cents in rows
            ),
            self.minimum,
            by_amount=True,
        )

    def public(self, received: Sequence[Any]) -> PublicBreakdown:
        last = self.period.last
        young, older = born_before(last, 26), born_before(last, 50)

        def number(test: Any) -> int:
            return sum(1 for row in received if test(row))

        return PublicBreakdown(
            women=number(lambda r: r.gender == Gender.WOMAN.value),
            under_26=number(lambda r: r.birth_date is not None and r.birth_date > young),
            over_50=number(lambda r: r.birth_date is not None and r.birth_date <= older),
            job_seekers=number(lambda r: r.situation == Situation.JOB_SEEKER.value),
            minimum_income=number(lambda r: r.situation == Situation.MINIMUM_INCOME.value),
            priority_neighbourhood=number(lambda r: bool(r.priority_neighbourhood)),
            rural_area=number(lambda r: bool(r.rural_area)),
        )

    def by_commune(self, received: Sequence[Any]) -> Breakdown:
        return publishable(
            _groups((row.commune.strip(), row.case_id, 1, 0) for row in received),
            self.minimum,
            keep=COMMUNES_SHOWN,
        )


# What describes a person received (their latest case's): the public and the commune.
_PERSON_COLUMNS = (
    CaseIndex.case_id,
    CaseIndex.opened_on,
    CaseIndex.gender,
    CaseIndex.birth_date,
    CaseIndex.situation,
    CaseIndex.priority_neighbourhood,
    CaseIndex.rural_area,
    CaseIndex.commune,
)


def _recency(row: Any) -> tuple[date, str]:
    return (row.opened_on or date.min, row.case_id)


def same_people(
    cases: Iterable[Sequence[Any]],
) -> dict[str, str]:
    """The person of each case, as the id of one of their cases, from rows of (case id,
    first name, last name, birth date, e-mail, previous case id): one person for cases
    linked as previous and next, or with the same names (folded: `domain.names`) and the
    same birth date or the same e-mail address (in lower case). Two people who share an
    e-mail address (a couple) stay two; one who changed it between cases stays one."""
    parent: dict[str, str] = {}

    def root(case_id: str) -> str:
        parent.setdefault(case_id, case_id)
        while parent[case_id] != case_id:
            parent[case_id] = parent[parent[case_id]]
            case_id = parent[case_id]
        return case_id

    def join(one: str, other: str) -> None:
        first, second = root(one), root(other)
        if first != second:
            parent[max(first, second)] = min(first, second)

    seen: dict[tuple[str, str, object], str] = {}
    ids: list[str] = []
    for case_id, first_name, last_name, birth_date, email, previous in cases:
        ids.append(case_id)
        root(case_id)
        if previous:
            join(case_id, previous)
        first, last = folded_name(first_name or ""), folded_name(last_name or "")
        if not last:
            continue
        for known in (birth_date, (email or "").strip().lower()):
            if known:
                join(case_id, seen.setdefault((first, last, known), case_id))
    return {case_id: root(case_id) for case_id in ids}


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
