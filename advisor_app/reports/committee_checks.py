"""What a committee file lacks and what in it does not add up, before anyone prints it.

The committee file opens with these two lists: the fields still to complete (rather than
"not provided" printed as if it were data) and the points a committee member would check
(a request the financing plan does not carry, a plan out of balance, repayments the
self-financing capacity does not cover, a working capital need the plan does not fund).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from advisor_app.domain.enums import Recommendation
from advisor_app.domain.financing import (
    LOAN_KINDS,
    ZERO_INTEREST_KINDS,
    Loan,
    RepaymentCover,
    WorkingCapital,
    differences_from_plan,
    expected_cents,
    loan_of,
    repayment_cover,
    working_capital,
    working_capital_in_plan,
)
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_money, label
from advisor_app.reports.sources import CaseSource, FundingSource


@dataclass(frozen=True)
class CommitteeReview:
    """The missing fields, grouped by part of the file, and the points to check."""

    missing: list[tuple[str, list[str]]] = field(default_factory=list)
    to_check: list[str] = field(default_factory=list)
    loans: list[Loan] = field(default_factory=list)
    cover: list[RepaymentCover] = field(default_factory=list)
    need: WorkingCapital | None = None

    @property
    def complete(self) -> bool:
        return not self.missing


def review(case: CaseSource, request: FundingSource | None) -> CommitteeReview:
    loans = [loan for loan in (loan_of(f) for f in case.funding) if loan is not None]
    cover = repayment_cover(case.forecast, loans) if loans else []
    need = _working_capital(case)
    missing = [
        (_("Funding requested"), _missing_in_request(case, request)),
        (_("Project holder"), _missing_about_holder(case)),
        (_("Project"), _missing_about_project(case)),
        (_("Financing plan and forecast"), _missing_figures(case)),
        (_("Working capital need"), _missing_terms(case)),
        (_("Advisor's assessment"), _missing_assessment(case)),
    ]
    return CommitteeReview(
        missing=[(part, fields) for part, fields in missing if fields],
        to_check=_points_to_check(case, cover, need),
        loans=loans,
        cover=cover,
        need=need,
    )


def _working_capital(case: CaseSource) -> WorkingCapital | None:
    project = case.project
    days = (project.customer_days, project.stock_days, project.supplier_days)
    if not case.forecast or any(d is None for d in days):
        return None
    customer, stock, supplier = (d or 0 for d in days)
    return working_capital(case.forecast[0], customer, stock, supplier)


def _missing_in_request(case: CaseSource, request: FundingSource | None) -> list[str]:
    if request is None:
        return [_("No funding request recorded yet")]
    missing = []
    if request.amount_asked_cents <= 0:
        missing.append(_("Amount requested"))
    if request.committee_on is None:
        missing.append(_("Committee date"))
    missing += _missing_loan_terms(request)
    for other in case.funding:
        if other is request or expected_cents(other) is None or not _missing_loan_terms(other):
            continue
        if other.kind in LOAN_KINDS:
            missing.append(_("Terms of the loan from {funder}").format(funder=other.funder))
    return missing


def _missing_loan_terms(request: FundingSource) -> list[str]:
    if request.kind not in LOAN_KINDS:
        return []
    missing = []
    if request.term_months is None:
        missing.append(_("Length of the loan"))
    if request.deferral_months is None:
        missing.append(_("Deferral of the loan (0 if none)"))
    if request.annual_rate_basis_points is None and request.kind not in ZERO_INTEREST_KINDS:
        missing.append(_("Yearly rate of the loan"))
    return missing


def _missing_about_holder(case: CaseSource) -> list[str]:
    person = case.person
    missing = [_("Birth date")] if person.birth_date is None else []
    return missing + _empty(
        (
            (person.training, N_("Training")),
            (person.experience, N_("Professional experience")),
            (person.motivation, N_("Motivation")),
            (person.household, N_("Household situation")),
        )
    )


def _missing_about_project(case: CaseSource) -> list[str]:
    project = case.project
    missing = _empty(
        (
            (project.title, N_("Title of the project")),
            (project.sector, N_("Sector")),
            (project.legal_form, N_("Legal form")),
        )
    )
    if project.planned_start is None:
        missing.append(_("Planned start"))
    return missing + _empty(
        (
            (project.description, N_("Description")),
            (project.market_and_offer, N_("Market and offer")),
        )
    )


def _missing_figures(case: CaseSource) -> list[str]:
    missing = []
    if not case.plan.lines:
        missing.append(_("Financing plan"))
    if not case.forecast:
        missing.append(_("Three-year forecast"))
    elif all(year.turnover <= 0 for year in case.forecast):
        missing.append(_("Turnover of the forecast"))
    return missing


def _missing_terms(case: CaseSource) -> list[str]:
    project = case.project
    captions = (
        (project.customer_days, N_("Customer payment terms (days)")),
        (project.stock_days, N_("Stock (days of purchases)")),
        (project.supplier_days, N_("Supplier payment terms (days)")),
    )
    return [_(caption) for value, caption in captions if value is None]


def _missing_assessment(case: CaseSource) -> list[str]:
    project = case.project
    missing = _empty(
        (
            (project.strengths, N_("Strengths")),
            (project.vigilance, N_("Points of vigilance")),
            (project.advisor_opinion, N_("Advisor's opinion")),
        )
    )
    if project.recommendation is None:
        missing.append(_("Recommendation"))
    elif (
        project.recommendation is not Recommendation.UNFAVOURABLE
        and project.recommended_amount_cents is None
    ):
        missing.append(_("Amount of the recommendation"))
    if project.opinion_signed_on is None:
        missing.append(_("Date of the opinion"))
    return missing


def _empty(values: Sequence[tuple[str, str]]) -> list[str]:
    return [_(caption) for value, caption in values if not value.strip()]


def _points_to_check(
    case: CaseSource, cover: list[RepaymentCover], need: WorkingCapital | None
) -> list[str]:
    plan = case.plan
    points = plan_difference_sentences(case)
    if plan.lines and not plan.is_balanced:
        points.append(balance_sentence(plan.gap))
    points += [cover_sentence(year) for year in cover if not year.covered]
    if need is not None and need.need > 0 and plan.lines:
        planned = working_capital_in_plan(plan)
        if planned is None:
            points.append(
                _(
                    "The working capital need of year 1 ({need}) has no line in the needs "
                    "of the financing plan."
                ).format(need=format_money(need.need))
            )
        elif planned < need.need:
            points.append(
                _(
                    "The working capital need of year 1 ({need}) is more than the financing "
                    "plan sets aside for it ({planned})."
                ).format(need=format_money(need.need), planned=format_money(planned))
            )
    return points


def plan_difference_sentences(case: CaseSource) -> list[str]:
    """One sentence for each kind of funding asked for that the plan carries otherwise."""
    sentences = []
    for difference in differences_from_plan(case.plan, case.funding):
        kind, asked = label(difference.kind), format_money(difference.expected)
        if difference.planned is None:
            sentence = _("{kind}: {asked} asked, but no line of the financing plan names it.")
            sentences.append(sentence.format(kind=kind, asked=asked))
        else:
            sentence = _("{kind}: {asked} asked, {planned} in the financing plan.")
            planned = format_money(difference.planned)
            sentences.append(sentence.format(kind=kind, asked=asked, planned=planned))
    return sentences


def balance_sentence(gap: int) -> str:
    """Whether needs equal resources, and by how much they do not."""
    if gap == 0:
        return _("The plan is balanced: needs equal resources.")
    if gap < 0:
        return _("The plan is not balanced: {amount} of resources are missing.").format(
            amount=format_money(-gap)
        )
    return _("The plan is not balanced: resources exceed needs by {amount}.").format(
        amount=format_money(gap)
    )


def cover_sentence(year: RepaymentCover) -> str:
    """A year whose self-financing capacity does not cover the capital repaid."""
    return _(
        "Year {n}: the self-financing capacity ({caf}) does not cover the loan "
        "repayments ({repayments})."
    ).format(
        n=year.year,
        caf=format_money(year.cash_capacity),
        repayments=format_money(year.repayments),
    )
