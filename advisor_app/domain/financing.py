"""Financing plan (needs = resources), the simple 3-year forecast with break-even and
intermediate management balances, loans and their repayments, working capital need, and
how the funding requests compare with the plan: the arithmetic of a committee file."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Protocol

from advisor_app.domain.enums import FinancingSide, FundingDecision, FundingKind
from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_


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
PEOPLE_AND_TAXES: tuple[str, ...] = ("taxes", "salaries", "owner_pay", "social_charges")


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

    # Intermediate management balances ("soldes intermédiaires de gestion"), from the
    # turnover down to the result: each one takes off the next group of charges.

    @property
    def gross_margin(self) -> int:
        """Turnover less purchases ("marge")."""
        return self.turnover - self.amount("purchases")

    @property
    def value_added(self) -> int:
        """Gross margin less external charges ("valeur ajoutée")."""
        return self.gross_margin - self.amount("external_charges")

    @property
    def operating_surplus(self) -> int:
        """Value added less taxes and every cost of people, the holder's pay included
        ("excédent brut d'exploitation", EBE). Less depreciation and loan interest, it
        is the result."""
        return self.value_added - sum(self.amount(item) for item in PEOPLE_AND_TAXES)

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


# -- loans ---------------------------------------------------------------------------------

LOAN_KINDS = frozenset({FundingKind.HONOUR_LOAN, FundingKind.BANK_LOAN, FundingKind.MICROCREDIT})
ZERO_INTEREST_KINDS = frozenset({FundingKind.HONOUR_LOAN})
MAX_LOAN_MONTHS = 360
MAX_RATE_BASIS_POINTS = 5_000  # 50 % a year: anything above is a typing slip


@dataclass(frozen=True)
class Instalment:
    """One month of a loan: the capital repaid and the interest paid, in cents."""

    month: int
    principal: int
    interest: int

    @property
    def payment(self) -> int:
        return self.principal + self.interest


@dataclass(frozen=True)
class Loan:
    """A loan repaid monthly: `term_months` long, deferral included; during the deferral
    only the interest is paid (none for a zero-interest loan), then constant payments."""

    amount_cents: int
    term_months: int
    deferral_months: int = 0
    annual_rate_basis_points: int = 0

    def __post_init__(self) -> None:
        if self.amount_cents < 0 or not 0 <= self.deferral_months < self.term_months:
            raise ValueError(f"not a loan: {self}")

    @property
    def repayment_months(self) -> int:
        return self.term_months - self.deferral_months

    def schedule(self) -> tuple[Instalment, ...]:
        """Every month of the loan; the last instalment settles what rounding left."""
        rate = Decimal(self.annual_rate_basis_points) / Decimal(120_000)
        balance = self.amount_cents
        months: list[Instalment] = []
        for month in range(1, self.deferral_months + 1):
            months.append(Instalment(month, 0, _cents(balance * rate)))
        payment = self._payment(rate)
        for index in range(1, self.repayment_months + 1):
            interest = _cents(balance * rate)
            last = index == self.repayment_months
            principal = balance if last else min(balance, payment - interest)
            balance -= principal
            months.append(Instalment(self.deferral_months + index, principal, interest))
        return tuple(months)

    def _payment(self, rate: Decimal) -> int:
        count = self.repayment_months
        if rate == 0:
            return self.amount_cents // count
        return _cents(self.amount_cents * rate / (1 - (1 + rate) ** -count))

    @property
    def monthly_payment(self) -> int:
        """The payment of each month after the deferral (the last one may differ by the
        cents that rounding left)."""
        return self.schedule()[self.deferral_months].payment

    @property
    def total_interest(self) -> int:
        return sum(month.interest for month in self.schedule())

    def principal_repaid_in_year(self, year: int) -> int:
        """Capital repaid during year `year` (1 = the first twelve months of the loan)."""
        first, last = 12 * (year - 1) + 1, 12 * year
        return sum(m.principal for m in self.schedule() if first <= m.month <= last)


def _cents(value: Decimal | int) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class FundingTerms(Protocol):
    """What a funding request says about the money and, for a loan, its terms."""

    @property
    def funder(self) -> str: ...
    @property
    def kind(self) -> FundingKind: ...
    @property
    def decision(self) -> FundingDecision: ...
    @property
    def amount_asked_cents(self) -> int: ...
    @property
    def amount_granted_cents(self) -> int: ...
    @property
    def term_months(self) -> int | None: ...
    @property
    def deferral_months(self) -> int | None: ...
    @property
    def annual_rate_basis_points(self) -> int | None: ...


CLOSED_DECISIONS = frozenset({FundingDecision.REFUSED, FundingDecision.WITHDRAWN})
GRANTED_DECISIONS = frozenset({FundingDecision.GRANTED, FundingDecision.PARTIALLY_GRANTED})


def expected_cents(request: FundingTerms) -> int | None:
    """What the project counts on from a request: the amount granted once decided, the
    amount asked while pending, nothing when it was refused or withdrawn."""
    if request.decision in CLOSED_DECISIONS:
        return None
    if request.decision in GRANTED_DECISIONS:
        return request.amount_granted_cents
    return request.amount_asked_cents


def rate_of(request: FundingTerms) -> int | None:
    """The annual rate in basis points; an honour loan is interest-free whatever is typed."""
    if request.kind in ZERO_INTEREST_KINDS:
        return 0
    return request.annual_rate_basis_points


def loan_of(request: FundingTerms) -> Loan | None:
    """The loan a request stands for, when it is one, still counted on, and its terms
    (length, deferral, rate) are all known."""
    amount = expected_cents(request)
    rate = rate_of(request)
    term, deferral = request.term_months, request.deferral_months
    if request.kind not in LOAN_KINDS or amount is None or term is None or deferral is None:
        return None
    if rate is None or deferral >= term:
        return None
    return Loan(amount, term, deferral, rate)


@dataclass(frozen=True)
class RepaymentCover:
    """Does the self-financing capacity (CAF) of a year cover the capital repaid?"""

    year: int
    cash_capacity: int
    repayments: int

    @property
    def left(self) -> int:
        return self.cash_capacity - self.repayments

    @property
    def covered(self) -> bool:
        return self.left >= 0


def repayment_cover(
    forecast: Sequence[ForecastYear], loans: Sequence[Loan]
) -> list[RepaymentCover]:
    """Year by year, CAF against the capital of `loans` repaid that year, the loans taken
    at the start of the first year of the forecast."""
    return [
        RepaymentCover(
            year.year,
            year.cash_capacity,
            sum(loan.principal_repaid_in_year(year.year) for loan in loans),
        )
        for year in forecast
    ]


def check_loan_terms(
    term_months: int | None, deferral_months: int | None, rate_basis_points: int | None
) -> None:
    """Refuse terms no loan has: a length of 1 to 360 months, a deferral shorter than it,
    a rate from 0 to 50 %."""
    if term_months is not None and not 1 <= term_months <= MAX_LOAN_MONTHS:
        raise ValidationError(
            "term_months",
            N_("A loan lasts from 1 to {most} months."),
            most=MAX_LOAN_MONTHS,
        )
    if deferral_months is not None:
        if deferral_months < 0:
            raise ValidationError("deferral_months", N_("A deferral cannot be negative."))
        if term_months is not None and deferral_months >= term_months:
            raise ValidationError(
                "deferral_months",
                N_("The deferral ({deferral} months) must be shorter than the loan ({term})."),
                N_("The length of the loan includes its deferral."),
                deferral=deferral_months,
                term=term_months,
            )
    if rate_basis_points is not None and not 0 <= rate_basis_points <= MAX_RATE_BASIS_POINTS:
        raise ValidationError("annual_rate", N_("A yearly rate lies between 0 and 50 %."))


def basis_points_from_text(field: str, text: str) -> int | None:
    """A yearly rate typed as "2,5", "2.5 %" or "0" in hundredths of a percent (250);
    None when nothing is typed."""
    cleaned = "".join(text.replace("%", "").split()).replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValidationError(
            field,
            N_("“{text}” is not a rate."),
            N_("Type a percentage such as 2,5 or 0."),
            text=text,
        )
    points = _cents(value * 100)
    check_loan_terms(None, None, points)
    return points


# -- working capital -----------------------------------------------------------------------

DAYS_IN_YEAR = 360  # the commercial year, as French forecasts count days of turnover
MAX_DAYS = 365


@dataclass(frozen=True)
class WorkingCapital:
    """Working capital need ("BFR"): what customers owe plus the stock, less what is owed
    to suppliers, from days of turnover and of purchases."""

    receivables: int
    stock: int
    payables: int

    @property
    def need(self) -> int:
        return self.receivables + self.stock - self.payables


def working_capital(
    year: ForecastYear, customer_days: int, stock_days: int, supplier_days: int
) -> WorkingCapital:
    purchases = year.amount("purchases")
    return WorkingCapital(
        receivables=_days_of(year.turnover, customer_days),
        stock=_days_of(purchases, stock_days),
        payables=_days_of(purchases, supplier_days),
    )


def _days_of(yearly_cents: int, days: int) -> int:
    return _cents(Decimal(yearly_cents) * days / DAYS_IN_YEAR)


# -- the requests against the plan ---------------------------------------------------------

# How a line of the financing plan names the funding it stands for, in French or English
# (compared without accents or case). Checked in this order: "prêt d'honneur" is not a
# bank loan, "microcrédit" is not a grant.
PLAN_WORDS: tuple[tuple[FundingKind, tuple[str, ...]], ...] = (
    (FundingKind.HONOUR_LOAN, ("honneur", "honour", "honor")),
    (FundingKind.MICROCREDIT, ("microcredit", "micro-credit", "micro credit")),
    (FundingKind.BANK_LOAN, ("bancaire", "banque", "bank", "emprunt")),
    (FundingKind.GRANT, ("subvention", "grant")),
)
WORKING_CAPITAL_WORDS: tuple[str, ...] = ("fonds de roulement", "bfr", "working capital")


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(c for c in folded if not unicodedata.combining(c))


def _names(label: str, words: Sequence[str]) -> bool:
    plain = _plain(label)
    return any(re.search(rf"\b{re.escape(word)}", plain) for word in words)


def kind_of_line(
    label: str, funders: Mapping[str, FundingKind] | None = None
) -> FundingKind | None:
    """The kind of funding a resource line names ("Prêt d'honneur Initiative"), else the
    kind asked from a funder it names ("Initiative Gard", among `funders`), if any."""
    named = next((kind for kind, words in PLAN_WORDS if _names(label, words)), None)
    if named is not None or not funders:
        return named
    plain = _plain(label)
    return next(
        (kind for funder, kind in funders.items() if len(funder) > 2 and _plain(funder) in plain),
        None,
    )


def working_capital_in_plan(plan: FinancingPlan) -> int | None:
    """What the needs of the plan set aside for working capital, None if no line does."""
    lines = [line for line in plan.needs if _names(line.label, WORKING_CAPITAL_WORDS)]
    return sum(line.amount_cents for line in lines) if lines else None


@dataclass(frozen=True)
class PlanDifference:
    """Requests of one kind that the plan does not carry as asked: `planned` is None when
    no resource line names that kind."""

    kind: FundingKind
    expected: int
    planned: int | None


def differences_from_plan(
    plan: FinancingPlan, requests: Iterable[FundingTerms]
) -> list[PlanDifference]:
    """Each kind the plan can name whose requests still counted on add up to another
    amount than the plan's lines of that kind (none while the plan is empty)."""
    if not plan.lines:
        return []
    expected: dict[FundingKind, int] = {}
    funders: dict[str, FundingKind] = {}
    for request in requests:
        amount = expected_cents(request)
        if amount is not None:
            expected[request.kind] = expected.get(request.kind, 0) + amount
            funders.setdefault(request.funder.strip(), request.kind)
    planned: dict[FundingKind, int] = {}
    for line in plan.resources:
        kind = kind_of_line(line.label, funders)
        if kind is not None:
            planned[kind] = planned.get(kind, 0) + line.amount_cents
    differences = []
    for kind, _words in PLAN_WORDS:
        if kind in expected and planned.get(kind) != expected[kind]:
            differences.append(PlanDifference(kind, expected[kind], planned.get(kind)))
    return differences
