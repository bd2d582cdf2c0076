"""A reporting period and the figures of the activity report, with their arithmetic."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_


@dataclass(frozen=True)
class Period:
    """Days from `first` to `last`, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValidationError(
                "period",
                N_("The period ends before it starts."),
                N_("Check the first and last days of the period."),
            )

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min)

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return datetime.combine(self.last + timedelta(days=1), time.min)

    def contains(self, moment: date | datetime) -> bool:
        day = moment.date() if isinstance(moment, datetime) else moment
        return self.first <= day <= self.last


def born_before(on: date, years: int) -> date:
    """The birth date of someone who turns `years` on day `on` (29 February falls to the 28th)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def share(part: int, whole: int) -> float:
    """`part` as a fraction of `whole` (0 when there is no whole)."""
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class Tally:
    """One line of a breakdown: what is counted, how many, and the minutes or cents involved."""

    key: str
    count: int
    amount: int = 0


@dataclass(frozen=True)
class Breakdown:
    """A breakdown fit to publish: every line names a group of at least `minimum` (people,
    decisions...), the smaller groups being summed in `others`, so that no line points at a
    person. `others` is None when nothing was grouped; it stays under `minimum` only when
    every group was too small (`others_too_few`)."""

    lines: tuple[Tally, ...] = ()
    others: Tally | None = None
    minimum: int = 1
    others_people: int = 0

    @property
    def count(self) -> int:
        return sum(t.count for t in self.lines) + (self.others.count if self.others else 0)

    @property
    def amount(self) -> int:
        return sum(t.amount for t in self.lines) + (self.others.amount if self.others else 0)

    @property
    def all_lines(self) -> tuple[Tally, ...]:
        return self.lines + ((self.others,) if self.others else ())

    @property
    def others_too_few(self) -> bool:
        """Whether the "others" line gathers fewer than `minimum` people (every group was too
        small): its count is then printed as "fewer than `minimum`"."""
        return self.others is not None and self.others_people < self.minimum


@dataclass(frozen=True)
class Group:
    """One group of a breakdown before it is published: its key, the cases (people) in it,
    and what it counts (people, decisions) and sums (minutes, cents)."""

    key: str
    people: frozenset[str]
    count: int
    amount: int = 0


def _plain(text: str) -> str:
    """Sort key that puts "Évaux" among the E's, not after "Z"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def publishable(
    groups: Iterable[Group], minimum: int, keep: int | None = None, by_amount: bool = False
) -> Breakdown:
    """The groups largest first (by count, or by amount), those of fewer than `minimum`
    people, and those after the first `keep`, summed in one "others" line. If the people of
    that line are themselves fewer than `minimum`, the smallest named group joins it: a
    remainder of one person beside named groups points at that person as surely as a line of
    their own. People are counted once in "others" even when they belong to several groups
    (two loans from two banks)."""
    ordered = sorted(
        (g for g in groups if g.count > 0),
        key=lambda g: (-(g.amount if by_amount else g.count), -g.count, _plain(g.key), g.key),
    )
    named = [g for g in ordered if len(g.people) >= minimum][:keep]
    named_keys = {g.key for g in named}
    grouped = [g for g in ordered if g.key not in named_keys]

    def people(part: list[Group]) -> int:
        return len(frozenset().union(*(g.people for g in part)))

    if grouped and named and people(grouped) < minimum:
        smallest = min(named, key=lambda g: (len(g.people), g.count, g.amount))
        named.remove(smallest)
        grouped.append(smallest)
    lines = tuple(Tally(g.key, g.count, g.amount) for g in named)
    if not grouped:
        return Breakdown(lines, None, minimum)
    others = Tally("", sum(g.count for g in grouped), sum(g.amount for g in grouped))
    return Breakdown(lines, others, minimum, people(grouped))


@dataclass(frozen=True)
class PublicBreakdown:
    """People received in the period who belong to each public the funders ask about."""

    women: int = 0
    under_26: int = 0
    over_50: int = 0
    job_seekers: int = 0
    minimum_income: int = 0
    priority_neighbourhood: int = 0
    rural_area: int = 0


@dataclass(frozen=True)
class ActivityFigures:
    """What the organisation did over a period, computed from the catalog."""

    period: Period
    people_received: int
    new_cases: int
    appointments_done: int
    minutes_done: int
    by_mode: tuple[Tally, ...]
    cases_by_stage: tuple[Tally, ...]
    businesses_created: int
    jobs_created: int
    funding_by_kind: Breakdown
    funding_by_funder: Breakdown
    public: PublicBreakdown
    by_commune: Breakdown
    active_cases: int = 0
    minimum_group: int = 1

    @property
    def funding_granted_cents(self) -> int:
        return self.funding_by_kind.amount

    @property
    def funding_requests_granted(self) -> int:
        return self.funding_by_kind.count

    def hides(self, count: int) -> bool:
        """Whether a count of people is too small to print (see `Breakdown.hides`)."""
        return 0 < count < self.minimum_group

    @property
    def mode_minutes_total(self) -> int:
        return sum(t.amount for t in self.by_mode)


def age_on(birth: date, on: date) -> int:
    """Age in whole years on day `on`."""
    return on.year - birth.year - (1 if (on.month, on.day) < (birth.month, birth.day) else 0)
