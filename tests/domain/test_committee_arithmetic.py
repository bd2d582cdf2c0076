"""What a committee recomputes: loan payments, intermediate balances, working capital
need, whether the self-financing capacity covers the repayments, and whether the requests
match the financing plan."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from advisor_app.domain.enums import FinancingSide, FundingDecision, FundingKind
from advisor_app.domain.errors import ValidationError
from advisor_app.domain.financing import (
    FinancingLine,
    FinancingPlan,
    ForecastYear,
    Loan,
    basis_points_from_text,
    check_loan_terms,
    differences_from_plan,
    kind_of_line,
    loan_of,
    repayment_cover,
    working_capital,
    working_capital_in_plan,
)


@dataclass(frozen=True)
class Request:
    kind: FundingKind
    amount_asked_cents: int
    decision: FundingDecision = FundingDecision.PENDING
    amount_granted_cents: int = 0
    term_months: int | None = None
    deferral_months: int | None = None
    annual_rate_basis_points: int | None = None
    funder: str = "Initiative Gard"


def test_an_honour_loan_is_repaid_in_equal_months_after_its_deferral() -> None:
    loan = Loan(800_000, term_months=60, deferral_months=6)
    schedule = loan.schedule()
    assert len(schedule) == 60
    assert all(month.payment == 0 for month in schedule[:6])
    assert loan.monthly_payment == 14_814  # 8 000 € over 54 months, 148,14 €
    assert schedule[-1].principal == 800_000 - 53 * 14_814
    assert sum(month.principal for month in schedule) == 800_000
    assert loan.total_interest == 0


def test_the_capital_repaid_each_year_follows_the_deferral() -> None:
    loan = Loan(1_200_000, term_months=36, deferral_months=6)  # 400 € a month from month 7
    assert loan.monthly_payment == 40_000
    assert [loan.principal_repaid_in_year(y) for y in (1, 2, 3, 4)] == [
        240_000,
        480_000,
        480_000,
        0,
    ]


def test_a_bank_loan_pays_interest_during_its_deferral_then_constant_instalments() -> None:
    # 30 000 € at 4 % over 60 months, 3 of them deferred: 300 000 × 4 % / 12 = 100 € interest
    loan = Loan(3_000_000, term_months=60, deferral_months=3, annual_rate_basis_points=400)
    schedule = loan.schedule()
    assert [m.payment for m in schedule[:3]] == [10_000, 10_000, 10_000]
    # the annuity formula, in floating point: 30 000 € over 57 months at 4 %/12 a month
    rate = 0.04 / 12
    annuity = round(3_000_000 * rate / (1 - (1 + rate) ** -57))
    assert loan.monthly_payment == annuity == 57_877
    assert {m.payment for m in schedule[3:-1]} == {annuity}
    assert sum(m.principal for m in schedule) == 3_000_000
    assert abs(schedule[-1].payment - annuity) < 100
    assert loan.total_interest == 3 * 10_000 + sum(m.payment for m in schedule[3:]) - 3_000_000


def test_a_deferral_as_long_as_the_loan_is_no_loan() -> None:
    with pytest.raises(ValueError):
        Loan(100_000, term_months=12, deferral_months=12)
    with pytest.raises(ValidationError) as refused:
        check_loan_terms(12, 12, None)
    assert refused.value.field == "deferral_months"
    with pytest.raises(ValidationError):
        check_loan_terms(0, None, None)
    with pytest.raises(ValidationError):
        check_loan_terms(None, None, 6_000)


def test_rates_are_read_as_the_advisor_types_them() -> None:
    assert basis_points_from_text("rate", "2,5") == 250
    assert basis_points_from_text("rate", "3.75 %") == 375
    assert basis_points_from_text("rate", "0") == 0
    assert basis_points_from_text("rate", "  ") is None
    with pytest.raises(ValidationError, match="is not a rate"):
        basis_points_from_text("rate", "deux")


def test_intermediate_balances_lead_from_turnover_to_the_result() -> None:
    year = ForecastYear(
        1,
        {
            "turnover": 9_000_000,
            "purchases": 3_000_000,
            "external_charges": 1_500_000,
            "taxes": 100_000,
            "salaries": 600_000,
            "owner_pay": 1_800_000,
            "social_charges": 700_000,
            "depreciation": 240_000,
            "loan_interest": 60_000,
        },
    )
    assert year.gross_margin == 6_000_000
    assert year.value_added == 4_500_000
    assert year.operating_surplus == 1_300_000
    assert year.result == year.operating_surplus - 240_000 - 60_000 == 1_000_000
    assert year.cash_capacity == 1_240_000


def test_the_working_capital_need_counts_days_of_turnover_and_purchases() -> None:
    year = ForecastYear(1, {"turnover": 7_200_000, "purchases": 3_600_000})
    need = working_capital(year, customer_days=30, stock_days=15, supplier_days=45)
    assert (need.receivables, need.stock, need.payables) == (600_000, 150_000, 450_000)
    assert need.need == 300_000
    cash_trade = working_capital(year, customer_days=0, stock_days=10, supplier_days=30)
    assert cash_trade.need == 100_000 - 300_000  # paid cash, paying later: a resource


def test_the_self_financing_capacity_covers_the_repayments_or_not() -> None:
    years = [
        ForecastYear(1, {"turnover": 1_000_000, "external_charges": 800_000}),  # CAF 2 000 €
        ForecastYear(2, {"turnover": 1_500_000, "external_charges": 800_000}),  # CAF 7 000 €
    ]
    loans = [Loan(1_200_000, 36, 6), Loan(600_000, 24, 0)]
    cover = repayment_cover(years, loans)
    assert [c.repayments for c in cover] == [240_000 + 300_000, 480_000 + 300_000]
    assert not cover[0].covered and cover[0].left == 200_000 - 540_000
    assert cover[1].covered is False
    assert repayment_cover(years, [])[0].covered


def test_a_request_is_a_loan_once_its_terms_are_known() -> None:
    honour = Request(FundingKind.HONOUR_LOAN, 800_000, term_months=60, deferral_months=6)
    assert loan_of(honour) == Loan(800_000, 60, 6, 0)  # interest-free, whatever is typed
    assert loan_of(Request(FundingKind.HONOUR_LOAN, 800_000, term_months=60)) is None
    bank = Request(FundingKind.BANK_LOAN, 3_000_000, term_months=84, deferral_months=0)
    assert loan_of(bank) is None  # its rate is not known
    granted = Request(
        FundingKind.BANK_LOAN,
        3_000_000,
        FundingDecision.PARTIALLY_GRANTED,
        2_500_000,
        84,
        0,
        420,
    )
    assert loan_of(granted) == Loan(2_500_000, 84, 0, 420)
    refused = Request(FundingKind.HONOUR_LOAN, 800_000, FundingDecision.REFUSED, 0, 60, 0)
    assert loan_of(refused) is None
    assert loan_of(Request(FundingKind.GRANT, 500_000, term_months=12, deferral_months=0)) is None


def test_plan_lines_are_recognised_by_the_funding_they_name() -> None:
    assert kind_of_line("Prêt d’honneur Initiative Gard") is FundingKind.HONOUR_LOAN
    assert kind_of_line("PRET D'HONNEUR") is FundingKind.HONOUR_LOAN
    assert kind_of_line("Emprunt bancaire Crédit Agricole") is FundingKind.BANK_LOAN
    assert kind_of_line("Microcrédit ADIE") is FundingKind.MICROCREDIT
    assert kind_of_line("Subvention Région") is FundingKind.GRANT
    assert kind_of_line("Apport personnel") is None
    assert kind_of_line("Débanquage") is None  # a word that only contains "banque"


def test_a_requested_honour_loan_that_differs_from_the_plan_is_found() -> None:
    plan = FinancingPlan.of(
        [
            FinancingLine(FinancingSide.NEED, "Four", 2_000_000),
            FinancingLine(FinancingSide.RESOURCE, "Prêt d'honneur", 1_000_000),
            FinancingLine(FinancingSide.RESOURCE, "Apport", 1_000_000),
        ]
    )
    asked = Request(FundingKind.HONOUR_LOAN, 800_000)
    [difference] = differences_from_plan(plan, [asked])
    assert (difference.kind, difference.expected, difference.planned) == (
        FundingKind.HONOUR_LOAN,
        800_000,
        1_000_000,
    )
    second = Request(FundingKind.HONOUR_LOAN, 200_000)
    assert differences_from_plan(plan, [asked, second]) == []
    withdrawn = Request(FundingKind.HONOUR_LOAN, 200_000, FundingDecision.WITHDRAWN)
    assert len(differences_from_plan(plan, [asked, withdrawn])) == 1
    bank = Request(FundingKind.BANK_LOAN, 1_500_000)
    [missing] = differences_from_plan(plan, [asked, second, bank])
    assert missing.kind is FundingKind.BANK_LOAN and missing.planned is None
    assert differences_from_plan(FinancingPlan.of([]), [asked]) == []


def test_the_working_capital_set_aside_in_the_plan_is_found() -> None:
    plan = FinancingPlan.of(
        [
            FinancingLine(FinancingSide.NEED, "Besoin en fonds de roulement", 300_000),
            FinancingLine(FinancingSide.NEED, "BFR de démarrage", 50_000),
            FinancingLine(FinancingSide.NEED, "Four", 2_000_000),
        ]
    )
    assert working_capital_in_plan(plan) == 350_000
    assert working_capital_in_plan(FinancingPlan.of([])) is None


def test_a_plan_line_that_names_the_funder_stands_for_its_request() -> None:
    plan = FinancingPlan.of(
        [
            FinancingLine(FinancingSide.NEED, "Four", 1_600_000),
            FinancingLine(FinancingSide.RESOURCE, "ADIE", 600_000),
            FinancingLine(FinancingSide.RESOURCE, "Apport", 1_000_000),
        ]
    )
    adie = Request(FundingKind.MICROCREDIT, 600_000, funder="Adie")
    assert kind_of_line("ADIE", {"Adie": FundingKind.MICROCREDIT}) is FundingKind.MICROCREDIT
    assert differences_from_plan(plan, [adie]) == []
    more = Request(FundingKind.MICROCREDIT, 800_000, funder="Adie")
    [difference] = differences_from_plan(plan, [more])
    assert (difference.expected, difference.planned) == (800_000, 600_000)
