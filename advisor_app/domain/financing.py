"""Financing plan (needs = resources) and the simple 3-year forecast with break-even."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from advisor_app.domain.enums import FinancingSide


@dataclass(frozen=True)
class FinancingLine:
    side: FinancingSide
    label: str
    amount_cents: int


@dataclass(frozen=True)
class FinancingPlan:
    lines: tuple[FinancingLine, ...]

    @classmethod
    def of(cls, lines: Iterable[FinancingLine]) -> FinancingPlan:
        return cls(tuple(lines))

    @property
    def needs(self) -> tuple[FinancingLine, ...]:
        return tuple(line for line in self.lines if line.side is FinancingSide.NEED)

    @property
    def resources(self) -> tuple[FinancingLine, ...]:
        return tuple(line for line in self.lines if line.side is FinancingSide.RESOURCE)

    @property
    def total_needs(self) -> int:
        return sum(line.amount_cents for line in self.needs)

    @property
    def total_resources(self) -> int:
        return sum(line.amount_cents for line in self.resources)

    @property
    def gap(self) -> int:
        """Resources minus needs: negative when the plan lacks money."""
        return self.total_resources - self.total_needs

    @property
    def is_balanced(self) -> bool:
        return self.gap == 0


FORECAST_ITEMS: tuple[str, ...] = (
    "turnover",
    "purchases",
    "external_charges",
    "taxes",
    "salaries",
    "owner_pay",
    "social_charges",
    "depreciation",
    "loan_interest",
)
CHARGE_ITEMS: tuple[str, ...] = FORECAST_ITEMS[1:]
VARIABLE_CHARGES: tuple[str, ...] = ("purchases",)


@dataclass(frozen=True)
class ForecastYear:
    """One year of the forecast, every amount in cents."""

    year: int
    amounts: dict[str, int]

    def amount(self, item: str) -> int:
        return self.amounts.get(item, 0)

    @property
    def turnover(self) -> int:
        return self.amount("turnover")

    @property
    def total_charges(self) -> int:
        return sum(self.amount(item) for item in CHARGE_ITEMS)

    @property
    def result(self) -> int:
        return self.turnover - self.total_charges

    @property
    def cash_capacity(self) -> int:
        """Result plus depreciation: what the business generates in cash ("CAF")."""
        return self.result + self.amount("depreciation")

    @property
    def break_even_turnover(self) -> int | None:
        """Turnover that covers fixed charges, given the variable-cost margin rate."""
        if self.turnover <= 0:
            return None
        variable = sum(self.amount(item) for item in VARIABLE_CHARGES)
        margin_rate = (self.turnover - variable) / self.turnover
        if margin_rate <= 0:
            return None
        fixed = self.total_charges - variable
        return round(fixed / margin_rate)

    @property
    def break_even_month(self) -> int | None:
        """Month of the year (1-12) when cumulative turnover reaches break-even, if it does."""
        threshold = self.break_even_turnover
        if threshold is None or threshold > self.turnover:
            return None
        if threshold == 0:
            return 1
        return max(1, -(-threshold * 12 // self.turnover))


def forecast_years(rows: Sequence[tuple[int, str, int]]) -> list[ForecastYear]:
    """Group (year, item, cents) rows into forecast years 1..3, in order."""
    years: dict[int, dict[str, int]] = {}
    for year, item, cents in rows:
        years.setdefault(year, {})[item] = years.setdefault(year, {}).get(item, 0) + cents
    return [ForecastYear(year, years[year]) for year in sorted(years)]
