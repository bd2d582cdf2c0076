"""A reporting period and the figures of the activity report, with their arithmetic."""

from __future__ import annotations

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
    funding_by_kind: tuple[Tally, ...]
    funding_by_funder: tuple[Tally, ...]
    public: PublicBreakdown
    by_commune: tuple[Tally, ...]
    active_cases: int = 0

    @property
    def funding_granted_cents(self) -> int:
        return sum(t.amount for t in self.funding_by_kind)

    @property
    def funding_requests_granted(self) -> int:
        return sum(t.count for t in self.funding_by_kind)

    @property
    def mode_minutes_total(self) -> int:
        return sum(t.amount for t in self.by_mode)


def top_with_rest(tallies: tuple[Tally, ...], keep: int) -> tuple[tuple[Tally, ...], Tally | None]:
    """The `keep` largest lines, and the others summed in one line (None when there are none)."""
    ordered = sorted(tallies, key=lambda t: (-t.count, t.key))
    head, tail = tuple(ordered[:keep]), ordered[keep:]
    if not tail:
        return head, None
    return head, Tally("", sum(t.count for t in tail), sum(t.amount for t in tail))


def age_on(birth: date, on: date) -> int:
    """Age in whole years on day `on`."""
    return on.year - birth.year - (1 if (on.month, on.day) < (birth.month, birth.day) else 0)
