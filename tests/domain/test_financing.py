"""The financing plan balances needs and resources; the forecast finds its break-even."""

from __future__ import annotations

from advisor_app.domain.enums import FinancingSide
from advisor_app.domain.financing import FinancingLine, FinancingPlan, ForecastYear, forecast_years


def test_a_plan_whose_resources_cover_its_needs_is_balanced() -> None:
    plan = FinancingPlan.of(
        [
            FinancingLine(FinancingSide.NEED, "Four", 2_000_000),
            FinancingLine(FinancingSide.NEED, "Stock", 500_000),
            FinancingLine(FinancingSide.RESOURCE, "Apport", 500_000),
            FinancingLine(FinancingSide.RESOURCE, "Prêt d'honneur", 2_000_000),
        ]
    )
    assert plan.total_needs == 2_500_000
    assert plan.total_resources == 2_500_000
    assert plan.is_balanced


def test_a_plan_short_of_money_shows_the_gap() -> None:
    plan = FinancingPlan.of(
        [
            FinancingLine(FinancingSide.NEED, "Camion", 3_000_000),
            FinancingLine(FinancingSide.RESOURCE, "Apport", 1_000_000),
        ]
    )
    assert not plan.is_balanced
    assert plan.gap == -2_000_000


def test_break_even_covers_fixed_charges_with_the_margin() -> None:
    year = ForecastYear(
        1, {"turnover": 10_000_000, "purchases": 4_000_000, "external_charges": 3_000_000}
    )
    assert year.result == 3_000_000
    assert year.break_even_turnover == 5_000_000
    assert year.break_even_month == 6


def test_a_year_that_never_breaks_even_says_so() -> None:
    year = ForecastYear(1, {"turnover": 1_000_000, "external_charges": 2_000_000})
    assert year.break_even_turnover == 2_000_000
    assert year.break_even_month is None


def test_forecast_rows_are_grouped_by_year() -> None:
    years = forecast_years([(2, "turnover", 5), (1, "turnover", 3), (1, "depreciation", 1)])
    assert [y.year for y in years] == [1, 2]
    assert years[0].cash_capacity == years[0].result + 1
